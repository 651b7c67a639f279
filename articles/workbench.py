"""The page workbench's writes: join two articles, split one, move paragraphs, redraw a region,
and confirm the page's drafts into review.

A page read from its PDF (or its text) arrives as draft articles with regions on the scan;
the editor puts right what the reading got wrong before the drafts go to first review (初审).
Each function is atomic and locks the page, then its articles (always in that order, as the
admin's forms lock an article before its parts). It takes the articles as the caller saw
them and reads only their id and version from them: an article changed since (by a form,
another window, another editor) is refused as stale, as every admin form refuses it, and
nothing is changed. Only drafts change, and only by whoever may edit them in the article
admin (workflow.can_edit); each change keeps a version in the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from .caching import articles_changed
from .models import Article, Byline, Page, Photo, Status, format_body, parse_body
from .regions import GUTTER_SHARE, outline_polygons
from .services import article_transition, record
from .validators import validate_region
from .workflow import available_transitions, can_edit, is_chief, pages_given

# What a split gives an article whose first paragraph is no title: confirming refuses it until
# an editor writes the real one. A page's importer may give it to an article it found no
# headline for; joining drops it rather than make it a crosshead.
STAND_IN_HEADLINE = "【标题待定】"
# A paragraph at most this long that does not end a sentence reads as a title (a crosshead
# the reading took for text, or a headline) when a split starts with it.
SHORT_LINE = 30
SENTENCE_END = "。；;，,、：:"

CROSSHEAD, PARAGRAPH = "crosshead", "paragraph"


class Refused(ValidationError):
    """A workbench change that cannot be made; the message says why. Nothing was changed."""


def may_open(user, page: Page, articles: Iterable[Article]) -> bool:
    """Whether `user` may use the workbench of `page`: the chief, the page's editors, or
    someone who may change one of its drafts (a reporter with a draft of their own there)."""
    if not user.has_perm("articles.change_article"):
        return False
    if is_chief(user) or page.pk in pages_given(user):
        return True
    return any(article.status == Status.DRAFT and can_edit(user, article) for article in articles)


def may_change(user, article: Article) -> bool:
    """Whether the workbench may change `article` for `user`: a draft they may edit."""
    return article.status == Status.DRAFT and can_edit(user, article)


def is_stand_in(headline: str) -> bool:
    return not headline.strip() or headline.strip() == STAND_IN_HEADLINE


def problems(article: Article, page: Page) -> list[str]:
    """What keeps a draft from going to review from the workbench, in words for the editor."""
    found = []
    if is_stand_in(article.headline):
        found.append(_("the headline is a stand-in"))
    if not parse_body(article.body):
        found.append(_("the body is empty"))
    if page.scan and not article.region:
        found.append(_("no region on the scan"))
    return found


# --- The changes ----------------------------------------------------------------------------


@transaction.atomic
def join(*, first: Article, second: Article, user) -> Article:
    """Append `second` to `first` and delete `second`.

    Its titles become crossheads (a stand-in headline is dropped), its dateline opens its
    first paragraph, its credits join first's (none twice), its photos follow first's, and the
    regions become one outline. The page's articles are numbered again.
    """
    page, order = _lock_page_of(first)
    if first.pk == second.pk:
        raise Refused(_("An article cannot be joined with itself."))
    first_row = _changeable(first, order, user)
    second_row = _changeable(second, order, user)

    # The deleted article's last version, whole, for "Recover deleted".
    record(
        [second_row],
        user=user,
        comment=_("Joined into “%(headline)s” in the page workbench")
        % {"headline": first_row.headline},
    )
    first_row.body = format_body(parse_body(first_row.body) + _as_continuation(second_row))
    first_row.region = _joined_region(page, first_row.region, second_row.region)
    first_row.source_id = first_row.source_id or second_row.source_id
    first_row.syndicated_from = first_row.syndicated_from or second_row.syndicated_from
    _move_credits(second_row, first_row)
    _move_photos(second_row, first_row)
    second_row.delete()
    order.remove(second_row)

    renumbered = _renumber(order, user)
    _save(
        first_row,
        ["body", "region", "source", "syndicated_from", "position"],
        user,
        _("Joined with “%(headline)s” in the page workbench") % {"headline": second_row.headline},
    )
    _save_renumbered(renumbered - {first_row})
    return first_row


@transaction.atomic
def split(*, article: Article, paragraph_index: int, user) -> Article:
    """Make the paragraphs (and crossheads) of `article` from `paragraph_index` on a new draft
    right after it, and return the new one.

    The first of them becomes its headline when it reads as one (a crosshead, or a short line
    that ends no sentence); otherwise it gets STAND_IN_HEADLINE, for the editor to replace. Its
    region is left for the editor to draw; credits and photos stay where they were.
    """
    page, order = _lock_page_of(article)
    row = _changeable(article, order, user)
    blocks = parse_body(row.body)
    if not 1 <= paragraph_index < len(blocks):
        raise Refused(
            _(
                "“%(headline)s” cannot be split there: choose one of its paragraphs 2 to "
                "%(count)d, so that both parts keep some text."
            )
            % {"headline": row.headline, "count": len(blocks)}
        )
    kept, moved = blocks[:paragraph_index], blocks[paragraph_index:]
    headline = _headline_from(moved[0])
    if headline != STAND_IN_HEADLINE:
        moved = moved[1:]
    new = Article(
        page=page,
        publication_id=row.publication_id,
        headline=headline,
        body=format_body(moved),
        status=Status.DRAFT,
        created_by_id=row.created_by_id,
        # An import's replacement takes away what it created, and this came from it.
        page_import_id=row.page_import_id,
    )
    order.insert(order.index(row) + 1, new)
    row.body = format_body(kept)

    renumbered = _renumber(order, user)
    _save(
        row,
        ["body", "position"],
        user,
        _("Split in the page workbench; the rest became “%(headline)s”") % {"headline": headline},
    )
    new.save()
    record(
        [new],
        user=user,
        comment=_("Split from “%(headline)s” in the page workbench") % {"headline": row.headline},
    )
    _save_renumbered(renumbered - {row, new})
    return new


@transaction.atomic
def move_paragraphs(
    *,
    source: Article,
    target: Article,
    indexes: Sequence[int],
    user,
    at: int | None = None,
) -> Article:
    """Move the paragraphs (and crossheads) of `source` at `indexes` to `target`, in their
    order: to its end, or before its paragraph `at` (0 for its beginning)."""
    _page, order = _lock_page_of(source)
    if source.pk == target.pk:
        raise Refused(_("Choose another article to move the paragraphs to."))
    source_row = _changeable(source, order, user)
    target_row = _changeable(target, order, user)
    blocks = parse_body(source_row.body)
    chosen = sorted(set(indexes))
    if not chosen:
        raise Refused(_("Tick the paragraphs to move first."))
    if chosen[0] < 0 or chosen[-1] >= len(blocks):
        raise Refused(
            _("“%(headline)s” has no paragraph %(number)d.")
            % {
                "headline": source_row.headline,
                "number": (chosen[0] if chosen[0] < 0 else chosen[-1]) + 1,
            }
        )
    if len(chosen) == len(blocks):
        raise Refused(
            _("Moving every paragraph would leave “%(headline)s” empty: join the two instead.")
            % {"headline": source_row.headline}
        )
    receiving = parse_body(target_row.body)
    at = len(receiving) if at is None else at
    if not 0 <= at <= len(receiving):
        raise Refused(
            _("“%(headline)s” has no paragraph %(number)d.")
            % {"headline": target_row.headline, "number": at + 1}
        )
    receiving[at:at] = [blocks[index] for index in chosen]
    source_row.body = format_body([b for index, b in enumerate(blocks) if index not in chosen])
    target_row.body = format_body(receiving)
    _save(
        source_row,
        ["body"],
        user,
        _("Paragraphs moved to “%(headline)s” in the page workbench")
        % {"headline": target_row.headline},
    )
    _save(
        target_row,
        ["body"],
        user,
        _("Paragraphs moved from “%(headline)s” in the page workbench")
        % {"headline": source_row.headline},
    )
    return target_row


@transaction.atomic
def set_region(*, article: Article, points: list | None, user) -> Article:
    """Give `article` the region `points` (scan pixels), or none when empty."""
    _page, order = _lock_page_of(article)
    row = _changeable(article, order, user)
    row.region = points or None
    validate_region(row.region)
    row.clean()  # on the page's scan, within its size
    _save(row, ["region"], user, _("Region redrawn in the page workbench"))
    return row


@transaction.atomic
def confirm(*, page: Page, user, seen: Sequence[Article] | None = None) -> list[Article]:
    """Send every draft on `page` to first review (待初审), all or none.

    `seen` are the drafts as the editor saw them: if the page's drafts are not those, at
    those versions, nothing is sent. Refused, listing each, while a draft has a stand-in
    headline, an empty body, no region on a page with a scan, or is not the user's to send.
    """
    page, order = _lock(page.pk)
    drafts = [article for article in order if article.status == Status.DRAFT]
    if not drafts:
        raise Refused(_("%(page)s has no drafts to confirm.") % {"page": page})
    if seen is not None:
        shown = {article.pk: article.version for article in seen}
        # Changed or new drafts, and those shown as drafts that are drafts no more.
        changed = [row for row in order if (row in drafts) != (row.pk in shown)]
        changed += [row for row in drafts if row.pk in shown and shown[row.pk] != row.version]
        if changed or not shown.keys() <= {row.pk for row in order}:
            raise Refused(
                _(
                    "The page's drafts changed after you opened the workbench (%(changed)s); "
                    "nothing was sent to review. Reload and check them again."
                )
                % {
                    "changed": "、".join(f"“{row.headline}”" for row in changed)
                    or _("one was deleted")
                }
            )
    blocked = []
    for article in drafts:
        found = problems(article, page)
        if not any(move.name == "submit" for move in available_transitions(user, article)):
            found.append(_("you may not send it to review"))
        if found:
            blocked.append(
                _("“%(headline)s”: %(problems)s")
                % {"headline": article.headline, "problems": "、".join(found)}
            )
    if blocked:
        raise Refused(
            _("Nothing was sent to first review. Put these right first: %(blocked)s.")
            % {"blocked": "；".join(blocked)}
        )
    return [article_transition(article=article, user=user, name="submit") for article in drafts]


# --- Helpers ---------------------------------------------------------------------------------


def _lock(page_pk: int) -> tuple[Page, list[Article]]:
    """The page and its articles in page order, locked until the transaction ends."""
    page = Page.objects.select_for_update(of=("self",)).select_related("issue").get(pk=page_pk)
    rows = list(Article.objects.select_for_update().filter(page=page).order_by("pk"))
    for row in rows:
        row.page = page  # Article.save reads the page's issue
    return page, sorted(rows, key=lambda row: (row.position, row.pk))


def _lock_page_of(article: Article) -> tuple[Page, list[Article]]:
    page_pk = Article.objects.filter(pk=article.pk).values_list("page", flat=True).first()
    if page_pk is None:
        raise Refused(_("This article is no longer on a page; reload the workbench."))
    return _lock(page_pk)


def _changeable(seen: Article, order: list[Article], user) -> Article:
    """The locked row of `seen`, if it is a draft on this page, unchanged since it was seen,
    that `user` may edit."""
    row = next((row for row in order if row.pk == seen.pk), None)
    if row is None:
        raise Refused(_("Both articles must stand on the same page; reload the workbench."))
    if row.version != seen.version:
        raise Refused(_stale_message(row))
    if row.status != Status.DRAFT:
        raise Refused(
            _("“%(headline)s” is %(status)s: the workbench changes drafts only.")
            % {"headline": row.headline, "status": row.get_status_display()}
        )
    if not can_edit(user, row):
        raise PermissionDenied(_("You may not change “%(headline)s”.") % {"headline": row.headline})
    return row


def _stale_message(row: Article) -> str:
    latest = Version.objects.get_for_object(row).select_related("revision__user").first()
    who = latest.revision.user if latest and latest.revision.user else _("Someone")
    return _(
        "%(who)s changed “%(headline)s” after you opened the workbench, so nothing was "
        "changed. Reload the workbench and try again."
    ) % {"who": who, "headline": row.headline}


def _save(row: Article, fields: list[str], user, comment: str) -> None:
    # The row is locked: whoever opened it before this save now holds an older version.
    row.version += 1
    row.save(update_fields=[*fields, "version", "updated_at"])
    record([row], user=user, comment=comment)


def _renumber(order: list[Article], user) -> set[Article]:
    """Number the page's articles from 1 in `order`; return the existing ones renumbered.

    The workbench's drafts close up; another article the user may edit keeps its number
    unless it must move down to make room; one they may not edit keeps its number, and a
    change that would need it moved is refused.
    """
    renumbered = set()
    previous, moved_last = 0, False
    for row in order:
        if may_change(user, row):
            number = previous + 1
        elif can_edit(user, row):
            number = max(previous + 1, row.position)
        else:
            if row.position < previous or (row.position == previous and moved_last):
                raise Refused(
                    _(
                        "There is no number left before “%(headline)s” (number %(number)d), "
                        "which you may not change; ask its editor to renumber it first."
                    )
                    % {"headline": row.headline, "number": row.position}
                )
            previous, moved_last = row.position, False
            continue
        if number != row.position:
            row.position = number
            if row.pk is not None:
                renumbered.add(row)
        previous, moved_last = number, True
    return renumbered


def _save_renumbered(rows: set[Article]) -> None:
    """The new numbers of the articles a change moved but did not otherwise touch, in one
    update. Their versions move (a form opened before would put the old number back); the
    change itself is in the history of the articles it was made to."""
    if not rows:
        return
    Article.objects.filter(pk__in=[row.pk for row in rows]).update(
        position=Case(*(When(pk=row.pk, then=Value(row.position)) for row in rows)),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    # Readers see the order of the published ones (bulk updates send no signals).
    articles_changed(row.pk for row in rows if row.status == Status.PUBLISHED)


def _as_continuation(article: Article) -> list[tuple[str, str]]:
    """An article's text as it reads inside another: titles as crossheads, dateline first."""
    heads = [article.kicker, "" if is_stand_in(article.headline) else article.headline]
    blocks = [(CROSSHEAD, head.strip()) for head in [*heads, article.subheadline] if head.strip()]
    body = parse_body(article.body)
    dateline = article.dateline.strip()
    if dateline:
        first = next((i for i, (kind, _text) in enumerate(body) if kind == PARAGRAPH), None)
        if first is None:
            body.insert(0, (PARAGRAPH, dateline))
        else:
            body[first] = (PARAGRAPH, f"{dateline} {body[first][1]}")
    return blocks + body


def _headline_from(block: tuple[str, str]) -> str:
    kind, text = block
    limit = Article._meta.get_field("headline").max_length
    if len(text) <= limit and (
        kind == CROSSHEAD or (len(text) <= SHORT_LINE and text[-1] not in SENTENCE_END)
    ):
        return text
    return STAND_IN_HEADLINE


def _joined_region(page: Page, first: list | None, second: list | None) -> list | None:
    if not first or not second:
        return first or second
    return outline_polygons([first, second], gap=GUTTER_SHARE * (page.scan_width or 0))


def _move_credits(source: Article, target: Article) -> None:
    """`source`'s credits onto `target`, after its own; one already there is not doubled."""
    there = set(target.bylines.values_list("contributor_id", "role"))
    last = target.bylines.aggregate(last=Max("order"))["last"]
    offset = 0 if last is None else last + 1
    for byline in source.bylines.order_by("order", "pk"):
        if (byline.contributor_id, byline.role) in there:
            continue  # deleted with `source`
        there.add((byline.contributor_id, byline.role))
        Byline.objects.filter(pk=byline.pk).update(
            article=target, order=offset + byline.order, version=F("version") + 1
        )


def _move_photos(source: Article, target: Article) -> None:
    """`source`'s photos after `target`'s own; their versions move, as a photo's form would."""
    last = target.photos.aggregate(last=Max("position"))["last"] or 0
    Photo.objects.filter(article=source).update(
        article=target, position=F("position") + last, version=F("version") + 1
    )
