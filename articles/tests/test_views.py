"""Reader pages: what they show, what they hide, and how many queries they cost."""

import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.filters import ArticleFilter, IssueFilter
from articles.models import Article, Byline, Contributor, Status

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
)

# Fixed SQL query counts per reader page; they must not grow with the number of rows shown.
# Pages that belong to no paper (lists, contributors) read one more: the paper of the latest
# issue, which the masthead names (articles/templatetags/newsroom.py, Masthead). Forms with
# the article filters read the page names in use (版名, a choice).
QUERIES = {
    # The latest issue's front page as on its own page (scan, articles, credits, photos), its
    # navigator, the issue's neighbours and the list of publications.
    "home": 10,
    # As the home page, without the list of publications.
    "publication": 9,
    "issue": 5,
    "page": 9,
    # Read lightly for the page around its fragments, then whole for the fragments.
    "article": 7,
    # Whether they have a page (kept under their topic with fragments), their row, the
    # masthead's paper, and four lists of credits.
    "contributor": 7,
    # On PostgreSQL two more: the planner's estimate and whether its statistics hold.
    "article_list": 11 if connection.vendor == "postgresql" else 9,
    "archive": 4,
    # The count, the page's ids, its rows and credits, the masthead's paper; on PostgreSQL
    # two more, as the article list: the planner's estimate and whether its statistics hold.
    "photos": 7 if connection.vendor == "postgresql" else 5,
    "calendar": 5,
    "feed": 2,
}

# With the rarely changing parts of pages cached (READER_FRAGMENT_SECONDS): navigation, page
# lists, the calendar, filter forms. Pages not named here cost the same either way.
QUERIES_WITH_FRAGMENTS = {
    # The row the page is about is kept too, under the topics that move when it changes.
    "home": 0,
    "publication": 0,
    "issue": 0,
    "page": 0,
    "article": 0,
    "calendar": 0,
    # Lists: the count and the page's ids are kept under the list's topics and query string,
    # and each entry under its own (the archive's results are one fragment).
    "archive": 0,
    "photos": 0,
    # Its filters are still checked: the publication and the contributor they name.
    "article_list": 2,
    # A feed's items are kept under the topics of what it lists.
    "feed": 0,
    # Their row: whether they have a page and their credits are kept under their topic.
    "contributor": 1,
}


def populate_page(page, articles: int, credits_each: int = 2) -> None:
    """Fill a page with articles, each with credits and a photo, plus page credits."""
    for position in range(articles):
        article = ArticleFactory(page=page, position=position)
        for _ in range(credits_each):
            BylineFactory(article=article)
        photo = PhotoFactory(article=article)
        BylineFactory(photo=photo, role=Byline.Role.PHOTOGRAPHER)
    standalone = PhotoFactory(article=None, page=page)
    BylineFactory(photo=standalone, role=Byline.Role.PHOTOGRAPHER)
    BylineFactory(page=page, role=Byline.Role.PAGE_EDITOR)


class ReaderPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = PublicationFactory(code="daily", name="晨报")
        cls.older = IssueFactory(publication=cls.publication, date=datetime.date(2025, 5, 1))
        cls.issue = IssueFactory(publication=cls.publication, date=datetime.date(2025, 5, 2))
        cls.draft_issue = IssueFactory(
            publication=cls.publication, date=datetime.date(2025, 5, 3), draft=True
        )
        cls.page1 = PageFactory(issue=cls.issue, number=1, name="要闻")
        cls.page2 = PageFactory(issue=cls.issue, number=2, name="经济")
        cls.article = ArticleFactory(
            page=cls.page1,
            kicker="引题文字",
            headline="主标题文字",
            subheadline="副题文字",
            dateline="本报讯",
            body="正文第一段。\n## 小标题甲\n正文第二段。",
        )
        cls.reporter = BylineFactory(article=cls.article, contributor__name="张记者")
        cls.draft = ArticleFactory(page=cls.page1, headline="草稿标题", draft=True)
        cls.draft_page = PageFactory(issue=cls.draft_issue, number=1)
        cls.hidden = ArticleFactory(page=cls.draft_page, headline="未出版一期的文章")

    def test_home_shows_latest_visible_issue(self):
        """Home is the newest published issue, not the draft after it."""
        response = self.client.get(reverse("articles:home"))
        self.assertEqual(response.context["issue"], self.issue)
        self.assertContains(response, "主标题文字")
        self.assertNotContains(response, "草稿标题")
        self.assertNotContains(response, "未出版一期的文章")

    def test_home_without_issues(self):
        """An empty site says so instead of failing."""
        Article.objects.filter(page__issue=self.issue).delete()
        self.issue.pages.all().delete()
        response = self.client.get(reverse("articles:home"))
        self.assertEqual(response.status_code, 200)

    def test_issue_page_lists_pages_and_headlines(self):
        """The issue shows each page with its visible headlines and links to the older issue."""
        response = self.client.get(self.issue.get_absolute_url())
        self.assertContains(response, self.page1.get_absolute_url())
        self.assertContains(response, self.page2.get_absolute_url())
        self.assertContains(response, self.article.get_absolute_url())
        self.assertContains(response, self.older.get_absolute_url())
        self.assertNotContains(response, self.draft_issue.get_absolute_url())
        self.assertNotContains(response, "草稿标题")

    def test_publication_shows_its_latest_issue(self):
        """`/<code>/` is that paper's latest visible issue."""
        response = self.client.get(self.publication.get_absolute_url())
        self.assertEqual(response.context["issue"], self.issue)

    def test_page_detail(self):
        """The page shows its articles with credits and links to the next page."""
        response = self.client.get(self.page1.get_absolute_url())
        self.assertContains(response, "主标题文字")
        self.assertContains(response, "引题文字")
        self.assertContains(response, self.reporter.contributor.get_absolute_url())
        self.assertContains(response, self.page2.get_absolute_url())
        self.assertNotContains(response, "草稿标题")
        self.assertIsNone(response.context["nav"].previous_page)
        self.assertEqual(response.context["nav"].next_page, self.page2)

    def test_article_detail(self):
        """Every printed part of the article, with crossheads as headings and the print place."""
        response = self.client.get(self.article.get_absolute_url())
        for text in ("引题文字", "副题文字", "本报讯", "正文第二段。"):
            self.assertContains(response, text)
        self.assertContains(response, '<h2 class="crosshead">小标题甲</h2>', html=True)
        self.assertContains(response, self.reporter.contributor.get_absolute_url())
        self.assertContains(response, self.page1.get_absolute_url())
        self.assertNotContains(response, "preview-banner")

    def test_contributor_page(self):
        """A contributor's page lists their visible work under their role."""
        hidden_credit = BylineFactory(article=self.draft, contributor=self.reporter.contributor)
        response = self.client.get(self.reporter.contributor.get_absolute_url())
        self.assertContains(response, "主标题文字")
        self.assertContains(response, "记者")
        self.assertNotContains(response, hidden_credit.article.headline)

    def test_hidden_things_are_404(self):
        """Drafts, scheduled articles and anything of an unpublished issue answer 404."""
        scheduled = ArticleFactory(
            page=self.page1, published_at=timezone.now() + datetime.timedelta(hours=2)
        )
        ready = ArticleFactory(page=self.page1, status=Status.READY)
        unseen = ContributorFactory()
        BylineFactory(article=self.draft, contributor=unseen)
        for url in (
            self.draft.get_absolute_url(),
            scheduled.get_absolute_url(),
            ready.get_absolute_url(),
            self.hidden.get_absolute_url(),
            self.draft_issue.get_absolute_url(),
            self.draft_page.get_absolute_url(),
            unseen.get_absolute_url(),
            reverse("articles:publication", kwargs={"publication": "nowhere"}),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_bad_urls_are_404(self):
        """An impossible date, a page that does not exist: 404, never 500."""
        for url in (
            "/daily/2025-02-30/",
            "/daily/2025-13-01/",
            "/daily/2025-05-02/99/",
            "/daily/2025-05-02/0/",
            "/articles/999999/",
            "/contributors/999999/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_staff_preview_of_draft(self):
        """Staff see a draft, marked as a preview and never cached."""
        staff = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
        self.client.force_login(staff)
        response = self.client.get(self.draft.get_absolute_url())
        self.assertContains(response, "草稿标题")
        self.assertContains(response, "preview-banner")
        self.assertIn("no-cache", response["Cache-Control"])

    def test_markup_in_text_is_escaped(self):
        """Script typed into a headline or body is shown as text, never run."""
        article = ArticleFactory(
            page=self.page2,
            headline="<script>alert('x')</script>",
            body="<img src=x onerror=alert(1)>",
        )
        for url in (article.get_absolute_url(), self.page2.get_absolute_url()):
            response = self.client.get(url)
            self.assertNotContains(response, "<script>alert")
            self.assertContains(response, "&lt;script&gt;")
        self.assertNotContains(self.client.get(article.get_absolute_url()), "<img src=x")

    def test_english_interface(self):
        """The interface is Chinese by default and English on request."""
        chinese = self.client.get(self.article.get_absolute_url())
        self.assertContains(chinese, "跳到正文")
        english = self.client.get(self.article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(english, "Skip to content")


class QueryCountTests(TestCase):
    """Each reader page costs the same number of queries with 1 article or 10, and the same
    page again with its fragments cached costs the same fewer, showing the same."""

    def setUp(self):
        self.addCleanup(cache.clear)
        self.addCleanup(caches["generation"].clear)

    def assert_fixed_queries(self, name: str, url_for) -> None:
        for size in (1, 10):
            with self.subTest(size=size):
                publication = PublicationFactory(code=f"p{size}")
                issue = IssueFactory(publication=publication)
                page = PageFactory(issue=issue, number=1)
                PageFactory(issue=issue, number=2)
                populate_page(page, size)
                contributor = ContributorFactory()
                for article in page.articles.all():
                    BylineFactory(article=article, contributor=contributor)
                    BylineFactory(
                        photo=article.photos.first(),
                        contributor=contributor,
                        role=Byline.Role.PHOTOGRAPHER,
                    )
                BylineFactory(page=page, contributor=contributor, role=Byline.Role.LAYOUT_EDITOR)
                url = url_for(page=page, contributor=contributor)
                with self.assertNumQueries(QUERIES[name]):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                with override_settings(READER_FRAGMENT_SECONDS=60):
                    cache.clear()
                    caches["generation"].clear()
                    first = self.client.get(url)
                    with self.assertNumQueries(QUERIES_WITH_FRAGMENTS.get(name, QUERIES[name])):
                        second = self.client.get(url)
                    self.assertEqual(second.content, first.content)
                    self.assertEqual(second.content, response.content)

    def test_home(self):
        self.assert_fixed_queries("home", lambda page, contributor: reverse("articles:home"))

    def test_publication(self):
        self.assert_fixed_queries(
            "publication", lambda page, contributor: page.issue.publication.get_absolute_url()
        )

    def test_issue(self):
        self.assert_fixed_queries("issue", lambda page, contributor: page.issue.get_absolute_url())

    def test_page(self):
        self.assert_fixed_queries("page", lambda page, contributor: page.get_absolute_url())

    def test_article(self):
        self.assert_fixed_queries(
            "article",
            lambda page, contributor: page.articles.order_by("position").last().get_absolute_url(),
        )

    def test_contributor(self):
        self.assert_fixed_queries(
            "contributor", lambda page, contributor: contributor.get_absolute_url()
        )

    def test_article_list(self):
        self.assert_fixed_queries(
            "article_list",
            lambda page, contributor: (
                reverse("articles:article_list")
                + f"?publication={page.issue.publication.code}&contributor={contributor.pk}"
            ),
        )

    def test_archive(self):
        self.assert_fixed_queries("archive", lambda page, contributor: reverse("articles:archive"))

    def test_photos(self):
        self.assert_fixed_queries("photos", lambda page, contributor: reverse("articles:photos"))

    def test_calendar(self):
        self.assert_fixed_queries(
            "calendar",
            lambda page, contributor: reverse(
                "articles:calendar_latest", args=[page.issue.publication.code]
            ),
        )

    def test_feed(self):
        self.assert_fixed_queries("feed", lambda page, contributor: reverse("articles:feed_rss"))


@override_settings(READER_CACHE_SECONDS=0, READER_FRAGMENT_SECONDS=60)
class FilterSetWhenFiltersGivenTests(TestCase):
    """A list's filter set is made only for filters given (the page number is none), and an
    unbound one only to draw a filter form that is not kept: made, it copies every filter."""

    def setUp(self):
        cache.clear()
        caches["generation"].clear()
        self.addCleanup(cache.clear)
        self.addCleanup(caches["generation"].clear)
        self.page = PageFactory()
        populate_page(self.page, 3)

    def made(self, filter_class, url: str) -> tuple[list[bool], object]:
        """Whether each filter set the second visit to `url` made was bound; the response."""
        original = filter_class.__init__
        made = []

        def spy(filterset, data=None, *args, **kwargs):
            made.append(data is not None)
            original(filterset, data, *args, **kwargs)

        self.client.get(url)
        with mock.patch.object(filter_class, "__init__", spy):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return made, response

    def test_no_filter_set_without_filters(self):
        cases = [
            (ArticleFilter, reverse("articles:article_list")),
            (ArticleFilter, reverse("articles:article_list") + "?page=2"),
            (IssueFilter, reverse("articles:archive")),
            (IssueFilter, reverse("articles:archive") + "?page=1"),
            (ArticleFilter, reverse("articles:search") + "?q=标题"),
            (ArticleFilter, reverse("articles:search") + "?q=标题&page=2&as_typed=1"),
        ]
        for filter_class, url in cases:
            with self.subTest(url=url):
                made, _ = self.made(filter_class, url)
                self.assertEqual(made, [])

    def test_an_unkept_form_is_drawn_unbound(self):
        url = reverse("articles:article_list") + "?page=2"
        self.client.get(url)
        cache.clear()  # the filter form's fragment with the rest
        original = ArticleFilter.__init__
        made = []

        def spy(filterset, data=None, *args, **kwargs):
            made.append(data)
            original(filterset, data, *args, **kwargs)

        with mock.patch.object(ArticleFilter, "__init__", spy):
            response = self.client.get(url)
        self.assertEqual(made, [None])
        self.assertContains(response, 'name="date_from"')
        self.assertNotContains(response, 'role="alert"')

    def test_filters_given_are_checked(self):
        publication = self.page.issue.publication.code
        base = reverse("articles:article_list")
        made, response = self.made(ArticleFilter, f"{base}?publication={publication}&page=1")
        self.assertEqual(made, [True])
        self.assertEqual(len(response.context["object_list"]), 3)
        made, response = self.made(ArticleFilter, f"{base}?date_from=2020-13-45")
        self.assertEqual(made, [True])
        self.assertContains(response, 'role="alert"', count=2)  # the field's and the form's
        self.assertEqual(list(response.context["object_list"]), [])
        search = reverse("articles:search")
        made, response = self.made(ArticleFilter, f"{search}?q=标题&date_from=2020-13-45")
        self.assertEqual(made, [True])
        self.assertContains(response, 'role="alert"', count=2)
        made, response = self.made(IssueFilter, f"{reverse('articles:archive')}?date_to=x")
        self.assertEqual(made, [True])
        self.assertContains(response, 'role="alert"', count=1)  # the field's


class ContributorKindsTests(TestCase):
    def test_organisation_page_lists_supplied_articles(self):
        """An organisation's page lists what it supplied (供稿)."""
        source = ContributorFactory(name="市气象局", kind=Contributor.Kind.ORGANISATION)
        article = ArticleFactory(source=source)
        response = self.client.get(source.get_absolute_url())
        self.assertContains(response, article.headline)


class ErrorPageTests(TestCase):
    def test_not_found_page_is_the_sites_own(self):
        """A missing page keeps the site's look and points back to today's paper."""
        response = self.client.get("/articles/424242/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "页面不存在", status_code=404)
        self.assertContains(response, 'href="/"', status_code=404)
