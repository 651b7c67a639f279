"""The three-level review (三审): which moves exist, and who may make them or edit what.

Writes happen in services.article_transition; this module only answers questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Article, Page, Photo, Status, WorkflowStep


@dataclass(frozen=True)
class Transition:
    name: str
    source: Status
    target: Status
    permission: str
    label: Promise
    needs_reason: bool = False


# The permission that governs an article in each review state: passing it on or sending it back.
REVIEW_PERMISSION = {
    Status.FIRST_REVIEW: "articles.review_first",
    Status.SECOND_REVIEW: "articles.review_second",
    Status.FINAL_REVIEW: "articles.review_final",
    Status.READY: "articles.review_final",
}

TRANSITIONS = [
    Transition(
        "submit", Status.DRAFT, Status.FIRST_REVIEW, "articles.submit_article", _("Send to review")
    ),
    Transition(
        "pass_first",
        Status.FIRST_REVIEW,
        Status.SECOND_REVIEW,
        "articles.review_first",
        _("Pass first review"),
    ),
    Transition(
        "pass_second",
        Status.SECOND_REVIEW,
        Status.FINAL_REVIEW,
        "articles.review_second",
        _("Pass second review"),
    ),
    Transition(
        "pass_final",
        Status.FINAL_REVIEW,
        Status.READY,
        "articles.review_final",
        _("Pass final review"),
    ),
    *(
        Transition(
            f"return_{state.value}",
            state,
            Status.DRAFT,
            permission,
            _("Send back to the author"),
            needs_reason=True,
        )
        for state, permission in REVIEW_PERMISSION.items()
    ),
    Transition("publish", Status.READY, Status.PUBLISHED, "articles.publish_article", _("Publish")),
    Transition(
        "unpublish",
        Status.PUBLISHED,
        Status.READY,
        "articles.publish_article",
        _("Unpublish"),
        needs_reason=True,
    ),
]
TRANSITION_BY_NAME = {transition.name: transition for transition in TRANSITIONS}

# Whose turn it is, as shown in the admin's list.
TURN = {
    Status.DRAFT: _("Author or page editor"),
    Status.FIRST_REVIEW: _("First reviewer"),
    Status.SECOND_REVIEW: _("Second reviewer"),
    Status.FINAL_REVIEW: _("Final reviewer"),
    Status.READY: _("Duty chief editor"),
    Status.PUBLISHED: "",
}


def pages_given(user) -> frozenset[int]:
    """The ids of the pages `user` is an editor of, read once per request.

    Kept on the user object, as Django keeps its permissions: an admin form asks for every
    inline and every permission (23 times on one article form).
    """
    if not hasattr(user, "_pages_given"):
        user._pages_given = frozenset(user.edited_pages.values_list("pk", flat=True))
    return user._pages_given


def is_page_editor(user, article: Article) -> bool:
    return article.page_id in pages_given(user)


def can_edit(user, article: Article) -> bool:
    """Whether `user` may change this article's text and credits now."""
    if not user.has_perm("articles.change_article"):
        return False
    if is_chief(user):
        return True
    if article.status == Status.PUBLISHED:
        return False  # a published text changes through the chief, or by a correction note
    if article.pk is None or (article.created_by_id == user.pk and article.status == Status.DRAFT):
        return True
    if article.status in REVIEW_PERMISSION and user.has_perm(REVIEW_PERMISSION[article.status]):
        return True
    return is_page_editor(user, article)


def is_chief(user) -> bool:
    """The duty chief editor (and superusers): every article and page, in any state."""
    return user.has_perm("articles.change_any_article")


def can_edit_page(user, page: Page) -> bool:
    """Whether `user` may change this page: its placement, credits, standalone photos, scan.

    A page of an issue readers have seen is the chief's; otherwise the page's own editors'.
    """
    if not user.has_perm("articles.change_page"):
        return False
    if is_chief(user) or page.pk is None:
        return True
    if page.issue.published_at is not None:
        return False
    return page.pk in pages_given(user)


def can_edit_photo(user, photo: Photo) -> bool:
    """A photo in an article goes with the article; a standalone photo with its page."""
    if not user.has_perm("articles.change_photo"):
        return False
    if photo.article_id is not None:
        return can_edit(user, photo.article)
    if photo.page_id is not None:
        return can_edit_page(user, photo.page)
    return is_chief(user)


def available_transitions(user, article: Article) -> list[Transition]:
    """The moves `user` may make on `article` as it stands."""
    moves = []
    for transition in TRANSITIONS:
        if transition.source != article.status or not user.has_perm(transition.permission):
            continue
        if transition.name == "submit" and not can_edit(user, article):
            continue
        moves.append(transition)
    return moves


def waiting_for(user) -> Q:
    """Articles waiting for this user's move: their level's review, or their returned drafts."""
    # A draft with a recorded step has been sent back; a fresh draft is no one's worklist yet.
    returned = Exists(WorkflowStep.objects.filter(article=OuterRef("pk")))
    waiting = Q(returned, status=Status.DRAFT, created_by=user)
    for state, permission in REVIEW_PERMISSION.items():
        if user.has_perm(permission) and state != Status.READY:
            waiting |= Q(status=state)
    if user.has_perm("articles.publish_article"):
        waiting |= Q(status=Status.READY)
    return waiting
