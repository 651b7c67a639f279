"""Whatever it is given, the parser returns a valid document or raises PageParseError."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.pageparser import ROLES, PageParseError, decode_page, parse_page

ARTICLE_KEYS = {
    "kicker": str,
    "headline": str,
    "subheadline": str,
    "dateline": str,
    "source": str,
    "syndicated_from": str,
    "bylines": list,
    "crossheads": list,
    "paragraphs": list,
}
PHOTO_KEYS = {"headline": str, "caption": str, "bylines": list}

# Pieces of real page structure, so generated pages reach the parser's deeper branches and
# not only the "no article" exit that random text mostly takes.
FRAGMENTS = [
    "系列报道——",
    "标题一行",
    "——副题一行",
    "本报讯(记者 张 三 通讯员 李四 王五)",
    "新华社北京3月2日电(记者 赵六)",
    "青川讯 ",
    "本报记者 钱七",
    "正文第一句,还没有结束",
    "正文结束了。",
    "(孙八)",
    "(某某局供稿)",
    "(据《某报》周九)",
    "[责任编辑:吴十]",
    "| 编辑 郑一 版式 王二 | www.example.cn",
    "首页 > 正文",
    "冯三 陈四 摄",
    "图为现场。",
    "小标题 —— 两个部分",
    "JIPAD 19 岁",
    "\u3000\u3000",
    "（",
    "）",
    "：",
    "——",
    "",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map(
        lambda parts: "\n".join(parts)
    ),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(lambda parts: "\n\n".join(parts)),
)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def assert_credits(credits):
    for credit in credits:
        assert set(credit) == {"name", "role"}
        assert isinstance(credit["name"], str) and credit["name"]
        assert credit["role"] in ROLES


def assert_valid(document):
    assert set(document) == {"credits", "articles", "photos"}
    assert_credits(document["credits"])
    assert document["articles"] or (
        document["photos"]
        and all(
            any(credit["role"] == "photographer" for credit in photo["bylines"])
            for photo in document["photos"]
        )
    ), "a document has an article, or pictures each credited to a photographer"
    for article in document["articles"]:
        assert set(article) == set(ARTICLE_KEYS)
        for key, kind in ARTICLE_KEYS.items():
            assert isinstance(article[key], kind), key
        assert article["headline"].strip()
        assert article["paragraphs"]
        assert all(isinstance(text, str) and text for text in article["paragraphs"])
        assert all(isinstance(text, str) and text for text in article["crossheads"])
        assert_credits(article["bylines"])
    for photo in document["photos"]:
        assert set(photo) == set(PHOTO_KEYS)
        for key, kind in PHOTO_KEYS.items():
            assert isinstance(photo[key], kind), key
        assert_credits(photo["bylines"])
    # The document must survive the trip to JSON text and UTF-8 bytes.
    json.dumps(document, ensure_ascii=False).encode("utf-8")


def parse_or_refuse(text):
    try:
        page = parse_page(text)
    except PageParseError as error:
        assert str(error)
        return
    assert_valid(page.as_dict())
    for article in page.articles:
        assert [text for kind, text in article.body if kind == "paragraph"] == article.paragraphs
        assert [text for kind, text in article.body if kind == "crosshead"] == article.crossheads


@PROPERTY_SETTINGS
@given(texts)
def test_any_text_gives_a_document_or_a_parse_error(text):
    """Any text: a valid document (all keys, right types, known roles) or PageParseError."""
    parse_or_refuse(text)


@PROPERTY_SETTINGS
@given(st.one_of(st.binary(max_size=600), texts.map(lambda text: text.encode("gb18030"))))
def test_any_bytes_decode_to_text_or_a_decode_error(data):
    """Any bytes: text the parser then handles, or PageParseError — never another exception."""
    try:
        text = decode_page(data)
    except PageParseError as error:
        assert str(error)
        return
    assert isinstance(text, str) and text.strip()
    parse_or_refuse(text)
