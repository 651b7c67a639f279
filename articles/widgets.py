"""Admin widgets shared by the article form and the page workbench."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
