"""The article form, laid out for the work: workflow on top, the texts wide, the body counted."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from articles.admin_history import browser_data
from articles.models import Article, Byline, Photo, Status, WorkflowStep, body_counts

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PageFactory,
    image_upload,
)

BODY = "第一段， 有空格。\n\n## 小标题\n  第二段。\n#不是小标题\n##\n"


class BodyCountTests(TestCase):
    def test_characters_and_paragraphs(self):
        """字数 leaves out spaces and crosshead marks; a crosshead is not a paragraph."""
        self.assertEqual(body_counts(BODY), (len("第一段，有空格。小标题第二段。#不是小标题"), 3))
        self.assertEqual(body_counts(""), (0, 0))


class ArticleFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")

    def setUp(self):
        self.client.force_login(self.user)

    def open(self, article):
        return self.client.get(reverse("admin:articles_article_change", args=[article.pk]))

    def test_workflow_first_then_the_texts(self):
        """The workflow's fieldset comes first, under the save buttons, then the texts."""
        response = self.open(ArticleFactory(draft=True))
        fieldsets = list(response.context["adminform"])
        self.assertEqual(fieldsets[0].name, "流程")
        self.assertEqual(
            [field for line in fieldsets[1] for field in line.fields],
            ["kicker", "headline", "subheadline", "dateline", "body"],
        )
        self.assertEqual(fieldsets[1].classes, "article-text")

    def test_the_body_is_counted(self):
        """The body's box says its 字数 and paragraphs, and carries the script that recounts."""
        response = self.open(ArticleFactory(draft=True, body=BODY))
        self.assertContains(response, "字数 21 · 段落 3")
        self.assertContains(response, 'data-body-count="id_body_count"')
        self.assertContains(response, "articles/article-form.js")

    def test_no_region_without_a_scan(self):
        """A page without a scan has nothing to draw on: the region field is not there."""
        response = self.open(ArticleFactory(draft=True))
        self.assertNotContains(response, 'name="region"')
        self.assertNotContains(response, "null")

    def test_the_regions_numbers_are_folded_away(self):
        """On a page with a scan the region is drawn; its numbers wait in a closed <details>."""
        page = PageFactory(scan=image_upload(size=(200, 300)))
        response = self.open(ArticleFactory(page=page, draft=True))
        self.assertContains(response, 'name="region"')
        self.assertContains(response, '<details class="region-points"><summary>坐标')
        self.assertContains(response, 'data-scan-url="')


def posted(response) -> MultiValueDict:
    """What a browser posts from the change form as it is shown, inlines included."""
    data = browser_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        for form in [inline.formset.management_form, *inline.formset.forms]:
            data.update(browser_data(form))
    return data


class ChangeFormCostTests(TestCase):
    """Opening an article costs the same whatever its number of credits and review steps:
    each credit's contributor, and each step's article and editor, are read with the rows,
    and the credits' autocomplete boxes read their chosen contributors together."""

    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")

    def setUp(self):
        self.client.force_login(self.user)
        # Content types (for the "view on site" link, and the history) are read once a
        # process, by whichever test comes first.
        ContentType.objects.get_for_models(Article, Byline, Photo)

    def article_with(self, rows: int) -> Article:
        article = ArticleFactory(page=PageFactory(), draft=True)
        for number in range(rows):
            contributor = ContributorFactory(name=f"记者{rows}-{number}")
            BylineFactory(article=article, contributor=contributor)
            WorkflowStep.objects.create(
                article=article, from_status=Status.DRAFT, to_status=Status.DRAFT, user=self.user
            )
        return article

    def test_opening_the_form(self):
        """The same queries whether the article has one credit or six: the session and user,
        the article, its page (has it a scan to draw on?), each inline's rows (4), then the
        chosen publication, page (with its issue and paper) and every credit's contributor."""
        for rows in (1, 6):
            article = self.article_with(rows)
            with self.subTest(rows=rows), self.assertNumQueries(13):
                response = self.client.get(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
            # Each credit's box shows its contributor, chosen; each row is headed by its credit.
            for number in range(rows):
                self.assertContains(response, f"selected>记者{rows}-{number}</option>", html=False)
            self.assertContains(response, f"{article.headline}: 草稿 → 草稿", count=rows)

    def test_saving_the_form(self):
        """Saving reads the credits, with their contributors, together for the article's
        version, and the page with its issue and paper. What still costs queries per row is
        Django's and the form's checks of each posted row (its id, its contributor twice,
        its lock and version), pinned here so that it does not grow unnoticed."""
        # One query fewer on PostgreSQL, whatever the rows.
        engine = -1 if connection.vendor == "postgresql" else 0
        for rows, queries in ((1, 52 + engine), (6, 87 + engine)):
            article = self.article_with(rows)
            url = reverse("admin:articles_article_change", args=[article.pk])
            data = posted(self.client.get(url))
            data["body"] = "改过的正文。"
            with self.subTest(rows=rows), CaptureQueriesContext(connection) as captured:
                response = self.client.post(url, data)
            self.assertEqual(response.status_code, 302)
            self.assertEqual(len(captured), queries)
            self.assertEqual(Article.objects.get(pk=article.pk).body, "改过的正文。")
