"""The page workbench in real Chromium (Debian's package, driven by Playwright, as in
test_browser.py): an editor opens a page of three drafts, sees each region light up with its
article, joins two and confirms the page. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from django.urls import reverse

from articles.models import Article, Status

from .factories import ArticleFactory, BylineFactory, IssueFactory, PageFactory
from .test_browser import ARTIFACTS, ChromiumTestCase
from .test_workbench import REGIONS, body, scan_upload


class WorkbenchBrowserTests(ChromiumTestCase):
    def setUp(self):
        self.browser_page = self.new_page({"width": 1400, "height": 1000})
        editor = self.log_in_staff(self.browser_page, "desk", "editor")
        self.page = PageFactory(issue=IssueFactory(draft=True), number=3, scan=scan_upload())
        self.page.editors.add(editor)
        texts = [
            ("地铁三号线开通试运营", body("线路全长二十六公里。", "沿线设站二十座。")),
            ("夜市经济点亮城市烟火气", body("入夏以来，滨江夜市人气走高。", "每晚客流两万。")),
            ("小吃摊位过百", body("夜市里的小吃摊位已超过一百个。")),
        ]
        self.articles = [
            ArticleFactory(
                page=self.page,
                draft=True,
                position=position,
                headline=headline,
                body=text,
                region=region,
            )
            for position, (headline, text), region in zip((1, 2, 3), texts, REGIONS, strict=True)
        ]
        BylineFactory(article=self.articles[1])

    def test_editor_joins_two_articles_and_confirms(self):
        """Pointing at an article lights up its region and back; the second and third are
        joined from the second's controls; confirming sends both drafts to first review."""
        page = self.browser_page
        first, second, third = self.articles
        page.goto(
            self.live_server_url + reverse("admin:articles_page_workbench", args=[self.page.pk])
        )
        regions = page.locator("svg .wb-region")
        self.assertEqual(regions.count(), 3)
        self.assertEqual(page.locator(".wb-region text").all_text_contents(), ["1", "2", "3"])
        # The regions lie over the scan as drawn: the second one's middle (the box includes
        # its outline) at (500, 660) of the scan's 1000×1400 pixels.
        scan = page.locator(".wb-stage svg").bounding_box()
        box = regions.nth(1).locator("polygon").bounding_box()
        middle = (box["x"] + box["width"] / 2 - scan["x"], box["y"] + box["height"] / 2 - scan["y"])
        self.assertAlmostEqual(middle[0], scan["width"] * 500 / 1000, delta=2)
        self.assertAlmostEqual(middle[1], scan["height"] * 660 / 1400, delta=2)

        page.locator(f"#article-{second.pk} h3").hover()
        self.assertIn("is-active", regions.nth(1).get_attribute("class"))
        self.assertNotIn("is-active", regions.nth(0).get_attribute("class"))
        regions.nth(2).hover()
        self.assertIn("is-active", page.locator(f"#article-{third.pk}").get_attribute("class"))
        self.assertNotIn("is-active", page.locator(f"#article-{second.pk}").get_attribute("class"))
        page.screenshot(path=ARTIFACTS / "admin-workbench.png", full_page=True)

        entry = page.locator(f"#article-{second.pk}")
        entry.locator(f"select[name=join-with-{second.pk}]").select_option(str(third.pk))
        entry.get_by_role("button", name="合并", exact=True).click()
        page.wait_for_selector(".messagelist .success")
        self.assertIn(
            "“小吃摊位过百”已并入“夜市经济点亮城市烟火气”",
            page.locator(".messagelist").inner_text(),
        )
        self.assertEqual(page.locator("svg .wb-region").count(), 2)
        self.assertIn(
            "小吃摊位过百", page.locator(f"#article-{second.pk} .wb-crosshead").inner_text()
        )
        page.screenshot(path=ARTIFACTS / "admin-workbench-joined.png", full_page=True)

        page.get_by_role("button", name="确认并送初审").click()
        page.wait_for_selector(".messagelist .success")
        self.assertIn("2 篇稿件已送初审", page.locator(".messagelist").inner_text())
        self.assertEqual(
            list(self.page.articles.order_by("position").values_list("pk", "status")),
            [(first.pk, Status.FIRST_REVIEW), (second.pk, Status.FIRST_REVIEW)],
        )
        self.assertFalse(Article.objects.filter(pk=third.pk).exists())
        page.screenshot(path=ARTIFACTS / "admin-workbench-confirmed.png", full_page=True)

    def test_editor_redraws_a_region(self):
        """“Redraw the region” opens the article form's region editor; a rectangle dragged on
        the scan is saved in the scan's pixels and drawn on the workbench's scan."""
        page = self.browser_page
        third = self.articles[2]
        page.goto(
            self.live_server_url + reverse("admin:articles_page_workbench", args=[self.page.pk])
        )
        page.locator(f"#article-{third.pk}").get_by_role("link", name="重画热区").click()
        stage = page.locator(".region-editor .region-stage")
        stage.scroll_into_view_if_needed()
        box = stage.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.7)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.9, steps=5)
        page.mouse.up()
        page.screenshot(path=ARTIFACTS / "admin-workbench-redraw.png", full_page=True)
        page.get_by_role("button", name="保存热区").click()
        page.wait_for_selector(".messagelist .success")
        third.refresh_from_db()
        (left, top), _, (right, bottom), _ = third.region
        # Drawn on the displayed rendition, stored in the scan's own pixels (±2 for rounding).
        self.assertAlmostEqual(left, 100, delta=2)
        self.assertAlmostEqual(top, 980, delta=2)
        self.assertAlmostEqual(right, 500, delta=2)
        self.assertAlmostEqual(bottom, 1260, delta=2)
        self.assertEqual(
            page.locator(f'.wb-region[data-article="{third.pk}"] polygon').get_attribute("points"),
            " ".join(f"{x},{y}" for x, y in third.region),
        )
