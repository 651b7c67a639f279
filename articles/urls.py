from django.urls import path, register_converter

from . import feeds, search_views, views
from .caching import reader_page


class IsoDateConverter:
    """Shape only (yyyy-mm-dd); the view turns impossible dates into a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "articles"
urlpatterns = [
    path("", reader_page(views.HomeView.as_view()), name="home"),
    path("articles/", reader_page(views.ArticleListView.as_view()), name="article_list"),
    path("articles/<int:pk>/", reader_page(views.ArticleView.as_view()), name="article"),
    path("archive/", reader_page(views.IssueArchiveView.as_view()), name="archive"),
    path("photos/", reader_page(views.PhotoGalleryView.as_view()), name="photos"),
    path(
        "contributors/<int:pk>/", reader_page(views.ContributorView.as_view()), name="contributor"
    ),
    path("feeds/rss/", reader_page(feeds.LatestArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", reader_page(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path(
        "contributors/<int:pk>/rss/", reader_page(feeds.ContributorFeed()), name="contributor_rss"
    ),
    path(
        "contributors/<int:pk>/atom/",
        reader_page(feeds.ContributorAtomFeed()),
        name="contributor_atom",
    ),
    path("search/", reader_page(search_views.SearchView.as_view()), name="search"),
    path("<slug:publication>/", reader_page(views.PublicationView.as_view()), name="publication"),
    path("<slug:publication>/rss/", reader_page(feeds.PublicationFeed()), name="publication_rss"),
    path(
        "<slug:publication>/atom/",
        reader_page(feeds.PublicationAtomFeed()),
        name="publication_atom",
    ),
    path(
        "<slug:publication>/calendar/",
        reader_page(views.CalendarView.as_view()),
        name="calendar_latest",
    ),
    path(
        "<slug:publication>/calendar/<int:year>/<int:month>/",
        reader_page(views.CalendarView.as_view()),
        name="calendar",
    ),
    path(
        "<slug:publication>/<isodate:date>/", reader_page(views.IssueView.as_view()), name="issue"
    ),
    path(
        "<slug:publication>/<isodate:date>/<int:number>/",
        reader_page(views.PageView.as_view()),
        name="page",
    ),
    # Not through reader_page: a file streamed from storage, with headers of its own.
    path(
        "<slug:publication>/<isodate:date>/<int:number>/pdf/",
        views.PagePdfView.as_view(),
        name="page_pdf",
    ),
]
