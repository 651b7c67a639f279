"""The Page admin's page workbench (版面工作台): the page's scan with every article's region
drawn and numbered, beside the page's articles, to join, split, move paragraphs, redraw a
region and confirm the drafts into review. The writes are articles/workbench.py's.

Plain forms, posted and answered with a redirect back, so everything works without
JavaScript; static/articles/workbench.js only lights up an article and its region together.
Every form carries the version of each article as shown; the services refuse a stale one.
The page is read in a fixed number of queries, whatever its number of articles.
"""

from __future__ import annotations

import itertools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import workbench
from .admin_forms import BoundedJSONField, usable_key
from .models import Article, Byline, Page, Photo, Status, parse_body
from .regions import inside_point
from .widgets import RegionWidget

# At most this many digits in a paragraph number: more is no paragraph of any article.
MAX_INDEX_DIGITS = 6


@admin.display(description=gettext_lazy("workbench"))
def workbench_link(page: Page) -> str:
    """The page changelist's link to each page's workbench."""
    url = reverse("admin:articles_page_workbench", args=[page.pk])
    return format_html('<a href="{}">{}</a>', url, _("Page workbench"))


class RegionForm(forms.Form):
    """The region editor of the article form (static/articles/region-editor.js), alone."""

    points = BoundedJSONField(required=False, widget=RegionWidget)


def page_workbench(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str):
    page = (
        Page.objects.select_related("issue__publication").filter(pk=object_id).first()
        if usable_key(Page._meta.pk, object_id)
        else None
    )
    if page is None:
        raise Http404(_("No page with this id."))
    articles = list(
        Article.objects.filter(page=page)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("contributor")),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "pk")),
        )
    )
    if not (
        model_admin.has_view_permission(request, page)
        and workbench.may_open(request.user, page, articles)
    ):
        raise PermissionDenied
    if request.method == "POST":
        try:
            message, anchor = _act(request, page, articles)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _reason(error))
            anchor = ""
        else:
            messages.success(request, message)
        return HttpResponseRedirect(request.path + anchor)
    return _render(model_admin, request, page, articles)


def _act(request: HttpRequest, page: Page, articles: list[Article]) -> tuple[str, str]:
    """Make the change the pressed button asks for; the message and where to go back to."""
    post, user = request.POST, request.user
    by_pk = {article.pk: article for article in articles}
    if "join" in post:
        article = _article(post["join"], by_pk)
        other = _article(post.get(f"join-with-{article.pk}"), by_pk)
        # In reading order, whichever of the two was chosen from.
        first, second = sorted((article, other), key=articles.index)
        joined = workbench.join(first=_seen(post, first), second=_seen(post, second), user=user)
        return (
            _("“%(second)s” was joined to “%(first)s”.")
            % {"first": first.headline, "second": second.headline},
            f"#article-{joined.pk}",
        )
    if "split" in post:
        pk, _colon, index = post["split"].partition(":")
        article = _article(pk, by_pk)
        new = workbench.split(
            article=_seen(post, article), paragraph_index=_index(index), user=user
        )
        return (
            _("“%(headline)s” was split; its second part is “%(new)s”.")
            % {"headline": article.headline, "new": new.headline},
            f"#article-{new.pk}",
        )
    if "move" in post:
        source = _article(post["move"], by_pk)
        target = _article(post.get(f"move-to-{source.pk}"), by_pk)
        indexes = [_index(value) for value in post.getlist(f"paragraphs-{source.pk}")]
        workbench.move_paragraphs(
            source=_seen(post, source),
            target=_seen(post, target),
            indexes=indexes,
            user=user,
            at=0 if post.get(f"move-at-{source.pk}") == "start" else None,
        )
        return (
            ngettext(
                "Moved %(count)d paragraph from “%(source)s” to “%(target)s”.",
                "Moved %(count)d paragraphs from “%(source)s” to “%(target)s”.",
                len(set(indexes)),
            )
            % {"count": len(set(indexes)), "source": source.headline, "target": target.headline},
            f"#article-{target.pk}",
        )
    if "region" in post:
        article = _article(post["region"], by_pk)
        form = RegionForm(post)
        if not form.is_valid():
            raise ValidationError(form.errors["points"])
        workbench.set_region(
            article=_seen(post, article), points=form.cleaned_data["points"], user=user
        )
        return (
            _("The region of “%(headline)s” was saved.") % {"headline": article.headline},
            f"#article-{article.pk}",
        )
    if "confirm" in post:
        seen = [_seen(post, _article(pk, by_pk)) for pk in post.getlist("draft")]
        sent = workbench.confirm(page=page, user=user, seen=seen)
        return (
            ngettext(
                "%(count)d article of %(page)s was sent to first review.",
                "%(count)d articles of %(page)s were sent to first review.",
                len(sent),
            )
            % {"count": len(sent), "page": page.label},
            "",
        )
    raise workbench.Refused(_("Nothing was changed: use one of the workbench's buttons."))


def _article(value, by_pk: dict[int, Article]) -> Article:
    """The article of this page whose id was posted; anything else is refused."""
    if value is not None and usable_key(Article._meta.pk, value):
        article = by_pk.get(int(value))
        if article is not None:
            return article
    raise workbench.Refused(_("That article is not on this page; reload the workbench."))


def _seen(post, article: Article) -> Article:
    """The article as the form showed it: its id and the version it was at."""
    value = post.get(f"version-{article.pk}")
    if value is None or not usable_key(Article._meta.get_field("version"), value):
        raise workbench.Refused(
            _("The workbench you sent from is incomplete or out of date; reload it and try again.")
        )
    return Article(pk=article.pk, version=int(value))


def _index(value: str) -> int:
    """A paragraph's number as posted (from 0)."""
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_INDEX_DIGITS):
        raise workbench.Refused(_("That is not a paragraph of the article; reload the workbench."))
    return int(value)


def _reason(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not make this change.")


def _render(model_admin, request: HttpRequest, page: Page, articles: list[Article]):
    user = request.user
    entries = [_entry(article, page, user) for article in articles]
    changeable = [entry for entry in entries if entry["changeable"]]
    _add_menus(changeable)
    redraw, region_form = _region_editor(request, page, articles)
    return TemplateResponse(
        request,
        "admin/articles/page/workbench.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "original": page,
            "title": _("Page workbench: %(page)s") % {"page": page},
            "page": page,
            "scan": page.scan_web or page.scan,
            "label_size": max(page.scan_width or 0, page.scan_height or 0) // 30,
            "entries": entries,
            "changeable": changeable,
            "drafts": [article for article in articles if article.status == Status.DRAFT],
            "blocked": any(entry["problems"] for entry in entries),
            "redraw": redraw,
            "region_form": region_form,
            "media": region_form.media if region_form else forms.Media(),
        },
    )


def _add_menus(changeable: list[dict]) -> None:
    """Give each article the user may change its menu of the others to join or move to,
    built here once: in the template, 40 articles' menus of 39 options each were most of
    the page's rendering time. Each offers first the next article (the last, the one before).
    """
    pks = [entry["article"].pk for entry in changeable]
    defaults = dict(itertools.pairwise(pks)) | ({pks[-1]: pks[-2]} if len(pks) > 1 else {})
    labels = [
        (
            entry["article"].pk,
            f"{entry['article'].position}. {Truncator(entry['article'].headline).chars(24)}",
        )
        for entry in changeable
    ]
    for entry in changeable:
        pk = entry["article"].pk
        entry["targets"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (other, " selected" if other == defaults.get(pk) else "", label)
                for other, label in labels
                if other != pk
            ),
        )


def _entry(article: Article, page: Page, user) -> dict:
    blocks = parse_body(article.body)
    changeable = workbench.may_change(user, article)
    return {
        "article": article,
        "changeable": changeable,
        "blocks": [
            {"index": index, "kind": kind, "text": text}
            for index, (kind, text) in enumerate(blocks)
        ],
        # 字数: the characters of the text, as a layout editor counts them (no spaces).
        "characters": sum(len("".join(text.split())) for _kind, text in blocks),
        "problems": workbench.problems(article, page) if article.status == Status.DRAFT else [],
        "points": " ".join(f"{x},{y}" for x, y in article.region or []),
        "label": inside_point(article.region) if article.region else None,
        "bylines": list(article.bylines.all()),
        "photos": list(article.photos.all()),
    }


def _region_editor(request: HttpRequest, page: Page, articles: list[Article]):
    """The article whose region is being redrawn (`?region=<id>`), with the editor's form."""
    wanted = request.GET.get("region")
    if wanted is None:
        return None, None
    try:
        article = _article(wanted, {article.pk: article for article in articles})
    except workbench.Refused as error:
        messages.error(request, _reason(error))
        return None, None
    if not page.scan:
        messages.error(request, _("This page has no scan to draw on; upload the scan first."))
        return None, None
    if not workbench.may_change(request.user, article):
        messages.error(
            request,
            _("You may not redraw the region of “%(headline)s”.") % {"headline": article.headline},
        )
        return None, None
    form = RegionForm(initial={"points": article.region})
    # Drawn on the web rendition, stored in the scan's own pixels (as in the article form).
    form.fields["points"].widget.attrs.update(
        {
            "data-scan-url": (page.scan_web or page.scan).url,
            "data-scan-width": page.scan_width,
            "data-scan-height": page.scan_height,
        }
    )
    return article, form
