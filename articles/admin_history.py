"""History in the admin: every save kept (django-reversion), compared, and restored.

A restore is held to what a save through the form would be held to (see HistoryAdmin).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.forms.widgets import ChoiceWidget
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from . import workflow
from .admin_forms import GuardedAdminMixin
from .models import Versioned


@dataclass
class Restoring:
    """A restore under way: the object as it stood (None when recovering a deleted one), the
    version's values for its form, and what a recovered object is set to."""

    live: models.Model | None
    initial: dict
    recovered_as: dict = field(default_factory=dict)
    # The live object's many-to-many values: django-reversion writes the version's.
    live_related: dict = field(default_factory=dict)


def browser_data(form: forms.BaseForm) -> MultiValueDict:
    """What a browser posts for `form` as it is shown, nothing changed.

    In each widget's own names and formats (a split date and time, a list of editors), so
    that a form bound to it runs exactly the checks that saving those values would.
    """
    data = MultiValueDict()
    for bound in form:
        if not bound.field.disabled:
            _put(data, bound.field.widget, bound.html_name, bound.value())
    return data


def _put(data: MultiValueDict, widget: forms.Widget, name: str, value) -> None:
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        for sub, suffix, part in zip(widget.widgets, widget.widgets_names, parts, strict=True):
            _put(data, sub, name + suffix, part)
    elif isinstance(widget, forms.FileInput):
        return  # nothing uploaded: the field keeps the file it shows
    elif isinstance(widget, forms.CheckboxInput):
        if widget.check_test(value):
            data[name] = "on"
    elif isinstance(widget, ChoiceWidget):
        chosen = widget.format_value(value)
        data.setlist(name, chosen if widget.allow_multiple_selected else chosen[:1])
    else:
        data[name] = widget.format_value(value) or ""


class HistoryAdmin(GuardedAdminMixin, CompareVersionAdmin):
    """History, comparison and restore of earlier versions.

    A restore is a save through the change form with the version's values in it. The form is
    the one this user gets for the object as it stands, so a restore passes every check such
    a save would (placement, page rights, the form's clean(), model validation), and what the
    form does not let this user change (readonly fields, and what only the workflow changes:
    `kept_on_revert`) keeps its live value. django-reversion writes the whole revision to the
    rows before it shows the form, so first the version's values are put through that form,
    with the live object, and every row the revision would write is checked: a restore the
    form would refuse is refused, with the form's errors, before anything is written.

    Recovering a deleted object is the chief's; its values go through the add form, and it
    comes back as `recovered_as` says (an article as a draft: it goes through review again).
    """

    kept_on_revert: list[str] = []
    recovered_as: dict = {}
    # What editors write, compared and summed up in the history: never a version counter, a
    # time of saving or a workflow state. Names of fields, and of the related rows that
    # follow the object into each version (an article's "bylines", "photos").
    compare_fields: list[str] = []

    def revision_view(self, request, object_id, version_id, extra_context=None):
        live = self.get_object(request, unquote(object_id))
        # django-reversion takes any version by id and reverts its whole revision: only a
        # version of this very object will do.
        version = self.own_version(version_id, object_id=unquote(object_id))
        if live is None:
            raise Http404
        if not self.has_change_permission(request, live):
            raise PermissionDenied
        problems = self.restore_problems(request, version, live)
        if problems:
            return self.refuse_restore(request, problems, "history", quote(live.pk))
        related = {
            m2m.name: list(getattr(live, m2m.name).all()) for m2m in self.model._meta.many_to_many
        }
        request.restoring = Restoring(
            live=live, initial=self.version_initial(request, version, live), live_related=related
        )
        # The rows' versions as the editor opened them, before the revert writes old ones.
        request.live_versions = live_versions(version.revision)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """Bringing back something deleted is the chief's, and only from this model's history."""
        if not workflow.is_chief(request.user):
            raise PermissionDenied
        version = self.own_version(version_id)
        if self.model._default_manager.filter(pk=version.object_id).exists():
            # Not deleted: its history's “Revert”, with its checks, is the way back.
            raise Http404
        problems = self.restore_problems(request, version, None)
        if problems:
            return self.refuse_restore(request, problems, "recoverlist")
        request.restoring = Restoring(live=None, initial={}, recovered_as=self.recovered_as)
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.is_chief(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def _get_action_list(self, request, object_id, extra_context=None):
        """Each version in the history with a line saying what changed in it ("主题、正文")."""
        action_list = super()._get_action_list(request, object_id, extra_context)
        summaries = self.summaries([action["version"] for action in action_list])
        for action in action_list:
            action["summary"] = summaries[action["version"].pk]
        return action_list

    def summaries(self, versions: list[Version]) -> dict[int, str]:
        """What changed in each version since the one before, in one query for all."""
        followed = {}  # related model: label, for the rows that follow the object
        own = []  # (field, label) of the object's own fields
        for name in self.compare_fields:
            field = self.model._meta.get_field(name)
            if field.auto_created and not field.concrete:
                followed[field.related_model] = field.related_model._meta.verbose_name_plural
            else:
                own.append((field, field.verbose_name))
        # Content types are cached after the first request: no query here after it.
        model_of = {
            kind.pk: model for model, kind in ContentType.objects.get_for_models(*followed).items()
        }
        rows = defaultdict(dict)  # revision: {(model, id): serialized row}
        for row in Version.objects.filter(
            revision__in=[each.revision_id for each in versions], content_type__in=model_of
        ):
            model = model_of[row.content_type_id]
            rows[row.revision_id][(model, row.object_id)] = row.serialized_data
        summaries = {}
        before = None
        for version in sorted(versions, key=lambda each: each.revision_id):
            if before is None:
                summaries[version.pk] = _("First version")
            else:
                changed = [
                    label
                    for field, label in own
                    if field_value(before, field) != field_value(version, field)
                ]
                mine, theirs = rows[version.revision_id], rows[before.revision_id]
                changed += [
                    label
                    for model, label in followed.items()
                    if {key: row for key, row in mine.items() if key[0] is model}
                    != {key: row for key, row in theirs.items() if key[0] is model}
                ]
                summaries[version.pk] = "、".join(str(label) for label in changed) or "—"
            before = version
        return summaries

    def compare(self, obj, version1, version2):
        """The differences (of compare_fields), each with the name a person knows it by: the
        field's, or for the credits and photos that follow the object, their model's (not
        "bylines")."""
        diff, _unfollowed = super().compare(obj, version1, version2)
        for entry in diff:
            field = entry["field"]
            entry["label"] = (
                field.verbose_name
                if hasattr(field, "verbose_name")
                else field.related_model._meta.verbose_name_plural
            )
        # The note on fields outside the history, only when one of them is shown.
        return diff, any(entry["is_related"] and not entry["follow"] for entry in diff)

    def own_version(self, version_id, **lookups) -> Version:
        """The version, if it is one of this admin's model; 404 otherwise."""
        return get_object_or_404(
            Version,
            pk=version_id,
            content_type=ContentType.objects.get_for_model(self.model),
            **lookups,
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "restoring", None)
        if obj is None or restoring is None:
            return obj
        if restoring.live is not None:
            # The row holds the version now: the form edits the object as it stood.
            return copy.deepcopy(restoring.live)
        for name, value in restoring.recovered_as.items():
            setattr(obj, name, value)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        restoring = getattr(request, "restoring", None)
        if restoring is None:
            return form

        class RestoreForm(form):
            """The change form, showing the version's values over the live object's."""

            def __init__(self, *args, initial=None, **kwargs):
                super().__init__(*args, initial={**restoring.initial, **(initial or {})}, **kwargs)

        return RestoreForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The restore wrote each row of the revision back at its old version number; those
        # the form did not save move past the number they had, so that forms opened before
        # the restore are stale.
        for (label, pk), version in getattr(request, "live_versions", {}).items():
            model = apps.get_model(label)
            model._default_manager.filter(pk=pk, version__lte=version).update(version=version + 1)
        restoring = getattr(request, "restoring", None)
        if restoring is None:
            return
        for name, values in restoring.live_related.items():
            if name not in form.cleaned_data:
                # Not in this user's form (a page's editors are the chief's): kept live.
                getattr(form.instance, name).set(values)

    # The checks made before django-reversion writes anything.

    def restore_form(self, request, obj):
        """The form class the change view (the add view, when recovering) gives this user."""
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        return self.get_form(request, obj, change=obj is not None, fields=fields)

    def version_initial(self, request, version: Version, obj) -> dict:
        """The version's values for the form's fields, but for those the restore keeps."""
        values = version.field_dict
        kept = set(self.kept_on_revert)
        initial = {}
        for name in self.restore_form(request, obj).base_fields:
            try:
                model_field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if kept.isdisjoint({name, model_field.attname}) and model_field.attname in values:
                initial[name] = values[model_field.attname]
        return initial

    def restore_problems(self, request, version: Version, live) -> list[str]:
        """Why this user may not restore the version, as the form and the rights would say."""
        try:
            versions = list(version.revision.version_set.select_related("content_type"))
            for each in versions:
                each.field_dict  # noqa: B018 -- loads the stored data, raising if unreadable
        except RevertError as error:
            return [str(error)]
        problems = self.form_problems(request, version, live)
        # The rows besides this object that the revision writes (credits, photos) follow it;
        # the object's own row, when it stands, takes the form's values over the version's.
        others = [each for each in versions if live is None or each.pk != version.pk]
        problems += self.missing_references(others, versions)
        problems += self.followed_problems(request, [v for v in versions if v.pk != version.pk])
        return problems

    def form_problems(self, request, version: Version, live) -> list[str]:
        form_class = self.restore_form(request, live)
        initial = self.version_initial(request, version, live)
        instance = live if live is not None else self.model()
        shown = form_class(instance=instance, initial=initial)
        bound = form_class(browser_data(shown), instance=copy.deepcopy(instance), initial=initial)
        problems = []
        if not bound.is_valid():
            for name, errors in bound.errors.items():
                text = " ".join(errors)
                problems.append(
                    f"{bound.fields[name].label}: {text}" if name in bound.fields else text
                )
        return problems

    @staticmethod
    def missing_references(versions: list[Version], revision: list[Version]) -> list[str]:
        """Rows the revision would write that refer to something deleted since."""
        present = {(each.content_type.model_class(), str(each.object_id)) for each in revision}
        problems = []
        for each in versions:
            model = each.content_type.model_class()
            for model_field in model._meta.concrete_fields:
                target = each.field_dict.get(model_field.attname)
                if not model_field.is_relation or target is None:
                    continue
                remote = model_field.related_model
                if (remote, str(target)) in present:
                    continue
                if not remote._default_manager.filter(pk=target).exists():
                    problems.append(
                        _("%(object)s refers to a %(model)s that has been deleted.")
                        % {"object": each.object_repr, "model": remote._meta.verbose_name}
                    )
        return problems

    def followed_problems(self, request, versions: list[Version]) -> list[str]:
        """Rows the revision would change besides this object must be the user's to change."""
        problems = []
        for each in versions:
            model = each.content_type.model_class()
            model_admin = self.admin_site._registry.get(model)
            current = model._default_manager.filter(pk=each.object_id).first()
            if model_admin is None or current is None:
                continue  # credits follow their item; a deleted row comes back as it was
            if not model_admin.has_change_permission(request, current):
                problems.append(
                    _("You may not change %(object)s, which this version would bring back.")
                    % {"object": current}
                )
        return problems

    def refuse_restore(self, request, problems: list[str], view: str, *args):
        opts = self.model._meta
        messages.error(
            request,
            _("This version cannot be restored: %(problems)s") % {"problems": "; ".join(problems)},
        )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args)
        )


def field_value(version: Version, field: models.Field):
    """A field's value in a version, many-to-many ones as a set (stored in no fixed order)."""
    value = version.field_dict.get(field.attname)
    return set(value or ()) if field.many_to_many else value


def live_versions(revision) -> dict[tuple[str, str], int]:
    """The version number of each row of `revision` as it stands, before a restore reverts it
    (admin_forms.GuardedModelForm.live_versions)."""
    live = {}
    for version in revision.version_set.all():
        model = version._model
        if issubclass(model, Versioned):
            row = model._default_manager.filter(pk=version.object_id).values("version").first()
            if row is not None:
                live[(model._meta.label_lower, str(version.object_id))] = row["version"]
    return live
