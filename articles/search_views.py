"""`/search/`: full-text search of what readers may see, with the reader's filters and counts."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .filters import ArticleFilter
from .models import Article
from .search import QueryError, SearchResults, parse_query
from .search.text import highlight, snippet


class SearchView(TemplateView):
    """Articles containing every word of `q` (or a quoted phrase as written), headline matches
    first, then newest first, each with a snippet; counts per publication and per year.

    A bounded number of queries whatever the number of matches: the engine's estimates, the
    facet counts (which also give the total) and the page's one or two lists.
    """

    template_name = "articles/search.html"
    filterset_class = ArticleFilter
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        # Built per request: visibility compares publish times with the current time.
        filterset = self.filterset_class(self.request.GET, queryset=Article.objects.visible())
        context.update(query=query, filter=filterset)
        if not query:
            return context
        try:
            terms = parse_query(query)
        except QueryError as error:
            context["message"] = str(error)
            return context
        if not terms:
            context["message"] = _("Type a word to search for: letters or Chinese characters.")
            return context
        # Strict, like the article list: an invalid filter value shows the form's message and
        # no results, rather than silently searching everything.
        articles = filterset.qs if filterset.is_valid() else Article.objects.none()
        results = SearchResults(articles.select_related("publication", "page__issue"), terms)
        facets = results.facets()
        total = results.total
        # The paginator takes the total from the counts above instead of counting again.
        paginator = Paginator(results, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        for article in page.object_list:
            article.kicker_marked = highlight(article.kicker, terms)
            article.headline_marked = highlight(article.headline, terms)
            article.subheadline_marked = highlight(article.subheadline, terms)
            article.snippet = snippet(article.body, terms)
        context.update(
            terms=terms,
            total=total,
            estimated=results.estimated,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            results=page.object_list,
            publication_counts=self.publication_counts(facets),
            year_counts=self.year_counts(facets),
        )
        return context

    @staticmethod
    def publication_counts(facets: list[dict]) -> list[dict]:
        counts: dict[str, dict] = {}
        for row in facets:
            entry = counts.setdefault(
                row["publication__code"],
                {"code": row["publication__code"], "name": row["publication__name"], "count": 0},
            )
            entry["count"] += row["count"]
        return sorted(counts.values(), key=lambda entry: (-entry["count"], entry["name"]))

    @staticmethod
    def year_counts(facets: list[dict]) -> list[dict]:
        counts: dict[int, int] = {}
        for row in facets:
            counts[row["year"]] = counts.get(row["year"], 0) + row["count"]
        return [
            {
                "year": year,
                "count": count,
                "date_from": f"{year}-01-01",
                "date_to": f"{year}-12-31",
            }
            for year, count in sorted(counts.items(), reverse=True)
        ]
