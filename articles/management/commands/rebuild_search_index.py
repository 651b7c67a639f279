"""Rebuild the search index from the articles, in batches, with a progress bar."""

from __future__ import annotations

import multiprocessing
import time

from django.core.management.base import BaseCommand
from django.db import connection, connections, reset_queries, transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from articles import caching
from articles.management.arguments import number_between
from articles.models import Article, Photo
from articles.planner import analyze, statistics_missing
from articles.search import index_articles, index_photos, vocabulary
from articles.search.backends import PostgreSQLBackend, get_backend

# Articles per batch: one batch's text and tokens are all that is held in memory.
BATCH = 1000


def id_batches(queryset=None):
    """Article ids (or those of the queryset) in batches of BATCH, by keyset pagination:
    each a fast primary-key scan."""
    queryset = Article.objects.all() if queryset is None else queryset
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


def index_batch(ids: list[int]) -> int:
    with transaction.atomic():
        count = index_articles(ids)
    # With DEBUG on, Django keeps the last 9,000 statements, each a whole batch.
    reset_queries()
    return count


def index_batch_sized(ids: list[int]) -> tuple[list[int], int]:
    return ids, index_batch(ids)


class Command(BaseCommand):
    help = (
        "Index every article and standalone photo for search again, and count the vocabulary "
        "of corrections again; the index stays usable while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Empty the index first and, on PostgreSQL, build its GIN indexes after loading: "
            "much faster for a large archive, but search finds nothing until it is done.",
        )
        parser.add_argument(
            "--jobs",
            type=number_between(1, 64),
            default=1,
            help="Worker processes on PostgreSQL (SQLite takes one writer); e.g. the number of "
            "cores for a large archive. Workers see only committed articles.",
        )

    def handle(self, *args, fresh: bool, **options):
        started = time.monotonic()
        total = Article.objects.count()
        backend = get_backend()
        postgresql = connection.vendor == "postgresql"
        # Counted again from scratch: counts add up as articles are indexed.
        vocabulary.clear()
        if fresh:
            backend.clear()
            if postgresql:
                self.drop_gin_indexes()
        jobs = options["jobs"] if postgresql else 1
        done = 0
        with tqdm(total=total, unit="article", disable=options["verbosity"] == 0) as progress:
            if jobs == 1:
                for ids in id_batches():
                    done += index_batch(ids)
                    progress.update(len(ids))
            else:
                # Tokenizing is the slow part and runs in Python: one process per core.
                # Forked workers must not share the parent's database connection.
                connections.close_all()
                context = multiprocessing.get_context("fork")
                with context.Pool(jobs) as pool:
                    for ids, count in pool.imap_unordered(index_batch_sized, id_batches()):
                        done += count
                        progress.update(len(ids))
        for ids in id_batches(Photo.objects.filter(article__isnull=True)):
            with transaction.atomic():
                index_photos(ids)
        if not fresh:
            self.remove_orphans()
        if fresh and postgresql:
            self.create_gin_indexes()
        # Search chooses its query shapes from the planner's estimates: statistics for what
        # was just loaded (a fresh build gathers them with its indexes), and for the articles
        # if a bulk load left them without.
        if postgresql and not fresh:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_search")
        if statistics_missing([Article._meta.db_table]):
            analyze(Article)
        # Searches made during the rebuild found what a half-built index held, and are kept.
        caching.content_changed()
        self.stdout.write(
            self.style.SUCCESS(
                _("Indexed %(count)d articles in %(seconds).0f s.")
                % {"count": done, "seconds": time.monotonic() - started}
            )
        )

    def remove_orphans(self) -> None:
        """Entries of articles and photos deleted without signals (raw SQL, another process),
        and of photos since put in an article."""
        postgresql = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            key = "article_id" if postgresql else "rowid"
            cursor.execute(
                f"DELETE FROM articles_search WHERE {key} NOT IN "  # noqa: S608
                "(SELECT id FROM articles_article)"
            )
            key = "photo_id" if postgresql else "rowid"
            cursor.execute(
                f"DELETE FROM articles_search_photo WHERE {key} NOT IN "  # noqa: S608
                "(SELECT id FROM articles_photo WHERE article_id IS NULL)"
            )

    def drop_gin_indexes(self) -> None:
        with connection.cursor() as cursor:
            for name in PostgreSQLBackend.GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def create_gin_indexes(self) -> None:
        """The migrations' indexes, each built in one pass over the loaded table."""
        with connection.cursor() as cursor:
            # A GIN build is far faster when its sort fits in memory; this is per session.
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for name, definition in PostgreSQLBackend.GIN_INDEXES.items():
                cursor.execute(f"CREATE INDEX {name} ON {definition}")
            cursor.execute("ANALYZE articles_search")
            cursor.execute("ANALYZE articles_search_photo")
