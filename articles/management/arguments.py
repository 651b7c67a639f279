"""Arguments the import commands share, each refused with a message that says what to give."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from articles.models import Publication


def publication_by_code(code: str) -> Publication:
    try:
        return Publication.objects.get(code=code)
    except Publication.DoesNotExist:
        known = ", ".join(Publication.objects.values_list("code", flat=True)) or _("none")
        raise CommandError(
            _("No publication has the code “%(code)s”. Known codes: %(known)s.")
            % {"code": code, "known": known}
        ) from None


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
