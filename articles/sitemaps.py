"""Sitemaps of everything a reader may see, and a news sitemap of the last two days."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import cached_property

from . import caching
from .models import Article, Issue, Page


class Rows:
    """A sitemap's rows, read from `items` (a function giving an ordered queryset) only when
    a page of them is."""

    ordered = True  # for the paginator's check: every sitemap's items() are ordered

    def __init__(self, items) -> None:
        self.items = items

    @cached_property
    def rows(self):
        return self.items()

    def __getitem__(self, key):
        return self.rows[key]


class KeptSitemap(Sitemap):
    """A sitemap whose pages of entries are kept under what every sitemap shows (`topics`):
    counting, reading the rows and reversing an address for each was all of a sitemap's work,
    redone on every crawler's visit. Kept for staff too: a sitemap lists only what readers
    may see, whoever asks."""

    # The field `lastmod` reads, so that the sitemap's latest is one aggregate.
    lastmod_field: str | None = None

    def get_urls(self, page=1, site=None, protocol=None):
        protocol, domain = self.get_protocol(protocol), self.get_domain(site)
        # Validated first: every spelling of a page number (1, 01) is kept once.
        number = self.paginator.validate_number(page)

        def read():
            urls = self._urls(number, protocol, domain)
            return urls, getattr(self, "latest_lastmod", None)

        urls, latest_lastmod = caching.shared_value(
            f"sitemap:{type(self).__name__}:{number}:{protocol}:{domain}", topics(), read
        )
        # What _urls sets as it goes, for the view's Last-Modified header.
        if latest_lastmod:
            self.latest_lastmod = latest_lastmod
        return urls

    @property
    def paginator(self):
        """The sitemap's pages, counted once per change (the index asks how many). Its rows
        are a query built only when a page not kept is read: building the visibility query
        was most of what a kept sitemap still did."""
        pages = Paginator(Rows(self._items), self.limit)
        # The count is a cached property: set, it is never counted again.
        pages.__dict__["count"] = caching.shared_value(
            f"sitemap-count:{type(self).__name__}", topics(), lambda: self._items().count()
        )
        return pages

    def get_latest_lastmod(self):
        """The latest `lastmod` of the sitemap, for the index: one aggregate over the rows,
        kept, where Django's default reads every row (a million articles)."""
        if self.lastmod_field is None:
            return super().get_latest_lastmod()
        return caching.shared_value(
            f"sitemap-lastmod:{type(self).__name__}",
            topics(),
            lambda: self.items().aggregate(latest=Max(self.lastmod_field))["latest"],
        )


class IssueSitemap(KeptSitemap):
    changefreq = "never"
    lastmod_field = "updated_at"

    def items(self):
        return (
            Issue.objects.visible()
            .select_related("publication")
            .only("date", "updated_at", "publication__code")
            .order_by("-date", "pk")
        )

    def lastmod(self, item: Issue):
        return item.updated_at


class PageSitemap(KeptSitemap):
    changefreq = "never"

    def items(self):
        return (
            Page.objects.filter(issue__in=Issue.objects.visible())
            .select_related("issue__publication")
            .only("number", "issue__date", "issue__publication__code")
            .order_by("-issue__date", "issue__publication", "number")
        )


class ArticleSitemap(KeptSitemap):
    changefreq = "weekly"
    lastmod_field = "updated_at"

    def items(self):
        # Only what an entry shows: up to 50,000 articles a sitemap page, never their text.
        return Article.objects.visible().only("updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item: Article):
        return item.updated_at


class NewsSitemap(ArticleSitemap):
    """Articles of the last two days, in Google News sitemap form (template news_sitemap.xml).

    Not kept: its window moves with the clock, not with the articles, and it is short."""

    limit = 1000
    get_urls = Sitemap.get_urls
    paginator = Sitemap.paginator
    get_latest_lastmod = Sitemap.get_latest_lastmod

    def items(self):
        since = timezone.now() - datetime.timedelta(days=2)
        return (
            Article.objects.visible()
            .filter(published_at__gte=since)
            .select_related("publication")
            .only("headline", "published_at", "updated_at", "publication__name")
            .order_by("-published_at", "-pk")
        )


SITEMAPS = {"issues": IssueSitemap, "pages": PageSitemap, "articles": ArticleSitemap}


def topics(**kwargs) -> list[str]:
    """What every sitemap shows (articles/caching.py): which articles, issues and pages are out.
    A sitemap of a million articles is rendered once per change, not once per crawler visit."""
    return [caching.ARTICLES, caching.ISSUES]
