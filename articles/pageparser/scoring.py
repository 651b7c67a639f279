"""How close an importer's documents come to hand-made expectations, figure by figure.

The figures are those of the shared scorer (score.py beside the shared sample pages), so a
newsroom can score the importer on its own pages without it: articles and photos are paired
by the similarity of their headlines and captions, then credits, fields, crossheads and
paragraphs are counted as hits against what was expected and what was found (F1), and the
body text is compared as a whole. `score` is the mean of the figures.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_DASHES = re.compile(r"[—–―‐-]+")
_SPACE = re.compile(r"\s+")
# Two headlines (or captions) at least this similar are the same item.
SAME_ITEM = 0.8
_FIELDS = ("kicker", "subheadline", "dateline", "source", "syndicated_from")


def _norm(text: Any) -> str:
    """Fold widths, dashes and white space, so only real differences count."""
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
    return _SPACE.sub("", _DASHES.sub("-", text)).strip("-")


def _similar(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, first, second).ratio()


def _pair(expected: list[dict], actual: list[dict], key: str) -> list[tuple[int, int]]:
    """Pair items best first by the similarity of one field."""
    ranked = sorted(
        (
            (_similar(_norm(want.get(key)), _norm(got.get(key))), i, j)
            for i, want in enumerate(expected)
            for j, got in enumerate(actual)
        ),
        reverse=True,
    )
    used_expected: set[int] = set()
    used_actual: set[int] = set()
    pairs = []
    for ratio, i, j in ranked:
        if ratio < SAME_ITEM:
            break
        if i not in used_expected and j not in used_actual:
            used_expected.add(i)
            used_actual.add(j)
            pairs.append((i, j))
    return pairs


def _credits(items: Any) -> set[tuple[str, Any]]:
    return {(_norm(c.get("name")), c.get("role")) for c in items or [] if isinstance(c, dict)}


def _f1(hits: int, expected: int, found: int) -> float:
    if not expected and not found:
        return 1.0
    precision = hits / found if found else 0.0
    recall = hits / expected if expected else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Tally:
    """Hits and totals per figure, summed over pages."""

    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    ratios: dict[str, list[float]] = field(default_factory=dict)

    def count(self, name: str, hits: int, expected: int, found: int) -> None:
        h, e, f = self.counts.get(name, (0, 0, 0))
        self.counts[name] = (h + hits, e + expected, f + found)

    def ratio(self, name: str, value: float) -> None:
        self.ratios.setdefault(name, []).append(value)

    def figures(self) -> dict[str, float]:
        """Each figure from 0 to 1; one with nothing expected and nothing found is left out."""
        out = {name: _f1(*c) for name, c in self.counts.items() if c[1] or c[2]}
        out.update({name: sum(v) / len(v) for name, v in self.ratios.items() if v})
        return out

    def score(self) -> float:
        figures = self.figures()
        return sum(figures.values()) / len(figures) if figures else 0.0

    def add_page(self, expected: dict, actual: dict) -> None:
        """Count one page: its expected document against the one the importer made."""
        want_articles = list(expected.get("articles") or [])
        got_articles = list(actual.get("articles") or [])
        pairs = _pair(want_articles, got_articles, "headline")
        self.count("articles", len(pairs), len(want_articles), len(got_articles))
        want, got = _credits(expected.get("credits")), _credits(actual.get("credits"))
        self.count("page credits", len(want & got), len(want), len(got))
        matched = dict(pairs)
        for i, article in enumerate(want_articles):
            other = got_articles[matched[i]] if i in matched else {}
            for name in _FIELDS:
                a, b = _norm(article.get(name)), _norm(other.get(name))
                if a or b:
                    self.count("article fields", int(a == b), 1, 1)
            want, got = _credits(article.get("bylines")), _credits(other.get("bylines"))
            self.count("bylines", len(want & got), len(want), len(got))
            heads = [_norm(c) for c in article.get("crossheads") or []]
            found = [_norm(c) for c in other.get("crossheads") or []]
            self.count("crossheads", len(set(heads) & set(found)), len(heads), len(found))
            paragraphs = [_norm(p) for p in article.get("paragraphs") or []]
            found = [_norm(p) for p in other.get("paragraphs") or []]
            self.count("paragraphs", len(set(paragraphs) & set(found)), len(paragraphs), len(found))
            self.ratio("body text", _similar("".join(paragraphs), "".join(found)))
        for j, other in enumerate(got_articles):
            if j not in matched.values():
                self.count("bylines", 0, 0, len(_credits(other.get("bylines"))))
                self.count("crossheads", 0, 0, len(other.get("crossheads") or []))
                self.count("paragraphs", 0, 0, len(other.get("paragraphs") or []))
        want_photos = list(expected.get("photos") or [])
        got_photos = list(actual.get("photos") or [])
        photo_pairs = _pair(want_photos, got_photos, "caption")
        self.count("photos", len(photo_pairs), len(want_photos), len(got_photos))
        for i, j in photo_pairs:
            want = _credits(want_photos[i].get("bylines"))
            got = _credits(got_photos[j].get("bylines"))
            self.count("bylines", len(want & got), len(want), len(got))
        paired_expected = {i for i, _ in photo_pairs}
        paired_actual = {j for _, j in photo_pairs}
        for i, photo in enumerate(want_photos):
            if i not in paired_expected:
                self.count("bylines", 0, len(_credits(photo.get("bylines"))), 0)
        for j, photo in enumerate(got_photos):
            if j not in paired_actual:
                self.count("bylines", 0, 0, len(_credits(photo.get("bylines"))))


@dataclass(frozen=True)
class Case:
    """One test case: a page's text file and the document expected from it beside it."""

    text: Path
    expected: Path

    @property
    def name(self) -> str:
        return self.text.stem


def find_cases(folder: Path) -> list[Case]:
    """Every NAME.txt in `folder` (and below) with a NAME.expected.json beside it."""
    cases = []
    for text in sorted(folder.rglob("*.txt")):
        expected = text.with_name(f"{text.stem}.expected.json")
        if expected.is_file():
            cases.append(Case(text=text, expected=expected))
    return cases


def read_expected(case: Case) -> dict:
    return json.loads(case.expected.read_text("utf-8"))


def score_documents(pairs: Iterable[tuple[dict, dict]]) -> Tally:
    """A tally of (expected, actual) documents."""
    tally = Tally()
    for expected, actual in pairs:
        tally.add_page(expected, actual)
    return tally
