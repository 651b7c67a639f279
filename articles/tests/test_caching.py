"""The whole-page cache for anonymous readers, and which of its pages each change empties."""

import datetime
import io
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import http_date

from articles import services, tasks
from articles.caching import EPOCH, GENERATION_PREFIX
from articles.models import Article, Correction, Status

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
    image_upload,
)


class CacheTestCase(TestCase):
    def setUp(self):
        cache.clear()
        caches["generation"].clear()
        self.addCleanup(cache.clear)
        self.addCleanup(caches["generation"].clear)

    def from_cache(self, url: str) -> bool:
        """Whether an anonymous reader's visit is answered from the cache (no query at all)."""
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return not queries.captured_queries

    def warm(self, *urls: str) -> None:
        for url in urls:
            self.client.get(url)
            self.assertTrue(self.from_cache(url), url)

    def change(self, make_change) -> None:
        """Make a change as the admin or a service does: committed, its callbacks run."""
        with self.captureOnCommitCallbacks(execute=True):
            make_change()


@override_settings(READER_CACHE_SECONDS=60)
class ReaderCacheTests(CacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = ArticleFactory(headline="原标题")

    def test_second_visit_costs_no_query(self):
        """An anonymous reader's repeat visit is served from the cache, byte for byte."""
        url = self.article.page.get_absolute_url()
        first = self.client.get(url)
        with self.assertNumQueries(0):
            second = self.client.get(url)
        self.assertEqual(first.content, second.content)
        self.assertEqual(second["Content-Type"], first["Content-Type"])
        self.assertEqual(second["ETag"], first["ETag"])

    def test_staff_bypass_the_cache(self):
        """Staff previews are never cached, and readers never get a staff page from the cache."""
        draft = ArticleFactory(draft=True, headline="草稿预览")
        staff = get_user_model().objects.create_user("desk", password="pw", is_staff=True)
        self.client.force_login(staff)
        self.assertContains(self.client.get(draft.get_absolute_url()), "草稿预览")
        self.client.logout()
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)

    def test_languages_are_cached_apart(self):
        """The English page is not served to a Chinese reader, or the other way round."""
        url = self.article.get_absolute_url()
        english = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        chinese = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(english, "Skip to content")
        self.assertContains(chinese, "跳到正文")

    def test_a_change_in_another_process_empties_this_ones_pages(self):
        """Workers share the generations: one moved elsewhere makes this worker render anew."""
        url = self.article.get_absolute_url()
        self.assertContains(self.client.get(url), "原标题")
        Article.objects.filter(pk=self.article.pk).update(headline="别处改的标题")  # no signal
        self.assertContains(self.client.get(url), "原标题")  # still this worker's cached page
        if "LOCATION" in settings.CACHES["generation"] and not settings.REDIS_URL:
            # Another gunicorn worker's save: its own cache object on the same shared store.
            store = FileBasedCache(settings.CACHES["generation"]["LOCATION"], {})
        else:
            store = caches["generation"]
        store.set(GENERATION_PREFIX + EPOCH, "a-new-generation", None)
        self.assertContains(self.client.get(url), "别处改的标题")

    def test_empty_reader_cache_after_a_change_without_signals(self):
        """A restore or SQL by hand sends no signal: the command empties every page."""
        url = self.article.get_absolute_url()
        self.warm(url)
        Article.objects.filter(pk=self.article.pk).update(headline="恢复备份后的标题")
        self.change(lambda: call_command("empty_reader_cache", stdout=io.StringIO()))
        self.assertContains(self.client.get(url), "恢复备份后的标题")

    def test_a_lost_generation_is_never_taken_for_an_old_one(self):
        """A generation evicted from the store is made anew: the pages under it are missed."""
        url = self.article.get_absolute_url()
        self.warm(url)
        Article.objects.filter(pk=self.article.pk).update(headline="无信号的改动")
        caches["generation"].delete(GENERATION_PREFIX + f"article:{self.article.pk}")
        self.assertContains(self.client.get(url), "无信号的改动")


@override_settings(READER_CACHE_SECONDS=60)
class WhatAChangeEmptiesTests(CacheTestCase):
    """Each kind of change empties the readers' pages that show it, and keeps every other.

    Two published issues of one paper: the first with two pages (an article with a photo and
    a credited reporter on page 1, another article on page 2), the second with one article.
    """

    @classmethod
    def setUpTestData(cls):
        cls.reporter = ContributorFactory(name="王记者")
        cls.other_reporter = ContributorFactory(name="李记者")
        cls.issue = IssueFactory(date=datetime.date(2025, 3, 1))
        cls.page1 = PageFactory(issue=cls.issue, number=1, name="要闻")
        cls.page2 = PageFactory(issue=cls.issue, number=2, name="经济")
        cls.article = ArticleFactory(page=cls.page1, headline="头版文章", position=1)
        cls.photo = PhotoFactory(article=cls.article, caption="原来的图片说明")
        BylineFactory(article=cls.article, contributor=cls.reporter)
        cls.article2 = ArticleFactory(page=cls.page2, headline="二版文章")
        BylineFactory(article=cls.article2, contributor=cls.other_reporter)
        cls.other_issue = IssueFactory(publication=cls.issue.publication)
        cls.other_page = PageFactory(issue=cls.other_issue, number=1)
        cls.other_article = ArticleFactory(page=cls.other_page, headline="另一期文章")
        cls.draft = ArticleFactory(page=cls.page1, draft=True, headline="草稿文章", position=2)
        cls.chief = get_user_model().objects.create_superuser("chief", password="pw")

    def urls(self) -> dict[str, str]:
        return {
            "article": self.article.get_absolute_url(),
            "page1": self.page1.get_absolute_url(),
            "page2": self.page2.get_absolute_url(),
            "issue": self.issue.get_absolute_url(),
            "article2": self.article2.get_absolute_url(),
            "other article": self.other_article.get_absolute_url(),
            "other page": self.other_page.get_absolute_url(),
            "other issue": self.other_issue.get_absolute_url(),
            "list": reverse("articles:article_list"),
            "rss": reverse("articles:feed_rss"),
            "sitemap": reverse("sitemap_section", args=["articles"]),
            "photos": reverse("articles:photos"),
            "archive": reverse("articles:archive"),
            "reporter": self.reporter.get_absolute_url(),
            "other reporter": self.other_reporter.get_absolute_url(),
        }

    def assert_empties(self, make_change, *, emptied: set[str]) -> None:
        """After the change, exactly the pages named in `emptied` are rendered anew."""
        urls = self.urls()
        self.warm(*urls.values())
        self.change(make_change)
        for name, url in urls.items():
            with self.subTest(page=name):
                self.assertEqual(self.from_cache(url), name not in emptied)

    def test_saving_a_draft_empties_nothing(self):
        """A draft is nobody's business but the desk's: every cached page stays."""

        def save_draft():
            self.draft.headline = "草稿改了标题"
            self.draft.body = "新的正文"
            self.draft.save()

        self.assert_empties(save_draft, emptied=set())

    def test_a_review_move_empties_nothing(self):
        """Sending a draft to review and passing it on changes nothing readers see."""

        def review():
            draft = services.article_transition(article=self.draft, user=self.chief, name="submit")
            services.article_transition(article=draft, user=self.chief, name="pass_first")

        self.assert_empties(review, emptied=set())

    def test_a_page_of_an_issue_not_out_empties_nothing(self):
        """A scan uploaded to a page of an issue still being put together: nothing to empty."""
        page = PageFactory(issue=IssueFactory(draft=True, publication=self.issue.publication))

        def upload():
            page.scan = image_upload("scan.png", size=(300, 400), fmt="PNG")
            page.save()

        self.assert_empties(upload, emptied=set())

    def test_publishing_empties_the_pages_that_show_the_article(self):
        """A cleared article published on page 1: its page, issue, lists, feeds, reporter."""
        cleared = ArticleFactory(
            page=self.page1, status=Status.READY, published_at=None, headline="新发布的文章"
        )
        BylineFactory(article=cleared, contributor=self.reporter, role="correspondent")

        def publish():
            services.articles_publish(articles=Article.objects.filter(pk=cleared.pk))

        # The article beside it on page 1 now links to it as its next article.
        emptied = {"article", "page1", "issue", "list", "rss", "sitemap", "photos", "reporter"}
        self.assert_empties(publish, emptied=emptied)
        for name in ("page1", "issue", "list", "rss", "reporter"):
            self.assertContains(self.client.get(self.urls()[name]), "新发布的文章")
        self.assertContains(self.client.get(self.urls()["sitemap"]), cleared.get_absolute_url())

    def test_unpublishing_empties_the_pages_that_showed_it(self):
        """Bulk unpublishing (no signals) removes the article from every page that showed it."""

        def unpublish():
            services.articles_unpublish(articles=Article.objects.filter(pk=self.article.pk))

        urls = self.urls()
        self.warm(*urls.values())
        self.change(unpublish)
        for name in ("page1", "issue", "list", "rss", "sitemap"):
            with self.subTest(page=name):
                self.assertFalse(self.from_cache(urls[name]))
                self.assertNotContains(self.client.get(urls[name]), "头版文章")
        self.assertNotContains(self.client.get(urls["sitemap"]), urls["article"])
        for name in ("page2", "article2", "other page", "other issue", "other article"):
            with self.subTest(page=name):
                self.assertTrue(self.from_cache(urls[name]))
        self.assertEqual(self.client.get(urls["article"]).status_code, 410)
        # It was the reporter's only work readers could see: their page is gone with it.
        self.assertEqual(self.client.get(urls["reporter"]).status_code, 404)

    def test_correcting_empties_the_pages_that_show_the_article(self):
        """A correction and a corrected headline reach the article page and the lists."""

        def correct():
            Correction.objects.create(article=self.article, text="更正：人名有误")
            self.article.headline = "更正后的标题"
            self.article.save()

        emptied = {"article", "page1", "issue", "list", "rss", "sitemap", "photos", "reporter"}
        self.assert_empties(correct, emptied=emptied)
        self.assertContains(self.client.get(self.urls()["article"]), "更正：人名有误")
        self.assertContains(self.client.get(self.urls()["page1"]), "更正后的标题")

    def test_a_photo_caption_empties_its_article_and_the_gallery(self):
        """A caption changed on a visible article's photo."""

        def caption():
            self.photo.caption = "改过的图片说明"
            self.photo.save()

        emptied = {"article", "page1", "issue", "list", "rss", "sitemap", "photos", "reporter"}
        self.assert_empties(caption, emptied=emptied)
        self.assertContains(self.client.get(self.urls()["article"]), "改过的图片说明")
        self.assertContains(self.client.get(self.urls()["photos"]), "改过的图片说明")

    def test_renaming_a_contributor_empties_what_credits_them(self):
        """Their page, the article they wrote and the pages and lists naming them."""

        def rename():
            self.reporter.name = "王大记者"
            self.reporter.save()

        emptied = {"article", "page1", "issue", "list", "rss", "sitemap", "photos", "reporter"}
        self.assert_empties(rename, emptied=emptied)
        for name in ("article", "page1", "reporter", "list"):
            self.assertContains(self.client.get(self.urls()[name]), "王大记者")

    def test_a_page_scan_empties_its_page_and_issue(self):
        """A scan uploaded to a published page: the page and its issue show it, and so does the
        page navigator beside every other page of the issue (its thumbnail)."""

        def upload():
            self.page1.scan = image_upload("scan.png", size=(300, 400), fmt="PNG")
            self.page1.save()

        # The article on it names its page; the lists name the page too.
        emptied = {"article", "page1", "page2", "issue", "list", "rss", "sitemap", "photos"}
        emptied |= {"reporter"}
        self.assert_empties(upload, emptied=emptied)
        self.assertContains(self.client.get(self.urls()["page1"]), "page-scan")

    def test_publishing_an_issue_empties_its_paper_and_the_archive(self):
        """A new issue: the archive, the calendar, the previous issue's next link."""
        issue = IssueFactory(draft=True, publication=self.issue.publication)
        ArticleFactory(page=PageFactory(issue=issue), status=Status.READY, published_at=None)

        def publish():
            services.issue_publish(issue=issue, user=self.chief)

        self.assert_empties(
            publish,
            emptied={"page1", "page2", "issue", "other page", "other issue", "list", "rss"}
            | {"sitemap", "photos", "archive"},
        )

    def test_a_scheduled_article_appears_when_its_time_comes(self):
        """Published for later, it is on no cached page until then, and on them from then on."""
        later = timezone.now() + datetime.timedelta(hours=1)
        scheduled = ArticleFactory(page=self.page2, headline="定时发布的文章", published_at=later)
        self.change(lambda: Article.objects.filter(pk=scheduled.pk).update(status=Status.READY))
        self.change(
            lambda: services.articles_publish(articles=Article.objects.filter(pk=scheduled.pk))
        )
        list_url = self.urls()["list"]
        self.assertNotContains(self.client.get(list_url), "定时发布的文章")
        self.assertTrue(self.from_cache(list_url))
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertContains(self.client.get(list_url), "定时发布的文章")
            self.assertContains(self.client.get(self.urls()["page2"]), "定时发布的文章")


@override_settings(READER_CACHE_SECONDS=0, READER_FRAGMENT_SECONDS=60)
class FragmentTests(CacheTestCase):
    """With whole pages rendered every time, their cached fragments follow changes too."""

    @classmethod
    def setUpTestData(cls):
        cls.issue = IssueFactory()
        cls.page1 = PageFactory(issue=cls.issue, number=1, name="要闻")
        cls.page2 = PageFactory(issue=cls.issue, number=2, name="经济")
        cls.article = ArticleFactory(page=cls.page1, headline="原标题")
        cls.article2 = ArticleFactory(page=cls.page2, headline="二版文章")

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries.captured_queries)

    def get_reading_one_row(self, url: str, column: str, pk: int):
        """Get a list page, asserting that the only row it reads whole (the one query of
        its rows naming `column`) is the row `pk`: the other entries are kept."""
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        rows = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith('SELECT "articles_') and column in q["sql"]
        ]
        self.assertEqual(len(rows), 1)
        self.assertIn(f"IN ({pk})", rows[0])
        return response

    def test_a_correction_reaches_every_fragment_that_shows_the_article(self):
        """The article's body, its page's article list and its issue's headlines."""
        urls = [
            self.article.get_absolute_url(),
            self.page1.get_absolute_url(),
            self.issue.get_absolute_url(),
        ]
        for url in urls:
            self.client.get(url)

        def correct():
            Correction.objects.create(article=self.article, text="更正：日期有误")
            self.article.headline = "改正后的标题"
            self.article.save()

        self.change(correct)
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "改正后的标题")
                self.assertNotContains(response, "原标题")
        self.assertContains(self.client.get(urls[0]), "更正：日期有误")

    def test_a_list_entry_follows_its_article_and_leaves_the_others_kept(self):
        """Each entry of the article list is kept under its own article: a headline changed or
        a contributor renamed renders that entry anew, reading that article's row alone, and
        the entries are kept apart per language."""
        reporter = ContributorFactory(name="原名记者")
        BylineFactory(article=self.article, contributor=reporter)
        url = reverse("articles:article_list")
        self.assertContains(self.client.get(url), "原名记者")
        warm = self.queries(url)

        def retitle():
            self.article2.headline = "二版新标题"
            self.article2.save()

        self.change(retitle)
        response = self.get_reading_one_row(url, '"headline"', self.article2.pk)
        self.assertContains(response, "二版新标题")
        self.assertContains(response, "原名记者")
        self.assertEqual(self.queries(url), warm)

        def rename():
            reporter.name = "新名记者"
            reporter.save()

        self.change(rename)
        response = self.client.get(url)
        self.assertContains(response, "新名记者")
        self.assertNotContains(response, "原名记者")
        self.assertContains(response, "记者")
        self.client.cookies["django_language"] = "en"
        response = self.client.get(url)
        self.assertContains(response, "Reporter")
        self.assertNotContains(response, '<span class="role">记者')

    def test_the_rows_pages_are_about_follow_what_readers_may_see(self):
        """The issue, page and article a page is about are kept with its fragments: they go
        when their issue is taken off the site or the article withdrawn, come back with it,
        and the home page turns to a scheduled issue when its time comes."""
        urls = {
            "issue": self.issue.get_absolute_url(),
            "page": self.page1.get_absolute_url(),
            "article": self.article.get_absolute_url(),
        }
        for url in [*urls.values(), reverse("articles:home")]:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.change(lambda: services.issue_unpublish(issue=self.issue))
        self.assertEqual(self.client.get(urls["issue"]).status_code, 404)
        self.assertEqual(self.client.get(urls["page"]).status_code, 404)
        self.assertIn(self.client.get(urls["article"]).status_code, {404, 410})
        self.assertContains(self.client.get(reverse("articles:home")), "尚未发布任何一期")
        self.change(lambda: services.issue_publish(issue=self.issue))
        for url in urls.values():
            self.assertEqual(self.client.get(url).status_code, 200, url)
        withdrawn = Article.objects.filter(pk=self.article.pk)
        self.change(lambda: services.articles_unpublish(articles=withdrawn))
        self.assertEqual(self.client.get(urls["article"]).status_code, 410)
        self.assertEqual(self.client.get(urls["page"]).status_code, 200)

        later = timezone.now() + datetime.timedelta(hours=1)
        scheduled = IssueFactory(
            publication=self.issue.publication,
            date=self.issue.date + datetime.timedelta(days=1),
            draft=True,
        )
        scheduled.published_at = later
        self.change(lambda: services.issue_publish(issue=scheduled))
        home = reverse("articles:home")
        self.assertContains(self.client.get(home), self.issue.get_absolute_url())
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertContains(self.client.get(home), scheduled.get_absolute_url())

    def test_a_gallery_entry_follows_its_photo_caption_and_credits(self):
        """Each photo of the gallery is kept under its own topic: a caption changed or its
        photographer renamed renders that photo's entry anew."""
        photographer = ContributorFactory(name="摄影原名")
        photo = PhotoFactory(article=self.article, caption="原图说")
        PhotoFactory(article=self.article2, caption="另一张图")
        BylineFactory(photo=photo, contributor=photographer, role="photographer")
        url = reverse("articles:photos")
        self.assertContains(self.client.get(url), "原图说")

        def recaption():
            photo.caption = "新图说"
            photo.save()

        self.change(recaption)
        response = self.get_reading_one_row(url, '"caption"', photo.pk)
        self.assertContains(response, "新图说")
        self.assertContains(response, "另一张图")

        def rename():
            photographer.name = "摄影新名"
            photographer.save()

        self.change(rename)
        response = self.client.get(url)
        self.assertContains(response, "摄影新名")
        self.assertNotContains(response, "摄影原名")

    def test_kept_list_pages_follow_what_they_list(self):
        """Each list page's count and ids are kept under its query string and the topics of
        what it lists: an article, an issue or a photo that comes out or goes is listed at
        once, a filtered list keeps a page of its own, and a kept page reads nothing."""
        code = self.issue.publication.code
        cases = {
            "articles": reverse("articles:article_list"),
            "archive": reverse("articles:archive"),
            "photos": reverse("articles:photos"),
        }
        PhotoFactory(article=self.article, caption="旧图说")
        for url in cases.values():
            self.client.get(url)
            self.assertEqual(self.queries(url), 0, url)
        filtered = f"{cases['articles']}?publication={code}"
        self.assertContains(self.client.get(filtered), "原标题")

        later_issue = IssueFactory(
            publication=self.issue.publication,
            date=self.issue.date + datetime.timedelta(days=1),
            draft=True,
        )
        page = PageFactory(issue=later_issue, number=1)
        article = ArticleFactory(page=page, headline="新一期头条")
        PhotoFactory(article=article, caption="新一期图说")
        # Nothing readers can see yet: every page keeps its copy.
        for url in cases.values():
            self.assertEqual(self.queries(url), 0, url)
        self.change(lambda: services.issue_publish(issue=later_issue))
        self.assertContains(self.client.get(cases["articles"]), "新一期头条")
        self.assertContains(self.client.get(filtered), "新一期头条")
        self.assertContains(self.client.get(cases["photos"]), "新一期图说")
        self.assertContains(self.client.get(cases["archive"]), later_issue.get_absolute_url())

        self.change(lambda: services.issue_unpublish(issue=later_issue))
        for name, text in [
            ("articles", "新一期头条"),
            ("photos", "新一期图说"),
            ("archive", later_issue.get_absolute_url()),
        ]:
            with self.subTest(name):
                self.assertNotContains(self.client.get(cases[name]), text)
        self.assertNotContains(self.client.get(filtered), "新一期头条")

    def test_feed_items_follow_their_articles_and_credits(self):
        """A feed's items are kept under what it lists: a headline changed, an article
        withdrawn and a contributor renamed reach the site's feed and the contributor's."""
        reporter = ContributorFactory(name="原名记者")
        BylineFactory(article=self.article, contributor=reporter)
        urls = [
            reverse("articles:feed_rss"),
            reverse("articles:contributor_rss", args=[reporter.pk]),
        ]
        for url in urls:
            self.assertContains(self.client.get(url), "原标题")
            self.assertEqual(self.queries(url), 1 if "contributors" in url else 0, url)

        def change():
            self.article.headline = "新标题"
            self.article.save()
            reporter.name = "新名记者"
            reporter.save()

        self.change(change)
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "新标题")
                self.assertContains(response, "新名记者")
                self.assertNotContains(response, "原名记者")
        withdrawn = Article.objects.filter(pk=self.article.pk)
        self.change(lambda: services.articles_unpublish(articles=withdrawn))
        self.assertNotContains(self.client.get(urls[0]), "新标题")

    def test_sitemaps_follow_what_is_out(self):
        """A sitemap's entries, its count and its latest change are kept until what is out
        changes: an article withdrawn leaves the articles' sitemap, and the index dates the
        sitemap by its latest article."""
        articles = reverse("sitemap_section", args=["articles"])
        index = reverse("sitemap")
        for url in (articles, index):
            self.assertContains(self.client.get(url), "<loc>")
            self.assertEqual(self.queries(url), 0, url)
        # Every spelling of a page number is kept once.
        self.assertEqual(self.queries(f"{articles}?p=01"), 0)
        withdrawn = Article.objects.filter(pk=self.article.pk)
        self.change(lambda: services.articles_unpublish(articles=withdrawn))
        response = self.client.get(articles)
        self.assertNotContains(response, self.article.get_absolute_url())
        self.assertContains(response, self.article2.get_absolute_url())
        self.article2.refresh_from_db()
        latest = self.article2.updated_at
        self.assertEqual(self.queries(articles), 0)
        self.assertEqual(self.client.get(articles)["Last-Modified"], http_date(latest.timestamp()))
        stamp = dateformat.format(timezone.localtime(latest), "c")
        entry = f"<loc>http://testserver{articles}</loc><lastmod>{stamp}</lastmod>"
        self.assertContains(self.client.get(index), entry)

    def test_search_results_are_kept_until_what_they_search_changes(self):
        """What a query finds is kept under its query string: asked again it reads nothing
        (no filters to check); a headline changed or an article withdrawn is found (or not)
        at once, and each page and filter of a query is kept apart."""
        url = reverse("articles:search")
        self.assertContains(self.client.get(url, {"q": "原标题"}), "找到 1 篇稿件")
        self.assertEqual(self.queries(f"{url}?q=原标题"), 0)
        code = self.issue.publication.code
        filtered = {"q": "原标题", "publication": code}
        self.assertContains(self.client.get(url, filtered), "找到 1 篇稿件")
        self.assertContains(
            self.client.get(
                url, {"q": "原标题", "date_from": "2001-01-01", "date_to": "2001-01-02"}
            ),
            "找到 0 篇稿件",
        )

        def retitle():
            self.article.headline = "改后标题"
            self.article.save()

        self.change(retitle)
        self.assertNotContains(self.client.get(url, {"q": "原标题"}), "找到 1 篇稿件")
        self.assertContains(self.client.get(url, {"q": "改后"}), "<mark>改后</mark>标题")
        self.assertContains(self.client.get(url, filtered), "找到 0 篇稿件")
        withdrawn = Article.objects.filter(pk=self.article.pk)
        self.change(lambda: services.articles_unpublish(articles=withdrawn))
        self.assertContains(self.client.get(url, {"q": "改后"}), "找到 0 篇稿件")

    def test_search_results_follow_the_index_a_rename_rebuilds_later(self):
        """A renamed contributor's credits are indexed again by a task, after the rename's
        topics have moved: a search made in between (nothing found under the new name) is
        found again once the task has run, and a rebuilt index empties every reader page."""
        reporter = ContributorFactory(name="旧名记者")
        BylineFactory(article=self.article, contributor=reporter)
        url = reverse("articles:search")
        queued = []

        def rename():
            reporter.name = "新名记者"
            reporter.save()

        task = tasks.index_credited
        with mock.patch("articles.tasks.index_credited") as queue:
            queue.enqueue.side_effect = queued.append
            self.change(rename)
        self.assertContains(self.client.get(url, {"q": "新名记者"}), "找到 0 篇稿件")
        self.assertEqual(queued, [reporter.pk])
        self.change(lambda: task.call(reporter.pk))
        self.assertContains(self.client.get(url, {"q": "新名记者"}), "找到 1 篇稿件")

        epoch = caches["generation"].get(GENERATION_PREFIX + EPOCH)
        self.change(lambda: call_command("rebuild_search_index", verbosity=0))
        self.assertNotEqual(caches["generation"].get(GENERATION_PREFIX + EPOCH), epoch)

    def test_the_news_sitemap_follows_the_clock(self):
        """The news sitemap lists the last two days: it is never kept, as its window moves
        with no change to any article."""
        news = reverse("sitemap_news")
        self.assertContains(self.client.get(news), self.article.get_absolute_url())
        later = timezone.now() + datetime.timedelta(days=3)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertNotContains(self.client.get(news), self.article.get_absolute_url())

    def test_a_contributor_page_appears_and_goes_with_their_credits(self):
        """Whether a contributor has a page is kept with their credits: it appears when their
        first credit is published, and goes when it is withdrawn; their credits follow."""
        newcomer = ContributorFactory(name="新来的记者")
        article = ArticleFactory(
            page=self.page2, headline="首篇稿件", status=Status.READY, published_at=None
        )
        BylineFactory(article=article, contributor=newcomer)
        url = newcomer.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 404)
        published = Article.objects.filter(pk=article.pk)
        self.change(lambda: services.articles_publish(articles=published))
        self.assertContains(self.client.get(url), "首篇稿件")
        warm = self.queries(url)
        self.assertLessEqual(warm, 1)  # the contributor's row; their credits are kept

        def retitle():
            article.refresh_from_db()
            article.headline = "改过的首篇"
            article.save()

        self.change(retitle)
        self.assertContains(self.client.get(url), "改过的首篇")
        self.change(lambda: services.articles_unpublish(articles=published))
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_search_filters_are_shared_by_queries_and_keep_their_values(self):
        """The search form's filter fields are one fragment for every query with the same
        filters, and each set of filters shows its own values."""
        code = self.issue.publication.code
        url = reverse("articles:search")
        selected = f'<option value="{code}" selected>'
        self.assertContains(self.client.get(url, {"q": "原标题", "publication": code}), selected)
        self.assertContains(self.client.get(url, {"q": "二版", "publication": code}), selected)
        self.assertContains(self.client.get(url, {"q": "二版"}), f'<option value="{code}">')

    def test_a_page_renamed_reaches_the_page_list_of_every_page(self):
        """The page list beside each page of the issue names the page anew; the article body
        on the other page keeps its cached fragment."""
        page2, article2 = self.page2.get_absolute_url(), self.article2.get_absolute_url()
        self.client.get(page2)
        self.client.get(article2)
        warm_article = self.queries(article2)

        def rename():
            self.page1.name = "头版"
            self.page1.save()

        self.change(rename)
        self.assertContains(self.client.get(page2), "头版")
        self.assertEqual(self.queries(article2), warm_article)

    def test_the_page_name_choice_follows_a_rename_and_costs_no_query_when_warm(self):
        """The article list's 版名 choice lists the names in use; read once, then kept until a
        page readers see changes."""
        url = reverse("articles:article_list") + "?page_name=经济"
        self.assertEqual(self.client.get(url).status_code, 200)
        with CaptureQueriesContext(connection) as warm:
            self.assertContains(self.client.get(url), "二版文章")
        self.assertFalse(
            [q for q in warm.captured_queries if "DISTINCT" in q["sql"] and '"name"' in q["sql"]]
        )

        def rename():
            self.page2.name = "财经"
            self.page2.save()

        self.change(rename)
        self.assertContains(self.client.get(url), "已出版各期中没有这个版名")
        renamed = self.client.get(reverse("articles:article_list") + "?page_name=财经")
        self.assertContains(renamed, "二版文章")

    def test_a_scheduled_issue_reaches_the_fragments_when_its_time_comes(self):
        """With whole pages not kept, the fragments (the 版名 choice here) still follow a
        publish time that comes with no save."""
        later = timezone.now() + datetime.timedelta(hours=1)
        scheduled = IssueFactory(date=self.issue.date + datetime.timedelta(days=1))
        scheduled.published_at = later
        scheduled.save()
        PageFactory(issue=scheduled, number=1, name="定时版")
        url = reverse("articles:article_list") + "?page_name=定时版"
        self.assertContains(self.client.get(url), "已出版各期中没有这个版名")
        with mock.patch("django.utils.timezone.now", return_value=later):
            response = self.client.get(url)
        self.assertNotContains(response, "已出版各期中没有这个版名")

    def test_a_paper_appears_in_the_publication_choice_when_its_first_issue_is_out(self):
        """The filter forms' choice of papers is kept, and follows an issue going out."""
        url = reverse("articles:article_list") + "?publication=evening"
        self.assertContains(self.client.get(url), "选择一个有效的选项")
        # Warm, the choice is a lookup by id: the papers' visibility rule is not asked again.
        with CaptureQueriesContext(connection) as warm:
            self.client.get(
                reverse("articles:article_list") + f"?publication={self.issue.publication.code}"
            )
        self.assertFalse(
            [
                q["sql"]
                for q in warm.captured_queries
                if 'FROM "articles_publication"' in q["sql"] and "EXISTS" in q["sql"]
            ]
        )
        issue = IssueFactory(draft=True, publication=PublicationFactory(code="evening"))
        ArticleFactory(
            page=PageFactory(issue=issue),
            headline="晚报头条",
            status=Status.READY,
            published_at=None,
        )
        self.assertContains(self.client.get(url), "选择一个有效的选项")
        self.change(lambda: services.issue_publish(issue=issue, user=None))
        response = self.client.get(url)
        self.assertNotContains(response, "选择一个有效的选项")
        self.assertContains(response, "晚报头条")


@override_settings(READER_CACHE_SECONDS=0, READER_FRAGMENT_SECONDS=60)
class EmptySiteTests(CacheTestCase):
    """A new site, before any issue is out, with fragments cached as in production."""

    def test_every_list_page_answers_before_any_issue_is_out(self):
        """The masthead names no paper (it used to fail on the missing one: a 500 on the
        home page of every new installation)."""
        for name in ("home", "article_list", "photos", "archive", "search"):
            with self.subTest(name):
                for _ in range(2):  # rendering the fragments, then reading them
                    response = self.client.get(reverse(f"articles:{name}"), {"q": "新闻"})
                    self.assertEqual(response.status_code, 200)
        self.assertContains(self.client.get(reverse("articles:home")), "尚未发布任何一期")
