"""One page PDF to the page document (FORMAT-PDF.md): articles and photos with their boxes.

Geometry decides what belongs together and in which order (layout.py); each article's lines
then go through the text importer's role decoder and assembly (label_lines, assemble), with
their size and weight, so datelines, bylines, sources and crossheads are read by one grammar
whether a page came as text or as a PDF. What geometry knows better than text (kicker,
headline and subheadline by size and place, crossheads by weight) overrides the decoder.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..assembly import assemble
from ..credits import EDITOR, PAGE_EDITOR, PHOTOGRAPHER, dedupe, parse_credits
from ..decoder import label_lines
from ..document import CROSSHEAD, PARAGRAPH, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from ..lines import Line
from .extract import read_raw_page
from .layout import (
    Block,
    Box,
    Head,
    TextLine,
    assign_blocks,
    body_size,
    box_of,
    build_blocks,
    build_lines,
    caption_lines,
    find_heads,
    head_order,
    header_bottom,
    merge_pictures,
    reading_order,
    set_reach,
    split_at_upright_heads,
    union,
)

_SPACES = re.compile(r"\s+")
_STAND_IN_HEADLINE = "标题"
_TERMINAL = '。!?！？;；…:：,，、”")）'
MAYBE_CROSSHEAD = "maybe_crosshead"
# A short line ends its paragraph only after a sentence's end (not “本报讯(记者 许国”).
_PARAGRAPH_END = "。!?！？…”」』)）"
_DASH_EDGE = re.compile(r"^[—–―－-]+|[—–―－-]+$")
_PAGE_NUMBER = re.compile(r"^(?:第\s*)?([A-Z]?\d{1,3})\s*版?$")
_NUMBERED = re.compile(r"(第\s*[A-Z]?\d{1,3}\s*版)")
_DATE_LIKE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|星期|周[一二三四五六日]|农历")
_SENTENCE = re.compile("[，。；！？,;!?]")
_PAGE_ROLE = re.compile(r"版式|美编|美术编辑|排版|组版|本版")
_CREDIT_WORD = re.compile(r"编辑|版式|美编|校对")
# A first line that opens with a dateline is bold for the dateline, not a crosshead.
_DATELINE_START = re.compile(r"^\S{0,16}?(?:讯|电)(?:[(（\s]|$)")
_PHOTO_TAIL = re.compile(r"[(（]?[^。!?！？;；()（）]{1,30}?摄影?[)）]?\s*$")


@dataclass
class PdfArticle(ParsedArticle):
    """An article read from a PDF: the text document's article with its boxes."""

    boxes: list[Box] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "boxes": [_rounded(box) for box in self.boxes]}


@dataclass
class PdfPhoto(ParsedPhoto):
    """A photo read from a PDF: the picture's own box, and its box with caption and credit."""

    boxes: list[Box] = field(default_factory=list)
    image_box: Box | None = None
    # The picture's place among the page's image objects, depth first through form XObjects
    # (the order of pypdfium2's page.get_objects), so the Django side can cut it out.
    image_index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "boxes": [_rounded(box) for box in self.boxes]}


@dataclass
class PdfPage:
    """Everything read from one page PDF; as_dict() is FORMAT-PDF.md's document."""

    document: ParsedPage
    page_size: tuple[float, float]
    page_number: str = ""
    page_name: str = ""
    page_count: int = 1
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        result = self.document.as_dict()
        result["page_size"] = [round(self.page_size[0], 2), round(self.page_size[1], 2)]
        if self.page_number:
            result["page_number"] = self.page_number
        if self.page_name:
            result["page_name"] = self.page_name
        return result


def _rounded(box: Box) -> list[float]:
    return [round(value, 2) for value in box]


def read_pdf_page(data: bytes, *, page_index: int = 0) -> PdfPage:
    """Read one page of a PDF (the first unless told) into articles, photos and credits.

    Raises PdfReadError for what is not a readable page PDF: not a PDF, encrypted, damaged,
    too large, or without a text layer. A PDF of several pages is read for one page only,
    and says so in `warnings`; `page_count` tells how many it has.
    """
    raw = read_raw_page(data, page_index=page_index)
    body = body_size(raw.chars)
    lines = build_lines(raw.chars, raw.rules, body)
    band = header_bottom(lines, raw.rules, raw.height)
    footer = _footer(lines, raw)
    furniture = [line for line in lines if line.bottom <= band + 1 or id(line) in footer]
    rest = [line for line in lines if line.bottom > band + 1 and id(line) not in footer]

    credits: list[Credit] = []
    for line in furniture:
        credits.extend(_page_credits(line.text, in_band=True))
    credit_lines = {}
    for line in rest:
        found = _page_credits(line.text, in_band=False) if len(line.text) <= 40 else []
        if found:
            credit_lines[id(line)] = found
    # A page's credits on one line set apart by wide spaces (“责任编辑 X　　版式 Y”) come as
    # pieces: a piece beside a page credit line, on its baseline, credits the page too.
    credited = [line for line in rest if id(line) in credit_lines]
    for line in rest if credited else []:
        if id(line) not in credit_lines and len(line.text) <= 40:
            beside = any(
                abs(other.baseline - line.baseline) < 0.3 * line.size
                and max(other.x0 - line.x1, line.x0 - other.x1) <= 6 * line.size
                for other in credited
            )
            found = _page_credits(line.text, in_band=True) if beside else []
            if found:
                credit_lines[id(line)] = found
    content = []
    for line in rest:
        if id(line) in credit_lines:
            credits.extend(credit_lines[id(line)])
        else:
            content.append(line)

    heads = find_heads(content, body)
    in_heads = {id(line) for head in heads for line in head.lines}
    pictures = merge_pictures(raw.pictures, body, band, content, raw.width * raw.height)
    used = set(in_heads)
    photos = []
    for picture in pictures:
        caption = caption_lines(picture, content, used, raw.rules)
        used.update(id(line) for line in caption)
        photos.append(_photo(picture, caption))

    left = min((line.x0 for line in content), default=0.0)
    right = max((line.x1 for line in content), default=raw.width)
    set_reach(heads, raw.rules, pictures, left, right)
    blocks = build_blocks([line for line in content if id(line) not in used], raw.rules, body)
    blocks = split_at_upright_heads(blocks, heads)
    owned, orphans = assign_blocks(heads, blocks, raw.rules, body, pictures)
    _adopt(orphans, owned, heads)

    # Large print with no text under it (an advertisement's slogans, a poster) is no article:
    # an article is a headline followed by body text.
    articles = [_article(heads[index], owned[index], body) for index in head_order(heads)]
    articles = [article for article in articles if article.body]
    number, name = _page_label(furniture, {credit.name for credit in credits})
    page = PdfPage(
        document=ParsedPage(credits=dedupe(credits), articles=articles, photos=photos),
        page_size=(raw.width, raw.height),
        page_number=number,
        page_name=name,
        page_count=raw.page_count,
    )
    if raw.page_count > 1:
        page.warnings.append(
            f"The PDF has {raw.page_count} pages; only page {page_index + 1} was read."
        )
    return page


def _footer(lines: list[TextLine], raw) -> set[int]:
    """The page's foot furniture: marks (page number, date) below every line of sentences,
    since an article's line near the foot may name a date too (a dateline, say)."""
    marks = [line for line in lines if _footer_mark(line, raw)]
    if not marks:
        return set()
    ids = {id(line) for line in marks}
    floor = max(
        (line.bottom for line in lines if id(line) not in ids and _SENTENCE.search(line.text)),
        default=0.0,
    )
    return {id(line) for line in marks if line.top >= floor - 0.2 * line.size}


def _footer_mark(line: TextLine, raw) -> bool:
    """A page number or date printed at the foot of the page: furniture, not text (a line of
    an article's sentences near the foot may name a date too)."""
    return line.top > 0.94 * raw.height and (
        _PAGE_NUMBER.match(_SPACES.sub("", line.text)) is not None
        or (_DATE_LIKE.search(line.text) is not None and not _SENTENCE.search(line.text))
    )


def _adopt(orphans: list[Block], owned: dict[int, list[Block]], heads: list[Head]) -> None:
    """Blocks under no head (a column continued below a picture) join the nearest article."""
    for block in orphans:
        best, best_distance = None, None
        for index, blocks in owned.items():
            for box in [heads[index].box] + [other.box for other in blocks]:
                dx = max(0.0, box[0] - block.x1, block.x0 - box[2])
                dy = max(0.0, box[1] - block.bottom, block.top - box[3])
                distance = dx + dy
                if best_distance is None or distance < best_distance:
                    best, best_distance = index, distance
        if best is not None:
            owned[best].append(block)


def _page_credits(text: str, *, in_band: bool) -> list[Credit]:
    """Page credits on a line of their own: anywhere for 版式/美编/本版编辑, only in the
    header or footer band for a plain 编辑 (an article's 责任编辑 stays the article's)."""
    first = _CREDIT_WORD.search(text)
    if not first or (not in_band and not _PAGE_ROLE.search(text)):
        return []
    # A header line may hold the date and the page's name before its credits.
    start = first.start()
    if in_band and text[max(0, start - 2) : start] in ("本版", "责任"):
        start -= 2
    found = parse_credits(_SPACES.sub(" ", text[start if in_band else 0 :]), default=None)
    if not found:
        return []
    return [
        Credit(credit.name, PAGE_EDITOR) if credit.role == EDITOR else credit for credit in found
    ]


def _page_label(furniture: list[TextLine], people: set[str]) -> tuple[str, str]:
    """The page number (版次) and page name (版名) from the header band: the words of its
    lines, the number as `03`, `A3`, `第3版`, the name the nearest other short word that is
    no date, credit, person credited (`people`) or paper's name."""
    words = [
        (word, line, position)
        for line in furniture
        for position, word in enumerate(_NUMBERED.sub(r" \1 ", line.text).split())
    ]
    # Not a number of the date's; 第N版 first, then the largest print.
    numbers = [
        item
        for item in words
        if _PAGE_NUMBER.match(item[0]) and not _DATE_LIKE.search(item[1].text)
    ]
    if not numbers:
        return "", ""
    number = max(numbers, key=lambda item: (item[0].startswith("第"), item[1].size))
    _, number_line, number_position = number
    names = [
        item
        for item in words
        if item is not number
        and 2 <= len(item[0]) <= 8
        and not any(char.isdigit() for char in item[0])
        and not _DATE_LIKE.search(item[0])
        and not _CREDIT_WORD.search(item[0])
        and not item[0].endswith(("报", "刊"))
        and item[0] not in people
    ]

    def distance(item) -> float:
        _, line, position = item
        if line is number_line:
            return abs(position - number_position) - 1
        return abs(line.x0 - number_line.x1) + abs(line.baseline - number_line.baseline)

    page_number = _PAGE_NUMBER.match(number[0]).group(1)
    return page_number, min(names, key=distance)[0] if names else ""


# Articles.


def _article(head: Head, blocks: list[Block], body: float) -> PdfArticle:
    items = _body_items(reading_order(blocks), body)
    headline = _join(head.headline, heading=True)
    parsed = _grammar(items, body)
    crossheads = {_key(text) for kind, text in items if kind == CROSSHEAD}
    maybe = {_key(text) for kind, text in items if kind == MAYBE_CROSSHEAD}
    merged = _merge(parsed, crossheads, maybe) if parsed else None
    if merged is None or _length(merged.body) < 0.9 * _length(items) - 40:
        # The grammar lost text it should have kept: the geometry's reading stands.
        merged = ParsedArticle.from_body(
            [(CROSSHEAD if kind == MAYBE_CROSSHEAD else kind, text) for kind, text in items]
        )
    merged.kicker = _DASH_EDGE.sub("", _join(head.kicker, heading=True)).strip()
    merged.headline = headline
    merged.subheadline = _DASH_EDGE.sub("", _join(head.subheadline, heading=True)).strip()
    boxes = [head.box] + [block.box for block in reading_order(blocks)]
    return PdfArticle(**{**merged.__dict__, "boxes": boxes})


def _length(body: list[tuple[str, str]]) -> int:
    return sum(len(_key(text)) for _, text in body)


def _key(text: str) -> str:
    return _SPACES.sub("", text)


def _join(lines: list[TextLine], *, heading: bool = False) -> str:
    text = ""
    # Lines read top down; upright lines right to left.
    for line in sorted(
        lines, key=lambda line: (-line.x1, line.top) if line.vertical else (0, line.top)
    ):
        part = line.text.strip()
        if text and heading and text[-1].isascii() and part[:1].isascii():
            text += " "
        elif text and heading:
            text += " " if _ends_word(text) else ""
        text += part
    return text


def _ends_word(text: str) -> bool:
    return text[-1].isalnum() and text[-1].isascii()


def _body_items(blocks: list[Block], body: float) -> list[tuple[str, str]]:
    """The article's body in reading order: paragraphs (with a dateline's bold prefix kept
    in place) and crossheads, from indents, short last lines and weight."""
    items: list[tuple[str, str]] = []
    paragraph = ""
    previous_short = True
    for block in blocks:
        # Crossheads stand out from the block's own text: bold, or set larger.
        # (Of sizes as common, the smaller: a crosshead atop a column's last two lines.)
        counts = Counter(line.size for line in block.lines)
        usual = min(counts, key=lambda size: (-counts[size], size))
        standing_out = [line.bold or line.size >= 1.05 * usual for line in block.lines]
        for number, line in enumerate(block.lines):
            size = max(line.size, body)
            text = line.text.strip()
            starts_dateline = not items and not paragraph and _DATELINE_START.match(text)
            if standing_out[number] and not starts_dateline and len(text) <= 30:
                if paragraph:
                    items.append((PARAGRAPH, paragraph))
                    paragraph = ""
                if items and items[-1][0] == CROSSHEAD and number and standing_out[number - 1]:
                    items[-1] = (CROSSHEAD, _glue(items[-1][1], text))
                else:
                    items.append((CROSSHEAD, text))
                previous_short = True
                continue
            # A paragraph's first line is indented by about two characters; a line pushed
            # further right is a right-aligned credit or its continuation.
            indented = 0.8 * size <= line.x0 - block.x0 <= 3.5 * size
            ended = not paragraph or paragraph[-1] in _PARAGRAPH_END
            if ended and _lone_heading(block, number, size):
                # Where weight is unknown (Type3 fonts), a short unindented line between
                # paragraphs is a crosshead; a longer one is, if the grammar agrees.
                if paragraph:
                    items.append((PARAGRAPH, paragraph))
                    paragraph = ""
                items.append((CROSSHEAD if len(text) <= 16 else MAYBE_CROSSHEAD, text))
                continue
            if paragraph and (indented or (previous_short and paragraph[-1] in _PARAGRAPH_END)):
                items.append((PARAGRAPH, paragraph))
                paragraph = ""
            paragraph = _glue(paragraph, text)
            previous_short = line.x1 < block.x1 - 1.2 * size
    if paragraph:
        items.append((PARAGRAPH, paragraph))
    return items


def _lone_heading(block: Block, number: int, size: float) -> bool:
    """A short line, not indented, not ending a sentence, followed by a paragraph's start."""
    line = block.lines[number]
    text = line.text.strip()
    if (
        number + 1 >= len(block.lines)
        or len(text) > 20
        or text[-1] in _TERMINAL
        or line.x1 >= block.x1 - 1.2 * size
        or (
            line.x0 - block.x0 >= 0.8 * size
            and abs((line.x0 + line.x1) / 2 - (block.x0 + block.x1) / 2) > size
        )
    ):
        return False
    following = block.lines[number + 1]
    return 0.8 * size <= following.x0 - block.x0 <= 3.5 * size


def _glue(first: str, second: str) -> str:
    if first and first[-1].isascii() and first[-1].isalpha() and second[:1].isascii():
        return f"{first} {second}"
    return first + second


def _grammar(items: list[tuple[str, str]], body: float) -> list[ParsedArticle]:
    """The text importer's reading of the article (its datelines, credits, crossheads): the
    role decoder and assembly over the article's lines, with their size and weight."""
    # Geometry has found the headline; the decoder gets a plain stand-in, so that a headline
    # it would not take for one (ending in a comma, say) cannot make it drop the text.
    lines = [Line(text=_STAND_IN_HEADLINE, size=2 * body, bold=True, block=0)]
    gap = 1
    for kind, text in items:
        if kind in (CROSSHEAD, MAYBE_CROSSHEAD):
            bold = True if kind == CROSSHEAD else None
            lines.append(
                Line(text=text, gap_before=1, indented=False, size=body, bold=bold, block=0)
            )
            gap = 1
        else:
            lines.append(Line(text=text, gap_before=gap, indented=True, size=body, block=0))
            gap = 0
    return assemble(label_lines(lines)).articles


def _merge(parsed: list[ParsedArticle], crossheads: set[str], maybe: set[str]) -> ParsedArticle:
    """One article from the grammar's reading, even where it saw a crosshead as a new
    headline; geometry's crossheads (bold lines) are crossheads whatever the grammar said,
    lone short lines where the grammar says so, and nothing else is."""
    first = parsed[0]
    body: list[tuple[str, str]] = list(first.body)
    bylines = list(first.bylines)
    source, syndicated = first.source, first.syndicated_from
    for other in parsed[1:]:
        for heading in (other.kicker, other.headline, other.subheadline):
            if heading:
                known = _key(heading) in crossheads or _key(heading) in maybe
                body.append((CROSSHEAD if known else PARAGRAPH, heading))
        body.extend(other.body)
        bylines += other.bylines
        source = source or other.source
        syndicated = syndicated or other.syndicated_from
    body = [
        (
            CROSSHEAD
            if _key(text) in crossheads or (kind == CROSSHEAD and _key(text) in maybe)
            else PARAGRAPH,
            text,
        )
        for kind, text in body
        if text
    ]
    return ParsedArticle.from_body(
        body,
        dateline=first.dateline,
        source=source,
        syndicated_from=syndicated,
        bylines=dedupe(bylines),
    )


# Photos.


def _photo(picture, caption: list[TextLine]) -> PdfPhoto:
    image_box = (picture.x0, picture.top, picture.x1, picture.bottom)
    boxes = [image_box] + [box_of(line) for line in caption]
    # A short first line in larger print than the rest is the caption's own title.
    title = ""
    if len(caption) > 1:
        first, rest = caption[0], caption[1:]
        if first.size >= 1.1 * max(line.size for line in rest) and len(first.text) <= 20:
            title, caption = first.text.strip(), rest
    text = ""
    for line in caption:
        text = _glue(text, line.text.strip())
    text = text.strip()
    bylines: list[Credit] = []
    match = _PHOTO_TAIL.search(text)
    while match:
        tail = match.group(0).strip().strip("()（）")
        found = parse_credits(tail, default=None)
        if found and all(credit.role == PHOTOGRAPHER for credit in found):
            bylines = found
            text = text[: match.start()].rstrip()
            break
        # The credit may be shorter than the tail: try from the next space or mark on.
        cut = re.search(r"[\s,，、:：]", match.group(0)[1:])
        if not cut:
            break
        start = match.start() + 1 + cut.end()
        match = _PHOTO_TAIL.match(text, start) if start < len(text) else None
    return PdfPhoto(
        headline=title,
        caption=text,
        bylines=bylines,
        boxes=[union(boxes)],
        image_box=image_box,
        image_index=picture.index,
    )
