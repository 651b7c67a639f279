"""One printed line and the role it plays on its page: the model shared by text and PDF pages.

A page, whether pasted text or a PDF's text layer, is read as a list of `Line`s in reading
order. Text gives only the characters and the blank lines between them; a PDF adds the font
size, weight, position and the article region a line sits in. The role decoder
(`label_lines`) gives every line one `Role`, and assembly (`assemble`) builds the FORMAT.md
document from the labelled lines, so both kinds of page are read by one grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from .text import CLOSE, OPEN, normalise_text

Box = tuple[float, float, float, float]


class Role(StrEnum):
    """Every role a line can take on a page. The values are stable: they are stored in the
    admin's correction form and in downloaded test cases."""

    # Not part of any article: a site's breadcrumbs, share links, the page header, page marks.
    FURNITURE = "furniture"
    # A page header or footer naming the page's editors (`| 编辑 X 版式 Y |`).
    PAGE_CREDIT = "page_credit"
    # The line above a headline that introduces it (引题), often a series name ending in a dash.
    KICKER = "kicker"
    # The main title (主题); consecutive headline lines are one headline broken in two.
    HEADLINE = "headline"
    # The line under the headline (副题).
    SUBHEADLINE = "subheadline"
    # A credit line at the top of an article (`本报记者 X 通讯员 Y`).
    BYLINE = "byline"
    # The first paragraph, opened by a dateline and its credits (`本报讯(记者 X)3月1日,…`).
    DATELINE = "dateline"
    # Body text: a paragraph, or the rest of one that OCR broke.
    BODY = "body"
    # A short heading inside an article's body (小标题).
    CROSSHEAD = "crosshead"
    # A credit that closes an article: a bare name, `(王欣)`, `(X供稿)`, `[责任编辑:X]`.
    CREDIT = "credit"
    # A picture's own title, above its caption.
    PHOTO_TITLE = "photo_title"
    # A picture's caption (图片说明).
    CAPTION = "caption"
    # Who took the picture: `X 摄`, `新华社发`, `资料图片`.
    PHOTO_CREDIT = "photo_credit"
    # Where an article jumps to or from another page (`转第3版`, `上接第1版`).
    JUMP = "jump"


ROLE_VALUES = frozenset(role.value for role in Role)


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line, with whatever evidence its source has about it.

    Only `text` is always known. For text pages `gap_before` is the number of blank lines
    before the line and `indented` says whether it starts with an indent; the geometry is None.
    For PDF pages `gap_before` is the vertical gap above the line in body-line heights, `size`
    the font size in points, `bold` its weight, `box` its `(x0, top, x1, bottom)` in PDF points
    from the page's top-left corner, and `block` the article region geometry put it in (a line
    in another block than the one before it always starts a new article or photo).
    """

    text: str
    gap_before: float = 0
    indented: bool | None = None
    size: float | None = None
    bold: bool | None = None
    box: Box | None = None
    block: int | None = None


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A line with the role the decoder (or an editor) gave it.

    `confidence` is how much more likely the chosen role was than the best other role for
    this line, from 0 (a toss-up) to 1 (no doubt); the admin marks lines below a threshold.
    """

    line: Line
    role: Role
    confidence: float = 1.0

    @property
    def text(self) -> str:
        return self.line.text


_INDENT = re.compile(r"^(?:\u3000|\s{2,})")
_OPENING = re.compile(f"[{OPEN}]")
_CLOSING = re.compile(f"[{CLOSE}]")
# The start of a line that closes a bracket left open on the line before it.
_CLOSES_FIRST = re.compile(f"^[^{OPEN}]*?[{CLOSE}]")


def _unclosed(text: str) -> bool:
    return len(_OPENING.findall(text)) > len(_CLOSING.findall(text))


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of a text page, each with the blank lines before it and its indent.

    An indent tells a paragraph's first line from its continuation only where some lines have
    none; where every line is indented it says nothing and is dropped.
    """
    lines: list[Line] = []
    gap = 0
    for raw in normalise_text(text).split("\n"):
        stripped = raw.strip()
        if not stripped:
            gap += 1
            continue
        if not gap and lines and _unclosed(lines[-1].text) and _CLOSES_FIRST.match(stripped):
            # A bracket does not span two lines of a page: OCR broke the line inside it
            # (本报讯（记者 X 通讯员 / Y）正文…), and the credits in it are read whole.
            lines[-1] = replace(lines[-1], text=f"{lines[-1].text} {stripped}")
            continue
        lines.append(Line(text=stripped, gap_before=gap, indented=_INDENT.match(raw) is not None))
        gap = 0
    if lines and sum(1 for line in lines if line.indented) >= len(lines) * 0.9:
        lines = [Line(text=line.text, gap_before=line.gap_before, indented=False) for line in lines]
    return lines
