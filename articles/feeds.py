"""RSS and Atom feeds of the latest articles: site-wide, per publication, per contributor.

Built on Django's syndication framework; every item comes through `Article.objects.visible()`,
and a feed's items are kept (READER_FRAGMENT_SECONDS) under the topics of the articles it
lists, for staff too: a feed lists only what readers may see, whoever asks.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import caching
from .models import Article, Byline, Contributor, Publication
from .views import visible_contributor

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


@dataclass(frozen=True)
class FeedItem:
    """What a feed says of an article."""

    url: str
    title: str
    description: str
    published_at: datetime.datetime
    updated_at: datetime.datetime
    author: str
    categories: tuple[str, ...]


def latest(name: str, topics: list[str], articles: Callable[[], QuerySet]) -> list[FeedItem]:
    """The latest of `articles` (a function giving a queryset of visible articles) as feed
    items, kept under the feed's `name` and the topics that move when they change: reading
    them (and building the visibility query) was most of a feed's time."""
    return caching.shared_value(f"feed:{name}", topics, lambda: read_latest(articles()))


def read_latest(articles: QuerySet) -> list[FeedItem]:
    """The latest articles as feed items, with their credited names read as plain values in
    one query (prefetching credit rows cost more than the rest of the feed)."""
    rows = list(
        articles.select_related("publication", "page")
        .only(*ITEM_FIELDS)
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )
    names: dict[int, list[str]] = {row.pk: [] for row in rows}
    credits = (
        Byline.objects.filter(article__in=list(names))
        .order_by("order", "pk")
        .values_list("article", "contributor__name")
    )
    for article_id, name in credits:
        names[article_id].append(name)
    return [
        FeedItem(
            url=row.get_absolute_url(),
            title=row.headline,
            description=row.subheadline or first_paragraph(row),
            published_at=row.published_at,
            updated_at=row.updated_at,
            author="、".join(names[row.pk]) or row.publication.name,
            categories=(row.page.name,) if row.page_id and row.page.name else (),
        )
        for row in rows
    ]


def first_paragraph(article: Article) -> str:
    return next((text for kind, text in article.body_blocks() if kind == "paragraph"), "")


class ArticleFeedMixin:
    """What every article feed says about an item (a FeedItem)."""

    def get_feed(self, obj, request):
        """The feed, written to the response in one piece: Django's writer hands it a few
        hundred small strings, each of which the response encodes and keeps on its own."""
        feed = super().get_feed(obj, request)
        write = type(feed).write

        def write_once(outfile, encoding: str) -> None:
            buffer = io.StringIO()
            write(feed, buffer, encoding)
            outfile.write(buffer.getvalue())

        feed.write = write_once
        return feed

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_link(self, item: FeedItem) -> str:
        return item.url

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_pubdate(self, item: FeedItem) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: FeedItem) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: FeedItem) -> str:
        return item.author

    def item_categories(self, item: FeedItem) -> tuple[str, ...]:
        return item.categories


class LatestArticlesFeed(ArticleFeedMixin, Feed):
    title = _("Newsroom: latest articles")
    description = _("The latest articles of every publication.")

    def link(self) -> str:
        return reverse("articles:article_list")

    def items(self) -> list[FeedItem]:
        return latest("latest", [caching.ARTICLES], Article.objects.visible)


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

    def items(self, obj: Publication) -> list[FeedItem]:
        return latest(
            f"publication:{obj.pk}",
            [caching.ARTICLES],
            lambda: Article.objects.visible().filter(publication=obj),
        )


class PublicationAtomFeed(PublicationFeed):
    feed_type = Atom1Feed


class ContributorFeed(ArticleFeedMixin, Feed):
    def get_object(self, request, pk: int) -> Contributor:
        return visible_contributor(request, pk)

    def title(self, obj: Contributor) -> str:
        return str(obj.name)

    def description(self, obj: Contributor) -> str:
        return _("The latest articles by %(name)s.") % {"name": obj.name}

    def link(self, obj: Contributor) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Contributor) -> list[FeedItem]:
        credited = Byline.objects.filter(article=OuterRef("pk"), contributor=obj)
        return latest(
            f"contributor:{obj.pk}",
            # What their page lists: moved by any change to what they are credited on.
            [caching.contributor_topic(obj.pk)],
            lambda: Article.objects.visible().filter(Exists(credited) | Q(source=obj)),
        )


class ContributorAtomFeed(ContributorFeed):
    feed_type = Atom1Feed
