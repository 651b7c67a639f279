"""Rebuild the search index from the articles, in batches, with a progress bar."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from articles.models import Article
from articles.search import index_articles
from articles.search.backends import get_backend

# Articles per batch: one batch's text and tokens are all that is held in memory.
BATCH = 1000


class Command(BaseCommand):
    help = "Index every article for search again; the index stays usable while it runs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Empty the index first and, on PostgreSQL, build its GIN indexes after loading: "
            "much faster for a large archive, but search finds nothing until it is done.",
        )

    def handle(self, *args, fresh: bool, **options):
        started = time.monotonic()
        total = Article.objects.count()
        backend = get_backend()
        postgresql = connection.vendor == "postgresql"
        if fresh:
            backend.clear()
            if postgresql:
                self.drop_gin_indexes()
        done, last = 0, 0
        with tqdm(total=total, unit="article", disable=options["verbosity"] == 0) as progress:
            while True:
                # Keyset pagination: each batch is a fast range scan of the primary key.
                ids = list(
                    Article.objects.filter(pk__gt=last)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:BATCH]
                )
                if not ids:
                    break
                with transaction.atomic():
                    done += index_articles(ids)
                last = ids[-1]
                # With DEBUG on, Django keeps the last 9,000 statements, each a whole batch.
                reset_queries()
                progress.update(len(ids))
        if not fresh:
            self.remove_orphans()
        if fresh and postgresql:
            self.create_gin_indexes()
        self.stdout.write(
            self.style.SUCCESS(
                _("Indexed %(count)d articles in %(seconds).0f s.")
                % {"count": done, "seconds": time.monotonic() - started}
            )
        )

    def remove_orphans(self) -> None:
        """Entries of articles deleted without signals (raw SQL, another process)."""
        with connection.cursor() as cursor:
            key = "article_id" if connection.vendor == "postgresql" else "rowid"
            cursor.execute(
                f"DELETE FROM articles_search WHERE {key} NOT IN "  # noqa: S608
                "(SELECT id FROM articles_article)"
            )

    def drop_gin_indexes(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS articles_search_title_gin")
            cursor.execute("DROP INDEX IF EXISTS articles_search_document_gin")

    def create_gin_indexes(self) -> None:
        """The same indexes as migration 0003, built in one pass over the loaded table."""
        with connection.cursor() as cursor:
            # A GIN build is far faster when its sort fits in memory; this is per session.
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(
                "CREATE INDEX articles_search_title_gin ON articles_search USING gin (title)"
            )
            cursor.execute(
                "CREATE INDEX articles_search_document_gin ON articles_search USING gin (document)"
            )
            cursor.execute("ANALYZE articles_search")
