from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from articles import sitemaps
from articles.caching import reader_page
from articles.sitemaps import SITEMAPS, NewsSitemap

urlpatterns = [
    path("admin/", admin.site.urls),
    # Without a CSRF token the reader pages are the same for everyone, so they can be cached and
    # answered with 304; the worst a forged request can do here is switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path(
        "sitemap.xml",
        reader_page(sitemap_views.index, sitemaps.topics),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        reader_page(sitemap_views.sitemap, sitemaps.topics),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        reader_page(sitemap_views.sitemap, sitemaps.topics),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Production serves media from object storage or the web server, never through Django.
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
