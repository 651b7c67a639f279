"""What every admin form holds to, driven through the admin as the staff would: no lost
edit, and bad input a form error, never a 500 (articles/admin_forms.py)."""

import datetime
import threading
from unittest import mock

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.signals import request_started
from django.db import IntegrityError, connection, transaction
from django.test import Client, SimpleTestCase, TransactionTestCase
from reversion.models import Version

from articles.admin import ArticleAdmin, ArticleAdminForm
from articles.models import Article, Byline, Correction, Issue, Page, Photo

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    image_upload,
)
from .test_admin import admin_url, inline_management
from .test_settings import PRODUCTION_ENV, manage
from .test_workflow import StaffTestCase, form_data, page_form, photo_form


def rows(prefix: str, objects, fields, extra=()) -> dict:
    """An inline's posted rows: the stored `objects` as shown (with their versions), then
    `extra` new rows, each a dict of field values."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(objects) + len(extra)),
        f"{prefix}-INITIAL_FORMS": str(len(objects)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, obj in enumerate(objects):
        data[f"{prefix}-{index}-id"] = obj.pk
        data[f"{prefix}-{index}-seen_version"] = obj.version
        for name in fields:
            data[f"{prefix}-{index}-{name}"] = obj._meta.get_field(name).value_from_object(obj)
    for offset, values in enumerate(extra, start=len(objects)):
        for name, value in values.items():
            data[f"{prefix}-{offset}-{name}"] = value
    return data


class LostEditTests(StaffTestCase):
    """A form opened before a colleague's save is refused, on its own form or as an inline
    row of another; nothing the colleague saved is undone."""

    def setUp(self):
        self.issue = IssueFactory(draft=True)
        self.page = PageFactory(issue=self.issue, name="要闻")
        self.page.editors.add(self.editor)
        self.article = ArticleFactory(page=self.page, draft=True, created_by=self.reporter)
        self.photo = PhotoFactory(article=self.article, caption="原说明")

    def article_form(self, **changes) -> dict:
        self.article.refresh_from_db()
        self.photo.refresh_from_db()
        photos = rows("photos", [self.photo], ["title", "caption", "position"])
        return {**form_data(self.article, **photos), **changes}

    def test_a_stale_photo_form_is_refused(self):
        """Two editors open one photo; the second save is refused and names the caption."""
        url = admin_url(Photo, "change", self.photo.pk)
        self.client.force_login(self.editor)
        opened = photo_form(self.photo)
        self.assertEqual(
            self.client.post(url, photo_form(self.photo, caption="编辑改的说明")).status_code, 302
        )
        self.client.force_login(self.chief)
        refused = self.client.post(url, {**opened, "title": "总编的标题"})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "编辑改的说明")
        self.photo.refresh_from_db()
        self.assertEqual((self.photo.caption, self.photo.title), ("编辑改的说明", ""))

    def test_a_stale_page_form_is_refused(self):
        """The editor renames their page; the chief's stale form does not undo it."""
        url = admin_url(Page, "change", self.page.pk)
        opened = page_form(self.page)
        self.client.force_login(self.editor)
        self.assertEqual(self.client.post(url, page_form(self.page, name="经济")).status_code, 302)
        self.client.force_login(self.chief)
        refused = self.client.post(url, {**opened, "number": 7})
        self.assertContains(refused, "经济")
        self.page.refresh_from_db()
        self.assertEqual((self.page.name, self.page.number), ("经济", opened["number"]))

    def test_an_article_forms_photo_row_moves_the_photos_version(self):
        """A caption changed in the article form's photo section makes a photo form opened
        before it stale: it cannot put the old caption back."""
        opened = photo_form(self.photo)
        self.client.force_login(self.reporter)
        saved = self.client.post(
            admin_url(Article, "change", self.article.pk),
            self.article_form(**{"photos-0-caption": "文章表单改的说明"}),
        )
        self.assertEqual(saved.status_code, 302)
        refused = self.client.post(admin_url(Photo, "change", self.photo.pk), opened)
        self.assertContains(refused, "文章表单改的说明")
        self.photo.refresh_from_db()
        self.assertEqual(self.photo.caption, "文章表单改的说明")

    def test_a_stale_photo_row_in_the_article_form_is_refused(self):
        """A photo changed on its own form since the article form was opened: the article
        form's stale row is refused, changed or marked for deletion."""
        stale = self.article_form()
        self.client.force_login(self.editor)
        self.client.post(
            admin_url(Photo, "change", self.photo.pk), photo_form(self.photo, caption="新说明")
        )
        url = admin_url(Article, "change", self.article.pk)
        for changes in ({"photos-0-caption": "旧表单的说明"}, {"photos-0-DELETE": "on"}):
            with self.subTest(changes=changes):
                # The article's own version is current: only the photo row is stale.
                self.article.refresh_from_db()
                data = {**stale, **changes, "seen_version": self.article.version}
                refused = self.client.post(url, data)
                self.assertEqual(refused.status_code, 200)
                self.assertContains(refused, "新说明")
                self.photo.refresh_from_db()
                self.assertEqual(self.photo.caption, "新说明")

    def test_a_stale_credit_row_is_refused(self):
        """A credit changed by a colleague since the page form was opened is not undone."""
        credit = BylineFactory(page=self.page, role=Byline.Role.PAGE_EDITOR)
        other = ContributorFactory()
        url = admin_url(Page, "change", self.page.pk)
        stale = page_form(self.page, **rows("credits", [credit], ["contributor", "role", "order"]))
        self.client.force_login(self.editor)
        fresh = {**stale, "credits-0-contributor": other.pk}
        self.assertEqual(self.client.post(url, fresh).status_code, 302)
        self.page.refresh_from_db()
        refused = self.client.post(
            url, {**stale, "seen_version": self.page.version, "credits-0-order": 5}
        )
        self.assertEqual(refused.status_code, 200)
        credit.refresh_from_db()
        self.assertEqual((credit.contributor_id, credit.order), (other.pk, 0))

    def test_a_restore_makes_forms_opened_before_it_stale(self):
        """Restoring an article reverts its photo to an old version number too; the photo
        then moves past every number it had, so that a photo form opened before the restore
        stays stale after a colleague's next save."""
        url = admin_url(Article, "change", self.article.pk)
        self.client.force_login(self.chief)
        self.client.post(url, self.article_form(**{"photos-0-caption": "第一次"}))
        self.client.post(url, self.article_form(**{"photos-0-caption": "第二次"}))
        self.photo.refresh_from_db()
        opened = photo_form(self.photo)
        older = Version.objects.get_for_object(self.article).last()
        restore = self.client.post(
            admin_url(Article, "revision", self.article.pk, older.pk),
            self.article_form(**{"photos-0-caption": "第一次"}),  # as the restore form shows
        )
        self.assertEqual(restore.status_code, 302)
        self.photo.refresh_from_db()
        self.assertEqual(self.photo.caption, "第一次")
        colleague = self.client.post(
            admin_url(Photo, "change", self.photo.pk), photo_form(self.photo, caption="同事的说明")
        )
        self.assertEqual(colleague.status_code, 302)
        refused = self.client.post(admin_url(Photo, "change", self.photo.pk), opened)
        self.assertEqual(refused.status_code, 200)
        self.photo.refresh_from_db()
        self.assertEqual(self.photo.caption, "同事的说明")


class SimultaneousSaveTests(TransactionTestCase):
    """Two saves of one article at the same moment, each in its own thread and connection:
    on SQLite (a file, as the README's default) and PostgreSQL alike, one is saved and the
    other refused as stale; neither is a 500."""

    # Naming the apps lets the flush TRUNCATE ... CASCADE the search table on PostgreSQL.
    available_apps = [config.name for config in apps.get_app_configs()]

    def test_the_second_waits_then_is_refused(self):
        """The first save holds the lock inside its version check until the second request
        is on its way into the same form; the second then finds the new version."""
        article = ArticleFactory(draft=True, headline="原标题")
        users = [
            get_user_model().objects.create_superuser(name, password="pw")
            for name in ("zhang", "li")
        ]
        first_checking, second_arriving = threading.Event(), threading.Event()
        clean = ArticleAdmin.form.clean

        def clean_holding_the_lock(form):
            result = clean(form)  # the row is locked from here until the save commits
            if threading.current_thread().name == "zhang":
                first_checking.set()
                self.assertTrue(second_arriving.wait(timeout=30))
            return result

        def arriving(**kwargs):
            if threading.current_thread().name == "li":
                second_arriving.set()

        results = {}
        clients = {}
        for user in users:  # before the threads: a login writes, and would wait for the lock
            clients[user] = Client()
            clients[user].force_login(user)

        def save(user, headline):
            client = clients[user]
            try:
                response = client.post(
                    admin_url(Article, "change", article.pk), form_data(article, headline=headline)
                )
                results[headline] = response.status_code
            finally:
                connection.close()

        first = threading.Thread(target=save, args=(users[0], "张的标题"), name="zhang")
        second = threading.Thread(target=save, args=(users[1], "李的标题"), name="li")
        request_started.connect(arriving)
        self.addCleanup(request_started.disconnect, arriving)
        with mock.patch.object(ArticleAdmin.form, "clean", clean_holding_the_lock):
            first.start()
            self.assertTrue(first_checking.wait(timeout=30))
            second.start()
            for thread in (first, second):
                thread.join(timeout=60)
        self.assertEqual(results, {"张的标题": 302, "李的标题": 200})
        article.refresh_from_db()
        self.assertEqual((article.headline, article.version), ("张的标题", 2))


class SQLiteSettingsTests(SimpleTestCase):
    def test_writers_wait_for_the_lock_on_laptop_and_server(self):
        """On SQLite, local and production settings both begin each transaction by taking
        the write lock, and wait for it rather than fail at once."""
        show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
        for module, env in (
            ("newsroom.settings.local", {}),
            ("newsroom.settings.production", PRODUCTION_ENV),
        ):
            with self.subTest(module=module):
                result = manage(
                    "shell",
                    "-c",
                    show,
                    **{**env, "DJANGO_SETTINGS_MODULE": module, "DATABASE_URL": "sqlite:///x"},
                )
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("'transaction_mode': 'IMMEDIATE', 'timeout': 20", result.stdout)


class OutOfRangeDateTests(StaffTestCase):
    """Dates an editor types stay within 1900 to 2200: a form error, and a named database
    constraint behind it."""

    def test_the_chiefs_publish_time_at_the_edges(self):
        """0001-01-01 00:00 and its like are refused with the range; the article keeps its
        time, and every reader page goes on working."""
        article = ArticleFactory(draft=True)
        url = admin_url(Article, "change", article.pk)
        self.client.force_login(self.chief)
        for day in ("0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"):
            with self.subTest(day=day):
                article.refresh_from_db()
                response = self.client.post(
                    url,
                    form_data(article, published_at_0=day, published_at_1="00:00:00"),
                    headers={"accept-language": "en"},
                )
                self.assertContains(response, "Enter a date between 1900-01-01 and 2200-12-31")
        chinese = self.client.post(
            url, form_data(article, published_at_0="0001-01-01", published_at_1="00:00:00")
        )
        self.assertContains(chinese, "请输入 1900-01-01 至 2200-12-31 之间的日期")
        article.refresh_from_db()
        self.assertIsNone(article.published_at)
        for day in ("1900-01-01", "2200-12-31"):
            with self.subTest(day=day):
                response = self.client.post(
                    url, form_data(article, published_at_0=day, published_at_1="00:00:00")
                )
                self.assertEqual(response.status_code, 302)
                article.refresh_from_db()

    def test_issue_and_correction_dates(self):
        """The issue's date and a correction's date are held to the same range."""
        issue = IssueFactory(draft=True)
        article = ArticleFactory(page=PageFactory(issue=issue), draft=True)
        self.client.force_login(self.chief)
        response = self.client.post(
            admin_url(Issue, "change", issue.pk),
            {
                "publication": issue.publication_id,
                "date": "0001-01-01",
                "seen_version": issue.version,
                **inline_management("pages"),
            },
        )
        self.assertIn("date", response.context["adminform"].form.errors)
        response = self.client.post(
            admin_url(Article, "change", article.pk),
            form_data(
                article,
                **{
                    "corrections-TOTAL_FORMS": "1",
                    "corrections-0-date": "9999-12-31",
                    "corrections-0-text": "更正。",
                },
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Correction.objects.exists())
        issue.refresh_from_db()
        self.assertNotEqual(issue.date.year, 1)

    def test_the_database_refuses_them_too(self):
        """Written past the forms, an out-of-range time or date fails its named constraint."""
        article = ArticleFactory(draft=True)
        issue = article.page.issue
        long_ago = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
        for queryset, changes, name in (
            (Article.objects.filter(pk=article.pk), {"published_at": long_ago}, "published_at"),
            (Issue.objects.filter(pk=issue.pk), {"date": datetime.date(9999, 12, 31)}, "date"),
        ):
            with (
                self.subTest(name=name),
                self.assertRaisesMessage(IntegrityError, f"_{name}_sensible"),
                transaction.atomic(),
            ):
                queryset.update(**changes)


class DuplicateRowTests(StaffTestCase):
    """Rows that a unique constraint forbids are a form error, however they arrive."""

    def setUp(self):
        self.page = PageFactory(issue=IssueFactory(draft=True), number=2)
        self.page.editors.add(self.editor)
        self.article = ArticleFactory(page=self.page, draft=True, created_by=self.reporter)
        self.contributor = ContributorFactory()

    def credit(self) -> dict:
        return {"contributor": self.contributor.pk, "role": Byline.Role.REPORTER, "order": 0}

    def test_two_equal_credits_in_one_save(self):
        """The same contributor twice in one role, on an article and on a page: refused."""
        self.client.force_login(self.editor)
        for url, data in (
            (
                admin_url(Article, "change", self.article.pk),
                form_data(self.article, **rows("bylines", [], [], [self.credit(), self.credit()])),
            ),
            (
                admin_url(Page, "change", self.page.pk),
                page_form(self.page, **rows("credits", [], [], [self.credit(), self.credit()])),
            ),
        ):
            with self.subTest(url=url):
                response = self.client.post(url, data, headers={"accept-language": "en"})
                self.assertContains(response, "Please correct the duplicate data")
        self.assertFalse(Byline.objects.exists())

    def test_a_credit_already_stored(self):
        """A new row equal to a stored credit that the form did not show: refused too."""
        BylineFactory(article=self.article, contributor=self.contributor)
        self.client.force_login(self.reporter)
        response = self.client.post(
            admin_url(Article, "change", self.article.pk),
            form_data(self.article, **rows("bylines", [], [], [self.credit()])),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Byline.objects.count(), 1)

    def test_an_editors_page_number_already_used(self):
        """The issue is read-only for an editor, and the page number still unique in it."""
        PageFactory(issue=self.page.issue, number=3)
        self.client.force_login(self.editor)
        response = self.client.post(
            admin_url(Page, "change", self.page.pk),
            page_form(self.page, number=3),
            headers={"accept-language": "en"},
        )
        self.assertContains(response, "already exists")
        self.page.refresh_from_db()
        self.assertEqual(self.page.number, 2)

    def test_a_page_number_through_the_issues_page_rows(self):
        """A page added in the issue form with a number the issue has: refused."""
        issue = self.page.issue
        self.client.force_login(self.chief)
        response = self.client.post(
            admin_url(Issue, "change", issue.pk),
            {
                "publication": issue.publication_id,
                "date": issue.date.isoformat(),
                "seen_version": issue.version,
                **rows("pages", [], [], [{"number": 2, "name": "重复"}]),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Page.objects.filter(issue=issue).count(), 1)


class BadInputTests(StaffTestCase):
    """JSON past its bounds and text that cannot be stored: form errors, nothing saved."""

    def setUp(self):
        # On a page with a scan: the region field is only there to draw on one.
        page = PageFactory(scan=image_upload(size=(200, 300)))
        self.article = ArticleFactory(page=page, draft=True, headline="原标题")
        self.url = admin_url(Article, "change", self.article.pk)
        self.client.force_login(self.chief)

    def assert_refused(self, field: str, value: str) -> None:
        response = self.client.post(self.url, form_data(self.article, **{field: value}))
        self.assertEqual(response.status_code, 200)
        self.assertIn(field, response.context["adminform"].form.errors)
        self.article.refresh_from_db()
        self.assertEqual((self.article.headline, self.article.region), ("原标题", None))

    def test_json_past_its_bounds(self):
        """Deep nesting, a long text, a number too long to read, NaN and a NUL escape."""
        for value in (
            "[" * 5000,
            "[" * 20 + "]" * 20,
            "[" + "[1, 2], " * 5000 + "[1, 2]]",
            "[[1, 2], [3, 4], [5, " + "9" * 5000 + "]]",
            "[[1, 2], [3, 4], [5, NaN]]",
            '["\\u0000", "\\ud800", "x"]',
        ):
            with self.subTest(value=value[:30]):
                self.assert_refused("region", value)

    def test_text_that_cannot_be_stored(self):
        """A NUL in any text field is a form error."""
        for field in ("headline", "body", "kicker", "syndicated_from", "transition_reason"):
            with self.subTest(field=field):
                self.assert_refused(field, "标题\x00")

    def test_lone_surrogates_in_a_form_used_directly(self):
        """A lone surrogate (only possible from code, e.g. an import) is a form error too."""
        bound = ArticleAdminForm(
            data=form_data(self.article, headline="标题\ud800"),
            instance=self.article,
            user=self.chief,
        )
        self.assertIn("headline", bound.errors)
