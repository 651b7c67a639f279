"""The Page admin's “Import page text”: paste or upload a page's text, preview, correct, confirm.

The preview shows every line with the role the parser gave it (lines it was unsure of marked)
beside what will be stored. The editor may change any line's role, join an article with the
next, split one at a line or move a credit to the article above; the browser re-reads the page
at once (static/articles/import-correction.js). Confirming sends back only the text and the
lines' roles: the server splits the text into lines again, checks the roles and assembles the
document with the same assembly as the parser, so what is stored never depends on what the
browser says was parsed. A corrected preview can be downloaded as a test case.
"""

from __future__ import annotations

import io
import json
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .importing import PageImportError, Replacement, import_page, replace_refusal, replacement
from .models import Article, Byline, Page, Photo
from .pageparser import (
    MAX_PAGE_BYTES,
    LabelledLine,
    PageParseError,
    ParsedPage,
    Role,
    assemble,
    decode_page,
    label_lines,
    split_lines,
)
from .pageparser.assembly import facts
from .pageparser.parser import NO_ARTICLE, readable

# Lines decoded with less confidence than this are marked for the editor to look at.
UNSURE = 0.5

ROLE_LABELS = {
    Role.FURNITURE: _("Page furniture (left out)"),
    Role.PAGE_CREDIT: _("Page credit"),
    Role.KICKER: _("Kicker"),
    Role.HEADLINE: _("Headline"),
    Role.SUBHEADLINE: _("Subheadline"),
    Role.BYLINE: _("Byline"),
    Role.DATELINE: _("Dateline and first paragraph"),
    Role.BODY: _("Text"),
    Role.CROSSHEAD: _("Crosshead"),
    Role.CREDIT: _("Closing credit"),
    Role.PHOTO_TITLE: _("Photo title"),
    Role.CAPTION: _("Caption"),
    Role.PHOTO_CREDIT: _("Photo credit"),
    Role.JUMP: _("Jump line (left out)"),
}


class PageTextForm(forms.Form):
    text = forms.CharField(
        label=_("Page text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90, "lang": "zh"}),
        help_text=_("Paste the page as OCR or the e-paper site gives it."),
    )
    file = forms.FileField(
        label=_("or a text file"),
        required=False,
        help_text=_("UTF-8, UTF-16 or GB18030, at most 10 MB."),
    )
    replace = forms.BooleanField(
        label=_("Replace what an earlier import put on this page"),
        required=False,
        help_text=_(
            "Only what earlier imports of this page created, while nothing of it is published; "
            "whatever was written or added by hand stays."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if upload and text.strip():
            raise forms.ValidationError(_("Paste the text or choose a file, not both."))
        if upload:
            if upload.size > MAX_PAGE_BYTES:
                raise forms.ValidationError(
                    _("The file is larger than %(size)d MB.")
                    % {"size": MAX_PAGE_BYTES // 1024 // 1024}
                )
            data = upload.read(MAX_PAGE_BYTES + 1)
        elif text:
            data = text.encode("utf-8")
        else:
            raise forms.ValidationError(_("Paste the page's text or choose a file."))
        try:
            cleaned["page_text"] = decode_page(data)
        except PageParseError as error:
            # The parser's messages are written for editors; they are English only.
            raise forms.ValidationError(str(error)) from error
        lines = split_lines(cleaned["page_text"])
        roles = self.data.getlist("role") if hasattr(self.data, "getlist") else []
        labelled = _corrected(lines, roles) if roles else label_lines(lines)
        parsed = assemble(labelled)
        if not readable(parsed):
            raise forms.ValidationError(NO_ARTICLE)
        cleaned["lines"], cleaned["parsed"] = labelled, parsed
        return cleaned


def _corrected(lines, roles: list[str]) -> list[LabelledLine]:
    """The lines with the roles the editor sent back: one known role for every line, or none."""
    if len(roles) != len(lines):
        raise forms.ValidationError(
            _("The corrected roles do not match the page's lines; preview the text again.")
        )
    labelled = []
    for line, value in zip(lines, roles, strict=True):
        try:
            role = Role(value)
        except ValueError:
            raise forms.ValidationError(
                _("“%(role)s” is not a role a line can take.") % {"role": value[:40]}
            ) from None
        labelled.append(LabelledLine(line=line, role=role))
    return labelled


def import_page_text(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str):
    """Form, then preview, then import; the page's change permission is required throughout."""
    page = model_admin.get_object(request, object_id)
    if page is None:
        raise Http404(_("No page with this id."))
    if not model_admin.has_change_permission(request, page):
        raise PermissionDenied
    page = Page.objects.select_related("issue__publication").get(pk=page.pk)

    form = PageTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        replace = form.cleaned_data["replace"]
        may_remove = _deletion_rights(model_admin, request, page)
        problem = _refusal(page, replace, may_remove)
        if problem:
            form.add_error(None, problem)
        elif "confirm" in request.POST:
            return _import(request, page, form.cleaned_data["parsed"], replace, may_remove)
        elif "download" in request.POST:
            return _test_case(page, form.cleaned_data["page_text"], form.cleaned_data["parsed"])
        else:
            return _render(
                model_admin,
                request,
                page,
                "admin/articles/page/import_preview.html",
                source_text=form.cleaned_data["page_text"],
                replace=replace,
                removing=replacement(page) if replace else None,
                **_preview(form.cleaned_data["parsed"]),
                **correction_context(form.cleaned_data["lines"]),
            )
    return _render(model_admin, request, page, "admin/articles/page/import_form.html", form=form)


def _refusal(page: Page, replace: bool, may_remove) -> str:
    """Why the page cannot take this import now, told before anything is tried (the import
    asks again, inside its transaction)."""
    has_content = (
        page.articles.exists()
        or Photo.objects.filter(page=page).exists()
        or Byline.objects.filter(page=page).exists()
    )
    if not has_content:
        return ""
    if not replace:
        return _(
            "This page already has articles, photos or credits. Tick “replace” to import it again."
        )
    # Withdrawn articles count as published: their addresses answer 410 Gone, and must go on.
    removing = replacement(page)
    return replace_refusal(page, removing) or may_remove(removing)


def _deletion_rights(model_admin: admin.ModelAdmin, request: HttpRequest, page: Page):
    """Replacing deletes rows: it needs the rights that deleting each of them in the admin
    would (an editor, who may not delete articles, may not replace them either)."""
    registry = model_admin.admin_site._registry

    def refusal(removing: Replacement) -> str:
        refused = set()
        for model, rows in ((Article, removing.articles), (Photo, removing.photos)):
            if rows:
                _deleted, _counts, perms_needed, protected = registry[model].get_deleted_objects(
                    rows, request
                )
                if perms_needed or protected:
                    refused.add(str(model._meta.verbose_name_plural))
        if removing.credits:
            inlines = model_admin.get_inline_instances(request, page)
            credits = next((inline for inline in inlines if inline.model is Byline), None)
            if credits is None or not credits.has_delete_permission(request, page):
                refused.add(str(_("page credits")))
        if not refused:
            return ""
        return _(
            "Replacing would delete %(what)s from an earlier import, which you may not delete. "
            "Import without “replace”, or ask the chief editor."
        ) % {"what": "、".join(sorted(refused))}

    return refusal


def _preview(parsed: ParsedPage) -> dict:
    """The parsed page with role names spelled out, as the preview shows it."""
    labels = dict(Byline.Role.choices)

    def credits(items):
        return [(credit.name, labels.get(credit.role, credit.role)) for credit in items]

    return {
        "credits": credits(parsed.credits),
        "articles": [
            {"article": article, "bylines": credits(article.bylines)} for article in parsed.articles
        ],
        "photos": [{"photo": photo, "bylines": credits(photo.bylines)} for photo in parsed.photos],
    }


def correction_context(labelled: list[LabelledLine]) -> dict:
    """Every line with its role and the menu of roles; the lines' facts for the browser."""
    labels = dict(Byline.Role.choices)
    return {
        "lines": [
            {
                "text": item.text,
                "role": item.role.value,
                "unsure": item.confidence < UNSURE,
                "confidence": item.confidence,
            }
            for item in labelled
        ],
        "role_choices": [(role.value, label) for role, label in ROLE_LABELS.items()],
        "correction_data": {
            "lines": [
                {
                    "gap": item.line.gap_before,
                    "indented": bool(item.line.indented),
                    "facts": facts(item.text).as_dict(),
                }
                for item in labelled
            ],
            "creditRoles": {role: str(label) for role, label in labels.items()},
        },
    }


def _test_case(page: Page, text: str, parsed: ParsedPage) -> HttpResponse:
    """The page's text and the corrected document as a test case (FORMAT.md) in a zip file,
    for `manage.py score_import` and the newsroom's own corpus."""
    name = f"page-{page.pk}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.txt", text)
        archive.writestr(
            f"{name}.expected.json",
            json.dumps(parsed.as_dict(), ensure_ascii=False, indent=2) + "\n",
        )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


def _import(
    request: HttpRequest, page: Page, parsed: ParsedPage, replace: bool, may_remove
) -> HttpResponse:
    try:
        result = import_page(
            parsed=parsed,
            publication=page.issue.publication,
            date=page.issue.date,
            page_number=page.number,
            page_name=page.name,
            replace=replace,
            user=request.user,
            may_remove=may_remove,
        )
    except PageImportError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(request.path)
    messages.success(
        request,
        _("Imported %(articles)d draft articles and %(photos)d photos onto %(page)s.")
        % {"articles": len(result.articles), "photos": len(result.photos), "page": page},
    )
    return HttpResponseRedirect(reverse("admin:articles_page_change", args=[page.pk]))


def _render(model_admin, request, page: Page, template: str, **context) -> TemplateResponse:
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "original": page,
            "title": _("Import page text: %(page)s") % {"page": page},
            "max_megabytes": MAX_PAGE_BYTES // 1024 // 1024,
            **context,
        },
    )
