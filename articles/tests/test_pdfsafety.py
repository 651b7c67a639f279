"""Page PDFs: nothing but pages is accepted, and downloads are served so no browser runs them.

The PDFs are built in code with pikepdf, each with one thing a page PDF must not have.
"""

from __future__ import annotations

import ast
import datetime
import io
from pathlib import Path

import pikepdf
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from articles import pdfsafety
from articles.models import Page
from articles.pdfsafety import PdfProblem, pdf_problems

from .factories import IssueFactory, PageFactory
from .test_admin import admin_url, inline_management


def page_pdf(change=None, **save_options) -> bytes:
    """A one-page PDF with a picture on it, as a layout system exports a page, after
    `change(pdf)` has added what the test needs."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (240, 240, 240)).save(buffer, "PDF", resolution=72)
    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    if change is not None:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def javascript_on_open(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def javascript_by_name(pdf: pikepdf.Pdf) -> None:
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("run"), script])))


def javascript_in_a_link(pdf: pikepdf.Pdf) -> None:
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.JavaScript, JS=String("this.exportDataObject()")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))


def launch_on_page_open(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.Launch, F=String("calc.exe")))


def other_file_on_open(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0, Name.Fit]))


def embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"hello", filename="notes.txt")


def file_attachment_annotation(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"hello", filename="notes.txt")
    annotation = Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec.obj
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])


def acroform(pdf: pikepdf.Pdf) -> None:
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("name"), Rect=[0, 0, 9, 9]
        )
    )
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def xfa_form(pdf: pikepdf.Pdf) -> None:
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=xfa)


def submit_form(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.SubmitForm, F=String("https://example.org/"))


ENCRYPTED_WITH_OWNER_PASSWORD = {"encryption": pikepdf.Encryption(owner="secret", user="")}
ENCRYPTED_WITH_USER_PASSWORD = {"encryption": pikepdf.Encryption(owner="secret", user="open")}

# Each kind of unwanted content, and what pdf_problems must say about it.
HOSTILE_PDFS = {
    "JavaScript when opened": (page_pdf(javascript_on_open), [PdfProblem.JAVASCRIPT]),
    "JavaScript by name": (page_pdf(javascript_by_name), [PdfProblem.JAVASCRIPT]),
    "JavaScript in a link": (page_pdf(javascript_in_a_link), [PdfProblem.JAVASCRIPT]),
    "JavaScript in an object stream": (
        page_pdf(javascript_on_open, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        [PdfProblem.JAVASCRIPT],
    ),
    "launch action": (page_pdf(launch_on_page_open), [PdfProblem.LAUNCH]),
    "another file": (page_pdf(other_file_on_open), [PdfProblem.LAUNCH]),
    "embedded file": (page_pdf(embedded_file), [PdfProblem.EMBEDDED_FILE]),
    "file attachment": (page_pdf(file_attachment_annotation), [PdfProblem.EMBEDDED_FILE]),
    "AcroForm": (page_pdf(acroform), [PdfProblem.FORM]),
    "XFA": (page_pdf(xfa_form), [PdfProblem.FORM]),
    "submit form": (page_pdf(submit_form), [PdfProblem.FORM]),
    "owner password": (page_pdf(**ENCRYPTED_WITH_OWNER_PASSWORD), [PdfProblem.ENCRYPTED]),
    "user password": (page_pdf(**ENCRYPTED_WITH_USER_PASSWORD), [PdfProblem.ENCRYPTED]),
    "several at once": (
        page_pdf(lambda pdf: (javascript_on_open(pdf), embedded_file(pdf), acroform(pdf))),
        [PdfProblem.JAVASCRIPT, PdfProblem.EMBEDDED_FILE, PdfProblem.FORM],
    ),
    "not a PDF": (b"%PDF-1.7\nnothing here", [PdfProblem.UNREADABLE]),
}


class PdfProblemsTests(SimpleTestCase):
    """articles/pdfsafety.py on its own: plain Python, PDF in, problems out."""

    def test_a_page_pdf_is_clean(self):
        """A PDF of nothing but a page has no problem, from bytes, a file or a path."""
        data = page_pdf()
        self.assertEqual(pdf_problems(data), [])
        self.assertEqual(pdf_problems(io.BytesIO(data)), [])

    def test_each_kind_of_unwanted_content_is_found(self):
        """JavaScript, launch actions, embedded files, forms, encryption: each is named."""
        for label, (data, expected) in HOSTILE_PDFS.items():
            with self.subTest(label):
                self.assertEqual(pdf_problems(data), expected)

    def test_every_problem_says_what_it_is(self):
        """Each problem has a stable code and an English description for other callers."""
        for problem in PdfProblem:
            self.assertTrue(problem.description.startswith("the "))

    def test_no_django(self):
        """The module imports no Django, so the PDF importer can use it as it is."""
        tree = ast.parse(Path(pdfsafety.__file__).read_text(encoding="utf-8"))
        imported = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ] + [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        self.assertFalse([name for name in imported if name and name.startswith("django")])


class PdfUploadTests(TestCase):
    """The page form refuses such PDFs with a clear message, and stores nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("chief", password="pw")

    def setUp(self):
        self.client.force_login(self.user)

    def upload(self, page: Page, data: bytes):
        return self.client.post(
            admin_url(Page, "change", page.pk),
            {
                "issue": page.issue_id,
                "number": page.number,
                "name": page.name,
                "seen_version": page.version,
                "pdf": SimpleUploadedFile("page.pdf", data, content_type="application/pdf"),
                **inline_management("credits"),
                **inline_management("articles"),
                **inline_management("photos"),
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def test_unwanted_content_is_refused_and_nothing_stored(self):
        """The probe's PDF (/OpenAction /S /JavaScript) and its kin: a form error naming
        what was found; the page keeps no PDF and no scan."""
        messages = {
            "JavaScript when opened": "contains JavaScript",
            "launch action": "open programs or other files",
            "embedded file": "carries embedded files",
            "AcroForm": "contains a form",
            "XFA": "contains a form",
            "owner password": "encrypted or protected by a password",
            "user password": "encrypted or protected by a password",
        }
        page = PageFactory()
        for label, message in messages.items():
            with self.subTest(label):
                response = self.upload(page, HOSTILE_PDFS[label][0])
                self.assertEqual(response.status_code, 200)
                errors = response.context["adminform"].form.errors
                self.assertIn(message, " ".join(errors["pdf"]))
                page.refresh_from_db()
                self.assertFalse(page.pdf)
                self.assertFalse(page.scan)

    def test_a_clean_pdf_is_accepted(self):
        """A PDF of nothing but a page is stored, and becomes the scan."""
        page = PageFactory()
        self.assertEqual(self.upload(page, page_pdf()).status_code, 302)
        page.refresh_from_db()
        self.assertTrue(page.pdf)
        self.assertTrue(page.scan)


class PagePdfDownloadTests(TestCase):
    """`/<code>/<date>/<n>/pdf/`: the PDF of a page readers may see, as a safe download."""

    @classmethod
    def setUpTestData(cls):
        cls.page = PageFactory(issue__date=datetime.date(2026, 3, 5), number=2)
        cls.page.pdf.save("page.pdf", ContentFile(page_pdf()), save=False)
        Page.objects.filter(pk=cls.page.pk).update(pdf=cls.page.pdf.name)

    def url(self, page: Page) -> str:
        return reverse(
            "articles:page_pdf",
            args=[page.issue.publication.code, page.issue.date.isoformat(), page.number],
        )

    def test_served_with_headers_that_run_nothing(self):
        """An attachment with a sandboxing content security policy and nosniff, in one
        query (the page, through the one visibility rule)."""
        with self.assertNumQueries(1):
            response = self.client.get(self.url(self.page))
            body = b"".join(response.streaming_content)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(body.startswith(b"%PDF-"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="{self.page.issue.publication.code}-2026-03-05-02.pdf"',
        )
        policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
        self.assertIn("sandbox", policy)
        self.assertIn("default-src 'none'", policy)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_the_page_links_to_it_not_to_the_stored_file(self):
        """The reader's page offers the download through this view, never MEDIA_URL."""
        response = self.client.get(self.page.get_absolute_url())
        self.assertContains(response, f'href="{self.url(self.page)}"')
        self.assertNotContains(response, self.page.pdf.url)

    def test_hidden_or_missing_is_404(self):
        """A page of an issue readers may not see, or without a PDF, or with its file gone."""
        hidden = PageFactory(issue=IssueFactory(draft=True), pdf=self.page.pdf.name)
        without = PageFactory(issue=self.page.issue, number=3)
        gone = PageFactory(issue=self.page.issue, number=4, pdf="pdfs/missing.pdf")
        for page in (hidden, without, gone):
            with self.subTest(page=str(page)):
                self.assertEqual(self.client.get(self.url(page)).status_code, 404)
