"""Reader filters (django-filter), shared by the article list, the issue archive and search."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import caching
from .models import Article, Byline, Contributor, Issue, Page, Publication
from .search import Term, matches
from .search.text import MAX_QUERY_LENGTH, index_tokens
from .validators import EARLIEST_DATE, LATEST_DATE, validate_date_in_range


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the paper's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DateInput(forms.DateInput):
    input_type = "date"


class BoundedDateField(forms.DateField):
    """A date within the range any filter may ask for, checked before it reaches a query."""

    default_validators = [validate_date_in_range]
    widget = DateInput

    def widget_attrs(self, widget):
        bounds = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        return {**super().widget_attrs(widget), **bounds}


class DateFilter(django_filters.DateFilter):
    """Every date a reader filters by is bounded: 9999-12-31 was a 500 (the day after it)."""

    field_class = BoundedDateField


# Ids as long as a bigint's: older links name a contributor by id.
MAX_ID_DIGITS = 18


class ContributorField(forms.CharField):
    """A contributor readers may see, by name as typed (or by id, as older links have it);
    cleaned to the ids of those it names, in one query.

    Only contributors readers may see: one credited on hidden work alone answers as an unknown
    one does, or the answer would tell that the work exists.
    """

    # The message does not repeat the name: the page must read the same whether the name is
    # unknown or carried only by hidden work (test_leaks.py).
    default_error_messages = {
        "unknown": _("No contributor of that name is credited on published work."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", Contributor._meta.get_field("name").max_length)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # Suggestions as one types (static/js/contributor-suggest.js), from this address.
        url = reverse_lazy("articles:contributor_names")
        return {**super().widget_attrs(widget), "data-suggest-url": url}

    def clean(self, value) -> list[int]:
        name = super().clean(value)
        if not name:
            return []
        named = Q(name=name)
        # isdigit() alone is true of ² and ①, which int() refuses.
        if name.isascii() and name.isdigit() and len(name) <= MAX_ID_DIGITS:
            named |= Q(pk=int(name))
        pks = list(Contributor.objects.visible().filter(named).values_list("pk", flat=True))
        if not pks:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return pks


class ContributorFilter(django_filters.Filter):
    field_class = ContributorField


def visible_publications(request) -> QuerySet:
    """The publication choice of the filter forms: papers with something out.

    Building the rule's query (two EXISTS over the visibility of issues and articles) costs
    more than a minimal page, on every list request, as the form is made; with fragments on,
    the ids are kept under the topics that change them and the choice is a plain lookup.
    """
    if not settings.READER_FRAGMENT_SECONDS:
        return Publication.objects.visible()
    pks = caching.shared_value(
        "publications",
        [caching.ISSUES, caching.ARTICLES],
        lambda: list(Publication.objects.visible().values_list("pk", flat=True)),
    )
    return Publication.objects.filter(pk__in=pks)


def page_names() -> list[tuple[str, str]]:
    """The page names readers meet, each once: those of the pages of visible issues.

    Reading them means reading every page of the archive (tens of milliseconds at a few
    hundred thousand pages), on every list and search request, for a list that changes only
    when pages or issues readers see change: so it is kept under the articles topic.
    """

    def read() -> list[str]:
        return list(
            Page.objects.filter(issue__in=Issue.objects.visible())
            .exclude(name="")
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )

    return [(name, name) for name in caching.shared_value("page-names", [caching.ARTICLES], read)]


class ArticleFilter(django_filters.FilterSet):
    """What a reader can narrow an article list by. Works on any queryset of visible articles."""

    headline = django_filters.CharFilter(
        method="filter_headline", label=_("Headline contains"), max_length=MAX_QUERY_LENGTH
    )
    publication = django_filters.ModelChoiceFilter(
        queryset=visible_publications,
        to_field_name="code",
        label=_("Publication"),
        empty_label=_("All publications"),
    )
    date_from = DateFilter(method="filter_date_from", label=_("From"))
    date_to = DateFilter(method="filter_date_to", label=_("To"))
    page_name = django_filters.ChoiceFilter(
        field_name="page__name",
        choices=page_names,
        label=_("Page name"),
        empty_label=_("Any page"),
        # Not Django's message, which repeats the value: a name on hidden pages alone must
        # read as one nobody uses.
        error_messages={"invalid_choice": _("No page of a published issue has that name.")},
    )
    contributor = ContributorFilter(method="filter_contributor", label=_("Contributor"))
    role = django_filters.ChoiceFilter(
        choices=Byline.Role.choices,
        method="filter_role",
        label=_("Role"),
        empty_label=_("Any role"),
    )

    class Meta:
        model = Article
        fields = ["headline", "publication", "date_from", "date_to", "page_name"]

    def filter_headline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Articles whose headings contain the text as written, punctuation aside.

        Through the search index (a phrase of its tokens), which finds a string inside a
        word as LIKE would, but without reading every headline of the archive.
        """
        tokens = index_tokens(value)
        if not tokens:
            return queryset
        return matches(queryset, [Term(text=value, tokens=tuple(tokens))], title_only=True)

    def filter_date_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        # A range of publish times, which the date index serves; `published_at__date` is a
        # function of the column that no index does.
        return queryset.filter(published_at__gte=start_of_day(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(published_at__lt=start_of_day(value + datetime.timedelta(days=1)))

    def filter_contributor(self, queryset: QuerySet, name: str, value: list[int]) -> QuerySet:
        """Articles the contributor (everyone of that name) is credited on, in the chosen role
        if any, or supplied."""
        # The contributor's few hundred articles are looked up from their credits, rather
        # than testing the archive's articles newest first for a credit (EXISTS).
        credited = Byline.objects.filter(contributor__in=value, article__isnull=False)
        role = self.form.cleaned_data.get("role")
        if role:
            return queryset.filter(pk__in=credited.filter(role=role).order_by().values("article"))
        supplied = Article.objects.filter(source__in=value).order_by().values("pk")
        return queryset.filter(pk__in=credited.order_by().values("article").union(supplied))

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """With a contributor, the role narrows their credits; alone, any credit in that role."""
        if self.form.cleaned_data.get("contributor"):
            return queryset
        return queryset.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), role=value)))


class IssueFilter(django_filters.FilterSet):
    """The issue archive's list: by publication and date range."""

    publication = django_filters.ModelChoiceFilter(
        queryset=visible_publications,
        to_field_name="code",
        label=_("Publication"),
        empty_label=_("All publications"),
    )
    date_from = DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Issue
        fields = ["publication", "date_from", "date_to"]
