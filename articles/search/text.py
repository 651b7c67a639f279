"""Text to index tokens, a reader's query to search terms, and highlighted snippets.

No models or database here: the same functions feed both database engines.

Chinese is written without spaces, and a word segmenter alone misses a word inside a longer
word (搜索 "华人" in "中华人民共和国"). So every run of Chinese characters is indexed as its
overlapping character bigrams, which finds every occurrence of any string of two or more
characters: a longer string is the phrase of its bigrams. The segmenter (rjieba) splits the
reader's query into words, so "北京疫情" means 北京 AND 疫情, and marks those words in snippets.

Both the text and the query are folded the same way first: full-width forms to ASCII, lower
case, traditional and variant characters to simplified (fold.py), so that 內蒙古 finds 内蒙古.
Spaces and line breaks between Chinese characters do not break a run (print text is full of
them), and the last character of each run is indexed once more on its own, at the end of the
field, so that a single character is found wherever it stands (乐 in the name 杨乐).
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import rjieba
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .fold import fold

# CJK ideographs, including the extension blocks and compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_CJK_SPLIT_RE = re.compile(f"([{_CJK}]+)")
# Whitespace between two Chinese characters: print spacing, not a word boundary.
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(rf"([{_CJK}]+)|((?:(?![{_CJK}])[^\W_])+)")

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
# Longer "words" (a pasted URL or hash) are cut: PostgreSQL refuses lexemes over 2 kB.
MAX_WORD_LENGTH = 60


# The commonest punctuation of Chinese text that NFKC changes (full-width forms of ASCII, each
# to its ASCII character, whatever stands around it), with what NFKC makes of it. Text with
# others (……, ％, full-width digits) still goes through NFKC, as before.
_WIDE_PUNCTUATION = [(wide, unicodedata.normalize("NFKC", wide)) for wide in "，：；！？（）\u3000"]


def normalize(text: str) -> str:
    """Fold text as both engines index it (NFKC: full-width letters and digits to ASCII), lower
    case, traditional and variant characters to simplified."""
    # The check is far cheaper than the folding, and most stored text is already folded.
    if not unicodedata.is_normalized("NFKC", text):
        # Chinese text is mostly not NFKC for its full-width punctuation alone: replaced as
        # NFKC would, it is, and NFKC itself (a quarter of a millisecond for an article's body,
        # most of the marking of a page of search results; str.translate costs half that) is
        # skipped. The result is the same.
        for wide, narrow in _WIDE_PUNCTUATION:
            text = text.replace(wide, narrow)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return fold(text.lower())


def _tokens(text: str, tails: list[str] | None) -> list[str]:
    """The tokens of text already folded by `normalize`, and the runs' tails into `tails`."""
    tokens: list[str] = []
    text = _CJK_GAP_RE.sub("", text)
    # Split keeps the Chinese runs at odd indexes; this loop is the indexer's hot path.
    for index, part in enumerate(_CJK_SPLIT_RE.split(text)):
        if index % 2 == 0:
            tokens.extend(word[:MAX_WORD_LENGTH] for word in _WORD_RE.findall(part))
        elif len(part) == 1:
            tokens.append(part)
        else:
            tokens.extend(map(operator.add, part[:-1], part[1:]))
            if tails is not None:
                tails.append(part[-1])
    return tokens


def index_tokens(text: str) -> list[str]:
    """The tokens of a text, in order: CJK bigrams and other words (a query's phrase).

    A lone Chinese character between punctuation is kept as a token of one character.
    Tokens contain only letters and digits, so no engine's query syntax can hide in them.
    """
    return _tokens(normalize(text), None)


def document_tokens(folded: str) -> list[str]:
    """The tokens a field, already folded by `normalize`, is indexed as: `index_tokens`,
    then the last character of each run of two or more Chinese characters, which no bigram
    starts with.

    A single character is searched as the start of a token; with the tails after the field's
    own tokens, where they break no phrase, every character of the text starts one.
    """
    tails: list[str] = []
    tokens = _tokens(folded, tails)
    return tokens + tails


@dataclass(frozen=True)
class Term:
    """One thing a result must contain: a word or a quoted phrase, as index tokens.

    `prefix`: the last token may be the start of a longer one (a number or Latin word, as
    400 finds 400cc and 4000; a unit after a number, as 2020年 finds 2020年底).
    """

    text: str
    tokens: tuple[str, ...]
    prefix: bool = False

    @property
    def is_prefix(self) -> bool:
        """Whether the last token matches as a prefix; a lone Chinese character always does."""
        return self.prefix or (
            len(self.tokens) == 1 and len(self.tokens[0]) == 1 and _is_cjk(self.tokens[0])
        )


@dataclass(frozen=True)
class Query:
    """A parsed query: every group is required, any one term of a group will do (A OR B),
    and no excluded term may appear. Iterating gives the terms to find, for highlighting."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @classmethod
    def of(cls, terms) -> Query:
        """A query from a query or from terms that are all required."""
        if isinstance(terms, Query):
            return terms
        return cls(groups=tuple((term,) for term in terms))

    def __iter__(self) -> Iterator[Term]:
        for group in self.groups:
            yield from group

    def __len__(self) -> int:
        return sum(len(group) for group in self.groups)

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def phrase(self) -> Term | None:
        """The query's words one after the other, as typed: results holding this exact
        phrase rank first. None for a single word or when the query has alternatives."""
        if len(self.groups) < 2 or any(len(group) > 1 for group in self.groups):
            return None
        text = " ".join(group[0].text for group in self.groups)
        # Spaces between Chinese characters go: 北京 疫情 is the phrase 北京疫情.
        return Term(text=text, tokens=tuple(index_tokens(text)))

    def positive(self) -> Query:
        """The same query without its excluded terms."""
        return Query(groups=self.groups)


class QueryError(ValueError):
    """A query that cannot be searched; the message is for the reader."""


def _is_cjk(text: str) -> bool:
    return bool(re.fullmatch(f"[{_CJK}]+", text))


# One-character function words, which would match nearly every article on their own.
_FUNCTION_CHARACTERS = frozenset("的地得了着过在和与及跟同是也就都而或之于把被对从向给让")
# Units and measure words that belong to the number before them: 2020年 and 23岁 are one
# term each (the number followed by the unit), not a number and a character in every article.
_UNITS = frozenset(
    "年月日号时点分秒岁周天人元角块个件次名位家条项座辆台架只头匹张本册篇期届层楼倍度米克吨斤亩户所"
) | frozenset(
    ["公里", "千米", "厘米", "毫米", "公斤", "千克", "万元", "亿元", "万人", "平方米", "小时"]
)


def _words(text: str) -> list[Term]:
    """Unquoted query text as terms: Chinese runs segmented, other words as prefixes.

    One-character function words inside a longer run (的, 在, 和) are dropped, as they would
    match nearly everything; any other lone character stays joined to the word beside it,
    as the segmenter cuts the last character off a name it does not know (严亮 强 for the
    name 严亮强). A run made only of function words is kept whole. A number keeps the unit
    after it (see _UNITS).
    """
    terms: list[Term] = []
    matches = list(_TOKEN_RE.finditer(_CJK_GAP_RE.sub("", normalize(text))))
    unit_taken = 0
    for index, match in enumerate(matches):
        run, word = match.groups()
        if word:
            word = word[:MAX_WORD_LENGTH]
            following = matches[index + 1] if index + 1 < len(matches) else None
            unit = None
            if word.isdigit() and following and following.start() == match.end():
                unit = _unit(following.group(1) or "")
            if unit:
                # The unit is the start of the token after the number: 年 of 年底 too.
                tokens = (word, *index_tokens(unit))
                terms.append(Term(text=word + unit, tokens=tokens, prefix=True))
                unit_taken = len(unit)
            else:
                terms.append(Term(text=word, tokens=(word,), prefix=True))
            continue
        if unit_taken:
            # What follows a unit: function characters (23岁的) are dropped.
            pieces = _segment(run[unit_taken:])
            unit_taken = 0
        elif len(run) == 1:
            pieces = [run]
        else:
            pieces = _segment(run) or [run]
        terms.extend(Term(text=piece, tokens=tuple(index_tokens(piece))) for piece in pieces)
    return terms


def _unit(run: str) -> str | None:
    """The unit a run of Chinese characters starts with, if any (the longest)."""
    for length in (3, 2, 1):
        if run[:length] in _UNITS and len(run) >= length:
            return run[:length]
    return None


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


# The parts of a query: a phrase in quotes (straight or typographic double quotes, Chinese
# corner brackets), maybe negated; OR or | between alternatives; a negated word; other text.
_QUERY_RE = re.compile(
    r"""
    (?P<minus>(?<!\S)-+)?
    (?:
        "(?P<straight>[^"]*)" | “(?P<curly>[^”]*)” | 「(?P<corner>[^」]*)」 | 『(?P<double>[^』]*)』
      | (?P<either>(?<!\S)OR(?!\S)|\|)
      | (?P<text>[^\s"“「『|]+)
    )
    """,
    re.VERBOSE,
)


def parse_query(query: str) -> Query:
    """The terms of a reader's query; raises QueryError with a message for the reader.

    Words are all required; a quoted phrase must appear as written; `-word` (or `-"…"`)
    excludes; `A OR B` and `A | B` find either. Any other character (FTS5 or tsquery
    operators included) is only a separator. Operators with nothing to act on are ignored.
    """
    query = query.strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
        )
    # Full-width ｜ and － are the same operators.
    query = unicodedata.normalize("NFKC", query)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    seen: set[Term] = set()
    either = False  # an OR is waiting for the term after it
    for match in _QUERY_RE.finditer(query):
        if match["either"]:
            either = bool(groups)
            continue
        quoted = ("straight", "curly", "corner", "double")
        phrase = next((match[name] for name in quoted if match[name] is not None), None)
        if phrase is not None:
            tokens = index_tokens(phrase)
            terms = [Term(text=phrase.strip(), tokens=tuple(tokens))] if tokens else []
        elif match["minus"]:
            # A negated word is excluded whole, not word by word.
            tokens = index_tokens(match["text"])
            terms = [Term(text=match["text"], tokens=tuple(tokens))] if tokens else []
        else:
            terms = _words(match["text"])
        for term in terms:
            if term in seen:
                continue
            seen.add(term)
            if match["minus"]:
                excluded.append(term)
            elif either:
                groups[-1].append(term)
                either = False
            else:
                groups.append([term])
        if terms:
            either = False
    if excluded and not groups:
        raise QueryError(_("Add a word to find: excluding words alone would list everything."))
    kept: list[tuple[Term, ...]] = []
    budget = MAX_TERMS
    for group in groups:
        if budget <= 0:
            break
        kept.append(tuple(group[:budget]))
        budget -= len(kept[-1])
    return Query(groups=tuple(kept), excluded=tuple(excluded[: max(budget, 0)]))


def _fold_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """`text` folded as the index folds it, and for each folded character the offset of the
    character of `text` it came from (NFKC can turn one character into several)."""
    folded = normalize(text)
    if len(folded) == len(text):
        return folded, range(len(text))
    pieces, offsets = [], []
    for offset, character in enumerate(text):
        piece = normalize(character)
        pieces.append(piece)
        offsets.extend([offset] * len(piece))
    return "".join(pieces), offsets


def _term_pattern(term: Term) -> str:
    """A term as a pattern over folded text: its words with up to three other characters
    between them, and spaces or line breaks allowed between any two Chinese characters."""
    parts = []
    for part in re.findall(r"\w+", normalize(term.text)):
        parts.append(
            r"\s{0,3}".join(re.escape(character) for character in part)
            if _is_cjk(part)
            else re.escape(part)
        )
    return r"\W{0,3}".join(parts)


def _highlight_pattern(terms) -> re.Pattern | None:
    """A pattern for the words to mark (a phrase "北京 疫情" is marked in "北京，疫情" too)."""
    return _pattern_of(tuple(terms))


# A page of results marks a few dozen texts with one query's words: build its pattern once.
@functools.lru_cache(maxsize=64)
def _pattern_of(terms: tuple[Term, ...]) -> re.Pattern | None:
    pieces = [piece for piece in (_term_pattern(term) for term in terms) if piece]
    if not pieces:
        return None
    # Longest first, so a phrase wins over a word inside it.
    pieces.sort(key=len, reverse=True)
    return re.compile("|".join(pieces), re.IGNORECASE)


def _spans(text: str, pattern: re.Pattern | None) -> Iterator[tuple[int, int]]:
    """Where the pattern matches the folded text, as offsets into `text` as printed."""
    if pattern is None:
        return
    folded, offsets = _fold_with_offsets(text)
    for match in pattern.finditer(folded):
        if match.end() > match.start():
            yield offsets[match.start()], offsets[match.end() - 1] + 1


def highlight(text: str, terms) -> SafeString:
    """The whole text, escaped, with the query's words wrapped in <mark>."""
    return _marked(text, _highlight_pattern(terms))


def matched(text: str, terms) -> bool:
    """Whether any of the terms is in the text, as highlighting would mark it."""
    return next(_spans(text, _highlight_pattern(terms)), None) is not None


def _marked(text: str, pattern: re.Pattern | None) -> SafeString:
    parts, position = [], 0
    for start, end in _spans(text, pattern):
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def snippet(text: str, terms, width: int = 120) -> SafeString:
    """About `width` characters of `text` around the first match, matches marked.

    Without a match (the hit was in a caption or a name), the start of the text.
    """
    text = " ".join(line.lstrip("#").strip() for line in text.splitlines() if line.strip())
    pattern = _highlight_pattern(terms)
    found = next(_spans(text, pattern), None)
    start = max(0, found[0] - width // 3) if found else 0
    end = min(len(text), start + width)
    piece = _marked(text[start:end], pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + piece + suffix)  # noqa: S308 - piece is escaped, the rest literal
