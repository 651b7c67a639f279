"""manage.py import_page: dry runs, imports, folders, and a clear refusal for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from articles.models import Article, Byline, Contributor, Issue, Page, Photo
from articles.pageparser import MAX_PAGE_BYTES, decode_page, parse_page

from .factories import PublicationFactory

PAGES = Path(__file__).parent / "pages"
IMPORT = ["--publication", "qingchuan", "--date", "2024-05-08", "--page", "3"]


def run(*args: str) -> tuple[str, str]:
    """Run the command; its stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_page", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class ImportCommandTests(TestCase):
    def setUp(self):
        # Messages are checked in their English source form, whatever the site's language.
        self.enterContext(translation.override("en"))
        self.publication = PublicationFactory(code="qingchuan", name="青川日报")
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, name: str, data: bytes | str) -> str:
        path = self.folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(path)

    def assert_nothing_stored(self):
        for model in (Issue, Page, Article, Photo, Byline, Contributor):
            self.assertFalse(model.objects.exists(), model.__name__)

    # Dry runs.

    def test_dry_run_prints_only_the_json_document(self):
        """--dry-run prints the parsed document as JSON, nothing else, and stores nothing."""
        path = PAGES / "photo_credits.txt"
        out, err = run(str(path), "--dry-run")
        self.assertEqual(json.loads(out), parse_page(decode_page(path.read_bytes())).as_dict())
        self.assertIn("滨江夜市", out)  # ensure_ascii=False: Chinese as it is, not \u escapes
        self.assertEqual(err, "")
        self.assert_nothing_stored()

    def test_dry_run_of_a_folder_prints_a_document_per_file(self):
        """With several files, --dry-run prints one JSON object of documents keyed by file."""
        self.write("b.txt", (PAGES / "syndicated.txt").read_bytes())
        self.write("a.txt", (PAGES / "place_dateline.txt").read_bytes())
        out, _ = run(str(self.folder), "--dry-run")
        documents = json.loads(out)
        self.assertEqual(list(documents), [str(self.folder / "a.txt"), str(self.folder / "b.txt")])
        self.assertEqual(documents[str(self.folder / "a.txt")]["articles"][0]["dateline"], "松阳讯")

    # Importing.

    def test_imports_one_file(self):
        """Without --dry-run, the page is stored and a one-line summary printed."""
        out, _ = run(str(PAGES / "photo_credits.txt"), *IMPORT, "--page-name", "要闻")
        page = Page.objects.get()
        self.assertEqual((page.number, page.name), (3, "要闻"))
        self.assertEqual(page.articles.count(), 1)
        self.assertEqual(Photo.objects.filter(page=page).count(), 2)
        self.assertIn("1 articles, 2 photos", out)

    def test_replace_imports_the_page_again(self):
        """--replace swaps an earlier import of the page for the new one."""
        run(str(PAGES / "photo_credits.txt"), *IMPORT)
        out, _ = run(str(PAGES / "syndicated.txt"), *IMPORT, "--replace")
        self.assertEqual(
            list(Article.objects.values_list("headline", flat=True)),
            ["科学家在深海发现新型发光生物"],
        )
        self.assertFalse(Photo.objects.exists())
        self.assertIn("replaced", out)

    def test_folder_imports_pages_in_sorted_order(self):
        """A folder's .txt files become pages N, N+1, … in sorted order, with a summary."""
        self.write("02.txt", (PAGES / "syndicated.txt").read_bytes())
        self.write("01.txt", (PAGES / "photo_credits.txt").read_bytes())
        self.write("notes.md", "not a page")
        out, err = run(str(self.folder), *IMPORT)
        self.assertEqual(
            list(Article.objects.order_by("page__number").values_list("page__number", "headline")),
            [(3, "夜市经济点亮城市烟火气"), (4, "科学家在深海发现新型发光生物")],
        )
        self.assertIn("2 pages imported: 2 articles, 2 photos; 0 skipped", out)
        self.assertIn("2/2", err)  # the progress bar

    def test_folder_import_again_skips_pages_already_imported(self):
        """Running a folder again skips its pages and changes nothing; that is not an error."""
        self.write("01.txt", (PAGES / "syndicated.txt").read_bytes())
        run(str(self.folder), *IMPORT)
        out, err = run(str(self.folder), *IMPORT)
        self.assertEqual(Article.objects.count(), 1)
        self.assertIn("0 pages imported: 0 articles, 0 photos; 1 skipped", out)
        self.assertIn("already has articles", err)

    def test_folder_import_reports_a_bad_file_and_imports_the_rest(self):
        """A bad file in a folder fails on its own: the others are stored, the summary says so."""
        self.write("01.txt", (PAGES / "syndicated.txt").read_bytes())
        self.write("02.txt", b"")
        self.write("03.txt", (PAGES / "place_dateline.txt").read_bytes())
        with self.assertRaisesMessage(CommandError, "2 pages imported") as raised:
            run(str(self.folder), *IMPORT)
        self.assertIn("1 failed", str(raised.exception))
        self.assertEqual(
            list(Page.objects.order_by("number").values_list("number", flat=True)), [3, 5]
        )

    # Bad input: a clear message, and nothing stored.

    def test_bad_files_are_refused(self):
        """Binary, empty, blank, oversized and article-less files: CommandError, nothing stored."""
        bad = {
            "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
            "empty": (b"", "empty"),
            "blank": (b"  \n\n ", "white space"),
            "oversized": (b"a" * (MAX_PAGE_BYTES + 1), "10 MB"),
            "no article": ("只有一段文字,没有标题。\n还有一段,也没有。\n".encode(), "No article"),
        }
        for name, (data, message) in bad.items():
            path = self.write(f"{name}.txt", data)
            for options in (["--dry-run"], IMPORT):
                with (
                    self.subTest(name, options=options),
                    self.assertRaisesMessage(CommandError, message),
                ):
                    run(path, *options)
        self.assert_nothing_stored()

    def test_missing_path_is_refused(self):
        """A path that is neither a file nor a folder is refused."""
        with self.assertRaisesMessage(CommandError, "no such file or folder"):
            run(str(self.folder / "missing.txt"), *IMPORT)
        self.assert_nothing_stored()

    def test_folder_without_pages_is_refused(self):
        """A folder with no .txt file in it is refused."""
        self.write("notes.md", "not a page")
        with self.assertRaisesMessage(CommandError, "no .txt files"):
            run(str(self.folder), *IMPORT)

    def test_unreadable_file_is_refused(self):
        """A file that cannot be read (no permission) is refused with a message naming it."""
        path = self.write("page.txt", (PAGES / "syndicated.txt").read_bytes())
        denied = PermissionError(13, "Permission denied")
        with (
            mock.patch.object(Path, "open", side_effect=denied),
            self.assertRaisesMessage(CommandError, "page.txt: cannot read the file"),
        ):
            run(path, *IMPORT)
        self.assert_nothing_stored()

    def test_unknown_publication_is_refused(self):
        """An unknown publication code is refused, naming the known ones."""
        with self.assertRaisesMessage(CommandError, "qingchuan"):
            run(str(PAGES / "syndicated.txt"), "--publication", "nope", *IMPORT[2:])
        self.assert_nothing_stored()

    def test_bad_dates_and_page_numbers_are_refused(self):
        """Dates not written YYYY-MM-DD, impossible dates and page numbers below 1 are refused."""
        cases = [
            (["--date", "08/05/2024"], "YYYY-MM-DD"),
            (["--date", "2024-02-30"], "YYYY-MM-DD"),
            (["--page", "0"], "page number"),
            (["--page", "three"], "page number"),
        ]
        for change, message in cases:
            options = dict(zip(IMPORT[::2], IMPORT[1::2], strict=True)) | dict([change])
            with self.subTest(change), self.assertRaisesMessage(CommandError, message):
                run(str(PAGES / "syndicated.txt"), *[x for pair in options.items() for x in pair])
        self.assert_nothing_stored()

    def test_required_options_without_dry_run(self):
        """Without --dry-run, each of --publication, --date and --page is required."""
        for missing in ("--publication", "--date", "--page"):
            index = IMPORT.index(missing)
            options = IMPORT[:index] + IMPORT[index + 2 :]
            with self.subTest(missing), self.assertRaisesMessage(CommandError, missing):
                run(str(PAGES / "syndicated.txt"), *options)
        self.assert_nothing_stored()

    def test_page_already_imported_is_refused(self):
        """Importing one file onto a page that has content, without --replace, is refused."""
        run(str(PAGES / "syndicated.txt"), *IMPORT)
        with self.assertRaisesMessage(CommandError, "replace"):
            run(str(PAGES / "place_dateline.txt"), *IMPORT)
        self.assertEqual(
            list(Article.objects.values_list("headline", flat=True)),
            ["科学家在深海发现新型发光生物"],
        )


def test_bad_input_exits_with_status_1_and_a_message():
    """From the shell, bad input prints a message on stderr and exits with status 1."""
    done = subprocess.run(
        [sys.executable, "manage.py", "import_page", "/nonexistent/page.txt", "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "/nonexistent/page.txt" in done.stderr
