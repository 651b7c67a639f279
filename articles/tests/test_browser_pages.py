"""Tonight's pages in real Chromium (Debian's package, driven by Playwright, as in
test_browser.py): the chief uploads two page PDFs in the admin, watches the progress page fill
as a database worker reads them, opens a page's workbench, joins two articles and confirms.
Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from articles.models import Article, Page, PageUpload, Status

from .factories import PublicationFactory
from .test_browser import ARTIFACTS, ChromiumTestCase

CORPUS = Path(__file__).parent / "pdfpages"


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class IssueUploadBrowserTests(ChromiumTestCase):
    def setUp(self):
        self.publication = PublicationFactory(code="qinghe", name="清河日报")
        self.page = self.new_page({"width": 1280, "height": 900}, timeout=15_000)
        self.log_in_staff(self.page, "zhao", "chief")

    def work(self) -> None:
        """What a `db_worker` process does, here: read every queued page once. The worker
        closes its connections between tasks; the live server shares this one."""
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())

    def test_upload_watch_join_and_confirm(self):
        from playwright.sync_api import expect

        page = self.page
        page.goto(self.live_server_url + reverse("admin:articles_issue_changelist"))
        page.get_by_role("link", name="上传本期版面").click()
        page.wait_for_load_state()  # the drop zone's script is running
        page.select_option("#id_publication", str(self.publication.pk))
        page.fill("#id_date", "2026-03-05")
        page.set_input_files(
            "#id_files",
            [
                {
                    "name": name,
                    "mimeType": "application/pdf",
                    "buffer": (CORPUS / source).read_bytes(),
                }
                for name, source in (("01.pdf", "page_000.pdf"), ("02-要闻.pdf", "page_001.pdf"))
            ],
        )
        expect(page.locator("[data-upload-chosen] li")).to_have_count(2)
        page.screenshot(path=ARTIFACTS / "admin-upload.png", full_page=True)
        page.get_by_role("button", name="上传并读取版面").click()

        # The pages wait for a worker; the progress page says so, then fills by itself.
        summary = page.locator("[data-upload-summary]")
        self.assertEqual(summary.inner_text(), "已读取 0 / 2 个版面")
        expect(page.locator(".state-queued")).to_have_count(2)
        self.work()
        # The page asks for the upload's state every two seconds and updates itself.
        expect(summary).to_have_text("已读取 2 / 2 个版面", timeout=15_000)
        self.assertEqual(page.locator(".state-done").count(), 2)
        self.assertEqual(PageUpload.objects.filter(state="done").count(), 2)
        page.screenshot(path=ARTIFACTS / "admin-upload-progress.png", full_page=True)

        # The first page's workbench: its drafts with their regions on the scan.
        page.locator(".state-done").first.get_by_role("link", name="版面工作台").click()
        stored = Page.objects.get(number=1)
        drafts = list(stored.articles.order_by("position"))
        self.assertGreaterEqual(len(drafts), 3)
        self.assertEqual(page.locator("svg .wb-region").count(), len(drafts))
        second, third = drafts[1], drafts[2]
        entry = page.locator(f"#article-{second.pk}")
        entry.locator(f"select[name=join-with-{second.pk}]").select_option(str(third.pk))
        entry.get_by_role("button", name="合并", exact=True).click()
        page.wait_for_selector(".messagelist .success")
        self.assertFalse(Article.objects.filter(pk=third.pk).exists())
        self.assertEqual(page.locator("svg .wb-region").count(), len(drafts) - 1)

        page.get_by_role("button", name="确认并送初审").click()
        page.wait_for_selector(".messagelist .success")
        page.screenshot(path=ARTIFACTS / "admin-upload-workbench.png", full_page=True)
        self.assertEqual(
            set(stored.articles.values_list("status", flat=True)), {Status.FIRST_REVIEW}
        )
        self.assertTrue(all(article.region for article in stored.articles.all()))
