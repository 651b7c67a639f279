"""import_page --from-json (a corrected document stored) and score_import (a folder scored)."""

from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from articles.models import Article, Byline, Contributor, Issue, Page, Photo
from articles.pageparser import decode_page, parse_page
from articles.pageparser.jsondoc import MAX_DOCUMENT_BYTES

from .factories import PublicationFactory

PAGES = Path(__file__).parent / "pages"
IMPORT = ["--publication", "qingchuan", "--date", "2024-05-08", "--page", "3"]


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def document() -> dict:
    """The dry run's document of a page with two articles and a photo."""
    path = PAGES / "tuning" / "evening_paper_photos.txt"
    return parse_page(decode_page(path.read_bytes())).as_dict()


class FromJsonTests(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))
        PublicationFactory(code="qingchuan", name="青川日报")
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, value: object, name: str = "page.json") -> str:
        path = self.folder / name
        data = value if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return str(path)

    def assert_refused(self, value: object, message: str) -> None:
        with self.assertRaisesMessage(CommandError, message):
            run("import_page", "--from-json", self.write(value), *IMPORT)
        for model in (Issue, Page, Article, Photo, Byline, Contributor):
            self.assertFalse(model.objects.exists(), model.__name__)

    def test_a_corrected_document_is_stored_as_edited(self):
        """The dry run's JSON, edited by hand, is stored with the editor's corrections."""
        edited = document()
        edited["articles"][0]["headline"] = "改过的标题"
        edited["articles"][1]["bylines"].append({"name": "李 四", "role": "editor"})
        del edited["photos"][1]
        out, _ = run("import_page", "--from-json", self.write(edited), *IMPORT)
        self.assertIn("2 articles, 1 photos", out)
        first, second = Article.objects.order_by("position")
        self.assertEqual(first.headline, "改过的标题")
        self.assertIn(
            ("李四", "editor"), {(b.contributor.name, b.role) for b in second.bylines.all()}
        )
        self.assertEqual(Photo.objects.count(), 1)

    def test_crossheads_are_kept_among_the_paragraphs(self):
        """Crossheads from JSON are stored inside the body, before a paragraph."""
        edited = document()
        edited["articles"][0]["crossheads"] = ["小标题"]
        run("import_page", "--from-json", self.write(edited), *IMPORT)
        body = Article.objects.order_by("position").first().body
        self.assertIn("小标题", body)
        self.assertFalse(body.endswith("小标题"))

    def test_dry_run_checks_the_document_and_prints_it(self):
        """--from-json with --dry-run prints the checked document and stores nothing."""
        out, _ = run("import_page", "--from-json", self.write(document()), "--dry-run")
        self.assertEqual(json.loads(out), document())
        self.assertFalse(Article.objects.exists())

    def test_a_missing_headline_is_named(self):
        """An article without its headline key is refused, naming the article."""
        edited = document()
        del edited["articles"][1]["headline"]
        self.assert_refused(edited, "articles[1]: the key “headline” is missing.")

    def test_an_empty_headline_is_named(self):
        """A blank headline is refused."""
        edited = document()
        edited["articles"][0]["headline"] = "  "
        self.assert_refused(edited, "articles[0].headline: must not be empty.")

    def test_an_unknown_role_is_named(self):
        """A byline role outside FORMAT.md's vocabulary is refused, with the roles there are."""
        edited = document()
        edited["photos"][0]["bylines"][0]["role"] = "painter"
        self.assert_refused(edited, "photos[0].bylines[0].role: “painter” is not a role")

    def test_wrong_types_are_named(self):
        """A string where a list belongs, or a number where a string belongs, is refused."""
        edited = document()
        edited["articles"][0]["paragraphs"] = "一段"
        self.assert_refused(edited, "articles[0].paragraphs: expected a list, found a string.")
        edited = document()
        edited["credits"] = [{"name": 5, "role": "page_editor"}]
        self.assert_refused(edited, "credits[0].name: expected a string, found a number.")

    def test_unknown_keys_are_named(self):
        """A key FORMAT.md does not have is refused rather than silently dropped."""
        edited = document()
        edited["articles"][0]["author"] = "张三"
        self.assert_refused(edited, "articles[0]: unknown key “author”.")

    def test_a_page_without_articles_or_photos_is_refused(self):
        """A document must hold an article or a photo (a page of pictures alone)."""
        self.assert_refused(
            {"credits": [], "articles": [], "photos": []}, "neither an article nor a photo"
        )

    def test_not_json_is_refused(self):
        """Text that is not JSON is refused with where the JSON went wrong."""
        self.assert_refused(b'{"credits": [', "The document is not valid JSON")

    def test_too_large_is_refused(self):
        """A document over 10 MB is refused before it is read."""
        self.assert_refused(b" " * (MAX_DOCUMENT_BYTES + 1), "a page's JSON may be at most 10 MB")

    def test_deep_nesting_is_refused(self):
        """Deeply nested JSON is refused before the JSON parser recurses into it."""
        self.assert_refused(b"[" * 100_000 + b"]" * 100_000, "nested more than 8 levels")

    def test_page_files_and_json_together_are_refused(self):
        """--from-json stores one document; page files beside it are a mistake."""
        with self.assertRaisesMessage(CommandError, "not both"):
            run("import_page", "x.txt", "--from-json", self.write(document()), *IMPORT)


class ScoreImportTests(SimpleTestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_scores_a_folder_figure_by_figure(self):
        """Every figure and the score are printed for a folder of cases."""
        out, _ = run("score_import", str(PAGES / "tuning"))
        lines = dict(line.split(": ") for line in out.strip().splitlines())
        self.assertIn("articles", lines)
        self.assertGreaterEqual(float(lines["score"]), 0.95)

    def test_min_fails_below_the_score(self):
        """--min makes a score below it an error, for scripts and CI."""
        with self.assertRaisesMessage(CommandError, "below 1.000"):
            run("score_import", str(PAGES / "tuning"), "--min", "1")

    def test_a_folder_without_cases_is_refused(self):
        """A folder with no NAME.txt + NAME.expected.json pairs is refused."""
        with (
            tempfile.TemporaryDirectory() as folder,
            self.assertRaisesMessage(CommandError, "no test cases"),
        ):
            run("score_import", folder)
