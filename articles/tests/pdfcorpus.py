"""A generator of newspaper page PDFs, each with the JSON an importer should read from it.

    python -m articles.tests.pdfcorpus OUT_DIR [--pages N] [--seed S]

writes OUT_DIR/page_NNN.pdf and OUT_DIR/page_NNN.expected.json (../shared/pdf/FORMAT-PDF.md).
The text is invented here (place names, people, events); the layouts vary the things that
make page PDFs hard to read: page sizes and grids of 6 to 8 columns, headlines over several
columns with kickers and subheadlines, L-shaped articles, articles set in double-width
columns, photos with captions and credits, rules between articles, a header band with the
paper's name, date, page number, page name and page credits, justified lines with spread
characters, Kangxi radicals in place of ordinary characters, and text objects written one
character at a time or in pieces, in shuffled order.

Every box in the expected JSON is computed from what was drawn: the union of the drawn
lines (their first glyph's left edge to the last glyph's right edge, the font's ascent to
its descent), as FORMAT-PDF.md defines them.

Fonts: reportlab embeds TrueType outlines only, while Debian's fonts-noto-cjk ships CFF, so
the generator converts a subset of Noto Sans/Serif CJK SC (the characters it can write) to
TrueType once and caches it in the temporary folder. Generation is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

NOTO = Path("/usr/share/fonts/opentype/noto")
# Font files and the index of Simplified Chinese in each collection.
FONT_FILES = {
    "sans": ("NotoSansCJK-Regular.ttc", 2),
    "sans-bold": ("NotoSansCJK-Bold.ttc", 2),
    "serif": ("NotoSerifCJK-Regular.ttc", 2),
    "serif-bold": ("NotoSerifCJK-Bold.ttc", 2),
}

# Everything the generator writes is made of these words, so the font subsets are small.
PLACES = ["青川", "白沙", "柳湾", "石门", "桐溪", "北坪", "云岭", "南渡", "东澜", "梅岗", "金滩"]
SUBJECTS = [
    "社区服务站",
    "街道办事处",
    "蔬菜合作社",
    "市图书馆",
    "志愿者队伍",
    "渔港管理处",
    "果园农户",
    "实验小学",
    "医护人员",
    "快递驿站",
    "茶叶合作社",
    "物流园区",
    "农技推广站",
    "公交公司",
    "老年大学",
    "文化馆",
    "供水公司",
    "消防救援站",
]
VERBS = ["推出", "整修", "开设", "试行", "启动", "筹建", "改造", "完成", "组织", "升级", "扩建"]
OBJECTS = [
    "夜间集市",
    "共享菜园",
    "临河步道",
    "定制公交线路",
    "周末读书会",
    "冷链仓库",
    "灌溉水渠",
    "社区食堂",
    "便民服务点",
    "儿童阅览室",
    "智能停车场",
    "防汛物资库",
    "健身广场",
    "科普展厅",
]
TIMES = ["今年春天", "上周末", "近日", "3月以来", "去年年底", "本月初", "入冬以来", "开学前夕"]
CLAUSES = [
    "居民办事不再需要来回奔波",
    "周边群众纷纷前来体验",
    "相关部门多次上门征求意见",
    "附近商户的生意明显好转",
    "工作人员每天轮流值守",
    "许多年轻人主动报名参加",
    "新设备运行平稳可靠",
    "服务时间延长到晚上九点",
    "项目资金全部来自社会捐助",
    "下一步还将向周边乡镇推广",
    "不少家长带着孩子一同参加",
    "村民的收入比去年有所增加",
    "施工期间交通组织有序",
    "热线电话全天有人接听",
]
QUOTES = [
    "这件事办到了大家心坎上",
    "以前想都不敢想",
    "我们会一直坚持做下去",
    "有困难就找我们",
    "方便多了,也省心多了",
]
NUMBERS = ["12个", "3000余名", "45%", "1.2万人次", "86户", "7条", "520万元", "28天", "150公里"]
SERIES = ["走基层·看变化", "春耕一线", "民生实事进行时", "乡村振兴新气象", "城市更新观察"]
CROSSHEADS = [
    "先行先试",
    "服务上门",
    "一桥连两岸",
    "老街焕新颜",
    "小菜园大民生",
    "把课堂搬到田间",
    "夜色里的烟火气",
    "数据多跑路",
]
GIVEN = "明华丽军芳伟静磊洋艳勇敏杰娟涛超霞平刚桂英鹏飞宇欣然晨阳思远海燕建国春梅志强"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"
PAPERS = ["青川日报", "桐溪晚报", "云岭时报"]
PAGE_NAMES = ["要闻", "经济观察", "社会民生", "城市新闻", "乡村振兴", "文化周刊"]
WEEKDAYS = "一二三四五六日"
SOURCES = ["市农业农村局", "区文化旅游局", "县交通运输局", "市卫生健康委"]
# Kangxi radicals some layout systems write in place of the ordinary characters.
KANGXI = {
    "行": "⾏",
    "日": "⽇",
    "人": "⼈",
    "大": "⼤",
    "月": "⽉",
    "工": "⼯",
    "文": "⽂",
    "心": "⼼",
}
PUNCTUATION = ",。、:;“”《》()——%.·0123456789"
KANGXI_TEXT = "".join(KANGXI.values())

# Page sizes in points: broadsheet, A3, a narrower broadsheet, tabloid.
PAGE_SIZES = [(936.0, 1332.0), (842.0, 1191.0), (800.0, 1150.0), (700.0, 1000.0)]


def charset() -> str:
    """Every character the generator can write, for the font subsets."""
    words = (
        (PLACES + SUBJECTS + VERBS + OBJECTS + TIMES + CLAUSES + QUOTES + NUMBERS + SERIES)
        + CROSSHEADS
        + PAPERS
        + PAGE_NAMES
        + SOURCES
    )
    extra = (
        "本报讯记者通讯员摄供稿据编辑美编版式第版年月日星期责任已累计服务了解共投入让居民说"
        + WEEKDAYS
    )
    return "".join(
        sorted(
            set("".join(words) + GIVEN + SURNAMES + extra + PUNCTUATION + "".join(KANGXI.values()))
        )
    )


_CHARSET = frozenset(charset() + " ")


def _font_cache() -> Path:
    digest = hashlib.sha256(charset().encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"newsroom-pdfcorpus-{digest}"


def font_files() -> dict[str, Path]:
    """TrueType subsets of Noto CJK SC, built on first use."""
    folder = _font_cache()
    paths = {key: folder / f"{key}.ttf" for key in FONT_FILES}
    if all(path.is_file() for path in paths.values()):
        return paths
    folder.mkdir(exist_ok=True)
    for key, (name, index) in FONT_FILES.items():
        _cff_to_truetype(NOTO / name, index, paths[key])
    return paths


def _cff_to_truetype(source: Path, index: int, target: Path) -> None:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(source, fontNumber=index, lazy=True)
    options = subset.Options()
    options.layout_features = []
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in charset() + " "])
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for table in ("CFF ", "VORG", "vhea", "vmtx"):
        if table in font:
            del font[table]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for key in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, key, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    partial = target.with_suffix(".part")
    font.save(partial)
    partial.replace(target)


_REGISTERED: dict[str, tuple[float, float]] = {}


def register_fonts() -> dict[str, tuple[float, float]]:
    """Register the fonts with reportlab; ascent and descent (fractions of the size) by font."""
    if _REGISTERED:
        return _REGISTERED
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for key, path in font_files().items():
        font = TTFont(f"Noto-{key}", str(path))
        pdfmetrics.registerFont(font)
        _REGISTERED[key] = (font.face.ascent / 1000, -font.face.descent / 1000)
    return _REGISTERED


# The text.


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _sentence(rng: random.Random) -> str:
    shape = rng.randrange(5)
    place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
    if shape == 0:
        event = f"{place}{subject}{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
        return f"{rng.choice(TIMES)},{event},{rng.choice(CLAUSES)}。"
    if shape == 1:
        return f"{subject}已累计服务{rng.choice(NUMBERS)},{rng.choice(CLAUSES)}。"
    if shape == 2:
        return f"“{rng.choice(QUOTES)}。”{place}居民{_name(rng)}说。"
    if shape == 3:
        spent = f"{place}{rng.choice(OBJECTS)}共投入{rng.choice(NUMBERS)}"
        return f"据了解,{spent},{rng.choice(CLAUSES)},{rng.choice(CLAUSES)}。"
    return f"{rng.choice(CLAUSES)},{rng.choice(CLAUSES)}。"


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(_sentence(rng) for _ in range(sentences))


def _headline(rng: random.Random) -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
    if shape == 1:
        return (
            f"{rng.choice(OBJECTS)}让{rng.choice(PLACES)}居民{rng.choice(QUOTES)[:6].rstrip(',')}"
        )
    return f"{rng.choice(PLACES)}:{rng.choice(CROSSHEADS)} {rng.choice(OBJECTS)}"


# Geometry.


@dataclass
class Piece:
    """One drawn run of characters: its font, size, baseline origin and glyph advances."""

    font: str
    size: float
    x: float
    y: float  # baseline, top-left origin
    text: str
    advances: list[float]
    color: tuple[float, float, float] = (0.1, 0.1, 0.1)


@dataclass
class PageBuilder:
    width: float
    height: float
    rng: random.Random
    kangxi: bool
    pieces: list[Piece] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    images: list[tuple[float, float, float, float, int]] = field(default_factory=list)
    fills: list[tuple[float, float, float, float, tuple[float, float, float]]] = field(
        default_factory=list
    )

    def width_of(self, text: str, font: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text, f"Noto-{font}", size)

    def line(
        self,
        text: str,
        font: str,
        size: float,
        x: float,
        baseline: float,
        *,
        spread_to: float | None = None,
        color=(0.1, 0.1, 0.1),
    ) -> list[float]:
        """Draw one line (justified to `spread_to` when given); return its box."""
        if not set(text) <= _CHARSET:
            raise ValueError(f"the fonts lack {set(text) - _CHARSET}")
        advances = [self.width_of(char, font, size) for char in text]
        if spread_to is not None and len(text) > 1:
            extra = (spread_to - sum(advances)) / (len(text) - 1)
            advances = [a + extra for a in advances[:-1]] + advances[-1:]
        drawn = "".join(
            KANGXI.get(c, c) if self.kangxi and self.rng.random() < 0.3 else c for c in text
        )
        self.pieces.append(Piece(font, size, x, baseline, drawn, advances, color))
        ascent, descent = register_fonts()[font]
        right = x + sum(advances[:-1]) + self.width_of(text[-1], font, size)
        return [x, baseline - ascent * size, right, baseline + descent * size]

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.75) -> None:
        self.rules.append((x0, y0, x1, y1, width))


def union(boxes: list[list[float]]) -> list[float]:
    return [
        round(min(b[0] for b in boxes), 2),
        round(min(b[1] for b in boxes), 2),
        round(max(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
    ]


@dataclass
class Grid:
    left: float
    top: float
    bottom: float
    column: float
    gutter: float
    count: int
    body: float  # body size

    def x(self, col: int) -> float:
        return self.left + col * (self.column + self.gutter)

    def x_end(self, col: int) -> float:
        """Right edge of column `col - 1`."""
        return self.x(col) - self.gutter


def _wrap(builder: PageBuilder, text: str, font: str, size: float, width: float, indent: float):
    """Lines of text fitting `width` (the first indented); punctuation never opens a line."""
    lines, current, used, first = [], "", indent, True
    for char in text:
        advance = builder.width_of(char, font, size)
        if current and used + advance > width + 0.01 and char not in ",。、:;”)》":
            lines.append((current, first))
            current, used, first = "", 0.0, False
        current += char
        used += advance
    if current:
        lines.append((current, first))
    return lines


class Overflow(Exception):
    """The article's text does not fit its columns."""


def _flow(builder, items, columns, size, leading, *, draw):
    """Set body items (paragraphs and crossheads) into columns in order; boxes per column.

    items: ("p", text, bold_prefix_length) or ("h", text). Raises Overflow when they do not fit.
    """
    column_index, y = 0, columns[0][2] if columns else 0
    boxes: list[list[list[float]]] = [[] for _ in columns]

    def next_line(height):
        nonlocal column_index, y
        while column_index < len(columns):
            x0, x1, _top, bottom = columns[column_index]
            if y + height <= bottom:
                place = (x0, x1, y)
                y += height
                return place
            column_index += 1
            if column_index < len(columns):
                y = columns[column_index][2]
        raise Overflow

    for item in items:
        if item[0] == "h":
            if y > columns[column_index][2]:
                next_line(leading * 0.5)
            x0, x1, top = next_line(leading)
            width = builder.width_of(item[1], "sans-bold", size)
            if width > x1 - x0:
                raise Overflow
            if draw:
                boxes[column_index].append(
                    builder.line(item[1], "sans-bold", size, x0, top + size, color=(0.1, 0.1, 0.1))
                )
            continue
        _, text, bold = item
        width = columns[column_index][1] - columns[column_index][0]
        wrapped = _wrap(builder, text, "serif", size, width, 2 * size if not bold else 0)
        for number, (line_text, first) in enumerate(wrapped):
            x0, x1, top = next_line(leading)
            indent = 2 * size if first and not bold else 0
            last = number == len(wrapped) - 1
            if not draw:
                continue
            # A last line is set loose, unless punctuation kept on it needs squeezing.
            natural = builder.width_of(line_text, "serif", size)
            spread = None if last and natural <= x1 - x0 - indent else x1 - (x0 + indent)
            baseline = top + size
            if first and bold:
                head, tail = line_text[:bold], line_text[bold:]
                box = builder.line(head, "sans-bold", size, x0, baseline)
                if tail:
                    rest_x = box[2] + builder.width_of(" ", "serif", size) * 0.5
                    loose = builder.width_of(tail, "serif", size) <= x1 - rest_x
                    tail_spread = None if last and loose else x1 - rest_x
                    tail_box = builder.line(
                        tail, "serif", size, rest_x, baseline, spread_to=tail_spread
                    )
                    box = [box[0], box[1], tail_box[2], tail_box[3]]
                boxes[column_index].append(box)
            else:
                boxes[column_index].append(
                    builder.line(line_text, "serif", size, x0 + indent, baseline, spread_to=spread)
                )
    return boxes


def _article(builder: PageBuilder, grid: Grid, area, rng: random.Random, photos: list[dict]):
    """Fill an article's area: head over its top, body flowed through its columns.

    area: (c0, c1, top, bottom, l_cols, l_bottom): columns c0..c1 from top to bottom, and the
    first l_cols of them continue down to l_bottom (an L-shaped article).
    """
    c0, c1, top, bottom, l_cols, l_bottom = area
    size = grid.body
    leading = round(size * rng.choice((1.45, 1.55, 1.65)), 2)
    span_left, span_right = grid.x(c0), grid.x_end(c1)
    expected = {
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
    head_boxes = []
    y = top + size * 0.5
    centred = rng.random() < 0.6
    if rng.random() < 0.4:
        kicker = rng.choice(SERIES) + ("——" if rng.random() < 0.5 else "")
        # Kickers larger than body text, or at its size, alone above the headline.
        kicker_size = round(size * (rng.uniform(1.12, 1.35) if rng.random() < 0.7 else 1.0), 1)
        y += kicker_size
        width = builder.width_of(kicker, "sans", kicker_size)
        x = (span_left + span_right - width) / 2 if centred else span_left
        head_boxes.append(builder.line(kicker, "sans", kicker_size, x, y))
        expected["kicker"] = kicker.rstrip("—")
        y += kicker_size * 0.5
    head_size = round(size * rng.choice((1.7, 2.0, 2.4, 2.8)) * min(1.0, 0.6 + 0.2 * (c1 - c0)), 1)
    head_size = max(head_size, size * 1.6)
    headline = _headline(rng)
    lines = _wrap(builder, headline, "serif-bold", head_size, span_right - span_left - 2 * size, 0)
    if len(lines) > 2:
        head_size = round(head_size * 0.75, 1)
        lines = _wrap(builder, headline, "serif-bold", head_size, span_right - span_left, 0)
    for text, _ in lines:
        y += head_size * 1.1
        width = builder.width_of(text, "serif-bold", head_size)
        x = (span_left + span_right - width) / 2 if centred else span_left
        head_boxes.append(builder.line(text, "serif-bold", head_size, x, y))
        y += head_size * 0.15
    expected["headline"] = headline
    if rng.random() < 0.35:
        sub = "——" + rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
        sub_size = round(size * rng.uniform(1.12, 1.4), 1)
        y += sub_size * 1.3
        width = builder.width_of(sub, "sans", sub_size)
        x = (span_left + span_right - width) / 2 if centred else span_left
        head_boxes.append(builder.line(sub, "sans", sub_size, x, y))
        expected["subheadline"] = sub.lstrip("—")
    body_top = y + size * 1.2

    # Body columns: single grid columns, or double ones on wide plain articles.
    group = 2 if not l_cols and (c1 - c0) % 2 == 0 and c1 - c0 >= 4 and rng.random() < 0.4 else 1
    columns = []
    for col in range(c0, c1, group):
        column_bottom = l_bottom if l_cols and col < c0 + l_cols else bottom
        columns.append((grid.x(col), grid.x_end(col + group), body_top, column_bottom - size * 0.5))
    # A photo printed inside the article, over its last two columns, the text below it.
    if group == 1 and len(columns) >= 3 and columns[-1][3] - body_top > 360 and rng.random() < 0.4:
        left, right = columns[-2][0], columns[-1][1]
        image_bottom = body_top + (right - left) * 0.6
        caption = _caption_lines(builder, grid, rng, left, right)
        photo, below = _picture(builder, grid, caption, left, right, body_top, image_bottom)
        photos.append(photo)
        for index in (-2, -1):
            x0, x1, _, column_bottom = columns[index]
            columns[index] = (x0, x1, below + size * 1.2, column_bottom)

    # Text: an opening with a dateline, paragraphs, crossheads, a closing credit.
    opening_kind = rng.randrange(4)
    reporter, correspondent = _name(rng), _name(rng)
    if opening_kind == 0:
        prefix = f"本报讯(记者 {reporter} 通讯员 {correspondent})"
        expected["dateline"] = "本报讯"
        expected["bylines"] = [
            {"name": reporter, "role": "reporter"},
            {"name": correspondent, "role": "correspondent"},
        ]
    elif opening_kind == 1:
        place = rng.choice(PLACES)
        prefix = f"{place}讯 "
        expected["dateline"] = f"{place}讯"
    elif opening_kind == 2:
        prefix = f"本报讯(记者 {reporter})"
        expected["dateline"] = "本报讯"
        expected["bylines"] = [{"name": reporter, "role": "reporter"}]
    else:
        prefix = ""
    closing_kind = rng.randrange(4)
    if closing_kind == 0 and opening_kind == 1:
        author = _name(rng)
        closing = f"({author})"
        expected["bylines"].append({"name": author, "role": "author"})
    elif closing_kind == 1:
        source = rng.choice(SOURCES)
        closing = f"({source}供稿)"
        expected["source"] = source
    elif closing_kind == 2:
        paper = rng.choice(PAPERS)
        closing = f"(据《{paper}》)"
        expected["syndicated_from"] = paper
    else:
        closing = ""

    paragraphs = []
    crossheads = rng.sample(CROSSHEADS, len(CROSSHEADS)) if rng.random() < 0.4 else []
    items: list[tuple] = []
    for index in range(60):
        # The first paragraph is short, so that even a small article has one.
        candidate_paragraph = _paragraph(
            rng, rng.randint(1, 2) if index == 0 else rng.randint(1, 4)
        )
        if index == 0:
            candidate_paragraph = candidate_paragraph.lstrip("“")
            if prefix[:1].isdigit() is False and prefix:
                candidate_paragraph = (
                    f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日," + candidate_paragraph
                )
        new_items = list(items)
        if crossheads and index and index % 3 == 0 and index // 3 <= len(crossheads):
            new_items.append(("h", crossheads[index // 3 % len(crossheads)]))
        opening = prefix if index == 0 else ""
        new_items.append(
            ("p", opening + candidate_paragraph, len(prefix.rstrip()) if opening else 0)
        )
        attempt = [
            *new_items[:-1],
            (new_items[-1][0], new_items[-1][1] + closing, new_items[-1][2]),
        ]
        try:
            _flow(builder, attempt, columns, size, leading, draw=False)
        except Overflow:
            if index == 0:
                # Too small for its opening: the article is a brief of one plain sentence.
                items = [("p", rng.choice(CLAUSES) + "。", 0)]
                prefix = closing = ""
                for key in ("dateline", "source", "syndicated_from"):
                    expected[key] = ""
                expected["bylines"] = []
                _flow(builder, items, columns, size, leading, draw=False)
            break
        items = new_items
        paragraphs.append(candidate_paragraph)
    items[-1] = (items[-1][0], items[-1][1] + closing, items[-1][2])
    boxes = _flow(builder, items, columns, size, leading, draw=True)
    for item in items:
        if item[0] == "h":
            expected["crossheads"].append(item[1])
        else:
            text = item[1]
            if item[2]:
                text = text[len(prefix) :]
            if closing and text.endswith(closing):
                text = text[: -len(closing)]
            expected["paragraphs"].append(text.strip())
    expected["boxes"] = [union(head_boxes)] + [union(b) for b in boxes if b]
    return expected


def _photo(builder: PageBuilder, grid: Grid, area, rng: random.Random) -> dict:
    """A standalone photo filling its area: the picture, then its caption under it."""
    c0, c1, top, bottom = area[:4]
    left, right = grid.x(c0), grid.x_end(c1)
    caption = _caption_lines(builder, grid, rng, left, right)
    caption_height = len(caption[2]) * round(grid.body * 0.85, 1) * 1.5
    image_bottom = bottom - caption_height - grid.body
    return _picture(builder, grid, caption, left, right, top + grid.body * 0.5, image_bottom)[0]


def _caption_lines(builder, grid, rng, left, right):
    """A caption ending in its photographer's credit, set in lines as wide as the picture."""
    size = round(grid.body * 0.85, 1)
    caption = (
        f"{rng.choice(TIMES)},{rng.choice(PLACES)}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}。"
        + _sentence(rng)
    )
    photographer = _name(rng)
    text = f"{caption} {photographer} 摄"
    return caption, photographer, _wrap(builder, text, "sans", size, right - left, 0)


def _picture(builder, grid, caption, left, right, image_top, image_bottom) -> tuple[dict, float]:
    """A picture with its caption and credit under it; the photo's JSON and where it ends."""
    caption, photographer, lines = caption
    size = round(grid.body * 0.85, 1)
    builder.images.append((left, image_top, right, image_bottom, len(builder.images)))
    boxes = [[left, image_top, right, image_bottom]]
    y = image_bottom + size * 0.4
    for line_text, _ in lines:
        y += size * 1.5
        # Punctuation kept at a line's end is squeezed in, as layout systems do.
        squeeze = builder.width_of(line_text, "sans", size) > right - left
        boxes.append(
            builder.line(
                line_text, "sans", size, left, y, spread_to=right - left if squeeze else None
            )
        )
    return {
        "headline": "",
        "caption": caption,
        "bylines": [{"name": photographer, "role": "photographer"}],
        "boxes": [union(boxes)],
    }, y + size * 0.3


def _plan(rng: random.Random, columns: int, top: float, bottom: float):
    """Areas of the page: (kind, c0, c1, top, bottom, l_cols, l_bottom), and rules between them."""
    areas, rules = [], []
    photo_done = False

    def split(c0, c1, y0, y1, depth):
        nonlocal photo_done
        width, height = c1 - c0, y1 - y0
        choices = []
        if width >= 4 and height >= 300:
            choices.append("vertical")
        if height >= 520 and width >= 2:
            choices.append("horizontal")
        if width >= 5 and height >= 560:
            choices.append("l")
        if not choices or depth >= 3 or (depth >= 1 and rng.random() < 0.3):
            kind = "photo" if not photo_done and width >= 3 and 240 <= height <= 520 else "article"
            photo_done = photo_done or kind == "photo"
            areas.append((kind, c0, c1, y0, y1, 0, 0))
            return
        choice = rng.choice(choices)
        if choice == "vertical":
            k = rng.randint(c0 + 2, c1 - 2)
            rules.append(("v", k, y0, y1))
            split(c0, k, y0, y1, depth + 1)
            split(k, c1, y0, y1, depth + 1)
        elif choice == "horizontal":
            ym = y0 + round(height * rng.uniform(0.4, 0.6))
            rules.append(("h", c0, c1, ym))
            split(c0, c1, y0, ym, depth + 1)
            split(c0, c1, ym, y1, depth + 1)
        else:
            k = rng.randint(c0 + 2, c1 - 3)
            ym = y0 + round(height * rng.uniform(0.5, 0.65))
            areas.append(("article", c0, c1, y0, ym, k - c0, y1))
            rules.append(("h", k, c1, ym))
            rules.append(("v", k, ym, y1))
            split(k, c1, ym, y1, depth + 1)

    split(0, columns, top, bottom, 0)
    return areas, rules


def make_page(seed: int) -> tuple[bytes, dict]:
    """One page PDF and its expected JSON, the same for the same seed."""
    from reportlab.pdfgen import canvas

    register_fonts()
    rng = random.Random(seed)
    width, height = rng.choice(PAGE_SIZES)
    columns = rng.choice((6, 7, 8))
    margin = round(width * 0.035, 1)
    gutter = round(rng.uniform(9, 14), 1)
    column = (width - 2 * margin - (columns - 1) * gutter) / columns
    body = round(min(column / rng.choice((8, 9, 10)) * 0.98, 12.5), 2)
    mode = rng.choice(("runs", "chunks", "chars"))
    builder = PageBuilder(width, height, rng, kangxi=rng.random() < 0.5)

    # The header band.
    paper, page_name = rng.choice(PAPERS), rng.choice(PAGE_NAMES)
    number = rng.randint(1, 16)
    editor, layout = _name(rng), _name(rng)
    band = margin + 48
    builder.fills.append((margin, margin, margin + 44, margin + 40, (0.6, 0.1, 0.1)))
    builder.line(f"{number:02d}", "sans-bold", 24, margin + 8, margin + 30, color=(1, 1, 1))
    builder.line(page_name, "serif-bold", 26, margin + 56, margin + 32)
    paper_width = builder.width_of(paper, "serif-bold", 22)
    builder.line(paper, "serif-bold", 22, (width - paper_width) / 2, margin + 30)
    date = f"2026年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 星期{rng.choice(WEEKDAYS)}"
    date_width = builder.width_of(date, "sans", 10)
    builder.line(date, "sans", 10, width - margin - date_width, margin + 18)
    credits_line = rng.choice(
        (f"责任编辑 {editor}  美编 {layout}", f"编辑 {editor}  版式 {layout}")
    )
    credit_width = builder.width_of(credits_line, "sans", 9)
    in_header = rng.random() < 0.6
    if in_header:
        builder.line(credits_line, "sans", 9, width - margin - credit_width, margin + 34)
    # Most papers close the header band with a rule; some leave white space only.
    if rng.random() < 0.8:
        builder.rule(margin, band, width - margin, band, 2.0)
        builder.rule(margin, band + 3, width - margin, band + 3, 0.5)
    bottom = height - margin - (0 if in_header else 16)
    if not in_header:
        builder.line(credits_line, "sans", 9, width - margin - credit_width, height - margin)
    grid = Grid(margin, band + 8, bottom, column, gutter, columns, body)

    areas, rules = _plan(rng, columns, band + 8, bottom)
    expected = {"credits": [], "articles": [], "photos": [], "page_size": [width, height]}
    expected["credits"] = [
        {"name": editor, "role": "editor" if credits_line.startswith("责任") else "page_editor"},
        {"name": layout, "role": "layout_editor"},
    ]
    if credits_line.startswith("责任"):
        # 责任编辑 in a page's header credits the page, as 编辑 does.
        expected["credits"][0]["role"] = "page_editor"
    for kind, *area in areas:
        if kind == "photo":
            expected["photos"].append(_photo(builder, grid, area, rng))
        else:
            expected["articles"].append(_article(builder, grid, area, rng, expected["photos"]))
    # Rules between articles on most pages; white space only on the others.
    for rule in rules if rng.random() < 0.7 else []:
        if rule[0] == "v":
            x = grid.x(rule[1]) - gutter / 2
            builder.rule(x, rule[2] + 4, x, rule[3] - 4)
        else:
            builder.rule(
                grid.x(rule[1]), rule[3] - body * 0.3, grid.x_end(rule[2]), rule[3] - body * 0.3
            )

    # Reading order of the expected articles: by their areas, as a reader goes through them.
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    ops = _operations(builder, rng, mode)
    for op in ops:
        op(pdf, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), expected


def _operations(builder: PageBuilder, rng: random.Random, mode: str):
    """Drawing operations, in the order a layout system might write them."""
    ops = []
    for x0, y0, x1, y1, colour in builder.fills:
        ops.append(_fill_op(x0, y0, x1, y1, colour))
    for x0, y0, x1, y1, index in builder.images:
        ops.append(_image_op(x0, y0, x1, y1, index))
    for x0, y0, x1, y1, width in builder.rules:
        ops.append(_rule_op(x0, y0, x1, y1, width))
    text_ops = []
    for piece in builder.pieces:
        if mode == "runs":
            text_ops.append(_text_op(piece, 0, len(piece.text)))
            continue
        start = 0
        while start < len(piece.text):
            length = 1 if mode == "chars" else rng.randint(1, 4)
            text_ops.append(_text_op(piece, start, min(len(piece.text), start + length)))
            start += length
    if mode != "runs":
        rng.shuffle(text_ops)
    # Text after the fills, so the white page number stays on its red box.
    return ops + text_ops


def _fill_op(x0, y0, x1, y1, colour):
    def draw(pdf, height):
        pdf.setFillColorRGB(*colour)
        pdf.rect(x0, height - y1, x1 - x0, y1 - y0, stroke=0, fill=1)

    return draw


def _rule_op(x0, y0, x1, y1, width):
    def draw(pdf, height):
        pdf.setLineWidth(width)
        pdf.setStrokeColorRGB(0.2, 0.2, 0.2)
        pdf.line(x0, height - y0, x1, height - y1)

    return draw


def _image_op(x0, y0, x1, y1, index):
    def draw(pdf, height):
        from PIL import Image, ImageDraw
        from reportlab.lib.utils import ImageReader

        picture = Image.new("RGB", (240, 160), (90 + 20 * index % 100, 120, 150))
        painter = ImageDraw.Draw(picture)
        painter.ellipse((150, 20, 210, 80), fill=(240, 200, 120))
        painter.polygon([(0, 160), (80, 70), (160, 160)], fill=(60, 90, 70))
        pdf.drawImage(ImageReader(picture), x0, height - y1, x1 - x0, y1 - y0)

    return draw


def _text_op(piece: Piece, start: int, end: int):
    def draw(pdf, height):
        text = pdf.beginText()
        text.setFont(f"Noto-{piece.font}", piece.size)
        text.setFillColorRGB(*piece.color)
        x = piece.x + sum(piece.advances[:start])
        # Each glyph placed on its own, as layout systems do for justified lines.
        for char, advance in zip(piece.text[start:end], piece.advances[start:end], strict=True):
            text.setTextOrigin(x, height - piece.y)
            text.textOut(char)
            x += advance
        pdf.drawText(text)

    return draw


def write_corpus(folder: Path, pages: int, seed: int = 0, *, issue: bool = False) -> list[Path]:
    """Write `pages` generated pages with their expected JSON into `folder`; or, as an
    `issue`, the PDFs alone named by page (01.pdf, 02.pdf, …) for import_issue."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(pages):
        data, expected = make_page(seed * 1000 + index)
        if issue:
            path = folder / f"{index + 1:02d}.pdf"
            path.write_bytes(data)
        else:
            path = folder / f"page_{index:03d}.pdf"
            path.write_bytes(data)
            (folder / f"page_{index:03d}.expected.json").write_text(
                json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--issue", action="store_true", help="only the PDFs, named 01.pdf, 02.pdf, … by page"
    )
    options = parser.parse_args()
    for path in write_corpus(options.folder, options.pages, options.seed, issue=options.issue):
        print(path)


if __name__ == "__main__":
    main()
