"""A paginator for large tables: the planner's estimate instead of COUNT(*).

On PostgreSQL, counting a million rows takes from 50 ms (freshly vacuumed) to most of a
second (cold, or after bulk updates), and counting the third of the archive one filter leaves
(joined to the issues for visibility) took 600 ms, on every list view. The planner already
knows about how many rows a query returns; above ESTIMATE_ABOVE rows a page count that is a
little off is worth nothing to an editor or a reader, so the estimate is shown, marked as
one (`estimated`); at a million articles it was within 4% for each of the reader's filters
but a role (15%). Small results, and every other database, get the exact count.

The estimate is only as good as the planner's statistics. Straight after a bulk load or a
restore, before ANALYZE, there are none (planner.py), and an "exact count" of what the
planner thinks is a small result may walk a million rows. So no count ever goes past
COUNT_AT_MOST rows: a longer list without a trustworthy estimate says "more than" that many
(`at_least`), and pages through them as an estimated one does. Safe at any size.
"""

from __future__ import annotations

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .planner import statistics_missing

ESTIMATE_ABOVE = 1_000
# Rows counted at most when there is no estimate to trust (a bounded COUNT over a LIMIT).
COUNT_AT_MOST = 10_000


def planner_estimate(queryset) -> int | None:
    """The number of rows PostgreSQL's planner expects the queryset to return, or None:
    not PostgreSQL, or no trustworthy statistics for a table the query reads."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    query = queryset.order_by().query
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # .none(), or an empty pk__in: nothing to ask the planner
        return 0
    estimate = explain_rows(connection, sql, params)
    # Asked after planning, which names every table the query reads; always asked, so a
    # list costs the same queries with statistics or without.
    tables = {join.table_name for join in query.alias_map.values()}
    return None if statistics_missing(tables, using=queryset.db) else estimate


def explain_plan(connection, sql: str, params) -> dict:
    """The top node of PostgreSQL's plan for `sql`, with its children under "Plans"."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]


def explain_rows(connection, sql: str, params) -> int:
    """The rows PostgreSQL's planner expects `sql` to return."""
    return int(explain_plan(connection, sql, params)["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Counts exactly only when the planner expects a small result, and finds a page's rows
    by id first.

    OFFSET over whole rows reads every skipped row (an article's whole text) to throw it
    away: page 500 read 10,000 articles. The ids of the page come from the ordering index
    alone; then only those rows are read whole. One more query, whatever the page.
    """

    estimated = False
    # More rows than the count says (COUNT_AT_MOST), which is then shown as "more than".
    at_least = False

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "query"):
            return super().count
        estimate = planner_estimate(self.object_list)
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            self.estimated = True
            return estimate
        counted = self.object_list.order_by()[: COUNT_AT_MOST + 1].count()
        if counted > COUNT_AT_MOST:
            self.estimated = self.at_least = True
            return COUNT_AT_MOST
        return counted

    def page(self, number):
        self.count  # noqa: B018 - counting (or estimating) says whether this is an estimate
        if not self.estimated:
            return super().page(number)
        # An estimate may fall short of the real count: the last page is never cut at it.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def _get_page(self, object_list, number, paginator):
        ids = None
        if isinstance(object_list, QuerySet):
            ids = list(object_list.values_list("pk", flat=True))
            # Same ordering and related rows as the list; the ids bound it instead of OFFSET.
            object_list = self.object_list.filter(pk__in=ids)
        page = super()._get_page(object_list, number, paginator)
        # The page's ids in order, for a view that reads only some of its rows.
        page.ids = ids
        return page
