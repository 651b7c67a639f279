"""Probe of the page parser on newly written pages: conventions of real Chinese newspapers
that the project's corpus does not vary (see FORMAT.md). Each test is a minimal page and the
JSON document a careful editor would expect from it; these tests were written to fail."""

from __future__ import annotations

import pytest

from articles.pageparser import NoArticleError, parse_page

PARK = "城区新增三处口袋公园"
P1 = "今年以来，市园林部门利用边角地、闲置地，在城区新建了三处口袋公园，方便市民就近休闲。"
P2 = "新建公园总面积约1.5万平方米，配套建设了健身步道和儿童游乐设施。"


def article(headline, paragraphs, **fields):
    out = {
        "kicker": "",
        "headline": headline,
        "subheadline": "",
        "dateline": "",
        "source": "",
        "syndicated_from": "",
        "bylines": [],
        "crossheads": [],
        "paragraphs": list(paragraphs),
    }
    out.update(fields)
    return out


def photo(caption, *names, headline=""):
    return {"headline": headline, "caption": caption, "bylines": by(*names, role="photographer")}


def by(*names, role):
    return [{"name": name, "role": role} for name in names]


def document(articles, photos=(), credits=()):
    return {"credits": list(credits), "articles": list(articles), "photos": list(photos)}


def parsed(text):
    return parse_page(text).as_dict()


# Datelines.


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("【本报讯】", "本报讯"),
        ("【新华社北京3月5日电】", "新华社北京3月5日电"),
    ],
)
def test_dateline_in_square_brackets(opening, dateline):
    """A dateline printed in 【】 (`【本报讯】`) is the dateline, stored without brackets
    (FORMAT.md: “dateline … without brackets”), and not the start of the body."""
    text = f"{PARK}\n\n{opening}{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], dateline=dateline)])


def test_dateline_without_a_date():
    """`本报北京电（记者 X）` — the paper's own dateline with a place and no date — is a dateline
    with a reporter's byline, like `本报北京3月5日电（记者 X）`."""
    text = f"{PARK}\n\n本报北京电（记者 陈晨）{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2], dateline="本报北京电", bylines=by("陈晨", role="reporter"))]
    )


@pytest.mark.parametrize(
    "credits",
    [
        "记者 林小燕 通讯员 黄志强 ",
        "记者林小燕 通讯员黄志强 ",
        "\u3000记者\u3000林小燕\u3000通讯员\u3000黄志强\u3000\u3000",
    ],
)
def test_unbracketed_credits_after_dateline(credits):
    """`本报讯 记者 X 通讯员 Y 正文…`: credits after the dateline without brackets (or 报道)
    are bylines; they are not glued to the first paragraph (“记者林小燕通讯员黄志强今年以来”)."""
    text = f"{PARK}\n\n本报讯 {credits}{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [
            article(
                PARK,
                [P1, P2],
                dateline="本报讯",
                bylines=by("林小燕", role="reporter") + by("黄志强", role="correspondent"),
            )
        ]
    )


def test_reporter_reports_at_start_of_paragraph():
    """`记者 X 报道：正文…` opening the first paragraph credits the reporter; the credit is
    not body text (FORMAT.md: credits are not part of the body)."""
    text = f"{PARK}\n\n记者 陈晨 报道：{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], bylines=by("陈晨", role="reporter"))])


# Sources.


def test_inline_laiyuan_bracket_leaves_no_stray_bracket():
    """`…。（来源：X）` at the end of an article is a credit: the body keeps no lone `（`.
    (FORMAT.md does not say whether 来源 is a `source`, so only the body is checked.)"""
    last = "演练中，消防员现场讲解了灭火器的使用方法。"
    first = "3月20日，阳光社区开展消防安全应急演练。"
    text = f"社区开展消防安全演练\n\n{first}\n\n{last}（来源：市应急管理局）\n"
    (got,) = parsed(text)["articles"]
    assert got["paragraphs"] == [first, last]


def test_source_with_slash_before_gonggao():
    """`（X / 供稿）` supplies source X, without the slash."""
    text = f"{PARK}\n\n{P1}\n\n{P2}（市园林局 / 供稿）\n"
    assert parsed(text) == document([article(PARK, [P1, P2], source="市园林局")])


# Article bylines.


def test_byline_benbao_teyue_correspondent():
    """`本报特约通讯员 X` is a correspondent's byline, not the headline (the real headline
    above it must not become a kicker)."""
    text = f"{PARK}\n\n本报特约通讯员 王大伟\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2], bylines=by("王大伟", role="correspondent"))]
    )


def test_byline_name_slash_wen_name_slash_tu():
    """`X/文 Y/图` credits X for the text (author) and Y for the pictures (photographer); no
    name “文马骏图”."""
    text = f"{PARK}\n\n张晓/文 马骏/图\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [
            article(
                PARK,
                [P1, P2],
                bylines=by("张晓", role="author") + by("马骏", role="photographer"),
            )
        ]
    )


def test_byline_wen_with_spaced_slash():
    """`文 / X` is X's author credit; the name is X, not “文X”."""
    text = f"{PARK}\n\n文 / 张晓\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], bylines=by("张晓", role="author"))])


# Photo credits.


@pytest.mark.parametrize("label", ["本报记者", "记者", "通讯员", "新华社记者"])
def test_caption_credit_with_a_role_word(label):
    """`caption。 本报记者 X 摄` at the end of a caption line: X is the photographer and the
    label (本报记者, 通讯员, 新华社记者) is not left at the end of the caption."""
    caption = "3月12日，市民在新建成的口袋公园内休憩。"
    text = f"{PARK}\n\n{P1}\n\n{P2}\n\n{caption} {label} 王磊 摄\n"
    assert parsed(text) == document([article(PARK, [P1, P2])], [photo(caption, "王磊")])


def test_caption_credit_agency_with_photographer():
    """`caption。 新华社发（X 摄）`: X is the photographer; “新华社发” is not caption text."""
    caption = "4月2日，游客在郊野公园的郁金香花海中拍照留念。"
    text = f"{PARK}\n\n{P1}\n\n{P2}\n\n{caption} 新华社发（李华 摄）\n"
    assert parsed(text) == document([article(PARK, [P1, P2])], [photo(caption, "李华")])


def test_caption_credit_two_photographers_on_the_caption_line():
    """`caption。 X Y 摄` on the caption's line credits both X and Y, as it does on a line of
    its own (`李炜 张扩 摄` in the shared pages)."""
    caption = "4月3日，市民在植物园赏花。"
    text = f"{PARK}\n\n{P1}\n\n{P2}\n\n{caption} 周明 王丽 摄\n"
    assert parsed(text) == document([article(PARK, [P1, P2])], [photo(caption, "周明", "王丽")])


def test_caption_credit_tu_slash_on_the_caption_line():
    """`图为…。 图/X` ends a caption with X's photo credit."""
    caption = "图为市民在新建成的口袋公园内休憩。"
    text = f"{PARK}\n\n{P1}\n\n{P2}\n\n{caption} 图/王磊\n"
    assert parsed(text) == document([article(PARK, [P1, P2])], [photo(caption, "王磊")])


def test_caption_between_paragraphs_of_an_article():
    """A caption with `本报记者 X 摄` between two paragraphs is a photo: it is not joined with
    the next paragraph (“…技艺。本报记者改造工程…”), as it is not with `X 摄` on its own line."""
    caption = "5月12日，游客在老街一家非遗工坊体验扎染技艺。"
    first = "初夏时节，漫步在古城老街，青石板路干净整洁，两侧店铺错落有致，游客络绎不绝。"
    second = "改造工程于去年9月启动，共修缮老建筑42栋，新增绿地3000平方米。"
    text = f"老街焕新颜\n\n本报记者 吴丹\n\n{first}\n\n{caption} 本报记者 吴丹 摄\n\n{second}\n"
    assert parsed(text) == document(
        [article("老街焕新颜", [first, second], bylines=by("吴丹", role="reporter"))],
        [photo(caption, "吴丹")],
    )


def test_photo_credit_sheying_baodao_before_the_name():
    """`摄影报道 X` under a titled caption credits X as the photographer; it is not the kicker
    of the next article."""
    caption = "4月2日，游客在郊野公园的郁金香花海中拍照留念。"
    text = f"春日花海引客来\n\n{caption}\n\n摄影报道 刘旭\n\n{PARK}\n\n{P1}\n"
    assert parsed(text) == document(
        [article(PARK, [P1])], [photo(caption, "刘旭", headline="春日花海引客来")]
    )


def test_photo_credit_tu_slash_reporter():
    """`图/本报记者 X` under a titled caption is X's photo credit: a photo, not an article with
    a reporter."""
    caption = "9月20日，农民在田间收割水稻。秋分时节，各地农民抢抓晴好天气收获秋粮。"
    text = f"金色田野\n\n{caption}\n\n图/本报记者 郑丽\n\n{PARK}\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2])], [photo(caption, "郑丽", headline="金色田野")]
    )


def test_page_with_only_photos():
    """A picture page (only titled captions, each with its photographer) gives its photos
    and no article, rather than being refused with NoArticleError: FORMAT.md does not say a
    page must have an article."""
    text = (
        "春日花海\n\n4月2日，游客在郊野公园的郁金香花海中拍照留念。\n\n本报记者 刘旭 摄\n\n"
        "滨江风筝节\n\n3月30日，小朋友在滨江公园放风筝。\n\n周明 摄\n"
    )
    assert parsed(text) == document(
        [],
        [
            photo("4月2日，游客在郊野公园的郁金香花海中拍照留念。", "刘旭", headline="春日花海"),
            photo("3月30日，小朋友在滨江公园放风筝。", "周明", headline="滨江风筝节"),
        ],
    )


# Headings.


def test_crossheads_in_square_brackets():
    """`【小标题】` lines inside an article are crossheads, not headlines of one-paragraph
    articles."""
    lead = "近年来，我市把数字化转型作为推动制造业高质量发展的关键一招。"
    one = "市工信局出台专项扶持政策，对企业上云给予最高50万元补贴。"
    two = "依托工业互联网平台，龙头企业带动上下游300余家配套企业实现数据互通。"
    text = (
        f"我市制造业数字化转型跑出“加速度”\n\n——智能工厂累计建成36家\n\n本报讯 {lead}\n\n"
        f"【政策引导 企业上云】\n\n{one}\n\n【平台赋能 链上协同】\n\n{two}\n"
    )
    (got,) = parsed(text)["articles"]
    assert got["crossheads"] in (
        ["政策引导 企业上云", "平台赋能 链上协同"],
        ["【政策引导 企业上云】", "【平台赋能 链上协同】"],
    )
    assert got["paragraphs"] == [lead, one, two]


def test_headline_with_comma_broken_across_two_lines():
    """A headline with a comma that OCR broke over two lines is one headline: its first half
    is not the last paragraph of the article before."""
    prev = [
        "连日来，全县各乡镇抢抓农时，组织农机手开展春耕作业。",
        "据了解，今年全县计划投入各类农机具1.2万台套。",
    ]
    text = (
        f"春耕时节农机忙\n\n本报讯 {prev[0]}\n\n{prev[1]}\n\n"
        f"城区新增三处口袋公园，市民家门口\n多了休闲好去处\n\n本报讯（记者 林小燕）{P1}\n\n{P2}\n"
    )
    got = parsed(text)
    assert [a["headline"].replace(" ", "") for a in got["articles"]] == [
        "春耕时节农机忙",
        "城区新增三处口袋公园，市民家门口多了休闲好去处",
    ]
    assert got["articles"][0]["paragraphs"] == prev


# Page credits.


@pytest.mark.parametrize(
    ("line", "credits"),
    [
        ("编辑：周丽　审核：马东　终审：张强", [("周丽", "page_editor")]),
        ("■编辑 周丽 ■美编 赵强 ■校对 钱多", [("周丽", "page_editor"), ("赵强", "layout_editor")]),
        ("编辑：周丽 版式：赵强 责校：钱多", [("周丽", "page_editor"), ("赵强", "layout_editor")]),
    ],
)
def test_page_credit_line_with_other_roles(line, credits):
    """A page header with roles FORMAT.md does not keep (审核, 终审, 责校) or with ■ between the
    credits still credits the page's editors; it is not the first article's kicker."""
    text = f"{line}\n\n{PARK}\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2])],
        credits=[{"name": name, "role": role} for name, role in credits],
    )


def test_a_stray_line_is_still_no_page():
    """Without a photographer's credit a lone line that reads as a caption is no picture
    page: the text is refused as before."""
    with pytest.raises(NoArticleError):
        parse_page("㐀讯")
    with pytest.raises(NoArticleError):
        parse_page("春日花海\n\n4月2日，游客在郊野公园的郁金香花海中拍照留念。\n")


# Second round: closing notes.


@pytest.mark.parametrize(
    "note", ["（作者系市社会科学院研究员）", "（作者单位：市社会科学院）", "（综合新华社、人民网）"]
)
def test_closing_note_in_brackets_stays_in_the_body(note):
    """A bracketed note closing an article that is no credit FORMAT.md keeps (the author's
    affiliation, the outlets it was compiled from) stays in the body: it is not a crosshead
    with nothing under it, which is dropped."""
    text = f"{PARK}\n\n{P1}\n\n{P2}\n\n{note}\n"
    assert parsed(text) == document([article(PARK, [P1, P2, note])])


def test_closing_note_in_brackets_before_the_next_article():
    """The same note with another article after it is not that article's kicker: titles are
    not set in round brackets."""
    note = "（作者系市社会科学院研究员）"
    lead = "连日来，各地农民抢抓农时，开展春耕备耕。"
    text = f"{PARK}\n\n{P1}\n\n{note}\n\n春耕备耕正当时\n\n本报讯 {lead}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, note]), article("春耕备耕正当时", [lead], dateline="本报讯")]
    )


# Second round: sources.


@pytest.mark.parametrize("label", ["本文来源", "文章来源"])
def test_source_with_this_article_label(label):
    """`（本文来源：X）` closing an article is its source X, like `（来源：X）`; no `（本文` is
    left at the end of the body."""
    text = f"{PARK}\n\n{P1}\n\n{P2}（{label}：学习强国）\n"
    assert parsed(text) == document([article(PARK, [P1, P2], source="学习强国")])


# Second round: openers that act as datelines.


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("本报综合消息 ", "本报综合消息"),
        ("央视网消息：", "央视网消息"),
        ("人民网消息 ", "人民网消息"),
        ("新华网北京3月5日电 ", "新华网北京3月5日电"),
        ("据新华社电 ", "据新华社电"),
        ("据新华社北京3月5日电 ", "据新华社北京3月5日电"),
    ],
)
def test_news_opener_is_a_dateline(opening, dateline):
    """`本报综合消息`, `X网消息：`, `据新华社电` open a story as `本报讯` does: the dateline, not
    the first words of the body (“本报综合消息今年以来…”)."""
    text = f"{PARK}\n\n{opening}{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], dateline=dateline)])


def test_according_to_an_outlet_stays_in_the_body():
    """`据新华社消息，…` says where the story was taken from, in a sentence: it is no dateline
    and stays in the body (FORMAT.md reads syndication only from `（据《X》）`)."""
    first = "据新华社消息，" + P1
    text = f"{PARK}\n\n{first}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [first, P2])])


# Second round: credits.


@pytest.mark.parametrize("credits", ["本报记者 陈晨 ", "记者 陈晨 通讯员 黄志强 "])
def test_inline_credits_without_dateline(credits):
    """`本报记者 X 正文…` opening the first paragraph with no dateline and no 报道 credits X;
    the credit is not glued to the body (“本报记者陈晨今年以来…”)."""
    text = f"{PARK}\n\n{credits}{P1}\n\n{P2}\n"
    expected = by("陈晨", role="reporter")
    if "通讯员" in credits:
        expected += by("黄志强", role="correspondent")
    assert parsed(text) == document([article(PARK, [P1, P2], bylines=expected)])


def test_reporter_mentioned_in_a_later_paragraph_stays_in_the_body():
    """A later paragraph that opens with “记者 X” (the reporter doing something in the story)
    is body text, credits and all."""
    later = "记者 陈晨 在现场看到，不少市民正在新建的健身步道上散步。"
    text = f"{PARK}\n\n{P1}\n\n{later}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, later.replace(" ", ""), P2])])


@pytest.mark.parametrize(
    ("line", "writer"),
    [
        ("文/图 本报记者 吴丹", "reporter"),
        ("本报记者 吴丹 文/图", "reporter"),
        ("吴丹 文/图", "author"),
    ],
)
def test_text_and_pictures_credit(line, writer):
    """`文/图` credits one person for the text and the pictures, before or after the name and
    with a title or none: the writer (a reporter when the title says so) and the photographer,
    never a name with the label in it (“吴丹文”)."""
    text = f"{PARK}\n\n{line}\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [
            article(
                PARK,
                [P1, P2],
                bylines=by("吴丹", role=writer) + by("吴丹", role="photographer"),
            )
        ]
    )


@pytest.mark.parametrize("name", ["古丽米拉", "阿依古丽", "斯琴高娃", "哈斯巴根"])
def test_transliterated_name_is_one_name(name):
    """A Uyghur or Mongolian name of four characters (`古丽米拉`, `斯琴高娃`) is one person,
    though both halves start with a character that is a family name: not two run-together
    names (“古丽”, “米拉”)."""
    text = f"{PARK}\n\n本报记者 {name}\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], bylines=by(name, role="reporter"))])


def test_two_han_names_run_together_are_still_two():
    """Two Han names OCR ran together (`杨乐张桐`) are still two reporters."""
    text = f"{PARK}\n\n本报记者 杨乐张桐\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2], bylines=by("杨乐", "张桐", role="reporter"))]
    )


# Second round: photos.


@pytest.mark.parametrize("mark", ["（资料图片）", "（新华社发）", "（市园林局供图）"])
def test_caption_closed_by_a_credit_naming_no_one(mark):
    """A caption between two paragraphs closed by `（资料图片）` or `（新华社发）` is a photo
    with no photographer, as one closed by `X 摄` is: not a paragraph of the article."""
    caption = "3月4日，农技人员在田间指导农民施肥。"
    first = "连日来，各地农民抢抓农时，开展春耕备耕。"
    second = "农技人员深入田间地头，指导农民科学施肥。"
    text = f"春耕备耕正当时\n\n本报讯 {first}\n\n{caption}{mark}\n\n{second}\n"
    assert parsed(text) == document(
        [article("春耕备耕正当时", [first, second], dateline="本报讯")], [photo(caption)]
    )


# Second round: letters.


def test_letter_salutation_is_no_page_editor():
    """A reader's letter opens `编辑同志：`: a salutation, not a page credit for an editor named
    同志. It stays in the body (whether as its own paragraph FORMAT.md does not say)."""
    letter = "我是阳光小区的居民，小区建成已有二十年，车位严重不足。"
    text = f"小区停车难何时解决\n\n编辑同志：\n\n{letter}\n\n希望有关部门能尽快想办法解决。\n"
    got = parsed(text)
    assert got["credits"] == []
    (letter_article,) = got["articles"]
    assert "".join(letter_article["paragraphs"]).startswith("编辑同志：我是阳光小区")


# Second round: paragraphs.


@pytest.mark.parametrize("between", ["\n", "\n\n"])
def test_numbered_items_are_paragraphs(between):
    """A numbered list after a line ending with a colon: each item (`1.` `2.`) is a paragraph
    of its own, not joined to the line that introduces the list."""
    intro = "今年，市农业农村局重点抓好以下工作："
    items = ["1.加强农资市场监管，确保农资质量安全。", "2.组织农技人员下乡，开展技术指导。"]
    text = f"春耕备耕正当时\n\n本报讯 {intro}{between}{between.join(items)}\n"
    assert parsed(text) == document([article("春耕备耕正当时", [intro, *items], dateline="本报讯")])


def test_decimal_at_line_start_still_joins():
    """A line OCR broke before a decimal (`1.5万`) goes on with the sentence: it is no item."""
    first = "今年以来，全市新建口袋公园总面积约"
    rest = "1.5万平方米，配套建设了健身步道和儿童游乐设施。"
    text = f"{PARK}\n\n{first}\n{rest}\n"
    assert parsed(text) == document([article(PARK, [first + rest])])


@pytest.mark.parametrize("between", ["\n", "\n\n"])
def test_speaker_after_a_quote_closes_its_paragraph(between):
    """`“…一番。”` then `某负责人说。` on the next line is one paragraph: a line that only
    says who spoke is never a paragraph of its own."""
    quote = "“我们希望市民出门走几步，就能到公园里休闲一番。”"
    said = "市园林局负责人说。"
    text = f"{PARK}\n\n{P1}\n\n{quote}{between}{said}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, quote + said, P2])])


@pytest.mark.parametrize("opening", ["【通讯员 黄志强】", "（通讯员 黄志强）"])
def test_bracketed_credits_open_the_first_paragraph(opening):
    """`【通讯员 X】正文…` with no dateline before the bracket credits X, as `本报讯【通讯员 X】`
    does; the bracket is not the body's first words."""
    text = f"{PARK}\n\n{opening}{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2], bylines=by("黄志强", role="correspondent"))]
    )


@pytest.mark.parametrize("opening", ["据《北京日报》报道 ", "据《北京日报》报道，"])
def test_according_to_a_paper_in_the_first_sentence_is_text(opening):
    """`据《X》报道，正文…` opens a sentence of the body: it is not a closing credit line (which
    left the page with no article at all); the sentence stays whole in the body."""
    first = opening + P1
    text = f"{PARK}\n\n{first}\n\n{P2}\n"
    (got,) = parsed(text)["articles"]
    assert got["paragraphs"] == [first.replace(" ", ""), P2]


@pytest.mark.parametrize("column", ["记者手记", "记者蹲点"])
def test_reporters_column_heading_is_no_byline(column):
    """`■记者手记` inside an article heads the reporter's note: a crosshead, not a byline for a
    reporter named 手记. (Without the mark it may as well head a sidebar of its own.)"""
    note = "公园建好了，更要管好。希望有关部门建立长效管护机制。"
    text = f"{PARK}\n\n本报讯 {P1}\n\n{P2}\n\n■{column}\n\n{note}\n"
    assert parsed(text) == document(
        [article(PARK, [P1, P2, note], dateline="本报讯", crossheads=[column])]
    )


def test_editors_note_before_the_dateline():
    """`编者按：…` under the headline, then `本报讯 正文…`: the note stays in the body (FORMAT.md
    has no field for it) and 本报讯 is still the dateline, not “本报讯今年以来…” in the body."""
    note = "编者按：口袋公园虽小，却关系民生。本报今起推出系列报道，敬请关注。"
    text = f"{PARK}\n\n{note}\n\n本报讯 {P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [note, P1, P2], dateline="本报讯")])


def test_numbered_picture_captions_after_an_article():
    """Captions opened by a picture's number (`图①：`, `图②：`) after an article are photos,
    not the article's last paragraphs; “如图2所示” in a paragraph is still text."""
    one = "图①：3月12日，市民在新建成的口袋公园内休憩。"
    two = "图②：3月13日，孩子们在口袋公园里玩耍。"
    body = "新建公园的布局如图2所示，步道环绕中心草坪。"
    text = f"{PARK}\n\n本报讯 {P1}\n\n{body}\n\n{one}\n\n{two}\n\n本报记者 吴丹 摄\n"
    got = parsed(text)
    assert got["articles"] == [article(PARK, [P1, body], dateline="本报讯")]
    assert [p["caption"] for p in got["photos"]] == [one, two]


def test_interview_question_is_no_crosshead():
    """In an interview set as dialogue, a short question (`记者：下一步应该怎么做？`) is a
    paragraph like the others, not a crosshead."""
    lines = [
        "记者：请您谈谈口袋公园建设的意义。",
        "王建国：口袋公园是城市更新的重要内容，关系群众切身利益。",
        "记者：下一步应该怎么做？",
        "王建国：要因地制宜，做好长期管护。",
    ]
    text = "政协委员谈口袋公园\n\n" + "\n\n".join(lines) + "\n"
    assert parsed(text) == document([article("政协委员谈口袋公园", lines)])


@pytest.mark.parametrize("line", ["文字：林小燕 摄影：吴丹", "文字/林小燕 图片/吴丹"])
def test_text_and_photo_labels_closing_an_article(line):
    """`文字：X 摄影：Y` closing an article credits X for the text and Y for the pictures: it
    is not a caption “文字：X” with Y's photo credit."""
    text = f"{PARK}\n\n本报讯 {P1}\n\n{P2}\n\n{line}\n"
    assert parsed(text) == document(
        [
            article(
                PARK,
                [P1, P2],
                dateline="本报讯",
                bylines=by("林小燕", role="author") + by("吴丹", role="photographer"),
            )
        ]
    )


@pytest.mark.parametrize("heading", ["■相关链接", "■延伸阅读", "■小贴士"])
def test_sidebar_heading_is_a_crosshead(heading):
    """`■相关链接` over a sidebar inside an article is a crosshead, not a name (相 is a family
    name) read as body text and joined with the next paragraph (“相关链接口袋公园是指…”)."""
    aside = "口袋公园是指规模很小的城市开放空间。"
    text = f"{PARK}\n\n本报记者 王磊\n\n{P1}\n\n{P2}\n\n{heading}\n\n{aside}\n"
    assert parsed(text) == document(
        [
            article(
                PARK,
                [P1, P2, aside],
                bylines=by("王磊", role="reporter"),
                crossheads=[heading.lstrip("■")],
            )
        ]
    )


# Second round: OCR line breaks.


def test_dateline_credits_broken_across_lines():
    """`本报讯（记者 X 通讯员` / `Y）正文…`: OCR broke the line inside the bracket; the credits
    are still bylines and the bracket is not left in the body."""
    text = f"{PARK}\n\n本报讯（记者 林小燕 通讯员\n黄志强）{P1}\n\n{P2}\n"
    assert parsed(text) == document(
        [
            article(
                PARK,
                [P1, P2],
                dateline="本报讯",
                bylines=by("林小燕", role="reporter") + by("黄志强", role="correspondent"),
            )
        ]
    )


def test_bracket_broken_across_lines_in_the_body():
    """A bracket OCR broke over two lines of a paragraph is joined as the paragraph is."""
    first = "市园林局（以下简称"
    rest = "“园林局”）今年新建了三处口袋公园。"
    text = f"{PARK}\n\n{P1}\n\n{first}\n{rest}\n"
    assert parsed(text) == document([article(PARK, [P1, first + rest])])


# Second round: text.


@pytest.mark.parametrize(
    "sentence",
    [
        "市民可登录www.example.gov.cn查询公园位置。",
        "市民可登录 http://www.example.gov.cn 查询公园位置。",
    ],
)
def test_web_address_in_a_sentence_stays(sentence):
    """A web address in a sentence of the body is part of what it says: neither it nor the
    Chinese words after it (“查询公园位置”) are taken out as a web page's link. (Spaces beside
    Latin letters are kept, as everywhere in the body.)"""
    text = f"{PARK}\n\n{P1}\n\n{sentence}\n"
    (got,) = parsed(text)["articles"]
    assert got["paragraphs"] == [P1, sentence]


@pytest.mark.parametrize("mark", ["（未完待续）", "（待续）", "（完）"])
def test_serial_end_mark_is_not_text(mark):
    """`（未完待续）` closing a serial's part is an end mark like `（完）`: not a paragraph, on
    its own line or at the end of the last one."""
    for text in (f"{PARK}\n\n{P1}\n\n{P2}\n\n{mark}\n", f"{PARK}\n\n{P1}\n\n{P2}{mark}\n"):
        assert parsed(text) == document([article(PARK, [P1, P2])])


def test_numbers_in_round_brackets_are_still_headings():
    """A part number in round brackets under a headline (`（二）`) is still part of the title,
    and `（一）` alone on a line inside an article is still a crosshead: only a note in
    brackets (see above) is text."""
    series = "全区司法行政系统抗疫实录"
    text = f"{series}\n（二）\n\n本报讯 {P1}\n\n（一）\n\n{P2}\n"
    assert parsed(text) == document(
        [article(f"{series} （二）", [P1, P2], dateline="本报讯", crossheads=["（一）"])]
    )


@pytest.mark.parametrize("contact", ["咨询电话：0471-6543210", "服务热线：12345678"])
def test_telephone_line_ends_the_article_before_the_next(contact):
    """A telephone number closing an article (`咨询电话：0471-6543210`) is its last line, not
    the kicker of the next article's headline."""
    lead = "连日来，各地农民抢抓农时，开展春耕备耕。"
    text = f"{PARK}\n\n本报讯 {P1}\n\n{contact}\n\n春耕备耕正当时\n\n本报讯 {lead}\n"
    assert parsed(text) == document(
        [
            article(PARK, [P1, contact], dateline="本报讯"),
            article("春耕备耕正当时", [lead], dateline="本报讯"),
        ]
    )


@pytest.mark.parametrize("credit", ["新华社发 王磊 摄", "（新华社发 王磊 摄）"])
def test_caption_credit_agency_then_photographer(credit):
    """`caption。新华社发 X 摄`: X is the photographer and the agency that sent the picture is
    part of the credit, not left at the end of the caption (as in 新华社发（X 摄）)."""
    caption = "3月12日，市民在新建成的口袋公园内休憩。"
    text = f"{PARK}\n\n本报讯 {P1}\n\n{caption}{credit}\n"
    assert parsed(text) == document(
        [article(PARK, [P1], dateline="本报讯")], [photo(caption, "王磊")]
    )


@pytest.mark.parametrize(
    "source", ["\n（图片由市园林局提供）", " 受访者供图", " 资料图片", "新华社发"]
)
def test_caption_closed_by_where_the_picture_came_from(source):
    """A caption closed by where its picture came from, naming no photographer (`图片由X提供`
    on the next line, ` 受访者供图` or `新华社发` at the end of its line), is a photo with no
    byline: the mark is not left in the caption and the caption is no paragraph."""
    caption = "3月12日，市民在新建成的口袋公园内休憩。"
    text = f"{PARK}\n\n本报讯 {P1}\n\n{caption}{source}\n"
    assert parsed(text) == document([article(PARK, [P1], dateline="本报讯")], [photo(caption)])


def test_according_to_an_agency_without_dateline_stays_in_the_body():
    """`据新华社 记者从…获悉` (no 电) is the body's first sentence: no dateline and no
    syndicated_from are made up from it; only the stray space goes."""
    first = "据新华社 记者从市园林局获悉，今年以来全市新建了三处口袋公园。"
    text = f"{PARK}\n\n{first}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [first.replace(" ", ""), P2])])


def test_letter_signed_by_its_reader():
    """A reader's letter signed `读者 X` on its last line credits X as its author (FORMAT.md:
    a name alone on the last line); “读者朋友们” in the text is no credit."""
    first = "读者朋友们：我是阳光小区的居民，小区车位严重不足。"
    last = "希望有关部门能尽快想办法解决。"
    text = f"小区停车难何时解决\n\n{first}\n\n{last}\n\n读者 王建华\n"
    assert parsed(text) == document(
        [article("小区停车难何时解决", [first, last], bylines=by("王建华", role="author"))]
    )


@pytest.mark.xfail(
    strict=True,
    reason="来源：X alone on a line is read as a web page's metadata field (furniture) before "
    "the decoder sees it; telling a closing source from the metadata under a web page's "
    "headline (expected to be dropped in the corpus) needs the line's position",
)
def test_unbracketed_source_closing_an_article():
    """`来源：X` as the last line of an article is its source X, as `（来源：X）` is; it is
    not dropped."""
    text = f"{PARK}\n\n{P1}\n\n{P2}\n\n来源：人民日报\n"
    assert parsed(text) == document([article(PARK, [P1, P2], source="人民日报")])


@pytest.mark.parametrize(
    "meta", ["文章来源：学习强国", "文章来源：学习强国　发布时间：2026-03-05 10:20"]
)
def test_web_metadata_with_article_source_label(meta):
    """A web page's `文章来源：X` under the headline is metadata like `来源：X`: no author named
    文章 is made of what is left of it."""
    text = f"首页 > 要闻 > 正文\n{PARK}\n{meta}\n{P1}\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2])])


# Reading rules widened for credits and datelines must leave ordinary body text alone.


@pytest.mark.parametrize(
    "first",
    [
        "记者近日报道，城区新建了三处口袋公园。",
        "记者曾多次报道，城区停车难的问题。",
        "记者张华在此前的报道中提到，城区停车难。",
    ],
)
def test_reported_in_a_sentence_is_body_text(first):
    """`记者近日报道，…`, `记者曾多次报道，…`, `记者张华在此前的报道中提到…` opening a paragraph
    with no dateline must stay body text: 近日, 曾多次, 张华在此前的 are no reporters. Only
    the role word, names and 报道 as the line's opening clause (`记者 陈晨 报道：`) credit one."""
    text = f"{PARK}\n\n{first}\n\n{P1}\n"
    assert parsed(text) == document([article(PARK, [first, P1])])


def test_reported_opening_clause_without_dateline_still_credits():
    """`记者 陈晨 报道：…` opening the first paragraph still credits its reporter."""
    text = f"{PARK}\n\n记者 陈晨 报道：{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], bylines=by("陈晨", role="reporter"))])


@pytest.mark.parametrize("headline", ["二审宣判 维持原判", "终审判决 尘埃落定", "签发 新规"])
def test_review_words_in_a_headline_are_no_credit(headline):
    """A headline opened by 二审, 终审 or 签发 (court news, a new rule) must stay a headline:
    those words label credits only on a page's credit line, not in an article's title."""
    text = f"{headline}\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(headline, [P1, P2])])


@pytest.mark.parametrize(
    "first", ["本报收到读者来电：城区停车难。", "新华社发来贺电：祝贺大会召开。"]
)
def test_call_or_telegram_received_is_no_dateline(first):
    """`本报收到读者来电：…` and `新华社发来贺电：…` must stay body text: 来电 and 贺电 are a
    call and a telegram, not the 电 of a dateline."""
    text = f"{PARK}\n\n{first}\n\n{P1}\n"
    assert parsed(text) == document([article(PARK, [first, P1])])


@pytest.mark.parametrize(
    "line", ["今年全市降水偏少，详见下图：月度降水量", "全市降水分布情况如图：东多西少"]
)
def test_figure_reference_in_the_text_is_no_photo_credit(line):
    """`…详见下图：月度降水量` and `…分布情况如图：东多西少` must stay body text: 图 inside a
    word is no photo label, and 月度降水量 or 东多西少 is no photographer."""
    text = f"{PARK}\n\n{P1}\n\n{line}\n"
    assert parsed(text) == document([article(PARK, [P1, line])])


@pytest.mark.parametrize(
    "body",
    [
        "张家港市 昨天举行口袋公园建设现场会。",
        "高新区 昨天举行口袋公园建设现场会。",
        "金秋 时节，城区新建的三处口袋公园迎来游客。",
        "黄河 水位持续上涨，沿岸各县加强巡查。",
    ],
)
def test_body_word_after_unbracketed_reporter(body):
    """`本报讯 记者 王磊 张家港市 昨天…` (or 高新区, 金秋 时节, 黄河 水位): the word after the
    reporter's name must stay body text, not become a second reporter."""
    text = f"{PARK}\n\n本报讯 记者 王磊 {body}\n\n{P2}\n"
    result = parsed(text)
    assert result["articles"][0]["bylines"] == by("王磊", role="reporter")
    assert result["articles"][0]["paragraphs"][0].replace(" ", "") == body.replace(" ", "")


def test_unbracketed_reporters_still_read_together():
    """`本报讯 记者 王磊 李四 正文…`: a second name followed by body text is still a reporter
    when the name after the first is followed by another name or role word."""
    text = f"{PARK}\n\n本报讯 记者 王磊 李四 通讯员 黄志强 {P1}\n\n{P2}\n"
    result = parsed(text)
    assert result["articles"][0]["bylines"] == by("王磊", "李四", role="reporter") + by(
        "黄志强", role="correspondent"
    )
    assert result["articles"][0]["paragraphs"] == [P1, P2]


@pytest.mark.parametrize("names", ["王磊、李四", "王磊 李四"])
def test_names_with_an_explicit_separator_are_strong(names):
    """`王磊、李四` alone on a line is a strong name reading: 、 (or a space) separates the names
    explicitly, unlike 金色田野, split only because both halves start with family names."""
    from articles.pageparser.reading import read_line

    assert read_line(names).strong_name
    assert not read_line("金色田野").strong_name


@pytest.mark.parametrize(
    "first",
    [
        "【记者现场】今年以来，城区新增公园三处。",
        "【记者探营】今年以来，城区新增公园三处。",
        "【记者一线行】今年以来，城区新增公园三处。",
        "【通讯员来稿】今年以来，城区新增公园三处。",
        "【记者纪实】今年以来，城区新增公园三处。",
    ],
)
def test_column_name_in_brackets_is_no_credit(first):
    """`【记者现场】正文…` (or 记者探营, 记者一线行, 通讯员来稿, 记者纪实) opening the first
    paragraph with no dateline must stay body text: the column's name is no reporter's."""
    text = f"{PARK}\n\n{first}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [first, P2])])


@pytest.mark.parametrize(
    "first", ["记者 王磊 看到，市民正在公园散步。", "通讯员 王磊 介绍，全市新增公园三处。"]
)
def test_reporter_as_the_subject_of_the_first_sentence(first):
    """`记者 王磊 看到，…` (or 通讯员 王磊 介绍，…) opening the first paragraph with no dateline
    must stay one sentence of the body: the reporter is its subject, not a byline."""
    text = f"{PARK}\n\n{first}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [first.replace(" ", ""), P2])])


def test_telephone_line_is_not_glued_to_the_next_headline():
    """`咨询电话：0471-6543210` closing an article with no dateline on the next must stay a
    paragraph of its own: the number ends what the line says, so the next article's headline
    and first paragraph are not joined to it as the rest of a broken line (which headline or
    crosshead the title then is, without datelines, is as for a line ending with 。)."""
    contact = "咨询电话：0471-6543210"
    text = f"{PARK}\n\n{P1}\n\n{contact}\n\n全市新增口袋公园\n\n{P1}\n"
    control = text.replace(contact, "欢迎市民前往。")
    result, expected = parsed(text), parsed(control)
    assert contact in result["articles"][0]["paragraphs"]
    assert not any("全市新增口袋公园" in p for a in result["articles"] for p in a["paragraphs"])
    assert str(result).replace(contact, "欢迎市民前往。") == str(expected)


@pytest.mark.parametrize("series", ["（学习贯彻党的二十大精神）", "（口袋公园系列报道之三）"])
def test_series_name_in_brackets_over_a_headline_is_its_kicker(series):
    """A series' name in round brackets over the headline (`（学习贯彻党的二十大精神）`) must
    stay the kicker: it is no closing note (作者系…, 综合…), and not a caption of its own."""
    text = f"{series}\n\n{PARK}\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(PARK, [P1, P2], kicker=series)])


def test_series_name_in_brackets_under_a_headline_stays_in_the_title():
    """`（城市更新系列报道）` on the line right under the headline must stay part of the title,
    as `（二）` does, not become the first paragraph."""
    text = f"{PARK}\n（城市更新系列报道）\n\n{P1}\n\n{P2}\n"
    assert parsed(text) == document([article(f"{PARK} （城市更新系列报道）", [P1, P2])])


@pytest.mark.parametrize("source", ["资料图片", "新华社发", "图片由市民提供", "（资料图片）"])
def test_where_a_picture_came_from_does_not_make_the_first_paragraph_a_caption(source):
    """A line that only says where a picture came from, naming no one, set after an article's
    first paragraph: too weak to make that paragraph a caption and the headline a photo's
    title, which left the page no article, refused whole."""
    first = "今年以来，我市完成了十座公园的改造。"
    second = "改造后的公园增加了健身步道。"
    page = parse_page(f"公园改造完成\n\n{first}\n\n{source}\n\n{second}\n")
    (article,) = page.articles
    assert (article.headline, article.paragraphs) == ("公园改造完成", [first, second])
