"""The admin's lists, fit for a night's work: what each column says, their order, their cost."""

import datetime

import reversion
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Contributor, Issue, Page, Photo, Status

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
)


def changelist(model) -> str:
    return reverse(f"admin:articles_{model._meta.model_name}_changelist")


def filters_of(response) -> dict:
    """The list's filters by the field they filter (its own filters have none)."""
    specs = response.context["cl"].filter_specs
    return {spec.field_path: spec for spec in specs if hasattr(spec, "field_path")}


class ArticleListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")
        older = IssueFactory(date=datetime.date(2026, 3, 2))
        newer = IssueFactory(date=datetime.date(2026, 3, 3), publication=older.publication)
        tonight = IssueFactory(
            date=datetime.date(2026, 3, 4), publication=older.publication, draft=True
        )
        # An issue's articles go out together, at one publish time.
        out = timezone.now() - datetime.timedelta(days=1)
        cls.rows = [
            ArticleFactory(
                page=PageFactory(issue=older, number=1),
                headline="旧一版",
                published_at=timezone.now() - datetime.timedelta(days=2),
            ),
            ArticleFactory(
                page=PageFactory(issue=newer, number=2),
                headline="新二版",
                published_at=out,
            ),
            ArticleFactory(
                page=PageFactory(issue=tonight, number=1, name="要闻"),
                headline="今晚一版第二篇",
                position=2,
                status=Status.SECOND_REVIEW,
                published_at=None,
                body="第一段。\n## 小标题\n第二段。",
            ),
            ArticleFactory(
                page=PageFactory(issue=newer, number=1),
                headline="新一版",
                published_at=out,
            ),
        ]
        ArticleFactory(page=PageFactory(issue=tonight, number=2), headline="今晚二版", draft=True)
        ArticleFactory(page=cls.rows[2].page, headline="今晚一版第一篇", position=1, draft=True)
        with reversion.create_revision():
            reversion.set_user(cls.user)
            reversion.add_to_revision(cls.rows[2])

    def setUp(self):
        self.client.force_login(self.user)

    def test_newest_issue_then_page_then_position(self):
        """The list opens on tonight's paper in printed order, then the issues out before."""
        response = self.client.get(changelist(Article))
        headlines = [article.headline for article in response.context["cl"].result_list]
        self.assertEqual(
            headlines,
            ["今晚一版第一篇", "今晚一版第二篇", "今晚二版", "新一版", "新二版", "旧一版"],
        )

    def test_columns_for_the_night(self):
        """Issue date and page, state badge, whose turn, 字数 and who changed it last."""
        response = self.client.get(changelist(Article))
        self.assertContains(response, "2026年3月4日<br>01版：要闻")
        self.assertContains(response, '<span class="state-badge state-second_review">待复审</span>')
        self.assertContains(response, '<td class="field-turn">复审</td>', html=True)
        self.assertContains(response, '<td class="field-characters">11</td>', html=True)
        self.assertContains(response, '<span class="quiet">总编</span>')

    def test_page_filters_offer_each_name_and_number_once(self):
        """The filters by page name and number offer each value in use once, in order, found
        along their indexes (no SELECT DISTINCT over every page), and narrow the list."""
        ArticleFactory(
            page=PageFactory(issue=self.rows[0].page.issue, number=10, name="副刊"),
            headline="副刊一篇",
            draft=True,
        )
        for model, field, path in ((Article, "name", "page__name"), (Page, "name", "name")):
            with self.subTest(model=model.__name__):
                with CaptureQueriesContext(connection) as captured:
                    response = self.client.get(changelist(model))
                specs = filters_of(response)
                in_order = Page.objects.order_by(field).values_list(field, flat=True).distinct()
                self.assertEqual(list(specs[path].lookup_choices), list(in_order))
                self.assertGreater(len(in_order), 1)
                distinct = f'DISTINCT "articles_page"."{field}"'
                self.assertEqual([q for q in captured if distinct in q["sql"]], [])
        response = self.client.get(changelist(Article))
        self.assertEqual(list(filters_of(response)["page__number"].lookup_choices), [1, 2, 10])
        response = self.client.get(changelist(Article) + "?page__number=2")
        headlines = [article.headline for article in response.context["cl"].result_list]
        self.assertEqual(headlines, ["今晚二版", "新二版"])
        response = self.client.get(changelist(Article) + "?page__name=副刊")
        headlines = [article.headline for article in response.context["cl"].result_list]
        self.assertEqual(headlines, ["副刊一篇"])


class ChangelistQueryTests(TestCase):
    """Every list costs the same whatever the number of rows (each with what it shows)."""

    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")

    def add_rows(self, count: int) -> None:
        for _ in range(count):
            article = ArticleFactory(page=PageFactory(issue=IssueFactory(draft=True)))
            BylineFactory(article=article, contributor=ContributorFactory())
            PhotoFactory(article=article)
            PhotoFactory(article=None, page=article.page)
            with reversion.create_revision():
                reversion.set_user(self.user)
                reversion.add_to_revision(article)

    def test_fixed_query_counts(self):
        self.client.force_login(self.user)
        # On PostgreSQL the large lists (EstimatedCountPaginator) ask whether the planner's
        # statistics can be trusted, then read its estimate: two more queries, whatever the rows.
        estimate = 2 if connection.vendor == "postgresql" else 0
        expected = {
            Article: 9 + estimate,
            Issue: 10,
            Page: 8 + estimate,
            Photo: 6 + estimate,
            Contributor: 5,
        }
        for rows in (1, 20):
            self.add_rows(rows if rows == 1 else rows - 1)
            for model, queries in expected.items():
                with self.subTest(model=model.__name__, rows=rows):
                    with CaptureQueriesContext(connection) as captured:
                        response = self.client.get(changelist(model))
                    self.assertEqual(response.status_code, 200)
                    self.assertGreaterEqual(len(response.context["cl"].result_list), rows)
                    self.assertEqual(len(captured), queries)
