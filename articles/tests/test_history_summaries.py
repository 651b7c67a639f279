"""History that tells the story: what changed in each version, and only what editors write."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles import pdfpages
from articles.models import Article, Photo

from .factories import ArticleFactory, ContributorFactory, PageFactory, PublicationFactory
from .test_admin import inline_management
from .test_import_command import PAGES
from .test_pdfpages import corpus_pdf
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


class FirstVersionTests(TestCase):
    """Every article and photo starts its history as it came, saying how it came, in the
    newsroom's language even when a command (translations off) brought it."""

    def first_versions(self, model) -> dict[int, str]:
        firsts = {}
        for version in (
            Version.objects.get_for_model(model).select_related("revision").order_by("pk")
        ):
            firsts.setdefault(int(version.object_id), version.revision.comment)
        return firsts

    def assert_first_version_of_each(self, comment: str, photos: bool = True) -> None:
        for model in (Article, Photo) if photos else (Article,):
            rows = set(model.objects.values_list("pk", flat=True))
            self.assertTrue(rows, model.__name__)
            firsts = self.first_versions(model)
            self.assertEqual(firsts.keys(), rows, model.__name__)
            self.assertEqual(set(firsts.values()), {comment}, model.__name__)

    def test_imported_from_page_text(self):
        PublicationFactory(code="qingchuan")
        call_command(
            "import_page",
            str(PAGES / "photo_stories.txt"),
            *["--publication", "qingchuan", "--date", "2024-05-08", "--page", "3"],
            stdout=io.StringIO(),
        )
        self.assert_first_version_of_each("从第3版文字导入")
        # The version holds the text as imported, with its credits.
        article = Article.objects.exclude(bylines=None).order_by("pk").first()
        version = Version.objects.get_for_object(article).get()
        self.assertEqual(version.field_dict["headline"], article.headline)
        self.assertTrue(version.revision.version_set.filter(content_type__model="byline").exists())

    def test_read_from_a_page_pdf(self):
        publication = PublicationFactory(code="qingchuan")
        with self.captureOnCommitCallbacks(execute=True):
            pdfpages.receive_issue(
                publication=publication,
                date=datetime.date(2026, 3, 3),
                files=[("02.pdf", corpus_pdf(0))],
                user=None,
            )
        self.assert_first_version_of_each("从第2版PDF读取")
        # Read whole: the first version already has the article's hotspot.
        article = Article.objects.order_by("pk").first()
        self.assertTrue(Version.objects.get_for_object(article).get().field_dict["region"])

    def test_demo(self):
        call_command("load_demo", stdout=io.StringIO())
        self.assert_first_version_of_each("示范稿件")

    def test_written_in_the_admin(self):
        user = get_user_model().objects.create_superuser("编辑", password="pw")
        self.client.force_login(user)
        page = PageFactory()
        draft = Article(
            page=page,
            publication=page.issue.publication,
            position=1,
            headline="新写的稿件",
            body="正文。",
        )
        response = self.client.post(reverse("admin:articles_article_add"), form_data(draft))
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        article = Article.objects.get(headline="新写的稿件")
        history = self.client.get(reverse("admin:articles_article_history", args=[article.pk]))
        [first] = history.context["action_list"]
        self.assertEqual(first["summary"], "初始版本")
        self.assertContains(history, "已添加。")
