"""The admin site, with one guard on what every changelist reads from its query string.

Django's admin turns a filter value it cannot read into its "invalid filter" redirect
(`?e=1`), but only for errors raised while the filter is built. Values that pass the
fields' own checks and fail later, when the query is compiled or run, were 500s: a date
hierarchy year past 9999, a datetime of year 1 that overflows when converted to UTC for
SQLite, a number past 64 bits, a regular expression the database cannot parse. Every model
registered here, the project's and third-party apps' (auth, axes) alike, gets the guard, and
the records of ReadableRecordsAdmin.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import (
    EmptyResultSet,
    FieldDoesNotExist,
    FullResultSet,
    ValidationError,
)
from django.db.models import Lookup, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import YearLookup
from django.db.models.sql.where import WhereNode
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .admin_desk import index_context
from .admin_forms import usable_key
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


def initial_value(model, name: str, value):
    """A value from an add form's address (`?issue=3`, `?tags=1,2`, `?date=2024/05/08`) as
    the form takes it, or ValidationError: a key that could be no row's, a date that is none.
    Empty values and fields that are not the model's pass as they came."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value  # the form's own field, which cleans what it shows
    if value in field.empty_values:
        return value
    if field.is_relation:
        key = field.target_field
        keys = value if isinstance(value, list) else [value]
        if not all(item in field.empty_values or usable_key(key, item) for item in keys):
            raise ValidationError("not a key")
        return value
    # Read as the form field reads what is typed (the language's date formats, “on” for a
    # flag): a date-time's widget takes a datetime, not text.
    form_field = field.formfield()
    return value if form_field is None else form_field.to_python(value)


class GuardedQueryStringAdmin:
    """Mixed into every ModelAdmin of the site (NewsroomAdminSite.register)."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def changelist_view(self, request, extra_context=None):
        # An action's selected rows as posted: an id that could be no row's ("x", a number
        # past the column) selects nothing, as an id of a deleted row does, instead of failing
        # in the database. None left: Django's own "Items must be selected" message.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        usable = [value for value in selected if usable_key(self.model._meta.pk, value)]
        if usable != selected:
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, usable)
        return super().changelist_view(request, extra_context)

    def get_changeform_initial_data(self, request):
        initial = {}
        for name, value in super().get_changeform_initial_data(request).items():
            try:
                initial[name] = initial_value(self.model, name, value)
            except ValidationError:
                messages.warning(
                    request,
                    _("“%(field)s” in the address could not be used; the form leaves it empty.")
                    % {"field": self.model._meta.get_field(name).verbose_name},
                )
        return initial

    def lookup_allowed(self, lookup, value, request):
        # Refused lookups answer 400, as Django does for any lookup the admin does not allow.
        if lookup.rsplit(LOOKUP_SEP, 1)[-1] in REFUSED_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)


def boolean_icon(value: bool | None) -> str:
    """Django's yes, no or unknown icon, its alt text in the interface's language."""
    icon, text = {True: ("yes", _("Yes")), False: ("no", _("No")), None: ("unknown", _("Unknown"))}[
        value
    ]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


def field_message_ids(form) -> dict[str, str]:
    """Each field's label as Django stores it in a change message ("Headline"), with the
    message id of the model field's verbose name ("headline"), which a catalogue holds."""
    model = form._meta.model
    ids = {}
    with translation.override(None):
        for name, field in form.fields.items():
            label = str(field.label or name)
            try:
                ids[label] = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                ids[label] = label  # a form's own field: its label is the message id
    return ids


def without_link_rows(deleted: list, labels: set[str]) -> list:
    """The nested list of a deletion confirmation without the entries named by `labels`."""
    kept = []
    for item in deleted:
        if isinstance(item, list):
            kept.append(without_link_rows(item, labels))
        elif not any(str(item).startswith(f"{label}: ") for label in labels):
            kept.append(item)
    return kept


class ReadableRecordsAdmin:
    """Mixed into every ModelAdmin of the site (NewsroomAdminSite.register): what the admin
    records and asks reads in the interface's language.

    - Change messages name fields by their verbose names' message ids: Django stores the
      capitalised label ("Headline"), which no catalogue holds, and showed "已修改Headline".
    - The deletion confirmation leaves out the rows that only link two things (a group's
      permissions, a page's editors: the tables Django makes for a many-to-many field). They
      go with what they link, and their names are code ("Group_permissions object (20)").
    """

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        ids = {None: field_message_ids(form)}
        with translation.override(None):
            for formset in formsets or []:
                if formset.forms:
                    name = str(formset.model._meta.verbose_name)
                    ids[name] = field_message_ids(formset.forms[0])
        for entry in message:
            changed = entry.get("changed", {})
            if "fields" in changed:
                names = ids.get(changed.get("name"), {})
                changed["fields"] = [names.get(label, label) for label in changed["fields"]]
        return message

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [
            model._meta
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        ]
        deleted = without_link_rows(deleted, {str(capfirst(opts.verbose_name)) for opts in links})
        for opts in links:
            counts.pop(opts.verbose_name_plural, None)
        return deleted, counts, perms_needed, protected


# django-axes' records of logins come after the newsroom's own work, whatever their names sort.
APP_ORDER = {"articles": 0, "axes": 2}


class NewsroomAdminSite(admin.AdminSite):
    """`admin.site` (articles.apps.NewsroomAdminConfig): the guards on every registration."""

    site_header = _("Newsroom editorial system")
    site_title = _("Newsroom")
    index_title = _("Editorial desk")

    def index(self, request, extra_context=None):
        # Tonight's issues and the to-do above the list of models (admin_desk.py).
        return super().index(request, {**index_context(request), **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps_shown = super().get_app_list(request, app_label)
        return sorted(apps_shown, key=lambda app: APP_ORDER.get(app["app_label"], 1))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, GuardedQueryStringAdmin):
            admin_class = type(
                admin_class.__name__,
                (GuardedQueryStringAdmin, ReadableRecordsAdmin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
