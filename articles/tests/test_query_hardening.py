"""Query strings a person would never type: clear refusals, never a 500 (issue 11).

One test per class of defect; test_querystring_fuzz.py tries every value on every address.
"""

import django_filters
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from articles import filters
from articles.admin_site import GuardedQueryStringAdmin

from .factories import ArticleFactory, ContributorFactory, PageFactory

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


class ReaderDateRangeTests(TestCase):
    """Reader date filters keep to 1900–2200, checked by the form before any query."""

    @classmethod
    def setUpTestData(cls):
        ArticleFactory()

    def test_dates_at_the_edges_are_a_form_error(self):
        """9999-12-31 (whose next day overflows) and 0001-01-01 (which overflows in UTC on
        SQLite) are refused with the form's message, on every list that filters by date."""
        for url in [
            "/articles/?date_to=9999-12-31",
            "/articles/?date_from=0001-01-01",
            "/search/?q=%E6%96%B0%E9%97%BB&date_to=9999-12-31",
            "/search/?q=%E6%96%B0%E9%97%BB&date_from=0001-01-01",
            "/archive/?date_to=9999-12-31",
            "/archive/?date_from=0001-01-01",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url, **ENGLISH)
                self.assertContains(response, "Enter a date between 1900-01-01 and 2200-12-31.")

    def test_a_date_within_the_range_still_filters(self):
        """The bound does not get in the way of an ordinary date."""
        response = self.client.get("/articles/?date_from=2000-01-01&date_to=2200-12-31")
        self.assertEqual(len(response.context["page_obj"].object_list), 1)

    def test_every_reader_date_filter_is_bounded(self):
        """A date filter added to any reader filterset must be the bounded one."""
        for filterset in (filters.ArticleFilter, filters.IssueFilter):
            for name, field in filterset.base_filters.items():
                if isinstance(field, django_filters.DateFilter):
                    with self.subTest(filterset=filterset.__name__, filter=name):
                        self.assertIsInstance(field, filters.DateFilter)
                        self.assertIn('max="2200-12-31"', str(filterset().form[name]))


class UnreadableAddressTests(TestCase):
    """A NUL or text that is not UTF-8 in the query string: the site's own 400 page."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")

    def assert_refused(self, url: str) -> None:
        response = self.client.get(url, **ENGLISH)
        self.assertContains(response, "cannot be read", status_code=400)
        self.assertTemplateUsed(response, "400.html")

    def test_nul_in_a_reader_query(self):
        """PostgreSQL refuses NUL in text (a DataError): refused before any view reads it."""
        for url in [
            "/articles/?page_name=%00",
            "/articles/?publication=%00",
            "/search/?q=a%00b",
            "/archive/?publication=%00",
            "/photos/?page=%00",
        ]:
            with self.subTest(url=url):
                self.assert_refused(url)

    def test_nul_in_an_admin_list_filter(self):
        """The probe's admin list filters with a NUL value (and a NUL name) are refused."""
        self.client.force_login(self.superuser)
        for url in [
            "/admin/articles/issue/?status=%00",
            "/admin/articles/article/?page__name=%00",
            "/admin/articles/page/?name=%00",
            "/admin/articles/article/?status__exact=%00",
            "/admin/articles/contributor/?kind__exact=%00",
            "/admin/articles/article/?q=%00",
            "/admin/articles/article/?%00=1",
        ]:
            with self.subTest(url=url):
                self.assert_refused(url)

    def test_lone_surrogate_and_stray_bytes(self):
        """%ED%A0%80 (a lone surrogate) and %FF are not UTF-8: refused, not guessed at."""
        for url in ["/search/?q=%ED%A0%80", "/articles/?page_name=%FF"]:
            with self.subTest(url=url):
                self.assert_refused(url)

    def test_nul_in_the_path(self):
        """A NUL in the path itself is refused the same way."""
        self.assert_refused("/articles/%00/")

    def test_chinese_and_plus_signs_pass(self):
        """Percent-encoded Chinese and spaces as + are ordinary addresses."""
        response = self.client.get("/search/?q=%E6%96%B0%E9%97%BB+%E6%8A%A5")
        self.assertEqual(response.status_code, 200)


class AdminFilterValueTests(TestCase):
    """Admin list filters and date hierarchy: a value no query can use is the admin's own
    invalid-filter redirect (?e=1) with a message, checked before any query runs."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")
        PageFactory()
        ContributorFactory()

    def setUp(self):
        self.client.force_login(self.superuser)

    def assert_invalid_filter(self, url: str) -> None:
        response = self.client.get(url, **ENGLISH)
        self.assertEqual(response.status_code, 302, url)
        self.assertEqual(response["Location"], url.split("?")[0] + "?e=1")
        response = self.client.get(response["Location"], **ENGLISH)
        self.assertContains(response, "could not be used, so the list is shown unfiltered")

    def test_dates_at_the_edges(self):
        """The probe's dates: year 1 and 9999 and a year past any datetime, in list filters
        and the date hierarchy, on the project's lists and a third-party app's (axes)."""
        for url in [
            "/admin/articles/article/?published_at__gte=0001-01-01",
            "/admin/articles/article/?page__issue__date__lt=9999-12-31",
            "/admin/articles/issue/?date__year=99999999999999999999999",
            "/admin/articles/issue/?date__year=9999&date__month=12&date__day=31",
            "/admin/articles/issue/?date__year=1",
            "/admin/articles/page/?issue__date__year=99999999999999999999999",
            "/admin/articles/article/?published_at__year=1",
            "/admin/axes/accessattempt/?attempt_time__gte=0001-01-01",
        ]:
            with self.subTest(url=url):
                self.assert_invalid_filter(url)

    def test_numbers_past_64_bits(self):
        """SQLite cannot bind an integer past 64 bits; no database is sent one."""
        for url in [
            "/admin/auth/user/?groups=99999999999999999999",
            "/admin/articles/article/?page__number__in=1,99999999999999999999",
        ]:
            with self.subTest(url=url):
                self.assert_invalid_filter(url)

    def test_an_ordinary_filter_still_works(self):
        """The guard lets an ordinary date hierarchy and list filter through."""
        response = self.client.get("/admin/articles/issue/?date__year=2024&status__exact=draft")
        self.assertEqual(response.status_code, 200)

    def test_regular_expression_lookups_are_refused(self):
        """A regular expression is parsed by the database, which errs on a bad one: the
        admin allows no such lookup (400, as for any lookup it does not allow)."""
        for url in ["/admin/articles/page/?name__regex=(", "/admin/auth/user/?email__iregex=*"]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 400)

    def test_every_admin_list_is_guarded(self):
        """Every model in the admin, third-party apps' included, has the guard."""
        for model, model_admin in admin.site._registry.items():
            with self.subTest(model=model._meta.label):
                self.assertIsInstance(model_admin, GuardedQueryStringAdmin)


class PageNumberTests(TestCase):
    """Page numbers that are negative, huge, not numbers or 10,000 characters long."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")
        ArticleFactory()

    def test_reader_lists_show_the_first_page(self):
        """A reader's list shows its first page for any page number it cannot show."""
        for url in ["/articles/", "/archive/", "/photos/", "/search/?q=%E6%96%B0%E9%97%BB"]:
            for page in ["-1", "0", "99999999999999999999", "abc", "9" * 10_000]:
                with self.subTest(url=url, page=page[:20]):
                    joiner = "&" if "?" in url else "?"
                    response = self.client.get(f"{url}{joiner}page={page}")
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.context["page_obj"].number, 1)

    def test_admin_lists_never_fail(self):
        """The admin shows the first page, or its invalid-filter redirect."""
        self.client.force_login(self.superuser)
        url = reverse("admin:articles_article_changelist")
        for page in ["-1", "0", "99999999999999999999", "abc", "9" * 10_000]:
            with self.subTest(page=page[:20]):
                self.assertIn(self.client.get(f"{url}?p={page}").status_code, {200, 302})
