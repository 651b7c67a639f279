"""One search interface, two engines: SQLite FTS5 (the embedded default) and PostgreSQL.

Both index every article, drafts included, keyed by article id; what a reader may see is
decided at query time by joining back to `Article.objects.visible()`, so publishing through
`queryset.update()` needs no re-indexing. Standalone photos have an index of their own,
keyed by photo id. The tables are made by migrations 0003 and 0012.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models.expressions import RawSQL

from ..pagination import explain_plan, explain_rows
from ..planner import statistics_missing
from .documents import Document, PhotoDocument
from .text import Query, Term

TABLE = "articles_search"
PHOTO_TABLE = "articles_search_photo"
# Up to this many expected matches, a query's matches are collected first and counted exactly.
FEW_MATCHES = 5_000

#: How a match ranks by field: in the headline, in the kicker or subheadline, in the body.
HEADLINE, HEADS, BODY = 0, 1, 2


class SearchBackend:
    """Writes documents to the engine's index and turns queries into subqueries of ids."""

    def upsert(self, documents: Sequence[Document]) -> None:
        raise NotImplementedError

    def delete(self, article_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def upsert_photos(self, documents: Sequence[PhotoDocument]) -> None:
        raise NotImplementedError

    def delete_photos(self, photo_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def matching_ids(
        self, query: Query, *, title_only: bool = False, sample: int = 1, few=False
    ) -> RawSQL:
        """A subquery of the ids of articles matching the query (in their headings only,
        with `title_only`; excluded terms are excluded from the whole article), for `pk__in`.

        `sample` keeps only articles whose id is a multiple of it (an engine may ignore it
        and return every match: see `samples`). `few` says the matches are few enough to
        collect first and look up by id, rather than test article by article.
        """
        raise NotImplementedError

    def matching_photo_ids(self, query: Query) -> RawSQL:
        """A subquery of the ids of standalone photos matching the query, for `pk__in`."""
        raise NotImplementedError

    def any_photo_matches(self, query: Query) -> bool:
        """Whether any indexed photo matches (hidden ones included), asked of the index
        alone: most searches find none, and then the photos' visibility query is skipped."""
        found = self.matching_photo_ids(query)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS ({found.sql})", found.params)
            return bool(cursor.fetchone()[0])

    def estimate(
        self, query: Query, *, title_only: bool = False, trusted: bool = True
    ) -> int | None:
        """About how many articles match, from the engine's statistics, or None if unknown.

        Unless `trusted` (see `statistics_trusted`), the matches are counted instead, up to
        one past FEW_MATCHES: enough to choose the query's shape."""
        return self.estimates(query, fields=(title_only,), trusted=trusted)[0]

    def estimates(
        self, query: Query, *, fields: Sequence[bool] = (False, True), trusted: bool = True
    ) -> list[int | None]:
        """`estimate` for each of `fields` (False: the whole article, True: its headings
        only), asked of the engine at once."""
        return [None for _field in fields]

    def statistics_trusted(self) -> bool:
        """Whether the engine's statistics can choose a query's shape (one query at most)."""
        return True

    def rank(self, query: Query, article_ids: Sequence[int]) -> dict[int, tuple[bool, int, float]]:
        """For each of these matching articles: whether it holds the query's words as one
        phrase, the field they are all in (HEADLINE, HEADS or BODY), and the engine's score
        of how often and how close together they occur (higher is better). One query."""
        raise NotImplementedError

    #: The `sample` moduli the engine can keep cheaply; none means matches are always counted.
    samples: tuple[int, ...] = ()


class SQLiteBackend(SearchBackend):
    """FTS5 tables whose columns hold the tokens, space-separated; rowid is the article id
    (the photo id in the photos' table). FTS5's own unicode61 tokenizer then only splits on
    those spaces.
    """

    def upsert(self, documents: Sequence[Document]) -> None:
        self.delete(doc.article_id for doc in documents)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, headline, heads, body) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                [
                    (
                        doc.article_id,
                        " ".join(doc.headline),
                        " ".join(doc.heads),
                        " ".join(doc.body),
                    )
                    for doc in documents
                ],
            )

    def delete(self, article_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s",  # noqa: S608
                [(pk,) for pk in article_ids],
            )

    def upsert_photos(self, documents: Sequence[PhotoDocument]) -> None:
        self.delete_photos(doc.photo_id for doc in documents)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PHOTO_TABLE} (rowid, caption) VALUES (%s, %s)",  # noqa: S608
                [(doc.photo_id, " ".join(doc.tokens)) for doc in documents],
            )

    def delete_photos(self, photo_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {PHOTO_TABLE} WHERE rowid = %s",  # noqa: S608
                [(pk,) for pk in photo_ids],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            cursor.execute(f"DELETE FROM {PHOTO_TABLE}")  # noqa: S608

    @staticmethod
    def phrase(term: Term) -> str:
        """A term as an FTS5 phrase. Tokens hold only letters and digits, so quoting them is
        all the escaping needed."""
        return '"' + " ".join(term.tokens) + '"' + ("*" if term.is_prefix else "")

    @classmethod
    def expression(cls, query: Query, columns: str = "") -> str:
        """FTS5 query text: every group required, any term of a group, no excluded term.

        `columns` (e.g. "{headline heads}") limits the required part to those columns; the
        excluded terms are excluded from every column.
        """
        groups = ["(" + " OR ".join(map(cls.phrase, group)) + ")" for group in query.groups]
        text = "(" + " AND ".join(groups) + ")"
        if columns:
            text = f"{columns} : {text}"
        if query.excluded:
            text += " NOT (" + " OR ".join(map(cls.phrase, query.excluded)) + ")"
        return text

    # FTS5 walks a word's list of rows in C, fast enough to keep every nth row on the way:
    # no sample index is needed.
    samples = (16, 256)

    def matching_ids(
        self, query: Query, *, title_only: bool = False, sample: int = 1, few=False
    ) -> RawSQL:
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
        if sample > 1:
            sql += f" AND rowid %% {int(sample)} = 0"
        # `few` needs nothing here: SQLite always collects an IN subquery's rows first.
        return RawSQL(sql, [self.match(query, title_only=title_only)])  # noqa: S611

    def matching_photo_ids(self, query: Query) -> RawSQL:
        sql = f"SELECT rowid FROM {PHOTO_TABLE} WHERE {PHOTO_TABLE} MATCH %s"  # noqa: S608
        return RawSQL(sql, [self.expression(query)])  # noqa: S611

    def estimates(
        self, query: Query, *, fields: Sequence[bool] = (False, True), trusted: bool = True
    ) -> list[int | None]:
        """The exact numbers of indexed matches, drafts included: FTS5 counts them in a few
        milliseconds even for a word in most articles."""
        count = f"(SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s)"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(count for _field in fields),
                [self.match(query, title_only=title_only) for title_only in fields],
            )
            return list(cursor.fetchone())

    def match(self, query: Query, *, title_only: bool = False) -> str:
        return self.expression(query, "{headline heads}" if title_only else "")

    def rank(self, query: Query, article_ids: Sequence[int]) -> dict[int, tuple[bool, int, float]]:
        if not article_ids:
            return {}
        positive = query.positive()
        phrase = query.phrase
        # FTS5 takes a range of rowids into its search, but neither an IN list nor a join:
        # with those it scores every match of the words before keeping a hundred. The ids
        # of the first matches of a date order lie close together, so the range is small.
        span = [min(article_ids), max(article_ids)]
        among = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid BETWEEN %s AND %s"  # noqa: S608
        sql = (
            # bm25 is lower for better matches; headline words weigh ten times body words.
            f"SELECT rowid, -bm25({TABLE}, 10.0, 5.0, 1.0), "
            f"rowid IN ({among}), rowid IN ({among}), "
            + (f"rowid IN ({among}) " if phrase else "0 ")
            + f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid BETWEEN %s AND %s"
        )
        params = [
            self.expression(positive, "{headline}"),
            *span,
            self.expression(positive, "{headline heads}"),
            *span,
            *([self.expression(Query.of([phrase])), *span] if phrase else []),
            self.expression(positive),
            *span,
        ]
        wanted = set(article_ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                pk: (bool(in_phrase), HEADLINE if headline else HEADS if heads else BODY, score)
                for pk, score, headline, heads, in_phrase in cursor.fetchall()
                if pk in wanted
            }


class PostgreSQLBackend(SearchBackend):
    """A table of two tsvectors per article, each with a GIN index: headings (the headline's
    tokens weighted A, the kicker's and subheadline's B), and everything (the body after the
    headings, unweighted). Standalone photos have a table of one tsvector each.

    The vectors are written as tsvector literals with positions, built here, so PostgreSQL's
    text parser (which does not split Chinese) never sees the text.
    """

    @staticmethod
    def vector(tokens: Sequence[str], start: int = 1, weight: str = "") -> str:
        # PostgreSQL merges repeated lexemes and caps positions at 16,383 by itself.
        return " ".join(
            f"'{token}':{position}{weight}" for position, token in enumerate(tokens, start)
        )

    def upsert(self, documents: Sequence[Document]) -> None:
        rows = []
        for doc in documents:
            # Each field continues after the last with a gap, so no phrase spans two.
            heads_start = len(doc.headline) + 2
            body_start = heads_start + len(doc.heads) + 2
            title = " ".join(
                filter(
                    None,
                    [
                        self.vector(doc.headline, weight="A"),
                        self.vector(doc.heads, heads_start, "B"),
                    ],
                )
            )
            body = self.vector(doc.body, start=body_start)
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

    def upsert_photos(self, documents: Sequence[PhotoDocument]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PHOTO_TABLE} (photo_id, document) "  # noqa: S608
                "VALUES (%s, %s::tsvector) ON CONFLICT (photo_id) "
                "DO UPDATE SET document = EXCLUDED.document",
                [(doc.photo_id, self.vector(doc.tokens)) for doc in documents],
            )

    def delete_photos(self, photo_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {PHOTO_TABLE} WHERE photo_id = ANY(%s)",  # noqa: S608
                [list(photo_ids)],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}, {PHOTO_TABLE}")

    @staticmethod
    def phrase(term: Term, weight: str = "") -> str:
        """A term as tsquery text: its tokens joined by <-> (followed by)."""
        lexemes = [f"'{token}':{weight}" if weight else f"'{token}'" for token in term.tokens]
        if term.is_prefix:
            lexemes[-1] = f"'{term.tokens[-1]}':*{weight}"
        return "(" + " <-> ".join(lexemes) + ")"

    @classmethod
    def expression(cls, query: Query, weight: str = "", *, excluded: bool = True) -> str:
        """tsquery text: every group required, any term of a group, no excluded term; with
        `weight`, the required terms only in lexemes of that weight (A: the headline)."""
        parts = [
            "(" + " | ".join(cls.phrase(term, weight) for term in group) + ")"
            for group in query.groups
        ]
        if excluded:
            parts += [f"!{cls.phrase(term)}" for term in query.excluded]
        return " & ".join(parts)

    # The `sample` moduli of the partial GIN indexes of migration 0008.
    samples = (16, 256)
    # The GIN indexes (migrations 0003, 0008 and 0012), which a fresh rebuild drops and makes
    # again in one pass over the loaded table.
    GIN_INDEXES = {
        # Searches of headings only: ranks headline matches first.
        "articles_search_title_gin": f"{TABLE} USING gin (title)",
        # Searches of everything: which articles match at all.
        "articles_search_document_gin": f"{TABLE} USING gin (document)",
        **{
            f"articles_search_sample{sample}_gin": (
                f"{TABLE} USING gin (document) WHERE article_id % {sample} = 0"
            )
            for sample in samples
        },
        "articles_search_photo_gin": f"{PHOTO_TABLE} USING gin (document)",
    }

    def matching_ids(
        self, query: Query, *, title_only: bool = False, sample: int = 1, few=False
    ) -> RawSQL:
        params = []
        if title_only and query.excluded:
            # An excluded word is excluded from the whole article, not only its headings.
            sql = (
                f"SELECT article_id FROM {TABLE} WHERE title @@ %s::tsquery "  # noqa: S608
                "AND NOT document @@ %s::tsquery"
            )
            params = [
                self.expression(query, excluded=False),
                self.expression(Query(groups=(query.excluded,))),
            ]
        else:
            column = "title" if title_only else "document"
            sql = f"SELECT article_id FROM {TABLE} WHERE {column} @@ %s::tsquery"  # noqa: S608
            params = [self.expression(query)]
        if sample > 1:
            # Written as the partial indexes' predicates are, so the planner uses them.
            sql += f" AND article_id %% {int(sample)} = 0"
        if few:
            # Collected once (an InitPlan) and looked up by primary key. Left as a plain
            # subquery, the planner may walk the date index testing every article against
            # the vector of a word that is in a few hundred of them.
            sql = f"SELECT unnest(ARRAY({sql}))"
        return RawSQL(sql, params)  # noqa: S611 - the query is a parameter

    def matching_photo_ids(self, query: Query) -> RawSQL:
        sql = f"SELECT photo_id FROM {PHOTO_TABLE} WHERE document @@ %s::tsquery"  # noqa: S608
        return RawSQL(sql, [self.expression(query)])  # noqa: S611

    def estimates(
        self, query: Query, *, fields: Sequence[bool] = (False, True), trusted: bool = True
    ) -> list[int | None]:
        statements = []
        for title_only in fields:
            column = "title" if title_only else "document"
            sql = f"SELECT 1 FROM {TABLE} WHERE {column} @@ %s::tsquery"  # noqa: S608
            statements.append((sql, [self.expression(query, excluded=not title_only)]))
        params = [param for _sql, statement_params in statements for param in statement_params]
        if trusted:
            # One plan for all: its scans, in order, under one Append. Planning is most of
            # an estimate's cost, and each query a round trip.
            if len(statements) == 1:
                return [explain_rows(connection, *statements[0])]
            union = " UNION ALL ".join(f"({sql})" for sql, _params in statements)
            plan = explain_plan(connection, union, params)
            children = plan.get("Plans", [])
            if plan["Node Type"] == "Append" and len(children) == len(statements):
                return [int(child["Plan Rows"]) for child in children]
            return [explain_rows(connection, *statement) for statement in statements]
        # Never analysed, or analysed at another size (a bulk load, a restore): the planner
        # would guess every word to be in 0.5% of the articles, and a common word would be
        # collected whole as if few. The GIN index counts to just past FEW_MATCHES at any size.
        bounded = ", ".join(
            f"(SELECT count(*) FROM ({sql} LIMIT {FEW_MATCHES + 1}) AS found)"  # noqa: S608
            for sql, _params in statements
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {bounded}", params)
            return list(cursor.fetchone())

    def statistics_trusted(self) -> bool:
        return not statistics_missing([TABLE])

    def rank(self, query: Query, article_ids: Sequence[int]) -> dict[int, tuple[bool, int, float]]:
        if not article_ids:
            return {}
        phrase = query.phrase
        sql = (
            # Weights of D (body), C, B (kicker, subheadline), A (headline); 1 divides the
            # score by the logarithm of the article's length.
            "SELECT article_id, ts_rank_cd('{0.1, 0.2, 0.5, 1.0}', document, %s::tsquery, 1), "
            "title @@ %s::tsquery, title @@ %s::tsquery, "
            + ("document @@ %s::tsquery " if phrase else "false ")
            + f"FROM {TABLE} WHERE article_id = ANY(%s)"
        )
        positive = self.expression(query, excluded=False)
        params = [
            positive,
            self.expression(query, "A", excluded=False),
            positive,
            *([self.expression(Query.of([phrase]))] if phrase else []),
            list(article_ids),
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                pk: (in_phrase, HEADLINE if headline else HEADS if heads else BODY, score)
                for pk, score, headline, heads, in_phrase in cursor.fetchall()
            }


def get_backend() -> SearchBackend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}.")
