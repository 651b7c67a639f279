"""`/search/`: full-text search of what readers may see, with the reader's filters and counts."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import caching
from .filters import ArticleFilter
from .models import ROLE_NAMES, Article, Byline, Photo
from .search import QueryError, SearchResults, find_photos, matches, parse_query, vocabulary
from .search.backends import get_backend
from .search.text import highlight, matched, snippet


class SearchView(TemplateView):
    """Articles matching `q`, ranked (see SearchResults), each with a snippet and, when a
    name or a caption is why it was found, that credit or caption; counts per publication and
    per year; standalone photos that match; and a correction when the query finds little,
    whose results are shown at once when the query as typed finds nothing (`as_typed=1`
    keeps the query as typed).

    A bounded number of queries whatever the number of matches: the engine's estimates, the
    facet counts (which also give the total), the page's ranked ids and rows, their credited
    names and captions, whether any standalone photo matches (and if so, the photos), and for
    a query that finds little, the corrections' lookups and one more search.
    """

    template_name = "articles/search.html"
    filterset_class = ArticleFilter
    paginate_by = 20
    # Fewer results than this and a correction is looked for.
    SUGGEST_BELOW = 5
    # Standalone photos shown above the first page of results.
    PHOTOS = 6
    # The parameters of the search itself; the others are the filter form's.
    NOT_FILTERS = ("q", "page", "as_typed")
    # The columns a result shows (search.html, mark()).
    SHOWN = (
        "kicker",
        "headline",
        "subheadline",
        "body",
        "published_at",
        "publication__name",
        "page__number",
        "page__name",
        "source__name",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        # Only the filters are the form's: with none given it is made, unbound, only if the
        # template draws it (its fragment is not kept), and never checked; made, it deep-copies
        # every filter. Visibility is applied in find(), only when the results are not kept.
        filters = caching.filter_params(self.request, *self.NOT_FILTERS)
        filterset = SimpleLazyObject(
            lambda: self.filterset_class(filters or None, queryset=Article.objects.all())
        )
        # The filter fields are a cached fragment, shared by every query with the same filters.
        context.update(
            query=query,
            filter=filterset,
            filtered=bool(filters),
            filter_topics=[caching.ISSUES, caching.ARTICLES],
            filter_vary=filters.urlencode(),
        )
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
        valid = not filters or filterset.is_valid()
        # What the query finds is a fragment under what it searches and the whole query
        # string: found only when the fragment is rendered, so a kept one searches nothing.
        context.update(
            terms=terms,
            found=SimpleLazyObject(
                lambda: self.find(query, terms, filterset if filters else None, valid)
            ),
            # CONTRIBUTORS: whether a contributor's name is a valid filter (as the list's).
            found_topics=[caching.ARTICLES, caching.PHOTOS, caching.CONTRIBUTORS],
            found_vary=self.request.GET.urlencode(),
        )
        return context

    def find(self, query: str, terms, filterset, valid: bool) -> dict:
        """The results of the query (or of its correction) and their counts; `filterset` is
        None when no filter was given."""
        found = {}
        if not valid:
            articles = Article.objects.none()
        else:
            articles = filterset.qs if filterset is not None else Article.objects.all()
            articles = articles.visible()
        # What a result shows, and no more: reading the rows whole (every date of the
        # article, its page and issue) was a fifth of a rare word's search.
        articles = articles.select_related("publication", "page", "source").only(*self.SHOWN)
        results = SearchResults(articles, terms)
        facets = results.facets()
        if valid and results.total < self.SUGGEST_BELOW:
            suggestion = vocabulary.suggest(query, differing=not results.total)
            suggested_terms = self.parse(suggestion) if suggestion else None
            if suggested_terms and not results.total and self.request.GET.get("as_typed") != "1":
                corrected = SearchResults(articles, suggested_terms)
                corrected_facets = corrected.facets()
                if corrected.total:
                    found.update(
                        corrected=suggestion,
                        corrected_url=self.url(q=suggestion),
                        as_typed_url=self.url(as_typed="1"),
                    )
                    results, facets, terms = corrected, corrected_facets, suggested_terms
            elif suggested_terms and matches(articles, suggested_terms).exists():
                # Only a correction that finds something: the vocabulary holds drafts' words.
                found.update(suggestion=suggestion, suggestion_url=self.url(q=suggestion))
        # The paginator takes the total from the counts above instead of counting again.
        paginator = Paginator(results, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        self.mark(page.object_list, terms)
        found.update(
            total=results.total,
            estimated=results.estimated,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            results=page.object_list,
            publication_counts=self.publication_counts(facets),
            year_counts=self.year_counts(facets),
        )
        if page.number == 1 and valid:
            chosen = filterset.form.cleaned_data if filterset is not None else {}
            found["photos"] = list(self.photos(terms, chosen))
        return found

    @staticmethod
    def parse(suggestion: str):
        """The terms of a correction, or None if it cannot be searched (folding can lengthen
        a query past the limit)."""
        try:
            return parse_query(suggestion) or None
        except QueryError:
            return None

    def url(self, **changes: str) -> str:
        """This search's address with these parameters changed, from its first page."""
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("as_typed", None)
        params.update(changes)
        return f"{self.request.path}?{params.urlencode()}"

    @staticmethod
    def mark(articles: list[Article], terms) -> None:
        """Mark the words in each result's headings and snippet, and say which credits and
        captions hold them (a name or a caption may be all an article was found by).

        The names and captions are read as plain values, in two queries: building rows and
        prefetching them cost more than the rest of the page's Python.
        """
        ids = [article.pk for article in articles]
        captions: dict[int, list[str]] = {pk: [] for pk in ids}
        photos = (
            Photo.objects.filter(article__in=ids)
            .order_by("position", "pk")
            .values_list("pk", "article", "title", "caption")
        )
        photo_ids = []
        for pk, article_id, title, caption in photos:
            photo_ids.append(pk)
            captions[article_id].append(f"{title} {caption}")
        names: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
        credits = (
            # Both sides by their own indexed column and a list of ids: with a subquery on
            # one side, PostgreSQL read every credit of the archive (a million and more).
            Byline.objects.filter(Q(article__in=ids) | Q(photo__in=photo_ids))
            # The article's own credits first, then its photos' in their order, as printed.
            .order_by(F("photo__position").asc(nulls_first=True), "photo", "order", "pk")
            .values_list("article", "photo__article", "role", "contributor__name")
        )
        for article_id, photo_article_id, role, name in credits:
            names[article_id or photo_article_id].append((role, name))
        for article in articles:
            article.kicker_marked = highlight(article.kicker, terms)
            article.headline_marked = highlight(article.headline, terms)
            article.subheadline_marked = highlight(article.subheadline, terms)
            article.snippet = snippet(article.body, terms)
            article.matched_credits = [
                (str(ROLE_NAMES.get(role, role)), highlight(name, terms))
                for role, name in names[article.pk]
                if matched(name, terms)
            ]
            if article.source and matched(article.source.name, terms):
                article.matched_credits.append(
                    (_("Supplied by"), highlight(article.source.name, terms))
                )
            article.matched_captions = [
                snippet(text, terms, width=80)
                for text in captions[article.pk]
                if matched(text, terms)
            ]

    def photos(self, terms, filters: dict) -> Iterable[Photo]:
        """Standalone photos that match, newest first, within the reader's filters that
        apply to a page (publication, dates, page name)."""
        if not get_backend().any_photo_matches(terms):
            return []  # most searches: the photos' visibility query is not even built
        photos = find_photos(Photo.objects.visible(), terms)
        if filters.get("publication"):
            photos = photos.filter(page__issue__publication=filters["publication"])
        if filters.get("date_from"):
            photos = photos.filter(page__issue__date__gte=filters["date_from"])
        if filters.get("date_to"):
            photos = photos.filter(page__issue__date__lte=filters["date_to"])
        if filters.get("page_name"):
            photos = photos.filter(page__name=filters["page_name"])
        photos = photos.select_related("page__issue__publication").order_by(
            "-page__issue__date", "-pk"
        )[: self.PHOTOS]
        for photo in photos:
            photo.caption_marked = snippet(f"{photo.title} {photo.caption}", terms, width=80)
        return photos

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
