"""The reader's e-paper: hotspots, lists, archive, feeds, sitemaps, metadata and valid HTML."""

import datetime
import json
import re
from unittest import mock

import feedparser
import html5lib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline

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

RECT = [[10, 10], [100, 10], [100, 80], [10, 80]]


class EpaperTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = PublicationFactory(code="morning", name="晨光报")
        cls.issue = IssueFactory(publication=cls.publication, date=datetime.date(2025, 3, 4))
        cls.page = PageFactory(
            issue=cls.issue, number=2, name="要闻", scan=image_upload(size=(200, 300))
        )
        cls.article = ArticleFactory(
            page=cls.page, position=1, headline="头条新闻", region=RECT, subheadline="副题"
        )
        cls.second = ArticleFactory(page=cls.page, position=2, headline="第二条")
        cls.reporter = BylineFactory(article=cls.article, contributor__name="林记者")
        PhotoFactory(article=cls.article)
        cls.draft = ArticleFactory(page=cls.page, position=3, headline="草稿", draft=True)
        cls.draft.region = RECT
        cls.draft.save()
        cls.hidden_issue = IssueFactory(
            publication=cls.publication, date=datetime.date(2025, 3, 5), draft=True
        )
        cls.hidden = ArticleFactory(page=PageFactory(issue=cls.hidden_issue), headline="未出版")


class HotspotTests(EpaperTestCase):
    def test_page_has_clickable_regions_in_scan_pixels(self):
        """Each visible article with a region is a link drawn in the scan's own coordinates."""
        response = self.client.get(self.page.get_absolute_url())
        html = response.content.decode()
        self.assertIn('viewBox="0 0 200 300"', html)
        self.assertIn(f'href="{self.article.get_absolute_url()}"', html)
        self.assertIn('points="10,10 100,10 100,80 10,80"', html)
        self.assertEqual(html.count("<polygon"), 1)  # the draft's region is not shown

    def test_page_without_scan_is_a_list(self):
        """A page with no scan still lists its articles, with no hotspot markup."""
        page = PageFactory(issue=self.issue, number=3)
        ArticleFactory(page=page, headline="无图版面稿件")
        response = self.client.get(page.get_absolute_url())
        self.assertContains(response, "无图版面稿件")
        self.assertNotContains(response, "<svg")

    def test_region_outside_scan_is_refused(self):
        """A region reaching past the scan's edge is a validation error on the region field."""
        self.article.region = [[0, 0], [500, 0], [500, 50]]
        with self.assertRaises(ValidationError) as raised:
            self.article.full_clean()
        self.assertIn("region", raised.exception.message_dict)

    def test_region_needs_three_points(self):
        """Two points do not make a polygon."""
        self.article.region = [[0, 0], [5, 5]]
        with self.assertRaises(ValidationError) as raised:
            self.article.full_clean()
        self.assertIn("region", raised.exception.message_dict)

    def test_region_without_scan_is_refused(self):
        """Without a scan there is nothing to draw on."""
        article = ArticleFactory(region=None)
        article.region = RECT
        with self.assertRaises(ValidationError):
            article.full_clean()

    def test_admin_form_rejects_bad_region(self):
        """Through the admin: a region off the scan is a form error and nothing changes."""
        user = get_user_model().objects.create_superuser("desk", password="pw")
        self.client.force_login(user)
        url = reverse("admin:articles_article_change", args=[self.article.pk])
        form = self.client.get(url).context["adminform"].form
        data = {
            name: value
            for name, value in form.initial.items()
            if value is not None and name not in {"published_at", "region"}
        }
        published = timezone.localtime(self.article.published_at)
        data |= {
            "published_at_0": published.date().isoformat(),
            "published_at_1": published.strftime("%H:%M:%S"),
            "region": json.dumps([[0, 0], [900, 0], [900, 900]]),
            "seen_version": self.article.version,
        }
        for prefix in ("bylines", "photos", "corrections", "workflow_steps"):
            data |= {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("region", response.context["adminform"].form.errors)
        self.article.refresh_from_db()
        self.assertEqual(self.article.region, RECT)
        self.assertContains(response, "data-scan-url")


class ListsTests(EpaperTestCase):
    def test_article_list_filters(self):
        """The list narrows by headline, publication, page name, contributor and role."""
        url = reverse("articles:article_list")
        cases = [
            ({"headline": "头条"}, ["头条新闻"]),
            ({"publication": "morning", "page_name": "要闻"}, ["第二条", "头条新闻"]),
            ({"contributor": self.reporter.contributor_id}, ["头条新闻"]),
            ({"contributor": self.reporter.contributor_id, "role": "photographer"}, []),
            ({"role": "reporter"}, ["头条新闻"]),
            ({"date_from": "2999-01-01"}, []),
        ]
        for query, headlines in cases:
            with self.subTest(query=query):
                response = self.client.get(url, query)
                found = [a.headline for a in response.context["object_list"]]
                self.assertCountEqual(found, headlines)

    def test_headline_filter_finds_text_inside_words(self):
        """Headings containing the text: inside a longer word, in the kicker, punctuation and
        print spacing aside."""
        ArticleFactory(page=self.page, headline="中华人民共和国成立纪念", kicker="")
        ArticleFactory(page=self.page, headline="主标题", kicker="华人社团")
        ArticleFactory(page=self.page, headline="华 人", body="华人")
        url = reverse("articles:article_list")
        for text, expected in (
            ("华人", ["中华人民共和国成立纪念", "主标题", "华 人"]),
            ("“华人民”", ["中华人民共和国成立纪念"]),
            ("！？", None),  # nothing to look for: no narrowing
        ):
            with self.subTest(text=text):
                found = [
                    a.headline
                    for a in self.client.get(url, {"headline": text}).context["object_list"]
                ]
                if expected is None:
                    self.assertEqual(len(found), Article.objects.visible().count())
                else:
                    self.assertCountEqual(found, expected)

    def test_date_range_is_the_papers_days(self):
        """From and to are whole days in the paper's time zone, both included."""
        shanghai = timezone.get_current_timezone()
        late = ArticleFactory(
            page=self.page,
            published_at=datetime.datetime(2025, 6, 1, 23, 30, tzinfo=shanghai),
        )
        early = ArticleFactory(
            page=self.page,
            published_at=datetime.datetime(2025, 6, 2, 0, 10, tzinfo=shanghai),
        )
        url = reverse("articles:article_list")
        for query, expected in (
            ({"date_from": "2025-06-01", "date_to": "2025-06-01"}, [late]),
            ({"date_from": "2025-06-02", "date_to": "2025-06-02"}, [early]),
            ({"date_from": "2025-06-01", "date_to": "2025-06-02"}, [late, early]),
        ):
            with self.subTest(query=query):
                found = list(self.client.get(url, query).context["object_list"])
                self.assertCountEqual(found, expected)

    def test_pagination_keeps_filters(self):
        """Page links carry the filters along."""
        ArticleFactory.create_batch(21, page=self.page)
        response = self.client.get(reverse("articles:article_list"), {"publication": "morning"})
        self.assertContains(response, "?publication=morning&amp;page=2")

    def test_malformed_query_parameters(self):
        """Bad values give a message or an empty result, never an error page."""
        url = reverse("articles:article_list")
        for query in (
            {"date_from": "not-a-date"},
            {"publication": "nowhere"},
            {"contributor": "x"},
            {"role": "boss"},
            {"page": "abc"},
            {"page": "99999"},
        ):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(url, query).status_code, 200)
        # A NUL is no typing slip: refused before the view (articles/middleware.py).
        self.assertEqual(self.client.get(url, {"headline": "\x00"}).status_code, 400)
        for path in ("archive", "photos"):
            response = self.client.get(reverse(f"articles:{path}"), {"page": "-1", "date_to": "x"})
            self.assertEqual(response.status_code, 200)

    def test_archive_and_calendar(self):
        """The archive lists visible issues; the calendar links the days that have one."""
        archive = self.client.get(reverse("articles:archive"), {"publication": "morning"})
        self.assertEqual(list(archive.context["object_list"]), [self.issue])
        calendar = self.client.get(reverse("articles:calendar", args=["morning", 2025, 3]))
        self.assertContains(calendar, self.issue.get_absolute_url())
        self.assertNotContains(calendar, self.hidden_issue.get_absolute_url())
        latest = self.client.get(reverse("articles:calendar_latest", args=["morning"]))
        self.assertEqual(latest.context["month"], datetime.date(2025, 3, 1))
        for args in (["morning", 2025, 13], ["morning", 0, 1], ["nowhere", 2025, 3]):
            with self.subTest(args=args):
                response = self.client.get(reverse("articles:calendar", args=args))
                self.assertEqual(response.status_code, 404)

    def test_photo_gallery_shows_only_visible_photos(self):
        """The gallery shows captions of visible photos, not of drafts."""
        PhotoFactory(article=self.draft, caption="草稿图片说明")
        response = self.client.get(reverse("articles:photos"))
        self.assertEqual(len(response.context["object_list"]), 1)
        self.assertNotContains(response, "草稿图片说明")

    def test_article_neighbours_and_print_place(self):
        """An article says where it was printed and links to the next article on its page."""
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, self.second.get_absolute_url())
        self.assertContains(response, "第2版")
        self.assertEqual(response.context["content"].next_article, self.second)
        self.assertIsNone(response.context["content"].previous_article)

    def test_scheduled_article_appears_when_its_time_comes(self):
        """Visibility is decided per request, never frozen when the server started."""
        later = timezone.now() + datetime.timedelta(hours=1)
        scheduled = ArticleFactory(page=self.page, headline="定时发布", published_at=later)
        url = reverse("articles:article_list")
        self.assertNotContains(self.client.get(url), "定时发布")
        with mock.patch(
            "django.utils.timezone.now", return_value=later + datetime.timedelta(minutes=1)
        ):
            self.assertContains(self.client.get(url), "定时发布")
            self.assertEqual(self.client.get(scheduled.get_absolute_url()).status_code, 200)


class FeedsAndMetadataTests(EpaperTestCase):
    def test_feeds_parse_and_hide_drafts(self):
        """RSS and Atom feeds parse with feedparser and list only visible articles."""
        urls = [
            reverse("articles:feed_rss"),
            reverse("articles:feed_atom"),
            reverse("articles:publication_rss", args=["morning"]),
            reverse("articles:publication_atom", args=["morning"]),
            reverse("articles:contributor_rss", args=[self.reporter.contributor_id]),
            reverse("articles:contributor_atom", args=[self.reporter.contributor_id]),
        ]
        for url in urls:
            with self.subTest(url=url):
                feed = feedparser.parse(self.client.get(url).content)
                self.assertFalse(feed.bozo, feed.get("bozo_exception"))
                titles = [entry.title for entry in feed.entries]
                self.assertIn("头条新闻", titles)
                self.assertNotIn("草稿", titles)
                self.assertNotIn("未出版", titles)

    def test_feeds_of_unknown_things_are_404(self):
        """A feed for a publication or contributor readers cannot see does not exist."""
        unseen = ContributorFactory()
        BylineFactory(article=self.draft, contributor=unseen)
        for url in (
            reverse("articles:publication_rss", args=["nowhere"]),
            reverse("articles:contributor_rss", args=[unseen.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_sitemaps_list_only_visible_things(self):
        """The sitemap index and its sections name visible issues, pages and articles only."""
        index = self.client.get(reverse("sitemap")).content.decode()
        self.assertIn("sitemap-articles.xml", index)
        sections = "".join(
            self.client.get(reverse("sitemap_section", args=[name])).content.decode()
            for name in ("issues", "pages", "articles")
        )
        self.assertIn(self.article.get_absolute_url(), sections)
        self.assertIn(self.page.get_absolute_url(), sections)
        self.assertIn(self.issue.get_absolute_url(), sections)
        self.assertNotIn(self.draft.get_absolute_url(), sections)
        self.assertNotIn(self.hidden_issue.get_absolute_url(), sections)
        self.assertNotIn(self.hidden.get_absolute_url(), sections)

    def test_news_sitemap_has_last_two_days(self):
        """The news sitemap carries recent articles with publication name and title."""
        old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=5))
        news = self.client.get(reverse("sitemap_news")).content.decode()
        self.assertIn("<news:title>头条新闻</news:title>", news)
        self.assertIn("<news:name>晨光报</news:name>", news)
        self.assertNotIn(old.get_absolute_url(), news)
        self.assertNotIn("草稿", news)

    def test_json_ld_is_a_news_article_with_print_fields(self):
        """The article page carries schema.org NewsArticle JSON-LD with authors and print place."""
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = json.loads(match.group(1))
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "NewsArticle")
        for key in ("headline", "datePublished", "dateModified", "author", "image", "publisher"):
            self.assertIn(key, data)
        self.assertEqual(data["headline"], "头条新闻")
        self.assertEqual(data["author"][0]["@type"], "Person")
        self.assertEqual(data["author"][0]["name"], "林记者")
        self.assertTrue(data["author"][0]["url"].startswith("http"))
        self.assertEqual(data["printPage"], "2")
        self.assertEqual(data["printSection"], "要闻")
        self.assertEqual(data["printEdition"], "2025-03-04")
        self.assertIn('property="og:title" content="头条新闻"', html)

    def test_json_ld_cannot_be_broken_out_of(self):
        """A headline containing </script> stays inside the JSON-LD string."""
        article = ArticleFactory(headline="</script><script>alert(1)</script>")
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert(1)", html)

    def test_unchanged_page_answers_304(self):
        """A reader's cache revalidating an unchanged page gets 304 Not Modified."""
        for url in (self.article.get_absolute_url(), self.page.get_absolute_url()):
            with self.subTest(url=url):
                first = self.client.get(url)
                again = self.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
                self.assertEqual(again.status_code, 304)


class ValidHtmlTests(EpaperTestCase):
    def test_every_reader_page_is_valid_html(self):
        """Every reader page parses as HTML5 without a single parse error (html5lib, strict)."""
        BylineFactory(page=self.page, role=Byline.Role.PAGE_EDITOR)
        urls = [
            reverse("articles:home"),
            self.publication.get_absolute_url(),
            self.issue.get_absolute_url(),
            self.page.get_absolute_url(),
            self.article.get_absolute_url(),
            self.reporter.contributor.get_absolute_url(),
            reverse("articles:article_list"),
            reverse("articles:article_list") + "?date_from=bad",
            reverse("articles:archive"),
            reverse("articles:photos"),
            reverse("articles:calendar_latest", args=["morning"]),
            "/no-such-page/",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                parser = html5lib.HTMLParser(strict=True)
                parser.parse(response.content)
                self.assertEqual(parser.errors, [])


class LongListTests(TestCase):
    def test_a_long_list_shows_the_planners_estimate(self):
        """Past the threshold the count is the planner's, said to be about; an estimate short
        of the real count does not cut the last page."""
        ArticleFactory.create_batch(25)
        url = reverse("articles:article_list")
        with (
            mock.patch("articles.pagination.ESTIMATE_ABOVE", 10),
            mock.patch("articles.pagination.planner_estimate", return_value=21),
        ):
            response = self.client.get(url, {"page": 2}, headers={"accept-language": "en"})
        self.assertTrue(response.context["paginator"].estimated)
        self.assertContains(response, "About 21 articles")
        self.assertEqual(len(response.context["object_list"]), 5)

    def test_a_short_list_is_counted_exactly(self):
        """Below the threshold, and on SQLite, the count is exact."""
        ArticleFactory.create_batch(3)
        response = self.client.get(reverse("articles:article_list"))
        self.assertFalse(response.context["paginator"].estimated)
        self.assertEqual(response.context["paginator"].count, 3)
