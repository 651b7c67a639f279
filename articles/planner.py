"""The database planner's statistics: gathered after bulk loads, distrusted when missing.

PostgreSQL chooses its plans, and this project chooses some query shapes (pagination.py,
search), from row counts and value distributions that ANALYZE samples. Autovacuum gathers
them eventually, but not during or right after a bulk load or a restore, and may be off: a
table never analysed (`reltuples` -1) is planned as if nearly empty, and a million-row list
or search then took seconds instead of milliseconds. Whatever fills tables in bulk analyses
them itself, and whatever reads an estimate asks first whether there is one to read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, models

# Statistics "far from reality": the table has this many times the rows (or a fraction of
# them) the statistics say, beyond a small table's noise.
DRIFT = 2
NOISE = 1_000


def analyze(*model_classes: type[models.Model], using: str = "default") -> None:
    """Gather the planner's statistics for these models' tables (SQLite and PostgreSQL).

    On PostgreSQL outside a transaction, VACUUM them too: it marks the loaded pages all
    visible, without which an index-only scan (search's counts per paper and year) reads
    every row it finds from the table as well. Autovacuum would, later, if it is on.
    """
    connection = connections[using]
    command = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def statistics_missing(tables: Iterable[str], *, using: str = "default") -> bool:
    """Whether PostgreSQL lacks trustworthy statistics for any of these tables: never
    analysed, or analysed when they held far fewer (or far more) rows than they now do.

    Always False elsewhere: only PostgreSQL's estimates are read.
    """
    connection = connections[using]
    tables = sorted(set(tables))
    if connection.vendor != "postgresql" or not tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_class c
            -- The table's live rows now, as the statistics collector counts them, read from
            -- its function alone: the pg_stat_user_tables view, which computes twenty more
            -- columns over two more catalogs, took three times as long.
            CROSS JOIN LATERAL pg_stat_get_live_tuples(c.oid) AS live
            WHERE c.oid = ANY(%s::regclass[])
              AND (c.reltuples < 0
                   OR live > %s * c.reltuples + %s
                   OR c.reltuples > %s * live + %s)
            """,
            [tables, DRIFT, NOISE, DRIFT, NOISE],
        )
        return cursor.fetchone()[0] > 0
