"""Refuse an address no person can have typed before any view or the admin reads it."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def readable(raw_query: str) -> bool:
    """Whether a raw query string decodes to UTF-8 text without NUL characters.

    The WSGI server hands the query string over as Latin-1, byte for byte: back to bytes,
    then percent-decoded, it must be UTF-8. A lone surrogate (%ED%A0%80) or a stray byte
    (%FF) is not: Django would quietly read it as replacement characters.
    """
    try:
        text = unquote_to_bytes(raw_query.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        return False
    return "\x00" not in text


class UnreadableAddressMiddleware:
    """Answer 400 with the site's own page to a query string holding a NUL character or
    text that is not UTF-8, and to a path holding a NUL.

    PostgreSQL refuses NUL in text, so such a value reaching any query, a reader's filter
    or an admin list filter alike, was a DataError (500); in one place here, rather than in
    every field of every form and filter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or not readable(request.META.get("QUERY_STRING", "")):
            return render(
                request,
                "400.html",
                {
                    "reason": _(
                        "The address holds characters that cannot be read (a NUL character "
                        "or text that is not UTF-8). Check the link or retype the address."
                    )
                },
                status=400,
            )
        return self.get_response(request)
