"""A whole-page cache for anonymous readers, emptied whenever the paper's content changes.

Reader pages are the same for every anonymous reader (they carry no CSRF token or session),
so a rendered page is kept in the cache under a key that includes a content generation. Any
save or delete of the paper's models, and every publish or unpublish (which use bulk updates
and send no signals), moves the generation on, so no reader is served a page that shows
something since withdrawn. Every process of the site reads the generation from one place
(the "generation" cache: Redis, or else a folder), so a change made through one gunicorn
worker empties the pages of all of them. Scheduled articles appear when their time comes, at
the latest READER_CACHE_SECONDS later. Staff (anyone with a session) always bypass the cache.
"""

from __future__ import annotations

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_max_age
from django.utils.translation import get_language

GENERATION_KEY = "reader-pages:generation"


def content_generation() -> str:
    generations = caches["generation"]
    generation = generations.get(GENERATION_KEY)
    if generation is None:
        generations.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = generations.get(GENERATION_KEY)
    return generation


def content_changed(**kwargs) -> None:
    """Start a new generation once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: caches["generation"].set(GENERATION_KEY, uuid.uuid4().hex, None))


def page_key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"reader-pages:{content_generation()}:{get_language()}:{path}"


def reader_page(view):
    """Serve a view's successful anonymous GET responses from the cache."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.READER_CACHE_SECONDS
        if (
            not seconds
            or request.method not in {"GET", "HEAD"}
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and get_max_age(response) is None and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapped


def connect_signals() -> None:
    from .models import Article, Byline, Contributor, Issue, Page, Photo, Publication

    for model in (Publication, Issue, Page, Article, Photo, Byline, Contributor):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"reader-cache-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"reader-cache-d-{model}")
