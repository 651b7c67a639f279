"""The night desk in real Chromium at 1280×800: the chief opens tonight's paper from the admin
index, passes a waiting article through 终审 from the desk, and publishes the issue; axe-core
finds no serious or critical violation on the desk, the article list and the article form.

Screenshots land in test-artifacts/ (admin-desk-*.png, admin-article-*.png).
"""

from __future__ import annotations

import os

from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Issue, Status, body_counts

from .test_browser import ARTIFACTS, ChromiumTestCase

DESKTOP = {"width": 1280, "height": 800}


class DeskBrowserTests(ChromiumTestCase):
    maxDiff = None

    def setUp(self):
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
        self.tonight = Issue.objects.get(status=Status.DRAFT)

    def signed_in(self):
        page = self.new_page(DESKTOP)
        self.log_in_staff(page, "chief", "chief")
        return page

    def serious_violations(self, page) -> list[str]:
        from axe_playwright_python.sync_playwright import Axe

        violations = Axe().run(page).response["violations"]
        return [
            f"{v['id']}: {[node['target'] for node in v['nodes']]}"
            for v in violations
            if v["impact"] in {"serious", "critical"}
        ]

    def test_the_chief_takes_tonights_paper_to_print(self):
        """From the index to the desk; an article through 终审 from there; then publish."""
        page = self.signed_in()
        page.get_by_role("link", name=str(self.tonight)).first.click()
        page.wait_for_url(f"**{reverse('admin:articles_issue_desk', args=[self.tonight.pk])}")
        self.assertIn("已终审 1 / 5", page.locator(".desk-count").inner_text().replace("\n", ""))
        self.assertTrue(page.locator("button.desk-publish").is_disabled())
        page.screenshot(path=ARTIFACTS / "admin-desk-waiting.png", full_page=True)
        self.assertEqual(self.serious_violations(page), [])

        waiting = Article.objects.get(page__issue=self.tonight, status=Status.FINAL_REVIEW)
        page.locator(".desk-pages").get_by_role("link", name=waiting.headline).click()
        page.get_by_label("终审通过").check()
        page.screenshot(path=ARTIFACTS / "admin-article-final-review.png")
        page.locator("input[name=_save]").first.click()
        page.wait_for_selector(".messagelist .success")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Status.READY)

        # The rest of tonight's articles are cleared by their reviewers meanwhile.
        Article.objects.filter(page__issue=self.tonight).update(status=Status.READY)
        page.goto(
            self.live_server_url + reverse("admin:articles_issue_desk", args=[self.tonight.pk])
        )
        self.assertIn("已终审 5 / 5", page.locator(".desk-count").inner_text().replace("\n", ""))
        page.locator("button.desk-publish").click()
        page.wait_for_selector(".messagelist .success")
        page.screenshot(path=ARTIFACTS / "admin-desk-published.png", full_page=True)
        self.tonight.refresh_from_db()
        self.assertEqual(self.tonight.status, Status.PUBLISHED)
        self.assertFalse(
            Article.objects.filter(page__issue=self.tonight).exclude(status=Status.PUBLISHED)
        )

    def test_the_list_and_the_form_are_accessible(self):
        """axe finds nothing serious on the article list and form; screenshots of both."""
        page = self.signed_in()
        article = Article.objects.filter(page__issue=self.tonight, page__number=1).first()
        for name, path in (
            ("admin-article-list", reverse("admin:articles_article_changelist")),
            ("admin-article-form", reverse("admin:articles_article_change", args=[article.pk])),
        ):
            with self.subTest(page=name):
                page.goto(self.live_server_url + path)
                page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
                self.assertEqual(self.serious_violations(page), [])

    def test_the_body_counter_counts_as_the_server(self):
        """The form's script counts 字数 and paragraphs as Article.character_count does, and
        recounts as the editor types; the box grows with the text."""
        page = self.signed_in()
        article = Article.objects.filter(page__issue=self.tonight).first()
        page.goto(
            self.live_server_url + reverse("admin:articles_article_change", args=[article.pk])
        )
        bodies = [
            article.body,
            "第一段， 有空格。\n\n## 小标题\n  第二段。\n#不是小标题\n##\n",
            "\u3000全角空格\r\n## \u3000\r\nEnglish words 123\u2028下一行",
        ]
        for body in bodies:
            with self.subTest(body=body[:10]):
                counted = page.evaluate("(body) => window.newsroomBodyCounts(body)", body)
                self.assertEqual((counted["characters"], counted["paragraphs"]), body_counts(body))
        box = page.locator("#id_body")
        height = box.bounding_box()["height"]
        box.fill(article.body + "\n新增一段。" * 40)
        characters, paragraphs = body_counts(article.body + "\n新增一段。" * 40)
        self.assertEqual(
            page.locator("#id_body_count").inner_text(),
            f"字数 {characters} · 段落 {paragraphs}",
        )
        self.assertGreater(box.bounding_box()["height"], height)
