"""The parsed page: plain dataclasses whose as_dict() is the JSON contract in FORMAT.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The byline vocabulary of FORMAT.md; the database's Byline.Role uses the same values.
ROLES = (
    "reporter",
    "correspondent",
    "photographer",
    "author",
    "editor",
    "page_editor",
    "layout_editor",
)

CROSSHEAD = "crosshead"
PARAGRAPH = "paragraph"


@dataclass(frozen=True)
class Credit:
    """One person credited in one role."""

    name: str
    role: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


@dataclass
class ParsedArticle:
    """One article of a page. `body` keeps crossheads in their place among the paragraphs."""

    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    dateline: str = ""
    source: str = ""
    syndicated_from: str = ""
    bylines: list[Credit] = field(default_factory=list)
    crossheads: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    body: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_body(cls, body: list[tuple[str, str]], **fields: Any) -> ParsedArticle:
        """Build an article whose crossheads and paragraphs are read off `body`."""
        return cls(
            crossheads=[text for kind, text in body if kind == CROSSHEAD],
            paragraphs=[text for kind, text in body if kind == PARAGRAPH],
            body=list(body),
            **fields,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "dateline": self.dateline,
            "source": self.source,
            "syndicated_from": self.syndicated_from,
            "bylines": [credit.as_dict() for credit in self.bylines],
            "crossheads": list(self.crossheads),
            "paragraphs": list(self.paragraphs),
        }


@dataclass
class ParsedPhoto:
    """A picture's caption, its own title if it has one, and who took it."""

    headline: str = ""
    caption: str = ""
    bylines: list[Credit] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "caption": self.caption,
            "bylines": [credit.as_dict() for credit in self.bylines],
        }


@dataclass
class ParsedPage:
    """Everything read from one page: page credits, articles in reading order, photos."""

    credits: list[Credit] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    photos: list[ParsedPhoto] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "credits": [credit.as_dict() for credit in self.credits],
            "articles": [article.as_dict() for article in self.articles],
            "photos": [photo.as_dict() for photo in self.photos],
        }
