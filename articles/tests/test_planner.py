"""Planner statistics: bulk loads gather them, and lists never trust estimates without them."""

from unittest import mock, skipUnless

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.urls import reverse

from articles.models import Article, WorkflowStep
from articles.pagination import EstimatedCountPaginator, planner_estimate
from articles.planner import analyze, statistics_missing

from .factories import ArticleFactory


def table_statistics(table: str) -> float | None:
    """PostgreSQL's row count for a table as of its last ANALYZE (-1: never), or SQLite's
    first sqlite_stat1 figure (None: never analysed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        row = cursor.fetchone()
    if row is None:
        return None
    return float(str(row[0]).split()[0])


class BulkLoadTests(TestCase):
    def test_generate_archive_leaves_the_planner_statistics(self):
        """Straight after generate_archive the articles table is analysed: no manual step."""
        call_command("generate_archive", articles=60, publications=2, verbosity=0)
        self.assertEqual(table_statistics("articles_article"), Article.objects.count())
        self.assertFalse(statistics_missing(["articles_article", "articles_issue"]))


@skipUnless(connection.vendor == "postgresql", "reads PostgreSQL's planner statistics")
class MissingStatisticsTests(TestCase):
    """A table that was never analysed, as after a bulk load or a restore: TRUNCATE gives
    the workflow steps a fresh file with no statistics (undone with the test's transaction)."""

    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE articles_workflowstep")
        article = ArticleFactory()
        WorkflowStep.objects.bulk_create(
            WorkflowStep(article=article, from_status="draft", to_status="first_review")
            for _ in range(30)
        )
        self.steps = WorkflowStep.objects.order_by("pk")

    def test_a_never_analysed_table_has_no_estimate(self):
        """reltuples -1: the planner's row count is a guess, so none is read from it."""
        self.assertEqual(table_statistics("articles_workflowstep"), -1)
        self.assertTrue(statistics_missing(["articles_workflowstep"]))
        self.assertIsNone(planner_estimate(self.steps))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_workflowstep")
        self.assertFalse(statistics_missing(["articles_workflowstep"]))
        self.assertEqual(planner_estimate(self.steps), 30)

    def test_without_statistics_a_long_list_is_counted_only_so_far(self):
        """No estimate to trust: at most COUNT_AT_MOST rows are counted, shown as "more than",
        and every page still holds the real rows in order."""
        with (
            mock.patch("articles.pagination.COUNT_AT_MOST", 10),
            mock.patch("articles.pagination.ESTIMATE_ABOVE", 5),
        ):
            paginator = EstimatedCountPaginator(self.steps, 4)
            self.assertEqual(paginator.count, 10)
            self.assertTrue(paginator.at_least)
            self.assertTrue(paginator.estimated)
            page = paginator.page(3)
        self.assertEqual(list(page.object_list), list(self.steps[8:12]))

    def test_with_statistics_the_estimate_is_used(self):
        """Once analysed, the same long list shows the planner's estimate again."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_workflowstep")
        with mock.patch("articles.pagination.ESTIMATE_ABOVE", 5):
            paginator = EstimatedCountPaginator(self.steps, 4)
            self.assertEqual(paginator.count, 30)
            self.assertTrue(paginator.estimated)
            self.assertFalse(paginator.at_least)


class BoundedCountTests(TestCase):
    def test_the_article_list_never_counts_past_the_bound(self):
        """More articles than COUNT_AT_MOST and no estimate above the threshold: "more than"."""
        ArticleFactory.create_batch(5)
        with mock.patch("articles.pagination.COUNT_AT_MOST", 3):
            response = self.client.get(
                reverse("articles:article_list"), headers={"accept-language": "en"}
            )
        self.assertContains(response, "More than 3 articles")
        # The page is never cut at the count: all five are on it.
        self.assertEqual(len(response.context["object_list"]), 5)


@skipUnless(connection.vendor == "postgresql", "reads PostgreSQL's settings and visibility map")
class PostgreSQLSessionTests(TransactionTestCase):
    # Naming the apps lets the flush TRUNCATE ... CASCADE the search table on PostgreSQL.
    available_apps = [config.name for config in apps.get_app_configs()]

    def test_a_bulk_load_outside_a_transaction_is_vacuumed_too(self):
        """An index-only scan skips reading the table only where its pages are marked all
        visible: analyze() outside a transaction (as bulk loads call it) vacuums as well."""
        ArticleFactory.create_batch(3)
        with connection.cursor() as cursor:
            cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = 'articles_article'")
            self.assertEqual(cursor.fetchone()[0], 0)
            analyze(Article)
            cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = 'articles_article'")
            self.assertGreater(cursor.fetchone()[0], 0)

    def test_queries_are_never_jit_compiled(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone()[0], "off")
