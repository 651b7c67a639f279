"""Hostile query strings on every reader address and every admin changelist: never a 500.

The addresses and the admin's filters are discovered (URL resolver, admin registry, each
changelist's own filters), so a new one is fuzzed without being listed here; what cannot be
discovered is how to build a valid address for a new URL pattern, or which rows a new admin
list needs: those tables make the test fail until the new pattern or model is added to them.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import quote

from axes.admin import IsLockedOutFilter
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin import filters as admin_filters
from django.contrib.admin.options import IS_FACETS_VAR
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory, TestCase
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from articles.admin import DistinctValuesFilter, WaitingForMeFilter
from articles.models import (
    Article,
    Contributor,
    Issue,
    IssueUpload,
    Page,
    PageUpload,
    Photo,
    Publication,
)
from articles.search_views import SearchView
from articles.sitemaps import SITEMAPS
from articles.views import ArticleListView, IssueArchiveView

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
)

# Already percent-encoded: what a hostile client puts on the wire.
HOSTILE = [
    "%00",
    "%ED%A0%80",  # a lone surrogate (U+D800) encoded as UTF-8
    "%FF",
    "x" * 10_000,
    "0",
    "1",
    "9999",
    "99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999-01-01",
    "2026-13-45",
    "-1",
    "-99999999999999999999",
    # Digits to str.isdigit() that int() refuses.
    quote("²"),
    quote("①"),
    quote("' OR 1=1 --"),
    quote('"'),
    quote("NEAR("),
    quote("*"),
    quote(":"),
    quote("&|!"),
]

# Hostile values for path parts, by the converter's shape (only values the pattern matches).
HOSTILE_PATH = {
    "int": ["0", "99999999999999999999", "1" + "0" * 5000],
    "slug": ["x" * 10_000, "admin"],
    "isodate": ["0000-01-01", "0001-01-01", "9999-12-31", "2026-13-45"],
    "str": ["x" * 10_000, "\x00"],
}

# Query parameters each reader view reads besides its filterset's filters.
PAGE = ["page"]


def reader_urls(data: dict) -> dict[str, tuple[str, list[str]]]:
    """How to build a valid address for each named reader pattern, and what it reads."""
    pub = data["issue"].publication.code
    date = data["issue"].date.isoformat()
    article_filters = list(ArticleListView.filterset_class.base_filters)
    return {
        "articles:home": (reverse("articles:home"), PAGE),
        "articles:article_list": (reverse("articles:article_list"), article_filters + PAGE),
        "articles:article": (reverse("articles:article", args=[data["article"].pk]), PAGE),
        "articles:contributor_names": (reverse("articles:contributor_names"), ["q"]),
        "articles:tile": (
            reverse(
                "articles:tile",
                kwargs={"stem": "0123abcd", "level": 11, "column": 2, "row": 3},
            ),
            PAGE,
        ),
        "articles:archive": (
            reverse("articles:archive"),
            list(IssueArchiveView.filterset_class.base_filters) + PAGE,
        ),
        "articles:photos": (reverse("articles:photos"), PAGE),
        "articles:contributor": (
            reverse("articles:contributor", args=[data["contributor"].pk]),
            PAGE,
        ),
        "articles:feed_rss": (reverse("articles:feed_rss"), PAGE),
        "articles:feed_atom": (reverse("articles:feed_atom"), PAGE),
        "articles:contributor_rss": (
            reverse("articles:contributor_rss", args=[data["contributor"].pk]),
            PAGE,
        ),
        "articles:contributor_atom": (
            reverse("articles:contributor_atom", args=[data["contributor"].pk]),
            PAGE,
        ),
        "articles:search": (
            reverse("articles:search") + "?q=" + quote("新闻"),
            ["q", *list(SearchView.filterset_class.base_filters), *PAGE],
        ),
        "articles:publication": (reverse("articles:publication", args=[pub]), PAGE),
        "articles:publication_rss": (reverse("articles:publication_rss", args=[pub]), PAGE),
        "articles:publication_atom": (reverse("articles:publication_atom", args=[pub]), PAGE),
        "articles:calendar_latest": (reverse("articles:calendar_latest", args=[pub]), PAGE),
        "articles:calendar": (
            reverse("articles:calendar", args=[pub, data["issue"].date.year, 1]),
            PAGE,
        ),
        "articles:issue": (reverse("articles:issue", args=[pub, date]), PAGE),
        "articles:page": (reverse("articles:page", args=[pub, date, data["page"].number]), PAGE),
        "articles:page_pdf": (
            reverse("articles:page_pdf", args=[pub, date, data["page"].number]),
            PAGE,
        ),
        "set_language": (reverse("set_language"), ["next", "language"]),
        "sitemap": (reverse("sitemap"), ["p"]),
        "sitemap_news": (reverse("sitemap_news"), ["p"]),
        **{
            f"sitemap_section:{section}": (
                reverse("sitemap_section", kwargs={"section": section}),
                ["p"],
            )
            for section in SITEMAPS
        },
    }


def discovered_reader_patterns() -> dict[str, URLPattern]:
    """Every named pattern of the site outside the admin, by its namespaced name."""
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                found[f"{namespace}{pattern.name}"] = pattern

    walk(get_resolver().url_patterns, "")
    return found


# Rows that each admin list shows, so that rendering its rows is fuzzed too. A model newly
# registered in the admin fails the coverage test until it is added here.
ADMIN_ROWS = {
    Group: lambda data: Group.objects.create(name="desk"),
    get_user_model(): lambda data: data["superuser"],
    AccessAttempt: lambda data: AccessAttempt.objects.create(
        username="wang", ip_address="127.0.0.1", failures_since_start=3, path_info="/admin/login/"
    ),
    AccessLog: lambda data: AccessLog.objects.create(
        username="wang", ip_address="127.0.0.1", path_info="/admin/login/"
    ),
    AccessFailureLog: lambda data: AccessFailureLog.objects.create(
        username="wang", ip_address="127.0.0.1", path_info="/admin/login/", locked_out=True
    ),
    Publication: lambda data: data["issue"].publication,
    Issue: lambda data: data["issue"],
    Page: lambda data: data["page"],
    Article: lambda data: data["article"],
    Photo: lambda data: data["photo"],
    Contributor: lambda data: data["contributor"],
    IssueUpload: lambda data: (
        PageUpload.objects.create(
            upload=IssueUpload.objects.create(
                publication=data["issue"].publication, date=data["issue"].date
            ),
            file_name="01.pdf",
            number=1,
            state="done",
            page=data["page"],
        ).upload
    ),
}

# The list filters whose parameters are known to be their `expected_parameters()` alone; a
# filter of any other class (which may read parameters of its own) fails the coverage test.
KNOWN_FILTERS = {
    admin_filters.RelatedFieldListFilter,
    admin_filters.BooleanFieldListFilter,
    admin_filters.ChoicesFieldListFilter,
    admin_filters.DateFieldListFilter,
    admin_filters.AllValuesFieldListFilter,
    admin_filters.RelatedOnlyFieldListFilter,
    admin_filters.EmptyFieldListFilter,
    # Django's AllValuesFieldListFilter, its values read along the column's index.
    DistinctValuesFilter,
    WaitingForMeFilter,
    IsLockedOutFilter,
}

# Lookups a prober adds to a filtered field's path besides the filters' own parameters, and
# the values tried in them (a few of each kind, to keep the test fast).
EXTRA_LOOKUPS = ["", "__in", "__gte", "__year", "__regex"]
HOSTILE_SHORT = [
    "%00",
    quote("²"),
    "x" * 10_000,
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999",
    "-99999999999999999999",
    "2026-13-45",
    quote("(*"),
]


def field_paths(model_admin) -> list[str]:
    """The field paths of a changelist's list filters (SimpleListFilters have none)."""
    paths = []
    for spec in model_admin.list_filter:
        name = spec[0] if isinstance(spec, tuple) else spec
        if isinstance(name, str):
            paths.append(name)
    return paths


class QueryStringFuzzTests(TestCase):
    """Every hostile value in every parameter, in turn: never a 500."""

    @classmethod
    def setUpTestData(cls):
        page = PageFactory()
        article = ArticleFactory(page=page, published_at=timezone.now() - datetime.timedelta(1))
        contributor = ContributorFactory()
        BylineFactory(article=article, contributor=contributor)
        cls.data = {
            "issue": page.issue,
            "page": page,
            "article": article,
            "contributor": contributor,
            "photo": PhotoFactory(article=article),
            "superuser": get_user_model().objects.create_superuser("root", password="pw"),
        }
        IssueFactory(publication=page.issue.publication, draft=True)
        for model, make in ADMIN_ROWS.items():
            if model in admin.site._registry:
                make(cls.data)

    def setUp(self):
        # A 500 is counted, not raised, so that one run reports every failing request.
        self.client.raise_request_exception = False
        self.sent = 0
        self.failures: list[str] = []
        # Each 500 would be logged with its traceback; the failure list says enough.
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        self.addCleanup(logger.setLevel, level)

    def fetch(self, url: str) -> None:
        response = self.client.get(url)
        self.sent += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {url[:160]}")

    def fuzz(self, base: str, parameters: list[str], values: list[str] = HOSTILE) -> None:
        """`base` as it is, then with each parameter replaced in turn by each hostile value."""
        path, _, query = base.partition("?")
        kept = [pair for pair in query.split("&") if pair]
        self.fetch(base)
        for name in parameters:
            others = [pair for pair in kept if pair.split("=", 1)[0] != name]
            for value in values:
                self.fetch(path + "?" + "&".join([*others, f"{name}={value}"]))

    def assert_no_500(self, what: str) -> None:
        self.assertFalse(
            self.failures,
            f"{len(self.failures)} of {self.sent} {what} requests failed:\n"
            + "\n".join(self.failures[:60]),
        )

    def test_every_reader_pattern_is_covered(self):
        """A new URL pattern fails here until the table says how to build its address."""
        discovered = set(discovered_reader_patterns()) - {"sitemap_section"}
        discovered |= {f"sitemap_section:{section}" for section in SITEMAPS}
        self.assertEqual(discovered, set(reader_urls(self.data)))

    def test_reader_query_strings(self):
        """Every reader address, each parameter in turn hostile: no 500."""
        urls = reader_urls(self.data)
        for base, parameters in urls.values():
            self.fuzz(base, parameters)
        self.assert_no_500("reader")
        self.assertGreaterEqual(self.sent, len(urls) * len(HOSTILE))

    def test_reader_path_parts(self):
        """Every path part of every reader pattern, within its converter's shape: no 500."""
        patterns = discovered_reader_patterns()
        urls = reader_urls(self.data)
        for name, pattern in patterns.items():
            converters = getattr(pattern.pattern, "converters", {})
            if name == "sitemap_section":
                name = f"sitemap_section:{next(iter(SITEMAPS))}"
            match = get_resolver().resolve(urls[name][0].partition("?")[0])
            for key, converter in converters.items():
                shape = {
                    "IntConverter": "int",
                    "SlugConverter": "slug",
                    "IsoDateConverter": "isodate",
                }.get(type(converter).__name__, "str")
                for value in HOSTILE_PATH[shape]:
                    kwargs = {**match.kwargs, key: value}
                    kwargs = {k: v for k, v in kwargs.items() if k in converters}
                    try:
                        url = reverse(match.view_name, kwargs=kwargs)
                    except NoReverseMatch:  # not of the pattern's shape: no such address
                        continue
                    self.fetch(url)
        self.assert_no_500("path")

    def test_every_admin_list_is_covered(self):
        """A model newly in the admin, or a list filter of an unknown kind, fails here."""
        self.assertEqual(set(admin.site._registry), set(ADMIN_ROWS))
        self.client.force_login(self.data["superuser"])
        for model, model_admin in admin.site._registry.items():
            with self.subTest(model=model._meta.label):
                for spec in self.changelist(model_admin).filter_specs:
                    self.assertIn(type(spec), KNOWN_FILTERS)

    def changelist(self, model_admin):
        request = RequestFactory().get("/")
        request.user = self.data["superuser"]
        return model_admin.get_changelist_instance(request)

    def admin_parameters(self, model_admin) -> list[str]:
        """Every parameter the changelist reads: its filters', the date hierarchy's, search,
        ordering, page and facets."""
        names = [ORDER_VAR, PAGE_VAR, IS_FACETS_VAR]
        if model_admin.get_search_fields(None):
            names.append(SEARCH_VAR)
        for spec in self.changelist(model_admin).filter_specs:
            names += spec.expected_parameters()
        if model_admin.date_hierarchy:
            names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        return list(dict.fromkeys(names))

    def extra_lookups(self, model_admin) -> list[str]:
        """Other lookups on the filtered fields, as a prober adds them to the address."""
        names = [path + lookup for path in field_paths(model_admin) for lookup in EXTRA_LOOKUPS]
        return [name for name in names if name not in self.admin_parameters(model_admin)]

    def test_admin_query_strings(self):
        """Every admin changelist as a superuser, each parameter in turn hostile: no 500."""
        self.client.force_login(self.data["superuser"])
        for model, model_admin in admin.site._registry.items():
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            self.fuzz(url, self.admin_parameters(model_admin))
            self.fuzz(url, self.extra_lookups(model_admin), HOSTILE_SHORT)
            if model_admin.date_hierarchy:
                # The hierarchy's parts together, as its own links send them.
                year = f"{model_admin.date_hierarchy}__year"
                month = f"{model_admin.date_hierarchy}__month"
                day = f"{model_admin.date_hierarchy}__day"
                for y, m, d in [("9999", "12", "31"), ("1", "1", "1"), ("2026", "2", "30")]:
                    self.fetch(f"{url}?{year}={y}&{month}={m}&{day}={d}")
        self.assert_no_500("admin")
        self.assertGreaterEqual(self.sent, len(admin.site._registry) * 3 * len(HOSTILE))

    def test_admin_add_forms_from_hostile_addresses(self):
        """Every add form, every field of its model given in the address as a value it cannot
        take (the admin's own links pass `?issue=3`): no 500, the form starts with the field
        empty and says which value it left out."""
        self.client.force_login(self.data["superuser"])
        for model in admin.site._registry:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
            names = [
                field.name
                for field in model._meta.get_fields()
                if field.concrete and not field.auto_created
            ]
            for value in ["x", "99999999999999999999", "%00", quote("²"), "9999-99-99"]:
                self.fetch(url + "?" + "&".join(f"{name}={value}" for name in names))
        self.assert_no_500("add form")
        response = self.client.get(
            reverse("admin:articles_page_add") + "?issue=x&number=7",
            headers={"accept-language": "en"},
        )
        self.assertEqual(response.context["adminform"].form.initial, {"number": 7})
        self.assertContains(response, "“issue”")

    def test_admin_add_forms_keep_usable_values_from_the_address(self):
        """What the admin's own links and an editor's typing give is kept as the form reads
        it: a row's id, a date in the language's own format, a flag as a checkbox sends it,
        and an empty value."""
        self.client.force_login(self.data["superuser"])
        issue = self.data["issue"]
        cases = [
            ("page", f"issue={issue.pk}&number=7", {"issue": str(issue.pk), "number": 7}),
            ("page", "issue=&number=", {"issue": "", "number": ""}),
            ("issue", "date=2024/05/08", {"date": datetime.date(2024, 5, 8)}),
            ("issue", "date=2024-05-08", {"date": datetime.date(2024, 5, 8)}),
            ("article", "withdrawn=on", {"withdrawn": True}),
        ]
        for model, query, initial in cases:
            with self.subTest(model=model, query=query):
                response = self.client.get(reverse(f"admin:articles_{model}_add") + "?" + query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["adminform"].form.initial, initial)
                self.assertFalse(list(response.context["messages"]))

    def test_admin_actions_with_hostile_selections(self):
        """Every changelist's action posted with selected ids that could be no row's: no 500,
        nothing changed, and Django's message that items must be selected."""
        self.client.force_login(self.data["superuser"])
        counts = {model: model.objects.count() for model in admin.site._registry}
        for model in admin.site._registry:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for bogus in ["x", "99999999999999999999", "\x00", "²"]:
                for confirmed in ({}, {"post": "yes"}):  # the action, then its confirmation
                    data = {"action": "delete_selected", "_selected_action": [bogus], **confirmed}
                    if not confirmed:
                        data["index"] = "0"
                    response = self.client.post(url, data)
                    self.sent += 1
                    if response.status_code >= 500:
                        self.failures.append(f"{response.status_code} POST {url} {bogus!r}")
        self.assert_no_500("action")
        self.assertEqual({model: model.objects.count() for model in counts}, counts)
        response = self.client.post(
            reverse("admin:articles_page_changelist"),
            {"action": "delete_selected", "_selected_action": ["x"], "index": "0"},
            follow=True,
            headers={"accept-language": "en"},
        )
        self.assertContains(response, "Items must be selected")
