"""One search interface, two engines: SQLite FTS5 (the embedded default) and PostgreSQL.

Both index every article, drafts included, keyed by article id; what a reader may see is
decided at query time by joining back to `Article.objects.visible()`, so publishing through
`queryset.update()` needs no re-indexing. The table is made by migration 0003.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models.expressions import RawSQL

from ..pagination import explain_rows
from .documents import Document
from .text import Term

TABLE = "articles_search"


class SearchBackend:
    """Writes documents to the engine's index and turns terms into a subquery of article ids."""

    def upsert(self, documents: Sequence[Document]) -> None:
        raise NotImplementedError

    def delete(self, article_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def matching_ids(
        self, terms: Sequence[Term], *, title_only: bool = False, sample: int = 1, few=False
    ) -> RawSQL:
        """A subquery of the ids of articles containing every term (in their headings only,
        with `title_only`), for `pk__in`.

        `sample` keeps only articles whose id is a multiple of it (an engine may ignore it
        and return every match: see `samples`). `few` says the matches are few enough to
        collect first and look up by id, rather than test article by article.
        """
        raise NotImplementedError

    def estimate(self, terms: Sequence[Term], *, title_only: bool = False) -> int | None:
        """About how many articles match, from the engine's statistics, or None if unknown."""
        return None

    #: The `sample` moduli the engine can keep cheaply; none means matches are always counted.
    samples: tuple[int, ...] = ()


class SQLiteBackend(SearchBackend):
    """An FTS5 table whose columns hold the tokens, space-separated; rowid is the article id.

    FTS5's own unicode61 tokenizer then only splits on those spaces.
    """

    def upsert(self, documents: Sequence[Document]) -> None:
        self.delete(doc.article_id for doc in documents)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [(doc.article_id, " ".join(doc.title), " ".join(doc.body)) for doc in documents],
            )

    def delete(self, article_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s",  # noqa: S608
                [(pk,) for pk in article_ids],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    @staticmethod
    def expression(terms: Sequence[Term]) -> str:
        """FTS5 query text: each term a quoted phrase of its tokens, all of them required.

        Tokens hold only letters and digits, so quoting them is all the escaping needed.
        """
        phrases = [
            '"' + " ".join(term.tokens) + '"' + ("*" if term.is_prefix else "") for term in terms
        ]
        return " AND ".join(phrases)

    # FTS5 walks a word's list of rows in C, fast enough to keep every nth row on the way:
    # no sample index is needed.
    samples = (16, 256)

    def matching_ids(
        self, terms: Sequence[Term], *, title_only: bool = False, sample: int = 1, few=False
    ) -> RawSQL:
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
        if sample > 1:
            sql += f" AND rowid %% {int(sample)} = 0"
        # `few` needs nothing here: SQLite always collects an IN subquery's rows first.
        return RawSQL(sql, [self.match(terms, title_only=title_only)])  # noqa: S611

    def estimate(self, terms: Sequence[Term], *, title_only: bool = False) -> int | None:
        """The exact number of indexed matches, drafts included: FTS5 counts them in a few
        milliseconds even for a word in most articles."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [self.match(terms, title_only=title_only)],
            )
            return cursor.fetchone()[0]

    def match(self, terms: Sequence[Term], *, title_only: bool = False) -> str:
        expression = self.expression(terms)
        return f"title : ({expression})" if title_only else expression


class PostgreSQLBackend(SearchBackend):
    """A table of two tsvectors per article, each with a GIN index: headings, and everything.

    The vectors are written as tsvector literals with positions, built here, so PostgreSQL's
    text parser (which does not split Chinese) never sees the text.
    """

    @staticmethod
    def vector(tokens: Sequence[str], start: int = 1) -> str:
        # PostgreSQL merges repeated lexemes and caps positions at 16,383 by itself.
        return " ".join(f"'{token}':{position}" for position, token in enumerate(tokens, start))

    def upsert(self, documents: Sequence[Document]) -> None:
        rows = []
        for doc in documents:
            title = self.vector(doc.title)
            # The body continues after the headings with a gap, so no phrase spans the two.
            body = self.vector(doc.body, start=len(doc.title) + 2)
            rows.append((doc.article_id, title, f"{title} {body}"))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, title, document) "  # noqa: S608
                "VALUES (%s, %s::tsvector, %s::tsvector) ON CONFLICT (article_id) "
                "DO UPDATE SET title = EXCLUDED.title, document = EXCLUDED.document",
                rows,
            )

    def delete(self, article_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)",  # noqa: S608
                [list(article_ids)],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    @staticmethod
    def expression(terms: Sequence[Term]) -> str:
        """tsquery text: each term its tokens joined by <-> (followed by), all required."""
        parts = []
        for term in terms:
            if term.is_prefix:
                parts.append(f"'{term.tokens[0]}':*")
            else:
                parts.append("(" + " <-> ".join(f"'{token}'" for token in term.tokens) + ")")
        return " & ".join(parts)

    # Partial GIN indexes over every 16th and every 256th article (migration 0008): the
    # matches of a word in a fixed sample of the archive, for estimating the counts of a
    # common word without visiting its hundreds of thousands of articles.
    samples = (16, 256)
    # The table's indexes (migrations 0003 and 0008), which a fresh rebuild drops and makes
    # again in one pass over the loaded table.
    GIN_INDEXES = {
        # Searches of headings only: ranks headline matches first.
        "articles_search_title_gin": "USING gin (title)",
        # Searches of everything: which articles match at all.
        "articles_search_document_gin": "USING gin (document)",
        **{
            f"articles_search_sample{sample}_gin": (
                f"USING gin (document) WHERE article_id % {sample} = 0"
            )
            for sample in samples
        },
    }

    def matching_ids(
        self, terms: Sequence[Term], *, title_only: bool = False, sample: int = 1, few=False
    ) -> RawSQL:
        column = "title" if title_only else "document"
        sql = f"SELECT article_id FROM {TABLE} WHERE {column} @@ %s::tsquery"  # noqa: S608
        if sample > 1:
            # Written as the partial indexes' predicates are, so the planner uses them.
            sql += f" AND article_id %% {int(sample)} = 0"
        if few:
            # Collected once (an InitPlan) and looked up by primary key. Left as a plain
            # subquery, the planner may walk the date index testing every article against
            # the vector of a word that is in a few hundred of them.
            sql = f"SELECT unnest(ARRAY({sql}))"
        return RawSQL(sql, [self.expression(terms)])  # noqa: S611 - the query is a parameter

    def estimate(self, terms: Sequence[Term], *, title_only: bool = False) -> int | None:
        column = "title" if title_only else "document"
        sql = f"SELECT 1 FROM {TABLE} WHERE {column} @@ %s::tsquery"  # noqa: S608
        return explain_rows(connection, sql, [self.expression(terms)])


def get_backend() -> SearchBackend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}.")
