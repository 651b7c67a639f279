"""The role decoder: the most likely role for every line of a page, chosen for the page as a whole.

Each line gets a cost for every role it could play (emission: how well its own features fit
the role, measured against the page: its length against the page's body lines, its ending,
its gap against the page's usual gap, whether it reads as a name, a credit, a dateline), and
each pair of neighbouring roles a cost (transition: a headline is followed by a subheadline,
a byline or text, never by a crosshead; text that stops mid-sentence goes on, it does not
start a new article). Viterbi's algorithm then finds the sequence of roles with the least
total cost, and a backward pass gives each line's margin over its best alternative, which is
reported as the line's confidence.

Lines whose reading leaves no doubt (page furniture, page credits, jump lines) are labelled
first and left out of the sequence, so they never break an article in two.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from .credits import CORRESPONDENT, REPORTER
from .lines import LabelledLine, Line, Role
from .reading import BYLINE, FURNITURE, JUMP, PAGE_CREDIT, PHOTO, TAIL, TEXT, Reading, read_line

INF = math.inf

# The roles the decoder chooses between, as small integers for speed.
DECODED = (
    Role.FURNITURE,
    Role.KICKER,
    Role.HEADLINE,
    Role.SUBHEADLINE,
    Role.BYLINE,
    Role.DATELINE,
    Role.BODY,
    Role.CROSSHEAD,
    Role.CREDIT,
    Role.PHOTO_TITLE,
    Role.CAPTION,
    Role.PHOTO_CREDIT,
)
(FUR, KIC, HEA, SUB, BYL, DAT, BOD, CRO, CRE, PTI, CAP, PCR) = range(len(DECODED))
START = len(DECODED)  # the state before the first line

# How many lines after a dateline an article still reads as a news item.
NEWS_LINES = 6

_FIXED = {FURNITURE: Role.FURNITURE, PAGE_CREDIT: Role.PAGE_CREDIT, JUMP: Role.JUMP}


def _transitions() -> list[list[float]]:
    """The cost of each role following each other role (and following the page's start)."""
    table = [[INF] * len(DECODED) for _ in range(len(DECODED) + 1)]

    def allow(before: Sequence[int], after: dict[int, float]) -> None:
        for first in before:
            for second, cost in after.items():
                table[first][second] = cost

    opening = {KIC: 0.0, HEA: 0.0, PTI: 0.3, CAP: 0.8, PCR: 1.0}
    allow([START], {FUR: 0.0, BOD: 3.0, BYL: 2.5, CRE: 3.0, **opening})
    allow([FUR], {FUR: 0.5, BOD: 3.0, BYL: 2.5, CRE: 3.0, **opening})
    allow([KIC], {HEA: 0.0, KIC: 1.5})
    allow([HEA], {HEA: 1.2, SUB: 0.6, BYL: 0.0, DAT: 0.0, BOD: 0.0, PCR: 1.5})
    allow([SUB], {SUB: 1.5, BYL: 0.0, DAT: 0.0, BOD: 0.0, PCR: 1.5})
    allow([BYL], {BYL: 0.5, DAT: 0.3, BOD: 0.0, PCR: 1.5})
    text = {BOD: 0.0, CRO: 0.8, CRE: 0.0, HEA: 1.5, KIC: 1.5, PTI: 1.0, CAP: 2.5, PCR: 3.0}
    allow([DAT, BOD], text)
    # Only after an editor's note (see _adjust) does a dateline follow text.
    allow([BOD], {DAT: 6.0})
    allow([CRO], {BOD: 0.0, CRO: 2.0})
    allow([CRE], {CRE: 0.3, BOD: 3.0, **opening})
    allow([PTI], {CAP: 0.0, PCR: 0.5})
    allow([CAP], {CAP: 0.5, PCR: 0.0, CRE: 2.5, BOD: 4.0, **opening})
    allow([PCR], {PCR: 1.0, BOD: 1.5, **opening, CAP: 0.3})
    return table


TRANSITION = _transitions()
# What it costs to end the page in each role: never on a title that has nothing under it.
END = [0.0] * len(DECODED)
# A crosshead heads the text under it: a last line in brackets (a note on the author or the
# sources) is text, not a crosshead that assembly would drop for having nothing under it.
for _role in (KIC, HEA, SUB, PTI, BYL, CRO):
    END[_role] = 3.0


class _Page:
    """What is typical on this page: its usual gap between lines and its body lines' length."""

    def __init__(self, lines: list[Line], readings: list[Reading]) -> None:
        gaps = Counter(line.gap_before for line in lines[1:])
        self.normal_gap = gaps.most_common(1)[0][0] if gaps else 0
        lengths = sorted(r.width for r in readings if r.kind == TEXT and r.width >= 12)
        # Fixed-width text (OCR of a column) repeats one line length; web copy does not.
        counts = Counter(lengths)
        self.full_line = 0
        if counts:
            length, times = counts.most_common(1)[0]
            if times >= 3 and times >= len(lengths) * 0.25:
                self.full_line = length
        sizes = sorted(line.size for line in lines if line.size)
        self.body_size = sizes[len(sizes) // 2] if sizes else None

    def big_gap(self, line: Line) -> bool:
        """More space than between paragraphs: where text is set solid, one blank line."""
        return line.gap_before > self.normal_gap and (line.gap_before >= 2 or not self.normal_gap)

    def full(self, reading: Reading) -> bool:
        return bool(self.full_line) and abs(reading.width - self.full_line) <= 2


def _emissions(
    line: Line,
    reading: Reading,
    before: Reading | None,
    following: Reading | None,
    next_binds: bool,
    news: bool,
    page: _Page,
) -> dict[int, float]:
    """The cost of each role this line could play, from its own features (and its successor's)."""
    kind = reading.kind
    if kind == BYLINE:
        return {BYL: 0.0, CRE: 1.5}
    if kind == TAIL:
        costs = {CRE: 0.0}
        tails = reading.tails
        if tails is not None and any(c.role in (REPORTER, CORRESPONDENT) for c in tails.credits):
            costs[BYL] = 1.0  # “（本报记者 X）” under a headline
        return costs
    if kind == PHOTO:
        costs = {PCR: 0.0}
        if (
            before is not None
            and before.heading_shape
            and following is not None
            and following.kind == TEXT
            and following.length >= 25
            and not following.caption_cue
        ):
            # Under a headline and over the text: the story's photographer (and writer).
            costs[BYL] = 0.3
        return costs
    costs: dict[int, float] = {}
    length = reading.length
    before_credit = following is not None and (following.opens or following.kind == BYLINE)
    big_gap = page.big_gap(line)
    larger = _size_ratio(line, page)
    if reading.opens:
        costs[DAT] = 0.0
        costs[BOD] = 4.0
        costs[CAP] = 4.0
        return costs
    # Text. A short line without a sentence's end is body only as the rest of a broken line.
    close = line.gap_before <= page.normal_gap and not line.indented
    carries_on = before is not None and before.unfinished and close
    body = 0.0
    if reading.heading_shape and length < 25:
        body = 0.5 if carries_on else 3.0
    if reading.names:
        body = 1.0 if carries_on else 3.0
    if larger > 1.15:
        body += 3.0
    costs[BOD] = body
    caption = 1.5
    if reading.tails is not None and reading.tails.photo is not None:
        caption = -2.0
        costs[BOD] = body + 2.0
    elif reading.numbered_picture:
        caption = -1.0
        costs[BOD] = body + 2.0
    elif reading.caption_cue:
        caption = 0.3
    if reading.date_start:
        caption -= 0.7
        if length <= 120 and (following is None or following.heading_shape or following.names):
            caption -= 1.0  # a short dated sentence standing alone under a title
    # Under it, only where the picture came from (资料图片, 新华社发, 图片由X提供), naming no
    # one: too weak alone to make a paragraph with nothing of a caption's (a date, 图为) a
    # caption, which under a headline left the page no article at all.
    weak_credit = (
        following is not None
        and not following.credits
        and not (reading.date_start or reading.caption_cue)
    )
    if following is not None and following.kind == PHOTO and next_binds and not weak_credit:
        caption -= 1.5  # the photo credit right under it
        costs[BOD] = body + 1.0
    elif following is not None and following.kind == PHOTO and next_binds:
        caption -= 0.5
    elif before is not None and before.kind == PHOTO and close and reading.date_start:
        caption -= 1.0  # a dated sentence right under a photo credit
    if big_gap:
        caption -= 0.3
    if not (reading.date_start or reading.caption_cue):
        caption += 1.0  # most captions open with the day the picture was taken, or say 图为
    if reading.continued:
        caption += 3.0
    if length > 250:
        caption += 2.0
    if reading.tails is not None and reading.tails.closes():
        caption += 3.0
    costs[CAP] = caption
    if reading.tails is not None:
        return costs
    if reading.heading_shape or reading.title_like:
        headline = 1.0 if reading.heading_shape else 3.0
        if length <= 3:
            headline += 0.8
        if length > 30:
            headline += 1.0
        if big_gap:
            headline -= 0.8
        if before_credit:
            headline -= 1.0 if reading.heading_shape else 1.5
        if reading.names:
            headline += 1.5
        if not reading.heading_shape and following is not None and following.heading_shape:
            headline -= 1.0  # a title with a comma, broken before its last words
        if reading.kicker_mark:
            headline += 1.0
        if reading.subhead_mark:
            headline += 1.5
        if reading.crosshead_mark:
            headline += 1.0
        if larger > 1.15:
            headline -= 1.5
        costs[HEA] = headline
        costs[KIC] = 0.3 if reading.kicker_mark else 3.0
        if not reading.kicker_mark and following is not None and following.heading_shape:
            costs[KIC] = 2.5
        costs[SUB] = 0.3 if reading.subhead_mark else 2.5
        if reading.heading_shape and length <= 30:
            crosshead = 0.7 if reading.crosshead_mark else 1.5
            if before_credit:
                crosshead += 1.5
            if big_gap:
                crosshead += 0.5
            if reading.names:
                crosshead += 1.5
            if news:
                crosshead += 0.8  # a few lines after a dateline: news items carry no crossheads
            costs[CRO] = crosshead
        if reading.heading_shape and length <= 20:
            # A picture's title is a few words; longer titles head articles.
            looks_named = (1.5 if reading.strong_name else 0.5) if reading.names else 0.0
            costs[PTI] = 1.5 + looks_named + 0.2 * max(0, length - 8)
            if big_gap:
                costs[PTI] -= 0.8
            if following is not None and following.date_start and following.length <= 120:
                costs[PTI] -= 0.8
        if reading.heading_shape and length <= 8:
            # A section's name over the page (要闻, 国际): short, first, and nothing under it.
            costs[FUR] = (1.0 if before is None else 1.5) if length <= 4 else 2.5
    if reading.names:
        credit = 0.5 if reading.strong_name else 1.2
        if big_gap or (before is not None and before.tails is not None and before.tails.closes()):
            credit += 1.0  # an author's name sits under the text it signs, which has none yet
        if following is not None and following.date_start and following.length <= 120:
            credit += 0.5  # a title over a dated caption
        costs[CRE] = credit
        costs[BYL] = 1.0 if reading.strong_name else 1.5
    return costs


def _binding_gap(lines: list[Line], index: int) -> bool:
    """Is the next line at least as close to this line as to the line after it? (A credit
    between two captions belongs to the one it is closer to, and to the one above on a tie.)"""
    if index + 1 >= len(lines):
        return False
    after = lines[index + 2].gap_before if index + 2 < len(lines) else math.inf
    return lines[index + 1].gap_before <= after


def _size_ratio(line: Line, page: _Page) -> float:
    if line.size is None or not page.body_size:
        return 1.0
    return line.size / page.body_size


def _adjust(
    previous: Line, before: Reading, line: Line, reading: Reading, page: _Page
) -> dict[tuple[int, int], float]:
    """Costs that depend on the pair of lines, not only on their roles."""
    adjust: dict[tuple[int, int], float] = {}
    unfinished = before.unfinished and bool(before.text)
    close = line.gap_before <= page.normal_gap and not line.indented
    if unfinished and close:
        # The line above stops mid-sentence: this line most likely goes on with it.
        carry = -0.8 if page.full(before) or page.full_line == 0 else -0.3
        for first in (BOD, DAT):
            adjust[first, BOD] = carry
            adjust[first, HEA] = 2.0
            adjust[first, KIC] = 2.0
            adjust[first, CRO] = 2.0
            adjust[first, PTI] = 1.5
            adjust[first, CAP] = 1.5
        adjust[CAP, CAP] = -0.5
    elif before.kind == TEXT and not before.unfinished:
        adjust[CAP, CAP] = 1.0
    if (
        before.tails is not None
        and before.tails.photo is not None
        and not before.tails.closes()
        and reading.kind == TEXT
        and not (reading.heading_shape or reading.date_start or reading.caption_cue)
    ):
        # A caption closed by its photo credit, then text that reads as no caption: a picture
        # set between two paragraphs of an article, which goes on after it.
        adjust[CAP, BOD] = -2.5
    if before.editors_note:
        # The note under the headline is not the story: its dateline may open the next line.
        adjust[BOD, DAT] = -6.0
    if before.jumps:
        # The article went on to another page: what follows is something else.
        for first in (BOD, DAT):
            adjust[first, HEA] = -1.0
            adjust[first, CRO] = 1.5
    if line.gap_before < page.normal_gap:
        # Closer than paragraphs are: one title broken over two lines.
        adjust[HEA, HEA] = -0.8
        adjust[KIC, HEA] = 0.5
        comma_title = before.title_like and not before.heading_shape
        if comma_title and reading.heading_shape and not page.full(before):
            # Its first half has a comma, so it reads as text on its own; the second half
            # reads as a title, and the first half is not as long as a column's lines.
            adjust[HEA, HEA] = -2.0
    elif line.gap_before:
        adjust[HEA, HEA] = 1.0  # set apart like paragraphs: two titles, not one broken in two
    if line.block is not None and line.block != previous.block:
        for first in (DAT, BOD, CRE, CAP, PCR, CRO):
            for second in (HEA, KIC, PTI, CAP):
                adjust[first, second] = -1.5
    return adjust


def label_lines(lines: Sequence[Line]) -> list[LabelledLine]:
    """The most likely role of every line, each with a confidence between 0 and 1."""
    readings = [read_line(line.text) for line in lines]
    roles: list[Role | None] = [_FIXED.get(reading.kind) for reading in readings]
    index = [i for i, role in enumerate(roles) if role is None]
    decoded, margins = _decode([lines[i] for i in index], [readings[i] for i in index])
    confidence = [1.0] * len(lines)
    for position, i in enumerate(index):
        roles[i] = DECODED[decoded[position]]
        confidence[i] = 1.0 - math.exp(-margins[position])
    return [
        LabelledLine(line=line, role=role or Role.FURNITURE, confidence=round(conf, 3))
        for line, role, conf in zip(lines, roles, confidence, strict=True)
    ]


def _decode(lines: list[Line], readings: list[Reading]) -> tuple[list[int], list[float]]:
    """Viterbi over the decodable lines; returns the roles and each line's margin."""
    count = len(lines)
    if not count:
        return [], []
    page = _Page(lines, readings)
    news: list[bool] = []
    since = NEWS_LINES + 1
    for reading in readings:
        news.append(since <= NEWS_LINES)
        since = 0 if reading.opens else since + 1
    emissions = [
        _emissions(
            lines[i],
            readings[i],
            readings[i - 1] if i else None,
            readings[i + 1] if i + 1 < count else None,
            _binding_gap(lines, i),
            news[i],
            page,
        )
        for i in range(count)
    ]
    for costs in emissions:
        if not costs:
            costs[BOD] = 5.0  # nothing fits: text, at a price
    adjustments = [{}] + [
        _adjust(lines[i - 1], readings[i - 1], lines[i], readings[i], page) for i in range(1, count)
    ]
    # Forward: best[i][role] is the least cost of lines 0..i ending with line i in `role`.
    best: list[dict[int, float]] = []
    back: list[dict[int, int]] = []
    previous = {START: 0.0}
    for i in range(count):
        adjust = adjustments[i]
        here: dict[int, float] = {}
        came: dict[int, int] = {}
        for role, emission in emissions[i].items():
            lowest, origin = INF, -1
            for before, cost in previous.items():
                step = TRANSITION[before][role]
                if step == INF:
                    continue
                total = cost + step + adjust.get((before, role), 0.0)
                if total < lowest:
                    lowest, origin = total, before
            if origin >= 0:
                here[role] = lowest + emission
                came[role] = origin
        if not here:
            # No role can follow: start afresh, as if the page began here.
            for role, emission in emissions[i].items():
                step = TRANSITION[START][role]
                here[role] = min(previous.values()) + (step if step < INF else 5.0) + emission
                came[role] = min(previous, key=previous.__getitem__)
        best.append(here)
        back.append(came)
        previous = here
    # Backward: rest[i][role] is the least cost of lines i+1.. given line i in `role`.
    rest: list[dict[int, float]] = [{} for _ in range(count)]
    rest[-1] = {role: END[role] for role in best[-1]}
    for i in range(count - 2, -1, -1):
        adjust = adjustments[i + 1]
        after = rest[i + 1]
        emission = emissions[i + 1]
        for role in best[i]:
            lowest = INF
            for following, cost in after.items():
                step = TRANSITION[role][following]
                if step == INF:
                    continue
                total = step + adjust.get((role, following), 0.0) + emission[following] + cost
                lowest = min(lowest, total)
            rest[i][role] = lowest
    final = {role: cost + END[role] for role, cost in best[-1].items()}
    role = min(final, key=final.__getitem__)
    path = [role]
    for i in range(count - 1, 0, -1):
        role = back[i][role]
        path.append(role)
    path.reverse()
    margins: list[float] = []
    for i, chosen in enumerate(path):
        through = {r: best[i][r] + rest[i][r] for r in best[i]}
        own = through[chosen]
        others = [cost for r, cost in through.items() if r != chosen and cost < INF]
        if own == INF:
            margins.append(0.0)
        else:
            margins.append(max(0.0, min(others) - own) if others else 10.0)
    return path, margins
