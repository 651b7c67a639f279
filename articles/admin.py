"""The editors' workspace. Every changelist fetches its related rows up front (no query per row)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import search, services
from .admin_import import import_page_text
from .models import Article, Byline, Contributor, Issue, Page, Photo, Publication
from .pagination import EstimatedCountPaginator


def thumbnail_tag(image_file) -> str:
    if not image_file:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="max-height:80px;max-width:120px">', image_file.url
    )


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


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["contributor", "role", "order"]
    autocomplete_fields = ["contributor"]
    extra = 1


class ArticleBylineInline(BylineInline):
    fk_name = "article"


class PhotoBylineInline(BylineInline):
    fk_name = "photo"


class PageCreditInline(BylineInline):
    fk_name = "page"
    verbose_name = _("page credit")
    verbose_name_plural = _("page credits")


class PhotoInline(admin.StackedInline):
    model = Photo
    fields = ["preview", "image", "title", "caption", "position"]
    readonly_fields = ["preview"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("preview"))
    def preview(self, obj: Photo) -> str:
        return thumbnail_tag(obj.thumbnail)


class ArticlePhotoInline(PhotoInline):
    fk_name = "article"


class PagePhotoInline(PhotoInline):
    fk_name = "page"
    verbose_name = _("standalone photo")
    verbose_name_plural = _("standalone photos")


class PageInline(admin.TabularInline):
    model = Page
    fields = ["number", "name", "scan", "pdf"]
    extra = 0
    show_change_link = True


class PageArticleInline(admin.TabularInline):
    model = Article
    fk_name = "page"
    fields = ["position", "headline", "status", "published_at"]
    extra = 0
    show_change_link = True


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "date",
        "number",
        "running_number",
        "status",
        "published_at",
        "page_count",
    ]
    list_filter = ["publication", "status"]
    list_select_related = ["publication"]
    date_hierarchy = "date"
    search_fields = ["publication__name", "date"]
    autocomplete_fields = ["publication"]
    inlines = [PageInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["publication", "date", "number", "running_number"]}),
        (_("Publishing"), {"fields": ["status", "published_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(page_total=Count("pages"))

    @admin.display(description=_("pages"), ordering="page_total")
    def page_count(self, obj: Issue) -> int:
        return obj.page_total

    @admin.action(description=_("Publish the selected issues with all their articles"))
    def publish(self, request, queryset):
        total = 0
        # All selected issues or none: a failure half-way leaves nothing published.
        with transaction.atomic():
            for issue in queryset:
                total += services.issue_publish(issue=issue)
        self.message_user(
            request,
            ngettext(
                "Published %(issues)d issue; %(articles)d articles became visible.",
                "Published %(issues)d issues; %(articles)d articles became visible.",
                len(queryset),
            )
            % {"issues": len(queryset), "articles": total},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected issues"))
    def unpublish(self, request, queryset):
        for issue in queryset:
            services.issue_unpublish(issue=issue)
        self.message_user(
            request,
            ngettext("Unpublished %(count)d issue.", "Unpublished %(count)d issues.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    # Hundreds of thousands of rows in a large archive: see articles/pagination.py.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["__str__", "number", "name", "preview", "article_count"]
    list_filter = ["issue__publication", "name"]
    list_select_related = ["issue__publication"]
    date_hierarchy = "issue__date"
    search_fields = ["name", "issue__publication__name"]
    autocomplete_fields = ["issue"]
    readonly_fields = ["preview"]
    inlines = [PageCreditInline, PageArticleInline, PagePhotoInline]
    fieldsets = [
        (None, {"fields": ["issue", "number", "name"]}),
        (_("Scan and PDF"), {"fields": ["scan", "preview", "pdf"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    def get_urls(self):
        # “Import page text” (admin_import.py), linked from the page's change form.
        import_text = self.admin_site.admin_view(partial(import_page_text, self))
        return [
            path("<path:object_id>/import-text/", import_text, name="articles_page_import_text"),
            *super().get_urls(),
        ]

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj: Page) -> int:
        return obj.article_total

    @admin.display(description=_("scan"))
    def preview(self, obj: Page) -> str:
        return thumbnail_tag(obj.scan_thumbnail)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "publication", "page_label", "status", "published_at", "updated_at"]
    list_display_links = ["headline"]
    list_filter = [
        "publication",
        "status",
        ("page__issue__date", admin.DateFieldListFilter),
        "page__name",
        "page__number",
    ]
    list_select_related = ["publication", "page"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "kicker", "subheadline", "body"]
    autocomplete_fields = ["publication", "page", "source"]
    inlines = [ArticleBylineInline, ArticlePhotoInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "subheadline", "dateline", "body"]}),
        (_("Placement"), {"fields": ["publication", "page", "position", "region"]}),
        (_("Sources"), {"fields": ["source", "syndicated_from"], "classes": ["collapse"]}),
        (_("Publishing"), {"fields": ["status", "published_at"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        region = form.base_fields.get("region")
        if region is not None:
            region.widget = RegionWidget()
            page = obj.page if obj is not None and obj.page_id else None
            if page is not None and page.scan_web:
                # The editor draws on the web rendition but stores the scan's own pixels.
                region.widget.attrs.update(
                    {
                        "data-scan-url": page.scan_web.url,
                        "data-scan-width": page.scan_width,
                        "data-scan-height": page.scan_height,
                    }
                )
        return form

    # Scale: a million articles. No second full count, an estimated one past 50,000 rows.
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        """Search the full-text index (drafts included) instead of LIKE over every body."""
        if not search_term.strip():
            return queryset, False
        try:
            terms = search.parse_query(search_term)
        except search.QueryError as error:
            self.message_user(request, str(error), messages.WARNING)
            return queryset.none(), False
        if not terms:
            return queryset.none(), False
        return search.matches(queryset, terms), False

    @admin.display(description=_("page"), ordering="page__number")
    def page_label(self, obj: Article) -> str:
        return obj.page.label if obj.page_id else _("web only")

    @admin.action(description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        count = services.articles_publish(articles=queryset)
        self.message_user(
            request,
            ngettext("Published %(count)d article.", "Published %(count)d articles.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected articles"))
    def unpublish(self, request, queryset):
        count = services.articles_unpublish(articles=queryset)
        self.message_user(
            request,
            ngettext("Unpublished %(count)d article.", "Unpublished %(count)d articles.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    # Hundreds of thousands of rows in a large archive: see articles/pagination.py.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["preview", "__str__", "article", "page"]
    list_select_related = ["article", "page__issue__publication"]
    search_fields = ["title", "caption"]
    autocomplete_fields = ["article", "page"]
    readonly_fields = ["preview", "width", "height"]
    inlines = [PhotoBylineInline]
    fieldsets = [
        (None, {"fields": ["image", "preview", "width", "height", "title", "caption"]}),
        (_("Placement"), {"fields": ["article", "page", "position"]}),
    ]

    @admin.display(description=_("preview"))
    def preview(self, obj: Photo) -> str:
        return thumbnail_tag(obj.thumbnail)


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]
