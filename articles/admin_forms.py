"""What every admin form holds to, whatever its model and whichever fields a role may change.

- No lost edits: each row edited through a form, on its own form or as an inline row of
  another, carries the version it was opened at; a save of an older version is refused with
  what changed meanwhile, under a row lock so that two saves cannot both pass the check.
- Model validation (unique and check constraints) runs with the values of read-only fields
  too, so a role that may not change a field cannot slip past a constraint that involves it.
- Unique constraints with conditions (a contributor credited once per role) hold across the
  rows of one inline save, and against the rows already stored.
- JSON input is bounded in size and depth before it is parsed; text holds no NUL and no lone
  surrogate, which PostgreSQL refuses (a 500 had the form not refused them first).
"""

from __future__ import annotations

import json
from collections import defaultdict

import reversion
from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models import F, UniqueConstraint, Value
from django.forms.fields import InvalidJSONInput
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .models import Versioned
from .validators import storable, validate_sensible_date, validate_storable_text
from .widgets import ChosenRows, NamedAutocompleteSelect

# Far beyond any region (64 points) or other JSON an editor types, far below what is costly.
MAX_JSON_CHARS = 20_000
MAX_JSON_DEPTH = 16


def json_depth(text: str, limit: int) -> int:
    """How deeply brackets nest in JSON text, read without parsing it (strings skipped);
    counting stops past `limit`."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def name_controls(form: forms.BaseForm, *, every: bool) -> None:
    """Give a screen reader a name for the controls no <label> names: the date and the time of
    a date and time, and (`every`) each control of an inline row, whose table's column
    headings label nothing."""
    for field in form.fields.values():
        widget = getattr(field.widget, "widget", field.widget)  # inside the related-object links
        if isinstance(widget, forms.SplitDateTimeWidget):
            date, time = widget.widgets
            date.attrs.setdefault("aria-label", _("%(field)s: date") % {"field": field.label})
            time.attrs.setdefault("aria-label", _("%(field)s: time") % {"field": field.label})
        elif every and not field.widget.is_hidden and field.label:
            widget.attrs.setdefault("aria-label", str(field.label))


def _json_strings(value):
    """Every key and string in parsed JSON (whose depth is already bounded)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON, and PostgreSQL's jsonb refuses them.
    raise ValueError(name)


class BoundedJSONField(forms.JSONField):
    """JSON read only within a size and depth: the parser recurses once per bracket, and
    5,000 of them were a RecursionError. Re-showing the form parses too (`bound_data`)."""

    default_error_messages = {
        "too_large": _("The JSON is too long: at most %(max)d characters."),
        "too_deep": _("The JSON is nested too deeply: at most %(max)d levels."),
    }

    def parse(self, text: str):
        if len(text) > MAX_JSON_CHARS:
            raise ValidationError(
                self.error_messages["too_large"], code="too_large", params={"max": MAX_JSON_CHARS}
            )
        if json_depth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise ValidationError(
                self.error_messages["too_deep"], code="too_deep", params={"max": MAX_JSON_DEPTH}
            )
        try:
            # ValueError: JSONDecodeError, a number too long to read, NaN or Infinity.
            value = json.loads(text, cls=self.decoder, parse_constant=_refuse_constant)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        for string in _json_strings(value):
            validate_storable_text(string)
        return value

    def to_python(self, value):
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, list | dict | int | float | forms.fields.JSONString):
            return value
        converted = self.parse(value)
        return forms.fields.JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return self.parse(data)
        except ValidationError:
            return InvalidJSONInput(data)


# Ids start at 1: a key that names no row, so that the field says "Select a valid choice".
NO_ROW = "0"


def usable_key(field: models.Field, value) -> bool:
    """Whether `value` could be a value of `field` in the database at all."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or value >= low) and (high is None or value <= high)
    return not isinstance(value, str) or storable(value)


def row_key(instance: models.Model) -> tuple[str, str]:
    return (instance._meta.label_lower, str(instance.pk))


class GuardedModelForm(forms.ModelForm):
    """The base of every admin form and inline row form (see the module's docstring)."""

    seen_version = forms.IntegerField(
        label=_("version opened"), widget=forms.HiddenInput, required=False
    )

    # During a restore, each row's version before django-reversion reverted it, by row_key:
    # the version an editor opened and must still find (HistoryAdmin.revision_view).
    live_versions: dict[tuple[str, str], int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.versioned:
            self.fields["seen_version"].initial = self.live_version(self.instance)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(validate_storable_text)
            if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
                field.validators.append(validate_sensible_date)
        name_controls(self, every=False)
        if self.is_bound:
            self.data = self.unusable_keys_replaced(self.data)
        self.followed: dict[type[models.Model], set] = {}
        self.stale_error: ValidationError | None = None

    def unusable_keys_replaced(self, data):
        """The posted data, with any choice of a related row that is not even a possible key
        (NUL, a number past the column) replaced by one that names no row.

        Left as posted, a lookup of several keys fails in the database (SQLite cannot take a
        number that large), and so does showing the form again with the choice selected.
        """
        replaced = None
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            target = field.queryset.model._meta
            key = target.get_field(field.to_field_name) if field.to_field_name else target.pk
            posted = field.widget.value_from_datadict(data, self.files, self.add_prefix(name))
            values = posted if isinstance(posted, list | tuple) else [posted]
            if all(value in field.empty_values or usable_key(key, value) for value in values):
                continue
            replaced = replaced if replaced is not None else data.copy()
            kept = [value if usable_key(key, value) else NO_ROW for value in values]
            if hasattr(replaced, "setlist"):
                replaced.setlist(self.add_prefix(name), kept)
            else:
                replaced[self.add_prefix(name)] = kept if len(kept) > 1 else kept[0]
        return data if replaced is None else replaced

    @property
    def versioned(self) -> bool:
        return issubclass(self._meta.model, Versioned)

    def live_version(self, instance: models.Model) -> int:
        return self.live_versions.get(row_key(instance), instance.version)

    def clean(self):
        cleaned = super().clean()
        if self.versioned:
            self.check_version(cleaned)
        return cleaned

    def check_version(self, cleaned: dict) -> None:
        """Refuse a save of an older version than the stored one, holding the row (and the
        rows it is part of, first, as every form locks them) until this save commits."""
        model = self._meta.model
        self.followed = self.followed_rows(cleaned)
        for parent, pks in sorted(self.followed.items(), key=lambda item: item[0]._meta.label):
            list(parent._default_manager.select_for_update().filter(pk__in=pks).order_by("pk"))
        if self.instance.pk is None:
            return
        current = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            raise ValidationError(
                _("Someone deleted this %(thing)s after you opened it; nothing was saved.")
                % {"thing": model._meta.verbose_name},
                code="deleted",
            )
        live = self.live_version(current)
        if cleaned.get("seen_version") != live:
            self.stale_error = ValidationError(stale_message(current, self), code="stale")
            raise self.stale_error
        self.instance.version = live + 1

    def followed_rows(self, cleaned: dict) -> dict[type[models.Model], set]:
        """The rows this one is part of (`version_follows`), before and after the change,
        except the parent of an inline row: that parent's own form saves it."""
        model = self._meta.model
        inline_parent = {
            name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)
        }
        rows = defaultdict(set)
        for name in model.version_follows:
            if name in inline_parent:
                continue
            field = model._meta.get_field(name)
            before = getattr(self.instance, field.attname)
            after = cleaned[name].pk if cleaned.get(name) is not None else None
            if name not in self.fields:
                after = before
            rows[field.related_model].update({before, after} - {None})
        return {parent: pks for parent, pks in rows.items() if pks}

    def _save_m2m(self):
        # Called once the row is saved (by save(), or by save_m2m() after save(commit=False)):
        # what it is part of changed with it, and forms of those opened before are stale.
        super()._save_m2m()
        for parent, pks in self.followed.items():
            parent._default_manager.filter(pk__in=pks).update(version=F("version") + 1)

    def _post_clean(self):
        """Django leaves the fields that are not on the form out of model validation, and
        with them every constraint that involves one; a read-only field keeps its stored
        value, which must pass the constraints along with the rest (an editor's page number
        is unique in the issue they may not change). So uniqueness and constraints are
        checked once more with those fields in; only new errors are added."""
        super()._post_clean()
        exclude = {
            name
            for name in self._get_validation_exclusions()
            if name in self.fields or name == self._meta.model._meta.pk.name
        }
        exclude |= {
            name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)
        }
        for check in (self.instance.validate_unique, self.instance.validate_constraints):
            try:
                check(exclude=exclude)
            except ValidationError as error:
                new = self.new_errors(error)
                if new:
                    self._update_errors(ValidationError(new))

    def new_errors(self, error: ValidationError) -> dict[str, list[ValidationError]]:
        """The errors of `error` that the form does not show yet."""
        shown = {name: set(errors) for name, errors in self.errors.items()}
        new = defaultdict(list)
        for name, errors in error.update_error_dict({}).items():
            for message_error in errors:
                for message in ValidationError(message_error).messages:
                    if message not in shown.get(name, ()):
                        new[name].append(ValidationError(message))
        return dict(new)

    def _update_errors(self, errors):
        # A read-only field's error has no field on the form to show it: the form shows it.
        if hasattr(errors, "error_dict"):
            shown = defaultdict(list)
            for name, errs in errors.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    shown[name].extend(errs)
                    continue
                try:
                    label = self._meta.model._meta.get_field(name).verbose_name
                except FieldDoesNotExist:
                    label = name
                shown[NON_FIELD_ERRORS].extend(
                    ValidationError(f"{label}: {message}") for message in ValidationError(errs)
                )
            errors = ValidationError(dict(shown))
        super()._update_errors(errors)


def stale_message(current: models.Model, form: GuardedModelForm) -> str:
    """Tell the second editor who saved meanwhile and what they changed, quoting the new text.

    What the editor had opened is the kept version with the number their form was opened at;
    each field of the form that differs from it now is quoted from where the difference starts.
    """
    model = type(current)
    versions = (
        list(Version.objects.get_for_object(current).select_related("revision__user")[:20])
        if reversion.is_registered(model)
        else []
    )
    who = versions[0].revision.user if versions and versions[0].revision.user else _("someone")
    seen = form.cleaned_data.get("seen_version")
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.name in form.fields and not isinstance(field, models.FileField)
    ]
    opened = next((v.field_dict for v in versions if v.field_dict.get("version") == seen), None)
    if opened is None:
        opened = {
            field.attname: getattr(value, "pk", value)
            for field in fields
            if (value := form.cleaned_data.get(field.name)) is not None
        }
    changed = []
    for field in fields:
        if opened.get(field.attname) == getattr(current, field.attname):
            continue
        before = str(opened.get(field.attname) or "")
        after = str(getattr(current, field.name) or "")
        changed.append(f"{field.verbose_name}: “{excerpt_from_difference(before, after)}”")
    return _(
        "%(who)s saved this %(thing)s after you opened it, so your changes were not saved. "
        "It now reads: %(changed)s. Copy what you need, reload the page and edit again."
    ) % {
        "who": who,
        "thing": model._meta.verbose_name,
        "changed": "; ".join(changed) or _("(only its credits, photos or other parts changed)"),
    }


def excerpt_from_difference(before: str, after: str, width: int = 60) -> str:
    """`after`, from a little before where it first differs from `before`."""
    start = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    begin = max(0, start - 10)
    excerpt = after[begin : begin + width]
    return ("…" if begin else "") + excerpt + ("…" if begin + width < len(after) else "")


class GuardedInlineFormSet(BaseInlineFormSet):
    """Inline rows: a stale row is refused even when marked for deletion, and every unique
    constraint on the parent's rows holds over the rows as they will be after the save."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name_controls(form, every=True)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the related links
            if isinstance(widget, NamedAutocompleteSelect):
                # Every row's choice read at once, by whichever row is drawn first.
                widget.chosen_rows = self.chosen_rows.setdefault(name, ChosenRows(self, name))

    @cached_property
    def chosen_rows(self) -> dict[str, ChosenRows]:
        return {}

    def clean(self):
        super().clean()
        for form in self.forms:
            # Django skips the errors of rows marked for deletion; a stale one is refused.
            if self.can_delete and self._should_delete_form(form) and form.stale_error:
                raise form.stale_error

    def validate_unique(self):
        super().validate_unique()
        constraints = [
            constraint
            for constraint in self.model._meta.constraints
            if isinstance(constraint, UniqueConstraint)
            and self.fk.name in constraint.fields
            and not constraint.expressions
        ]
        if not constraints:
            return
        deleting = [
            form for form in self.forms if self.can_delete and self._should_delete_form(form)
        ]
        posted = [
            form
            for form in self.forms
            if form not in deleting
            and form.is_valid()
            and (form.instance.pk is not None or form.has_changed())
        ]
        # Rows of the parent that this save does not show (a form opened before they were
        # added, or a hand-made request) stay as they are.
        stored = []
        if self.instance.pk is not None:
            shown = {form.instance.pk for form in self.forms if form.instance.pk is not None}
            stored = list(
                self.model._default_manager.filter(**{self.fk.name: self.instance}).exclude(
                    pk__in=shown
                )
            )
        errors = []
        for constraint in constraints:
            others = [name for name in constraint.fields if name != self.fk.name]
            seen: dict[tuple, object] = {}
            for row in [*stored, *posted]:
                instance = row.instance if isinstance(row, forms.BaseForm) else row
                key = tuple(
                    getattr(instance, self.model._meta.get_field(name).attname) for name in others
                )
                if None in key or not self.condition_holds(constraint, instance):
                    continue
                if key in seen:
                    errors.append(self.get_unique_error_message(others))
                    if isinstance(row, forms.BaseForm):
                        row.add_error(None, self.get_form_error())
                else:
                    seen[key] = row
        if errors:
            raise ValidationError(sorted(set(errors)))

    def condition_holds(self, constraint: UniqueConstraint, instance: models.Model) -> bool:
        """Whether a row falls under a conditional constraint, as it will be stored: under
        this parent, whose id a new parent does not have yet (0 stands for it)."""
        if constraint.condition is None:
            return True
        against = instance._get_field_expression_map(meta=self.model._meta)
        against[self.fk.name] = Value(self.instance.pk or 0, self.fk)
        return constraint.condition.check(against)


def guarded(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`form_class` held to GuardedModelForm's checks, whoever wrote it (Django's own user
    forms among them)."""
    if issubclass(form_class, GuardedModelForm):
        return form_class
    if form_class is forms.ModelForm:
        return GuardedModelForm

    class Guarded(form_class, GuardedModelForm):
        pass

    Guarded.__name__ = Guarded.__qualname__ = form_class.__name__
    return Guarded


class GuardedFieldsMixin:
    """The guarded form whichever form the admin names, its version field shown (hidden)
    whatever the fieldsets say, and JSON read within bounds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = guarded(self.form)
        if hasattr(self, "add_form"):  # Django's UserAdmin
            self.add_form = guarded(self.add_form)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField):
            kwargs.setdefault("form_class", BoundedJSONField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not issubclass(self.model, Versioned) or "seen_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "seen_version"]}), *rest]


class GuardedAdminMixin(GuardedFieldsMixin):
    """For every ModelAdmin: see the module's docstring."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.live_versions = getattr(request, "live_versions", {})
        return form


class GuardedInlineMixin(GuardedFieldsMixin):
    """For every inline: see the module's docstring."""

    formset = GuardedInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.live_versions = getattr(request, "live_versions", {})
        return formset
