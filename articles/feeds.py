"""RSS and Atom feeds of the latest articles: site-wide, per publication, per contributor.

Built on Django's syndication framework; every item comes through `Article.objects.visible()`.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, Contributor, Publication

FEED_SIZE = 30


def latest(articles) -> list[Article]:
    return list(
        articles.select_related("publication", "page__issue")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
        )
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )


class ArticleFeedMixin:
    """What every article feed says about an item."""

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        if item.subheadline:
            return item.subheadline
        paragraphs = [text for kind, text in item.body_blocks() if kind == "paragraph"]
        return paragraphs[0] if paragraphs else ""

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return "、".join(b.contributor.name for b in item.bylines.all()) or item.publication.name

    def item_categories(self, item: Article) -> list[str]:
        return [item.page.name] if item.page_id and item.page.name else []


class LatestArticlesFeed(ArticleFeedMixin, Feed):
    title = _("Newsroom: latest articles")
    description = _("The latest articles of every publication.")

    def link(self) -> str:
        return reverse("articles:article_list")

    def items(self) -> list[Article]:
        return latest(Article.objects.visible())


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class PublicationFeed(ArticleFeedMixin, Feed):
    def get_object(self, request, publication: str) -> Publication:
        return get_object_or_404(Publication.objects.with_visible_issues(), code=publication)

    def title(self, obj: Publication) -> str:
        return str(obj.name)

    def description(self, obj: Publication) -> str:
        return _("The latest articles of %(name)s.") % {"name": obj.name}

    def link(self, obj: Publication) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Publication) -> list[Article]:
        return latest(Article.objects.visible().filter(publication=obj))


class PublicationAtomFeed(PublicationFeed):
    feed_type = Atom1Feed


class ContributorFeed(ArticleFeedMixin, Feed):
    def get_object(self, request, pk: int) -> Contributor:
        return get_object_or_404(Contributor.objects.visible(), pk=pk)

    def title(self, obj: Contributor) -> str:
        return str(obj.name)

    def description(self, obj: Contributor) -> str:
        return _("The latest articles by %(name)s.") % {"name": obj.name}

    def link(self, obj: Contributor) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Contributor) -> list[Article]:
        credited = Byline.objects.filter(article=OuterRef("pk"), contributor=obj)
        return latest(Article.objects.visible().filter(Exists(credited) | Q(source=obj)))


class ContributorAtomFeed(ContributorFeed):
    feed_type = Atom1Feed
