"""Page geometry: characters into lines, lines into heads, captions and column blocks, and
blocks into articles, from positions alone (the file's order of objects is never used).

Every threshold is relative to the page's own body size (the size most characters have), so
the same rules read broadsheets and tabloids, six columns or eight.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .extract import Char, Picture, Rule

Box = tuple[float, float, float, float]

_DASHES = "—–―－-"
_PAGE_MARK = re.compile(r"^[A-Z]?\d{1,3}(?:\s|$)")
_HEADER_MARK = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|星期[一二三四五六日天]|第\s*[A-Z]?\d{1,3}\s*版"
)


@dataclass(slots=True)
class TextLine:
    chars: list[Char]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    baseline: float = 0.0
    size: float = 0.0
    bold: bool = False
    text: str = ""
    vertical: bool = False  # upright characters set top to bottom (a 竖排 headline)

    def finish(self, *, ordered: bool = False) -> TextLine:
        """Compute the line's box, size, weight and text from its characters (`ordered`:
        they are already in reading order: left to right, or top to bottom if vertical)."""
        if self.vertical:
            chars = self.chars if ordered else sorted(self.chars, key=lambda char: char.top)
        else:
            chars = self.chars if ordered else sorted(self.chars, key=lambda char: char.x0)
        self.chars = chars
        self.x0 = min(char.x0 for char in chars)
        self.x1 = max(char.x1 for char in chars)
        self.top = min(char.top for char in chars)
        self.bottom = max(char.bottom for char in chars)
        self.baseline = chars[len(chars) // 2].baseline
        sizes = [char.size for char in chars]
        self.size = max(set(sizes), key=sizes.count)
        self.bold = sum(char.bold for char in chars) >= 0.8 * len(chars)
        self.text = (
            "".join(char.text for char in chars) if self.vertical else _line_text(chars, self.size)
        )
        return self

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def bold_prefix(self) -> int:
        """How many of the line's first characters are bold (a dateline set in bold)."""
        count = 0
        for char in self.chars:
            if not char.bold:
                break
            count += 1
        return count


def _middle(values: list[float]) -> float:
    """The middle value (upper median): cheaper than statistics.median, as good here."""
    return sorted(values)[len(values) // 2]


def _gaps(chars: list[Char]) -> list[float]:
    return [b.x0 - a.x1 for a, b in pairwise(chars)]


def _line_text(chars: list[Char], size: float) -> str:
    """The characters in order, with a space where the line shows one (between words,
    before a right-aligned credit), judged against the line's own letter spacing."""
    gaps = _gaps(chars)
    usual = _middle(gaps) if gaps else 0.0
    parts = [chars[0].text]
    for gap, char in zip(gaps, chars[1:], strict=True):
        if gap > usual + 0.15 * size:
            parts.append(" ")
        parts.append(char.text)
    return "".join(parts)


def union(boxes: list[Box]) -> Box:
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def box_of(line: TextLine) -> Box:
    return (line.x0, line.top, line.x1, line.bottom)


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


# Lines.


def build_lines(chars: list[Char], rules: list[Rule], body: float | None = None) -> list[TextLine]:
    """Characters that share a baseline and follow each other closely, split where the gap
    is far wider than the line's own letter spacing (a gutter) or where a rule stands; and
    characters set top to bottom, one under the other, as vertical lines. `body` is the
    page's body size (worked out from the characters if not given)."""
    verticals = [rule for rule in rules if not rule.horizontal]
    rows = [sorted(row, key=lambda char: char.x0) for row in _rows(chars)]
    lines = _upright(rows, body_size(chars) if body is None else body)
    upright = {id(char) for line in lines for char in line.chars}
    for row in rows:
        if upright:
            row = [char for char in row if id(char) not in upright]
        for chars_of_line in _row_lines(row, verticals):
            for piece in _split_at_gutters(chars_of_line):
                lines.append(TextLine(piece).finish(ordered=True))
    return lines


def _upright(rows: list[list[Char]], body: float) -> list[TextLine]:
    """Text set top to bottom (竖排): characters with no neighbour of their size on their
    baseline, an em below one another; three or more make one vertical line. Such a line
    then goes on up and down through characters of its size an em apart that have a
    neighbour (another upright line beside it), and those neighbours, an em apart too, make
    the upright lines beside it. `rows` are bands of baselines, each left to right."""
    lone: list[Char] = []
    for ordered in rows:
        # Left to right, a character is alone unless the one before or after it is its
        # neighbour: every character on a page passes here, so the test is written out.
        previous_near = False
        for char, after in zip(ordered, [*ordered[1:], None], strict=True):
            size = char.size
            near = (
                after is not None
                and abs(after.size - size) <= 0.1 * size
                and abs(after.baseline - char.baseline) <= 0.1 * size
                and after.x0 - char.x1 <= 0.6 * size
            )
            if not (near or previous_near):
                lone.append(char)
            previous_near = near
    runs = [run for run in _stacks(lone) if len(run) >= 3] if len(lone) >= 3 else []
    # Two upright headline lines side by side, as long as each other: their characters have
    # a neighbour, a line's leading away, but stand exactly an em under one another (a
    # horizontal headline's lines stand further apart than its characters).
    found = {id(char) for run in runs for char in run}
    spaced = []
    large = 1.3 * body
    for ordered in rows:
        for index, char in enumerate(ordered):
            if char.size < large or id(char) in found:
                continue
            before = ordered[index - 1] if index else None
            after = ordered[index + 1] if index + 1 < len(ordered) else None
            if (before is None or char.x0 - before.x1 >= 0.15 * char.size) and (
                after is None or after.x0 - char.x1 >= 0.15 * char.size
            ):
                spaced.append(char)
    runs += [
        run
        for run in _stacks(spaced)
        if len(run) >= 3 and all(b.baseline - a.baseline <= 1.1 * a.size for a, b in pairwise(run))
    ]
    if not runs:
        return []
    # Only a headline's lines grow so: characters of body text stand an em or so under one
    # another down every column.
    heads = [run for run in runs if run[0].size >= 1.3 * body]
    sizes = [run[0].size for run in heads]
    pool = [
        char
        for row in rows
        for char in row
        if any(abs(char.size - size) <= 0.1 * size for size in sizes)
    ]
    taken = {id(char) for run in runs for char in run}
    for run in heads:
        _grow(run, [char for char in pool if id(char) not in taken], taken)
    beside = []
    for run in heads:
        size = run[0].size
        level = {round(char.baseline / (0.1 * size)) for char in run}
        near = [
            char
            for char in pool
            if id(char) not in taken
            and round(char.baseline / (0.1 * size)) in level
            and abs(char.size - size) <= 0.1 * size
            and (0 <= run[0].x0 - char.x1 <= 1.0 * size or 0 <= char.x0 - run[0].x1 <= 1.0 * size)
        ]
        for stack in _stacks(near):
            if len(stack) >= 2:
                beside.append(stack)
                taken.update(id(char) for char in stack)
    return [TextLine(run, vertical=True).finish() for run in runs + beside]


def _stacks(chars: list[Char]) -> list[list[Char]]:
    """Characters one under another, an em apart, top down."""
    runs: list[list[Char]] = []
    for char in sorted(chars, key=lambda char: char.baseline):
        for run in runs:
            if _under(char, run[-1]):
                run.append(char)
                break
        else:
            runs.append([char])
    return runs


def _under(char: Char, last: Char) -> bool:
    """Is `char` set upright right under `last`? Punctuation set upright sits off the middle
    (a colon to the right): overlap; and baselines an em apart, for boxes may be the glyphs'
    own (“一” is flat)."""
    return (
        overlap(char.x0, char.x1, last.x0, last.x1)
        > 0.25 * min(char.x1 - char.x0, last.x1 - last.x0, char.size)
        and abs(last.size - char.size) <= 0.1 * char.size
        and 0.8 * char.size <= char.baseline - last.baseline <= 1.3 * char.size
    )


def _grow(run: list[Char], pool: list[Char], taken: set[int]) -> None:
    """Extend an upright run up and down through the pool's characters an em away."""
    growing = True
    while growing:
        growing = False
        for char in pool:
            if id(char) in taken:
                continue
            if _under(run[0], char):
                run.insert(0, char)
            elif _under(char, run[-1]):
                run.append(char)
            else:
                continue
            taken.add(id(char))
            growing = True


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters in bands of nearly equal baselines, so lines are looked for among few."""
    ordered = sorted(chars, key=lambda char: char.baseline)
    rows: list[list[Char]] = []
    current: list[Char] = []
    for char in ordered:
        if current and char.baseline - current[-1].baseline > 0.3 * char.size:
            rows.append(current)
            current = []
        current.append(char)
    if current:
        rows.append(current)
    return rows


def _row_lines(row: list[Char], verticals: list[Rule]) -> list[list[Char]]:
    """Within a band (its characters left to right): each character continues the open line
    that ends just before it on its baseline (never across a rule), or starts one."""
    open_lines: list[list[Char]] = []
    done: list[list[Char]] = []
    current: list[Char] | None = None
    for char in row:
        if current is not None:
            # The usual case: the character goes on with the line its neighbour went to.
            last = current[-1]
            gap = char.x0 - last.x1
            if (
                -0.5 * char.size <= gap <= 0.3 * char.size
                and last.size == char.size
                and abs(last.baseline - char.baseline) <= 0.1 * char.size
                and (gap < 1 or not verticals or not _rule_between(verticals, last, char))
            ):
                current.append(char)
                continue
        reach = 2.0 * char.size
        if any(line[-1].x1 < char.x0 - reach for line in open_lines):
            done.extend(line for line in open_lines if line[-1].x1 < char.x0 - reach)
            open_lines = [line for line in open_lines if line[-1].x1 >= char.x0 - reach]
        best, best_distance = None, None
        for line in open_lines:
            last = line[-1]
            larger = max(last.size, char.size)
            distance = abs(last.baseline - char.baseline)
            if (
                distance > 0.3 * larger
                or larger > 1.6 * min(last.size, char.size)
                or char.x0 - last.x1 > 1.5 * larger
                or (verticals and _rule_between(verticals, last, char))
            ):
                continue
            if best_distance is None or distance < best_distance:
                best, best_distance = line, distance
        if best is None:
            best = [char]
            open_lines.append(best)
        else:
            best.append(char)
        current = best
    done.extend(open_lines)
    return done


def _rule_between(verticals: list[Rule], left: Char, right: Char) -> bool:
    return any(
        left.x1 - 1 <= rule.x0
        and rule.x1 <= right.x0 + 1
        and rule.top <= left.baseline <= rule.bottom
        for rule in verticals
    )


def _split_at_gutters(chars: list[Char]) -> list[list[Char]]:
    gaps = _gaps(chars)
    if not gaps:
        return [chars]
    usual = _middle(gaps)
    pieces, current = [], [chars[0]]
    for gap, char in zip(gaps, chars[1:], strict=True):
        size = max(char.size, current[-1].size)
        # Punctuation set half-width keeps its full-width box, which eats into the gap after
        # it; a gutter after punctuation is therefore told by a smaller gap.
        if gap > max(0.35 * size, usual + 0.3 * size) and (
            gap > 0.55 * size or unicodedata.category(current[-1].text[:1] or " ")[0] == "P"
        ):
            pieces.append(current)
            current = []
        current.append(char)
    pieces.append(current)
    return pieces


def body_size(chars: list[Char]) -> float:
    """The size most characters are set in: the page's body text."""
    counts = Counter(round(char.size * 2) / 2 for char in chars)
    return counts.most_common(1)[0][0]


# Header band.


def header_bottom(lines: list[TextLine], rules: list[Rule], height: float) -> float:
    """Where the header band ends: the first rule across the page near its top with the
    band's marks (a date, a page number) above it; else the lines beside those marks; else 0
    (a page without a header band: a rule under a lead headline is no band)."""
    if not lines:
        return 0.0
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    across = [
        rule
        for rule in rules
        if rule.horizontal and rule.x1 - rule.x0 >= 0.6 * (right - left) and rule.top < 0.2 * height
    ]
    candidates = sorted(
        rule.bottom
        for rule in across
        if any(line.bottom <= rule.top + 1 and _is_mark(line.text) for line in lines)
    )
    if candidates:
        # A band of two tiers (the paper and date over a rule, then the page's name and
        # number over another) goes on to the next rule across when what stands between
        # them is a row or two with a mark of its own, not an article's columns.
        band = candidates[0]
        for rule in candidates[1:]:
            between = [line for line in lines if line.top >= band - 1 and line.bottom <= rule + 1]
            rows = {round(line.baseline) for line in between}
            if not between or len(rows) > 3 or not any(_is_mark(line.text) for line in between):
                break
            band = rule
        return band
    # No rule under the band: the date or page number near the top marks it, and whatever
    # stands beside them belongs to it.
    marks = [line for line in lines if line.bottom < 0.15 * height and _is_mark(line.text)]
    if not marks:
        return 0.0
    edge = max(line.bottom for line in marks)
    return max(line.bottom for line in lines if line.top < edge)


def _is_mark(text: str) -> bool:
    """A header band's date, weekday or page number (`03`, `A3`, `第3版`)."""
    return _HEADER_MARK.search(text) is not None or _PAGE_MARK.match(text.strip()) is not None


# Heads.


@dataclass
class Head:
    lines: list[TextLine]
    kicker: list[TextLine] = field(default_factory=list)
    headline: list[TextLine] = field(default_factory=list)
    subheadline: list[TextLine] = field(default_factory=list)
    left: float = 0.0  # how far the head's article may reach, sideways
    right: float = 0.0

    @property
    def box(self) -> Box:
        return union([box_of(line) for line in self.lines])

    @property
    def vertical(self) -> bool:
        """Set upright, its article's columns stand at its left (竖排标题)."""
        return any(line.vertical for line in self.headline)


def find_heads(lines: list[TextLine], body: float) -> list[Head]:
    """Headlines (much larger than body text), with the kicker above and the subheadline
    below them: larger than body text and directly above or below."""
    big = sorted((line for line in lines if line.size >= 1.45 * body), key=lambda line: line.top)
    groups: list[list[TextLine]] = []
    for line in big:
        for group in groups:
            last = group[-1]
            if line.vertical or last.vertical:
                # A long upright headline goes on in the next line to the left, level at top.
                apart = max(last.x0 - line.x1, line.x0 - last.x1)
                joined = (
                    line.vertical
                    and last.vertical
                    and -0.5 * last.size <= apart <= 0.9 * max(line.size, last.size)
                    and abs(line.top - last.top) <= last.size
                )
            else:
                joined = (
                    -0.5 * last.size <= line.top - last.bottom <= 0.9 * max(line.size, last.size)
                    and overlap(line.x0, line.x1, last.x0, last.x1) > 0
                )
            if joined and abs(line.size - last.size) <= 0.2 * max(line.size, last.size):
                group.append(line)
                break
        else:
            groups.append([line])
    used = {id(line) for line in big}
    decks = _large_decks(groups)
    heads = []
    for group in groups:
        if id(group) in decks:
            continue
        head = Head(lines=list(group), headline=list(group))
        for owner, deck, direction in decks.values():
            if owner is group:
                (head.kicker if direction == "up" else head.subheadline).extend(deck)
                head.lines.extend(deck)
        size = max(line.size for line in group)
        if head.vertical:
            # Upright, the kicker stands to the right of the headline, the subheadline left.
            for side, deck in (("right", head.kicker), ("left", head.subheadline)):
                found = _beside_upright(lines, used, head.box, size, body, side)
                if found is not None:
                    used.add(id(found))
                    deck.append(found)
                    head.lines.append(found)
            heads.append(head)
            continue
        for direction in ("up", "down"):
            while True:
                edge = head.box
                deck = head.kicker if direction == "up" else head.subheadline
                found = _adjacent(lines, used, edge, size, body, direction, first=not deck)
                if found is None:
                    break
                used.add(id(found))
                if direction == "up":
                    head.kicker.insert(0, found)
                else:
                    head.subheadline.append(found)
                head.lines.append(found)
        heads.append(head)
    return heads


def head_order(heads: list[Head]) -> list[int]:
    """The heads' indexes in reading order: top down, and heads side by side left to right.
    Heads side by side share a row: their first headline lines stand level with each other,
    though their tops differ by a glyph's edge or a size's ascent (an upright head, as tall as
    its columns, shares none)."""
    rows: list[list[int]] = []
    for index in sorted(range(len(heads)), key=lambda index: heads[index].box[1]):
        line = heads[index].headline[0]
        first = heads[rows[-1][0]].headline[0] if rows else None
        if (
            first is not None
            and not (line.vertical or first.vertical)
            and overlap(line.top, line.bottom, first.top, first.bottom)
            >= 0.5 * min(line.bottom - line.top, first.bottom - first.top)
        ):
            rows[-1].append(index)
        else:
            rows.append([index])
    return [index for row in rows for index in sorted(row, key=lambda index: heads[index].box[0])]


def _large_decks(groups: list[list[TextLine]]) -> dict[int, tuple[list, list, str]]:
    """Kickers and subheadlines set large enough to pass for headlines: a group of lines
    well smaller than a headline right above (a kicker) or below it (a subheadline), over
    its width. Returns, by the deck's id, the headline's group, the deck and its side."""
    decks: dict[int, tuple[list, list, str]] = {}
    sizes = {id(group): max(line.size for line in group) for group in groups}
    boxes = {id(group): union([box_of(line) for line in group]) for group in groups}
    # The largest headline takes its decks first: a deck is no headline with decks of its own.
    for owner in sorted(groups, key=lambda group: -sizes[id(group)]):
        if id(owner) in decks or any(line.vertical for line in owner):
            continue
        size = sizes[id(owner)]
        x0, top, x1, bottom = boxes[id(owner)]
        for direction in ("up", "down"):
            best = None
            for group in groups:
                if (
                    id(group) in decks
                    or group is owner
                    or sizes[id(group)] > 0.8 * size
                    or any(line.vertical for line in group)
                ):
                    continue
                g_x0, g_top, g_x1, g_bottom = boxes[id(group)]
                gap = top - g_bottom if direction == "up" else g_top - bottom
                if (
                    -2 <= gap <= 0.9 * size
                    and overlap(g_x0, g_x1, x0, x1) >= 0.3 * min(g_x1 - g_x0, x1 - x0)
                    and (best is None or gap < best[0])
                ):
                    best = (gap, group)
            if best is not None:
                decks[id(best[1])] = (owner, best[1], direction)
    return decks


def _adjacent(lines, used, edge: Box, size: float, body: float, direction: str, *, first: bool):
    """The kicker above (or subheadline below) a head: a line larger than body text right
    against it; or, set at body size and `first` in its place, a lone short line above, or a
    line opening with a dash below (a caption's credit, smaller, above a kicker is none)."""
    x0, top, x1, bottom = edge
    best = None
    for line in lines:
        gap = top - line.bottom if direction == "up" else line.top - bottom
        if not -2 <= gap <= 0.9 * size or (best is not None and gap >= best[0]):
            continue
        if id(line) in used or line.size >= 1.45 * body:
            continue
        if overlap(line.x0, line.x1, x0, x1) < 0.3 * min(line.width, x1 - x0):
            continue
        if line.size < 1.1 * body and not (
            first
            and line.size >= 0.95 * body
            and (
                _lone_above(line, lines) if direction == "up" else line.text.lstrip()[:1] in _DASHES
            )
        ):
            continue
        best = (gap, line)
    return best[1] if best else None


def _beside_upright(lines, used, edge: Box, size: float, body: float, side: str):
    """The upright kicker (right) or subheadline (left) of an upright headline: an upright
    line larger than body text right beside it, starting near its top."""
    x0, top, x1, _ = edge
    for line in lines:
        gap = line.x0 - x1 if side == "right" else x0 - line.x1
        if (
            line.vertical
            and id(line) not in used
            and 1.1 * body <= line.size < 1.45 * body
            and -2 <= gap <= 0.9 * size
            and abs(line.top - top) <= 2 * size
        ):
            return line
    return None


def _lone_above(line: TextLine, lines: list[TextLine]) -> bool:
    """A short line with no other line right above it: not the last line of a column."""
    if len(line.text) > 30:
        return False
    return not any(
        other is not line
        and abs(other.size - line.size) <= 0.1 * line.size
        and 0 <= line.top - other.bottom <= 1.5 * line.size
        and overlap(other.x0, other.x1, line.x0, line.x1) > 0
        for other in lines
    )


def set_reach(
    heads: list[Head], rules: list[Rule], pictures: list[Picture], left: float, right: float
) -> None:
    """How far sideways each head's article may reach: to the nearest vertical rule, picture
    or neighbouring head beside it, else the page's text edge."""
    verticals = [rule for rule in rules if not rule.horizontal]
    for head in heads:
        x0, top, x1, bottom = head.box
        head.left, head.right = left, right
        # Beside an upright head stand its own columns' rules too: there only pictures and
        # other heads bound it (the columns of an article to its left have their own head).
        obstacles = (
            []
            if head.vertical
            else [(rule.x0, rule.x1, rule.top, rule.bottom) for rule in verticals]
        )
        obstacles += [(pic.x0, pic.x1, pic.top, pic.bottom) for pic in pictures]
        obstacles += [(o.box[0], o.box[2], o.box[1], o.box[3]) for o in heads if o is not head]
        for o_x0, o_x1, o_top, o_bottom in obstacles:
            if overlap(o_top, o_bottom, top, bottom) <= 0:
                continue
            if o_x1 <= x0 + 1:
                head.left = max(head.left, o_x1)
            elif o_x0 >= x1 - 1:
                head.right = min(head.right, o_x0)


# Photos.


def merge_pictures(
    pictures: list[Picture], body: float, band: float, lines: list[TextLine], page_area: float
) -> list[Picture]:
    """Pictures worth a photo, with tiles of one picture joined: not icons, not pictures in
    the header band, not backgrounds (half the page, or under lines of text)."""
    kept: list[Picture] = []
    for pic in sorted(pictures, key=lambda pic: (pic.top, pic.x0)):
        width, height = pic.x1 - pic.x0, pic.bottom - pic.top
        if width < 3 * body or height < 3 * body or pic.bottom <= band:
            continue
        if width * height > 0.5 * page_area or _under_text(pic, lines):
            continue
        for other in kept:
            if (
                overlap(pic.x0, pic.x1, other.x0, other.x1) > 0
                and overlap(pic.top - 1, pic.bottom + 1, other.top, other.bottom) > 0
            ):
                other.x0, other.top = min(other.x0, pic.x0), min(other.top, pic.top)
                other.x1, other.bottom = max(other.x1, pic.x1), max(other.bottom, pic.bottom)
                break
        else:
            kept.append(Picture(pic.x0, pic.top, pic.x1, pic.bottom, pic.index))
    return kept


def _under_text(pic: Picture, lines: list[TextLine]) -> bool:
    """Are three or more lines printed over the picture, up into its upper half (a background,
    a tinted box; a caption printed over a photo's foot stays low)?"""
    inside = [line for line in lines if _inside(line, pic)]
    middle = (pic.top + pic.bottom) / 2
    return len(inside) >= 3 and any(line.top < middle for line in inside)


def _inside(line: TextLine, pic: Picture) -> bool:
    x, y = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return pic.x0 < x < pic.x1 and pic.top < y < pic.bottom


def caption_lines(pic: Picture, lines: list[TextLine], used: set[int], rules: list[Rule]):
    """The lines printed over the picture's foot, or right under it within its width, or
    beside it: its caption (a title first, in larger print, may head it)."""
    over = _caption_over(pic, lines, used)
    if over:
        return over
    # A frame round the picture itself does not part it from its caption.
    horizontals = [rule for rule in rules if rule.horizontal and abs(rule.top - pic.bottom) > 3]
    found: list[TextLine] = []
    edge = pic.bottom
    candidates = sorted(
        (
            line
            for line in lines
            if id(line) not in used
            and line.x0 >= pic.x0 - max(3, 1.2 * line.size)
            and line.x1 <= pic.x1 + max(3, 1.2 * line.size)
        ),
        key=lambda line: line.top,
    )
    for line in candidates:
        if any(abs(line.baseline - other.baseline) < 0.3 * line.size for other in found):
            # The rest of a caption line set apart by a wide space (a right-aligned credit).
            found.append(line)
            continue
        if line.top < edge - 2:
            continue
        limit = 1.6 * line.size if not found else 0.9 * line.size
        if line.top - edge > limit:
            break
        # Only a caption's title, on a line of its own, is larger than what follows it.
        if (
            found
            and abs(line.size - found[-1].size) > 0.1 * found[-1].size
            and (len(found) > 1 or line.size > found[0].size)
        ):
            break
        if any(
            edge - 1 <= rule.top <= line.top + 1 and overlap(rule.x0, rule.x1, line.x0, line.x1) > 0
            for rule in horizontals
        ):
            break
        found.append(line)
        edge = line.bottom
    if not found:
        found = _caption_beside(pic, lines, used)
    return sorted(found, key=lambda line: (round(line.baseline), line.x0))


def _caption_over(pic: Picture, lines: list[TextLine], used: set[int]) -> list[TextLine]:
    """A caption printed over the picture's foot: lines inside it, in its lower half, one
    under another down to its bottom edge."""
    inside = sorted(
        (line for line in lines if id(line) not in used and _inside(line, pic)),
        key=lambda line: line.top,
    )
    middle = (pic.top + pic.bottom) / 2
    if (
        not inside
        or inside[0].top < middle
        or pic.bottom - inside[-1].bottom > 2.5 * inside[-1].size
    ):
        return []
    if any(
        later.top - earlier.bottom > 0.9 * max(earlier.size, later.size)
        for earlier, later in pairwise(inside)
    ):
        return []
    return inside


def _caption_beside(pic: Picture, lines: list[TextLine], used: set[int]) -> list[TextLine]:
    """A caption set in a narrow column beside the picture, level with its foot or its top: a
    short stack of lines just right (or left) of it, within its height, with nothing right
    above or below it in that column (an article's column beside a picture runs past it).
    With a stack on either side, the caption is the one in smaller print, or the shorter:
    an article's column may stand as high as the picture."""
    level = [
        line
        for line in lines
        if id(line) not in used and line.top >= pic.top - 2 and line.bottom <= pic.bottom + 2
    ]
    stacks = []
    for side in ("right", "left"):
        # Lines whose edge nearer the picture stands just off it; then the column they make
        # (a short last line ends far from a picture on its right).
        near = [
            line
            for line in level
            if (
                0 < line.x0 - pic.x1 <= 3 * line.size
                if side == "right"
                else 0 < pic.x0 - line.x1 <= 3 * line.size
            )
        ]
        if not near:
            continue
        x0, x1 = min(line.x0 for line in near), max(line.x1 for line in near)
        stack = sorted(
            (
                line
                for line in level
                if overlap(line.x0, line.x1, x0, x1) >= 0.5 * line.width
                and overlap(line.x0, line.x1, pic.x0, pic.x1) <= 0
            ),
            key=lambda line: line.top,
        )
        if any(
            later.top - earlier.bottom > 0.9 * max(earlier.size, later.size)
            for earlier, later in pairwise(stack)
        ):
            continue
        top, bottom = stack[0].top, max(line.bottom for line in stack)
        size = stack[0].size
        if top - pic.top > 1.5 * size and pic.bottom - bottom > 1.5 * size:
            continue  # neither level with the picture's top nor with its foot
        x0, x1 = min(line.x0 for line in stack), max(line.x1 for line in stack)
        inside = {id(line) for line in stack}
        # A line of its size just above or below would go on with the column; a headline
        # of the article below does not.
        if any(
            id(line) not in inside
            and abs(line.size - size) <= 0.15 * size
            and overlap(line.x0, line.x1, x0, x1) > 0
            and (0 <= top - line.bottom <= 2 * size or 0 <= line.top - bottom <= 2 * size)
            for line in lines
        ):
            continue
        stacks.append((round(size, 1), bottom - top, stack))
    return min(stacks, key=lambda found: found[:2])[2] if stacks else []


# Column blocks.


@dataclass
class Block:
    lines: list[TextLine]
    x0: float
    x1: float

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom

    @property
    def box(self) -> Box:
        return union([box_of(line) for line in self.lines])


def build_blocks(lines: list[TextLine], rules: list[Rule], body: float) -> list[Block]:
    """Stack lines into columns: each line joins the block right above it that it lies under."""
    horizontals = [rule for rule in rules if rule.horizontal]
    blocks: list[Block] = []
    active: list[Block] = []
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        best, best_key = None, None
        # Lines come top down: a block whose last line is far above takes no more.
        active = [
            block
            for block in active
            if line.top - block.lines[-1].bottom <= 2.5 * max(line.size, block.lines[-1].size, body)
        ]
        for block in active:
            last = block.lines[-1]
            size = max(line.size, last.size)
            if abs(last.baseline - line.baseline) < 0.3 * size and line.x0 >= last.x1 - 1:
                # A piece of the same printed line, split off at a wide space: it stays
                # within the width the column's lines have had so far (a gutter would not).
                if (
                    line.x0 - last.x1 < 1.2 * size
                    and len(block.lines) > 1
                    and line.x1 <= block.x1 + 0.5 * size
                ):
                    best, best_key = block, (-1.0, 0.0)
                continue
            gap = line.top - last.bottom
            if gap < -0.3 * size or gap > 2.2 * max(size, body):
                continue
            # Left edges an indent apart are one column's: a paragraph's short last line
            # (“不绝。”) under its indented first line, or an indented line under a short
            # crosshead, share little else. They still touch (a line of the column beside
            # stops a gutter short).
            left, right = block.x0, line.x0
            if (
                abs(line.x0 - block.x0) <= 3.5 * size
                and line.x1 + 0.3 * size >= block.x0
                and line.x0 <= block.x1 + 0.3 * size
            ):
                left = right = min(line.x0, block.x0)
            shared = overlap(right, line.x1, left, block.x1)
            if shared < 0.5 * min(line.x1 - right, block.x1 - left):
                continue
            if abs(line.size - last.size) > 0.2 * body and not (line.bold or last.bold):
                continue
            if any(
                last.bottom - 1 <= rule.top <= line.top + 1
                and overlap(rule.x0, rule.x1, line.x0, line.x1) > 0.5 * line.width
                for rule in horizontals
            ):
                continue
            key = (gap, -shared)
            if best_key is None or key < best_key:
                best, best_key = block, key
        if best is None:
            blocks.append(Block([line], line.x0, line.x1))
            active.append(blocks[-1])
        elif best_key == (-1.0, 0.0):
            last = best.lines[-1]
            best.lines[-1] = TextLine(last.chars + line.chars).finish()
            best.x1 = max(best.x1, line.x1)
        else:
            best.lines.append(line)
            best.x0, best.x1 = min(best.x0, line.x0), max(best.x1, line.x1)
    return _absorb_fragments(blocks)


def split_at_upright_heads(blocks: list[Block], heads: list[Head]) -> list[Block]:
    """A column running past the top of an upright headline at its right, with a wider gap
    between its lines there than anywhere else, is two columns: the article above's, and the
    upright headline's, whose head stands beside it and not between them (a horizontal
    headline parts them by standing in the column). A long column of an article further left
    runs past that top evenly, and stays whole."""
    upright = [head for head in heads if head.vertical]
    if not upright:
        return blocks
    out: list[Block] = []
    for block in blocks:
        for head in upright:
            hx0, htop = head.box[0], head.box[1]
            if head.left - 1 <= block.x0 and block.top < htop < block.bottom:
                above = [line for line in block.lines if line.bottom <= htop]
                below = [line for line in block.lines if line.bottom > htop]
                if (
                    above
                    and below
                    and max(line.x1 for line in below) <= hx0 + 1
                    and below[0].top - above[-1].bottom
                    > _middle([b.top - a.bottom for a, b in pairwise(block.lines)])
                    + 0.5 * below[0].size
                ):
                    out.extend(
                        Block(part, min(line.x0 for line in part), max(line.x1 for line in part))
                        for part in (above, below)
                    )
                    break
        else:
            out.append(block)
    return out


def _absorb_fragments(blocks: list[Block]) -> list[Block]:
    """A one-line block inside another block's width, on one of its lines, is the rest of
    that line set apart by justification (“呼和浩特讯      3”): join it to that line."""
    kept = []
    for block in sorted(blocks, key=lambda block: -len(block.lines)):
        line = block.lines[0]
        host = None
        if len(block.lines) == 1:
            for other in kept:
                if other.x0 - 1 <= line.x0 and line.x1 <= other.x1 + 1:
                    for index, candidate in enumerate(other.lines):
                        if abs(candidate.baseline - line.baseline) < 0.3 * line.size:
                            host = (other, index)
                            break
                if host:
                    break
        if host is None:
            kept.append(block)
            continue
        other, index = host
        other.lines[index] = TextLine(other.lines[index].chars + line.chars).finish()
    return kept


def assign_blocks(
    heads: list[Head],
    blocks: list[Block],
    rules: list[Rule],
    body: float,
    pictures: list[Picture] = (),
) -> tuple[dict[int, list[Block]], list[Block]]:
    """Each block goes to the nearest head above it whose reach covers it, with no rule
    across the block and no other head between them. Returns blocks by head, and the rest.

    Where heads contend for blocks, the surest is settled first, and the known columns of
    the head it goes to then reach over it (level with their top): an article's far columns
    follow its near ones."""
    horizontals = [rule for rule in rules if rule.horizontal]
    owned: dict[int, list[Block]] = {index: [] for index in range(len(heads))}
    orphans: list[Block] = []
    candidates = {id(block): _candidates(block, heads, horizontals, body) for block in blocks}
    cores = [
        _core(index, head, blocks, candidates, body, pictures) for index, head in enumerate(heads)
    ]
    contested: list[tuple[Block, list[int], dict[int, float]]] = []
    for block in blocks:
        found = candidates[id(block)]
        if not found:
            orphans.append(block)
            continue
        nearest = min(distance for _, distance in found)
        contenders = [index for index, distance in found if distance <= nearest + 2 * body]
        # A column right under a head's own text is that head's; others go where they fit.
        under = [index for index in contenders if _under_head(heads[index], block, body)]
        if len(under or contenders) == 1:
            owned[(under or contenders)[0]].append(block)
        else:
            contested.append((block, under or contenders, dict(found)))
    for index, settled in owned.items():
        for block in settled:
            cores[index] = _reach_over(cores[index], block, body)
    while contested:
        # The surest choice first (the widest lead of its best head over the next), so that
        # an article's near column, settled, guides its far ones.
        ranked = []
        for at, (block, heads_of, distance) in enumerate(contested):
            # As well placed under either head (within a character): the nearer one's.
            fits = sorted(
                (
                    round(_fit(heads[index], cores[index], block, body) / body),
                    distance[index],
                    index,
                )
                for index in heads_of
            )
            ranked.append((fits[1][0] - fits[0][0], at, fits[0][2]))
        _, at, best = max(ranked)
        block = contested.pop(at)[0]
        owned[best].append(block)
        cores[best] = _reach_over(cores[best], block, body)
    return owned, orphans


def _reach_over(core: tuple[float, float, float], block: Block, body: float):
    """A head's known columns with a block of its own, if level with their top."""
    x0, x1, top = core
    if abs(block.top - top) > 3 * body:
        return core
    return min(x0, block.x0), max(x1, block.x1), top


def _apart(core: tuple[float, float, float], block: Block) -> float:
    """How far a block stands sideways from a head's known columns."""
    return max(0.0, block.x0 - core[1], core[0] - block.x1)


def _candidates(block: Block, heads: list[Head], horizontals: list[Rule], body: float):
    """Heads above the block (or upright heads right of it) whose reach covers it, with no
    rule across the block and no other head between them; each with its vertical distance
    to the block (from an upright head's top)."""
    centre = (block.x0 + block.x1) / 2
    found = []
    for index, head in enumerate(heads):
        hx0, htop, _, hbottom = head.box
        if head.vertical and block.x1 <= hx0 + 1 and block.top >= htop - body:
            # The columns of an upright head stand at its left from its top down; not past
            # another head standing between them.
            if any(
                other is not head
                and other.box[0] >= block.x1 - 1
                and other.box[2] <= hx0 + 1
                and overlap(other.box[1], other.box[3], block.top, block.bottom) > 0
                for other in heads
            ):
                continue
            hbottom = htop
        elif hbottom > block.top + 0.5 * body:
            continue
        inside = overlap(block.x0, block.x1, head.left, head.right)
        if inside < 0.5 * (block.x1 - block.x0) and not head.left <= centre <= head.right:
            continue
        # A rule right under the head underlines it; one further down parts it from the block.
        if any(
            hbottom + body <= rule.top <= block.top + 1
            and overlap(rule.x0, rule.x1, block.x0, block.x1) > 0.5 * (block.x1 - block.x0)
            for rule in horizontals
        ):
            continue
        if any(
            other is not head
            and other.box[1] >= hbottom - 1
            and other.box[3] <= block.top + 1
            and overlap(other.box[0], other.box[2], block.x0, block.x1) > 0
            for other in heads
        ):
            continue
        found.append((index, block.top - hbottom))
    return found


def _core(index: int, head: Head, blocks: list[Block], candidates, body: float, pictures):
    """Where a head's columns surely are (left, right, and their top): those starting right
    under it, those no other head may have, level with its first columns (a centred head's
    outer columns reach past its ends), and a picture set right under it (an article's photo
    in its corner)."""
    hx0, _, hx1, hbottom = head.box
    under = [
        block
        for block in blocks
        if _under_head(head, block, body)
        and any(found == index for found, _ in candidates[id(block)])
    ]
    top = min((block.top for block in under), default=hbottom)
    spans = [(block.x0, block.x1) for block in under]
    spans += [
        (block.x0, block.x1)
        for block in blocks
        if [found for found, _ in candidates[id(block)]] == [index]
        and abs(block.top - top) <= 3 * body
    ]
    spans += [
        (pic.x0, pic.x1)
        for pic in pictures
        if 0 <= pic.top - hbottom <= 3 * body
        and head.left - 1 <= pic.x0
        and pic.x1 <= head.right + 1
        and overlap(pic.x0, pic.x1, hx0, hx1) > 0.2 * (pic.x1 - pic.x0)
    ]
    if not spans:
        return hx0, hx1, top
    return min(x0 for x0, _ in spans), max(x1 for _, x1 in spans), top


def _under_head(head: Head, block: Block, body: float) -> bool:
    """Does the block start right under the head, a fifth of its width or more below the
    head's text (or, an upright head's, right at its left, level with its top)?"""
    hx0, htop, hx1, hbottom = head.box
    if head.vertical and block.x1 <= hx0 + 1:
        return hx0 - block.x1 <= 3 * body and abs(block.top - htop) <= 3 * body
    return block.top - hbottom <= 3 * body and overlap(block.x0, block.x1, hx0, hx1) > 0.2 * (
        block.x1 - block.x0
    )


def _fit(head: Head, core: tuple[float, float, float], block: Block, body: float) -> float:
    """How badly the block fits a head's columns: a head stands centred over its columns or
    at their left edge (an upright head at their right edge), so the columns with the block
    should still be so placed; and an article's columns stand side by side, so a block a
    column or more away from the head's surely known columns fits worse by that gap."""
    hx0, _, hx1, _ = head.box
    x0, x1 = min(core[0], block.x0), max(core[1], block.x1)
    apart = max(0.0, _apart(core, block) - 2 * body)
    if head.vertical:
        return max(0.0, x1 - min(core[1], hx0)) + apart
    return min(abs((hx0 + hx1) / 2 - (x0 + x1) / 2), abs(hx0 - x0)) + apart


def reading_order(blocks: list[Block]) -> list[Block]:
    """Columns left to right; blocks sharing a column top to bottom."""
    columns: list[list[Block]] = []
    for block in sorted(blocks, key=lambda block: block.x0):
        for column in columns:
            anchor = column[0]
            if overlap(block.x0, block.x1, anchor.x0, anchor.x1) > 0.5 * min(
                block.x1 - block.x0, anchor.x1 - anchor.x0
            ):
                column.append(block)
                break
        else:
            columns.append([block])
    return [block for column in columns for block in sorted(column, key=lambda block: block.top)]
