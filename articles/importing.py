"""Store a parsed page (articles/pageparser) as draft articles, photos and credits of one page."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .caching import page_filled
from .models import (
    Article,
    Byline,
    Contributor,
    Issue,
    Page,
    PageImport,
    Photo,
    Publication,
    Status,
    format_body,
)
from .pageparser import Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .search import index_articles
from .validators import UNSTORABLE, storable


class PageImportError(ValueError):
    """The parsed page cannot be stored where it was asked to go; the message says why."""


class PageAlreadyImported(PageImportError):
    """The page already has articles, photos or credits, and replacing them was not asked for."""


class PublishedContentError(PageImportError):
    """Replacing would delete something readers can see."""


@dataclass(frozen=True)
class Replacement:
    """What importing a page again with “replace” removes, and what it leaves.

    Removed is what earlier imports of the page created and is still on it; everything else
    (an article a reporter wrote there, a photo or credit added by hand) stays.
    """

    articles: list[Article]
    photos: list[Photo]
    credits: list[Byline]
    kept_articles: list[Article]
    kept_photos: list[Photo]
    kept_credits: list[Byline]

    def __bool__(self) -> bool:
        return bool(self.articles or self.photos or self.credits)


def replacement(page: Page) -> Replacement:
    """What replacing the page's import would remove and keep, as it stands now."""
    imported = models.Q(page_import__page=page)
    articles = page.articles.order_by("position", "pk")
    photos = Photo.objects.filter(page=page).order_by("position", "pk")
    credits = Byline.objects.filter(page=page).select_related("contributor")
    return Replacement(
        articles=list(articles.filter(imported)),
        photos=list(photos.filter(imported)),
        credits=list(credits.filter(imported)),
        kept_articles=list(articles.exclude(imported)),
        kept_photos=list(photos.exclude(imported)),
        kept_credits=list(credits.exclude(imported)),
    )


@dataclass(frozen=True)
class ImportResult:
    """What one import stored."""

    issue: Issue
    page: Page
    articles: list[Article]
    photos: list[Photo]
    credits: list[Byline]
    issue_created: bool
    page_created: bool
    replaced: bool


def check_page(page_number: int, page_name: str = "") -> None:
    """Refuse, with PageImportError, a page number or name no page can have: every caller
    (the admin's import, the PDF upload, the command before it reads a file) asks here."""
    if not 1 <= page_number <= Page.MAX_NUMBER:
        raise PageImportError(
            _("Page numbers run from 1 to %(largest)d.") % {"largest": Page.MAX_NUMBER}
        )
    if not storable(page_name):
        raise PageImportError(str(UNSTORABLE))
    longest = Page._meta.get_field("name").max_length
    if len(page_name) > longest:
        raise PageImportError(
            _("A page name is at most %(longest)d characters.") % {"longest": longest}
        )


@transaction.atomic
def import_page(
    *,
    parsed: ParsedPage,
    publication: Publication,
    date: datetime.date,
    page_number: int,
    page_name: str = "",
    replace: bool = False,
    user=None,
    may_remove: Callable[[Replacement], str] | None = None,
    first_versions: bool = True,
) -> ImportResult:
    """Store `parsed` on page `page_number` of `publication`'s issue of `date`, all or nothing.

    The issue (as a draft) and the page are created when missing. Articles are created as
    drafts in reading order, with their bylines; photos and credits go on the page.
    Contributors are matched by name and kind and created when new.

    A page that already has articles, photos or credits is refused with PageAlreadyImported,
    so importing the same text twice changes nothing. With `replace`, what earlier imports of
    the page created is deleted first (see Replacement), and everything else on the page stays;
    refused if readers can see any of it (PublishedContentError), or if `may_remove` (the
    user's right to delete those rows) gives a reason. Everything created is recorded as this
    import's, by `user`, and each article and photo starts its history with the text as
    imported (unless `first_versions` is off: a caller that goes on to change what was created
    records them itself, once it is whole).
    """
    check_page(page_number, page_name)
    issue, issue_created = Issue.objects.get_or_create(
        publication=publication, date=date, defaults={"status": Status.DRAFT}
    )
    page, page_created = Page.objects.get_or_create(
        issue=issue, number=page_number, defaults={"name": page_name}
    )
    # Two imports into one page at once: the second waits here, then sees the first's articles.
    page = Page.objects.select_for_update().select_related("issue__publication").get(pk=page.pk)
    if page_name and not page.name:
        page.name = page_name
        page.save(update_fields=["name"])
    replaced = False
    if not page_created and _has_content(page):
        if not replace:
            raise PageAlreadyImported(
                _(
                    "%(page)s already has articles, photos or credits; "
                    "choose “replace” to import it again."
                )
                % {"page": page}
            )
        _clear(page, may_remove)
        replaced = True

    record = PageImport.objects.create(page=page, created_by=user)
    contributors = _contributors(parsed)
    # One insert for all the articles; bulk_create sends no per-article signals, so the search
    # index and the reader cache are told once, at the end (drafts: readers see only page
    # credits and standalone photos of a page of an issue already out).
    articles = Article.objects.bulk_create(
        _article(page, position, parsed_article, contributors, record)
        for position, parsed_article in enumerate(parsed.articles, start=1)
    )
    Byline.objects.bulk_create(
        Byline(article=article, contributor=contributors.person(c.name), role=c.role, order=order)
        for article, parsed_article in zip(articles, parsed.articles, strict=True)
        for order, c in enumerate(parsed_article.bylines)
    )
    photos = [
        _create_photo(page, position, parsed_photo, contributors, record)
        for position, parsed_photo in enumerate(parsed.photos, start=1)
    ]
    # A credit the page has already (kept from before) is not given twice.
    credited = set(Byline.objects.filter(page=page).values_list("contributor", "role"))
    new_credits = {}
    for order, c in enumerate(parsed.credits):
        contributor = contributors.person(c.name)
        if (contributor.pk, c.role) not in credited:
            new_credits.setdefault((contributor.pk, c.role), (order, contributor, c.role))
    credits = Byline.objects.bulk_create(
        Byline(page=page, contributor=contributor, role=role, order=order, page_import=record)
        for order, contributor, role in new_credits.values()
    )
    if first_versions:
        services.record(
            [*articles, *photos],
            user=user,
            comment=format_lazy(
                gettext_lazy("Imported from the text of page {number}"), number=page.number
            ),
        )
    index_articles(article.pk for article in articles)
    page_filled(page.pk)
    return ImportResult(
        issue=issue,
        page=page,
        articles=articles,
        photos=photos,
        credits=credits,
        issue_created=issue_created,
        page_created=page_created,
        replaced=replaced,
    )


def _has_content(page: Page) -> bool:
    return (
        page.articles.exists()
        or Photo.objects.filter(page=page).exists()
        or Byline.objects.filter(page=page).exists()
    )


# Articles an import may not replace: published, or withdrawn after readers saw them.
PUBLISHED_OR_SEEN = models.Q(status=Status.PUBLISHED) | models.Q(first_published_at__isnull=False)


def replace_refusal(page: Page, removing: Replacement) -> str:
    """Why what replacing would remove cannot go: readers see it, or have seen it."""
    articles = Article.objects.filter(pk__in=[a.pk for a in removing.articles])
    if articles.filter(PUBLISHED_OR_SEEN).exists():
        return _("%(page)s has published articles; unpublish them before replacing the page.") % {
            "page": page
        }
    if page.issue.status == Status.PUBLISHED and (removing.photos or removing.credits):
        return _(
            "%(page)s is in a published issue and its photos and credits are on the site; "
            "unpublish the issue before replacing the page."
        ) % {"page": page}
    return ""


def _clear(page: Page, may_remove: Callable[[Replacement], str] | None) -> None:
    """Delete what earlier imports put on the page, if nothing of it is public and the user
    may delete it all; leave everything else."""
    removing = replacement(page)
    refusal = replace_refusal(page, removing)
    if refusal:
        raise PublishedContentError(refusal)
    refusal = may_remove(removing) if may_remove is not None else ""
    if refusal:
        raise PageImportError(refusal)
    # An article's photos and bylines go with it (CASCADE); so do a photo's.
    Article.objects.filter(pk__in=[a.pk for a in removing.articles]).delete()
    Photo.objects.filter(pk__in=[p.pk for p in removing.photos]).delete()
    Byline.objects.filter(pk__in=[c.pk for c in removing.credits]).delete()


class _Contributors:
    """Every contributor a page credits, fetched or created in a fixed number of queries."""

    def __init__(self, people: Iterable[str], organisations: Iterable[str]) -> None:
        self.by_key = {
            **_get_or_create_all(Contributor.Kind.PERSON, people),
            **_get_or_create_all(Contributor.Kind.ORGANISATION, organisations),
        }

    def person(self, name: str) -> Contributor:
        return self.by_key[(Contributor.Kind.PERSON, _fit(Contributor, "name", name))]

    def organisation(self, name: str) -> Contributor:
        return self.by_key[(Contributor.Kind.ORGANISATION, _fit(Contributor, "name", name))]


def _contributors(parsed: ParsedPage) -> _Contributors:
    credits: list[Credit] = list(parsed.credits)
    for article in parsed.articles:
        credits.extend(article.bylines)
    for photo in parsed.photos:
        credits.extend(photo.bylines)
    return _Contributors(
        people=(credit.name for credit in credits),
        organisations=(article.source for article in parsed.articles if article.source),
    )


def _get_or_create_all(kind: str, names: Iterable[str]) -> dict[tuple[str, str], Contributor]:
    """Contributors of one kind by name, creating the missing ones.

    Creating with ignore_conflicts and reading back is safe when another import creates the
    same person at the same moment: the unique (name, kind) constraint keeps one row.
    """
    wanted = {_fit(Contributor, "name", name) for name in names if name}
    if not wanted:
        return {}
    found = {c.name: c for c in Contributor.objects.filter(kind=kind, name__in=wanted)}
    missing = wanted - found.keys()
    if missing:
        Contributor.objects.bulk_create(
            [Contributor(name=name, kind=kind) for name in sorted(missing)], ignore_conflicts=True
        )
        found.update((c.name, c) for c in Contributor.objects.filter(kind=kind, name__in=missing))
    return {(kind, name): contributor for name, contributor in found.items()}


def _article(
    page: Page,
    position: int,
    parsed: ParsedArticle,
    contributors: _Contributors,
    record: PageImport,
) -> Article:
    """An unsaved draft article; its publication is the page's, as Article.save() would set."""
    return Article(
        publication=page.issue.publication,
        page=page,
        position=position,
        kicker=_fit(Article, "kicker", parsed.kicker),
        headline=_fit(Article, "headline", parsed.headline),
        subheadline=_fit(Article, "subheadline", parsed.subheadline),
        dateline=_fit(Article, "dateline", parsed.dateline),
        source=contributors.organisation(parsed.source) if parsed.source else None,
        syndicated_from=_fit(Article, "syndicated_from", parsed.syndicated_from),
        body=format_body(parsed.body),
        status=Status.DRAFT,
        page_import=record,
    )


def _create_photo(
    page: Page,
    position: int,
    parsed: ParsedPhoto,
    contributors: _Contributors,
    record: PageImport,
) -> Photo:
    photo = Photo.objects.create(
        page=page,
        page_import=record,
        position=position,
        title=_fit(Photo, "title", parsed.headline),
        caption=parsed.caption,
    )
    Byline.objects.bulk_create(
        Byline(photo=photo, contributor=contributors.person(c.name), role=c.role, order=order)
        for order, c in enumerate(parsed.bylines)
    )
    return photo


def _fit(model: type[models.Model], field: str, value: str) -> str:
    """Cut a value to its column's length; the parser keeps within it, this makes sure."""
    max_length = model._meta.get_field(field).max_length
    return value[:max_length].strip() if max_length else value
