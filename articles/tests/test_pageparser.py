"""The page parser on pages written for these tests (articles/tests/pages), one convention each."""

from __future__ import annotations

import codecs
import json
from functools import cache
from pathlib import Path

import pytest

from articles.pageparser import (
    MAX_PAGE_BYTES,
    ROLES,
    Credit,
    NoArticleError,
    PageDecodeError,
    PageParseError,
    ParsedPage,
    decode_page,
    parse_page,
)
from articles.pageparser.__main__ import main

PAGES = Path(__file__).parent / "pages"
SAMPLE = "标题在此\n\n本报讯 第一段正文。\n"


@cache
def page(name: str) -> ParsedPage:
    return parse_page(decode_page((PAGES / f"{name}.txt").read_bytes()))


def only_article(name: str):
    articles = page(name).articles
    assert len(articles) == 1, [article.headline for article in articles]
    return articles[0]


# Decoding.


def test_decode_utf8():
    """Plain UTF-8 is read as it is."""
    assert decode_page(SAMPLE.encode("utf-8")) == SAMPLE


def test_decode_utf8_with_bom():
    """A UTF-8 byte order mark is dropped, not left at the start of the first line."""
    assert decode_page(codecs.BOM_UTF8 + SAMPLE.encode("utf-8")) == SAMPLE


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(codec):
    """UTF-16 in either byte order is read when it starts with a byte order mark."""
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    assert decode_page(bom + SAMPLE.encode(codec)) == SAMPLE


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_decode_gb18030_and_gbk(codec):
    """Chinese legacy encodings are read (GBK is a subset of GB18030)."""
    assert decode_page(SAMPLE.encode(codec)) == SAMPLE


def test_decode_refuses_nul_bytes():
    """NUL bytes without a UTF-16 byte order mark mean binary data."""
    with pytest.raises(PageDecodeError, match="binary"):
        decode_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_decode_refuses_undecodable_bytes():
    """Bytes that are neither UTF-8 nor GB18030 are refused with a clear message."""
    with pytest.raises(PageDecodeError, match="UTF-8"):
        decode_page(b"abc\x80\xff\xfedef" * 10)


def test_decode_refuses_control_characters():
    """Text that is mostly control characters is binary that happened to decode."""
    with pytest.raises(PageDecodeError, match="binary"):
        decode_page(b"\x01\x02\x03\x04\x05\x06\x07\x08abc" * 20)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\u3000\n".encode(), codecs.BOM_UTF8])
def test_decode_refuses_empty_files(data):
    """An empty file, or one of only white space, is not a page."""
    with pytest.raises(PageDecodeError, match=r"empty|white space"):
        decode_page(data)


def test_decode_refuses_oversized_files():
    """More than MAX_PAGE_BYTES is refused before any decoding is attempted."""
    with pytest.raises(PageDecodeError, match="10 MB"):
        decode_page(b"a" * (MAX_PAGE_BYTES + 1))


def test_decode_errors_are_value_errors():
    """Every parser error is a PageParseError and a ValueError, so callers catch one type."""
    assert issubclass(PageDecodeError, PageParseError)
    assert issubclass(NoArticleError, PageParseError)
    assert issubclass(PageParseError, ValueError)


# The document.


def test_as_dict_has_exactly_the_format_keys():
    """as_dict() gives the FORMAT.md shape: no more keys, no fewer, `body` left out."""
    document = page("series_kicker").as_dict()
    assert set(document) == {"credits", "articles", "photos"}
    assert set(document["articles"][0]) == {
        "kicker",
        "headline",
        "subheadline",
        "dateline",
        "source",
        "syndicated_from",
        "bylines",
        "crossheads",
        "paragraphs",
    }
    assert set(page("photo_credits").as_dict()["photos"][0]) == {"headline", "caption", "bylines"}
    json.dumps(document, ensure_ascii=False)


def test_roles_are_the_format_vocabulary():
    """ROLES lists the byline roles of FORMAT.md."""
    assert ROLES == (
        "reporter",
        "correspondent",
        "photographer",
        "author",
        "editor",
        "page_editor",
        "layout_editor",
    )


def test_no_article_raises():
    """Text with paragraphs but no headline is refused with NoArticleError."""
    with pytest.raises(NoArticleError, match="headline"):
        parse_page("这是一段没有标题的文字,它只是一个句子。\n这是第二段,也没有标题。\n")


def test_blank_text_raises():
    """Text with nothing in it raises NoArticleError, not something else."""
    with pytest.raises(NoArticleError):
        parse_page("\n \n")


# Headings.


def test_series_kicker_ending_in_a_dash():
    """A series name ending in a dash above the headline is the kicker, stored without the dash."""
    article = only_article("series_kicker")
    assert article.kicker == "乡村振兴观察系列报道"
    assert article.headline == "青川市多措并举激活乡村产业"


def test_headline_over_two_lines():
    """Two unmarked title lines are one headline broken over two lines."""
    article = only_article("two_line_headline")
    assert article.headline == "河湾区新建三座口袋公园 周边居民出门即可见绿"
    assert article.kicker == article.subheadline == ""


def test_subheadline_starting_with_a_dash():
    """A line starting with a dash under the headline is the subheadline, without the dash."""
    article = only_article("subheadline")
    assert article.headline == "守护一方水土的“河长”"
    assert article.subheadline == "记云岭县河道巡查员彭家树"


def test_crossheads_keep_their_place_in_the_body():
    """Crossheads inside a long article are listed and keep their place among the paragraphs."""
    article = only_article("series_kicker")
    assert article.crossheads == [
        "特色种植 —— 一村一品 错位发展",
        "农产品加工 —— 延长链条 提升价值",
        "乡村旅游 —— 农旅融合 四季有景",
    ]
    assert [kind for kind, _ in article.body] == [
        "paragraph",
        "crosshead",
        "paragraph",
        "crosshead",
        "paragraph",
        "crosshead",
        "paragraph",
    ]
    assert len(article.paragraphs) == 4


# Datelines and credits in the text.


def test_local_dateline_with_reporter_and_correspondents():
    """`本报讯(记者 X 通讯员 Y Z)` gives the dateline and three credits, and leaves the text."""
    article = only_article("two_line_headline")
    assert article.dateline == "本报讯"
    assert article.bylines == [
        Credit("周立行", "reporter"),
        Credit("韩小雨", "correspondent"),
        Credit("邓川", "correspondent"),
    ]
    assert article.paragraphs[0].startswith("近日,") or article.paragraphs[0].startswith("近日，")


def test_place_dateline():
    """`松阳讯` opening the first paragraph is the dateline."""
    article = only_article("place_dateline")
    assert article.dateline == "松阳讯"
    assert article.paragraphs[0].startswith("9月21日")


def test_agency_dateline_with_reporter():
    """`新华社日内瓦9月20日电(记者 X)` is the dateline and its reporter."""
    article = only_article("agency_dateline")
    assert article.dateline == "新华社日内瓦9月20日电"
    assert article.bylines == [Credit("魏思远", "reporter")]
    assert article.paragraphs[0].startswith("国际谷物理事会")


def test_reporter_line_under_the_headline():
    """`本报记者 X` alone under the headline credits a reporter; OCR's space in the name goes."""
    article = only_article("subheadline")
    assert article.bylines == [Credit("罗晓", "reporter")]
    assert not any("记者" in paragraph for paragraph in article.paragraphs)


def test_supplied_by_organisation():
    """`(X供稿)` at the end names the source organisation and is not part of the text."""
    article = only_article("series_kicker")
    assert article.source == "青川市农业农村局"
    assert article.paragraphs[-1].endswith("络绎不绝。")


def test_syndicated_with_author():
    """`(据《X》Y)` names the publication it is taken from and credits Y as author."""
    article = only_article("syndicated")
    assert article.syndicated_from == "海洋科学周刊"
    assert article.bylines == [Credit("林书言", "author")]
    assert article.paragraphs[-1].endswith("基因测序。")


def test_author_in_brackets_at_the_end():
    """A bare name in brackets at the end of an article credits its author."""
    article = only_article("place_dateline")
    assert article.bylines == [Credit("韦书航", "author")]
    assert article.paragraphs[-1].endswith("前来观看。")


def test_author_alone_on_the_last_line_with_ocr_spaces():
    """A name alone on an article's last line credits its author, OCR's spaces removed."""
    first, _ = page("bare_author").articles
    assert first.headline == "老街上的修表铺"
    assert first.bylines == [Credit("葛明远", "author")]
    assert len(first.paragraphs) == 2


def test_author_alone_on_the_last_line_of_the_page():
    """A name alone on the page's last line credits the last article's author."""
    second = page("bare_author").articles[1]
    assert second.headline == "图书馆延长夜间开放时间"
    assert second.bylines == [Credit("罗依然", "author")]


def test_responsible_editor():
    """`[责任编辑:X]` credits the article's editor."""
    article = only_article("editor_breadcrumb")
    assert article.bylines == [Credit("汪晴", "editor")]


# Page furniture.


def test_breadcrumb_is_dropped():
    """A web breadcrumb such as `首页 > 地方新闻 > 正文` is neither heading nor text."""
    article = only_article("editor_breadcrumb")
    assert article.headline == "云岭县开通首条城乡公交环线"
    assert not any("首页" in paragraph for paragraph in article.paragraphs)


def test_page_header_and_footer_credits():
    """`| 编辑 X 版式 Y |` in a header or footer credits the page, once per person and role."""
    parsed = page("page_credits")
    assert parsed.credits == [Credit("孔令华", "page_editor"), Credit("沈一帆", "layout_editor")]
    article = only_article("page_credits")
    assert article.bylines == []


def test_web_addresses_beside_page_credits_are_dropped():
    """The web address beside the page credits is not taken for text."""
    article = only_article("page_credits")
    assert not any("www" in p or "http" in p for p in article.paragraphs)
    assert len(article.paragraphs) == 2


# Photos.


def test_photo_credit_with_one_photographer():
    """`X 摄` under a caption makes a photo; the caption is not part of the article."""
    parsed = page("photo_credits")
    photo = parsed.photos[0]
    assert photo.caption == "9月12日，游客在滨江夜市选购特色小吃。"
    assert photo.bylines == [Credit("聂文", "photographer")]
    assert len(parsed.articles[0].paragraphs) == 2


def test_photo_credit_with_two_photographers():
    """`X Y 摄` credits both photographers."""
    photo = page("photo_credits").photos[1]
    assert photo.caption.startswith("9月13日晚")
    assert photo.bylines == [Credit("韩小雨", "photographer"), Credit("邓川", "photographer")]


def test_photo_with_a_title_and_no_credit():
    """A title over a picture caption, with no credit, is a photo with a headline."""
    parsed = page("photo_title")
    assert [article.headline for article in parsed.articles] == ["市民公园菊花展开幕"]
    (photo,) = parsed.photos
    assert photo.headline == "金秋稻浪"
    assert photo.caption.startswith("9月18日")
    assert photo.bylines == []


# Text clean-up.


def test_lines_broken_mid_sentence_are_joined():
    """A line OCR broke in mid-sentence is joined to its continuation."""
    article = only_article("broken_lines")
    assert article.paragraphs[1].endswith("整个工程历时十四个月。")
    assert article.paragraphs[2] == "作为全市重点民生项目,城西水厂于三十年前建成投用。"


def test_lines_broken_mid_word_are_joined():
    """A word OCR split over two lines (国家标/准) is whole again."""
    article = only_article("broken_lines")
    assert article.paragraphs[0].endswith("优于国家标准。")
    assert len(article.paragraphs) == 4


def test_spaces_between_chinese_characters_are_removed():
    """OCR's spaces between Chinese characters go, in the text and in a headline."""
    article = only_article("spaces_widths")
    assert article.headline == "白石村的“共享菜园”"
    assert article.paragraphs[0].startswith("白石村把村头闲置的三亩地改造成“共享菜园”，")


def test_spaces_beside_digits_and_latin_letters_are_kept():
    """A space between a number or a Latin word and Chinese stays; before punctuation it goes."""
    assert "今年已有 36 户参与" in only_article("spaces_widths").paragraphs[0]
    assert only_article("broken_lines").paragraphs[3] == (
        "新设备采用 JIPAD 智能控制系统,可以实时监测 200 多项水质指标。"
    )


def test_full_and_half_width_punctuation_read_alike():
    """Full-width and half-width brackets and colons give the same credits and structure."""
    text = (PAGES / "spaces_widths.txt").read_text("utf-8")
    half = text.translate(str.maketrans("（）：", "():"))
    assert half != text
    full, narrow = parse_page(text), parse_page(half)
    assert narrow.articles[0].bylines == full.articles[0].bylines
    assert narrow.articles[0].source == full.articles[0].source == "云岭县融媒体中心"
    assert len(narrow.articles[0].paragraphs) == len(full.articles[0].paragraphs)


def test_half_width_responsible_editor():
    """`[责任编辑:X]` with a half-width colon reads like the full-width one."""
    text = (PAGES / "editor_breadcrumb.txt").read_text("utf-8").replace(":", "：")
    assert parse_page(text).articles[0].bylines == [Credit("汪晴", "editor")]


# Other papers' and web pages' habits.


def test_page_header_with_date_and_page_name_is_dropped():
    """Header lines such as `第05版:城市新闻` and `2024-05-08` are neither headings nor text."""
    headlines = [article.headline for article in page("comma_headline").articles]
    assert headlines == ["守望相助，共克时艰", "四月居民消费价格温和上涨"]


def test_page_credits_with_a_page_prefix():
    """`本版责编:X 美编:Y` credits the page's editor and layout editor."""
    assert page("comma_headline").credits == [
        Credit("孔令华", "page_editor"),
        Credit("沈一帆", "layout_editor"),
    ]


def test_headline_with_a_comma_before_a_dateline():
    """A short line with a comma, right above a dateline, is the headline after all."""
    article = page("comma_headline").articles[0]
    assert article.headline == "守望相助，共克时艰"
    assert article.dateline == "本报讯"


def test_dateline_credits_without_brackets():
    """`本报讯 记者 X 通讯员 Y 报道:` credits both and leaves the text after the colon."""
    article = page("comma_headline").articles[0]
    assert article.bylines == [Credit("周立行", "reporter"), Credit("韩小雨", "correspondent")]
    assert article.paragraphs[0].startswith("连日来")


def test_jump_and_end_marks_are_removed():
    """`(下转第6版)` and `(完)` are dropped from the text they end."""
    first, second = page("comma_headline").articles
    assert first.paragraphs[-1] == "据统计，全区已走访独居老人一千二百余户。"
    assert second.paragraphs[-1].endswith("同比上涨0.3%。")


def test_text_before_the_first_headline_is_left_out():
    """The end of an article continued from another page, above the first headline, is dropped."""
    parsed = page("comma_headline")
    assert not parsed.photos
    assert not any("最美家庭" in p for article in parsed.articles for p in article.paragraphs)


def test_names_run_together_are_split():
    """Two names OCR ran together (`记者杨乐张桐`) are two reporters."""
    article = page("comma_headline").articles[1]
    assert article.bylines == [Credit("杨乐", "reporter"), Credit("张桐", "reporter")]


def test_web_article_metadata():
    """A web page's `作者:X` credits the author; source, time and share links are dropped."""
    article = only_article("web_article")
    assert article.bylines == [Credit("彭家树", "author"), Credit("汪晴", "editor")]
    assert len(article.paragraphs) == 2
    assert not any("来源" in p or "分享" in p for p in article.paragraphs)


def test_picture_news_with_the_credit_in_brackets():
    """A caption ending in `(新华社记者 X 摄)` under a title is a titled, credited photo."""
    photo = page("photo_stories").photos[0]
    assert photo.headline == "图片新闻"
    assert photo.caption == "5月6日，在云岭县白石村，茶农正在采摘春茶。"
    assert photo.bylines == [Credit("魏思远", "photographer")]


def test_photo_title_with_the_photographer_under_it():
    """A title, `本报记者 X 摄` and one caption are a photo, not a one-paragraph article."""
    parsed = page("photo_stories")
    assert [article.headline for article in parsed.articles] == ["文化惠民演出走进社区"]
    photo = parsed.photos[1]
    assert (photo.headline, photo.caption) == (
        "湿地公园迎来候鸟",
        "5月5日，一群白鹭在城北湿地公园觅食。",
    )
    assert photo.bylines == [Credit("聂文", "photographer")]


def test_credits_in_a_dated_header_and_in_footers():
    """Credits in a dated header line and in footers (`编辑:X 校对:Y`) credit the page, once."""
    assert page("footer_credits").credits == [
        Credit("李书文", "page_editor"),
        Credit("祝晓", "layout_editor"),
    ]
    assert len(only_article("footer_credits").paragraphs) == 2


def test_photo_report_credit():
    """`记者 X 摄影报道` under a caption credits X as the photographer."""
    (photo,) = page("footer_credits").photos
    assert photo.caption == "5月8日，救援队员在演练中转移“受困群众”。"
    assert photo.bylines == [Credit("柏青", "photographer")]


def test_editorial_byline_and_jump_line_are_dropped():
    """`本报评论员` names no one and `下转第2版` on its own line is no text: both are left out."""
    article = only_article("editorial")
    assert article.headline == "守住安全生产底线"
    assert article.bylines == []
    assert article.paragraphs[-1] == "各级各部门要把责任压实到每一个环节，决不让隐患变成事故。"
    assert len(article.paragraphs) == 2


# The command-line driver.


def test_main_prints_the_json_document(capsys):
    """`python -m articles.pageparser PAGE` prints the document as UTF-8 JSON."""
    assert main([str(PAGES / "syndicated.txt")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == page("syndicated").as_dict()


def test_main_reports_bad_input(tmp_path, capsys):
    """A bad file gets a message on stderr and exit status 1, and nothing on stdout."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main([str(empty)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "empty" in captured.err
