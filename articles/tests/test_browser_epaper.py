"""The e-paper in real Chromium (Debian's, through Playwright): scan and article list together
at 1280×800, deep zoom with the hotspots staying on their articles, the phone's stacked
layout, and axe-core on the e-paper's pages. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import io
import os

from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles.demo import SCAN_SIZE, article_regions
from articles.models import Article, Page

from .test_browser import ARTIFACTS, ChromiumTestCase

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The demo's scans draw each article's headline as a dark band, 50 pixels of the scan tall,
# along the top of its region, on light paper (articles/demo.py, draw_scan).
BAND = 50
DARK, LIGHT = 100, 200

# A polygon's box on screen from its geometry (the stroke aside), through the SVG's transform.
GEOMETRY = """polygon => {
  const matrix = polygon.getScreenCTM(), box = polygon.getBBox();
  const start = new DOMPoint(box.x, box.y).matrixTransform(matrix);
  const end = new DOMPoint(box.x + box.width, box.y + box.height).matrixTransform(matrix);
  return {x: start.x, y: start.y, width: end.x - start.x, height: end.y - start.y};
}"""

# Two animation frames alike: the viewer's zoom or pan has come to rest.
AT_REST = """selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  const now = [box.x, box.y, box.width, box.height].join();
  const rest = window.lastBox === now;
  window.lastBox = now;
  return rest;
}"""


class EpaperBrowserTests(ChromiumTestCase):
    def setUp(self):
        # The demo's pages get their tiles as the demo is committed (the immediate task engine).
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
        self.front = Page.objects.get(issue__date="2026-03-02", number=1)
        self.assertEqual(self.front.tiled_scan, self.front.scan.name)
        self.articles = list(Article.objects.visible().filter(page=self.front).order_by("position"))

    def open(self, viewport: dict, **options):
        """A fresh page, as ChromiumTestCase.new_page, with a phone's options when given;
        any script error on it fails the test."""
        context = self.browser.new_context(viewport=viewport, locale="zh-CN", **options)
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        self.addCleanup(lambda: self.assertEqual(errors, []))
        return page

    def url(self, path: str) -> str:
        return self.live_server_url + path

    def wait_at_rest(self, page, selector: str) -> None:
        page.wait_for_function(AT_REST, arg=selector)
        page.wait_for_load_state("networkidle")  # the tiles of the new view
        page.wait_for_function(AT_REST, arg=selector)

    def assert_hotspot_on_its_article(self, page, hotspot) -> dict:
        """The region's box, where the overlay draws it, is the box of the article's headline
        band as the viewer drew the scan's tiles: its left and top edges found in a
        screenshot lie within 3 pixels of the region's (the right one too when on screen)."""
        box = hotspot.locator("polygon").evaluate(GEOMETRY)
        viewer = page.locator(".scan-viewer").bounding_box()
        shot = Image.open(io.BytesIO(page.screenshot())).convert("L")
        (left, _top), _, (right, _bottom), _ = article_regions(len(self.articles))[0]
        scale = box["width"] / (right - left)
        inside = (max(box["x"], viewer["x"]) + 8, box["y"] + BAND * scale / 2)
        self.assertLess(shot.getpixel(tuple(map(round, inside))), DARK)

        def edge(dx: int, dy: int) -> float | None:
            """Walk from inside the band until paper shows; None at the viewer's edge."""
            x, y = inside
            while viewer["x"] < x < viewer["x"] + viewer["width"] and viewer["y"] < y:
                if shot.getpixel((round(x), round(y))) > LIGHT:
                    return x if dx else y
                x, y = x + dx, y + dy
            return None

        drawn = {"left": edge(-1, 0), "top": edge(0, -1), "right": edge(1, 0)}
        region = {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"]}
        self.assertIsNotNone(drawn["top"])
        for side, at in drawn.items():
            if at is not None:
                with self.subTest(side=side):
                    self.assertAlmostEqual(at, region[side], delta=3)
        return box

    def test_scan_and_list_side_by_side_and_zoom(self):
        """At 1280×800 the scan and its article list are both on screen, side by side; the
        list and the regions light each other up; zoomed in and panned, the first region
        stays on its article on the drawn tiles, and a click on it opens the article."""
        page = self.open(DESKTOP)
        page.goto(self.url(self.front.get_absolute_url()))
        page.wait_for_selector(".scan-viewer canvas")
        self.wait_at_rest(page, "a.hotspot")
        scan = page.locator(".page-scan").bounding_box()
        articles = page.locator(".page-articles").bounding_box()
        entry = page.locator(".article-list li").first.bounding_box()
        for box in (scan, entry):
            self.assertGreaterEqual(box["y"], 0)
            self.assertLessEqual(box["y"] + box["height"], DESKTOP["height"])
            self.assertLessEqual(box["x"] + box["width"], DESKTOP["width"])
        self.assertGreaterEqual(articles["x"], scan["x"] + scan["width"])  # beside, not under
        self.assertGreater(scan["height"], DESKTOP["height"] / 2)  # large
        self.assertEqual(page.locator(".page-navigator li").count(), 4)
        page.screenshot(path=ARTIFACTS / "epaper-desktop-1280x800.png")

        hotspot = page.locator("a.hotspot").first
        second = self.articles[1].pk
        page.locator(f'li[data-article="{second}"]').hover()
        lit = page.locator(f'a.hotspot[data-article="{second}"]').get_attribute("class")
        self.assertIn("is-active", lit)
        home = self.assert_hotspot_on_its_article(page, hotspot)
        self.assertAlmostEqual(home["width"] / scan["width"], 920 / SCAN_SIZE[0], delta=0.02)

        # Zoom in by the wheel near the start of the first article's headline, which stays
        # under the pointer.
        page.mouse.move(home["x"] + 10, home["y"] + 10)
        for _ in range(8):
            page.mouse.wheel(0, -120)
        self.wait_at_rest(page, "a.hotspot")
        zoomed = self.assert_hotspot_on_its_article(page, hotspot)
        self.assertGreater(zoomed["width"], 1.5 * home["width"])
        # The pointer is on the first region: its entry in the list is lit.
        first = page.locator(f'li[data-article="{self.articles[0].pk}"]')
        self.assertIn("is-active", first.get_attribute("class"))
        page.screenshot(path=ARTIFACTS / "epaper-zoomed.png")

        # Pan: drag the scan down and to the right; the region goes along.
        page.mouse.move(zoomed["x"] + 200, zoomed["y"] + 150)
        page.mouse.down()
        page.mouse.move(zoomed["x"] + 260, zoomed["y"] + 230, steps=8)
        page.mouse.up()
        self.wait_at_rest(page, "a.hotspot")
        panned = self.assert_hotspot_on_its_article(page, hotspot)
        self.assertNotEqual((panned["x"], panned["y"]), (zoomed["x"], zoomed["y"]))
        self.assertEqual(page.url, self.url(self.front.get_absolute_url()))  # a drag, no click
        page.screenshot(path=ARTIFACTS / "epaper-zoomed-panned.png")

        # A click on the region while zoomed opens its article.
        viewer = page.locator(".scan-viewer").bounding_box()
        page.mouse.click(max(panned["x"], viewer["x"]) + 20, max(panned["y"], viewer["y"]) + 20)
        page.wait_for_url(self.url(self.articles[0].get_absolute_url()))
        self.assertEqual(page.locator("h1").inner_text(), self.articles[0].headline)

    def test_phone_stacks_scan_then_list(self):
        """On a phone the scan is full width with the list under it; the zoom button opens the
        viewer full screen and leaving it gives the plain scan back."""
        page = self.open(PHONE, is_mobile=True, has_touch=True)
        page.goto(self.url(self.front.get_absolute_url()))
        page.wait_for_selector(".scan-open")
        scan = page.locator(".page-scan img").bounding_box()
        articles = page.locator(".page-articles").bounding_box()
        self.assertGreater(scan["width"], PHONE["width"] - 50)
        self.assertGreaterEqual(articles["y"], scan["y"] + scan["height"])
        self.assertAlmostEqual(articles["x"], scan["x"], delta=2)
        page.screenshot(path=ARTIFACTS / "epaper-phone.png", full_page=True)
        page.locator(".scan-open").click()
        page.wait_for_selector(".scan-viewer canvas")
        self.wait_at_rest(page, "a.hotspot")
        viewer = page.locator(".scan-viewer").bounding_box()
        self.assertEqual((viewer["width"], viewer["height"]), (PHONE["width"], PHONE["height"]))
        page.screenshot(path=ARTIFACTS / "epaper-phone-zoom.png")
        page.locator("#scan-full").click()
        page.wait_for_selector(".scan-viewer", state="detached")
        self.assertEqual(page.locator(".scan-frame > svg.hotspots").count(), 1)

    def test_home_front_page_and_no_serious_accessibility_violations(self):
        """The home page is the front page with scan and list on screen; axe-core finds no
        serious or critical violation on the e-paper's pages, the viewer running."""
        from axe_playwright_python.sync_playwright import Axe

        page = self.open(DESKTOP)
        page.goto(self.url("/"))
        page.wait_for_selector(".scan-viewer canvas")
        scan = page.locator(".page-scan").bounding_box()
        self.assertLessEqual(scan["y"] + scan["height"], DESKTOP["height"])
        page.screenshot(path=ARTIFACTS / "home-desktop-1280x800.png")
        axe = Axe()
        article = self.articles[0].get_absolute_url()
        for path in (
            "/",
            self.front.get_absolute_url(),
            article,
            reverse("articles:article_list") + "?contributor=周明远&page_name=要闻",
        ):
            with self.subTest(path=path):
                page.goto(self.url(path))
                page.wait_for_load_state("networkidle")
                if path == article:
                    page.screenshot(path=ARTIFACTS / "article-back-to-page.png")
                violations = axe.run(page).response["violations"]
                serious = [
                    f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
                    for v in violations
                    if v["impact"] in {"serious", "critical"}
                ]
                self.assertEqual(serious, [])

    def test_contributor_suggestions(self):
        """Typing a surname in the contributor filter offers the names that begin with it."""
        page = self.open(DESKTOP)
        page.goto(self.url(reverse("articles:article_list")))
        page.locator("#id_contributor").press_sequentially("周")
        page.wait_for_function(
            "() => document.querySelectorAll('#contributor-suggestions-0 option').length > 0"
        )
        names = page.locator("#contributor-suggestions-0 option").evaluate_all(
            "options => options.map(option => option.value)"
        )
        self.assertIn("周明远", names)
        self.assertTrue(all(name.startswith("周") for name in names))
