"""Admin widgets shared by the article form and the page workbench."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
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


class NamedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box in a row of credits, named for a screen reader when nothing
    is chosen yet (static/articles/autocomplete-names.js), and showing that name."""

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
