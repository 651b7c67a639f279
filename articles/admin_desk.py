"""The night desk (值班总编台) in the admin: an issue as a whole, and what waits for whom.

The desk (IssueAdmin's `<id>/desk/`) shows every page of an issue with its articles, each
with its state, whose turn it is, its 字数, photos and whether its region is drawn; how far
review has got, and the publish button (the chief's), which posts back to the desk and goes
through services.issue_publish like the issue list's action. The admin index shows tonight's
issues and the signed-in person's to-do (index_context).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import desk, services
from .models import Article, Issue, Status


def issue_desk(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str):
    """GET: the desk. POST: publish the issue (the chief's), then back to the desk."""
    issue = model_admin.get_object(request, unquote(object_id))
    if issue is None:
        raise Http404(_("No issue with this id."))
    if not model_admin.has_view_permission(request, issue):
        raise PermissionDenied
    may_publish = request.user.has_perm("articles.publish_issue")
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied
        _publish(request, issue)
        return HttpResponseRedirect(request.path)
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        "admin/articles/issue/desk.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "original": issue,
            "title": _("Desk: %(issue)s") % {"issue": issue},
            "desk": desk.issue_desk(issue, request.user),
            "may_publish": may_publish,
            **todo_context(request),
        },
    )


def _publish(request: HttpRequest, issue: Issue) -> None:
    """Publish from the desk, refused with the reason as a message: the desk may be stale."""
    if issue.status == Status.PUBLISHED:
        messages.info(request, _("%(issue)s is already published.") % {"issue": issue})
        return
    if not Article.objects.filter(page__issue=issue).exists():
        messages.error(request, _("%(issue)s has no articles yet.") % {"issue": issue})
        return
    try:
        count = services.issue_publish(issue=issue, user=request.user)
    except services.IssueNotReady as error:
        messages.error(request, error.message)
        return
    messages.success(
        request,
        ngettext(
            "Published %(issues)d issue; %(articles)d articles became visible.",
            "Published %(issues)d issues; %(articles)d articles became visible.",
            1,
        )
        % {"issues": 1, "articles": count},
    )


def todo_context(request: HttpRequest) -> dict:
    """The signed-in person's to-do: the first few, how many in all, and where the rest are."""
    if not request.user.has_perm("articles.view_article"):
        return {}
    waiting = desk.todo(request.user)
    return {
        "todo": list(waiting[: desk.TODO_SHOWN]),
        "todo_total": waiting.count(),
        "todo_url": reverse("admin:articles_article_changelist") + "?waiting=me",
    }


def index_context(request: HttpRequest) -> dict:
    """What the admin index shows above the list of models: tonight's issues and the to-do."""
    context = todo_context(request)
    if request.user.has_perm("articles.view_issue"):
        context["tonight"] = [
            (issue, reverse("admin:articles_issue_desk", args=[quote(issue.pk)]))
            for issue in desk.tonight()
        ]
    return context
