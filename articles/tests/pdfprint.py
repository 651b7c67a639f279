"""A second generator of newspaper page PDFs: pages written in HTML and CSS and printed to PDF
by Chromium, each with the JSON an importer should read from it.

    python -m articles.tests.pdfprint OUT_DIR [--pages N] [--seed S]

writes OUT_DIR/print_NNN.pdf and OUT_DIR/print_NNN.expected.json (../shared/pdf/FORMAT-PDF.md).

It shares nothing with pdfcorpus.py (reportlab) but the idea, so that the PDF reader is tried
on another producer and other layouts. Chromium's PDF backend (Skia) writes the CFF fonts of
fonts-noto-cjk as Type3 fonts, which carry no name or weight PDFium can see, and whose
character boxes are the glyphs' own; it draws borders and column rules as filled paths,
crops pictures with clipping paths (object-fit), and places every glyph itself.

The pages are a CSS grid of 3 to 8 columns, in five sizes, with rules between its areas or
white space only; a header band in one of three arrangements (paper, date, 第N版 or a
number, 版名, page credits in the band or at the foot). Articles are set in CSS multi-column
boxes (column rules on some pages), in a single wide column, or framed and tinted; their
headlines span their columns, centred or not, letter-spaced or on a coloured bar, or stand
upright (竖排) at their right; kickers and subheadlines above and below; datelines (本报讯,
本报X月X日讯, 新华社…电, X讯) with their credits, sometimes in bold; crossheads in bold;
closing credits, sources and syndication. Some articles step into an L round the article
under them, or wrap round a photo set into their corner. Photos (pictures made here, as
data: URLs) have their caption and 摄 credit under them, beside them (left or right, level
with the picture's foot or top) or printed over their foot, some with a title of their own.

Chromium lays the text out; the generator never computes a line break. A script in the page
then fits each article to its space (as many of its sentences as fit, the closing credit
kept at the end), carries text from one column box into the next where an article is
L-shaped, and measures what an importer must find: every box in the expected JSON comes from
the DOM (CSS pixels times 0.75 are PDF points), each text line from its first glyph's left
edge to its last glyph's right edge and from the font's ascent to its descent (the em box,
where PDF readers put a character), as FORMAT-PDF.md defines them.

The text is invented here. Generation needs Debian's chromium and fonts-noto-cjk, and is
deterministic for a seed.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import random
import shutil
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PX_TO_PT = 0.75  # CSS pixels are 1/96 inch, PDF points 1/72
# Noto CJK's em box, in ems from the baseline (OS/2 typo ascender 880, descender -120 in
# 1000 units): where PDF readers put a character's top and bottom.
EM_ASCENT, EM_DESCENT = 0.88, 0.12
SERIF, SANS = "'Noto Serif CJK SC'", "'Noto Sans CJK SC'"

# The words everything is made of.
PLACES = ["澄江", "枫桥", "柏溪", "鹤岭", "临渚", "石埠", "松涛", "芦湾", "砚山", "雁滩", "茶岙"]
BODIES = [
    "村卫生室",
    "河长办",
    "农机合作社",
    "党群服务中心",
    "乡镇文化站",
    "中心小学",
    "养老服务中心",
    "环卫所",
    "林业站",
    "供销社",
    "民宿协会",
    "青年创业园",
    "非遗工坊",
    "水文站",
    "电力抢修队",
]
ACTIONS = ["建成", "开通", "上线", "举办", "修缮", "新增", "投用", "打造", "推广", "落地"]
THINGS = [
    "智慧灌溉系统",
    "乡村书屋",
    "助老餐桌",
    "山货直播间",
    "研学基地",
    "充电桩",
    "湿地公园",
    "共享农机",
    "夜校课堂",
    "急救培训点",
    "稻田观光道",
    "便民理发室",
    "邻里议事厅",
    "河道保洁队",
]
WHEN = ["今年以来", "日前", "5月中旬", "国庆假期", "入夏以来", "连日来", "年初", "上个月"]
EFFECTS = [
    "群众办事更加便捷",
    "前来参观的游客络绎不绝",
    "村干部挨家挨户征求意见",
    "产品销往周边多个省份",
    "老人们在家门口就能吃上热饭",
    "孩子们放学后有了好去处",
    "河水重新变得清澈",
    "设备运行情况良好",
    "参与的村民越来越多",
    "每天接待群众上百人次",
    "相关经验正在全市推广",
    "志愿者轮流上门服务",
    "农户每亩增收数百元",
    "报名名额很快就满了",
]
SAYINGS = [
    "日子越过越有奔头",
    "心里踏实多了",
    "我们还要接着干",
    "这条路修到了家门口",
    "真没想到变化这么大",
]
AMOUNTS = ["16家", "2300多名", "38%", "4.6万人次", "120户", "9处", "760万元", "45天", "28公里"]
PHOTO_TITLES = ["春耕正当时", "晨光里的渡口", "夜市烟火", "稻浪千重", "山村新貌", "志愿红"]
SERIES = [
    "奋进新征程",
    "一线见闻",
    "美丽乡村行",
    "民生实事回头看",
    "基层治理新探索",
    "产业振兴观察",
]
CROSSHEADS = [
    "从无到有",
    "小切口大变化",
    "家门口的幸福",
    "让数据说话",
    "守护一江清水",
    "山货出山",
    "老手艺新活力",
    "暖心服务不打烊",
]
SURNAMES = "江沈韦程鲁苏潘葛范彭曾肖田董袁邓蒋傅钟卢汪丁崔"
GIVEN = "晓雯子涵嘉怡俊浩雨欣一鸣振华秀兰立新佳琪文博永康慧敏"
PAPERS = ["澄江晨报", "枫桥日报", "鹤岭都市报"]
PAGE_NAMES = ["综合新闻", "区县视窗", "乡村振兴", "民生热线", "生态家园", "文体天地"]
SOURCES = ["县生态环境局", "市乡村振兴局", "区教育体育局", "镇人民政府"]
WEEKDAYS = "一二三四五六日"

# Page sizes in CSS pixels, in whole half inches (Chromium rounds other sizes, and then shifts
# the page by a pixel): broadsheets, a near-A3 and a tabloid.
PAGE_SIZES = [(1248, 1776), (1200, 1680), (1104, 1584), (1056, 1488), (960, 1344)]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def _sentence(rng: random.Random, *, opening: bool = False) -> str:
    """One sentence; an `opening` one (after the dateline) quotes nobody."""
    place, body = rng.choice(PLACES), rng.choice(BODIES)
    shape = rng.choice((0, 1, 3, 4)) if opening else rng.randrange(5)
    if shape == 0:
        event = f"{place}{body}{rng.choice(ACTIONS)}{rng.choice(THINGS)}"
        return f"{rng.choice(WHEN)}，{event}，{rng.choice(EFFECTS)}。"
    if shape == 1:
        return f"截至目前，{body}已服务{rng.choice(AMOUNTS)}，{rng.choice(EFFECTS)}。"
    if shape == 2:
        return f"“{rng.choice(SAYINGS)}！”{place}村民{_name(rng)}笑着说。"
    if shape == 3:
        cost = f"{place}{rng.choice(THINGS)}项目投入{rng.choice(AMOUNTS)}"
        return f"记者了解到，{cost}，{rng.choice(EFFECTS)}。"
    return f"{rng.choice(EFFECTS)}，{rng.choice(EFFECTS)}。"


def _headline(rng: random.Random) -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return f"{rng.choice(PLACES)}{rng.choice(BODIES)}{rng.choice(ACTIONS)}{rng.choice(THINGS)}"
    if shape == 1:
        return f"{rng.choice(THINGS)}让{rng.choice(PLACES)}{rng.choice(SAYINGS)}"
    return f"{rng.choice(PLACES)}：{rng.choice(CROSSHEADS)}"


# The page's plan.


@dataclass
class Article:
    """An article's area on the grid and its text; `shape` says how its body is set."""

    c0: int
    c1: int
    r0: int
    r1: int
    shape: str = "plain"  # plain | step | around
    columns: int = 0  # text columns of a plain article (1: a single wide column)
    step: int = 0  # step: the grid column where the short columns begin (or end, if < 0)
    corner: str = ""  # around: where the photo stands (top-right, top-left, bottom-right)
    photo_span: int = 0
    boxed: bool = False
    centred: bool = True
    vertical: bool = False  # the head set upright in a column at the article's right
    spacing: float = 0.0  # the headline's letter spacing, in ems
    bar: bool = False  # the headline white on a coloured bar
    head_font: str = SERIF
    head_scale: float = 2.2
    kicker: str = ""
    kicker_scale: float = 1.2
    headline: str = ""
    subheadline: str = ""
    sub_dash: bool = False
    items: list[dict] = field(default_factory=list)
    closing: str = ""
    expected: dict = field(default_factory=dict)
    photo: Photo | None = None


@dataclass
class Photo:
    caption: str
    credit: str  # as printed
    photographer: str
    picture: str  # data: URL
    beside: str = ""  # where a caption beside the picture stands: "right" or "left"
    top: bool = False  # a caption beside the picture stands level with its top
    title: str = ""  # the caption's own title, on a line of its own above it
    overlay: bool = False  # the caption printed over the picture's foot, white on a dark band
    c0: int = 0
    c1: int = 0
    r0: int = 0
    r1: int = 0


@dataclass
class Plan:
    width: int
    height: int
    margin: int
    columns: int
    gutter: int
    row_gap: int
    bands: list[int]
    body: int  # body size, px
    leading: float
    body_font: str
    ruled: bool
    column_rules: bool
    header: str
    paper: str
    date: str
    number: str  # as printed: 第3版, 03, A3
    page_name: str
    credit_line: str
    credits: list[dict]
    credits_at_foot: bool
    articles: list[Article] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


def _picture(rng: random.Random, width: int, height: int) -> str:
    """A small landscape, as a JPEG data: URL: sky, sun, hills, a river."""
    from PIL import Image, ImageDraw

    scale = 160 / max(width, height)
    size = (max(32, round(width * scale)), max(32, round(height * scale)))
    sky = (rng.randrange(120, 200), rng.randrange(160, 220), rng.randrange(200, 250))
    picture = Image.new("RGB", size, sky)
    painter = ImageDraw.Draw(picture)
    w, h = size
    sun = rng.uniform(0.15, 0.85) * w
    painter.ellipse((sun - 12, 10, sun + 12, 34), fill=(250, 220, 140))
    for shade in range(3):
        peak = rng.uniform(0, w)
        base = h * (0.55 + 0.12 * shade)
        colour = (40 + 30 * shade, 90 + 25 * shade, 60 + 10 * shade)
        painter.polygon([(peak - w, h), (peak, base - h * 0.3), (peak + w, h)], fill=colour)
    painter.rectangle((0, round(h * 0.8), w, h), fill=(70, 110, 150))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _photo(
    rng: random.Random, width: int, height: int, *, beside: str = "", overlay: bool = False
) -> Photo:
    caption = (
        f"{rng.choice(WHEN)}，{rng.choice(PLACES)}{rng.choice(BODIES)}"
        f"{rng.choice(ACTIONS)}{rng.choice(THINGS)}。" + _sentence(rng)
    )
    photographer = _name(rng)
    credit = rng.choice((f"{photographer} 摄", f"记者 {photographer} 摄", f"（{photographer} 摄）"))
    picture = _picture(rng, width, height)
    title = rng.choice(PHOTO_TITLES) if rng.random() < 0.3 else ""
    top = rng.random() < 0.3
    return Photo(caption, credit, photographer, picture, beside, top, title, overlay)


def _body_text(rng: random.Random, article: Article, sentences: int) -> None:
    """The article's body (more sentences than can fit: the page keeps what fits), its
    dateline and closing credit, and what an importer should read from them."""
    expected = article.expected
    reporter, other = _name(rng), _name(rng)
    left, right = ("（", "）") if rng.random() < 0.7 else ("(", ")")
    opening = rng.randrange(7)
    place = rng.choice(PLACES)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    prefix = ""
    if opening == 0:
        prefix = f"本报讯{left}记者 {reporter}{right}"
        expected["dateline"] = "本报讯"
        expected["bylines"] = [{"name": reporter, "role": "reporter"}]
    elif opening == 1:
        prefix = f"本报讯{left}记者 {reporter} 通讯员 {other}{right}"
        expected["dateline"] = "本报讯"
        expected["bylines"] = [
            {"name": reporter, "role": "reporter"},
            {"name": other, "role": "correspondent"},
        ]
    elif opening == 2:
        prefix = f"本报{place}{month}月{day}日讯{left}记者 {reporter}{right}"
        expected["dateline"] = f"本报{place}{month}月{day}日讯"
        expected["bylines"] = [{"name": reporter, "role": "reporter"}]
    elif opening == 3:
        prefix = f"{place}讯 "
        expected["dateline"] = f"{place}讯"
    elif opening == 6:
        prefix = f"新华社{place}{month}月{day}日电{left}记者 {reporter}{right}"
        expected["dateline"] = f"新华社{place}{month}月{day}日电"
        expected["bylines"] = [{"name": reporter, "role": "reporter"}]
    closing = rng.randrange(5)
    if closing == 0 and opening in (3, 4, 5):
        author = _name(rng)
        article.closing = f"{left}{author}{right}"
        expected["bylines"].append({"name": author, "role": "author"})
    elif closing == 1:
        source = rng.choice(SOURCES)
        article.closing = f"{left}{source}供稿{right}"
        expected["source"] = source
    elif closing == 2:
        paper = rng.choice(PAPERS)
        article.closing = f"{left}据《{paper}》{right}"
        expected["syndicated_from"] = paper
    crossheads = rng.sample(CROSSHEADS, len(CROSSHEADS)) if rng.random() < 0.45 else []
    items: list[dict] = []
    count = 0
    while count < sentences:
        number = sum(item["kind"] == "p" for item in items)
        if crossheads and number and number % 3 == 0 and number // 3 <= len(crossheads):
            # Every third paragraph under a crosshead of its own (none said twice).
            items.append({"kind": "h", "text": crossheads[number // 3 - 1]})
        length = rng.randint(1, 2) if not items else rng.randint(1, 4)
        said = [_sentence(rng, opening=not items and not index) for index in range(length)]
        if not items and opening in (0, 1, 3):
            said[0] = f"{month}月{day}日，{said[0]}"
        items.append({"kind": "p", "sentences": said})
        count += length
    items[0]["prefix"] = prefix
    items[0]["bold"] = bool(prefix) and rng.random() < 0.5
    article.items = items


def plan_page(seed: int) -> Plan:
    """A page's size, grid, header and areas, and every article's text, for a seed."""
    rng = random.Random(seed)
    width, height = rng.choice(PAGE_SIZES)
    columns = rng.choice((3, 4, 5, 6, 6, 7, 8, 8))
    margin = round(width * rng.uniform(0.035, 0.05))
    gutter = rng.choice((14, 16, 18, 20, 24))
    column = (width - 2 * margin - (columns - 1) * gutter) / columns
    # Body text of 12 to 16 pixels (9 to 12 points), 8 to 20 characters to a column.
    body = max(12, min(16, round(column / rng.uniform(8.5, 13 if columns > 4 else 20))))
    paper, page_name = rng.choice(PAPERS), rng.choice(PAGE_NAMES)
    editor, designer = _name(rng), _name(rng)
    credit_line, roles = rng.choice(
        (
            (f"责任编辑 {editor}　版式 {designer}", ("page_editor", "layout_editor")),
            (f"本版编辑：{editor}　美编：{designer}", ("page_editor", "layout_editor")),
            (f"编辑 {editor}  美术编辑 {designer}", ("page_editor", "layout_editor")),
        )
    )
    number = rng.randint(1, 16)
    plan = Plan(
        width=width,
        height=height,
        margin=margin,
        columns=columns,
        gutter=gutter,
        row_gap=rng.choice((18, 22, 26)),
        bands=[],
        body=body,
        leading=rng.choice((1.5, 1.6, 1.7, 1.8)),
        body_font=SERIF if rng.random() < 0.85 else SANS,
        ruled=rng.random() < 0.7,
        column_rules=rng.random() < 0.35,
        header=rng.choice(("classic", "stacked", "strip")),
        paper=paper,
        date=f"2026年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 星期{rng.choice(WEEKDAYS)}",
        number=rng.choice((f"第{number}版", f"{number:02d}", f"A{number}")),
        page_name=page_name,
        credit_line=credit_line,
        credits=[
            {"name": editor, "role": roles[0]},
            {"name": designer, "role": roles[1]},
        ],
        credits_at_foot=rng.random() < 0.3,
    )
    header_height = {"classic": 84, "stacked": 104, "strip": 64}[plan.header]
    content = height - 2 * margin - header_height - 16 - (28 if plan.credits_at_foot else 0)
    _plan_areas(rng, plan, content)
    return plan


def _plan_areas(rng: random.Random, plan: Plan, content: float) -> None:
    """Bands across the page, each cut into areas of whole columns; some articles step down
    into the band below, one may hold a photo in its corner, a few areas are photos."""
    count = max(2, min(4, round(content / rng.uniform(380, 520))))
    weights = [rng.uniform(0.8, 1.3) for _ in range(count)]
    usable = content - (count - 1) * plan.row_gap
    plan.bands = [round(usable * weight / sum(weights)) for weight in weights]
    narrowest = 1 if plan.columns <= 4 else 2
    taken: dict[int, tuple[int, int]] = {}  # band: columns held by an article stepping down
    photos = 0
    around = False
    for band in range(count):
        cuts = _cuts(rng, plan.columns, narrowest, taken.get(band))
        for c0, c1 in cuts:
            if taken.get(band) == (c0, c1):
                continue
            span = c1 - c0
            tall = plan.bands[band]
            if photos < 2 and span >= narrowest + 1 and 200 <= tall <= 560 and rng.random() < 0.3:
                photos += 1
                beside = rng.choice(("right", "right", "left")) if span >= 3 else ""
                beside = beside if rng.random() < 0.4 else ""
                overlay = not beside and tall >= 300 and rng.random() < 0.25
                picture_width = (span - (1 if beside else 0)) * 120
                photo = _photo(
                    rng, picture_width, max(60, tall - 80), beside=beside, overlay=overlay
                )
                photo.c0, photo.c1, photo.r0, photo.r1 = c0, c1, band, band + 1
                plan.photos.append(photo)
                continue
            article = Article(c0, c1, band, band + 1)
            below = band + 1 < count and band + 1 not in taken
            if below and span >= 3 and rng.random() < 0.35:
                # Stepped into the band below: its first (or last) columns go on down.
                article.shape = "step"
                article.r1 = band + 2
                if rng.random() < 0.7:
                    article.step = rng.randint(c0 + 1, c1 - 1)
                    taken[band + 1] = (c0, article.step)
                else:
                    article.step = -rng.randint(c0 + 1, c1 - 1)
                    taken[band + 1] = (-article.step, c1)
            elif not around and span >= 3 and tall >= 380 and rng.random() < 0.45:
                around = True
                article.shape = "around"
                article.corner = rng.choice(("top-right", "top-left", "bottom-right"))
                article.photo_span = rng.randint(1, span - 2) if span > 3 else 1
                picture_width = article.photo_span * 120
                article.photo = _photo(rng, picture_width, round(picture_width * 0.7))
            else:
                wide = rng.random() < 0.25 and span <= 3 and plan.columns >= 5
                double = span >= 4 and span % 2 == 0 and rng.random() < 0.3
                article.columns = 1 if wide else span // 2 if double else span
                article.boxed = rng.random() < 0.15 and span >= 2
            _head(rng, plan, article)
            plan.articles.append(article)


def _cuts(rng: random.Random, columns: int, narrowest: int, held) -> list[tuple[int, int]]:
    """A band's columns cut into areas at least `narrowest` wide, keeping `held` whole."""
    fixed = set(held) if held else set()
    points = [0, *sorted(fixed - {0, columns}), columns]
    cuts: list[tuple[int, int]] = []
    for start, end in pairwise(points):
        if held and (start, end) == tuple(held):
            cuts.append((start, end))
            continue
        position = start
        while position < end:
            remaining = end - position
            if remaining < 2 * narrowest + 1 or remaining <= 2 or rng.random() < 0.3:
                span = remaining
            else:
                span = rng.randint(narrowest, min(remaining - narrowest, max(narrowest, 5)))
            cuts.append((position, position + span))
            position += span
    return cuts


def _head(rng: random.Random, plan: Plan, article: Article) -> None:
    span = article.c1 - article.c0
    # Headlines differ on a page, so that each expected article is told by its own.
    taken = {other.headline for other in plan.articles}
    headline = _headline(rng)
    while headline in taken:
        headline = _headline(rng)
    article.expected = {
        "kicker": "",
        "headline": "",
        "subheadline": "",
        "dateline": "",
        "source": "",
        "syndicated_from": "",
        "bylines": [],
        "crossheads": [],
        "paragraphs": [],
    }
    article.centred = rng.random() < 0.6
    article.head_font = SERIF if rng.random() < 0.6 else SANS
    article.head_scale = rng.choice((1.9, 2.2, 2.6, 3.0)) * min(1.0, 0.6 + 0.15 * span)
    article.head_scale = max(article.head_scale, 1.7)
    article.spacing = rng.choice((0.0, 0.0, 0.05, 0.12))
    article.headline = headline
    article.expected["headline"] = headline
    tall = plan.bands[article.r0]
    # Upright, the headline runs down the article's right edge in one line, or two, as long
    # as they may be, and still well larger than the text.
    lines = 1 if rng.random() < 0.7 else 2
    upright = min(article.head_scale, 0.8 * lines * tall / len(headline) / plan.body)
    article.vertical = (
        article.shape == "plain" and span >= 2 and upright >= 1.7 and rng.random() < 0.25
    )
    article.bar = not article.vertical and rng.random() < 0.12
    if article.vertical:
        article.head_scale = upright
        article.spacing = 0.0
    elif rng.random() < 0.35:
        series = rng.choice(SERIES)
        article.kicker = series + ("——" if rng.random() < 0.5 else "")
        article.kicker_scale = rng.choice((1.0, 1.15, 1.25, 1.35))
        article.expected["kicker"] = series
    if rng.random() < 0.35:
        article.subheadline = rng.choice(BODIES) + rng.choice(ACTIONS) + rng.choice(THINGS)
        article.sub_dash = rng.random() < 0.5 and not article.vertical
        article.expected["subheadline"] = article.subheadline
    # Sentences enough to overfill the area (about 28 characters each).
    column = (plan.width - 2 * plan.margin) / plan.columns
    chars = plan.bands[article.r0] * span * column / (plan.body**2 * plan.leading)
    if article.shape == "step":
        chars *= 2
    _body_text(rng, article, max(4, round(chars * 1.3 / 28)))


# The page as HTML.

STYLE = """
@page {{ size: {width}px {height}px; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ width: {width}px; height: {height}px; position: relative; overflow: hidden;
  text-spacing-trim: space-all;
  font-family: {body_font}; color: #1a1a1a; background: #fff }}
.header {{ position: absolute; left: {margin}px; right: {margin}px; top: {margin}px;
  height: {header_height}px; box-sizing: border-box }}
.header .small {{ font: 400 13px/1.4 {sans} }}
.classic {{ border-bottom: 4px double #333 }}
.classic .left {{ position: absolute; left: 0; top: 10px; display: flex; align-items: center;
  gap: 14px }}
.classic .number {{ background: #9b1c1c; color: #fff; font: 700 30px/1.2 {sans};
  padding: 4px 10px }}
.classic .name {{ font: 700 34px/1.2 {serif} }}
.classic .paper {{ position: absolute; left: 0; right: 0; top: 14px; text-align: center;
  font: 700 30px/1.2 {serif} }}
.classic .right {{ position: absolute; right: 0; top: 12px; text-align: right;
  font: 400 13px/1.6 {sans} }}
.stacked .top {{ display: flex; justify-content: space-between; font: 400 13px/1.4 {sans};
  border-bottom: 1px solid #333; padding-bottom: 4px }}
.stacked .main {{ display: flex; justify-content: space-between; align-items: flex-end;
  margin-top: 10px; border-bottom: 3px solid #333; padding-bottom: 8px }}
.stacked .name {{ font: 700 40px/1.2 {sans}; letter-spacing: 6px }}
.stacked .number {{ font: 700 26px/1.2 {serif} }}
.strip {{ background: #eef2f6; border-bottom: 2px solid #2b4a6f; display: flex;
  align-items: center; gap: 22px; padding: 0 12px }}
.strip .name {{ font: 700 28px/1.2 {serif}; color: #2b4a6f }}
.strip .number {{ font: 700 24px/1.2 {sans} }}
.strip .fill {{ flex: 1 }}
.grid {{ position: absolute; left: {margin}px; right: {margin}px; top: {grid_top}px;
  height: {grid_height}px; display: grid; grid-template-columns: repeat({columns}, 1fr);
  grid-template-rows: {rows}; column-gap: {gutter}px; row-gap: {row_gap}px }}
.area {{ position: relative; min-width: 0; min-height: 0; display: flex; flex-direction: column }}
.ruled-left::before {{ content: ""; position: absolute; left: -{half_gutter}px; top: 4px;
  bottom: 4px; border-left: 1px solid #555 }}
.ruled-top::after {{ content: ""; position: absolute; top: -{half_row}px; left: 0; right: 0;
  border-top: 1px solid #555 }}
.boxed {{ border: 1.5px solid #6b5a3a; background: #f6f1e4; padding: 10px 12px }}
.head {{ padding: {head_pad}px 0 {head_gap}px; flex: none }}
.head div {{ line-height: 1.25 }}
.kicker {{ font-family: {sans}; font-weight: 400 }}
.headline {{ font-weight: 700 }}
.bar {{ background: #2b4a6f; color: #fff; padding: 0 10px; box-decoration-break: clone }}
.subheadline {{ font-family: {sans}; font-weight: 400; margin-top: 4px }}
.centred {{ text-align: center }}
.vertical {{ flex-direction: row-reverse }}
.vertical .head {{ writing-mode: vertical-rl; padding: 0 0 0 {gutter}px }}
.vertical .subheadline {{ margin: 0 6px 0 0 }}
.vertical .text {{ min-width: 0 }}
.text {{ flex: 1; min-height: 0; position: relative; display: grid; column-gap: {gutter}px;
  row-gap: {body}px }}
.flow {{ min-height: 0; min-width: 0; column-gap: {gutter}px; column-fill: auto;
  font-size: {body}px; line-height: {leading}; text-align: justify; {column_rule} }}
.flow p {{ margin: 0; text-indent: 2em }}
.flow p.cont {{ text-indent: 0 }}
.flow p.broken {{ text-align-last: justify }}
.flow b {{ font-family: {sans}; font-weight: 700 }}
.flow h4 {{ margin: 0.3em 0; font: 700 {crosshead}px/{leading} {sans}; text-align: {cross_align};
  break-after: avoid; break-inside: avoid }}
figure {{ margin: 0; min-height: 0; display: flex; flex-direction: column }}
figure img {{ display: block; width: 100%; flex: 1; min-height: 0; object-fit: cover }}
figcaption {{ font: 400 {caption}px/1.5 {sans}; text-align: justify; padding-top: 6px;
  flex: none }}
figure.beside {{ flex-direction: row; align-items: flex-end; gap: {gutter}px }}
figure.beside img {{ height: 100%; width: calc(100% - {caption_width}px - {gutter}px);
  flex: none }}
figure.beside figcaption {{ width: {caption_width}px; flex: none; padding: 0 }}
figure.beside.left {{ flex-direction: row-reverse }}
figure.beside.top {{ align-items: flex-start }}
figure.overlay {{ position: relative }}
figure.overlay figcaption {{ position: absolute; left: 0; right: 0; bottom: 0; color: #fff;
  background: rgba(20, 30, 40, 0.6); padding: 6px 10px }}
.title {{ display: block; font: 700 {title}px/1.5 {sans} }}
.credit {{ display: block; text-align: right }}
.foot {{ position: absolute; left: {margin}px; right: {margin}px; bottom: {margin}px;
  font: 400 12px/1.4 {sans}; text-align: right; border-top: 1px solid #555; padding-top: 6px }}
"""


def _header_html(plan: Plan) -> str:
    paper, date = html.escape(plan.paper), html.escape(plan.date)
    number, name = html.escape(plan.number), html.escape(plan.page_name)
    credits = "" if plan.credits_at_foot else html.escape(plan.credit_line)
    if plan.header == "classic":
        return (
            '<div class="header classic"><div class="left">'
            f'<span class="number">{number}</span><span class="name">{name}</span></div>'
            f'<div class="paper">{paper}</div>'
            f'<div class="right"><div>{date}</div><div>{credits}</div></div></div>'
        )
    if plan.header == "stacked":
        return (
            '<div class="header stacked">'
            f'<div class="top"><span>{paper}</span><span>{date}</span></div>'
            f'<div class="main"><span class="name">{name}</span><span class="small">{credits}'
            f'</span><span class="number">{number}</span></div></div>'
        )
    return (
        f'<div class="header strip"><span class="name">{name}</span>'
        f'<span class="small">{date}</span><span class="small">{credits}</span>'
        f'<span class="fill"></span><span class="number">{number}</span></div>'
    )


def _grid_place(c0: int, c1: int, r0: int, r1: int) -> str:
    return f"grid-column:{c0 + 1}/{c1 + 1};grid-row:{r0 + 1}/{r1 + 1}"


def _rules(plan: Plan, c0: int, r0: int) -> str:
    if not plan.ruled:
        return ""
    return (" ruled-left" if c0 else "") + (" ruled-top" if r0 else "")


def _figure_html(photo: Photo, index: int, style: str = "", picture: str = "") -> str:
    caption = html.escape(photo.caption)
    credit = html.escape(photo.credit)
    if photo.credit.startswith("（"):
        text = f"{caption}{credit}"
    elif len(photo.caption) % 2:
        text = f"{caption} {credit}"
    else:
        text = f'{caption}<span class="credit">{credit}</span>'
    if photo.title:
        text = f'<b class="title">{html.escape(photo.title)}</b>{text}'
    kind = f' class="beside {photo.beside}{" top" if photo.top else ""}"' if photo.beside else ""
    kind = ' class="overlay"' if photo.overlay else kind
    return (
        f'<figure{kind} data-photo="{index}" style="{style}">'
        f'<img src="{photo.picture}" alt="" style="{picture}"><figcaption>{text}</figcaption>'
        "</figure>"
    )


def _head_html(plan: Plan, article: Article) -> str:
    size = round(plan.body * article.head_scale)
    parts = []
    if article.kicker:
        kicker_size = round(plan.body * article.kicker_scale)
        parts.append(
            f'<div class="kicker" style="font-size:{kicker_size}px">'
            f"{html.escape(article.kicker)}</div>"
        )
    font = f"font-family:{article.head_font};font-size:{size}px"
    bar = ' class="bar"' if article.bar else ""
    parts.append(
        f'<div class="headline" style="{font};letter-spacing:{article.spacing}em">'
        f"<span{bar}>{html.escape(article.headline)}</span></div>"
    )
    if article.subheadline:
        sub_size = round(plan.body * 1.3)
        dash = "——" if article.sub_dash else ""
        parts.append(
            f'<div class="subheadline" style="font-size:{sub_size}px">'
            f"{dash}{html.escape(article.subheadline)}</div>"
        )
    centred = " centred" if article.centred and not article.vertical else ""
    return f'<div class="head{centred}">{"".join(parts)}</div>'


def _text_html(plan: Plan, article: Article, photo_index: int) -> str:
    """The article's column boxes, in reading order (`data-order`), with their column count."""
    span = article.c1 - article.c0
    if article.shape == "plain":
        flows = [(1, span + 1, 1, 2, article.columns)]
        rows = "1fr"
    elif article.shape == "step":
        # The step's short columns stop where the band below begins.
        lower = plan.bands[article.r1 - 1] + plan.row_gap
        rows = f"1fr {lower}px"
        step = abs(article.step) - article.c0
        if article.step > 0:
            flows = [(1, step + 1, 1, 3, step), (step + 1, span + 1, 1, 2, span - step)]
        else:
            flows = [(1, step + 1, 1, 2, step), (step + 1, span + 1, 1, 3, span - step)]
    else:
        picture = article.photo_span
        rows = "max-content 1fr" if article.corner.startswith("top") else "1fr max-content"
        if article.corner == "top-right":
            flows = [(1, span - picture + 1, 1, 3, span - picture)]
            flows.append((span - picture + 1, span + 1, 2, 3, picture))
            place = (span - picture + 1, span + 1, 1, 2)
        elif article.corner == "top-left":
            flows = [(1, picture + 1, 2, 3, picture)]
            flows.append((picture + 1, span + 1, 1, 3, span - picture))
            place = (1, picture + 1, 1, 2)
        else:
            flows = [(1, span - picture + 1, 1, 3, span - picture)]
            flows.append((span - picture + 1, span + 1, 1, 2, picture))
            place = (span - picture + 1, span + 1, 2, 3)
    parts = []
    for order, (c0, c1, r0, r1, count) in enumerate(flows):
        parts.append(
            f'<div class="flow" data-order="{order}" data-columns="{count}" '
            f'style="{_grid_place(c0 - 1, c1 - 1, r0 - 1, r1 - 1)};column-count:{count}"></div>'
        )
    if article.shape == "around":
        c0, c1, r0, r1 = place
        # The picture takes at most half the article's height, the text and head the rest.
        width = (c1 - c0) * ((plan.width - 2 * plan.margin) / plan.columns)
        tall = 0.5 * plan.bands[article.r0] / width
        ratio = min(0.62 if (c1 - c0) > 1 else 0.8, tall)
        parts.append(
            _figure_html(
                article.photo,
                photo_index,
                _grid_place(c0 - 1, c1 - 1, r0 - 1, r1 - 1),
                f"flex:none;height:{round(width * ratio)}px",
            )
        )
    template = f"grid-template-columns:repeat({span},1fr);grid-template-rows:{rows}"
    return f'<div class="text" style="{template}">{"".join(parts)}</div>'


def page_html(plan: Plan) -> str:
    header_height = {"classic": 84, "stacked": 104, "strip": 64}[plan.header]
    grid_top = plan.margin + header_height + 16
    grid_height = sum(plan.bands) + plan.row_gap * (len(plan.bands) - 1)
    column = (plan.width - 2 * plan.margin - (plan.columns - 1) * plan.gutter) / plan.columns
    style = STYLE.format(
        width=plan.width,
        height=plan.height,
        margin=plan.margin,
        header_height=header_height,
        grid_top=grid_top,
        grid_height=grid_height,
        columns=plan.columns,
        rows=" ".join(f"{band}px" for band in plan.bands),
        gutter=plan.gutter,
        row_gap=plan.row_gap,
        half_gutter=plan.gutter / 2,
        half_row=plan.row_gap / 2,
        body_font=plan.body_font,
        sans=SANS,
        serif=SERIF,
        body=plan.body,
        leading=plan.leading,
        head_pad=round(plan.body * 0.3),
        head_gap=round(plan.body * 0.9),
        crosshead=plan.body + (1 if plan.body < 15 else 0),
        cross_align="center" if plan.columns % 2 else "left",
        caption=max(11, plan.body - 2),
        title=max(11, plan.body - 2) + 3,
        caption_width=round(column),
        column_rule="column-rule: 1px solid #999" if plan.column_rules else "",
    )
    areas = []
    for index, photo in enumerate(plan.photos):
        place = _grid_place(photo.c0, photo.c1, photo.r0, photo.r1)
        areas.append(
            f'<div class="area{_rules(plan, photo.c0, photo.r0)}" style="{place}">'
            f"{_figure_html(photo, index, 'flex:1')}</div>"
        )
    # Photos set into articles are numbered after the standalone ones, as _expected lists them.
    photo_index = len(plan.photos)
    for index, article in enumerate(plan.articles):
        place = _grid_place(article.c0, article.c1, article.r0, article.r1)
        boxed = (" boxed" if article.boxed else "") + (" vertical" if article.vertical else "")
        areas.append(
            f'<div class="area{_rules(plan, article.c0, article.r0)}{boxed}" '
            f'data-article="{index}" style="{place}">'
            f"{_head_html(plan, article)}{_text_html(plan, article, photo_index)}</div>"
        )
        photo_index += article.photo is not None
    foot = (
        f'<div class="foot">{html.escape(plan.credit_line)}</div>' if plan.credits_at_foot else ""
    )
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style>'
        f"</head><body>{_header_html(plan)}"
        f'<div class="grid">{"".join(areas)}</div>{foot}</body></html>'
    )


# The script that fits, flows and measures in the page.

SCRIPT = """
(data) => {
  const [EM_ASCENT, EM_DESCENT] = data.em;
  const ascents = new Map();

  function ascent(style) {
    // Where the baseline lies under the top of a line's text box, in this font.
    const key = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    if (!ascents.has(key)) {
      const probe = document.createElement('span');
      probe.style.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      probe.style.lineHeight = 'normal';
      probe.textContent = '国';
      const mark = document.createElement('span');
      mark.style.cssText = 'display:inline-block;width:0;height:0;vertical-align:baseline';
      probe.appendChild(mark);
      document.body.appendChild(probe);
      const range = document.createRange();
      range.selectNodeContents(probe.firstChild);
      ascents.set(key, mark.getBoundingClientRect().top - range.getBoundingClientRect().top);
      probe.remove();
    }
    return ascents.get(key);
  }

  function lines(element) {
    // Every line of text under the element: its em box, [x0, top, x1, bottom] in pixels.
    const found = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const style = getComputedStyle(node.parentElement);
      const size = parseFloat(style.fontSize);
      const range = document.createRange();
      range.selectNodeContents(node);
      if (style.writingMode.startsWith('vertical')) {
        // Upright characters down a vertical line: an em wide about the line's middle.
        for (const rect of range.getClientRects()) {
          const middle = (rect.left + rect.right) / 2;
          found.push([middle - size / 2, rect.top, middle + size / 2, rect.bottom]);
        }
        continue;
      }
      const baseline = ascent(style);
      // Letter spacing follows every character, the last of a line too: not ink.
      const spacing = parseFloat(style.letterSpacing) || 0;
      for (const rect of range.getClientRects()) {
        if (rect.width < 0.5) continue;
        const line = rect.top + baseline;
        found.push([rect.left, line - EM_ASCENT * size, rect.right - spacing,
                    line + EM_DESCENT * size]);
      }
    }
    return found;
  }

  function union(boxes) {
    if (!boxes.length) return null;
    return [Math.min(...boxes.map(b => b[0])), Math.min(...boxes.map(b => b[1])),
            Math.max(...boxes.map(b => b[2])), Math.max(...boxes.map(b => b[3]))];
  }

  function overflows(flow) {
    const box = flow.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(flow);
    const used = range.getBoundingClientRect();
    return used.width > 0 && (used.right > box.right + 0.5 || used.bottom > box.bottom + 0.5);
  }

  function outside(flow, node, offset) {
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const rect = range.getBoundingClientRect();
    const box = flow.getBoundingClientRect();
    return rect.left >= box.right - 0.5 || rect.top >= box.bottom - 0.5;
  }

  function carry(flow, next) {
    // The text that does not fit `flow` goes on at the top of `next`.
    if (!overflows(flow)) return;
    const walker = document.createTreeWalker(flow, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent.length;
      if (!length || !outside(flow, node, length - 1)) continue;
      let low = 0, high = length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (outside(flow, node, middle)) high = middle; else low = middle + 1;
      }
      const block = node.parentElement.closest('p, h4');
      const before = document.createRange();
      before.setStart(block, 0);
      before.setEnd(node, low);
      const split = before.toString().length > 0;
      const rest = document.createRange();
      rest.setStart(node, low);
      rest.setEnd(flow, flow.childNodes.length);
      const moved = rest.extractContents();
      if (split) {
        block.classList.add('broken');
        moved.firstElementChild.classList.add('cont');
      } else {
        block.remove();
        // A crosshead never ends a column: it goes on with its paragraph.
        const last = flow.lastElementChild;
        if (last && last.tagName === 'H4') moved.prepend(last);
      }
      next.prepend(moved);
      return;
    }
  }

  function kept(article, count) {
    // The first `count` sentences, as paragraphs and crossheads; a crosshead only before text.
    const items = [];
    let left = count;
    for (const item of article.items) {
      if (left <= 0) break;
      if (item.kind === 'h') { items.push({kind: 'h', text: item.text}); continue; }
      const sentences = item.sentences.slice(0, left);
      left -= sentences.length;
      items.push({kind: 'p', sentences, prefix: item.prefix || '', bold: !!item.bold});
    }
    while (items.length && items[items.length - 1].kind === 'h') items.pop();
    return items;
  }

  function set(element, article, count) {
    const flows = [...element.querySelectorAll('.flow')]
      .sort((a, b) => a.dataset.order - b.dataset.order);
    for (const flow of flows) flow.replaceChildren();
    const items = kept(article, count);
    items.forEach((item, index) => {
      if (item.kind === 'h') {
        const heading = document.createElement('h4');
        heading.textContent = item.text;
        flows[0].append(heading);
        return;
      }
      const paragraph = document.createElement('p');
      if (item.prefix) {
        const prefix = document.createElement(item.bold ? 'b' : 'span');
        prefix.textContent = item.prefix;
        paragraph.append(prefix);
      }
      paragraph.append(item.sentences.join(''));
      if (index === items.length - 1 && article.closing) paragraph.append(article.closing);
      flows[0].append(paragraph);
    });
    for (let i = 0; i + 1 < flows.length; i++) carry(flows[i], flows[i + 1]);
    return {items, flows, fits: !overflows(flows[flows.length - 1])};
  }

  // Fix every column box's and figure's size, all measured before any is set (one set would
  // move the others), and before any text goes in.
  const sized = [...document.querySelectorAll('.flow, figure')]
    .map(element => [element, element.getBoundingClientRect()]);
  for (const [element, box] of sized) {
    element.style.height = `${box.height}px`;
    element.style.width = `${box.width}px`;
  }

  const articles = data.articles.map((article, index) => {
    const element = document.querySelector(`[data-article="${index}"]`);
    const total = article.items.reduce((n, item) => n + (item.sentences || []).length, 0);
    let low = 0, high = total;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (set(element, article, middle).fits) low = middle; else high = middle - 1;
    }
    const {items, flows, fits} = set(element, article, low);
    const columns = [];
    for (const flow of flows) {
      const box = flow.getBoundingClientRect();
      const count = Number(flow.dataset.columns);
      const gap = parseFloat(getComputedStyle(flow).columnGap);
      const width = (box.width - (count - 1) * gap) / count;
      const groups = Array.from({length: count}, () => []);
      for (const line of lines(flow)) {
        const centre = (line[0] + line[2]) / 2 - box.left;
        groups[Math.max(0, Math.min(count - 1, Math.floor(centre / (width + gap))))].push(line);
      }
      for (const group of groups) if (group.length) columns.push(union(group));
    }
    return {items, fits: fits && low > 0, head: union(lines(element.querySelector('.head'))),
            columns};
  });
  const photos = [...document.querySelectorAll('figure')].map(figure => {
    const picture = figure.querySelector('img').getBoundingClientRect();
    const caption = lines(figure.querySelector('figcaption'));
    return {index: Number(figure.dataset.photo),
            box: union([[picture.left, picture.top, picture.right, picture.bottom], ...caption])};
  });
  return {articles, photos};
}
"""


def _points(box: list[float]) -> list[float]:
    return [round(value * PX_TO_PT, 2) for value in box]


def _expected(plan: Plan, measured: dict) -> dict:
    """The JSON an importer should print for the page, from the plan and the page's
    measurements."""
    photos = plan.photos + [article.photo for article in plan.articles if article.photo]
    boxes = {item["index"]: item["box"] for item in measured["photos"]}
    articles = []
    for article, found in zip(plan.articles, measured["articles"], strict=True):
        if not found["fits"]:
            raise ValueError("an article's opening does not fit its area")
        expected = dict(article.expected)
        expected["bylines"] = list(expected["bylines"])
        expected["crossheads"] = [item["text"] for item in found["items"] if item["kind"] == "h"]
        expected["paragraphs"] = [
            "".join(item["sentences"]) for item in found["items"] if item["kind"] == "p"
        ]
        expected["boxes"] = [_points(found["head"])] + [_points(box) for box in found["columns"]]
        articles.append((article.r0, article.c0, expected))
    items = [expected for _, _, expected in articles]
    _check_apart(items + [{"boxes": [_points(box)]} for box in boxes.values()])
    return {
        "credits": plan.credits,
        "articles": [expected for _, _, expected in sorted(articles, key=lambda a: a[:2])],
        "photos": [
            {
                "headline": photo.title,
                "caption": photo.caption,
                "bylines": [{"name": photo.photographer, "role": "photographer"}],
                "boxes": [_points(boxes[index])],
            }
            for index, photo in enumerate(photos)
        ],
        "page_size": [round(plan.width * PX_TO_PT, 2), round(plan.height * PX_TO_PT, 2)],
        "page_number": plan.number.strip("第版"),
        "page_name": plan.page_name,
    }


def _check_apart(items: list[dict]) -> None:
    """No two items' boxes overlap: the layout went wrong if they do (an overflowing box)."""
    for index, item in enumerate(items):
        for other in items[index + 1 :]:
            for a in item["boxes"]:
                for b in other["boxes"]:
                    across = min(a[2], b[2]) - max(a[0], b[0])
                    down = min(a[3], b[3]) - max(a[1], b[1])
                    if across > 1 and down > 1:
                        raise RuntimeError(f"boxes {a} and {b} of two items overlap")


def _script_data(plan: Plan) -> dict:
    return {
        "em": [EM_ASCENT, EM_DESCENT],
        "articles": [
            {"items": article.items, "closing": article.closing} for article in plan.articles
        ],
    }


class Printer:
    """Debian's Chromium, driven by Playwright, printing pages one after another."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        executable = shutil.which("chromium")
        if executable is None:
            raise RuntimeError("Debian's chromium is needed (apt-get install chromium)")
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS
        )

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def page(self, seed: int) -> tuple[bytes, dict]:
        """One page PDF and its expected JSON. A plan whose text cannot fit (an article too
        small for its opening) is planned again from the next seed of its own."""
        for attempt in range(20):
            plan = plan_page(seed * 100 + attempt)
            tab = self._browser.new_page(viewport={"width": plan.width, "height": plan.height})
            # Measured as printed: the print layout is the one in the PDF.
            tab.emulate_media(media="print")
            try:
                tab.set_content(page_html(plan))
                tab.evaluate("document.fonts.ready.then(() => true)")
                measured = tab.evaluate(SCRIPT, _script_data(plan))
                try:
                    expected = _expected(plan, measured)
                except ValueError:
                    continue
                data = tab.pdf(
                    width=f"{plan.width}px", height=f"{plan.height}px", print_background=True
                )
            finally:
                tab.close()
            return data, expected
        raise RuntimeError(f"no plan fits for seed {seed}")


def write_corpus(folder: Path, pages: int, seed: int = 0) -> list[Path]:
    """Write `pages` printed pages with their expected JSON into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with Printer() as printer:
        for index in range(pages):
            data, expected = printer.page(seed * 1000 + index)
            path = folder / f"print_{index:03d}.pdf"
            path.write_bytes(data)
            path.with_suffix(".expected.json").write_text(
                json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    for path in write_corpus(options.folder, options.pages, options.seed):
        print(path)


if __name__ == "__main__":
    main()
