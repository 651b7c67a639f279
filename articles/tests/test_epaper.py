"""The e-paper as a 数字报: page navigator, deep-zoom tiles, masthead, front page on the home
page, the way back from an article to its page, dates, and the article list's filters."""

import datetime
import io
import re
from unittest import mock

import html5lib
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import tiles
from articles.models import Page

from .factories import (
    ArticleFactory,
    BylineFactory,
    IssueFactory,
    PageFactory,
    PublicationFactory,
    image_upload,
)

RECT = [[10, 10], [100, 10], [100, 80], [10, 80]]


def tree(response):
    return html5lib.parse(response.content, namespaceHTMLElements=False)


class EpaperData(TestCase):
    """A published issue of two pages: the front page with a scan and two articles, one of
    them with a region; the second page without a scan."""

    @classmethod
    def setUpTestData(cls):
        cls.publication = PublicationFactory(code="evening", name="晚霞报")
        cls.issue = IssueFactory(publication=cls.publication, date=datetime.date(2026, 3, 3))
        cls.front = PageFactory(
            issue=cls.issue, number=1, name="要闻", scan=image_upload(size=(200, 300))
        )
        cls.second = PageFactory(issue=cls.issue, number=2, name="经济")
        cls.article = ArticleFactory(page=cls.front, headline="头版头条", region=RECT)
        cls.other = ArticleFactory(page=cls.front, headline="没有热区的稿件", position=2)


class NavigatorTests(EpaperData):
    def test_navigator_shows_every_page_with_its_thumbnail(self):
        """版面导航: every page of the issue in order, the current one marked, a thumbnail
        sized from the scan where the page has one."""
        response = self.client.get(self.second.get_absolute_url())
        navigator = tree(response).find(".//nav[@class='page-navigator']")
        links = navigator.findall(".//a")
        self.assertEqual(
            [link.get("href") for link in links],
            [self.front.get_absolute_url(), self.second.get_absolute_url()],
        )
        self.assertEqual([link.get("aria-current") for link in links], [None, "page"])
        thumbnail = links[0].find("img")
        self.assertEqual(thumbnail.get("src"), self.front.scan_thumbnail.url)
        self.assertEqual((thumbnail.get("width"), thumbnail.get("height")), ("200", "300"))
        self.assertIsNone(links[1].find("img"))  # no scan, no thumbnail

    def test_each_hotspot_has_its_entry_in_the_list(self):
        """The scan's regions and the list beside it name the same articles (data-article), so
        that pointing at one lights up the other."""
        html = self.client.get(self.front.get_absolute_url()).content.decode()
        regions = re.findall(r'class="hotspot" data-article="(\d+)"', html)
        entries = re.findall(r'<li data-article="(\d+)"', html)
        self.assertEqual(regions, [str(self.article.pk)])
        self.assertEqual(entries, [str(self.article.pk), str(self.other.pk)])
        self.assertIn("js/hotspots.js", html)


class TileTests(TestCase):
    """Deep-zoom tiles: a DZI pyramid made once per scan, after the scan is stored."""

    def test_pyramid_levels_and_tiles(self):
        """Levels halve down to one pixel; tiles are 256 pixels plus one of overlap inside."""
        self.assertEqual(tiles.levels(600, 300)[-1], (600, 300))
        self.assertEqual(tiles.levels(600, 300)[-2], (300, 150))
        self.assertEqual(tiles.levels(600, 300)[0], (1, 1))
        self.assertEqual(len(tiles.levels(600, 300)), 11)  # 2**10 >= 600
        boxes = {(column, row): box for column, row, box in tiles.tile_boxes(600, 300)}
        self.assertEqual(len(boxes), 3 * 2)
        self.assertEqual(boxes[0, 0], (0, 0, 257, 257))
        self.assertEqual(boxes[1, 1], (255, 255, 513, 300))
        self.assertEqual(boxes[2, 0], (511, 0, 600, 257))

    def test_a_new_scan_gets_its_tiles_once_stored(self):
        """Saving a scan queues the task after commit; it stores every tile and the .dzi in
        the media storage under the scan's name, marks the page, and is not done twice."""
        with (
            mock.patch("articles.tasks.make_page_tiles") as task,
            self.captureOnCommitCallbacks(execute=True),
        ):
            page = PageFactory(scan=image_upload(size=(600, 300)))
            task.enqueue.assert_not_called()  # not before the scan is surely stored
        task.enqueue.assert_called_once_with(page.pk)
        page.refresh_from_db()
        self.assertEqual(page.tiled_scan, "")
        with self.captureOnCommitCallbacks(execute=True):
            page.save()  # queued again, for real this time
        page.refresh_from_db()
        self.assertEqual(page.tiled_scan, page.scan.name)
        stem = tiles.stem(page.scan.name)
        with default_storage.open(f"tiles/{stem}.dzi") as dzi:
            text = dzi.read().decode()
        self.assertIn('Format="jpg" Overlap="1" TileSize="256"', text)
        self.assertIn('<Size Width="600" Height="300"/>', text)
        top = len(tiles.levels(600, 300)) - 1
        with (
            default_storage.open(tiles.tile_name(stem, top, 2, 1)) as tile,
            Image.open(tile) as image,
        ):
            self.assertEqual((image.format, image.size), ("JPEG", (89, 45)))
        for level in range(top + 1):
            self.assertTrue(default_storage.exists(tiles.tile_name(stem, level, 0, 0)))
        with mock.patch.object(tiles, "write_pyramid") as write:
            self.assertFalse(tiles.make_page_tiles(page.pk))
        write.assert_not_called()
        with (
            mock.patch("articles.tasks.make_page_tiles") as task,
            self.captureOnCommitCallbacks(execute=True),
        ):
            page.name = "改名"
            page.save()
        task.enqueue.assert_not_called()  # its tiles are made: nothing to queue

    def test_tiles_of_a_replaced_scan_do_not_mark_the_page(self):
        """A task that finishes after the scan was replaced leaves readiness to the new one."""
        page = PageFactory(scan=image_upload(size=(300, 300)))
        old = page.scan.name
        page.scan = image_upload(size=(320, 300))
        page.save()
        Page.objects.filter(pk=page.pk).update(tiled_scan="")
        original = tiles.write_pyramid

        def replace_meanwhile(image, scan_name):
            Page.objects.filter(pk=page.pk).update(scan=old)
            return original(image, scan_name)

        with mock.patch.object(tiles, "write_pyramid", side_effect=replace_meanwhile):
            self.assertFalse(tiles.make_page_tiles(page.pk))
        self.assertEqual(Page.objects.get(pk=page.pk).tiled_scan, "")

    def test_a_storage_failure_on_the_way_is_tried_again(self):
        """The media storage failing once costs an attempt, not the viewer; failing every time
        leaves the plain scan, says so in the log, and raises nothing."""
        real = tiles._store
        calls = []

        def flaky(name, content):
            calls.append(name)
            if len(calls) == 1:
                raise OSError("storage unreachable")
            return real(name, content)

        with mock.patch.object(tiles, "_store", flaky), self.captureOnCommitCallbacks(execute=True):
            page = PageFactory(scan=image_upload(size=(300, 300)))
        page.refresh_from_db()
        self.assertEqual(page.tiled_scan, page.scan.name)
        with (
            mock.patch.object(tiles, "_store", side_effect=OSError("storage gone")) as store,
            self.assertLogs("articles.tasks", "WARNING") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            other = PageFactory(scan=image_upload(size=(300, 300)))
        self.assertEqual(store.call_count, 3)  # NEWSROOM_TASK_ATTEMPTS
        self.assertEqual(Page.objects.get(pk=other.pk).tiled_scan, "")
        self.assertIn("not made after 3 attempts", logs.output[-1])

    def test_viewer_only_with_tiles_of_the_current_scan(self):
        """The page offers the zoomable viewer (and its scripts) only once its scan's tiles
        exist; before, and without JavaScript, the plain scan with its hotspots."""
        page = PageFactory(scan=image_upload(size=(600, 300)))
        ArticleFactory(page=page, region=RECT)
        plain = self.client.get(page.get_absolute_url())
        self.assertNotContains(plain, "data-tiles")
        self.assertNotContains(plain, "openseadragon")
        tiles.make_page_tiles(page.pk)
        response = self.client.get(page.get_absolute_url())
        figure = tree(response).find(".//figure[@class='page-scan']")
        stem = tiles.stem(Page.objects.get(pk=page.pk).scan.name)
        self.assertEqual(
            figure.get("data-tiles"), f"/media/tiles/{stem}_files/{{level}}/{{x}}_{{y}}.jpg"
        )
        self.assertEqual((figure.get("data-width"), figure.get("data-height")), ("600", "300"))
        # The hotspots, for the viewer to carry and for readers without it.
        self.assertIsNotNone(figure.find(".//{http://www.w3.org/2000/svg}svg"))
        self.assertContains(response, "vendor/openseadragon/openseadragon.min.js")
        self.assertContains(response, "js/epaper-viewer.js")

    def test_signed_storage_addresses_go_through_the_site(self):
        """Where the storage signs each file's address, the viewer asks the site, which
        answers with a signed address, reading nothing from the database."""

        def signed(name):
            return f"https://bucket.example/{name}?X-Amz-Signature=abc"

        with mock.patch.object(default_storage, "url", side_effect=signed):
            template = tiles.tile_url_template("scans/0123abcd.jpg")
            self.assertEqual(template, "/tiles/0123abcd/{level}/{x}_{y}.jpg")
            with self.assertNumQueries(0):
                response = self.client.get("/tiles/0123abcd/11/2_3.jpg")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            response["Location"],
            "https://bucket.example/tiles/0123abcd_files/11/2_3.jpg?X-Amz-Signature=abc",
        )
        self.assertIn("max-age=600", response["Cache-Control"])
        self.assertEqual(self.client.get("/tiles/../etc/1/2_3.jpg").status_code, 404)

    def test_command_queues_pages_without_tiles(self):
        """`make_page_tiles` makes what is missing, e.g. for scans from before the viewer."""
        page = PageFactory(scan=image_upload(size=(300, 300)))
        PageFactory()  # no scan
        out = io.StringIO()
        call_command("make_page_tiles", stdout=out)
        self.assertEqual(Page.objects.get(pk=page.pk).tiled_scan, page.scan.name)
        call_command("make_page_tiles", stdout=out)
        self.assertIn("1", out.getvalue().splitlines()[0])
        self.assertIn("0", out.getvalue().splitlines()[1])


class MastheadTests(EpaperData):
    def site_name(self, url: str):
        return tree(self.client.get(url)).find(".//a[@class='site-name']")

    def test_masthead_names_the_paper(self):
        """Every reader page's masthead names the paper, not the software: a page of the
        paper's, and pages of no paper (lists, search) the paper of the latest issue."""
        for url in (
            reverse("articles:home"),
            self.front.get_absolute_url(),
            self.article.get_absolute_url(),
            reverse("articles:article_list"),
            reverse("articles:search") + "?q=头版",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.site_name(url).text, "晚霞报")

    def test_masthead_shows_the_logo_once_uploaded(self):
        """A logo replaces the name in type, the name staying as its text alternative; the
        change reaches pages already cached."""
        url = reverse("articles:article_list")
        with override_settings(READER_CACHE_SECONDS=60, READER_FRAGMENT_SECONDS=60):
            self.addCleanup(cache.clear)
            self.client.get(url)
            with self.captureOnCommitCallbacks(execute=True):
                self.publication.logo = image_upload("logo.png", size=(300, 60), fmt="PNG")
                self.publication.save()
            logo = self.site_name(url).find("img")
        self.assertEqual(logo.get("alt"), "晚霞报")
        self.assertTrue(logo.get("src").startswith("/media/logos/"))

    def test_pages_of_no_paper_follow_the_latest_issue(self):
        """When another paper's issue comes out later, the lists' masthead names that paper,
        cached fragments included."""
        url = reverse("articles:article_list")
        with override_settings(READER_FRAGMENT_SECONDS=60):
            self.addCleanup(cache.clear)
            self.assertEqual(self.site_name(url).text, "晚霞报")
            with self.captureOnCommitCallbacks(execute=True):
                IssueFactory(
                    publication=PublicationFactory(code="dawn", name="晨曦报"),
                    date=datetime.date(2026, 3, 4),
                )
            self.assertEqual(self.site_name(url).text, "晨曦报")


class HomePageTests(EpaperData):
    def test_home_is_the_latest_front_page(self):
        """The home page is the latest issue's front page: its scan with hotspots and its
        headlines, and the navigator of every page of the issue, the front page current."""
        response = self.client.get(reverse("articles:home"))
        html = tree(response)
        figure = html.find(".//figure[@class='page-scan']")
        self.assertEqual(figure.find(".//img").get("src"), self.front.scan_web.url)
        self.assertContains(response, f'href="{self.article.get_absolute_url()}" class="hotspot"')
        headlines = [h.find("a").text for h in html.findall(".//ol[@class='article-list']/li/h3")]
        self.assertEqual(headlines, ["头版头条", "没有热区的稿件"])
        navigator = html.find(".//nav[@class='page-navigator']")
        self.assertEqual([a.get("aria-current") for a in navigator.findall(".//a")], ["page", None])
        self.assertIsNone(html.find(".//div[@class='page-grid']"))

    def test_each_paper_opens_on_its_latest_front_page(self):
        """`/<code>/` is its paper's home page: the front page of its latest issue."""
        html = tree(self.client.get(self.publication.get_absolute_url()))
        figure = html.find(".//figure[@class='page-scan']")
        self.assertEqual(figure.find(".//img").get("src"), self.front.scan_web.url)
        self.assertIsNotNone(html.find(".//nav[@class='page-navigator']"))
        self.assertIsNone(html.find(".//div[@class='page-grid']"))

    def test_a_logo_loses_its_metadata(self):
        """A logo is stored as every upload is: re-encoded without EXIF, under a random name."""
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif[0x010F] = "某相机"  # camera maker
        Image.new("RGB", (120, 40), "red").save(buffer, "JPEG", exif=exif.tobytes())
        self.publication.logo = SimpleUploadedFile("报头.jpg", buffer.getvalue())
        self.publication.save()
        with self.publication.logo.open("rb") as stored, Image.open(stored) as image:
            self.assertEqual(dict(image.getexif()), {})
        self.assertRegex(self.publication.logo.name, r"^logos/[0-9a-f]{32}\.jpg$")


class ArticleBackToPageTests(EpaperData):
    def test_article_links_back_to_its_page_with_its_place_marked(self):
        """返回版面: a link to the article's page with the page's thumbnail and the article's
        region drawn on it, in the scan's pixels, scaled with the thumbnail."""
        html = tree(self.client.get(self.article.get_absolute_url()))
        link = html.find(".//a[@class='back-to-page']")
        self.assertEqual(link.get("href"), self.front.get_absolute_url())
        self.assertEqual(link.find(".//img").get("src"), self.front.scan_thumbnail.url)
        svg = link.find(".//{http://www.w3.org/2000/svg}svg")
        self.assertEqual(svg.get("viewBox"), "0 0 200 300")
        polygon = svg.find("{http://www.w3.org/2000/svg}polygon")
        self.assertEqual(polygon.get("points"), "10,10 100,10 100,80 10,80")
        self.assertIn("返回版面", "".join(link.itertext()))

    def test_without_region_or_scan_the_link_stays(self):
        """No region: the thumbnail alone; no scan: the words alone."""
        html = tree(self.client.get(self.other.get_absolute_url()))
        link = html.find(".//a[@class='back-to-page']")
        self.assertIsNotNone(link.find(".//img"))
        self.assertIsNone(link.find(".//{http://www.w3.org/2000/svg}svg"))
        article = ArticleFactory(page=self.second)
        link = tree(self.client.get(article.get_absolute_url())).find(".//a[@class='back-to-page']")
        self.assertEqual(link.get("href"), self.second.get_absolute_url())
        self.assertIsNone(link.find(".//img"))


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(response) -> str:
    """The text a reader sees: the body's, without scripts (JSON-LD) or attributes."""
    body = tree(response).find("body")
    for script in body.findall(".//script/.."):
        for child in script.findall("script"):
            script.remove(child)
    return " ".join(body.itertext())


class DateTests(EpaperData):
    def test_dates_read_as_chinese_dates_on_every_reader_page(self):
        """2026年3月3日 everywhere under zh-hans, search results included; never 2026-03-03."""
        urls = [
            reverse("articles:home"),
            self.issue.get_absolute_url(),
            self.front.get_absolute_url(),
            self.article.get_absolute_url(),
            reverse("articles:article_list"),
            reverse("articles:search") + "?q=头版头条",
            reverse("articles:archive"),
            reverse("articles:calendar_latest", args=["evening"]),
            reverse("articles:photos"),
        ]
        for url in urls:
            with self.subTest(url=url):
                text = visible_text(self.client.get(url))
                self.assertIsNone(ISO_DATE.search(text), text)
        search = visible_text(self.client.get(urls[5]))
        published = timezone.localdate(self.article.published_at)
        self.assertIn(f"{published.year}年{published.month}月{published.day}日", search)
        self.assertIn("2026年3月3日", visible_text(self.client.get(urls[4])))

    def test_english_dates_read_as_english(self):
        """Under en: March 3, 2026."""
        response = self.client.get(
            reverse("articles:article_list"), headers={"accept-language": "en"}
        )
        self.assertIn("March 3, 2026", visible_text(response))


class FilterTests(EpaperData):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reporter = BylineFactory(article=cls.article, contributor__name="王小明").contributor
        BylineFactory(article=cls.other, contributor__name="王大力")
        hidden_page = PageFactory(issue=IssueFactory(draft=True), name="未出版版名")
        cls.hidden = BylineFactory(
            article=ArticleFactory(page=hidden_page), contributor__name="王秘密"
        ).contributor

    def headlines(self, **query) -> list[str]:
        response = self.client.get(reverse("articles:article_list"), query)
        return sorted(article.headline for article in response.context["object_list"])

    def test_contributor_by_name(self):
        """The contributor filter takes a name as typed (older links' ids still work); a name
        nobody readers may see carries is the form's message, never a hint of hidden work."""
        self.assertEqual(self.headlines(contributor="王小明"), ["头版头条"])
        self.assertEqual(self.headlines(contributor=str(self.reporter.pk)), ["头版头条"])
        self.assertEqual(self.headlines(contributor="王小明", role="photographer"), [])
        for name in ("王秘密", "无此人", str(self.hidden.pk), "9" * 40):
            with self.subTest(name=name):
                response = self.client.get(reverse("articles:article_list"), {"contributor": name})
                self.assertEqual(list(response.context["object_list"]), [])
                self.assertIn("contributor", response.context["filter"].form.errors)
        unknown = self.client.get(reverse("articles:article_list"), {"contributor": "无此人"})
        self.assertContains(unknown, "已发表的作品中没有署名为此名的作者。")

    def test_contributor_page_links_to_the_list_by_name(self):
        """A contributor's page lists all their articles through the same filter."""
        response = self.client.get(self.reporter.get_absolute_url())
        self.assertContains(response, "?contributor=%E7%8E%8B%E5%B0%8F%E6%98%8E")

    def test_suggestions_of_names(self):
        """Names of visible contributors that begin with what was typed, one query, none for
        nothing typed or more than a name holds; the field says where to ask."""
        url = reverse("articles:contributor_names")
        with self.assertNumQueries(1):
            response = self.client.get(url, {"q": "王"})
        self.assertEqual(response.json(), {"names": ["王大力", "王小明"]})
        for typed in ("", "   ", "王" * 101):
            with self.subTest(typed=typed), self.assertNumQueries(0):
                self.assertEqual(self.client.get(url, {"q": typed}).json(), {"names": []})
        form = self.client.get(reverse("articles:article_list")).content.decode()
        self.assertIn(f'data-suggest-url="{url}"', form)
        self.assertIn("js/contributor-suggest.js", form)

    def test_suggestions_follow_a_rename(self):
        """Cached suggestions are emptied when a contributor is renamed."""
        url = reverse("articles:contributor_names")
        with override_settings(READER_CACHE_SECONDS=60):
            self.addCleanup(cache.clear)
            self.assertEqual(self.client.get(url, {"q": "王小"}).json()["names"], ["王小明"])
            with self.captureOnCommitCallbacks(execute=True):
                self.reporter.name = "王小亮"
                self.reporter.save()
            self.assertEqual(self.client.get(url, {"q": "王小"}).json()["names"], ["王小亮"])

    def test_page_name_is_a_choice_of_the_names_in_use(self):
        """版名: a choice of the names of visible pages only; another is the form's message."""
        response = self.client.get(reverse("articles:article_list"))
        field = tree(response).find(".//select[@name='page_name']")
        self.assertEqual([option.text for option in field], ["任意版面", "经济", "要闻"])
        self.assertEqual(self.headlines(page_name="要闻"), ["头版头条", "没有热区的稿件"])
        response = self.client.get(reverse("articles:article_list"), {"page_name": "未出版版名"})
        self.assertIn("page_name", response.context["filter"].form.errors)
