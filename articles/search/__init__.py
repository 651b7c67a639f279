"""Full-text search of articles, in Chinese, on SQLite FTS5 or PostgreSQL.

`index_articles` keeps the index in step with the database (signals call it on every
save); `search` narrows any article queryset to the matches of a query, headline
matches first, then newest first. Callers pass `Article.objects.visible()` for readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import ExtractYear

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


def matches(queryset: QuerySet, terms: Sequence[Term]) -> QuerySet:
    """The articles of `queryset` that contain every term, in any field, unordered."""
    return queryset.filter(pk__in=get_backend().matching_ids(terms))


def search(queryset: QuerySet, terms: Sequence[Term]) -> QuerySet:
    """The articles of `queryset` that contain every term, with `headline_match` annotated,
    ordered headline matches first, then newest first (one sort over every match: fine for a
    few thousand; SearchResults pages through a million without it)."""
    return (
        matches(queryset, terms)
        .annotate(headline_match=_headline_match(terms))
        .order_by("-headline_match", "-published_at", "-pk")
    )


def _headline_match(terms: Sequence[Term]) -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(pk__in=get_backend().matching_ids(terms, title_only=True)),
        output_field=BooleanField(),
    )


class SearchResults:
    """Ranked matches, counted per publication and year in one query, fetched a page at a
    time in one more query, whatever the page.

    Ranking is two lists one after the other: headline matches newest first, then the other
    matches newest first. Knowing how many headline matches there are (from the counts), a
    page that falls inside one list is read from that list alone, walking the date index,
    rather than sorting every match of a common word.
    """

    ORDER = ("-published_at", "-pk")

    def __init__(self, queryset: QuerySet, terms: Sequence[Term]) -> None:
        self.queryset = queryset
        self.terms = terms
        self.headline_match = _headline_match(terms)
        self.total = 0
        self.headline_total = 0

    def facets(self) -> list[dict]:
        """Counts per publication and year (code, name, year, count); sets the totals."""
        rows = list(
            matches(self.queryset, self.terms)
            .order_by()
            .values("publication__code", "publication__name", year=ExtractYear("published_at"))
            .annotate(count=Count("pk"), headlines=Count("pk", filter=self.headline_match))
        )
        self.total = sum(row["count"] for row in rows)
        self.headline_total = sum(row["headlines"] for row in rows)
        return rows

    def count(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> QuerySet:
        start, stop = key.start or 0, key.stop
        split = self.headline_total
        found = matches(self.queryset, self.terms)
        if stop <= split:
            return found.filter(self.headline_match).order_by(*self.ORDER)[start:stop]
        if start >= split:
            return found.exclude(self.headline_match).order_by(*self.ORDER)[
                start - split : stop - split
            ]
        # The one page where headline matches end and the others begin.
        return search(self.queryset, self.terms)[start:stop]
