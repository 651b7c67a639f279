"""Full-text search of articles, in Chinese, on SQLite FTS5 or PostgreSQL.

`index_articles` keeps the index in step with the database (signals call it on every
save); `search` narrows any article queryset to the matches of a query, headline
matches first, then newest first. Callers pass `Article.objects.visible()` for readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

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
    ordered headline matches first, then newest first."""
    backend = get_backend()
    return (
        matches(queryset, terms)
        .annotate(
            headline_match=ExpressionWrapper(
                Q(pk__in=backend.matching_ids(terms, title_only=True)),
                output_field=BooleanField(),
            )
        )
        .order_by("-headline_match", "-published_at", "-pk")
    )
