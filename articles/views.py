"""Reader pages. Each one fetches what it shows in a fixed number of queries (see the tests)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, TemplateView

from .models import Article, Byline, Contributor, Issue, Page, Photo, Publication


def parse_iso_date(value: str) -> datetime.date:
    """A date from the URL; a well-formed but impossible date such as 2020-02-30 is a 404."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("No such date") from None


def pages_with_headlines(issue: Issue):
    """An issue's pages, each with the headlines a reader may see on it (two queries)."""
    return issue.pages.prefetch_related(
        Prefetch(
            "articles",
            queryset=Article.objects.visible().order_by("position", "pk"),
            to_attr="visible_articles",
        )
    )


class IssueContextMixin:
    """Shared by the home, publication and issue views: one issue with its pages and headlines."""

    template_name = "articles/issue_detail.html"

    def issue_context(self, issue: Issue) -> dict:
        visible = Issue.objects.visible().filter(publication=issue.publication_id)
        return {
            "issue": issue,
            "pages": pages_with_headlines(issue),
            "previous_issue": visible.filter(date__lt=issue.date).order_by("-date").first(),
            "next_issue": visible.filter(date__gt=issue.date).order_by("date").first(),
        }


class HomeView(IssueContextMixin, TemplateView):
    """The latest issue any publication has published."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = (
            Issue.objects.visible().select_related("publication").order_by("-date", "pk").first()
        )
        if issue is not None:
            context.update(self.issue_context(issue))
        context["publications"] = Publication.objects.with_visible_issues()
        return context


class PublicationView(IssueContextMixin, TemplateView):
    """`/<publication>/`: that publication's latest issue."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = (
            Issue.objects.visible()
            .select_related("publication")
            .filter(publication__code=self.kwargs["publication"])
            .order_by("-date")
            .first()
        )
        if issue is None:
            raise Http404("No published issue")
        context.update(self.issue_context(issue))
        return context


class IssueView(IssueContextMixin, TemplateView):
    """`/<publication>/<yyyy-mm-dd>/`: one issue's pages and headlines."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = get_object_or_404(
            Issue.objects.visible().select_related("publication"),
            publication__code=self.kwargs["publication"],
            date=parse_iso_date(self.kwargs["date"]),
        )
        context.update(self.issue_context(issue))
        return context


class PageView(DetailView):
    """`/<publication>/<yyyy-mm-dd>/<n>/`: one page with its articles and photos."""

    template_name = "articles/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None) -> Page:
        return get_object_or_404(
            Page.objects.select_related("issue__publication")
            .filter(issue__in=Issue.objects.visible())
            .prefetch_related(
                Prefetch("credits", queryset=Byline.objects.select_related("contributor")),
                Prefetch(
                    "articles",
                    queryset=Article.objects.visible()
                    .order_by("position", "pk")
                    .prefetch_related(
                        Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
                    ),
                    to_attr="visible_articles",
                ),
                Prefetch(
                    "photos",
                    queryset=Photo.objects.visible().prefetch_related(
                        Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
                    ),
                    to_attr="visible_photos",
                ),
            ),
            issue__publication__code=self.kwargs["publication"],
            issue__date=parse_iso_date(self.kwargs["date"]),
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        siblings = list(self.object.issue.pages.all())
        index = next(i for i, page in enumerate(siblings) if page.pk == self.object.pk)
        context.update(
            issue=self.object.issue,
            pages=siblings,
            previous_page=siblings[index - 1] if index > 0 else None,
            next_page=siblings[index + 1] if index + 1 < len(siblings) else None,
        )
        return context


class ArticleView(DetailView):
    """An article, found by id so a corrected headline never breaks its address.

    Staff see drafts and scheduled articles too, marked as a preview and never cached.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        articles = (
            Article.objects.all() if self.request.user.is_staff else Article.objects.visible()
        )
        return articles.for_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_staff:
            context["is_preview"] = not Article.objects.visible().filter(pk=self.object.pk).exists()
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.user.is_staff:
            add_never_cache_headers(response)
        return response


class ContributorView(DetailView):
    """A contributor's public page: what they did, by role, as far as readers may see."""

    template_name = "articles/contributor_detail.html"
    context_object_name = "contributor"
    queryset = Contributor.objects.visible()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contributor = self.object
        article_credits = (
            Byline.objects.filter(contributor=contributor, article__in=Article.objects.visible())
            .select_related("article__page__issue__publication", "article__publication")
            .order_by("role", "-article__published_at")
        )
        photo_credits = (
            Byline.objects.filter(contributor=contributor, photo__in=Photo.objects.visible())
            .select_related("photo__article", "photo__page__issue__publication")
            .order_by("-photo__pk")
        )
        page_credits = (
            Byline.objects.filter(contributor=contributor, page__issue__in=Issue.objects.visible())
            .select_related("page__issue__publication")
            .order_by("-page__issue__date", "page__number")
        )
        context.update(
            article_credits=article_credits[:200],
            photo_credits=photo_credits[:100],
            page_credits=page_credits[:100],
            supplied_articles=Article.objects.visible()
            .filter(source=contributor)
            .select_related("publication")[:100],
        )
        return context
