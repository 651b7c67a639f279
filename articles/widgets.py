"""Admin widgets shared by the article form and the page workbench."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import body_counts


class RegionWidget(forms.Textarea):
    """The region as editable JSON points, with a drawing tool over the page scan (JS)."""

    class Media:
        js = ["articles/region-editor.js"]
        css = {"all": ["articles/region-editor.css"]}

    def __init__(self, attrs=None):
        labels = {
            "data-label-rect": _("Rectangle: drag on the scan"),
            "data-label-polygon": _("Polygon: click each corner"),
            "data-label-finish": _("Finish polygon"),
            "data-label-clear": _("Clear"),
        }
        super().__init__(attrs={"rows": 2, "cols": 60, **labels, **(attrs or {})})


class FoldedRegionWidget(RegionWidget):
    """The article form's region: the numbers, for corrections by hand, folded away under the
    drawing tool (which region-editor.js puts before them)."""

    def render(self, name, value, attrs=None, renderer=None):
        points = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="region-box"><details class="region-points"><summary>{}</summary>{}'
            "</details></div>",
            _("Points, in the scan's pixels"),
            points,
        )


class BodyWidget(forms.Textarea):
    """An article's body: a tall box that grows with its text, its 字数 and paragraphs counted
    as the editor types (static/articles/article-form.js), and counted here for a page
    without scripts."""

    class Media:
        js = ["articles/article-form.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 24, "class": "article-body", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        counter = f"{attrs.get('id', name)}_count"
        attrs["data-body-count"] = counter
        box = super().render(name, value, attrs, renderer)
        template = _("%(characters)s characters · %(paragraphs)s paragraphs")
        characters, paragraphs = body_counts(value or "")
        return format_html(
            '<div class="article-body-box">{}<p class="body-count" id="{}" data-template="{}">{}'
            "</p></div>",
            box,
            counter,
            template,
            template % {"characters": characters, "paragraphs": paragraphs},
        )


class ChosenRows:
    """The rows chosen in one autocomplete field of every form of a formset, read together.

    An autocomplete box draws only its chosen row, which Django reads with a query per box:
    one per credit of an article. The first box drawn reads every form's choice at once.
    """

    def __init__(self, formset, name: str) -> None:
        self.formset = formset
        self.name = name
        self.rows: dict[str, models.Model] | None = None

    def chosen(self, widget: NamedAutocompleteSelect, keys: set[str]) -> list[models.Model]:
        """The rows of `keys` that the field offers, in the field's order."""
        if self.rows is None:
            empty = widget.choices.field.empty_values
            every = {
                key
                for form in self.formset.forms
                for key in widget.format_value(form[self.name].value())
                if key not in empty
            }
            to_field = widget.to_field_name()
            rows = widget.choices.queryset.using(widget.db).filter(**{f"{to_field}__in": every})
            self.rows = {str(getattr(row, to_field)): row for row in rows}
        return [row for key, row in self.rows.items() if key in keys]


class NamedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box in a row of credits, named for a screen reader when nothing
    is chosen yet (static/articles/autocomplete-names.js), and showing that name.

    Its chosen row is read with those of the other rows (`chosen_rows`, which
    GuardedInlineFormSet shares among the rows of a formset).
    """

    # Set by GuardedInlineFormSet; outside one, the box reads its own choice as Django does.
    chosen_rows: ChosenRows | None = None

    class Media:
        # After Django's: it names what autocomplete.js builds, with django.jQuery.
        js = [
            "admin/js/jquery.init.js",
            "admin/js/autocomplete.js",
            "articles/autocomplete-names.js",
        ]

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = attrs.get("aria-label", "")
        return attrs

    def to_field_name(self) -> str:
        """The column a choice's value is read from (the primary key, but for a to_field)."""
        target = self.field.remote_field.model._meta
        name = getattr(self.field.remote_field, "field_name", target.pk.attname)
        return target.get_field(name).attname

    def optgroups(self, name, value, attr=None):
        if self.chosen_rows is None:
            return super().optgroups(name, value, attr)
        # Django's own, but for where the chosen rows come from.
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        keys = {str(key) for key in value if str(key) not in self.choices.field.empty_values}
        if keys:
            label = self.choices.field.label_from_instance
            for row in self.chosen_rows.chosen(self, keys):
                index = len(default[1])
                key = getattr(row, self.to_field_name())
                default[1].append(self.create_option(name, key, label(row), keys, index))
        return [default]
