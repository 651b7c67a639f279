"""URLs for the reader benchmark: the project's own, plus the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as project_urlpatterns


def floor(request):
    """The cheapest Django page: a short constant string through the same middleware."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
