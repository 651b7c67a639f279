"""Text to index tokens, a reader's query to search terms, and highlighted snippets.

No models or database here: the same functions feed both database engines.

Chinese is written without spaces, and a word segmenter alone misses a word inside a longer
word (搜索 "华人" in "中华人民共和国"). So every run of Chinese characters is indexed as its
overlapping character bigrams, which finds every occurrence of any string of two or more
characters: a longer string is the phrase of its bigrams. The segmenter (rjieba) splits the
reader's query into words, so "北京疫情" means 北京 AND 疫情, and marks those words in snippets.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass

import rjieba
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# CJK ideographs, including the extension blocks and compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_CJK_SPLIT_RE = re.compile(f"([{_CJK}]+)")
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(rf"([{_CJK}]+)|((?:(?![{_CJK}])[^\W_])+)")
# Straight and typographic double quotes, and Chinese corner brackets, mark a phrase.
_PHRASE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
# Longer "words" (a pasted URL or hash) are cut: PostgreSQL refuses lexemes over 2 kB.
MAX_WORD_LENGTH = 60


def normalize(text: str) -> str:
    """Fold full-width letters and digits to ASCII and lower-case, as both engines index."""
    # The check is far cheaper than the folding, and most stored text is already folded.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def index_tokens(text: str) -> list[str]:
    """The tokens a text is indexed as, in order: CJK bigrams and other words.

    A lone Chinese character between punctuation is kept as a token of one character.
    Tokens contain only letters and digits, so no engine's query syntax can hide in them.
    """
    tokens: list[str] = []
    # Split keeps the Chinese runs at odd indexes; this loop is the indexer's hot path.
    for index, part in enumerate(_CJK_SPLIT_RE.split(normalize(text))):
        if index % 2 == 0:
            tokens.extend(word[:MAX_WORD_LENGTH] for word in _WORD_RE.findall(part))
        elif len(part) == 1:
            tokens.append(part)
        else:
            tokens.extend(map(operator.add, part[:-1], part[1:]))
    return tokens


@dataclass(frozen=True)
class Term:
    """One thing every result must contain: a word or a quoted phrase, as index tokens."""

    text: str
    tokens: tuple[str, ...]

    @property
    def is_prefix(self) -> bool:
        """A single Chinese character matches as the start of a bigram (or a lone character)."""
        return len(self.tokens) == 1 and len(self.tokens[0]) == 1 and _is_cjk(self.tokens[0])


class QueryError(ValueError):
    """A query that cannot be searched; the message is for the reader."""


def _is_cjk(text: str) -> bool:
    return bool(re.fullmatch(f"[{_CJK}]+", text))


# One-character function words, which would match nearly every article on their own.
_FUNCTION_CHARACTERS = frozenset("的地得了着过在和与及跟同是也就都而或之于把被对从向给让")


def _words(text: str) -> list[str]:
    """Unquoted query text as words: Chinese runs segmented, other words as they are.

    One-character function words inside a longer run (的, 在, 和) are dropped, as they would
    match nearly everything; any other lone character stays joined to the word beside it,
    as the segmenter cuts the last character off a name it does not know (严亮 强 for the
    name 严亮强). A run made only of function words is kept whole.
    """
    words: list[str] = []
    for match in _TOKEN_RE.finditer(normalize(text)):
        run, word = match.groups()
        if word:
            words.append(word)
        elif len(run) == 1:
            words.append(run)
        else:
            words.extend(_segment(run) or [run])
    return words


def _segment(run: str) -> list[str]:
    """A run of Chinese characters as the words to search for (see `_words`)."""
    words: list[str] = []
    joinable = False  # whether the last word ends right where the next piece starts
    waiting = ""  # a lone character at the start, joined to the word after it
    for piece in rjieba.cut(run):
        if len(piece) == 1 and piece in _FUNCTION_CHARACTERS:
            joinable, waiting = False, ""
        elif len(piece) == 1 and joinable:
            words[-1] += piece
        elif len(piece) == 1:
            waiting += piece
        else:
            words.append(waiting + piece)
            joinable, waiting = True, ""
    if waiting:
        words.append(waiting)
    return words


def parse_query(query: str) -> list[Term]:
    """The terms of a reader's query; raises QueryError with a message for the reader.

    Words are all required; a quoted phrase must appear as written. Any other character
    (FTS5 or tsquery operators included) is only a separator.
    """
    query = query.strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
        )
    terms: list[Term] = []
    seen: set[tuple[str, ...]] = set()

    def add(text: str, tokens: list[str]) -> None:
        if tokens and tuple(tokens) not in seen:
            seen.add(tuple(tokens))
            terms.append(Term(text=text, tokens=tuple(tokens)))

    position = 0
    for match in _PHRASE_RE.finditer(query):
        for word in _words(query[position : match.start()]):
            add(word, index_tokens(word))
        phrase = next(group for group in match.groups() if group is not None)
        add(phrase.strip(), index_tokens(phrase))
        position = match.end()
    for word in _words(query[position:]):
        add(word, index_tokens(word))
    return terms[:MAX_TERMS]


def _highlight_pattern(terms: list[Term]) -> re.Pattern | None:
    """A pattern for the words to mark: each term, with any non-word characters between
    its parts (a phrase "北京 疫情" is marked in "北京，疫情" too)."""
    pieces = []
    for term in terms:
        parts = [re.escape(part) for part in re.findall(r"\w+", normalize(term.text))]
        if parts:
            pieces.append(r"\W{0,3}".join(parts))
    if not pieces:
        return None
    # Longest first, so a phrase wins over a word inside it.
    pieces.sort(key=len, reverse=True)
    return re.compile("|".join(pieces), re.IGNORECASE)


def _haystack(text: str) -> str:
    """The text to match in: folded like the index, unless folding changed its length
    (NFKC can), in which case positions would no longer line up with the original."""
    folded = normalize(text)
    return folded if len(folded) == len(text) else text


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The whole text, escaped, with the query's words wrapped in <mark>."""
    return _marked(text, _highlight_pattern(terms))


def _marked(text: str, pattern: re.Pattern | None) -> SafeString:
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(_haystack(text)):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def snippet(text: str, terms: list[Term], width: int = 120) -> SafeString:
    """About `width` characters of `text` around the first match, matches marked.

    Without a match (the hit was in a caption or a name), the start of the text.
    """
    text = " ".join(line.lstrip("#").strip() for line in text.splitlines() if line.strip())
    pattern = _highlight_pattern(terms)
    found = pattern.search(_haystack(text)) if pattern else None
    start = max(0, found.start() - width // 3) if found else 0
    end = min(len(text), start + width)
    piece = _marked(text[start:end], pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + piece + suffix)  # noqa: S308 - piece is escaped, the rest literal
