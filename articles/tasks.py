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

from . import pdfpages, tiles

logger = logging.getLogger(__name__)

# Failures worth trying again: the database busy or restarting, the media storage unreachable.
TRANSIENT = (DatabaseError, OSError)


@task()
def read_page_upload(page_upload_id: int, attempt: int = 1) -> None:
    """Read one uploaded page PDF into its page's scan, drafts and regions (pdfpages)."""
    try:
        pdfpages.read_upload(page_upload_id)
    except TRANSIENT as error:
        logger.warning("page upload %s, attempt %s: %s", page_upload_id, attempt, error)
        if attempt < settings.NEWSROOM_TASK_ATTEMPTS:
            retry = read_page_upload
            if task_backends[retry.backend].supports_defer:
                # Back off: 10 s, then 40 s, so a restarting database has time to come back.
                delay = datetime.timedelta(seconds=10 * 4 ** (attempt - 1))
                retry = retry.using(run_after=timezone.now() + delay)
            pdfpages.requeue(page_upload_id)
            retry.enqueue(page_upload_id, attempt + 1)
        else:
            pdfpages.fail(
                page_upload_id,
                _("The page could not be read after %(count)d attempts: %(error)s")
                % {"count": attempt, "error": error},
            )


@task()
def index_credited(contributor_id: int) -> None:
    """Index again what credits a renamed contributor (search/signals.py)."""
    from .search.signals import index_contributor

    index_contributor(contributor_id)


@task()
def make_page_tiles(page_id: int) -> None:
    """Cut a page scan's deep-zoom tiles (tiles.py), once per scan.

    Not tried again on failure: the page keeps its plain scan, and `manage.py
    make_page_tiles` makes whatever tiles are missing.
    """
    tiles.make_page_tiles(page_id)
