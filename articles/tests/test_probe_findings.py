"""Defects found by probing with bad input: each test fails until its defect is fixed.

The project's standard: bad input anywhere (form, upload, command, URL, query string) gets a
clear message and changes nothing: no 500, no traceback, nothing half-saved.
"""

from __future__ import annotations

import logging
import random
from io import StringIO
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase
from django.utils import timezone, translation

from articles import archive_words
from articles.management.commands.generate_archive import CONTRIBUTORS, Writer
from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Publication

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PageFactory,
    PublicationFactory,
)

PAGE_TEXT = Path(__file__).parent / "pages" / "tuning" / "agency_photo_credit.txt"


class QuietRequests:
    """500s counted as status codes, without their tracebacks in the output."""

    def setUp(self):
        super().setUp()
        self.client.raise_request_exception = False
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        self.addCleanup(logger.setLevel, level)


class ContributorFilterDigitsTests(QuietRequests, TestCase):
    """`?contributor=²`: str.isdigit() is true of superscripts and circled digits, which int()
    refuses (articles/filters.py, ContributorField.clean): ValueError, a 500."""

    @classmethod
    def setUpTestData(cls):
        article = ArticleFactory(published_at=timezone.now())
        BylineFactory(article=article, contributor=ContributorFactory(name="李元平"))

    def test_article_list_contributor_superscript_digit(self):
        statuses = {
            value: self.client.get("/articles/?contributor=" + quote(value)).status_code
            for value in ["²", "①", "¹²"]
        }
        self.assertEqual([v for v, status in statuses.items() if status >= 500], [])

    def test_search_contributor_superscript_digit(self):
        response = self.client.get("/search/?q=" + quote("新闻") + "&contributor=" + quote("²"))
        self.assertLess(response.status_code, 500)


class AdminAddInitialTests(QuietRequests, TestCase):
    """An add form's initial values from the query string (`?issue=x`), as the admin's own
    links send them: a foreign key shown as an autocomplete field, or a date-time field, with
    a value that is not one gives a 500 instead of an empty or refused field."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.superuser)

    def test_foreign_key_initial_not_a_number(self):
        urls = [
            "/admin/articles/issue/add/?publication=x",
            "/admin/articles/page/add/?issue=x",
            "/admin/articles/article/add/?page=x",
            "/admin/articles/article/add/?source=x",
            "/admin/articles/photo/add/?article=x",
            "/admin/articles/contributor/add/?user=x",
        ]
        self.assertEqual([url for url in urls if self.client.get(url).status_code >= 500], [])

    def test_foreign_key_initial_out_of_range(self):
        response = self.client.get("/admin/articles/page/add/?issue=99999999999999999999")
        self.assertLess(response.status_code, 500)

    def test_datetime_initial_not_a_date(self):
        response = self.client.get("/admin/articles/article/add/?published_at=x")
        self.assertLess(response.status_code, 500)


class AdminActionBogusIdsTests(QuietRequests, TestCase):
    """An admin action posted with a selected id that is no id (`_selected_action=x`, or one
    past the database's integers): ValueError / OverflowError, a 500, on every changelist."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")
        cls.page = PageFactory()

    def setUp(self):
        super().setUp()
        self.client.force_login(self.superuser)

    def test_delete_selected_with_bogus_ids(self):
        failed = []
        for model in ["publication", "issue", "page", "article", "photo", "contributor"]:
            for bogus in ["x", "99999999999999999999"]:
                response = self.client.post(
                    f"/admin/articles/{model}/",
                    {"action": "delete_selected", "_selected_action": [bogus], "index": "0"},
                )
                if response.status_code >= 500:
                    failed.append(f"{model} {bogus}")
        self.assertEqual(failed, [])
        self.assertTrue(Page.objects.filter(pk=self.page.pk).exists())


class ImportPageCommandArgumentTests(TestCase):
    """manage.py import_page with bad arguments: a traceback, or a row the database cannot
    hold, instead of a CommandError and nothing stored."""

    def setUp(self):
        self.enterContext(translation.override("en"))
        PublicationFactory(code="qingchuan", name="青川日报")

    def run_import(self, **options):
        arguments = {"publication": "qingchuan", "date": "2024-05-08", "page": "3", **options}
        call_command(
            "import_page", str(PAGE_TEXT), stdout=StringIO(), stderr=StringIO(), **arguments
        )

    def assert_nothing_stored(self):
        for model in (Issue, Page, Article, Photo, Byline):
            self.assertFalse(model.objects.exists(), model.__name__)

    def test_page_superscript_digit(self):
        # "²".isdigit() is true; int("²") raises ValueError (import_page.py, _page_number).
        with self.assertRaises(CommandError):
            self.run_import(page="²")
        self.assert_nothing_stored()

    def test_page_number_too_large(self):
        # OverflowError on SQLite (a DataError on PostgreSQL) from the page's get_or_create.
        with self.assertRaises(CommandError):
            self.run_import(page="99999999999999999999")
        self.assert_nothing_stored()

    def test_page_number_beyond_small_integer(self):
        # Page.number is a PositiveSmallIntegerField (at most 32767), as the admin's form
        # enforces; the command stores 40000 on SQLite (PostgreSQL: smallint out of range).
        with self.assertRaises(CommandError):
            self.run_import(page="40000")
        self.assert_nothing_stored()

    def test_page_name_with_nul(self):
        # The forms refuse NUL in text ("no NUL or broken characters"); the command stores it
        # on SQLite, and PostgreSQL refuses it with a ValueError traceback.
        with self.assertRaises(CommandError):
            self.run_import(page_name="要\x00闻")
        self.assert_nothing_stored()

    def test_publication_not_utf8(self):
        # A code given in bytes that are not UTF-8 (argv's surrogate escapes):
        # UnicodeEncodeError from the publication lookup, not the "no publication" message.
        with self.assertRaises(CommandError):
            self.run_import(publication="\udcff")
        self.assert_nothing_stored()


class ImportIssueCommandArgumentTests(TestCase):
    def test_publication_not_utf8(self):
        """manage.py import_issue DIR --publication $'\\xff': UnicodeEncodeError traceback."""
        PublicationFactory(code="qingchuan")
        with self.assertRaises(CommandError):
            call_command(
                "import_issue",
                str(Path(__file__).parent / "pdfpages"),
                publication="\udcff",
                date="2024-05-08",
                stdout=StringIO(),
                stderr=StringIO(),
            )
        self.assertFalse(Issue.objects.exists())


class GenerateArchiveTests(TransactionTestCase):
    """manage.py generate_archive on a database whose contributors include a name it
    generates (the demo's 《清河日报》 does, with the default seed): IntegrityError, and the
    publications it created first stay, so every later run is refused as "already holds a
    generated archive"."""

    def test_existing_contributor_name(self):
        rng = random.Random(1)  # the command's default seed, drawn as it draws
        Writer(rng)
        name = archive_words.person_names(rng, CONTRIBUTORS)[0]
        Contributor.objects.create(name=name)
        raised = None
        try:
            call_command("generate_archive", articles=1, verbosity=0, stdout=StringIO())
        except Exception as error:  # noqa: BLE001 - what it raises is what is checked
            raised = error
        left = list(
            Publication.objects.filter(code__startswith="archive").values_list("code", flat=True)
        )
        self.assertEqual(left, [] if raised else left, f"left behind after {raised!r}")
        if raised is not None:
            self.assertIsInstance(raised, CommandError)


class CreateStaffTests(TestCase):
    """manage.py create_staff stores user names and addresses that Django's own user forms
    and createsuperuser refuse: a space in the name, a name over 150 characters (a
    DataError on PostgreSQL), an address that is not one."""

    def create(self, username, **options):
        call_command(
            "create_staff",
            username,
            role=["editor"],
            interactive=False,
            stdout=StringIO(),
            stderr=StringIO(),
            **options,
        )

    def test_username_with_space(self):
        with self.assertRaises(CommandError):
            self.create("a b")
        self.assertFalse(get_user_model().objects.exists())

    def test_username_too_long(self):
        with self.assertRaises(CommandError):
            self.create("u" * 300)
        self.assertFalse(get_user_model().objects.exists())

    def test_email_not_an_address(self):
        with self.assertRaises(CommandError):
            self.create("wang", email="bad")
        self.assertFalse(get_user_model().objects.exists())
