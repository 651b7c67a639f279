from django.urls import path, register_converter

from . import caching, feeds, search_views, views
from .caching import reader_page


class IsoDateConverter:
    """Shape only (yyyy-mm-dd); the view turns impossible dates into a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IsoDateConverter, "isodate")


# What each reader page shows, named from its URL (articles/caching.py): a change empties the
# pages whose topics it moves.


def latest(**kwargs):
    return [caching.ISSUES, caching.ARTICLES]


def article_lists(**kwargs):
    return [caching.ARTICLES]


def issue_lists(**kwargs):
    return [caching.ISSUES]


def photo_lists(**kwargs):
    return [caching.PHOTOS]


def contributor_names(**kwargs):
    # Who readers may see changes with what is published, and with a contributor renamed.
    return [caching.ARTICLES, caching.ISSUES, caching.CONTRIBUTORS]


def article(*, pk):
    return [caching.article_topic(pk)]


def contributor(*, pk):
    return [caching.contributor_topic(pk)]


def publication(*, publication, **kwargs):
    return [caching.publication_topic(publication)]


def publication_latest(*, publication):
    return [caching.publication_topic(publication), caching.ARTICLES]


def issue(*, publication, date):
    return [caching.issue_topic(publication, date), caching.publication_topic(publication)]


def page(*, publication, date, number):
    return [
        caching.page_topic(publication, date, number),
        caching.issue_pages_topic(publication, date),
        caching.publication_topic(publication),
    ]


app_name = "articles"
urlpatterns = [
    path("", reader_page(views.HomeView.as_view(), latest), name="home"),
    path(
        "articles/",
        reader_page(views.ArticleListView.as_view(), article_lists),
        name="article_list",
    ),
    path("articles/<int:pk>/", reader_page(views.ArticleView.as_view(), article), name="article"),
    path(
        "articles/contributors/",
        reader_page(views.ContributorNamesView.as_view(), contributor_names),
        name="contributor_names",
    ),
    path("archive/", reader_page(views.IssueArchiveView.as_view(), issue_lists), name="archive"),
    path("photos/", reader_page(views.PhotoGalleryView.as_view(), photo_lists), name="photos"),
    path(
        "contributors/<int:pk>/",
        reader_page(views.ContributorView.as_view(), contributor),
        name="contributor",
    ),
    path("feeds/rss/", reader_page(feeds.LatestArticlesFeed(), article_lists), name="feed_rss"),
    path(
        "feeds/atom/", reader_page(feeds.LatestArticlesAtomFeed(), article_lists), name="feed_atom"
    ),
    path(
        "contributors/<int:pk>/rss/",
        reader_page(feeds.ContributorFeed(), contributor),
        name="contributor_rss",
    ),
    path(
        "contributors/<int:pk>/atom/",
        reader_page(feeds.ContributorAtomFeed(), contributor),
        name="contributor_atom",
    ),
    # Not through reader_page: a redirect to the media storage, with no query to save.
    path(
        "tiles/<slug:stem>/<int:level>/<int:column>_<int:row>.jpg",
        views.TileView.as_view(),
        name="tile",
    ),
    path("search/", reader_page(search_views.SearchView.as_view(), article_lists), name="search"),
    path(
        "<slug:publication>/",
        reader_page(views.PublicationView.as_view(), publication_latest),
        name="publication",
    ),
    path(
        "<slug:publication>/rss/",
        reader_page(feeds.PublicationFeed(), article_lists),
        name="publication_rss",
    ),
    path(
        "<slug:publication>/atom/",
        reader_page(feeds.PublicationAtomFeed(), article_lists),
        name="publication_atom",
    ),
    path(
        "<slug:publication>/calendar/",
        reader_page(views.CalendarView.as_view(), publication),
        name="calendar_latest",
    ),
    path(
        "<slug:publication>/calendar/<int:year>/<int:month>/",
        reader_page(views.CalendarView.as_view(), publication),
        name="calendar",
    ),
    path(
        "<slug:publication>/<isodate:date>/",
        reader_page(views.IssueView.as_view(), issue),
        name="issue",
    ),
    path(
        "<slug:publication>/<isodate:date>/<int:number>/",
        reader_page(views.PageView.as_view(), page),
        name="page",
    ),
    # Not through reader_page: a file streamed from storage, with headers of its own.
    path(
        "<slug:publication>/<isodate:date>/<int:number>/pdf/",
        views.PagePdfView.as_view(),
        name="page_pdf",
    ),
]
