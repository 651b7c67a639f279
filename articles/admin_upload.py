"""“Upload this issue's pages” in the admin: page PDFs or a zip dragged in, then each page's
progress as the workers read it (articles/pdfpages.py, tasks.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt

from . import pdfpages
from .models import Issue, IssueUpload, PageUpload, Publication, Status
from .validators import validate_sensible_date

# An issue has at most this many pages; more files in one upload are refused by the form.
MAX_FILES = pdfpages.ZIP_MAX_ENTRIES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # No file chosen posts an empty list, which must be “required” like one empty field.
        files = (data if isinstance(data, list | tuple) else [data]) or [None]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Upload at most %(max)d files at once, or one zip.") % {"max": MAX_FILES}
            )
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class IssueUploadForm(forms.Form):
    publication = forms.ModelChoiceField(
        Publication.objects.all(), label=gettext_lazy("publication")
    )
    date = forms.DateField(
        label=gettext_lazy("date"),
        validators=[validate_sensible_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    files = MultipleFileField(
        label=gettext_lazy("page PDFs"),
        help_text=gettext_lazy(
            "Several page PDFs, or one zip of them, named by page: 01.pdf, A01.pdf or 01-News.pdf."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        publication, date = cleaned.get("publication"), cleaned.get("date")
        if publication is None or date is None:
            return cleaned
        issue = Issue.objects.filter(publication=publication, date=date).first()
        if issue is None and not self.user.has_perm("articles.add_issue"):
            raise forms.ValidationError(
                _("There is no issue of %(publication)s on that date; the chief creates it.")
                % {"publication": publication.name}
            )
        if issue is not None and issue.status == Status.PUBLISHED:
            raise forms.ValidationError(
                _("This issue is published; unpublish it before uploading its pages again.")
            )
        return cleaned


def progress(upload: IssueUpload) -> dict:
    """The upload's state for the progress page and its polling: counts and each page."""
    pages = list(upload.pages.select_related("page").order_by("number", "file_name"))
    counts = {state: 0 for state in PageUpload.State.values}
    for page in pages:
        counts[page.state] += 1
    return {
        "total": len(pages),
        "done": counts[PageUpload.State.DONE],
        "failed": counts[PageUpload.State.FAILED],
        "working": counts[PageUpload.State.QUEUED] + counts[PageUpload.State.READING],
        "summary": _("%(done)d of %(total)d pages read")
        % {
            "done": counts[PageUpload.State.DONE],
            "total": len(pages),
        },
        "pages": [
            {
                "number": page.number,
                "file": page.file_name,
                "state": page.state,
                "state_label": str(page.get_state_display()),
                "articles": page.articles,
                "photos": page.photos,
                "error": page.error,
                "warnings": page.warnings,
                "page_url": reverse("admin:articles_page_change", args=[page.page_id])
                if page.page_id
                else "",
                "workbench_url": reverse("admin:articles_page_workbench", args=[page.page_id])
                if page.page_id
                else "",
            }
            for page in pages
        ],
    }


class IssueUploadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pages_read", "created_by", "created_at"]
    list_filter = ["publication"]
    date_hierarchy = "date"
    list_select_related = ["publication", "created_by"]
    actions = ["read_again"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                page_count=Count("pages"),
                done_count=Count("pages", filter=Q(pages__state=PageUpload.State.DONE)),
                failed_count=Count("pages", filter=Q(pages__state=PageUpload.State.FAILED)),
            )
        )

    @admin.display(description=gettext_lazy("pages read"))
    def pages_read(self, obj: IssueUpload) -> str:
        text = _("%(done)d of %(total)d") % {"done": obj.done_count, "total": obj.page_count}
        if obj.failed_count:
            text += " · " + ngettext("%(n)d failed", "%(n)d failed", obj.failed_count) % {
                "n": obj.failed_count
            }
        return text

    @admin.action(
        description=gettext_lazy("Read failed or stuck pages again"), permissions=["change"]
    )
    def read_again(self, request, queryset):
        count = pdfpages.read_again(PageUpload.objects.filter(upload__in=queryset))
        self.message_user(
            request,
            ngettext(
                "%(n)d page queued to be read again.", "%(n)d pages queued to be read again.", count
            )
            % {"n": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def get_urls(self):
        add = self.admin_site.admin_view(self.add_view)

        @csrf_exempt  # until the handlers are set: add is checked by admin_view's csrf_protect
        def add_to_disk(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # Every page PDF to a temporary file as it arrives, the small ones too: under
            # FILE_UPLOAD_MAX_MEMORY_SIZE each, forty of them would still be held in memory.
            request.upload_handlers = [TemporaryFileUploadHandler(request)]
            return add(request, *args, **kwargs)

        return [
            path("add/", add_to_disk),  # before the admin's own, which it stands for
            path(
                "<int:pk>/progress.json",
                self.admin_site.admin_view(self.progress_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_progress",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IssueUploadForm(
            request.POST or None,
            request.FILES or None,
            user=request.user,
            initial={"publication": Publication.objects.order_by("pk").first()},
        )
        if request.method == "POST" and form.is_valid():
            upload = pdfpages.receive_issue(
                publication=form.cleaned_data["publication"],
                date=form.cleaned_data["date"],
                files=[(file.name, file) for file in form.cleaned_data["files"]],
                user=request.user,
            )
            return redirect("admin:articles_issueupload_change", upload.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload this issue's pages"),
            "opts": self.opts,
            "form": form,
            "max_megabytes": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/articles/issueupload/upload.html", context)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        """The upload's progress, page by page; POST reads its failed or stuck pages again."""
        upload = self.get_object(request, object_id)
        if upload is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, upload):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, upload):
                raise PermissionDenied
            self.read_again(request, IssueUpload.objects.filter(pk=upload.pk))
            return redirect("admin:articles_issueupload_change", upload.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Pages of %(upload)s") % {"upload": upload},
            "opts": self.opts,
            "original": upload,
            "progress": progress(upload),
            "can_read_again": self.has_change_permission(request, upload),
            "progress_url": reverse("admin:articles_issueupload_progress", args=[upload.pk]),
        }
        return TemplateResponse(request, "admin/articles/issueupload/progress.html", context)

    def progress_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        upload = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, upload):
            raise PermissionDenied
        return JsonResponse(progress(upload))
