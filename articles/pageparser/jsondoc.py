"""A page's JSON document (FORMAT.md), as an editor may have corrected it, read back strictly.

`import_page --dry-run` prints the document; an editor fixes it by hand; `import_page
--from-json` stores it. Nothing in it is trusted: the first thing that does not follow
FORMAT.md is named in the error, with its place in the document (`articles[2].headline`).
"""

from __future__ import annotations

import json
from typing import Any

from .document import CROSSHEAD, PARAGRAPH, ROLES, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .errors import PageParseError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# FORMAT.md's documents are three levels deep; anything much deeper is not one.
MAX_DEPTH = 8

ARTICLE_TEXT = ("kicker", "headline", "subheadline", "dateline", "source", "syndicated_from")
ARTICLE_KEYS = frozenset((*ARTICLE_TEXT, "bylines", "crossheads", "paragraphs"))
PHOTO_KEYS = frozenset(("headline", "caption", "bylines"))
PAGE_KEYS = frozenset(("credits", "articles", "photos"))
# Page PDFs' documents (FORMAT-PDF.md) add where each item lies; it is not stored from JSON.
OPTIONAL_KEYS = frozenset(("boxes",))


class DocumentError(PageParseError):
    """The JSON is not a page document as FORMAT.md describes it."""


def read_document(data: bytes) -> ParsedPage:
    """The page a JSON document describes. Raises DocumentError naming the first problem."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"The document is {len(data) / 1024 / 1024:.1f} MB; a page's JSON may be at most "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB."
        )
    _check_depth(data)
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DocumentError("The document is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"The document is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None
    return _page(value)


def _check_depth(data: bytes) -> None:
    """Refuse deep nesting before the JSON parser recurses into it."""
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_DEPTH:
                raise DocumentError(
                    f"The document is nested more than {MAX_DEPTH} levels deep; "
                    "a page's JSON has three."
                )
        elif byte in (0x5D, 0x7D):
            depth -= 1


def _object(value: Any, where: str, keys: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(f"{where}: expected an object, found {_kind(value)}.")
    for key in keys:
        if key not in value:
            raise DocumentError(f"{where}: the key “{key}” is missing.")
    for key in value:
        if key not in keys and key not in OPTIONAL_KEYS:
            raise DocumentError(f"{where}: unknown key “{key}”.")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise DocumentError(f"{where}: expected a list, found {_kind(value)}.")
    return value


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise DocumentError(f"{where}: expected a string, found {_kind(value)}.")
    text = value.strip()
    if required and not text:
        raise DocumentError(f"{where}: must not be empty.")
    return text


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _credits(value: Any, where: str) -> list[Credit]:
    credits = []
    for index, item in enumerate(_list(value, where)):
        place = f"{where}[{index}]"
        item = _object(item, place, frozenset(("name", "role")))
        name = "".join(_text(item["name"], f"{place}.name", required=True).split())
        role = _text(item["role"], f"{place}.role", required=True)
        if role not in ROLES:
            raise DocumentError(
                f"{place}.role: “{role}” is not a role; use one of {', '.join(ROLES)}."
            )
        credits.append(Credit(name, role))
    return credits


def _page(value: Any) -> ParsedPage:
    page = _object(value, "the document", PAGE_KEYS)
    credits = _credits(page["credits"], "credits")
    articles = [
        _article(item, f"articles[{index}]")
        for index, item in enumerate(_list(page["articles"], "articles"))
    ]
    photos = [
        _photo(item, f"photos[{index}]")
        for index, item in enumerate(_list(page["photos"], "photos"))
    ]
    if not articles and not photos:
        raise DocumentError(
            "articles: the page has neither an article nor a photo; an import needs one."
        )
    return ParsedPage(credits=credits, articles=articles, photos=photos)


def _article(value: Any, where: str) -> ParsedArticle:
    item = _object(value, where, ARTICLE_KEYS)
    fields = {key: _text(item[key], f"{where}.{key}") for key in ARTICLE_TEXT}
    if not fields["headline"]:
        raise DocumentError(f"{where}.headline: must not be empty.")
    crossheads = [
        _text(text, f"{where}.crossheads[{index}]", required=True)
        for index, text in enumerate(_list(item["crossheads"], f"{where}.crossheads"))
    ]
    paragraphs = [
        _text(text, f"{where}.paragraphs[{index}]", required=True)
        for index, text in enumerate(_list(item["paragraphs"], f"{where}.paragraphs"))
    ]
    if not paragraphs:
        raise DocumentError(f"{where}.paragraphs: an article needs at least one paragraph.")
    return ParsedArticle.from_body(
        _interleave(crossheads, paragraphs),
        bylines=_credits(item["bylines"], f"{where}.bylines"),
        **fields,
    )


def _interleave(crossheads: list[str], paragraphs: list[str]) -> list[tuple[str, str]]:
    """FORMAT.md keeps crossheads apart from the paragraphs, so their places are not in the
    document: they are spread evenly, each before a paragraph, none before the first."""
    before: dict[int, list[str]] = {}
    for index, heading in enumerate(crossheads):
        place = round((index + 1) * len(paragraphs) / (len(crossheads) + 1))
        before.setdefault(min(max(place, 1), len(paragraphs)), []).append(heading)
    body: list[tuple[str, str]] = []
    for index, text in enumerate(paragraphs):
        body.extend((CROSSHEAD, heading) for heading in before.get(index, []))
        body.append((PARAGRAPH, text))
    body.extend((CROSSHEAD, heading) for heading in before.get(len(paragraphs), []))
    return body


def _photo(value: Any, where: str) -> ParsedPhoto:
    item = _object(value, where, PHOTO_KEYS)
    return ParsedPhoto(
        headline=_text(item["headline"], f"{where}.headline"),
        caption=_text(item["caption"], f"{where}.caption", required=True),
        bylines=_credits(item["bylines"], f"{where}.bylines"),
    )
