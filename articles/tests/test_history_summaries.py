"""History that tells the story: what changed in each version, and only what editors write."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles.models import Article

from .factories import ArticleFactory, ContributorFactory
from .test_admin import inline_management
from .test_workflow import form_data


class HistorySummaryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")

    def setUp(self):
        self.client.force_login(self.user)
        self.article = ArticleFactory(draft=True, headline="原标题")
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def save(self, **changes):
        self.article.refresh_from_db()
        response = self.client.post(self.url, form_data(self.article, **changes))
        self.assertEqual(response.status_code, 302)

    def history(self):
        return self.client.get(reverse("admin:articles_article_history", args=[self.article.pk]))

    def test_each_version_says_what_changed(self):
        """Newest first: credits added, then headline and body changed, then the first."""
        self.save()
        self.save(headline="新标题", body="新的正文。")
        credit = {"contributor": ContributorFactory().pk, "role": "reporter", "order": 0}
        self.save(
            **{
                **inline_management("bylines", 1),
                "bylines-0-contributor": credit["contributor"],
                "bylines-0-role": credit["role"],
                "bylines-0-order": 0,
            }
        )
        summaries = [action["summary"] for action in self.history().context["action_list"]]
        self.assertEqual(summaries, ["署名", "主题、正文", "初始版本"])

    def test_compare_shows_what_editors_write(self):
        """The comparison names the headline, never the version counter or save time."""
        self.save()
        self.save(headline="新标题")
        first, second = Version.objects.get_for_object(self.article).order_by("pk")
        response = self.client.get(
            reverse("admin:articles_article_compare", args=[self.article.pk]),
            {"version_id1": first.pk, "version_id2": second.pk},
        )
        headings = [entry["label"] for entry in response.context["compare_data"]]
        self.assertEqual([str(label) for label in headings], ["主题"])
        self.assertNotContains(response, "更新时间")
        self.assertNotContains(response, "注意")

    def test_the_history_costs_the_same_for_more_versions(self):
        """Summing up the versions reads them in a fixed number of queries."""
        counts = []
        for saves in (2, 10):
            for number in range(saves):
                self.save(headline=f"标题{number}")
            self.history()  # content types cached, as after any first request
            with CaptureQueriesContext(connection) as queries:
                response = self.history()
            self.assertGreaterEqual(len(response.context["action_list"]), saves)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(Article.objects.count(), 1)
