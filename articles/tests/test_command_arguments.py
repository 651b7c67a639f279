"""Management commands given arguments they cannot use: a CommandError that says what to
give, and nothing stored. Checked with the rules the forms and the models hold to, not the
command's own looser ones (a page number, a page name, a user name, an address)."""

from __future__ import annotations

import random
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from articles import archive_words
from articles.management.commands.generate_archive import CONTRIBUTORS, Writer
from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Publication

from .factories import PublicationFactory

PAGE_TEXT = Path(__file__).parent / "pages" / "tuning" / "agency_photo_credit.txt"


def run(command: str, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


class ImportPageArgumentTests(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))
        PublicationFactory(code="qingchuan", name="青川日报")

    def run_import(self, **options):
        arguments = {"publication": "qingchuan", "date": "2024-05-08", "page": "3", **options}
        run("import_page", str(PAGE_TEXT), **arguments)

    def assert_nothing_stored(self):
        for model in (Issue, Page, Article, Photo, Byline):
            self.assertFalse(model.objects.exists(), model.__name__)

    def test_page_numbers_it_cannot_store(self):
        """² and ① are digits to str.isdigit() but not to int(); a number past 64 bits fails
        in SQLite; past 32767 in PostgreSQL; past Page.MAX_NUMBER in no paper."""
        for page in ["²", "①", "0", "-1", "1000", "40000", "99999999999999999999"]:
            with self.subTest(page=page):
                with self.assertRaisesMessage(CommandError, "is not a page number (1 to 999)"):
                    self.run_import(page=page)
                self.assert_nothing_stored()

    def test_a_page_name_it_cannot_store(self):
        """NUL, which PostgreSQL refuses in text, and a lone surrogate, which is no UTF-8."""
        for name in ["要\x00闻", "要\udcff闻"]:
            with self.subTest(name=name):
                with self.assertRaisesMessage(CommandError, "cannot be stored"):
                    self.run_import(page_name=name)
                self.assert_nothing_stored()

    def test_a_page_name_too_long_for_its_column(self):
        """Refused with the column's length, rather than cut short without a word."""
        with self.assertRaisesMessage(CommandError, "at most 50 characters"):
            self.run_import(page_name="要" * 51)
        self.assert_nothing_stored()

    def test_a_publication_code_of_bytes_that_are_not_utf8(self):
        """`--publication $'\\xff'` arrives as a surrogate escape: no such publication."""
        with self.assertRaisesMessage(CommandError, "No publication has the code “\\udcff”"):
            self.run_import(publication="\udcff")
        self.assert_nothing_stored()

    def test_import_issue_likewise(self):
        with self.assertRaisesMessage(CommandError, "No publication has the code"):
            run(
                "import_issue",
                str(Path(__file__).parent / "pdfpages"),
                publication="\udcff",
                date="2024-05-08",
            )
        self.assertFalse(Issue.objects.exists())


class NumberArgumentTests(TestCase):
    """Numbers out of a command's range, or no numbers (NaN passes every comparison as
    false, so a score could never fall below `--min nan`), are refused by the parser."""

    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_out_of_range(self):
        cases = [
            ("score_import", [str(PAGE_TEXT.parent)], {"min": "nan"}),
            ("score_import", [str(PAGE_TEXT.parent)], {"min": "2"}),
            ("generate_archive", [], {"articles": "1", "drafts": "2"}),
            ("generate_archive", [], {"articles": "1", "drafts": "-1"}),
            ("generate_archive", [], {"articles": "0"}),
            ("generate_archive", [], {"articles": "²"}),
            ("rebuild_search_index", [], {"jobs": "0"}),
            ("rebuild_search_index", [], {"jobs": "99999999999"}),
        ]
        for command, args, options in cases:
            with self.subTest(command, **options):
                # Given as on the command line: the parser's type converts the text.
                flags = [f"--{name}={value}" for name, value in options.items()]
                with self.assertRaisesMessage(CommandError, "number from"):
                    run(command, *args, *flags)
        self.assertFalse(Publication.objects.exists())


class GenerateArchiveTests(TestCase):
    def test_on_a_database_whose_people_share_its_names(self):
        """The demo's people share names the archive generates: it credits them rather than
        failing half-way with the publications it made first left behind (and every later
        run refused as "already holds a generated archive")."""
        rng = random.Random(1)  # the command's default seed, drawn as it draws
        Writer(rng)
        name = archive_words.person_names(rng, CONTRIBUTORS)[0]
        existing = Contributor.objects.create(name=name)
        run("generate_archive", articles=40, verbosity=0)
        self.assertEqual(Contributor.objects.filter(name=name).count(), 1)
        self.assertEqual(Article.objects.count(), 40)
        self.assertEqual(Contributor.objects.count(), CONTRIBUTORS)
        self.assertTrue(Contributor.objects.filter(pk=existing.pk).exists())


class CreateStaffArgumentTests(TestCase):
    """Django's user forms and createsuperuser refuse these; so does create_staff."""

    def setUp(self):
        self.enterContext(translation.override("en"))

    def create(self, username, **options):
        run("create_staff", username, role=["editor"], interactive=False, **options)

    def test_user_names_and_addresses_it_refuses(self):
        cases = [
            ("a b", {}, "Enter a valid username"),
            ("u" * 300, {}, "at most 150 characters"),
            ("wang\x00", {}, "Enter a valid username"),
            ("wang", {"email": "bad"}, "Enter a valid email address"),
        ]
        for username, options, message in cases:
            with self.subTest(username=username[:20], **options):
                with self.assertRaisesMessage(CommandError, message):
                    self.create(username, **options)
                self.assertFalse(get_user_model().objects.exists())

    def test_a_good_name_and_address_still_work(self):
        self.create("wang.li", email="wang@example.org")
        user = get_user_model().objects.get()
        self.assertEqual(
            (user.username, user.email, user.is_staff), ("wang.li", "wang@example.org", True)
        )
