"""Full-text search of articles, in Chinese, on SQLite FTS5 or PostgreSQL.

`index_articles` and `index_photos` keep the index in step with the database (signals call
them on every save); `SearchResults` ranks the matches of a query in any article queryset
and `search` narrows one to them, headline matches first, then newest first; `find_photos`
finds standalone photos; `vocabulary.suggest` corrects a misspelt query. Callers pass
`Article.objects.visible()` (`Photo.objects.visible()`) for readers.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from . import vocabulary
from .backends import BODY, FEW_MATCHES, get_backend
from .documents import build_documents, build_photo_documents
from .text import Query, QueryError, Term, parse_query

__all__ = [
    "Query",
    "QueryError",
    "Term",
    "find_photos",
    "index_articles",
    "index_photos",
    "matches",
    "parse_query",
    "remove_articles",
    "search",
]


def index_articles(article_ids: Iterable[int]) -> int:
    """(Re-)index these articles and count their words into the vocabulary; ids of deleted
    articles leave the index. Returns how many were indexed."""
    ids = set(article_ids)
    documents = list(build_documents(ids))
    backend = get_backend()
    backend.upsert(documents)
    vocabulary.add_words(vocabulary.count_words(doc.words for doc in documents))
    gone = ids - {doc.article_id for doc in documents}
    if gone:
        backend.delete(gone)
    return len(documents)


def remove_articles(article_ids: Iterable[int]) -> None:
    get_backend().delete(article_ids)


def index_photos(photo_ids: Iterable[int]) -> int:
    """(Re-)index these photos where they stand alone on a page; the others (deleted, or
    now in an article, whose index holds their captions) leave the photos' index."""
    ids = set(photo_ids)
    documents = list(build_photo_documents(ids))
    backend = get_backend()
    backend.upsert_photos(documents)
    gone = ids - {doc.photo_id for doc in documents}
    if gone:
        backend.delete_photos(gone)
    return len(documents)


def remove_photos(photo_ids: Iterable[int]) -> None:
    get_backend().delete_photos(photo_ids)


def find_photos(queryset: QuerySet, query: Query | Sequence[Term]) -> QuerySet:
    """The standalone photos of `queryset` (pass `Photo.objects.visible()`) that match."""
    return queryset.filter(
        article__isnull=True, pk__in=get_backend().matching_photo_ids(Query.of(query))
    )


def matches(
    queryset: QuerySet, terms: Query | Sequence[Term], *, title_only: bool = False
) -> QuerySet:
    """The articles of `queryset` that match (every term, if given terms), in any field (in
    their headings only, with `title_only`), unordered."""
    terms = Query.of(terms)
    backend = get_backend()
    few = _few(backend.estimate(terms, title_only=title_only, trusted=backend.statistics_trusted()))
    return queryset.filter(pk__in=backend.matching_ids(terms, title_only=title_only, few=few))


def search(queryset: QuerySet, terms: Query | Sequence[Term]) -> QuerySet:
    """The articles of `queryset` that contain every term, with `headline_match` annotated,
    ordered headline matches first, then newest first (one sort over every match: fine for a
    few thousand; SearchResults pages through a million without it and ranks by score)."""
    terms = Query.of(terms)
    return (
        matches(queryset, terms)
        .annotate(headline_match=_headline_match(get_backend(), terms))
        .order_by("-headline_match", "-published_at", "-pk")
    )


def _few(expected: int | None) -> bool:
    """Whether matches expected in this number are few enough to collect first."""
    return expected is not None and expected <= FEW_MATCHES


def _headline_match(backend, terms: Query, *, few: bool = False) -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(pk__in=backend.matching_ids(terms, title_only=True, few=few)),
        output_field=BooleanField(),
    )


class SearchResults:
    """Ranked matches, counted per publication and year, fetched a page at a time.

    Matches are first put in date order in two tiers, headline matches newest first, then the
    other matches newest first; a page is read from one list (or from the end of one and the
    start of the other), walking the date index, rather than sorting every match of a common
    word. The first RANK_WINDOW of that order (the first pages, which are what readers read)
    are then ranked again: those holding the query's words as one phrase first; then by the
    field the words are in, headline, kicker or subheadline, body; then by the engine's score
    of how often and how close together they occur (FTS5's bm25, PostgreSQL's ts_rank_cd);
    newer first between equals. Scoring reads each candidate's whole vector, so it is done on
    a bounded number of them whatever the number of matches.

    Few matches (the engine expects at most FEW_MATCHES) are put in order all at once in
    narrow columns, counted exactly here, and only a page's rows are read whole. Counts are
    exact, too, from an engine that cannot say how common the words are. A common word is
    counted in a fixed sample of the archive, every 16th article by id (every 256th for the
    commonest), and the counts are scaled up and marked `estimated`: counting a word exactly
    that is in most of a million articles means visiting every one of them, seconds of work
    for a figure nobody reads exactly.
    """

    ORDER = ("-published_at", "-pk")
    # Above this many expected matches the coarser sample gives enough hits to count on.
    COARSE_SAMPLE_ABOVE = 100_000
    # How many of the first matches are ranked by score: five pages.
    RANK_WINDOW = 100

    def __init__(self, queryset: QuerySet, terms: Query | Sequence[Term]) -> None:
        self.queryset = queryset
        self.terms = terms = Query.of(terms)
        self.backend = backend = get_backend()
        # How many match anywhere and in the headings, asked at once.
        expected, in_headings = backend.estimates(terms, trusted=backend.statistics_trusted())
        self.few = _few(expected)
        self.sample = 1
        if expected is not None and not self.few and backend.samples:
            fine, coarse = min(backend.samples), max(backend.samples)
            self.sample = coarse if expected > self.COARSE_SAMPLE_ABOVE else fine
        self.estimated = self.sample > 1
        self.headline_match = _headline_match(backend, terms, few=_few(in_headings))
        self.total = 0
        self.headline_total: int | None = None
        self.ranked_ids: list[int] | None = None
        self.window: list[int] | None = None

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
        """Few matches: put them all in order in one query of narrow columns, rank the first
        by score, count them here, and read only the page's rows whole (`__getitem__`)."""
        ranked = list(
            self.found()
            .annotate(headline_match=self.headline_match)
            .order_by("-headline_match", *self.ORDER)
            .values_list(
                "pk", "publication__code", "publication__name", "published_at", "headline_match"
            )
        )
        window = [(row[0], row[3]) for row in ranked[: self.RANK_WINDOW]]
        self.ranked_ids = self._rerank(window) + [row[0] for row in ranked[self.RANK_WINDOW :]]
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

    def _rerank(self, rows: list[tuple[int, datetime.datetime | None]]) -> list[int]:
        """These matches' ids (with their publish times) in the order of their ranks."""
        ranks = self.backend.rank(self.terms, [pk for pk, _published in rows])

        def key(row: tuple[int, datetime.datetime | None]) -> tuple:
            pk, published = row
            phrase, field, score = ranks.get(pk, (False, BODY, 0.0))
            newer = published.timestamp() if published else 0.0
            # Scores are rounded so that equal ones, to float noise, are ordered by date.
            return (not phrase, field, -round(score, 9), -newer, -pk)

        return [pk for pk, _published in sorted(rows, key=key)]

    def _window(self) -> list[int]:
        """Many matches: the first RANK_WINDOW of the two date-ordered lists, ranked."""
        if self.window is None:
            columns = ("pk", "published_at")
            headlines = self.queryset.filter(self.headline_match).order_by(*self.ORDER)
            rows = list(headlines.values_list(*columns)[: self.RANK_WINDOW])
            if len(rows) < self.RANK_WINDOW:
                # That is every headline match: where the second list starts is now known.
                self.headline_total = len(rows)
                others = self.found().exclude(self.headline_match).order_by(*self.ORDER)
                rows += others.values_list(*columns)[: self.RANK_WINDOW - len(rows)]
            self.window = self._rerank(rows)
        return self.window

    def count(self) -> int:
        return self.total

    def _rows(self, ids: list[int]) -> list:
        rows = self.queryset.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    def __getitem__(self, key: slice) -> list:
        start, stop = key.start or 0, key.stop
        if self.ranked_ids is not None:
            return self._rows(self.ranked_ids[start:stop])
        window = self._window()
        page = self._rows(window[start:stop]) if start < len(window) else []
        if stop > len(window) == self.RANK_WINDOW:
            page += self._walk(max(start, self.RANK_WINDOW), stop)
        return page

    def _walk(self, start: int, stop: int) -> list:
        """Matches past the ranked window, in the two lists' order, by walking them."""
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
