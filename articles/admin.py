"""The editors' workspace. Every changelist fetches its related rows up front (no query per row)."""

from __future__ import annotations

from functools import partial

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.db import connections, router, transaction
from django.db.models import (
    CharField,
    F,
    Func,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import formats
from django.utils.formats import date_format, time_format
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from . import search, services, workflow
from .admin_desk import issue_desk
from .admin_forms import GuardedAdminMixin, GuardedInlineMixin, GuardedModelForm
from .admin_history import HistoryAdmin
from .admin_import import import_page_text
from .admin_upload import IssueUploadAdmin
from .admin_workbench import page_workbench, workbench_link
from .models import (
    Article,
    Byline,
    Contributor,
    Correction,
    Issue,
    IssueUpload,
    Page,
    Photo,
    Publication,
    Status,
    WorkflowStep,
)
from .pagination import EstimatedCountPaginator
from .roles import role_label
from .widgets import BodyWidget, FoldedRegionWidget, NamedAutocompleteSelect


def state_badge(article: Article) -> str:
    """The article's state as a coloured badge (static/articles/admin.css), as on the desk."""
    return render_to_string("admin/articles/_state_badge.html", {"article": article})


class DistinctValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by every value of a column, its values found by skipping along the
    column's index from one value to the next (a recursive query, on both engines) rather than
    by SELECT DISTINCT, which read all 200,000 pages of a million-article archive (40 ms for
    the page names, 30 for the numbers) on every view of the article list.

    For a NOT NULL, indexed column of a table whose rows the admin shows all of: the values
    are the table's, not the model admin's queryset's.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # Read when the choices are drawn, as Django's queryset was (not for an action's POST).
        self.lookup_choices = SimpleLazyObject(lambda: distinct_values(field))


def distinct_values(field) -> list:
    """Every value of `field`'s column, in order: one index lookup per value."""
    model = field.model
    connection = connections[router.db_for_read(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE found(value) AS (SELECT min({column}) FROM {table} "  # noqa: S608
            f"UNION ALL SELECT (SELECT min({column}) FROM {table} WHERE {column} > found.value) "
            "FROM found WHERE found.value IS NOT NULL) "
            "SELECT value FROM found WHERE value IS NOT NULL"
        )
        return [value for (value,) in cursor.fetchall()]


def count_of(queryset) -> Coalesce:
    """How many rows `queryset` (filtered by an OuterRef) has, as a column of the changelist.

    A subquery is counted only for the rows shown, where a Count over a join would group the
    whole table first.
    """
    counted = queryset.order_by().annotate(total=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("total")), 0)


def readiness(cleared: int, total: int) -> str:
    """How many of the articles passed final review, e.g. "已终审 12 / 16"."""
    return _("passed final review %(cleared)d / %(total)d") % {"cleared": cleared, "total": total}


def thumbnail_tag(image_file) -> str:
    if not image_file:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="max-height:80px;max-width:120px">', image_file.url
    )


class BylineInline(GuardedInlineMixin, admin.TabularInline):
    model = Byline
    fields = ["contributor", "role", "order"]
    autocomplete_fields = ["contributor"]
    extra = 1

    def get_queryset(self, request):
        # Each row is headed by its credit (Byline.__str__), which names the contributor.
        return super().get_queryset(request).select_related("contributor")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contributor":
            kwargs["widget"] = NamedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PartInline:
    """Parts (credits, photos, corrections) change only with what they belong to, whatever
    the user's rights on the part's own model."""

    # workflow.can_edit, can_edit_page or can_edit_photo: may the user change the parent?
    parent_editable: staticmethod

    def editable(self, request, obj) -> bool:
        return obj is None or self.parent_editable(request.user, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self.editable(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.editable(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.editable(request, obj)


class ArticlePartInline(PartInline):
    parent_editable = staticmethod(workflow.can_edit)


class PagePartInline(PartInline):
    parent_editable = staticmethod(workflow.can_edit_page)


class ArticleBylineInline(ArticlePartInline, BylineInline):
    fk_name = "article"


class PhotoBylineInline(PartInline, BylineInline):
    parent_editable = staticmethod(workflow.can_edit_photo)
    fk_name = "photo"


class PageCreditInline(PagePartInline, BylineInline):
    fk_name = "page"
    verbose_name = _("page credit")
    verbose_name_plural = _("page credits")


class PhotoInline(GuardedInlineMixin, admin.StackedInline):
    model = Photo
    fields = ["preview", "image", "title", "caption", "position"]
    readonly_fields = ["preview"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("preview"))
    def preview(self, obj: Photo) -> str:
        return thumbnail_tag(obj.thumbnail)


class ArticlePhotoInline(ArticlePartInline, PhotoInline):
    fk_name = "article"


class PagePhotoInline(PagePartInline, PhotoInline):
    fk_name = "page"
    verbose_name = _("standalone photo")
    verbose_name_plural = _("standalone photos")


class PageInline(GuardedInlineMixin, admin.TabularInline):
    model = Page
    fields = ["number", "name", "scan", "pdf"]
    extra = 0
    show_change_link = True

    def has_delete_permission(self, request, obj=None) -> bool:
        # A page readers see is not deleted from its issue's form either (PageAdmin refuses).
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status != Status.PUBLISHED)


class CorrectionInline(ArticlePartInline, GuardedInlineMixin, admin.TabularInline):
    model = Correction
    fields = ["date", "text"]
    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        # Once readers have seen the article, its corrections stay on record (they may be
        # reworded); taking one away would quietly change what the paper said it got wrong.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.first_published_at is None)


class WorkflowStepInline(admin.TabularInline):
    """The article's way through review so far: read-only, written by the workflow service."""

    model = WorkflowStep
    fields = ["at", "user", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("review history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        # Each row is headed by the step (WorkflowStep.__str__, with the article's headline)
        # and shows who made it.
        return super().get_queryset(request).select_related("article", "user")


class PageArticleInline(admin.TabularInline):
    """The page's articles, read-only: each is edited on its own form, under the workflow."""

    model = Article
    fk_name = "page"
    fields = ["position", "headline", "status", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class KeepPublishedWorkAdmin(HistoryAdmin):
    """Refuse to delete what readers have seen: links to it are out in the world.

    Nor may an issue or page go while articles stand on it (Article.page is PROTECT): the
    confirmation says so above the list of those articles. Contributors need nothing of this:
    their bylines protect them (on_delete=PROTECT).
    """

    published_refusal = _("%(object)s has published work; unpublish it instead of deleting it.")

    def has_published_work(self, obj) -> bool:
        raise NotImplementedError

    def held_articles(self, obj):
        """The articles printed on the issue or page, which keep it from being deleted."""
        return Article.objects.none()

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = []
        for obj in objs:
            if self.has_published_work(obj):
                refusals.append(self.published_refusal % {"object": obj})
            if self.held_articles(obj).exists():
                refusals.append(
                    _(
                        "Articles stand on %(object)s: move each to another page, or delete it, "
                        "first. Deleting never turns them into web-only articles."
                    )
                    % {"object": obj}
                )
        return deleted, counts, perms_needed, refusals + list(protected)


@admin.register(Issue)
class IssueAdmin(KeepPublishedWorkAdmin):
    # Reversion's list (with “Recover deleted”), plus “Upload this issue's pages”.
    change_list_template = "admin/articles/issue/change_list.html"
    list_display = [
        "__str__",
        "numbers",
        "issue_status",
        "page_count",
        "review",
        "desk_link",
    ]
    list_filter = ["publication", "status"]
    list_select_related = ["publication"]
    date_hierarchy = "date"
    search_fields = ["publication__name", "date"]
    autocomplete_fields = ["publication"]
    inlines = [PageInline]
    actions = ["publish", "unpublish"]
    # Publishing goes through the actions, which check review and permission; never the form.
    readonly_fields = ["status", "published_at"]
    kept_on_revert = readonly_fields
    # A deleted issue comes back unpublished; publishing it goes through the action.
    recovered_as = {"status": Status.DRAFT}
    compare_fields = ["publication", "date", "number", "running_number"]
    fieldsets = [
        (None, {"fields": ["publication", "date", "number", "running_number"]}),
        (_("Publishing"), {"fields": ["status", "published_at"]}),
    ]

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_issue")

    def has_published_work(self, obj: Issue) -> bool:
        return (
            obj.status == Status.PUBLISHED
            or Article.objects.filter(page__issue=obj, first_published_at__isnull=False).exists()
        )

    def held_articles(self, obj: Issue):
        return Article.objects.filter(page__issue=obj)

    def get_queryset(self, request):
        articles = Article.objects.filter(page__issue=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                page_total=count_of(Page.objects.filter(issue=OuterRef("pk"))),
                article_total=count_of(articles),
                cleared_total=count_of(articles.filter(status__in=services.CLEARED)),
            )
        )

    @admin.display(description=_("pages"), ordering="page_total")
    def page_count(self, obj: Issue) -> int:
        return obj.page_total

    @admin.display(description=_("numbers"), ordering="number")
    def numbers(self, obj: Issue) -> str:
        lines = []
        if obj.number is not None:
            lines.append(_("No. %(number)s") % {"number": obj.number})
        if obj.running_number is not None:
            lines.append(_("total No. %(number)s") % {"number": obj.running_number})
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description=_("status"), ordering="published_at")
    def issue_status(self, obj: Issue) -> str:
        badge = format_html(
            '<span class="state-badge state-{}">{}</span>', obj.status, obj.get_status_display()
        )
        if obj.published_at is None:
            return badge
        when = date_format(localtime(obj.published_at), "SHORT_DATETIME_FORMAT")
        return format_html('{}<br><span class="quiet">{}</span>', badge, when)

    @admin.display(description=_("review"))
    def review(self, obj: Issue) -> str:
        return readiness(obj.cleared_total, obj.article_total)

    @admin.display(description=_("desk"))
    def desk_link(self, obj: Issue) -> str:
        url = reverse("admin:articles_issue_desk", args=[quote(obj.pk)])
        return format_html('<a href="{}">{}</a>', url, _("Open the desk"))

    def get_urls(self):
        # The desk (admin_desk.py): the issue as a whole, and its publish button.
        desk = self.admin_site.admin_view(partial(issue_desk, self))
        return [
            path("<path:object_id>/desk/", desk, name="articles_issue_desk"),
            *super().get_urls(),
        ]

    @admin.action(
        description=_("Publish the selected issues with all their articles"),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        total = 0
        # All selected issues or none: a failure half-way leaves nothing published.
        try:
            with transaction.atomic():
                for issue in queryset:
                    total += services.issue_publish(issue=issue, user=request.user)
        except services.IssueNotReady as error:
            self.message_user(request, error.message, messages.ERROR)
            return
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

    @admin.action(description=_("Unpublish the selected issues"), permissions=["publish"])
    def unpublish(self, request, queryset):
        for issue in queryset:
            services.issue_unpublish(issue=issue, user=request.user)
        self.message_user(
            request,
            ngettext("Unpublished %(count)d issue.", "Unpublished %(count)d issues.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(Page)
class PageAdmin(KeepPublishedWorkAdmin):
    # Hundreds of thousands of rows in a large archive: see articles/pagination.py.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["label", "issue_date", "preview", "article_count", "review", workbench_link]
    list_display_links = ["label"]
    # Tonight's pages first, in the order they are printed.
    ordering = ["-issue__date", "issue__publication__name", "number"]
    # No date_hierarchy: its dates are a DISTINCT over every page joined to its issue, 190 ms
    # of each view at 200,000 pages. The issue date's list filter reads nothing.
    list_filter = [
        "issue__publication",
        ("issue__date", admin.DateFieldListFilter),
        ("name", DistinctValuesFilter),
    ]
    list_select_related = ["issue__publication"]
    search_fields = ["name", "issue__publication__name"]
    autocomplete_fields = ["issue"]
    readonly_fields = ["preview"]
    inlines = [PageCreditInline, PageArticleInline, PagePhotoInline]
    filter_horizontal = ["editors"]
    compare_fields = ["issue", "number", "name", "scan", "pdf", "editors", "credits"]
    fieldsets = [
        (None, {"fields": ["issue", "number", "name", "editors"]}),
        (_("Scan and PDF"), {"fields": ["scan", "preview", "pdf"]}),
    ]

    def has_published_work(self, obj: Page) -> bool:
        return obj.articles.filter(first_published_at__isnull=False).exists() or (
            obj.issue.status == Status.PUBLISHED
        )

    def held_articles(self, obj: Page):
        return obj.articles.all()

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit_page(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit_page(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        # Who edits a page, and which issue it is in, are the chief's to say.
        if workflow.is_chief(request.user):
            return ["preview"]
        return ["preview", "editors"] + (["issue"] if obj is not None else [])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "issue" in form.base_fields and not workflow.is_chief(request.user):
            # New pages go into issues readers have not seen yet.
            form.base_fields["issue"].queryset = Issue.objects.filter(published_at__isnull=True)
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not workflow.is_chief(request.user):
            obj.editors.add(request.user)  # whoever makes a page edits it

    def get_queryset(self, request):
        articles = Article.objects.filter(page=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_total=count_of(articles),
                cleared_total=count_of(articles.filter(status__in=services.CLEARED)),
            )
        )

    @admin.display(description=_("page"), ordering="number")
    def label(self, obj: Page) -> str:
        return obj.label

    @admin.display(description=_("issue"), ordering="-issue__date")
    def issue_date(self, obj: Page) -> str:
        return f"{obj.issue.publication} {date_format(obj.issue.date)}"

    @admin.display(description=_("review"))
    def review(self, obj: Page) -> str:
        return readiness(obj.cleared_total, obj.article_total)

    def get_urls(self):
        # “Import page text” (admin_import.py) and the page workbench (admin_workbench.py),
        # linked from the page's change form.
        import_text = self.admin_site.admin_view(partial(import_page_text, self))
        workbench = self.admin_site.admin_view(partial(page_workbench, self))
        return [
            path("<path:object_id>/import-text/", import_text, name="articles_page_import_text"),
            path("<path:object_id>/workbench/", workbench, name="articles_page_workbench"),
            *super().get_urls(),
        ]

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj: Page) -> int:
        return obj.article_total

    @admin.display(description=_("scan"))
    def preview(self, obj: Page) -> str:
        return thumbnail_tag(obj.scan_thumbnail)


class WaitingForMeFilter(admin.SimpleListFilter):
    """An editor's worklist: articles at their review level, or their own drafts sent back."""

    title = _("worklist")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", _("Waiting for me"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(workflow.waiting_for(request.user))
        return queryset


def drawable_page(article: Article | None) -> Page | None:
    """The article's page, if it has a scan to draw the article's region on."""
    if article is None or article.page_id is None or not article.page.scan_web:
        return None
    return article.page


class ArticleAdminForm(GuardedModelForm):
    """The article form, plus the workflow move to make (the version: GuardedModelForm)."""

    transition = forms.ChoiceField(label=_("Workflow"), required=False, widget=forms.RadioSelect)
    transition_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when sending an article back or unpublishing it."),
    )

    class Meta:
        model = Article
        fields = [
            "kicker",
            "headline",
            "subheadline",
            "dateline",
            "body",
            "publication",
            "page",
            "position",
            "region",
            "source",
            "syndicated_from",
            "published_at",
        ]
        widgets = {"region": FoldedRegionWidget, "body": BodyWidget}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        article = self.instance
        moves = workflow.available_transitions(user, article) if article.pk else []
        self.fields["transition"].choices = [
            ("", _("Save only")),
            *((move.name, move.label) for move in moves),
        ]

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("transition")
        if name:
            move = workflow.TRANSITION_BY_NAME[name]
            if move.needs_reason and not cleaned.get("transition_reason", "").strip():
                self.add_error(
                    "transition_reason", _("Say why, so the author knows what to change.")
                )
        return cleaned


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleAdminForm
    # A deleted article comes back as a draft, to go through review again.
    recovered_as = {"status": Status.DRAFT, "published_at": None, "withdrawn": False}
    compare_fields = [
        *["kicker", "headline", "subheadline", "dateline", "body"],
        *["page", "position", "region", "source", "syndicated_from", "bylines", "photos"],
    ]
    kept_on_revert = [
        "status",
        "published_at",
        "first_published_at",
        "withdrawn",
        "created_by_id",
    ]
    list_display = [
        "headline",
        "issue_and_page",
        "state",
        "turn",
        "characters",
        "last_change",
    ]
    list_display_links = ["headline"]
    # Newest issue first, each in the order it is printed: what is not yet out (tonight's
    # paper) first, then by publish time, which an issue's articles share. The publish time
    # leads because an index holds it: sorting the whole archive by its issues' dates took
    # 420 ms at 300,000 articles; this takes 13 ms (one sort of the unpublished, then of each
    # issue's articles as the index yields them).
    ordering = [
        F("published_at").desc(nulls_first=True),
        F("page__issue__date").desc(nulls_last=True),
        "page__issue__publication__name",
        "page__number",
        "position",
        "-pk",
    ]
    list_filter = [
        WaitingForMeFilter,
        "publication",
        "status",
        ("published_at", admin.DateFieldListFilter),
        ("page__issue__date", admin.DateFieldListFilter),
        ("page__name", DistinctValuesFilter),
        ("page__number", DistinctValuesFilter),
    ]
    list_select_related = ["publication", "page__issue"]
    # No date_hierarchy: its list of years is a DISTINCT over every article on each view.
    search_fields = ["headline", "kicker", "subheadline", "body"]
    autocomplete_fields = ["publication", "page", "source"]
    inlines = [ArticleBylineInline, ArticlePhotoInline, CorrectionInline, WorkflowStepInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    # The workflow first, under the save buttons (save_on_top): where the article stands and
    # the move to make are what a reviewer comes for.
    fieldsets = [
        (
            _("Workflow"),
            {"fields": ["state", "turn", "transition", "transition_reason", "seen_version"]},
        ),
        (
            None,
            {
                "fields": ["kicker", "headline", "subheadline", "dateline", "body"],
                "classes": ["article-text"],
            },
        ),
        (_("Placement"), {"fields": ["publication", "page", "position", "region"]}),
        (_("Sources"), {"fields": ["source", "syndicated_from"], "classes": ["collapse"]}),
        (
            _("Publishing"),
            {"fields": ["published_at", "first_published_at", "withdrawn", "created_by"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The state changes only through workflow moves; the publish time only by the chief.
        readonly = ["status", "state", "withdrawn", "turn", "first_published_at", "created_by"]
        if not request.user.has_perm("articles.publish_article"):
            readonly.append("published_at")
        if not request.user.has_perm("articles.add_article"):
            # Reviewers correct and pass articles; where they stand is the desk's to say.
            readonly += ["publication", "page"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if drawable_page(obj) is not None:
            return fieldsets
        # Without a scan there is nothing to draw the region on, and nothing to show.
        return [
            (
                name,
                {**options, "fields": [field for field in options["fields"] if field != "region"]},
            )
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class ArticleFormForUser(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, user=user, **kwargs)

        # After subclassing: the form metaclass builds base_fields anew for every subclass.
        if "page" in ArticleFormForUser.base_fields and not workflow.is_chief(user):
            # Only the chief places articles in an issue readers have seen (or are to see):
            # an article put there otherwise would skip the review of the issue's contents.
            pages = Page.objects.filter(issue__published_at__isnull=True)
            if obj is not None and obj.page_id:
                pages |= Page.objects.filter(pk=obj.page_id)
            ArticleFormForUser.base_fields["page"].queryset = pages
        if "page" in ArticleFormForUser.base_fields:
            # The chosen page is labelled with its issue and paper (Page.__str__).
            field = ArticleFormForUser.base_fields["page"]
            field.queryset = field.queryset.select_related("issue__publication")
        page = drawable_page(obj)
        if page is not None and "region" in ArticleFormForUser.base_fields:
            # The editor draws on the web rendition but stores the scan's own pixels.
            ArticleFormForUser.base_fields["region"].widget.attrs.update(
                {
                    "data-scan-url": page.scan_web.url,
                    "data-scan-width": page.scan_width,
                    "data-scan-height": page.scan_height,
                }
            )
        return ArticleFormForUser

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        # Something readers have seen is unpublished (410 Gone), never deleted.
        return allowed and (obj is None or obj.first_published_at is None)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_article")

    @admin.display(description=_("whose turn"))
    def turn(self, obj: Article) -> str:
        return workflow.TURN.get(obj.status, "")

    def get_queryset(self, request):
        # Who saved last, from the history: one index lookup per row shown (reversion's unique
        # index begins with db, content type and object id).
        last_editor = (
            Version.objects.filter(
                db=router.db_for_write(Article),
                content_type__app_label=Article._meta.app_label,
                content_type__model=Article._meta.model_name,
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .order_by("-revision_id")
            .values("revision__user__username")[:1]
        )
        return super().get_queryset(request).annotate(last_editor=Subquery(last_editor))

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj: Article) -> str:
        return state_badge(obj)

    @admin.display(
        description=_("issue and page"), ordering=F("page__issue__date").desc(nulls_last=True)
    )
    def issue_and_page(self, obj: Article) -> str:
        if not obj.page_id:
            return _("web only")
        return format_html("{}<br>{}", date_format(obj.page.issue.date), obj.page.label)

    @admin.display(description=_("characters"))
    def characters(self, obj: Article) -> int:
        return obj.character_count

    @admin.display(description=_("last changed"), ordering="updated_at")
    def last_change(self, obj: Article) -> str:
        when = localtime(obj.updated_at)
        # This year's dates without the year: the column stays narrow beside the headline.
        day = date_format(when, "MONTH_DAY_FORMAT" if when.year == localtime().year else None)
        return format_html(
            '{}<br>{} <span class="quiet">{}</span>', day, time_format(when), obj.last_editor or ""
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            # The article's version (django-reversion) holds its credits and photos as they
            # stand when it is saved, each named with its contributor: read them together
            # here, not one query per credit as reversion follows them.
            credits = partial(Prefetch, "bylines", Byline.objects.select_related("contributor"))
            photos = Prefetch("photos", Photo.objects.prefetch_related(credits()))
            prefetch_related_objects([obj], credits(), photos)
        super().save_model(request, obj, form, change)
        if change:
            # Reversion followed them as the article was saved; the inlines save next, and
            # nothing after this may read the rows from before them.
            obj._prefetched_objects_cache.clear()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        name = form.cleaned_data.get("transition")
        if name:
            # The form offered only moves the user may make; should the state have changed
            # meanwhile, the service's PermissionDenied rolls back the whole save (403).
            services.article_transition(
                article=form.instance,
                user=request.user,
                name=name,
                reason=form.cleaned_data.get("transition_reason", ""),
            )

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

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        count = services.articles_publish(articles=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("Published %(count)d article.", "Published %(count)d articles.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = services.articles_unpublish(articles=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("Unpublished %(count)d article.", "Unpublished %(count)d articles.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Photo)
class PhotoAdmin(KeepPublishedWorkAdmin):
    # Hundreds of thousands of rows in a large archive: see articles/pagination.py.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ["preview", "__str__", "placement"]
    list_display_links = ["preview", "__str__"]
    list_select_related = ["article__page__issue", "page__issue__publication"]
    # The newest uploads first.
    ordering = ["-pk"]
    search_fields = ["title", "caption"]
    autocomplete_fields = ["article", "page"]
    readonly_fields = ["preview", "width", "height"]
    inlines = [PhotoBylineInline]
    compare_fields = ["image", "title", "caption", "article", "page", "position", "bylines"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "width", "height", "title", "caption"]}),
        (_("Placement"), {"fields": ["article", "page", "position"]}),
    ]

    @admin.display(description=_("preview"))
    def preview(self, obj: Photo) -> str:
        return thumbnail_tag(obj.thumbnail)

    @admin.display(description=_("placement"))
    def placement(self, obj: Photo) -> str:
        """The article it illustrates, or the page it stands on alone, with its issue."""
        page = obj.article.page if obj.article_id else obj.page
        where = date_format(page.issue.date) + " " + page.label if page else _("web only")
        if obj.article_id:
            return format_html('{}<br><span class="quiet">{}</span>', obj.article, where)
        return format_html('{}<br><span class="quiet">{}</span>', _("standalone photo"), where)

    published_refusal = _(
        "Readers see %(object)s; unpublish its article or issue first, or change the article."
    )

    def has_published_work(self, obj: Photo) -> bool:
        # Readers see it: it goes with its article or page (a change of that), not on its own.
        return Photo.objects.visible().filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit_photo(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit_photo(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class PhotoFormForUser(form):
            def clean(self):
                """The photo may only go where the user may edit: no way into a published
                article or onto a page of an issue readers have seen."""
                cleaned = super().clean()
                article, page = cleaned.get("article"), cleaned.get("page")
                if article is not None and not workflow.can_edit(user, article):
                    self.add_error("article", _("You may not change this article."))
                if page is not None and not workflow.can_edit_page(user, page):
                    self.add_error("page", _("You may not change this page."))
                return cleaned

        return PhotoFormForUser


@admin.register(Contributor)
class ContributorAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "user", "credit_count"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        credits = count_of(Byline.objects.filter(contributor=OuterRef("pk")))
        return super().get_queryset(request).annotate(credit_total=credits)

    @admin.display(description=_("credits"), ordering="credit_total")
    def credit_count(self, obj: Contributor) -> int:
        return obj.credit_total


# Django's own account forms, held to the checks of every other admin form.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    # Django writes this warning into the help text untranslated (and the rest in the language
    # of the moment it is imported); the markup is its own, which its script shows and hides.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return role_label(obj.name)


@admin.register(get_user_model())
class StaffUserAdmin(GuardedAdminMixin, UserAdmin):
    change_password_form = StaffPasswordChangeForm

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # The roles by what they are called, not by their codes ("chief").
            kwargs["form_class"] = RoleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Group)
class RoleGroupAdmin(GuardedAdminMixin, GroupAdmin):
    list_display = ["role", "name"]

    @admin.display(description=_("role"), ordering="name")
    def role(self, obj: Group) -> str:
        return role_label(obj.name)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The form's title names the role, not its code; the group is already read.
            context["subtitle"] = role_label(obj.name)
        return super().render_change_form(request, context, add, change, form_url, obj)


admin.site.register(IssueUpload, IssueUploadAdmin)
# The task queue's own admin lists raw task rows (and fails on rows queued for another
# backend); editors follow the work where it is theirs: each upload's pages, with their errors.
admin.site.unregister(DBTaskResult)


class LoginRecordAdmin:
    """django-axes' records of logins (登录防护): the superusers', listed but not opened, as
    their titles are the app's own English ("Attempted Access: …")."""

    list_display_links = None

    def action_checkbox(self, obj):
        # Django labels the box with the row's title: axes' English, so who and when instead.
        attrs = {
            "class": "action-select",
            "aria-label": _("Select the record of %(username)s at %(time)s")
            % {"username": obj.username, "time": formats.localize(localtime(obj.attempt_time))},
        }
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


admin.site.unregister([AccessAttempt, AccessLog, AccessFailureLog])


@admin.register(AccessAttempt)
class LoginAttemptAdmin(LoginRecordAdmin, AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt) -> str:
        return super().status(obj)


@admin.register(AccessLog)
class LoginLogAdmin(LoginRecordAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureAdmin(LoginRecordAdmin, AccessFailureLogAdmin):
    pass
