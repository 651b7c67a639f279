"""RSS and Atom feeds of the latest articles: site-wide, per publication, per contributor.

Built on Django's syndication framework; every item comes through `Article.objects.visible()`.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, Contributor, Publication

FEED_SIZE = 30


# What an item shows: its title, description, dates, author, category and address.
ITEM_FIELDS = (
    "headline",
    "subheadline",
    "body",
    "published_at",
    "updated_at",
    "publication__name",
    "page__name",
)


def latest(articles) -> list[Article]:
    """The latest articles, each with `author_names`: the credited names read as plain values
    in one query (prefetching credit rows cost more than the rest of the feed)."""
    items = list(
        articles.select_related("publication", "page")
        .only(*ITEM_FIELDS)
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )
    names: dict[int, list[str]] = {item.pk: [] for item in items}
    credits = (
        Byline.objects.filter(article__in=list(names))
        .order_by("order", "pk")
        .values_list("article", "contributor__name")
    )
    for article_id, name in credits:
        names[article_id].append(name)
    for item in items:
        item.author_names = names[item.pk]
    return items


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
        return "、".join(item.author_names) or item.publication.name

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
