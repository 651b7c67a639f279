from django.urls import path, register_converter

from . import views


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
    path("articles/<int:pk>/", views.ArticleView.as_view(), name="article"),
    path("contributors/<int:pk>/", views.ContributorView.as_view(), name="contributor"),
    path("<slug:publication>/", views.PublicationView.as_view(), name="publication"),
    path("<slug:publication>/<isodate:date>/", views.IssueView.as_view(), name="issue"),
    path("<slug:publication>/<isodate:date>/<int:number>/", views.PageView.as_view(), name="page"),
]
