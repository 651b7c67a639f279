"""Writes that span several rows or models. Views, admin actions and commands call these."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .caching import content_changed
from .models import Article, Issue, Status


@transaction.atomic
def issue_publish(*, issue: Issue, when: datetime | None = None) -> int:
    """Publish an issue and every article printed in it, together or not at all.

    A publish time already set (a scheduled issue or article) is kept; otherwise it is `when`,
    by default now. Returns the number of articles that became published.
    """
    when = when or timezone.now()
    issue.status = Status.PUBLISHED
    issue.published_at = issue.published_at or when
    issue.save(update_fields=["status", "published_at", "updated_at"])
    return articles_publish(
        articles=Article.objects.filter(page__issue=issue), when=issue.published_at
    )


@transaction.atomic
def issue_unpublish(*, issue: Issue) -> None:
    """Take an issue off the site; its articles keep their state for when it returns."""
    issue.status = Status.DRAFT
    issue.save(update_fields=["status", "updated_at"])


@transaction.atomic
def articles_publish(*, articles: QuerySet[Article], when: datetime | None = None) -> int:
    """Publish articles, keeping any publish time already set. Returns how many changed."""
    when = when or timezone.now()
    content_changed()  # bulk updates send no signals
    return articles.exclude(status=Status.PUBLISHED).update(
        status=Status.PUBLISHED,
        published_at=Coalesce("published_at", Value(when)),
        updated_at=timezone.now(),
    )


@transaction.atomic
def articles_unpublish(*, articles: QuerySet[Article]) -> int:
    """Withdraw articles to draft. Returns how many changed."""
    content_changed()  # bulk updates send no signals
    return articles.filter(status=Status.PUBLISHED).update(
        status=Status.DRAFT, updated_at=timezone.now()
    )
