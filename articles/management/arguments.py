"""Arguments the import commands share, each refused with a message that says what to give."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Callable

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from articles.models import Publication
from articles.validators import storable


def number_between(low: float, high: float, kind: type = int) -> Callable[[str], float]:
    """An argparse type: a number of `kind` from `low` to `high`, or the parser's error
    (a CommandError from call_command) saying which numbers it takes. NaN is none of them."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            message = (
                _("give a whole number from %(low)s to %(high)s")
                if kind is int
                else _("give a number from %(low)s to %(high)s")
            )
            raise argparse.ArgumentTypeError(message % {"low": low, "high": high})
        return value

    return parse


def publication_by_code(code: str) -> Publication:
    # Bytes that are not UTF-8 (argv's surrogate escapes) or a NUL name no publication, and
    # the database would refuse to compare them.
    publication = Publication.objects.filter(code=code).first() if storable(code) else None
    if publication is None:
        known = ", ".join(Publication.objects.values_list("code", flat=True)) or _("none")
        raise CommandError(
            _("No publication has the code “%(code)s”. Known codes: %(known)s.")
            % {"code": code.encode("utf-8", "backslashreplace").decode(), "known": known}
        )
    return publication


def issue_date(value: str) -> datetime.date:
    """A date as YYYY-MM-DD, within the years an issue may have (1900 to 2200)."""
    try:
        date = datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
        ) from None
    if not 1900 <= date.year <= 2200:
        raise CommandError(_("Give a date between 1900 and 2200."))
    return date
