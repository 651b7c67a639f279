"""What the night desk reads: an issue as a whole, tonight's issues, and each person's to-do.

Selectors only (writes go through services.py). Each reads a fixed number of queries,
whatever the number of pages and articles, so the desk stays fast on a 32-page issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When

from . import workflow
from .models import Article, Issue, Page, Status
from .services import CLEARED

# "Tonight's paper" on the admin index: the newest issues not out yet.
TONIGHT_ISSUES = 3
# The to-do shown on the admin index and the desk; the article list filtered by "Waiting for
# me" has the rest.
TODO_SHOWN = 15


def waiting_for_me(user) -> Case:
    """True on the articles whose next move is `user`'s (workflow.waiting_for, as a column)."""
    return Case(
        When(workflow.waiting_for(user), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


@dataclass
class PageOnDesk:
    page: Page
    articles: list[Article] = field(default_factory=list)


@dataclass
class IssueDesk:
    """An issue as the duty chief sees it: every page with its articles, and what is missing."""

    issue: Issue
    pages: list[PageOnDesk]
    # The issue's articles, and how many of them passed final review (终审).
    total: int
    cleared: int
    # Not through final review yet, in page order: what keeps the issue from publishing.
    pending: list[Article]

    @property
    def ready(self) -> bool:
        """Publishable: it has articles, and all of them passed final review (终审)."""
        return self.total > 0 and not self.pending


def issue_desk(issue: Issue, user) -> IssueDesk:
    """Every page of `issue` with its articles, in two queries.

    Each article carries `photo_total`, `turn` (whose move it waits for), `mine` (that move
    is the user's) and its author.
    """
    articles = (
        Article.objects.filter(page__issue=issue)
        .select_related("created_by")
        .annotate(photo_total=Count("photos"), mine=waiting_for_me(user))
        .order_by("page__number", "position", "pk")
    )
    pages = Page.objects.filter(issue=issue).order_by("number")
    on_desk = {page.pk: PageOnDesk(page) for page in pages}
    for article in articles:
        article.turn = workflow.TURN.get(article.status, "")
        on_desk[article.page_id].articles.append(article)
    every = [article for page in on_desk.values() for article in page.articles]
    pending = [article for article in every if article.status not in CLEARED]
    return IssueDesk(
        issue=issue,
        pages=list(on_desk.values()),
        total=len(every),
        cleared=len(every) - len(pending),
        pending=pending,
    )


def tonight() -> QuerySet[Issue]:
    """The newest issues not yet published, each with its pages and how far review has got."""
    return (
        Issue.objects.filter(status=Status.DRAFT)
        .select_related("publication")
        .annotate(
            page_total=Count("pages", distinct=True),
            article_total=Count("pages__articles"),
            cleared_total=Count("pages__articles", filter=Q(pages__articles__status__in=CLEARED)),
        )
        .order_by("-date", "publication__name")[:TONIGHT_ISSUES]
    )


def todo(user) -> QuerySet[Article]:
    """What waits for `user` across issues: newest issue first, in page order; web-only last."""
    return (
        Article.objects.filter(workflow.waiting_for(user))
        .select_related("page__issue__publication", "publication")
        .order_by(
            F("page__issue__date").desc(nulls_last=True),
            "page__issue__publication__name",
            "page__number",
            "position",
            "pk",
        )
    )
