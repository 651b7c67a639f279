"""Reader pages. Each one fetches what it shows in a fixed number of queries (see the tests)."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from collections.abc import Callable

from csp.constants import NONE
from csp.decorators import csp
from django.core.files.storage import default_storage
from django.core.paginator import Page as PaginatorPage
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterView

from . import caching, tiles
from .filters import ArticleFilter, IssueFilter
from .models import (
    ARTICLE_DISPLAY_RELATED,
    Article,
    Byline,
    Contributor,
    Issue,
    Page,
    Photo,
    Publication,
    article_display_prefetches,
)
from .pagination import EstimatedCountPaginator


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


class IssueNavigation:
    """Links around an issue (and one of its pages), each read only when a template asks.

    Navigation sits in cached fragments (`{% fragment %}`): while one is cached, none of
    these queries runs.
    """

    def __init__(self, issue: Issue, page: Page | None = None) -> None:
        self.issue, self.page = issue, page

    @cached_property
    def previous_issue(self) -> Issue | None:
        """The visible issue of the same publication just before this one (one query)."""
        return self._visible().filter(date__lt=self.issue.date).order_by("-date").first()

    @cached_property
    def next_issue(self) -> Issue | None:
        return self._visible().filter(date__gt=self.issue.date).order_by("date").first()

    def _visible(self):
        return Issue.objects.visible().filter(publication=self.issue.publication_id)

    @cached_property
    def pages_with_headlines(self):
        """The issue's pages with their visible headlines (two queries)."""
        return pages_with_headlines(self.issue)

    @cached_property
    def pages(self) -> list[Page]:
        """The issue's pages in order (one query)."""
        return list(self.issue.pages.all())

    @cached_property
    def front_page(self) -> Page | None:
        return self.pages[0] if self.pages else None

    @cached_property
    def front_page_content(self) -> PageContent | None:
        """The front page's scan, hotspots and articles, as on its own page (see PageContent)."""
        return PageContent(self.front_page) if self.front_page else None

    @cached_property
    def _index(self) -> int:
        return next(i for i, page in enumerate(self.pages) if page.pk == self.page.pk)

    @cached_property
    def previous_page(self) -> Page | None:
        return self.pages[self._index - 1] if self._index > 0 else None

    @cached_property
    def next_page(self) -> Page | None:
        return self.pages[self._index + 1] if self._index + 1 < len(self.pages) else None

    @cached_property
    def topics(self) -> list[str]:
        """What the issue's navigation shows: which issues of its publication are out."""
        return [caching.publication_topic(self.issue.publication.code)]

    @cached_property
    def page_list_topics(self) -> list[str]:
        """What the page list shows: the issue's pages and their labels."""
        code, date = self.issue.publication.code, self.issue.date
        return [caching.issue_pages_topic(code, date), caching.publication_topic(code)]

    @cached_property
    def headline_topics(self) -> list[str]:
        """What the issue's page grid shows: its pages, thumbnails and headlines."""
        return [caching.issue_topic(self.issue.publication.code, self.issue.date)]


class IssueContextMixin:
    """Shared by the home, publication and issue views: one issue with its pages and headlines."""

    template_name = "articles/issue_detail.html"

    def issue_context(self, issue: Issue) -> dict:
        return {"issue": issue, "nav": IssueNavigation(issue)}


class HomeView(IssueContextMixin, TemplateView):
    """The latest issue any publication has published."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = caching.reader_row(
            self.request, "newest-issue", [caching.ISSUES], Issue.objects.newest_visible
        )
        if issue is not None:
            context.update(self.issue_context(issue))
        # Read in the template's fragment, only when it is not cached.
        context["publications"] = Publication.objects.with_visible_issues
        context["publication_topics"] = [caching.ISSUES]
        return context


class PublicationView(IssueContextMixin, TemplateView):
    """`/<publication>/`: that publication's latest issue, shown as the home page shows the
    latest of all: its front page with the navigator of its pages."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.kwargs["publication"]
        issue = caching.reader_row(
            self.request,
            f"newest-issue:{code}",
            [caching.publication_topic(code)],
            lambda: (
                Issue.objects.visible()
                .select_related("publication")
                .filter(publication__code=code)
                .order_by("-date")
                .first()
            ),
        )
        if issue is None:
            raise Http404("No published issue")
        context.update(self.issue_context(issue))
        return context


class IssueView(IssueContextMixin, TemplateView):
    """`/<publication>/<yyyy-mm-dd>/`: one issue's pages and headlines."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code, date = self.kwargs["publication"], parse_iso_date(self.kwargs["date"])
        issue = caching.reader_row(
            self.request,
            f"issue:{code}:{date}",
            [caching.issue_topic(code, date)],
            lambda: (
                Issue.objects.visible()
                .select_related("publication")
                .filter(publication__code=code, date=date)
                .first()
            ),
        )
        if issue is None:
            raise Http404("No such issue")
        context.update(self.issue_context(issue))
        return context


class PageContent:
    """What an e-paper page shows beyond its row: credits, articles with theirs, photos, the
    hotspots on the scan. Read only when a template asks (see ArticleContent)."""

    def __init__(self, page: Page) -> None:
        self._page = page

    @cached_property
    def page(self) -> Page:
        byline_contributor = Byline.objects.select_related("contributor")
        prefetch_related_objects(
            [self._page],
            Prefetch("credits", queryset=byline_contributor),
            Prefetch(
                "articles",
                queryset=Article.objects.visible()
                .order_by("position", "pk")
                .prefetch_related(Prefetch("bylines", queryset=byline_contributor)),
                to_attr="visible_articles",
            ),
            Prefetch(
                "photos",
                queryset=Photo.objects.visible().prefetch_related(
                    Prefetch("bylines", queryset=byline_contributor)
                ),
                to_attr="visible_photos",
            ),
        )
        return self._page

    @cached_property
    def hotspots(self) -> list[Article]:
        return [article for article in self.page.visible_articles if article.region]

    @cached_property
    def tiles(self) -> dict | None:
        """The scan's deep-zoom tiles for the viewer, once they are made (no query)."""
        return tiles.viewer_source(self._page)

    @cached_property
    def topics(self) -> list[str]:
        issue = self._page.issue
        return [caching.page_topic(issue.publication.code, issue.date, self._page.number)]


class PageView(DetailView):
    """`/<publication>/<yyyy-mm-dd>/<n>/`: one page with its articles and photos."""

    template_name = "articles/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None) -> Page:
        code, number = self.kwargs["publication"], self.kwargs["number"]
        date = parse_iso_date(self.kwargs["date"])
        page = caching.reader_row(
            self.request,
            f"page:{code}:{date}:{number}",
            [caching.page_topic(code, date, number)],
            lambda: (
                Page.objects.select_related("issue__publication")
                .filter(
                    issue__in=Issue.objects.visible(),
                    issue__publication__code=code,
                    issue__date=date,
                    number=number,
                )
                .first()
            ),
        )
        if page is None:
            raise Http404("No such page")
        return page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            issue=self.object.issue,
            nav=IssueNavigation(self.object.issue, self.object),
            content=PageContent(self.object),
        )
        return context


@method_decorator(csp({"default-src": [NONE], "sandbox": True}), name="dispatch")
class PagePdfView(View):
    """`/<publication>/<yyyy-mm-dd>/<n>/pdf/`: the page's PDF, for a page a reader may see.

    Served here rather than from MEDIA_URL so that it carries headers no browser runs
    anything under: a download (attachment), a sandboxing content security policy should it
    be opened anyway, and nosniff (SecurityMiddleware). Not cached as reader pages are: it is
    streamed from storage. One query.
    """

    def get(self, request, publication: str, date: str, number: int):
        page = get_object_or_404(
            Page.objects.filter(issue__in=Issue.objects.visible()).exclude(pdf="").only("pdf"),
            issue__publication__code=publication,
            issue__date=parse_iso_date(date),
            number=number,
        )
        try:
            file = page.pdf.open("rb")
        except FileNotFoundError:
            raise Http404("The page's PDF file is missing") from None
        return FileResponse(
            file,
            as_attachment=True,
            filename=f"{publication}-{date}-{number:02d}.pdf",
            content_type="application/pdf",
        )


class TileView(View):
    """`/tiles/<stem>/<level>/<x>_<y>.jpg`: a deep-zoom tile, where the media storage signs
    each file's address (a private bucket), so the viewer cannot build them itself
    (tiles.tile_url_template). A redirect to a freshly signed address, without a query: the
    stem is the scan's random file name, known only to whoever was shown the scan.
    """

    # Well within the signature's lifetime (AWS_QUERYSTRING_EXPIRE, an hour by default).
    max_age = 600

    def get(self, request, stem: str, level: int, column: int, row: int):
        response = HttpResponseRedirect(
            default_storage.url(tiles.tile_name(stem, level, column, row))
        )
        patch_cache_control(response, max_age=self.max_age)
        return response


class ArticleContent:
    """What an article page shows of the article beyond its row: credits, photos,
    corrections, and its neighbours on the printed page. Read only when a template asks, so
    while the page's cached fragments are fresh none of these queries runs.
    """

    def __init__(self, article: Article) -> None:
        self._article = article

    @cached_property
    def article(self) -> Article:
        # The article page reads its row lightly (ArticleView); the fragments read it whole.
        return (
            Article.objects.select_related(*ARTICLE_DISPLAY_RELATED)
            .prefetch_related(*article_display_prefetches())
            .get(pk=self._article.pk)
        )

    @cached_property
    def topics(self) -> list[str]:
        return [caching.article_topic(self._article.pk)]

    @cached_property
    def _neighbours(self) -> tuple[Article | None, Article | None]:
        article = self._article
        if article.page_id is None:
            return None, None
        # Reading order on the printed page: by position, then by id for equal positions.
        # Only what the links show, not the neighbours' whole texts, in one query: a page
        # holds a few dozen articles at most.
        here = (article.position, article.pk)
        on_page = list(
            Article.objects.visible()
            .filter(page=article.page_id)
            .exclude(pk=article.pk)
            .only("pk", "headline", "position")
            .order_by("position", "pk")
        )
        before = [other for other in on_page if (other.position, other.pk) < here]
        after = [other for other in on_page if (other.position, other.pk) > here]
        return (before[-1] if before else None), (after[0] if after else None)

    @property
    def previous_article(self) -> Article | None:
        return self._neighbours[0]

    @property
    def next_article(self) -> Article | None:
        return self._neighbours[1]


ARTICLE_PAGE_FIELDS = (
    "headline",
    "subheadline",
    "body",
    "published_at",
    "page_id",
    "position",
    "publication__name",
    "publication__code",
    "publication__logo",
)


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
        # Only what the page shows outside its cached fragments (title, description, head):
        # building a query of every column of the article and the four rows it joins costs
        # more than running it, and the fragments, when fresh, need none of them.
        return articles.select_related("publication").only(*ARTICLE_PAGE_FIELDS)

    def get_object(self, queryset=None) -> Article:
        if self.request.user.is_staff:
            return super().get_object(queryset)
        pk = self.kwargs["pk"]
        article = caching.reader_row(
            self.request,
            f"article:{pk}",
            [caching.article_topic(pk)],
            lambda: self.get_queryset().filter(pk=pk).first(),
        )
        if article is None:
            raise Http404("No such article")
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        if self.request.user.is_staff:
            context["is_preview"] = not Article.objects.visible().filter(pk=article.pk).exists()
        context["content"] = ArticleContent(article)
        return context

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            # Readers have seen it, so its address stays known: say it was withdrawn.
            if not Article.objects.withdrawn().filter(pk=kwargs["pk"]).exists():
                raise
            response = TemplateResponse(request, "articles/gone.html", status=410)
        if request.user.is_staff:
            add_never_cache_headers(response)
        return response


class ContributorCredits:
    """What a contributor did, by role, as far as readers may see: read only when the page's
    cached fragment of credits is missing (building the four visibility queries cost more
    than a minimal page)."""

    def __init__(self, contributor: Contributor) -> None:
        self.contributor = contributor

    @cached_property
    def articles(self):
        return (
            Byline.objects.filter(
                contributor=self.contributor, article__in=Article.objects.visible()
            )
            .select_related("article__page__issue__publication", "article__publication")
            .order_by("role", "-article__published_at")[:200]
        )

    @cached_property
    def photos(self):
        return (
            Byline.objects.filter(contributor=self.contributor, photo__in=Photo.objects.visible())
            .select_related("photo__article", "photo__page__issue__publication")
            .order_by("-photo__pk")[:100]
        )

    @cached_property
    def pages(self):
        return (
            Byline.objects.filter(
                contributor=self.contributor, page__issue__in=Issue.objects.visible()
            )
            .select_related("page__issue__publication")
            .order_by("-page__issue__date", "page__number")[:100]
        )

    @cached_property
    def supplied(self):
        return (
            Article.objects.visible()
            .filter(source=self.contributor)
            .select_related("publication")[:100]
        )

    @property
    def topics(self) -> list[str]:
        # The contributor's topic moves with any change readers see to anything credited.
        return [caching.contributor_topic(self.contributor.pk)]


def visible_contributor(request, pk: int) -> Contributor:
    """A contributor readers may see (their page, their feeds), or 404. Whether readers may
    see them is kept under their topic, which moves whenever a credit of theirs appears or
    goes (and with the epoch, at a scheduled publish time)."""
    visible = caching.reader_row(
        request,
        f"contributor-visible:{pk}",
        [caching.contributor_topic(pk)],
        lambda: Contributor.objects.visible().filter(pk=pk).exists(),
    )
    if not visible:
        raise Http404
    return get_object_or_404(Contributor, pk=pk)


class ContributorView(DetailView):
    """A contributor's public page: what they did, by role, as far as readers may see."""

    template_name = "articles/contributor_detail.html"
    context_object_name = "contributor"

    def get_object(self, queryset=None) -> Contributor:
        return visible_contributor(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(credits=ContributorCredits(self.object), **kwargs)


class ContributorNamesView(View):
    """`/articles/contributors/?q=王`: names of contributors readers may see that begin with
    what was typed, for the article list's contributor field (JSON, one query at most).

    The typed text is bounded by the longest name; nothing typed, or more than any name
    holds, is answered without a query.
    """

    limit = 10

    def get(self, request):
        typed = request.GET.get("q", "").strip()
        longest = Contributor._meta.get_field("name").max_length
        names = []
        if typed and len(typed) <= longest:
            names = list(
                Contributor.objects.visible()
                .filter(name__startswith=typed)
                .order_by("name")
                .values_list("name", flat=True)
                .distinct()[: self.limit]
            )
        return JsonResponse({"names": names}, json_dumps_params={"ensure_ascii": False})


class FiltersWhenGivenMixin:
    """A FilterView whose filter set is made only when the query string holds a filter (the
    page number is none): made, it deep-copies every filter, a seventh of an uncached article
    list nobody had filtered. Without filters the list is the view's queryset, and `filter`
    is made, unbound, only if the template reads it (its form's fragment is not kept); the
    template asks `filtered`, not `filter.is_bound`, whether to look for the form's errors.
    """

    @cached_property
    def filter_data(self):
        return caching.filter_params(self.request, self.page_kwarg)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        return kwargs | {"data": self.filter_data or None}

    def get(self, request, *args, **kwargs):
        if self.filter_data:
            return super().get(request, *args, **kwargs)
        self.filterset = SimpleLazyObject(lambda: self.get_filterset(self.get_filterset_class()))
        self.object_list = self.get_queryset()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filtered=bool(self.filter_data), **kwargs)


class ForgivingPaginationMixin:
    """A page number past the end, or not a number, shows the first page rather than a 404.

    Also names what the filter form shows (`filter_topics`) and what it varies on (the query
    string but the page number: every page of a list shares one form), for its cached fragment.
    """

    filter_topics: list[str] = []

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_topics=self.filter_topics,
            filter_vary=caching.filters_vary(self.request, self.page_kwarg),
            **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            paginator = self.get_paginator(queryset, page_size)
            page = paginator.page(1)
            return paginator, page, page.object_list, page.has_other_pages()


class KeptPageMixin:
    """Which rows a page of a list shows, and how many the list holds, kept for anonymous
    readers under the list's `page_topics` and its whole query string (filters and page
    number): with its entries (or its results fragment) kept too, a list page reads nothing.
    Counting and finding a page's ids were most of what an uncached list page still did.

    `get_queryset` gives the list's rows in order, filtered by the reader's filters, before
    what readers may see is applied: that is applied here (the queryset's `visible()`), on
    every path to the rows, and only when rows are read. Building the visibility query cost a
    third of a photo gallery page whose rows were all kept.

    A kept page's `ids` are set on it. With EstimatedCountPaginator (which reads a page's
    ids before its rows) a page read anew also leaves its rows unread.
    """

    # What the kept pages (and entries) are named by, and the topics of the list's order.
    list_name: str
    page_topics: list[str]

    def paginate_queryset(self, queryset, page_size):
        if not caching.fragments_on(self.request):
            return super().paginate_queryset(queryset.visible(), page_size)
        read_now = []

        def read() -> dict:
            paginator, page, rows, more = super(KeptPageMixin, self).paginate_queryset(
                queryset.visible(), page_size
            )
            read_now.append((paginator, page, rows, more))
            # EstimatedCountPaginator reads a page's ids alone; any other reads its rows.
            ids = getattr(page, "ids", None)
            return {
                "count": paginator.count,
                "estimated": getattr(paginator, "estimated", False),
                "at_least": getattr(paginator, "at_least", False),
                "number": page.number,
                "ids": [row.pk for row in rows] if ids is None else ids,
            }

        query = hashlib.sha256(self.request.GET.urlencode().encode()).hexdigest()
        kept = caching.reader_row(
            self.request, f"{self.list_name}-page:{query}", self.page_topics, read
        )
        if read_now:
            return read_now[0]
        # Over no rows: the queryset is not restricted to what readers may see, and the page
        # is made here. The count is a cached property: set, it is never counted again.
        paginator = self.get_paginator(queryset.none(), page_size)
        paginator.__dict__["count"] = kept["count"]
        paginator.estimated, paginator.at_least = kept["estimated"], kept["at_least"]
        ids = kept["ids"]
        rows = SimpleLazyObject(lambda: queryset.visible().filter(pk__in=ids))
        page = PaginatorPage(rows, kept["number"], paginator)
        page.ids = ids
        return paginator, page, rows, page.has_other_pages()


class KeptEntriesMixin(KeptPageMixin):
    """Each entry of the list's page kept under its own topic (caching.Entries, drawn by
    `{% entry %}`): rendering a page of entries (credits, links, dates) cost most of an
    uncached list, and one article or photo changes at a time. Only the rows of entries not
    kept are read, with their credits; a kept one is given to the template by id.

    Its pages (KeptPageMixin) come with their ids, their rows left unread.
    """

    paginator_class = EstimatedCountPaginator
    entry_topic: Callable[[int], str]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = context["page_obj"].ids
        topic = type(self).entry_topic
        entries = caching.Entries(self.request, self.list_name, ids, lambda pk: [topic(pk)])
        missing = entries.missing
        rows = {}
        if missing:
            rows = context["object_list"]
            if len(missing) < len(ids):
                rows = rows.filter(pk__in=missing)
            rows = rows.in_bulk()
            prefetch_related_objects(
                list(rows.values()),
                Prefetch("bylines", queryset=Byline.objects.select_related("contributor")),
            )
        # An id kept with the page whose row has just gone from readers (and whose entry is
        # not kept) is left out rather than drawn empty.
        shown = [rows.get(pk, pk) for pk in ids if pk in rows or entries.cached(pk) is not None]
        context.update(object_list=shown, entries=entries)
        return context


class ArticleListView(
    KeptEntriesMixin, ForgivingPaginationMixin, FiltersWhenGivenMixin, FilterView
):
    """`/articles/`: every visible article, newest first, narrowed by the reader's filters.

    An invalid filter value (a bad date, an unknown publication) shows the form's message and
    no results (django-filter's strict mode) rather than an error page.
    """

    template_name = "articles/article_list.html"
    filterset_class = ArticleFilter
    paginate_by = 20
    list_name = "article-list"
    entry_topic = staticmethod(caching.article_topic)
    # Which articles are listed: any change readers see moves ARTICLES; a contributor's
    # name (a filter) moves CONTRIBUTORS.
    page_topics = [caching.ARTICLES, caching.CONTRIBUTORS]
    # The filter form's choices: publications with something out.
    filter_topics = [caching.ISSUES, caching.ARTICLES]

    def get_queryset(self):
        # Visibility is applied by KeptPageMixin, once the rows are read.
        return Article.objects.select_related("publication", "page__issue").order_by(
            "-published_at", "-pk"
        )


class IssueArchiveView(KeptPageMixin, ForgivingPaginationMixin, FiltersWhenGivenMixin, FilterView):
    """`/archive/`: published issues, filtered by publication and date range. A page of
    results is a fragment under ISSUES (which moves as issues come out or go) and the query
    string: kept, with its ids and count, the page reads nothing."""

    template_name = "articles/issue_archive.html"
    filterset_class = IssueFilter
    paginate_by = 30
    filter_topics = [caching.ISSUES, caching.ARTICLES]
    list_name = "archive"
    page_topics = [caching.ISSUES]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            results_topics=self.page_topics, results_vary=self.request.GET.urlencode(), **kwargs
        )

    def get_queryset(self):
        # Visibility is applied by KeptPageMixin, once the rows are read.
        # The id breaks ties: two papers' issues of a day keep their places across pages.
        return Issue.objects.select_related("publication").order_by("-date", "pk")


def latest(code: str) -> tuple[Publication, datetime.date] | None:
    """A paper with an issue out, and the date of its latest; None for any other code."""
    publication = Publication.objects.with_visible_issues().filter(code=code).first()
    if publication is None:
        return None
    issues = Issue.objects.visible().filter(publication=publication)
    return publication, issues.order_by("-date").values_list("date", flat=True).first()


class CalendarView(TemplateView):
    """`/<publication>/calendar/<yyyy>/<mm>/`: 往期回顾, a month with its issue days linked."""

    template_name = "articles/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.kwargs["publication"]
        # The paper and the date of its latest issue, kept under the paper's topic (which
        # moves as its issues come out or go).
        found = caching.reader_row(
            self.request,
            f"calendar:{code}",
            [caching.publication_topic(code)],
            lambda: latest(code),
        )
        if found is None:
            raise Http404("No such publication")
        publication, latest_date = found
        year, month = self.kwargs.get("year"), self.kwargs.get("month")
        issues = Issue.objects.visible().filter(publication=publication)
        if year is None:
            year, month = latest_date.year, latest_date.month
        if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
            raise Http404("No such month")
        context.update(
            publication=publication,
            month=datetime.date(year, month, 1),
            weekdays=[WEEKDAYS_ABBR[i] for i in range(7)],
            days=MonthOfIssues(issues, year, month),
            topics=[caching.publication_topic(publication.code)],
        )
        return context


class MonthOfIssues:
    """A month's calendar weeks with the days that have an issue, and the months around it
    that have one; read only when a template asks (the calendar is a cached fragment)."""

    def __init__(self, issues, year: int, month: int) -> None:
        self.issues, self.year, self.month = issues, year, month
        self.first = datetime.date(year, month, 1)
        self.last = datetime.date(year, month, calendar.monthrange(year, month)[1])

    @cached_property
    def weeks(self) -> list[list[dict]]:
        days = set(
            self.issues.filter(date__range=(self.first, self.last)).values_list("date", flat=True)
        )
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(self.year, self.month)
        return [
            [
                {"date": day, "in_month": day.month == self.month, "has_issue": day in days}
                for day in week
            ]
            for week in weeks
        ]

    @cached_property
    def previous_month(self) -> datetime.date | None:
        return (
            self.issues.filter(date__lt=self.first)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )

    @cached_property
    def next_month(self) -> datetime.date | None:
        return (
            self.issues.filter(date__gt=self.last)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )


class PhotoGalleryView(KeptEntriesMixin, ForgivingPaginationMixin, ListView):
    """`/photos/`: every visible photo with its caption and credits, newest first."""

    template_name = "articles/photo_gallery.html"
    paginate_by = 24
    list_name = "photo-gallery"
    entry_topic = staticmethod(caching.photo_topic)
    page_topics = [caching.PHOTOS]

    def get_queryset(self):
        # Visibility is applied by KeptPageMixin, once the rows are read.
        return Photo.objects.select_related("article", "page__issue__publication").order_by("-pk")
