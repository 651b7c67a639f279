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

from .credits import EDITOR, LAYOUT_EDITOR, PAGE_EDITOR, PHOTOGRAPHER, dedupe, parse_credits
from .document import CROSSHEAD, PARAGRAPH, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .lines import LabelledLine, Role
from .reading import (
    _CAPTION_CUE,
    _KICKER_END,
    _SUBHEAD_START,
    BYLINE,
    PAGE_CREDIT,
    PHOTO,
    TAIL,
    TEXT,
    Reading,
    _is_page_credit_line,
    read_line,
)
from .text import clean_body, clean_heading, is_terminated, join_lines


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
    last_length: int = 0

    def has_paragraphs(self) -> bool:
        return any(kind == PARAGRAPH for kind, _ in self.body)


@dataclass(eq=False)
class _Photo:
    headline: str = ""
    caption: str = ""
    bylines: list[Credit] = field(default_factory=list)
    open_caption: bool = False


class _Assembler:
    def __init__(self, lines: Sequence[LabelledLine]) -> None:
        self.lines = lines
        gaps = Counter(item.line.gap_before for item in lines[1:])
        self.normal_gap = gaps.most_common(1)[0][0] if gaps else 0
        lengths = Counter(
            r.width for r in (read_line(item.text) for item in lines) if r.width >= 12
        )
        self.full_line = 0
        if lengths:
            length, times = lengths.most_common(1)[0]
            if times >= 3 and times >= sum(lengths.values()) * 0.25:
                self.full_line = length
        self.items: list[_Draft | _Photo] = []
        self.draft: _Draft | None = None
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
            handler(item, read_line(item.text))
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

    def _page_credit(self, item: LabelledLine, reading: Reading) -> None:
        credits = list(reading.credits) if reading.kind == PAGE_CREDIT else []
        if reading.kind != PAGE_CREDIT:
            _is_page_credit_line(reading.text, credits)
        self.page_credits.extend(
            Credit(credit.name, PAGE_EDITOR if credit.role == EDITOR else credit.role)
            for credit in credits
            if credit.role in (EDITOR, PAGE_EDITOR, LAYOUT_EDITOR)
        )

    def _kicker(self, item: LabelledLine, reading: Reading) -> None:
        if self.previous != Role.KICKER:
            self.kicker = []
        self.kicker.append(
            _KICKER_END.sub("", clean_heading(reading.undated or reading.text or item.text)).strip()
        )

    def _headline(self, item: LabelledLine, reading: Reading) -> None:
        text = _KICKER_END.sub(
            "", _SUBHEAD_START.sub("", clean_heading(reading.undated or reading.text or item.text))
        ).strip()
        if self.previous == Role.HEADLINE and self.draft is not None:
            self.draft.headline = f"{self.draft.headline} {text}".strip()
            return
        kicker = " ".join(self.kicker) if self.previous == Role.KICKER else ""
        self.kicker = []
        self.draft = _Draft(kicker=kicker, headline=text, bylines=self.pending_bylines)
        self.pending_bylines = []
        self.items.append(self.draft)
        self.photo = None

    def _subheadline(self, item: LabelledLine, reading: Reading) -> None:
        text = _SUBHEAD_START.sub(
            "", clean_heading(reading.undated or reading.text or item.text)
        ).strip()
        if self.draft is None:
            self._headline(item, reading)
        elif self.previous == Role.SUBHEADLINE:
            self.draft.subheadline = f"{self.draft.subheadline} {text}".strip()
        else:
            self.draft.subheadline = text

    # Credits.

    def _credits_of(self, reading: Reading, item: LabelledLine) -> list[Credit]:
        if reading.kind in (BYLINE, PHOTO):
            return list(reading.credits)
        if reading.names:
            return []
        return parse_credits(item.text, default=None) or []

    def _byline(self, item: LabelledLine, reading: Reading) -> None:
        credits = self._credits_of(reading, item)
        if reading.names:
            credits = [Credit(name, "author") for name in reading.names]
        if self.draft is None:
            self.pending_bylines.extend(credits)
        else:
            self.draft.bylines.extend(credits)

    def _credit(self, item: LabelledLine, reading: Reading) -> None:
        draft = self.draft
        if reading.kind == TAIL and reading.tails is not None:
            tails = reading.tails
            if draft is None:
                self.page_credits.extend(
                    Credit(c.name, PAGE_EDITOR) for c in tails.credits if c.role == EDITOR
                )
                return
            draft.source = tails.source or draft.source
            draft.syndicated_from = tails.syndicated_from or draft.syndicated_from
            draft.bylines.extend(tails.credits)
        elif draft is not None:
            if reading.names:
                draft.bylines.extend(Credit(name, "author") for name in reading.names)
            else:
                draft.bylines.extend(self._credits_of(reading, item))
        if draft is not None:
            draft.open_paragraph = False

    # Text.

    def _text(self, item: LabelledLine, reading: Reading) -> None:
        draft = self.draft
        if draft is None:
            return  # text before the first headline: the end of an article from another page
        if reading.kind != TEXT:
            text = clean_body(item.text)
        elif reading.dateline and (
            item.role != Role.DATELINE or draft.dateline or draft.has_paragraphs()
        ):
            text = clean_body(reading.undated)
        else:
            text = clean_body(reading.text)
            if reading.dateline:
                draft.dateline = reading.dateline
                draft.bylines.extend(reading.dateline_credits)
        self._add_text(draft, item, text, reading)
        tails = reading.tails if reading.kind == TEXT else None
        if tails is not None:
            draft.source = tails.source or draft.source
            draft.syndicated_from = tails.syndicated_from or draft.syndicated_from
            draft.bylines.extend(tails.credits)
            if tails.photo:
                draft.bylines.extend(tails.photo)
            if tails.closes():
                draft.open_paragraph = False

    def _add_text(self, draft: _Draft, item: LabelledLine, text: str, reading: Reading) -> None:
        if not text:
            return
        last = draft.body[-1] if draft.body else None
        if (
            last is not None
            and last[0] == PARAGRAPH
            and draft.open_paragraph
            and self.previous in (Role.BODY, Role.DATELINE)
            and item.role == Role.BODY
            and not item.line.indented
            and item.line.gap_before <= self.normal_gap
        ):
            last[1] = join_lines(last[1], text)
        else:
            draft.body.append([PARAGRAPH, text])
        draft.open_paragraph = not (is_terminated(text) or reading.jumps)
        draft.last_length = reading.width

    def _crosshead(self, item: LabelledLine, reading: Reading) -> None:
        if self.draft is None:
            self._headline(item, reading)
            return
        self.draft.body.append(
            [CROSSHEAD, clean_heading(reading.undated or reading.text or item.text)]
        )
        self.draft.open_paragraph = False

    # Photos.

    def _new_photo(self, headline: str = "") -> _Photo:
        self.photo = _Photo(headline=headline)
        self.items.append(self.photo)
        return self.photo

    def _photo_title(self, item: LabelledLine, reading: Reading) -> None:
        self._new_photo(clean_heading(reading.undated or reading.text or item.text))

    def _caption(self, item: LabelledLine, reading: Reading) -> None:
        photo = self.photo
        text = clean_body(reading.undated or reading.text) if reading.kind == TEXT else ""
        if not text:
            text = clean_body(item.text)
        joins = photo is not None and (
            (self.previous == Role.PHOTO_TITLE and not photo.caption)
            or (self.previous == Role.PHOTO_CREDIT and not photo.caption)
            or (self.previous == Role.CAPTION and photo.open_caption)
        )
        if not joins or photo is None:
            photo = self._new_photo()
        photo.caption = join_lines(photo.caption, text)
        photo.open_caption = not is_terminated(text)
        tails = reading.tails if reading.kind == TEXT else None
        if tails is not None and tails.photo:
            photo.bylines.extend(tails.photo)
            photo.open_caption = False

    def _photo_credit(self, item: LabelledLine, reading: Reading) -> None:
        credits = self._credits_of(reading, item) if reading.kind != TEXT else []
        if reading.kind != PHOTO:
            credits = parse_credits(item.text, default=(PHOTOGRAPHER,), strict=False) or credits
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
