"""Background work on django-tasks: workers (`manage.py db_worker`) run these in production;
the quick start and the tests run them at once (settings.TASKS)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from . import caching, pdfpages, tiles

logger = logging.getLogger(__name__)

# Failures worth trying again: the database busy or restarting, the media storage unreachable.
TRANSIENT = (DatabaseError, OSError)


def try_again(retry, attempt: int, *args) -> bool:
    """Queue the task's next attempt after a back-off (10 s, then 40 s, so a restarting
    database or storage has time to come back); False when this was the last attempt."""
    if attempt >= settings.NEWSROOM_TASK_ATTEMPTS:
        return False
    if task_backends[retry.backend].supports_defer:
        delay = datetime.timedelta(seconds=10 * 4 ** (attempt - 1))
        retry = retry.using(run_after=timezone.now() + delay)
    retry.enqueue(*args, attempt + 1)
    return True


@task()
def read_page_upload(page_upload_id: int, attempt: int = 1) -> None:
    """Read one uploaded page PDF into its page's scan, drafts and regions (pdfpages)."""
    try:
        pdfpages.read_upload(page_upload_id)
    except TRANSIENT as error:
        logger.warning("page upload %s, attempt %s: %s", page_upload_id, attempt, error)
        if attempt < settings.NEWSROOM_TASK_ATTEMPTS:
            pdfpages.requeue(page_upload_id)
        if not try_again(read_page_upload, attempt, page_upload_id):
            pdfpages.fail(
                page_upload_id,
                _("The page could not be read after %(count)d attempts: %(error)s")
                % {"count": attempt, "error": error},
            )


@task()
def index_credited(contributor_id: int) -> None:
    """Index again what credits a renamed contributor (search/signals.py)."""
    from .models import Contributor
    from .search.signals import index_contributor

    index_contributor(contributor_id)
    # What searches found under the old name is kept under the topics the rename moved when
    # it was committed, before this ran: found again now, under the new index.
    if Contributor.objects.visible().filter(pk=contributor_id).exists():
        caching.topics_changed([caching.ARTICLES, caching.PHOTOS])


@task()
def make_page_tiles(page_id: int, attempt: int = 1) -> None:
    """Cut a page scan's deep-zoom tiles (tiles.py), once per scan.

    Tried again, as a page upload is, when the database or the media storage fails on the
    way; after the last attempt the page keeps its plain scan (the viewer needs the tiles
    whole), and `manage.py make_page_tiles` makes whatever tiles are missing.
    """
    try:
        tiles.make_page_tiles(page_id)
    except TRANSIENT as error:
        logger.warning("tiles of page %s, attempt %s: %s", page_id, attempt, error)
        if not try_again(make_page_tiles, attempt, page_id):
            logger.error(
                "tiles of page %s not made after %s attempts; run manage.py make_page_tiles",
                page_id,
                attempt,
            )
