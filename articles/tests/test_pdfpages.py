"""An issue's page PDFs to drafts (articles/pdfpages.py, tasks.py, import_issue): pages stored
with scans, regions and photos; every kind of bad file refused alone; retries; re-uploads."""

from __future__ import annotations

import datetime
import io
import json
import random
import re
import tempfile
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path
from unittest import mock

import pikepdf
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import translation
from PIL import Image
from shapely import Polygon, box

from articles import pdfpages, services
from articles.models import Article, Issue, Page, PageUpload, Photo, Status

from .factories import ArticleFactory, PublicationFactory
from .test_pdfsafety import embedded_file, javascript_on_open

CORPUS = Path(__file__).parent / "pdfpages"
DATE = datetime.date(2026, 3, 3)


def corpus_pdf(index: int) -> bytes:
    return (CORPUS / f"page_{index:03d}.pdf").read_bytes()


def expected(index: int) -> dict:
    return json.loads((CORPUS / f"page_{index:03d}.expected.json").read_text())


def changed(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def encrypted(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


def two_pages(first: bytes, second: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(first)) as pdf, pikepdf.open(io.BytesIO(second)) as other:
        pdf.pages.extend(other.pages)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def picture_only_pdf() -> bytes:
    """A page that is a picture of text: no text layer at all."""
    out = io.BytesIO()
    Image.new("RGB", (700, 1000), "white").save(out, "PDF", resolution=72)
    return out.getvalue()


def padded(data: bytes, size: int, seed: int = 0) -> bytes:
    """The PDF grown to about `size` bytes by an incremental update that is only comment lines
    of random bytes (which no zip compresses); its startxref leads to the original table."""
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)[1])
    noise = random.Random(seed).randbytes(size).translate(bytes.maketrans(b"\r\n", b"  "))
    lines = b"".join(b"\n%" + noise[i : i + 1000] for i in range(0, size, 1000))
    return data + lines + b"\nstartxref\n%d\n%%%%EOF\n" % start


def zipped(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


class PipelineTestCase(TestCase):
    def setUp(self):
        # Messages are checked in their English source form, whatever the site's language.
        self.enterContext(translation.override("en"))
        self.publication = PublicationFactory(code="qingchuan")

    def receive(self, files: dict[str, bytes], date=DATE) -> list[PageUpload]:
        with self.captureOnCommitCallbacks(execute=True):
            upload = pdfpages.receive_issue(
                publication=self.publication, date=date, files=files.items(), user=None
            )
        return list(upload.pages.order_by("number", "file_name"))


class IssueImportTests(PipelineTestCase):
    def test_pages_become_drafts_with_scans_regions_and_photos(self):
        pages = self.receive({"01.pdf": corpus_pdf(0), "02-要闻.pdf": corpus_pdf(1)})
        self.assertEqual(
            [(p.number, p.state, p.error) for p in pages], [(1, "done", "")] * 1 + [(2, "done", "")]
        )
        issue = Issue.objects.get(publication=self.publication, date=DATE)
        self.assertEqual(issue.status, Status.DRAFT)
        self.assertEqual(Page.objects.get(issue=issue, number=2).name, "要闻")
        for upload, index in zip(pages, (0, 1), strict=True):
            page = upload.page
            self.assertTrue(page.scan and page.pdf and page.scan_thumbnail)
            want = expected(index)
            articles = list(page.articles.order_by("position"))
            self.assertEqual(len(articles), len(want["articles"]))
            self.assertEqual(upload.articles, len(articles))
            self.assertTrue(all(a.status == Status.DRAFT for a in articles))
            # Each region is where its article stands: compare with the expected boxes.
            scale = page.scan_width / want["page_size"][0]
            for article in articles:
                expected_article = next(
                    e for e in want["articles"] if e["headline"] == article.headline
                )
                truth = Polygon()
                for x0, y0, x1, y1 in expected_article["boxes"]:
                    truth = truth.union(box(x0 * scale, y0 * scale, x1 * scale, y1 * scale))
                region = Polygon(article.region)
                self.assertGreater(region.intersection(truth).area / region.union(truth).area, 0.8)
                article.full_clean()  # the region fits the scan
            photos = list(Photo.objects.filter(page=page).order_by("position"))
            self.assertEqual(len(photos), len(want["photos"]))
            self.assertTrue(
                all(photo.width >= 16 and photo.web and photo.thumbnail for photo in photos)
            )
            self.assertEqual([p.caption for p in photos], [p["caption"] for p in want["photos"]])

    def test_each_bad_file_is_refused_alone_and_nothing_is_stored_from_it(self):
        good = corpus_pdf(2)
        with override_settings(NEWSROOM_MAX_UPLOAD_BYTES=len(good) * 2):
            pages = self.receive(
                {
                    "01.pdf": good,
                    "02.pdf": b"%PDX not a pdf",
                    "03.pdf": encrypted(good),
                    "04.pdf": changed(good, javascript_on_open),
                    "05.pdf": changed(good, embedded_file),
                    "06.pdf": good + b"\0" * (len(good) * 2),
                    "notes.txt": b"hello",
                    "封面.pdf": good,
                    "07.pdf": corpus_pdf(3),
                    "第7版.pdf": corpus_pdf(4),
                }
            )
        states = {p.file_name: (p.state, p.error) for p in pages}
        self.assertEqual(states["01.pdf"], ("done", ""))
        self.assertIn("not a PDF", states["02.pdf"][1])
        self.assertIn("encrypted", states["03.pdf"][1])
        self.assertIn("JavaScript", states["04.pdf"][1])
        self.assertIn("embedded files", states["05.pdf"][1])
        self.assertIn("larger than", states["06.pdf"][1])
        self.assertIn("Only page PDFs", states["notes.txt"][1])
        self.assertIn("page number", states["封面.pdf"][1])
        self.assertIn("Two files are page 7", states["07.pdf"][1])
        self.assertIn("07.pdf", states["第7版.pdf"][1])
        refused = [p for p in pages if p.file_name != "01.pdf"]
        self.assertTrue(all(p.state == "failed" and not p.file and p.page is None for p in refused))
        # Only page 1 exists; nothing of the refused files reached a page.
        self.assertEqual(list(Page.objects.values_list("number", flat=True)), [1])

    def test_a_zip_is_read_entry_by_entry(self):
        with override_settings(NEWSROOM_MAX_UPLOAD_BYTES=1024 * 1024):
            bomb = b"\0" * (3 * 1024 * 1024)
            pages = self.receive(
                {
                    "issue.zip": zipped(
                        {
                            "01.pdf": corpus_pdf(0),
                            "sub/02-要闻.pdf": corpus_pdf(1),
                            "../03.pdf": corpus_pdf(2),
                            "/abs/04.pdf": corpus_pdf(2),
                            "05.pdf": bomb,
                            "readme.docx": b"x",
                            "__MACOSX/._01.pdf": b"resource fork",
                            ".DS_Store": b"x",
                        }
                    )
                }
            )
        states = {p.file_name: (p.state, p.error) for p in pages}
        self.assertEqual(states["01.pdf"], ("done", ""))
        self.assertEqual(states["02-要闻.pdf"], ("done", ""))
        self.assertIn("leads out of", states["../03.pdf"][1])
        self.assertIn("leads out of", states["/abs/04.pdf"][1])
        self.assertIn("unpacks to more than", states["05.pdf"][1])
        self.assertIn("Only page PDFs", states["readme.docx"][1])
        self.assertEqual(len(states), 6)  # the system's own files are not the editor's
        self.assertEqual(sorted(Page.objects.values_list("number", flat=True)), [1, 2])

    def test_a_damaged_zip_or_one_without_pages(self):
        pages = self.receive({"a.zip": b"PK\x03\x04 broken", "b.zip": zipped({"x.txt": b"x"})})
        errors = sorted(p.error for p in pages)
        self.assertIn("damaged", errors[1])
        self.assertIn("Only page PDFs", errors[0])
        self.assertFalse(Page.objects.exists())

    def test_several_pages_in_one_file_read_the_first_and_say_so(self):
        (upload,) = self.receive({"03.pdf": two_pages(corpus_pdf(0), corpus_pdf(1))})
        self.assertEqual(upload.state, "done")
        self.assertIn("2 pages; only the first", upload.warnings)
        self.assertEqual(upload.articles, len(expected(0)["articles"]))

    def test_a_page_without_a_text_layer_keeps_its_scan_and_says_so(self):
        (upload,) = self.receive({"03.pdf": picture_only_pdf()})
        self.assertEqual(upload.state, "done")
        self.assertEqual(upload.warnings, "The PDF of page 3 has no readable text layer.")
        self.assertTrue(upload.page.scan)
        self.assertFalse(upload.page.articles.exists())
        with translation.override("zh-hans"):
            self.assertEqual(
                pdfpages.error_message(mock.Mock(code="no_text"), 3), "第3版的PDF没有可读的文字层。"
            )

    def test_file_names_give_page_numbers_and_names(self):
        for name, want in {
            "01.pdf": (1, ""),
            "A01.pdf": (1, ""),
            "第1版.pdf": (1, ""),
            "第 12 版.pdf": (12, ""),
            "01-要闻.pdf": (1, "要闻"),
            "B03_国际.pdf": (3, "国际"),
            "16 副刊.pdf": (16, "副刊"),
            "0.pdf": (None, ""),
            "要闻.pdf": (None, ""),
            "2026-03-03.pdf": (None, ""),
        }.items():
            with self.subTest(name=name):
                self.assertEqual(pdfpages.page_of(name), want)


class ReceivingTests(PipelineTestCase):
    """Receiving holds one page PDF at a time, however many the issue has."""

    def test_an_issue_of_large_pages_is_received_one_page_at_a_time(self):
        """Six 4 MB pages, from paths, open files or a zip: the memory Python allocates while
        they are received stays near one page's size, where reading all first took six."""
        size = 4 * 1024 * 1024
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        paths = []
        for number in range(1, 7):
            path = folder / f"{number:02d}.pdf"
            path.write_bytes(padded(corpus_pdf(number % 5), size, seed=number))
            paths.append(path)
        archive = folder / "issue.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in paths:
                out.write(path, path.name)
        with override_settings(NEWSROOM_MAX_UPLOAD_BYTES=2 * size):
            for kind, files in [
                ("paths", lambda: [(path.name, path) for path in paths]),
                ("files", lambda: [(p.name, self.enterContext(p.open("rb"))) for p in paths]),
                ("zip", lambda: [(archive.name, archive)]),
            ]:
                with self.subTest(kind):
                    sources = files()
                    tracemalloc.start()
                    try:
                        upload = pdfpages.receive_issue(
                            publication=self.publication, date=DATE, files=sources, user=None
                        )
                        peak = tracemalloc.get_traced_memory()[1]
                    finally:
                        tracemalloc.stop()
                    pages = list(upload.pages.order_by("number"))
                    self.assertEqual(
                        [(p.number, p.state) for p in pages], [(n, "queued") for n in range(1, 7)]
                    )
                    self.assertTrue(all(p.file.size > size for p in pages))
                    self.assertLess(peak, 2.5 * size)

    def test_both_files_of_one_page_are_let_go_from_storage(self):
        """Two good files for page 7: neither is kept, though each was stored when checked."""

        def stored() -> set[str]:
            if not default_storage.exists("uploads"):
                return set()
            return {f"uploads/{name}" for name in default_storage.listdir("uploads")[1]}

        before = stored()
        upload = pdfpages.receive_issue(
            publication=self.publication,
            date=DATE,
            files=[
                ("07.pdf", corpus_pdf(3)),
                ("第7版.pdf", corpus_pdf(4)),
                ("08.pdf", corpus_pdf(0)),
            ],
            user=None,
        )
        pages = {p.file_name: p for p in upload.pages.all()}
        self.assertEqual(pages["08.pdf"].state, "queued")
        self.assertEqual({pages["07.pdf"].state, pages["第7版.pdf"].state}, {"failed"})
        self.assertEqual(stored() - before, {pages["08.pdf"].file.name})

    def test_a_file_that_cannot_be_read_is_refused_alone(self):
        """A path that is gone by the time its turn comes is refused; the others are read."""
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        (folder / "01.pdf").write_bytes(corpus_pdf(0))
        pages = self.receive({"01.pdf": folder / "01.pdf", "02.pdf": folder / "02.pdf"})
        states = {p.file_name: (p.state, p.error) for p in pages}
        self.assertEqual(states["01.pdf"], ("done", ""))
        self.assertEqual(
            states["02.pdf"], ("failed", "The file cannot be read (No such file or directory).")
        )
        self.assertFalse(PageUpload.objects.get(file_name="02.pdf").file)


class PublishedIssueTests(PipelineTestCase):
    def test_after_review_and_publishing_every_article_has_its_hotspot(self):
        pages = self.receive({"01.pdf": corpus_pdf(5), "02.pdf": corpus_pdf(6)})
        issue = Issue.objects.get()
        # Through review (test_workflow.py covers the moves themselves), then published.
        Article.objects.update(status=Status.READY)
        services.issue_publish(issue=issue)
        for upload in pages:
            response = self.client.get(upload.page.get_absolute_url())
            self.assertEqual(response.status_code, 200)
            hotspots = re.findall(
                r'class="hotspot" data-article="(\d+)"', response.content.decode()
            )
            self.assertEqual(
                sorted(map(int, hotspots)),
                sorted(upload.page.articles.values_list("pk", flat=True)),
            )
            self.assertGreater(len(hotspots), 0)


class ReuploadTests(PipelineTestCase):
    def test_a_page_uploaded_again_replaces_only_what_its_upload_created(self):
        (first,) = self.receive({"01.pdf": corpus_pdf(0)})
        page = first.page
        by_hand = ArticleFactory(page=page, headline="编辑手写的稿件", position=99)
        (second,) = self.receive({"01.pdf": corpus_pdf(1)})
        self.assertEqual(second.state, "done", second.error)
        self.assertEqual(second.page, page)
        headlines = set(page.articles.values_list("headline", flat=True))
        self.assertEqual(
            headlines, {a["headline"] for a in expected(1)["articles"]} | {by_hand.headline}
        )
        self.assertEqual(Photo.objects.filter(page=page).count(), len(expected(1)["photos"]))

    def test_refused_while_anything_it_would_replace_is_published(self):
        (first,) = self.receive({"01.pdf": corpus_pdf(0)})
        Article.objects.filter(pk=first.page.articles.first().pk).update(
            status=Status.PUBLISHED,
            published_at=datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC),
            first_published_at=datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC),
        )
        before = sorted(Article.objects.values_list("pk", "headline"))
        scan = Page.objects.get().scan.name
        (second,) = self.receive({"01.pdf": corpus_pdf(1)})
        self.assertEqual(second.state, "failed")
        self.assertIn("published articles", second.error)
        self.assertEqual(sorted(Article.objects.values_list("pk", "headline")), before)
        self.assertEqual(Page.objects.get().scan.name, scan)

    def test_refused_on_a_published_issue(self):
        (first,) = self.receive({"01.pdf": corpus_pdf(0)})
        Issue.objects.update(
            status=Status.PUBLISHED, published_at=datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC)
        )
        (second,) = self.receive({"01.pdf": corpus_pdf(1)})
        self.assertEqual(second.state, "failed")
        self.assertIn("published issue", second.error)
        self.assertEqual(first.page.articles.count(), len(expected(0)["articles"]))


class TaskTests(PipelineTestCase):
    def test_a_transient_failure_is_tried_again(self):
        real = pdfpages.store
        calls = []

        def flaky(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise OperationalError("database is restarting")
            return real(*args, **kwargs)

        with mock.patch.object(pdfpages, "store", flaky):
            (upload,) = self.receive({"01.pdf": corpus_pdf(0)})
        self.assertEqual((upload.state, upload.attempts), ("done", 2))

    def test_after_the_last_attempt_the_error_is_recorded(self):
        with mock.patch.object(pdfpages, "store", side_effect=OperationalError("disk gone")):
            (upload,) = self.receive({"01.pdf": corpus_pdf(0)})
        self.assertEqual((upload.state, upload.attempts), ("failed", 3))
        self.assertIn("after 3 attempts: disk gone", upload.error)
        self.assertFalse(Page.objects.filter(articles__isnull=False).exists())

    def test_a_page_stuck_reading_is_read_again(self):
        with mock.patch("articles.tasks.read_page_upload"):
            (upload,) = self.receive({"01.pdf": corpus_pdf(0)})
        PageUpload.objects.filter(pk=upload.pk).update(state=PageUpload.State.READING)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(pdfpages.read_again(PageUpload.objects.all()), 1)
        upload.refresh_from_db()
        self.assertEqual(upload.state, "done")
        self.assertFalse(upload.file)  # the page keeps the PDF; the upload's copy is gone

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_with_the_database_backend_pages_wait_for_a_worker(self):
        from django_tasks_db.models import DBTaskResult

        (upload,) = self.receive({"01.pdf": corpus_pdf(0)})
        self.assertEqual(upload.state, "queued")
        self.assertEqual(DBTaskResult.objects.count(), 1)
        # The worker closes its connections between tasks; the test's transaction must stay.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
        upload.refresh_from_db()
        self.assertEqual(upload.state, "done")


class ImportIssueCommandTests(TransactionTestCase):
    """Committed for real, as the command is run: each page's task runs once its upload is."""

    # Naming the apps lets the flush TRUNCATE ... CASCADE the search table on PostgreSQL.
    available_apps = [config.name for config in apps.get_app_configs()]

    def setUp(self):
        self.enterContext(translation.override("en"))
        self.publication = PublicationFactory(code="qingchuan")
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def run_command(self, source, *extra):
        out, err = StringIO(), StringIO()
        call_command(
            "import_issue",
            str(source),
            "--publication",
            "qingchuan",
            "--date",
            "2026-03-03",
            *extra,
            stdout=out,
            stderr=err,
        )
        return out.getvalue(), err.getvalue()

    def test_a_folder(self):
        (self.folder / "01.pdf").write_bytes(corpus_pdf(0))
        (self.folder / "02-要闻.pdf").write_bytes(corpus_pdf(1))
        out, _ = self.run_command(self.folder)
        self.assertIn("2 pages imported, 0 refused", out)
        self.assertEqual(
            Article.objects.count(), len(expected(0)["articles"]) + len(expected(1)["articles"])
        )
        self.assertTrue(all(a.region for a in Article.objects.all()))

    def test_a_zip_with_a_bad_file_imports_the_rest_and_fails(self):
        source = self.folder / "issue.zip"
        source.write_bytes(zipped({"01.pdf": corpus_pdf(0), "02.pdf": b"no"}))
        with self.assertRaisesMessage(CommandError, "1 pages imported, 1 refused"):
            self.run_command(source)
        self.assertEqual(list(Page.objects.values_list("number", flat=True)), [1])

    def test_a_link_out_of_the_folder_is_not_read(self):
        outside = Path(self.enterContext(tempfile.TemporaryDirectory())) / "01.pdf"
        outside.write_bytes(corpus_pdf(0))
        (self.folder / "01.pdf").symlink_to(outside)
        (self.folder / "02.pdf").write_bytes(corpus_pdf(1))
        _, err = self.run_command(self.folder)
        self.assertIn("not a file in the folder", err)
        self.assertEqual(list(Page.objects.values_list("number", flat=True)), [2])

    def test_bad_arguments(self):
        for args, message in [
            (["--publication", "nope", "--date", "2026-03-03"], "No publication has the code"),
            (["--publication", "qingchuan", "--date", "3/3/2026"], "is not a date"),
            (["--publication", "qingchuan", "--date", "0001-01-01"], "between 1900 and 2200"),
        ]:
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                call_command("import_issue", str(self.folder), *args)
        with self.assertRaisesMessage(CommandError, "the folder is empty"):
            self.run_command(self.folder)
        with self.assertRaisesMessage(CommandError, "no such file or folder"):
            self.run_command(self.folder / "missing")
        self.assertFalse(Issue.objects.exists())
