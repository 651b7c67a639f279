"""The reader's site in real Chromium (Debian's package, driven by Playwright; nothing downloads
a browser): hotspots, calendar and filters at desktop and phone widths, and axe-core checks.

Screenshots land in test-artifacts/ at the project root.
"""

from __future__ import annotations

import os
import shutil
import unittest
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.test import override_settings, tag
from django.urls import re_path, reverse
from django.views.static import serve

from articles.admin_import import correction_context
from articles.models import Article, Contributor, Photo
from articles.pageparser import assemble, decode_page, label_lines, split_lines
from articles.roles import ROLES
from newsroom import urls as project_urls

from .factories import IssueFactory, PageFactory

CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# The live server serves static files itself; media (scans, photos) needs a route in tests,
# since production leaves media to the web server or object storage.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *project_urls.urlpatterns,
]


@tag("browser")
@override_settings(ROOT_URLCONF=__name__)
class ChromiumTestCase(StaticLiveServerTestCase):
    """A live server and Debian's Chromium, for every browser test of the project."""

    # Naming the apps lets the flush between tests TRUNCATE ... CASCADE, which PostgreSQL needs
    # for the search index table that references articles but is not a Django model.
    available_apps = [config.name for config in apps.get_app_configs()]

    @classmethod
    def setUpClass(cls):
        if CHROMIUM is None:
            # CI installs chromium and sets this, so there a missing browser fails loudly.
            if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
                raise RuntimeError("NEWSROOM_REQUIRE_BROWSER is set but chromium is missing")
            raise unittest.SkipTest("Debian's chromium is not installed (apt-get install chromium)")
        # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
        # test itself are still plain synchronous calls.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        ARTIFACTS.mkdir(exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def new_page(self, viewport: dict, *, timeout: float = 10_000):
        """A page in a fresh context (its own cookies), closed after the test."""
        context = self.browser.new_context(viewport=viewport, locale="zh-CN")
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(timeout)
        return page

    def log_in_staff(self, page, username: str, *roles: str):
        """A staff member in these role groups, logged in on `page`; the user.

        The groups come from a data migration, which the flush after each test empties: they
        are made again here as migration 0005 makes them.
        """
        password = "a-long-test-password"
        user = get_user_model().objects.create_user(username, password=password, is_staff=True)
        for name in roles:
            group, _created = Group.objects.get_or_create(name=name)
            group.permissions.set(
                Permission.objects.filter(
                    content_type__app_label="articles", codename__in=ROLES[name]
                )
            )
            user.groups.add(group)
        page.goto(self.live_server_url + reverse("admin:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("input[type=submit]").click()
        page.wait_for_url("**/admin/")
        return user


class BrowserTests(ChromiumTestCase):
    def setUp(self):
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit

    def open(self, viewport: str):
        return self.new_page(VIEWPORTS[viewport])

    def url(self, path: str) -> str:
        return self.live_server_url + path

    def test_hotspot_leads_to_the_article(self):
        """From the home page to a page scan; clicking an article's region opens the article."""
        for viewport in VIEWPORTS:
            with self.subTest(viewport=viewport):
                page = self.open(viewport)
                page.goto(self.url("/"))
                page.get_by_role("link", name="01版：要闻").first.click()
                page.wait_for_selector("svg.hotspots")
                page.screenshot(path=ARTIFACTS / f"epaper-{viewport}.png", full_page=True)
                hotspot = page.locator("a.hotspot").first
                target = hotspot.get_attribute("href")
                box = hotspot.bounding_box()
                self.assertGreater(box["width"], 50)
                # The region scales with the displayed scan, on a phone too.
                self.assertLessEqual(box["width"], VIEWPORTS[viewport]["width"])
                hotspot.click()
                page.wait_for_url(self.url(target))
                article = Article.objects.get(pk=int(target.strip("/").split("/")[-1]))
                self.assertEqual(page.locator("h1").inner_text(), article.headline)
                page.screenshot(path=ARTIFACTS / f"article-{viewport}.png", full_page=True)

    def test_calendar_leads_to_an_issue(self):
        """The calendar of past issues links the days that have an issue."""
        for viewport in VIEWPORTS:
            with self.subTest(viewport=viewport):
                page = self.open(viewport)
                page.goto(self.url(reverse("articles:calendar", args=["qinghe", 2026, 3])))
                page.screenshot(path=ARTIFACTS / f"calendar-{viewport}.png", full_page=True)
                page.locator("table.calendar a", has_text="2").first.click()
                page.wait_for_url(self.url("/qinghe/2026-03-02/"))
                self.assertIn("2026", page.locator(".issue-meta").inner_text())

    def test_filtering_the_article_list(self):
        """Typing in the headline filter and submitting narrows the list."""
        for viewport in VIEWPORTS:
            with self.subTest(viewport=viewport):
                page = self.open(viewport)
                page.goto(self.url(reverse("articles:article_list")))
                page.fill("#id_headline", "大桥")
                page.get_by_role("button", name="筛选").click()
                page.wait_for_url("**/articles/?*headline=*")
                headlines = page.locator(".result-list h2").all_inner_texts()
                self.assertEqual(headlines, ["清河大桥主体结构顺利合龙"])
                page.screenshot(path=ARTIFACTS / f"list-{viewport}.png", full_page=True)

    def test_no_serious_accessibility_violations(self):
        """axe-core finds no serious or critical violation on any kind of reader page."""
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        article = Article.objects.visible().exclude(page=None).first()
        contributor = Contributor.objects.visible().first()
        paths = [
            "/",
            "/qinghe/2026-03-02/1/",
            article.get_absolute_url(),
            reverse("articles:article_list"),
            contributor.get_absolute_url(),
            reverse("articles:calendar", args=["qinghe", 2026, 3]),
            "/qinghe/",
            "/qinghe/2026-03-02/",
            reverse("articles:archive"),
            reverse("articles:photos"),
            reverse("articles:search") + "?q=大桥",
            reverse("articles:search") + "?q=马拉送",
        ]
        page = self.open("desktop")
        for path in paths:
            with self.subTest(path=path):
                page.goto(self.url(path))
                violations = axe.run(page).response["violations"]
                serious = [
                    f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
                    for v in violations
                    if v["impact"] in {"serious", "critical"}
                ]
                self.assertEqual(serious, [])

    def test_editor_draws_a_region_in_the_admin(self):
        """An editor drags a rectangle on the page scan; the saved region is in scan pixels."""
        get_user_model().objects.create_superuser("desk", password="a-long-test-password")
        article = Article.objects.filter(page__number=1, position=1).first()
        page = self.open("desktop")
        page.goto(self.url(reverse("admin:login")))
        page.fill("#id_username", "desk")
        page.fill("#id_password", "a-long-test-password")
        page.locator("input[type=submit]").click()
        page.goto(self.url(reverse("admin:articles_article_change", args=[article.pk])))
        stage = page.locator(".region-editor .region-stage")
        stage.scroll_into_view_if_needed()
        box = stage.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.4, steps=5)
        page.mouse.up()
        page.screenshot(path=ARTIFACTS / "admin-region-editor.png", full_page=True)
        page.locator("input[name=_continue]").first.click()
        page.wait_for_selector(".messagelist .success")
        article.refresh_from_db()
        (left, top), _, (right, bottom), _ = article.region
        scan = article.page
        # Drawn on the displayed rendition, stored in the scan's own pixels (±2 for rounding).
        self.assertAlmostEqual(left, scan.scan_width * 0.1, delta=2)
        self.assertAlmostEqual(right, scan.scan_width * 0.5, delta=2)
        self.assertAlmostEqual(top, scan.scan_height * 0.2, delta=2)
        self.assertAlmostEqual(bottom, scan.scan_height * 0.4, delta=2)

    def test_editor_corrects_an_import_before_it_is_stored(self):
        """An editor pastes a page, changes a line's role, joins two articles and imports:
        exactly the corrected articles are stored."""
        get_user_model().objects.create_superuser("desk", password="a-long-test-password")
        target = PageFactory(issue=IssueFactory(draft=True), number=9, name="城事")
        page = self.open("desktop")
        page.goto(self.url(reverse("admin:login")))
        page.fill("#id_username", "desk")
        page.fill("#id_password", "a-long-test-password")
        page.locator("input[type=submit]").click()
        page.goto(self.url(reverse("admin:articles_page_import_text", args=[target.pk])))
        page.fill("textarea[name=text]", IMPORT_TEXT)
        page.locator("input[name=preview]").click()
        page.wait_for_selector("#import-result .parsed-article")
        result = page.locator("#import-result")
        self.assertEqual(result.locator(".parsed-article").count(), 3)
        self.assertEqual(result.locator(".parsed-photo").count(), 1)
        # The caption is page furniture after all: the photo goes at once, without a reload.
        caption = page.locator("tr.import-line", has_text="游客在滨江夜市选购")
        caption.locator("select").select_option("furniture")
        credit = page.locator("tr.import-line", has_text="聂 文 摄")
        credit.locator("select").select_option("furniture")
        self.assertEqual(result.locator(".parsed-photo").count(), 0)
        # The second and third articles are one: join them.
        second = result.locator(".parsed-article").nth(1)
        second.locator("button.join-next").click()
        self.assertEqual(result.locator(".parsed-article").count(), 2)
        self.assertIn("菜市场里的“公平秤”", result.locator(".parsed-article").nth(1).inner_text())
        page.screenshot(path=ARTIFACTS / "admin-import-correction.png", full_page=True)
        page.locator("input[name=confirm]").click()
        page.wait_for_selector(".messagelist .success")
        articles = list(target.articles.order_by("position"))
        self.assertEqual(
            [article.headline for article in articles],
            ["地铁三号线开通试运营", "夜市经济点亮城市烟火气"],
        )
        self.assertIn("菜市场里的“公平秤”", articles[1].body)
        self.assertIn("缺斤短两", articles[1].body)
        self.assertFalse(Photo.objects.filter(page=target).exists())

    def test_the_browser_assembles_what_the_server_assembles(self):
        """On every page of the corpus, the preview's script builds the same document from the
        parser's roles as the server's assembly does."""
        get_user_model().objects.create_superuser("desk", password="a-long-test-password")
        target = PageFactory(issue=IssueFactory(draft=True), number=9)
        page = self.open("desktop")
        page.goto(self.url(reverse("admin:login")))
        page.fill("#id_username", "desk")
        page.fill("#id_password", "a-long-test-password")
        page.locator("input[type=submit]").click()
        page.goto(self.url(reverse("admin:articles_page_import_text", args=[target.pk])))
        page.fill("textarea[name=text]", IMPORT_TEXT)
        page.locator("input[name=preview]").click()
        page.wait_for_selector("#import-result .parsed-article")
        for path in sorted((Path(__file__).parent / "pages").rglob("*.txt")):
            with self.subTest(page=path.name):
                labelled = label_lines(split_lines(decode_page(path.read_bytes())))
                data = correction_context(labelled)["correction_data"]
                roles = [item.role.value for item in labelled]
                built = page.evaluate(
                    "([lines, roles]) => window.newsroomImportCorrection.assemble(lines, roles)",
                    [data["lines"], roles],
                )
                self.assertEqual(browser_document(built), assemble(labelled).as_dict())


IMPORT_TEXT = """地铁三号线开通试运营

本报讯（记者 牛嘉琪）6月28日上午，地铁三号线开通试运营。线路全长二十六公里。

夜市经济点亮城市烟火气

本报讯 入夏以来，滨江夜市人气持续走高，每晚客流超过两万人次。

菜市场里的“公平秤”

在城北农贸市场门口，一台“公平秤”前排起了小队。市场管理方介绍，缺斤短两的投诉明显减少。

9月12日，游客在滨江夜市选购特色小吃。

聂 文 摄
"""


def browser_document(built: dict) -> dict:
    """The script's document in FORMAT.md's shape, to compare with the server's."""

    def people(credits):
        return [{"name": name, "role": role} for name, role in credits]

    return {
        "credits": people(built["credits"]),
        "articles": [
            {
                "kicker": article["kicker"],
                "headline": article["headline"],
                "subheadline": article["subheadline"],
                "dateline": article["dateline"],
                "source": article["source"],
                "syndicated_from": article["syndicatedFrom"],
                "bylines": people(article["bylines"]),
                "crossheads": [text for kind, text in article["body"] if kind == "crosshead"],
                "paragraphs": [text for kind, text in article["body"] if kind == "paragraph"],
            }
            for article in built["articles"]
        ],
        "photos": [
            {
                "headline": photo["headline"],
                "caption": photo["caption"],
                "bylines": people(photo["bylines"]),
            }
            for photo in built["photos"]
        ],
    }
