"""“Upload this issue's pages” in the admin: the form, the progress page and its polling,
reading failed pages again, and who may do what."""

from __future__ import annotations

import datetime
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles import pdfpages
from articles.models import Article, Issue, IssueUpload, Page, PageUpload, Status

from .factories import IssueFactory, PageFactory, PublicationFactory
from .test_workflow import staff

CORPUS = Path(__file__).parent / "pdfpages"
ADD = reverse("admin:articles_issueupload_add")


def pdf(index: int, name: str) -> SimpleUploadedFile:
    data = (CORPUS / f"page_{index:03d}.pdf").read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/pdf")


class AdminUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = PublicationFactory(code="qingchuan", name="青川日报")
        cls.chief = staff("zhao", "chief")
        cls.editor = staff("wang", "editor")
        cls.reporter = staff("li", "reporter")

    def setUp(self):
        # Messages are checked in their English source form, whatever the site's language.
        self.enterContext(translation.override("en"))
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def upload(self, user, files, date="2026-03-03"):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                ADD, {"publication": self.publication.pk, "date": date, "files": files}
            )

    def test_the_chief_uploads_an_issue_and_watches_it_read(self):
        response = self.upload(
            self.chief, [pdf(0, "01.pdf"), pdf(1, "02-要闻.pdf"), pdf(2, "1.pdf")]
        )
        upload = IssueUpload.objects.get()
        self.assertRedirects(
            response, reverse("admin:articles_issueupload_change", args=[upload.pk])
        )
        page = self.client.get(response.url)
        self.assertContains(page, "1 of 3 pages read")
        self.assertContains(page, "Two files are page 1")
        progress = self.client.get(
            reverse("admin:articles_issueupload_progress", args=[upload.pk])
        ).json()
        self.assertEqual((progress["total"], progress["done"], progress["failed"]), (3, 1, 2))
        self.assertEqual(progress["working"], 0)
        self.assertEqual(
            [(p["file"], p["state"]) for p in progress["pages"]],
            [("01.pdf", "failed"), ("1.pdf", "failed"), ("02-要闻.pdf", "done")],
        )
        issue = Issue.objects.get()
        self.assertEqual(issue.status, Status.DRAFT)
        self.assertEqual(list(issue.pages.values_list("number", flat=True)), [2])
        self.assertTrue(Article.objects.filter(page__issue=issue).exists())

    def test_the_progress_page_costs_the_same_whatever_the_pages(self):
        self.client.force_login(self.chief)
        counts = []
        for files in ([pdf(0, "01.pdf")], [pdf(0, "01.pdf"), pdf(1, "02.pdf"), pdf(2, "03.pdf")]):
            upload_response = self.upload(self.chief, files, date=f"2026-03-0{len(counts) + 1}")
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(upload_response.url).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])

    def test_an_editor_uploads_into_an_issue_not_yet_out_and_the_new_pages_are_theirs(self):
        IssueFactory(publication=self.publication, date=datetime.date(2026, 3, 3), draft=True)
        self.upload(self.editor, [pdf(0, "05.pdf")])
        page = Page.objects.get(number=5)
        self.assertEqual(list(page.editors.all()), [self.editor])
        # Uploading the page again would delete articles, which an editor may not.
        self.upload(self.editor, [pdf(1, "05.pdf")])
        again = PageUpload.objects.latest("pk")
        self.assertEqual(again.state, "failed")
        self.assertIn("which you may not delete", again.error)
        self.assertEqual(page.articles.count(), PageUpload.objects.earliest("pk").articles)

    def test_an_editor_may_not_upload_over_a_page_given_to_someone_else(self):
        issue = IssueFactory(
            publication=self.publication, date=datetime.date(2026, 3, 3), draft=True
        )
        page = PageFactory(issue=issue, number=4, name="体育")
        self.upload(self.editor, [pdf(0, "04.pdf")])
        refused = PageUpload.objects.get()
        self.assertEqual(refused.state, "failed")
        self.assertIn("You may not change", refused.error)
        page.refresh_from_db()
        self.assertFalse(page.pdf)
        self.assertFalse(page.articles.exists())

    def test_an_editor_cannot_create_an_issue(self):
        response = self.upload(self.editor, [pdf(0, "01.pdf")], date="2026-04-01")
        self.assertContains(response, "the chief creates it")
        self.assertFalse(IssueUpload.objects.exists())

    def test_bad_forms_change_nothing(self):
        self.client.force_login(self.chief)
        for data, message in [
            ({"publication": self.publication.pk, "date": "2026-03-03"}, "This field is required"),
            (
                {
                    "publication": self.publication.pk,
                    "date": "0001-01-01",
                    "files": [pdf(0, "01.pdf")],
                },
                "between",
            ),
            (
                {"publication": 999, "date": "2026-03-03", "files": [pdf(0, "01.pdf")]},
                "valid choice",
            ),
        ]:
            with self.subTest(message=message):
                response = self.client.post(ADD, data)
                self.assertContains(response, message)
                self.assertContains(response, "errornote")
        IssueFactory(publication=self.publication, date=datetime.date(2026, 5, 5))
        response = self.upload(self.chief, [pdf(0, "01.pdf")], date="2026-05-05")
        self.assertContains(response, "This issue is published")
        self.assertFalse(IssueUpload.objects.exists())

    def test_every_file_waits_on_disk_not_in_memory(self):
        """Even a page under FILE_UPLOAD_MAX_MEMORY_SIZE reaches the pages' receiving as a
        temporary file: forty of them would otherwise sit in the worker's memory."""
        with mock.patch.object(
            pdfpages, "receive_issue", wraps=pdfpages.receive_issue
        ) as receive_issue:
            response = self.upload(self.chief, [pdf(0, "01.pdf"), pdf(1, "02.pdf")])
        self.assertEqual(response.status_code, 302)
        files = [file for _name, file in receive_issue.call_args.kwargs["files"]]
        self.assertEqual(len(files), 2)
        self.assertTrue(all(isinstance(file, TemporaryUploadedFile) for file in files))
        self.assertEqual(IssueUpload.objects.get().pages.filter(state="done").count(), 2)

    def test_the_upload_still_needs_its_csrf_token(self):
        """The view takes its files to disk before the CSRF check reads the form, which it
        still does: a post without the token is refused, and changes nothing."""
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.chief)
        data = {"publication": self.publication.pk, "date": "2026-03-03"}
        response = client.post(ADD, {**data, "files": [pdf(0, "01.pdf")]})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(IssueUpload.objects.exists())
        token = client.get(ADD).context["csrf_token"]
        response = client.post(
            ADD, {**data, "files": [pdf(0, "01.pdf")], "csrfmiddlewaretoken": str(token)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(IssueUpload.objects.exists())

    def test_a_reporter_may_not_upload(self):
        self.client.force_login(self.reporter)
        self.assertEqual(self.client.get(ADD).status_code, 403)
        response = self.client.post(
            ADD,
            {"publication": self.publication.pk, "date": "2026-03-03", "files": [pdf(0, "01.pdf")]},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(IssueUpload.objects.exists())

    def test_failed_pages_are_read_again_from_the_progress_page(self):
        with mock.patch("articles.tasks.read_page_upload"):
            self.upload(self.chief, [pdf(0, "01.pdf")])
        upload = IssueUpload.objects.get()
        PageUpload.objects.update(state="failed", error="worker lost")
        url = reverse("admin:articles_issueupload_change", args=[upload.pk])
        self.assertContains(self.client.get(url), "worker lost")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        self.assertRedirects(response, url)
        self.assertEqual(PageUpload.objects.get().state, "done")
        # Someone who may only look cannot.
        self.client.force_login(self.reporter)
        self.assertEqual(self.client.post(url).status_code, 403)

    def test_the_issue_list_links_to_the_upload(self):
        self.client.force_login(self.editor)
        link = f'<a href="{ADD}" class="addlink">'
        self.assertContains(self.client.get(reverse("admin:articles_issue_changelist")), link)
        self.client.force_login(self.reporter)
        self.assertNotContains(self.client.get(reverse("admin:articles_issue_changelist")), link)

    def test_in_chinese(self):
        self.client.force_login(self.chief)
        response = self.client.get(ADD, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "上传本期版面")
