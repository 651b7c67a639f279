"""Assembly: the FORMAT.md document built from labelled lines.

Article and photo boundaries come from the roles alone (and, for PDF pages, from a change of
block), so a document assembled from roles an editor corrected is exactly what they saw. The
text of each line is read with the same grammar as the decoder used (reading.py): datelines
and their credits, credits at the end of a paragraph, a photo credit at the end of a caption.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .credits import (
    AUTHOR,
    EDITOR,
    LAYOUT_EDITOR,
    PAGE_EDITOR,
    PHOTOGRAPHER,
    dedupe,
    parse_credits,
)
from .document import CROSSHEAD, PARAGRAPH, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .lines import LabelledLine, Role
from .reading import (
    _CAPTION_CUE,
    _KICKER_END,
    _SUBHEAD_START,
    ATTRIBUTION,
    BYLINE,
    EDITORS_NOTE,
    ITEM_START,
    MAX_CREDIT_LINE,
    PAGE_CREDIT,
    PHOTO,
    TAIL,
    TEXT,
    _is_page_credit_line,
    read_line,
)
from .text import clean_body, clean_heading, is_terminated, join_lines

# What a quote ends with, before the line that says who spoke.
_QUOTE_ENDS = ("”", "」", '"')


@dataclass(frozen=True, slots=True)
class Facts:
    """What assembly needs to know about one line's text, whatever role it is given.

    Assembly reads lines only through these, and so does the admin's correction preview
    (static/articles/import-correction.js), which gets them as JSON: both build the same
    document from the same roles.
    """

    kind: str
    heading: str  # the line as a title: spaces between single characters gone
    kicker: str  # …without a kicker's closing dash or colon
    headline: str  # …without dashes at either end
    subheadline: str  # …without a subheadline's opening dash
    body: str  # the text after any dateline and closing credits, cleaned
    undated: str  # the whole text of a line with a dateline or opening credits, cleaned; else ""
    dateline: str
    dateline_credits: tuple[Credit, ...]
    credits: tuple[Credit, ...]  # what the line credits as a byline or closing credit
    photo_credits: tuple[Credit, ...]  # what it credits as a photo credit
    page_credits: tuple[Credit, ...]  # what it credits as a page header or footer
    source: str  # closing credits: (X供稿), (据《X》)
    syndicated_from: str
    closes: bool  # it ends with a credit that ends an article
    tail_credits: tuple[Credit, ...]  # credits at the end of a text line
    tail_photo: tuple[Credit, ...]  # a photo credit at the end of a caption
    jumps: bool
    width: int
    item: bool  # it opens a numbered item (1. 2、 (3)): a paragraph of its own
    attribution: bool  # it only says who spoke: it ends the quote in the paragraph before

    def as_dict(self) -> dict[str, Any]:
        def people(credits: tuple[Credit, ...]) -> list[list[str]]:
            return [[credit.name, credit.role] for credit in credits]

        return {
            "kind": self.kind,
            "heading": self.heading,
            "body": self.body,
            "undated": self.undated,
            "dateline": self.dateline,
            "datelineCredits": people(self.dateline_credits),
            "credits": people(self.credits),
            "photoCredits": people(self.photo_credits),
            "pageCredits": people(self.page_credits),
            "source": self.source,
            "syndicatedFrom": self.syndicated_from,
            "closes": self.closes,
            "tailCredits": people(self.tail_credits),
            "tailPhoto": people(self.tail_photo),
            "jumps": self.jumps,
            "item": self.item,
            "attribution": self.attribution,
        }


@lru_cache(maxsize=4096)
def facts(text: str) -> Facts:
    """The facts of one line's text (cached: they depend on nothing else)."""
    reading = read_line(text)
    kind = reading.kind
    heading = clean_heading(reading.undated or reading.text or text)
    is_text = kind == TEXT
    # Credit lines are short: a longer line is never read as one, which spares the credit
    # grammar every paragraph of the page.
    short = len(text) <= MAX_CREDIT_LINE
    tails = reading.tails if kind in (TEXT, TAIL) else None
    if kind in (BYLINE, PHOTO):
        credits = tuple(reading.credits)
    elif kind == TAIL and tails is not None:
        credits = tuple(tails.credits)
    elif reading.names:
        credits = tuple(Credit(name, AUTHOR) for name in reading.names)
    elif short:
        credits = tuple(parse_credits(text, default=None) or ())
    else:
        credits = ()
    if kind == PHOTO:
        photo_credits = tuple(reading.credits)
    elif short:
        photo_credits = tuple(
            parse_credits(text, default=(PHOTOGRAPHER,), strict=False)
            or (credits if not is_text else ())
        )
    else:
        photo_credits = ()
    body = clean_body(reading.text) if is_text else clean_body(text)
    page_credits: list[Credit] = list(reading.credits) if kind == PAGE_CREDIT else []
    if kind != PAGE_CREDIT:
        _is_page_credit_line(reading.text, page_credits)
    return Facts(
        kind=kind,
        heading=heading,
        kicker=_KICKER_END.sub("", heading).strip(),
        headline=_KICKER_END.sub("", _SUBHEAD_START.sub("", heading)).strip(),
        subheadline=_SUBHEAD_START.sub("", heading).strip(),
        body=body,
        undated=clean_body(reading.undated) if is_text and reading.undated else "",
        dateline=reading.dateline if is_text else "",
        dateline_credits=tuple(reading.dateline_credits) if is_text else (),
        credits=credits,
        photo_credits=photo_credits,
        page_credits=tuple(
            Credit(credit.name, PAGE_EDITOR if credit.role == EDITOR else credit.role)
            for credit in page_credits
            if credit.role in (EDITOR, PAGE_EDITOR, LAYOUT_EDITOR)
        ),
        source=tails.source if tails else "",
        syndicated_from=tails.syndicated_from if tails else "",
        closes=bool(tails and tails.closes()),
        tail_credits=tuple(tails.credits) if tails else (),
        tail_photo=tuple(tails.photo or ()) if tails else (),
        jumps=reading.jumps,
        width=reading.width,
        item=ITEM_START.match(body) is not None,
        attribution=ATTRIBUTION.match(body) is not None,
    )


@dataclass(eq=False)
class _Draft:
    """An article being assembled."""

    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    dateline: str = ""
    source: str = ""
    syndicated_from: str = ""
    bylines: list[Credit] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)
    open_paragraph: bool = False  # the last paragraph may go on in the next line

    def has_story(self) -> bool:
        """Has the story begun? An editor's note over it is not the story."""
        return any(kind == PARAGRAPH and not EDITORS_NOTE.match(text) for kind, text in self.body)


@dataclass(eq=False)
class _Photo:
    headline: str = ""
    caption: str = ""
    bylines: list[Credit] = field(default_factory=list)
    open_caption: bool = False


class _Assembler:
    """Lines, in order, into articles and photos. Each handler reads one line's facts; the
    same steps are written in static/articles/import-correction.js for the admin preview."""

    def __init__(self, lines: Sequence[LabelledLine]) -> None:
        self.lines = lines
        gaps = Counter(item.line.gap_before for item in lines[1:])
        self.normal_gap = gaps.most_common(1)[0][0] if gaps else 0
        self.items: list[_Draft | _Photo] = []
        self.draft: _Draft | None = None
        self.last_draft: _Draft | None = None
        self.photo: _Photo | None = None
        self.kicker: list[str] = []
        self.pending_bylines: list[Credit] = []
        self.page_credits: list[Credit] = []
        self.previous: Role | None = None
        self.previous_block: int | None = None

    def run(self) -> ParsedPage:
        handlers = {
            Role.PAGE_CREDIT: self._page_credit,
            Role.KICKER: self._kicker,
            Role.HEADLINE: self._headline,
            Role.SUBHEADLINE: self._subheadline,
            Role.BYLINE: self._byline,
            Role.DATELINE: self._text,
            Role.BODY: self._text,
            Role.CROSSHEAD: self._crosshead,
            Role.CREDIT: self._credit,
            Role.PHOTO_TITLE: self._photo_title,
            Role.CAPTION: self._caption,
            Role.PHOTO_CREDIT: self._photo_credit,
        }
        for item in self.lines:
            block = item.line.block
            if (
                block is not None
                and self.previous_block is not None
                and block != self.previous_block
            ):
                # Geometry put this line in another region: nothing above carries on into it.
                self.draft = self.photo = None
                self.previous = None
            self.previous_block = block if block is not None else self.previous_block
            handler = handlers.get(item.role)
            if handler is None:  # furniture and jump lines are not part of any article
                if item.role == Role.JUMP and self.draft is not None:
                    self.draft.open_paragraph = False
                continue
            handler(item, facts(item.text))
            self.previous = item.role
        page = ParsedPage(credits=dedupe(self.page_credits))
        for thing in self.items:
            finished = self._finish(thing)
            if isinstance(finished, ParsedArticle):
                page.articles.append(finished)
            elif finished is not None:
                page.photos.append(finished)
        return page

    # Page credits and titles.

    def _page_credit(self, item: LabelledLine, fact: Facts) -> None:
        self.page_credits.extend(fact.page_credits)

    def _kicker(self, item: LabelledLine, fact: Facts) -> None:
        if self.previous != Role.KICKER:
            self.kicker = []
        self.kicker.append(fact.kicker)

    def _headline(self, item: LabelledLine, fact: Facts) -> None:
        if self.previous == Role.HEADLINE and self.draft is not None:
            self.draft.headline = f"{self.draft.headline} {fact.headline}".strip()
            return
        kicker = " ".join(self.kicker) if self.previous == Role.KICKER else ""
        self.kicker = []
        self.last_draft = self.draft
        self.draft = _Draft(kicker=kicker, headline=fact.headline, bylines=self.pending_bylines)
        self.pending_bylines = []
        self.items.append(self.draft)
        self.photo = None

    def _subheadline(self, item: LabelledLine, fact: Facts) -> None:
        if self.draft is None:
            self._headline(item, fact)
        elif self.previous == Role.SUBHEADLINE:
            self.draft.subheadline = f"{self.draft.subheadline} {fact.subheadline}".strip()
        else:
            self.draft.subheadline = fact.subheadline

    # Credits.

    def _byline(self, item: LabelledLine, fact: Facts) -> None:
        if self.draft is None:
            self.pending_bylines.extend(fact.credits)
        else:
            self.draft.bylines.extend(fact.credits)

    def _credit(self, item: LabelledLine, fact: Facts) -> None:
        draft = self.draft
        if draft is not None and not draft.body and self.last_draft is not None:
            # A closing credit cannot open an article: above the text it signs the one before.
            draft = self.last_draft
        if draft is None:
            self.page_credits.extend(
                Credit(c.name, PAGE_EDITOR) for c in fact.tail_credits if c.role == EDITOR
            )
            return
        if fact.kind == TAIL:
            draft.source = fact.source or draft.source
            draft.syndicated_from = fact.syndicated_from or draft.syndicated_from
            draft.bylines.extend(fact.tail_credits)
        else:
            draft.bylines.extend(fact.credits)
        draft.open_paragraph = False

    # Text.

    def _text(self, item: LabelledLine, fact: Facts) -> None:
        draft = self.draft
        if draft is None:
            return  # text before the first headline: the end of an article from another page
        if fact.undated and (item.role != Role.DATELINE or draft.dateline or draft.has_story()):
            text = fact.undated
        else:
            text = fact.body
            if fact.undated:
                draft.dateline = fact.dateline
                draft.bylines.extend(fact.dateline_credits)
        self._add_text(draft, item, text, fact)
        if fact.kind == TEXT:
            draft.source = fact.source or draft.source
            draft.syndicated_from = fact.syndicated_from or draft.syndicated_from
            draft.bylines.extend(fact.tail_credits)
            draft.bylines.extend(fact.tail_photo)
            if fact.closes:
                draft.open_paragraph = False

    def _add_text(self, draft: _Draft, item: LabelledLine, text: str, fact: Facts) -> None:
        if not text:
            return
        last = draft.body[-1] if draft.body else None
        goes_on = (
            last is not None
            and last[0] == PARAGRAPH
            and self.previous in (Role.BODY, Role.DATELINE)
            and item.role == Role.BODY
        )
        if last is not None and goes_on and fact.attribution and last[1].endswith(_QUOTE_ENDS):
            # “…。” then 某负责人说。: whatever the spacing, the speaker closes the quote.
            last[1] = join_lines(last[1], text)
        elif (
            last is not None
            and goes_on
            and draft.open_paragraph
            and not fact.item
            and not item.line.indented
            and item.line.gap_before <= self.normal_gap
        ):
            last[1] = join_lines(last[1], text)
        else:
            draft.body.append([PARAGRAPH, text])
        draft.open_paragraph = not (is_terminated(text) or fact.jumps)

    def _crosshead(self, item: LabelledLine, fact: Facts) -> None:
        if self.draft is None:
            self._headline(item, fact)
            return
        self.draft.body.append([CROSSHEAD, fact.heading])
        self.draft.open_paragraph = False

    # Photos.

    def _new_photo(self, headline: str = "") -> _Photo:
        self.photo = _Photo(headline=headline)
        self.items.append(self.photo)
        return self.photo

    def _photo_title(self, item: LabelledLine, fact: Facts) -> None:
        self._new_photo(fact.heading)

    def _caption(self, item: LabelledLine, fact: Facts) -> None:
        photo = self.photo
        text = fact.undated or fact.body
        joins = photo is not None and (
            (self.previous in (Role.PHOTO_TITLE, Role.PHOTO_CREDIT) and not photo.caption)
            or (self.previous == Role.CAPTION and photo.open_caption)
        )
        if not joins or photo is None:
            photo = self._new_photo()
        photo.caption = join_lines(photo.caption, text)
        photo.open_caption = not is_terminated(text)
        if fact.tail_photo:
            photo.bylines.extend(fact.tail_photo)
            photo.open_caption = False

    def _photo_credit(self, item: LabelledLine, fact: Facts) -> None:
        credits = fact.photo_credits
        draft = self.draft
        if (
            self.previous in (Role.HEADLINE, Role.SUBHEADLINE, Role.BYLINE)
            and draft is not None
            and not draft.body
        ):
            # “本报记者 X 摄” under a headline: the story is told in pictures.
            draft.bylines.extend(credits)
            return
        photo = self.photo
        if (
            photo is not None
            and self.previous in (Role.CAPTION, Role.PHOTO_TITLE, Role.PHOTO_CREDIT)
            and (photo.caption or photo.headline)
            and (not photo.bylines or self.previous == Role.PHOTO_CREDIT)
        ):
            photo.bylines.extend(credits)
            photo.open_caption = False
            return
        self._new_photo().bylines.extend(credits)

    # Results.

    def _finish(self, thing: _Draft | _Photo) -> ParsedArticle | ParsedPhoto | None:
        if isinstance(thing, _Photo):
            if not thing.caption:
                return None
            return ParsedPhoto(
                headline=thing.headline, caption=thing.caption, bylines=dedupe(thing.bylines)
            )
        body = [(kind, text) for kind, text in thing.body if text]
        while body and body[-1][0] == CROSSHEAD:
            body.pop()
        if not any(kind == PARAGRAPH for kind, _ in body):
            return None
        bylines = dedupe(thing.bylines)
        if (
            len(body) == 1
            and all(credit.role == PHOTOGRAPHER for credit in bylines)
            and not (thing.dateline or thing.source or thing.syndicated_from)
            and (bylines or _CAPTION_CUE.search(body[0][1]))
        ):
            # A title over one caption, credited to photographers or to nobody: a picture.
            return ParsedPhoto(headline=thing.headline, caption=body[0][1], bylines=bylines)
        return ParsedArticle.from_body(
            body,
            kicker=thing.kicker,
            headline=thing.headline,
            subheadline=thing.subheadline,
            dateline=thing.dateline,
            source=thing.source,
            syndicated_from=thing.syndicated_from,
            bylines=bylines,
        )


def assemble(lines: Sequence[LabelledLine]) -> ParsedPage:
    """The document that the labelled lines describe (it may have no article at all)."""
    return _Assembler(lines).run()
