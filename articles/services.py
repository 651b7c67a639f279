"""Writes that span several rows or models. Views, admin actions and commands call these."""

from __future__ import annotations

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .caching import articles_changed
from .models import ARTICLE_OUT, Article, Issue, Status, WorkflowStep
from .workflow import TRANSITION_BY_NAME, available_transitions

CLEARED = (Status.READY, Status.PUBLISHED)


class IssueNotReady(ValidationError):
    """Some article of the issue has not passed final review."""


def record(objects, *, user=None, comment) -> None:
    """Keep a version of each object in the history, as the admin does for its own saves.

    One revision each: restoring one article must never restore the others published with it.
    The comment is kept as text in the language of the request, or the site's outside one: a
    lazy message given by a management command (which runs with translations off) is still
    written as editors read it.
    """
    with translation.override(translation.get_language()):
        comment = str(comment)
    for obj in objects:
        with reversion.create_revision(atomic=False):
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(comment)
            reversion.add_to_revision(obj)


@transaction.atomic
def article_transition(*, article: Article, user, name: str, reason: str = "") -> Article:
    """Move an article one step through the workflow, if `user` may; record who, when and why.

    Raises PermissionDenied for a move the user may not make from the article's current state
    (a forged or stale request) and ValidationError when a reason is required and missing.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    transition = TRANSITION_BY_NAME.get(name)
    if transition is None or transition not in available_transitions(user, article):
        raise PermissionDenied(_("You cannot make this change to the article in its state."))
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError(_("Say why, so the author knows what to change."))
    now = timezone.now()
    WorkflowStep.objects.create(
        article=article,
        from_status=article.status,
        to_status=transition.target,
        user=user,
        reason=reason,
        at=now,
    )
    article.status = transition.target
    fields = ["status", "version", "updated_at"]
    if transition.target == Status.PUBLISHED:
        article.published_at = article.published_at or now
        fields.append("published_at")
    if transition.source == Status.PUBLISHED or transition.target == Status.PUBLISHED:
        # Withdrawn on its own until someone publishes this very article again.
        article.withdrawn = transition.source == Status.PUBLISHED
        fields.append("withdrawn")
    article.version = F("version") + 1
    article.save(update_fields=fields)
    if transition.target == Status.PUBLISHED:
        mark_out(Article.objects.filter(pk=article.pk))
    article.refresh_from_db()
    record([article], user=user, comment=f"{transition.label}: {reason}".rstrip(": "))
    return article


@transaction.atomic
def issue_publish(*, issue: Issue, user=None, when: datetime | None = None) -> int:
    """Publish an issue and every article printed in it, together or not at all.

    Every article must have passed final review (终审) first. A publish time already set (a
    scheduled issue or article) is kept; otherwise it is `when`, by default now. An article
    withdrawn on its own stays withdrawn: only publishing it by itself brings it back. Returns
    the number of articles that became published.
    """
    pending = list(
        Article.objects.filter(page__issue=issue)
        .exclude(status__in=CLEARED)
        .values_list("headline", flat=True)[:10]
    )
    if pending:
        raise IssueNotReady(
            _("%(issue)s cannot be published: not through final review yet: %(articles)s")
            % {"issue": issue, "articles": "、".join(pending)}
        )
    when = when or timezone.now()
    issue.status = Status.PUBLISHED
    issue.published_at = issue.published_at or when
    issue.save(update_fields=["status", "published_at", "updated_at"])
    # Also notes when readers got the articles published before their issue was out.
    count = articles_publish(
        articles=Article.objects.filter(page__issue=issue, withdrawn=False),
        user=user,
        when=issue.published_at,
    )
    record([issue], user=user, comment=_("Published the issue"))
    return count


@transaction.atomic
def issue_unpublish(*, issue: Issue, user=None) -> None:
    """Take an issue off the site; its articles keep their state for when it returns."""
    issue.status = Status.DRAFT
    issue.save(update_fields=["status", "updated_at"])
    record([issue], user=user, comment=_("Unpublished the issue"))


@transaction.atomic
def articles_publish(
    *, articles: QuerySet[Article], user=None, when: datetime | None = None
) -> int:
    """Publish the articles that passed final review, keeping any publish time already set.

    Articles still in review are left alone; withdrawn ones among `articles` come back, as
    they were chosen by name. Returns how many changed.
    """
    when = when or timezone.now()
    moved = _move_in_bulk(
        articles,
        source=Status.READY,
        target=Status.PUBLISHED,
        user=user,
        comment=_("Published"),
        published_at=Coalesce("published_at", Value(when)),
        withdrawn=False,
    )
    mark_out(Article.objects.filter(pk__in=articles.values("pk")))
    return moved


def mark_out(articles: QuerySet[Article]) -> None:
    """Note when readers got (or, scheduled, get) the published ones that are out: web-only,
    or in an issue that is out. Their addresses answer 410 Gone if they are withdrawn; an
    article of an issue never released stays unknown (404)."""
    articles.filter(ARTICLE_OUT, status=Status.PUBLISHED, first_published_at__isnull=True).update(
        first_published_at=F("published_at")
    )


@transaction.atomic
def articles_unpublish(*, articles: QuerySet[Article], user=None) -> int:
    """Withdraw published articles to "cleared"; their addresses then answer 410 Gone, and
    they stay withdrawn when their issue is published again."""
    return _move_in_bulk(
        articles,
        source=Status.PUBLISHED,
        target=Status.READY,
        user=user,
        comment=_("Unpublished"),
        withdrawn=True,
    )


def _move_in_bulk(articles, *, source: Status, target: Status, user, comment: str, **changes):
    """Move the articles in `source` state to `target` in one update, each step recorded."""
    # Locked through a plain query of their ids: the changelist's queryset may join other
    # tables (who changed it last), and PostgreSQL cannot lock the nullable side of a join.
    moving = list(
        Article.objects.filter(pk__in=articles.filter(status=source).values("pk"))
        .select_for_update()
        .values_list("pk", flat=True)
    )
    WorkflowStep.objects.bulk_create(
        WorkflowStep(article_id=pk, from_status=source, to_status=target, user=user)
        for pk in moving
    )
    count = Article.objects.filter(pk__in=moving).update(
        status=target, version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    record(Article.objects.filter(pk__in=moving), user=user, comment=comment)
    articles_changed(moving)  # bulk updates send no signals
    return count
