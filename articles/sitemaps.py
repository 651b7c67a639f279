"""Sitemaps of everything a reader may see, and a news sitemap of the last two days."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from . import caching
from .models import Article, Issue, Page


class IssueSitemap(Sitemap):
    changefreq = "never"

    def items(self):
        return (
            Issue.objects.visible()
            .select_related("publication")
            .only("date", "updated_at", "publication__code")
            .order_by("-date", "pk")
        )

    def lastmod(self, item: Issue):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "never"

    def items(self):
        return (
            Page.objects.filter(issue__in=Issue.objects.visible())
            .select_related("issue__publication")
            .only("number", "issue__date", "issue__publication__code")
            .order_by("-issue__date", "issue__publication", "number")
        )


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # Only what an entry shows: up to 50,000 articles a sitemap page, never their text.
        return Article.objects.visible().only("updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item: Article):
        return item.updated_at


class NewsSitemap(ArticleSitemap):
    """Articles of the last two days, in Google News sitemap form (template news_sitemap.xml)."""

    limit = 1000

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
