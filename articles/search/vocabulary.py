"""The archive's own vocabulary, and "did you mean" corrections drawn from it.

Most Chinese typos come from the pinyin input method: the right sound, the wrong character
(疫请 for 疫情). So a word that the vocabulary does not hold is corrected to a word that sounds
the same first, and only then to one that differs by one character (呼和浩持 for 呼和浩特).

The vocabulary is every word of the headings, the places, people and organisations of the
bodies, and the names credited (documents.vocabulary_words), each with how many articles were
indexed with it, updated as articles are indexed. Candidates are found by key through one
index lookup, whatever the size of the archive: each word is stored under its toneless pinyin
("=yiqing") and under each of its forms with one character masked ("疫*", "*情").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection
from pypinyin import lazy_pinyin

from .text import _CJK, _segment, normalize

WORDS = "articles_search_word"
KEYS = "articles_search_word_key"
# Words longer than this are not kept, nor corrected; nor more words than LOOKUPS a query.
LONGEST = 12
LOOKUPS = 5
_RUN_RE = re.compile(f"[{_CJK}]{{2,}}")
_QUOTED_OR_EXCLUDED_RE = re.compile(r'(?<!\S)-\S*|"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』')


@lru_cache(maxsize=100_000)
def sound(word: str) -> str:
    """The word's toneless pinyin, as one key: 疫情 and 疫请 are both "=yiqing"."""
    return "=" + "".join(lazy_pinyin(word))


def keys(word: str) -> list[str]:
    """Every key the word is stored and looked up under."""
    return [sound(word), *(word[:index] + "*" + word[index + 1 :] for index in range(len(word)))]


def add_words(counts: Counter[str]) -> None:
    """Count these words (word: number of articles) into the vocabulary.

    In sorted order, so that two processes indexing at once take their row locks in the same
    order and never wait on each other in a circle.
    """
    if not counts:
        return
    words = sorted(counts)
    with connection.cursor() as cursor:
        known = set()
        for start in range(0, len(words), 500):
            chunk = words[start : start + 500]
            cursor.execute(
                f"SELECT word FROM {WORDS} WHERE word IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
            known.update(row[0] for row in cursor.fetchall())
        new_keys = sorted(
            {(key, word) for word in words if word not in known for key in keys(word)}
        )
        cursor.executemany(
            f"INSERT INTO {KEYS} (key, word) VALUES (%s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
            new_keys,
        )
        cursor.executemany(
            f"INSERT INTO {WORDS} (word, weight) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (word) DO UPDATE SET weight = {WORDS}.weight + excluded.weight",
            [(word, counts[word]) for word in words],
        )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {KEYS}")  # noqa: S608
        cursor.execute(f"DELETE FROM {WORDS}")  # noqa: S608


def correct(word: str, *, differing: bool = True) -> str | None:
    """The likeliest word of the vocabulary the reader meant, or None: the word itself if
    the vocabulary knows it, else the commonest word that sounds the same, else (if
    `differing`) the commonest that differs by one character. One query."""
    word_keys = keys(word) if differing else keys(word)[:1]
    sql = (
        f"SELECT word, weight, '' FROM {WORDS} WHERE word = %s "  # noqa: S608
        f"UNION ALL SELECT w.word, w.weight, k.key FROM {KEYS} k "
        f"JOIN {WORDS} w ON w.word = k.word WHERE k.key IN ({', '.join(['%s'] * len(word_keys))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [word, *word_keys])
        rows = cursor.fetchall()
    if any(key == "" for _word, _weight, key in rows):
        return word
    same_sound = word_keys[0]
    # Same sound first; then the commonest; then the one nearest in sound, then by text.
    candidates = sorted(
        (key != same_sound, -weight, sound(other) != same_sound, other)
        for other, weight, key in rows
        if other != word and len(other) == len(word)
    )
    return candidates[0][3] if candidates else None


def suggest(query: str, *, differing: bool = True) -> str | None:
    """The query with its misspelt words corrected, or None if none is.

    Each word of the query outside quotes and exclusions (as the query is segmented, a lone
    character joined to its word: 乌兰查布 is one) is looked up; at most LOOKUPS of them.
    Without `differing`, only to words that sound the same: a word that differs by one
    character is a likely correction only of a query that finds nothing (银行 is one
    character from 中行, and a word in its own right).
    """
    text = normalize(query)
    open_text = _QUOTED_OR_EXCLUDED_RE.sub(" ", text)
    words = [
        word
        for run in _RUN_RE.findall(open_text)
        for word in _segment(run)
        if 1 < len(word) <= LONGEST
    ]
    corrections = {}
    for word in list(dict.fromkeys(words))[:LOOKUPS]:
        replacement = correct(word, differing=differing)
        if replacement is not None and replacement != word:
            corrections[word] = replacement
    if not corrections:
        return None
    # Longest first, so that a word inside another is not replaced within it.
    for word in sorted(corrections, key=len, reverse=True):
        text = text.replace(word, corrections[word])
    return text


def count_words(word_sets: Iterable[frozenset[str]]) -> Counter[str]:
    """How many of these articles each word is in."""
    counts: Counter[str] = Counter()
    for words in word_sets:
        counts.update(words)
    return counts
