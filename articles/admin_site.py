"""The admin site, with one guard on what every changelist reads from its query string.

Django's admin turns a filter value it cannot read into its "invalid filter" redirect
(`?e=1`), but only for errors raised while the filter is built. Values that pass the
fields' own checks and fail later, when the query is compiled or run, were 500s: a date
hierarchy year past 9999, a datetime of year 1 that overflows when converted to UTC for
SQLite, a number past 64 bits, a regular expression the database cannot parse. Every model
registered here, the project's and third-party apps' (auth, axes) alike, gets the guard.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet, FullResultSet, ValidationError
from django.db.models import Lookup, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import YearLookup
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext_lazy as _

from .admin_desk import index_context
from .validators import validate_date_in_range

# Signed 64-bit: the widest integer either database takes as a parameter.
LARGEST_INTEGER = 2**63 - 1

# Lookups whose value the database itself parses, where a bad value is an error at run time.
REFUSED_LOOKUPS = {"regex", "iregex"}


def filter_values(node: WhereNode) -> Iterator[tuple[Lookup, object]]:
    """Each lookup of a query's WHERE with each value it compares with, as Python values."""
    for child in node.children:
        if isinstance(child, WhereNode):
            yield from filter_values(child)
        elif isinstance(child, Lookup):
            values = child.rhs if isinstance(child.rhs, list | tuple | set) else [child.rhs]
            for value in values:
                yield child, value


def check_filter_values(queryset: QuerySet) -> None:
    """Refuse a queryset that filters by a value out of range, or that cannot be compiled.

    Dates (and years) keep to the range any filter may ask for (validators.EARLIEST_DATE to
    LATEST_DATE), the same on both databases; integers fit in 64 bits (SQLite cannot bind a
    larger one). Compiling, which does not run the query, then converts every value as the
    database will receive it: one no database can take raises here, not there.
    """
    for lookup, value in filter_values(queryset.query.where):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            validate_date_in_range(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            if isinstance(lookup, YearLookup):
                validate_date_in_range(datetime.date(max(value, 1), 1, 1))
            elif not -LARGEST_INTEGER <= value <= LARGEST_INTEGER:
                raise ValueError(f"{value} is out of the database's integer range")
    with contextlib.suppress(EmptyResultSet, FullResultSet):  # nothing to send: fine
        queryset.query.sql_with_params()


class GuardedChangeList(ChangeList):
    """A changelist whose filters are checked as the database will see them, before any
    query runs: a value it cannot take gives the admin's usual invalid-filter redirect
    (`?e=1`), with a message that says why the list is shown unfiltered."""

    def __init__(self, request, *args, **kwargs):
        try:
            super().__init__(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.error(
                request,
                _("A filter in the address could not be used, so the list is shown unfiltered."),
            )
            raise

    def get_queryset(self, request, exclude_parameters=None):
        try:
            # The date hierarchy builds its range from the year, month and day as they come
            # (datetime(99999999999999999999, 1, 1) is an OverflowError, year 9999's end a
            # ValueError) before any of Django's own checks.
            queryset = super().get_queryset(request, exclude_parameters)
            check_filter_values(queryset)
        except (ValueError, OverflowError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class GuardedQueryStringAdmin:
    """Mixed into every ModelAdmin of the site (NewsroomAdminSite.register)."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def lookup_allowed(self, lookup, value, request):
        # Refused lookups answer 400, as Django does for any lookup the admin does not allow.
        if lookup.rsplit(LOOKUP_SEP, 1)[-1] in REFUSED_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)


class NewsroomAdminSite(admin.AdminSite):
    """`admin.site` (articles.apps.NewsroomAdminConfig): the guard on every registration."""

    site_header = _("Newsroom editorial system")
    site_title = _("Newsroom")
    index_title = _("Editorial desk")

    def index(self, request, extra_context=None):
        # Tonight's issues and the to-do above the list of models (admin_desk.py).
        return super().index(request, {**index_context(request), **(extra_context or {})})

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, GuardedQueryStringAdmin):
            admin_class = type(
                admin_class.__name__,
                (GuardedQueryStringAdmin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
