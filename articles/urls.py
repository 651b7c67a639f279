from django.urls import path, register_converter

from . import feeds, views


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
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<int:pk>/", views.ArticleView.as_view(), name="article"),
    path("archive/", views.IssueArchiveView.as_view(), name="archive"),
    path("photos/", views.PhotoGalleryView.as_view(), name="photos"),
    path("contributors/<int:pk>/", views.ContributorView.as_view(), name="contributor"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("contributors/<int:pk>/rss/", feeds.ContributorFeed(), name="contributor_rss"),
    path("contributors/<int:pk>/atom/", feeds.ContributorAtomFeed(), name="contributor_atom"),
    path("<slug:publication>/", views.PublicationView.as_view(), name="publication"),
    path("<slug:publication>/rss/", feeds.PublicationFeed(), name="publication_rss"),
    path("<slug:publication>/atom/", feeds.PublicationAtomFeed(), name="publication_atom"),
    path("<slug:publication>/calendar/", views.CalendarView.as_view(), name="calendar_latest"),
    path(
        "<slug:publication>/calendar/<int:year>/<int:month>/",
        views.CalendarView.as_view(),
        name="calendar",
    ),
    path("<slug:publication>/<isodate:date>/", views.IssueView.as_view(), name="issue"),
    path("<slug:publication>/<isodate:date>/<int:number>/", views.PageView.as_view(), name="page"),
]
