"""Full-text search of articles, in Chinese, on SQLite FTS5 or PostgreSQL.

`index_articles` keeps the index in step with the database (signals call it on every
save); `search` narrows any article queryset to the matches of a query, headline
matches first, then newest first. Callers pass `Article.objects.visible()` for readers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .backends import get_backend
from .documents import build_documents
from .text import QueryError, Term, parse_query

__all__ = [
    "QueryError",
    "Term",
    "index_articles",
    "matches",
    "parse_query",
    "remove_articles",
    "search",
]


def index_articles(article_ids: Iterable[int]) -> int:
    """(Re-)index these articles; ids of deleted articles leave the index. Returns how many."""
    ids = set(article_ids)
    documents = list(build_documents(ids))
    backend = get_backend()
    backend.upsert(documents)
    gone = ids - {doc.article_id for doc in documents}
    if gone:
        backend.delete(gone)
    return len(documents)


def remove_articles(article_ids: Iterable[int]) -> None:
    get_backend().delete(article_ids)


# Up to this many expected matches, a query's matches are collected first and counted exactly.
FEW_MATCHES = 5_000


def matches(queryset: QuerySet, terms: Sequence[Term], *, title_only: bool = False) -> QuerySet:
    """The articles of `queryset` that contain every term, in any field (in their headings
    only, with `title_only`), unordered."""
    backend = get_backend()
    few = _few(backend, terms, title_only=title_only)
    return queryset.filter(pk__in=backend.matching_ids(terms, title_only=title_only, few=few))


def search(queryset: QuerySet, terms: Sequence[Term]) -> QuerySet:
    """The articles of `queryset` that contain every term, with `headline_match` annotated,
    ordered headline matches first, then newest first (one sort over every match: fine for a
    few thousand; SearchResults pages through a million without it)."""
    return (
        matches(queryset, terms)
        .annotate(headline_match=_headline_match(get_backend(), terms))
        .order_by("-headline_match", "-published_at", "-pk")
    )


def _few(backend, terms: Sequence[Term], *, title_only: bool = False) -> bool:
    expected = backend.estimate(terms, title_only=title_only)
    return expected is not None and expected <= FEW_MATCHES


def _headline_match(backend, terms: Sequence[Term], *, few: bool = False) -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(pk__in=backend.matching_ids(terms, title_only=True, few=few)),
        output_field=BooleanField(),
    )


class SearchResults:
    """Ranked matches, counted per publication and year, fetched a page at a time.

    Ranking is two lists one after the other: headline matches newest first, then the other
    matches newest first. A page is read from one list (or from the end of one and the start
    of the other), walking the date index, rather than sorting every match of a common word.

    Few matches (the engine expects at most FEW_MATCHES) are ranked all at once in narrow
    columns, counted exactly here, and only a page's rows are read whole. Counts are exact,
    too, from an engine that cannot say how common the words are. A common word is counted
    in a fixed sample of the archive, every 16th article by id (every 256th for the
    commonest), and the counts are scaled up and marked `estimated`: counting a word exactly
    that is in most of a million articles means visiting every one of them, seconds of work
    for a figure nobody reads exactly.
    """

    ORDER = ("-published_at", "-pk")
    # Above this many expected matches the coarser sample gives enough hits to count on.
    COARSE_SAMPLE_ABOVE = 100_000

    def __init__(self, queryset: QuerySet, terms: Sequence[Term]) -> None:
        self.queryset = queryset
        self.terms = terms
        self.backend = backend = get_backend()
        expected = backend.estimate(terms)
        self.few = expected is not None and expected <= FEW_MATCHES
        self.sample = 1
        if expected is not None and not self.few and backend.samples:
            fine, coarse = min(backend.samples), max(backend.samples)
            self.sample = coarse if expected > self.COARSE_SAMPLE_ABOVE else fine
        self.estimated = self.sample > 1
        self.headline_match = _headline_match(
            backend, terms, few=_few(backend, terms, title_only=True)
        )
        self.total = 0
        self.headline_total: int | None = None
        self.ranked_ids: list[int] | None = None

    def found(self, *, sample: int = 1) -> QuerySet:
        ids = self.backend.matching_ids(self.terms, sample=sample, few=self.few or sample > 1)
        return self.queryset.filter(pk__in=ids)

    def facets(self) -> list[dict]:
        """Counts per publication and year (code, name, year, count); sets the totals."""
        if self.few:
            return self._rank_few()
        rows = self._facets()
        if self.estimated and not rows:
            # The estimate was far off (words apart in most articles, rarely together): count.
            self.sample, self.estimated = 1, False
            rows = self._facets()
        self.total = sum(row["count"] for row in rows)
        if not self.estimated:
            self.headline_total = sum(row["headlines"] for row in rows)
        return rows

    def _facets(self) -> list[dict]:
        counts = {"count": Count("pk")}
        if not self.estimated:
            counts["headlines"] = Count("pk", filter=self.headline_match)
        rows = list(
            self.found(sample=self.sample)
            .order_by()
            .values("publication__code", "publication__name", year=ExtractYear("published_at"))
            .annotate(**counts)
        )
        for row in rows:
            row["count"] *= self.sample
        return rows

    def _rank_few(self) -> list[dict]:
        """Few matches: rank them all in one query of narrow columns, count them here, and
        read only the page's rows whole (`__getitem__`)."""
        ranked = list(
            self.found()
            .annotate(headline_match=self.headline_match)
            .order_by("-headline_match", *self.ORDER)
            .values_list(
                "pk", "publication__code", "publication__name", "published_at", "headline_match"
            )
        )
        self.ranked_ids = [row[0] for row in ranked]
        self.total = len(ranked)
        self.headline_total = sum(row[4] for row in ranked)
        counts = Counter(
            (code, name, timezone.localtime(published).year)
            for _pk, code, name, published, _headline in ranked
        )
        return [
            {"publication__code": code, "publication__name": name, "year": year, "count": count}
            for (code, name, year), count in counts.items()
        ]

    def count(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list:
        start, stop = key.start or 0, key.stop
        if self.ranked_ids is not None:
            ids = self.ranked_ids[start:stop]
            rows = self.queryset.in_bulk(ids)
            return [rows[pk] for pk in ids if pk in rows]
        found = self.found()
        # Headings are part of the whole document, so a headline match needs no second test
        # against the document's vector (the costly one to read).
        headlines = self.queryset.filter(self.headline_match).order_by(*self.ORDER)
        split = self.headline_total
        if split is None:
            # Estimated counts: how many headline matches come before `stop`, at most.
            split = headlines[:stop].count()
        page = list(headlines[start : min(split, stop)]) if start < split else []
        if stop > split:
            others = found.exclude(self.headline_match).order_by(*self.ORDER)
            page += others[max(start - split, 0) : stop - split]
        return page
