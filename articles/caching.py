"""The readers' cache: whole pages for anonymous readers, emptied only where content changed.

Reader pages are the same for every anonymous reader (they carry no CSRF token or session),
so a rendered page is kept in the cache. Each reader URL names the *topics* it shows (an
article, a printed page, an issue, the article lists, a contributor...), and its cache key
holds the current generation of each of those topics. A change that readers can see moves on
the generations of the topics that show it, once its transaction commits; every page showing
one of them is then rendered anew, and every other keeps its cached copy. A change readers
cannot see (a draft, an article in review, a page of an issue not out) moves nothing.

Generations live in one place for every process of the site (the "generation" cache: Redis,
or else a folder), so a change made through one gunicorn worker empties the pages of all of
them. A generation that is missing (never set, or evicted) is created anew, never assumed, so
an eviction can only cost a cache miss, never serve an old page.

A scheduled publish time (an article or issue published for later) changes what readers see
with no save at all: the earliest one to come is kept under DUE_KEY, no page is cached past
it, and the first reader request after it moves every page on (the epoch).

Parts of pages that change rarely (navigation, page lists, the calendar, filter forms) are
cached apart under keys that name the topics they show (`{% fragment %}`), for
READER_FRAGMENT_SECONDS, so a page rendered anew renders only what changed.

Staff (anyone with a session) always bypass the cache.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.translation import get_language

# Every page holds the epoch: moving it on empties everything (a publication renamed, a
# scheduled publish time come, a restore).
EPOCH = "epoch"
# The earliest scheduled publish time still to come, as a POSIX timestamp (or NEVER).
DUE_KEY = "reader-pages:due"
NEVER = float("inf")
GENERATION_PREFIX = "reader-pages:topic:"

# Topics shared by many pages.
ARTICLES = "articles"  # article list, feeds, search, home (latest headlines)
PHOTOS = "photos"  # the photo gallery
ISSUES = "issues"  # which issues are out: archive, home
CONTRIBUTORS = "contributors"  # contributors' names: the article list's suggestions


def article_topic(pk) -> str:
    """An article page: the article, its photos, corrections and credits, its page neighbours."""
    return f"article:{pk}"


def page_topic(code: str, date, number) -> str:
    """An e-paper page: its scan, articles, photos and credits."""
    return f"page:{code}:{date}:{number}"


def issue_topic(code: str, date) -> str:
    """An issue's front: its pages with their headlines and thumbnails."""
    return f"issue:{code}:{date}"


def issue_pages_topic(code: str, date) -> str:
    """What every page of an issue shows of the issue: the page list and the issue itself."""
    return f"issue-pages:{code}:{date}"


def publication_topic(code: str) -> str:
    """A publication's issues: its latest, its calendar, previous and next issue links."""
    return f"publication:{code}"


def photo_topic(pk) -> str:
    """A photo's entry in the gallery: its picture, caption and credits."""
    return f"photo:{pk}"


def contributor_topic(pk) -> str:
    """A contributor's page and feeds: their credits and what those are on."""
    return f"contributor:{pk}"


# --- Reading: the key of a page --------------------------------------------------------------


def _generation_key(topic: str) -> str:
    return GENERATION_PREFIX + topic


def generations(topics: Iterable[str], request=None) -> dict[str, str]:
    """The current generation of each topic (and the epoch), read in one round trip.

    With a request, what was read is kept for the rest of it: a page and its fragments share
    topics (the epoch at least), and one request shows one state of the content anyway.
    """
    store = caches["generation"]
    memo = getattr(request, "_reader_generations", {}) if request is not None else {}
    wanted = {EPOCH, *topics}
    keys = {_generation_key(topic): topic for topic in wanted - memo.keys()}
    # The epoch is read with the next scheduled publish time, in the same round trip: once
    # that time has come, it moves on before anything is read under it (pages kept whole
    # check it in reader_page; fragments and shared values rely on this).
    found = store.get_many([*keys, DUE_KEY] if EPOCH not in memo else keys) if keys else {}
    due = found.pop(DUE_KEY, None)
    if EPOCH not in memo and due is None:
        due = schedule_next_due()
    if EPOCH not in memo and due <= timezone.now().timestamp():
        found[_generation_key(EPOCH)] = uuid.uuid4().hex
        store.set(_generation_key(EPOCH), found[_generation_key(EPOCH)], None)
        schedule_next_due()
    for key in keys.keys() - found.keys():
        # Another process may create it at the same time: whoever adds first wins.
        store.add(key, uuid.uuid4().hex, None)
        # Evicted again at once (a full store): a value no page was ever cached under.
        found[key] = store.get(key) or uuid.uuid4().hex
    memo |= {topic: found[key] for key, topic in keys.items()}
    if request is not None:
        request._reader_generations = memo
    return {topic: memo[topic] for topic in wanted}


def seconds_until_due() -> float:
    """Seconds until the next scheduled publish time; when one has come, move the epoch on."""
    store = caches["generation"]
    due = store.get(DUE_KEY)
    if due is None:
        due = schedule_next_due()
    now = timezone.now().timestamp()
    if due <= now:
        store.set(_generation_key(EPOCH), uuid.uuid4().hex, None)
        due = schedule_next_due()
    return due - now


def schedule_next_due() -> float:
    """Find the earliest publish time still to come and keep it for every process."""
    from .models import Article, Issue, Status

    now = timezone.now()
    times = [
        model.objects.filter(status=Status.PUBLISHED, published_at__gt=now).aggregate(
            due=Min("published_at")
        )["due"]
        for model in (Article, Issue)
    ]
    due = min((moment.timestamp() for moment in times if moment), default=NEVER)
    caches["generation"].set(DUE_KEY, due, None)
    return due


def version(topics: Iterable[str], request=None, vary: Iterable = ()) -> str:
    """What a cached thing is kept under: the values it varies on and the current generation
    of each topic it shows (and the epoch), so a change to any of them makes it miss."""
    return _digest(vary, generations(topics, request))


def _digest(vary: Iterable, current: dict[str, str]) -> str:
    return hashlib.sha256(
        "|".join(
            [*(str(value) for value in vary), *(f"{t}={current[t]}" for t in sorted(current))]
        ).encode()
    ).hexdigest()


def page_key(request, topics: Iterable[str]) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"reader-pages:{get_language()}:{path}:{version(topics, request)}"


def reader_page(view, topics: Callable[..., Iterable[str]]):
    """Serve a view's successful anonymous GET responses from the cache.

    `topics` takes the URL's keyword arguments and names what the page shows.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.READER_CACHE_SECONDS
        if (
            not seconds
            or request.method not in {"GET", "HEAD"}
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            if fragments_on(request):
                # The page's fragments are keyed by these generations, read before the view
                # reads the rows they show (see below).
                generations(topics(**kwargs), request)
            return view(request, *args, **kwargs)
        # Before the key's generations are read: a page is never kept past a scheduled time.
        seconds = min(seconds, seconds_until_due())
        # Read before the view reads the database: a change committed in between moves a
        # generation this key already holds, so the page stored under it is never read.
        key = page_key(request, topics(**kwargs))
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            response.status_code == 200
            and get_max_age(response) is None
            and not response.cookies
            and seconds >= 1
        ):
            cache.set(key, (response.content, response["Content-Type"]), int(seconds))
        return response

    return wrapped


def fragment_key(request, name: str, topics: Iterable[str], vary: Iterable) -> str:
    """The cache key of a page fragment: its name, language, what it varies on, and the
    generations of the topics it shows, so a change to any of them makes it miss."""
    return f"reader-fragments:{name}:{get_language()}:{version(topics, request, vary)}"


def shared_value(name: str, topics: Iterable[str], read: Callable[[], object], request=None):
    """A value read from the content that readers' pages share (the page names in use, the
    row a page is about), kept under the generations of the topics it depends on for
    READER_FRAGMENT_SECONDS. None is never kept: it is read again each time."""
    seconds = settings.READER_FRAGMENT_SECONDS
    if not seconds:
        return read()
    key = f"reader-values:{name}:{version(topics, request)}"
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, seconds)
    return value


def reader_row(request, name: str, topics: Iterable[str], read: Callable[[], object]):
    """The row an anonymous reader's page is about (the newest issue, a page, an article),
    kept as a shared value under the topics that move whenever readers could see it change:
    with the page's fragments fresh, the page then reads nothing. Staff read it each time."""
    if not fragments_on(request):
        return read()
    return shared_value(name, topics, read, request)


class Entries:
    """The cached renderings of the entries of a list (an article's line in the article list),
    each kept under the generations of its own topics, so a change to one article renders its
    entry anew and leaves the others cached. Two cache round trips for the whole list (the
    generations, then the entries) however long it is; `{% entry %}` reads and fills them.

    Made from the ids of the list's page before its rows are read: only the `missing` ones
    need reading (and their credits prefetching).
    """

    def __init__(
        self,
        request,
        name: str,
        ids: Iterable[int],
        topics: Callable[[int], Iterable[str]],
        vary: Iterable = (),
    ) -> None:
        self.ids = list(ids)
        self._keys: dict[int, str] = {}
        self._found: dict[str, str] = {}
        if not fragments_on(request) or not self.ids:
            return
        shown = {pk: [*topics(pk), EPOCH] for pk in self.ids}
        current = generations({topic for names in shown.values() for topic in names}, request)
        prefix = f"reader-entries:{name}:{get_language()}:"
        vary = list(vary)
        self._keys = {
            pk: prefix + _digest(vary, {topic: current[topic] for topic in names})
            for pk, names in shown.items()
        }
        self._found = cache.get_many(list(self._keys.values()))

    @property
    def missing(self) -> list[int]:
        return [pk for pk in self.ids if self.cached(pk) is None]

    def cached(self, item) -> str | None:
        """The kept rendering of an item (a row, or the id of one left unread), if any."""
        key = self._keys.get(getattr(item, "pk", item))
        return self._found.get(key) if key else None

    def keep(self, item, content: str) -> None:
        key = self._keys.get(getattr(item, "pk", item))
        if key:
            cache.set(key, content, settings.READER_FRAGMENT_SECONDS)
            self._found[key] = content


def filter_params(request, *ignored: str) -> QueryDict:
    """The query string's filters: its parameters but those that are not (`ignored`: the page
    number, a search's words)."""
    filters = request.GET.copy()
    for name in ignored:
        filters.pop(name, None)
    return filters


def filters_vary(request, *ignored: str) -> str:
    """What a cached filter form varies on: the query string but the parameters it does not
    show (the page number), so every page of a list shares one form."""
    return filter_params(request, *ignored).urlencode()


def fragments_on(request) -> bool:
    """Fragments are shared by anonymous readers only, as whole pages are."""
    return bool(settings.READER_FRAGMENT_SECONDS) and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


# --- Writing: what a change empties ----------------------------------------------------------


def topics_changed(topics: Iterable[str]) -> None:
    """Move the topics on once the current transaction commits (at once outside one)."""
    topics = set(topics)
    if not topics:
        return

    def bump() -> None:
        caches["generation"].set_many(
            {_generation_key(topic): uuid.uuid4().hex for topic in topics}, None
        )
        # The change may have set a publish time to come (or taken one back).
        schedule_next_due()

    transaction.on_commit(bump)


def content_changed(**kwargs) -> None:
    """Empty every reader page (e.g. after a restore or a change to a publication)."""
    topics_changed([EPOCH])


def footprint(
    *,
    articles: Iterable[int] = (),
    photos: Iterable[int] = (),
    pages: Iterable[int] = (),
    issues: Iterable[int] = (),
    contributors: Iterable[int] = (),
) -> set[str]:
    """The topics of every reader page that shows any of these things, as stored now.

    A few queries, whatever the numbers: the pages they are on (and the articles beside them
    there, whose previous and next links they are), and the contributors credited on them.
    """
    from .models import Article, Byline, Issue, Page, Photo

    articles, photos, pages = set(articles), set(photos), set(pages)
    issues, contributors = set(issues), set(contributors)
    topics = (
        {article_topic(pk) for pk in articles}
        | {photo_topic(pk) for pk in photos}
        | {contributor_topic(pk) for pk in contributors}
    )
    if articles or photos or pages or issues:
        topics |= {ARTICLES, PHOTOS}
    if not (articles or photos or pages or issues):
        return topics
    on_pages = Q(pk__in=pages) | Q(issue__in=issues)
    if articles:
        on_pages |= Q(articles__in=articles)
    if photos:
        on_pages |= Q(photos__in=photos) | Q(articles__photos__in=photos)
    page_rows = set(
        Page.objects.filter(on_pages).values_list(
            "pk", "number", "issue__date", "issue__publication__code"
        )
    )
    all_pages = {pk for pk, *_ in page_rows}
    for _pk, number, date, code in page_rows:
        topics |= {page_topic(code, date, number), issue_topic(code, date)}
    for date, code in Issue.objects.filter(pk__in=issues).values_list("date", "publication__code"):
        topics |= {issue_pages_topic(code, date), issue_topic(code, date), publication_topic(code)}
    # Every article on those pages: their previous and next links name their neighbours.
    topics |= {
        article_topic(pk)
        for pk in Article.objects.filter(Q(page__in=all_pages) | Q(photos__in=photos)).values_list(
            "pk", flat=True
        )
    }
    # Who is credited on them, whose pages list them. Articles beside a changed one keep
    # their text and credits, so their contributors are not moved.
    direct_pages = pages | set(Page.objects.filter(issue__in=issues).values_list("pk", flat=True))
    credited = (
        Q(article__in=articles)
        | Q(article__page__in=direct_pages)
        | Q(photo__in=photos)
        | Q(photo__article__in=articles)
        | Q(photo__article__page__in=direct_pages)
        | Q(photo__page__in=direct_pages)
        | Q(page__in=direct_pages)
    )
    topics |= {
        contributor_topic(pk)
        for pk in Byline.objects.filter(credited).values_list("contributor", flat=True).distinct()
    }
    topics |= {
        contributor_topic(pk)
        for pk in Article.objects.filter(Q(pk__in=articles) | Q(page__in=direct_pages))
        .exclude(source=None)
        .values_list("source", flat=True)
        .distinct()
    }
    if photos:
        topics |= {
            article_topic(pk)
            for pk in Photo.objects.filter(pk__in=photos)
            .exclude(article=None)
            .values_list("article", flat=True)
        }
    return topics


def articles_changed(pks: Iterable[int]) -> None:
    """Articles changed in bulk (queryset.update sends no signals): empty their pages."""
    pks = set(pks)
    if pks:
        topics_changed(footprint(articles=pks))


def page_filled(pk: int) -> None:
    """A page's contents were created in bulk: empty its pages if readers can see it."""
    if _any_published(pages=[pk]):
        topics_changed(footprint(pages=[pk]))


# --- Signals ---------------------------------------------------------------------------------
#
# pre_save notes what readers could see of the row before the save (one query); post_save
# decides from before and after whether readers can tell, and if so empties the pages that
# show it, before and after (an article moved to another page shows on both).


def _published(status) -> bool:
    from .models import Status

    return status == Status.PUBLISHED


def _before(sender, instance, fields: tuple[str, ...]) -> dict | None:
    if instance.pk is None:
        return None
    return sender.objects.filter(pk=instance.pk).values(*fields).first()


ARTICLE_FIELDS = ("status", "page_id", "page__issue__status", "source_id")
PHOTO_FIELDS = ("article_id", "page_id", "article__status", "page__issue__status")
PAGE_FIELDS = ("issue_id", "issue__status", "number", "name", "scan")
ISSUE_FIELDS = ("status", "date", "publication_id")
BYLINE_FIELDS = ("contributor_id", "article_id", "photo_id", "page_id")


def _note_before(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    fields = {
        "Article": ARTICLE_FIELDS,
        "Photo": PHOTO_FIELDS,
        "Page": PAGE_FIELDS,
        "Issue": ISSUE_FIELDS,
        "Byline": BYLINE_FIELDS,
    }[sender.__name__]
    instance._reader_before = _before(sender, instance, fields)


def _article_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_reader_before", None) or {}
    if not (_published(instance.status) or _published(before.get("status"))):
        return  # a draft, or an article in review: readers see nothing of it
    pages = {instance.page_id, before.get("page_id")} - {None}
    topics = footprint(articles=[instance.pk], pages=pages if len(pages) > 1 else ())
    if before.get("source_id"):
        topics.add(contributor_topic(before["source_id"]))
    topics_changed(topics)


def _photo_saved(sender, instance, raw=False, **kwargs) -> None:
    from .models import Photo, Status

    if raw:
        return
    before = getattr(instance, "_reader_before", None) or {}
    now = (
        Photo.objects.filter(pk=instance.pk)
        .values("article__status", "page__issue__status")
        .first()
        or {}
    )
    statuses = {
        before.get("article__status"),
        before.get("page__issue__status"),
        now.get("article__status"),
        now.get("page__issue__status"),
    }
    if Status.PUBLISHED not in statuses:
        return
    topics_changed(
        footprint(
            photos=[instance.pk],
            articles={before.get("article_id")} - {None},
            pages={before.get("page_id"), instance.page_id} - {None},
        )
    )


def _page_saved(sender, instance, raw=False, **kwargs) -> None:
    from .models import Issue

    if raw:
        return
    before = getattr(instance, "_reader_before", None) or {}
    issue_status = Issue.objects.filter(pk=instance.issue_id).values_list("status", flat=True)
    if not (_published(before.get("issue__status")) or _published(issue_status.first())):
        return  # a page of an issue not out yet
    if before and (before["number"], before["issue_id"]) != (instance.number, instance.issue_id):
        content_changed()  # its address moved: rare enough to empty everything
        return
    topics = footprint(pages=[instance.pk])
    if before.get("name") != instance.name or before.get("scan") != instance.scan.name:
        # Its label and thumbnail are in the page navigator beside every page of its issue.
        issue = Issue.objects.filter(pk=instance.issue_id)
        for date, code in issue.values_list("date", "publication__code"):
            topics.add(issue_pages_topic(code, date))
    topics_changed(topics)


def _issue_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_reader_before", None) or {}
    if not (_published(instance.status) or _published(before.get("status"))):
        return  # an issue still being put together
    if before and (before["date"], before["publication_id"]) != (
        instance.date,
        instance.publication_id,
    ):
        content_changed()  # its pages' addresses moved: rare enough to empty everything
        return
    topics_changed(footprint(issues=[instance.pk]) | {ISSUES})


def _byline_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_reader_before", None) or {}
    targets = {
        "articles": {instance.article_id, before.get("article_id")} - {None},
        "photos": {instance.photo_id, before.get("photo_id")} - {None},
        "pages": {instance.page_id, before.get("page_id")} - {None},
    }
    if not _any_published(**targets):
        return
    contributors = {instance.contributor_id, before.get("contributor_id")} - {None}
    topics_changed(footprint(contributors=contributors, **targets))


def _any_published(*, articles=(), photos=(), pages=()) -> bool:
    """Whether readers can see any of these (a published article, or one in a published issue)."""
    from .models import Article, Page, Photo, Status

    return (
        Article.objects.filter(pk__in=articles, status=Status.PUBLISHED).exists()
        or Photo.objects.filter(
            Q(article__status=Status.PUBLISHED) | Q(page__issue__status=Status.PUBLISHED),
            pk__in=photos,
        ).exists()
        or Page.objects.filter(pk__in=pages, issue__status=Status.PUBLISHED).exists()
    )


def _correction_saved(sender, instance, raw=False, **kwargs) -> None:
    from .models import Status

    if raw:
        return
    if instance.article.status == Status.PUBLISHED:
        topics_changed(footprint(articles=[instance.article_id]))


def _contributor_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    from .models import Article, Byline, Page, Status

    if raw or created:
        return  # nothing is credited to someone new yet
    published = Status.PUBLISHED
    credits = Byline.objects.filter(contributor=instance)
    articles = set(
        credits.filter(article__status=published).values_list("article", flat=True)
    ) | set(Article.objects.filter(source=instance, status=published).values_list("pk", flat=True))
    photos = set(
        credits.filter(
            Q(photo__article__status=published) | Q(photo__page__issue__status=published)
        ).values_list("photo", flat=True)
    )
    pages = Page.objects.filter(credits__contributor=instance, issue__status=published)
    topics = {contributor_topic(instance.pk), CONTRIBUTORS}
    if articles or photos:
        # Their name is on each of these and on the pages they are on.
        topics |= footprint(articles=articles, photos=photos)
    topics |= {
        page_topic(code, date, number)
        for code, date, number in pages.values_list(
            "issue__publication__code", "issue__date", "number"
        )
    }
    topics_changed(topics)


def _article_deleted(sender, instance, **kwargs) -> None:
    if _published(instance.status):
        content_changed()  # rare, and mostly refused: a withdrawn article is unpublished


def _issue_deleted(sender, instance, **kwargs) -> None:
    if _published(instance.status):
        content_changed()


def _page_deleted(sender, instance, **kwargs) -> None:
    from .models import Issue

    status = Issue.objects.filter(pk=instance.issue_id).values_list("status", flat=True).first()
    if _published(status):
        content_changed()


def _photo_deleted(sender, instance, **kwargs) -> None:
    articles = {instance.article_id} - {None}
    pages = {instance.page_id} - {None}
    if _any_published(articles=articles, pages=pages):
        topics_changed(footprint(articles=articles, pages=pages))


def _byline_deleted(sender, instance, **kwargs) -> None:
    targets = {
        "articles": {instance.article_id} - {None},
        "photos": {instance.photo_id} - {None},
        "pages": {instance.page_id} - {None},
    }
    if _any_published(**targets):
        topics_changed(footprint(contributors=[instance.contributor_id], **targets))


def _correction_deleted(sender, instance, **kwargs) -> None:
    if _any_published(articles=[instance.article_id]):
        topics_changed(footprint(articles=[instance.article_id]))


def connect_signals() -> None:
    from .models import Article, Byline, Contributor, Correction, Issue, Page, Photo, Publication

    for model in (Article, Photo, Page, Issue, Byline):
        pre_save.connect(_note_before, sender=model, dispatch_uid=f"reader-cache-pre-{model}")
    saved = {
        Article: _article_saved,
        Photo: _photo_saved,
        Page: _page_saved,
        Issue: _issue_saved,
        Byline: _byline_saved,
        Correction: _correction_saved,
        Contributor: _contributor_saved,
        Publication: content_changed,
    }
    for model, receiver in saved.items():
        post_save.connect(receiver, sender=model, dispatch_uid=f"reader-cache-{model}")
    # A contributor is deleted only with no credits left: no reader page shows them.
    deleted = {
        Article: _article_deleted,
        Photo: _photo_deleted,
        Page: _page_deleted,
        Issue: _issue_deleted,
        Byline: _byline_deleted,
        Correction: _correction_deleted,
        Publication: content_changed,
    }
    for model, receiver in deleted.items():
        post_delete.connect(receiver, sender=model, dispatch_uid=f"reader-cache-d-{model}")
