"""Queue the deep-zoom tiles of every page scan that has none (after upgrading, a restore, or
a task that failed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import F
from django.utils.translation import gettext as _

from articles.models import Page
from articles.tasks import make_page_tiles


class Command(BaseCommand):
    help = "Make the deep-zoom tiles of every page scan that has none yet."

    def handle(self, *args, **options):
        pages = Page.objects.exclude(scan="").exclude(tiled_scan=F("scan")).order_by("pk")
        count = 0
        for pk in pages.values_list("pk", flat=True).iterator():
            make_page_tiles.enqueue(pk)
            count += 1
        self.stdout.write(
            self.style.SUCCESS(_("Tiles queued for %(count)d pages.") % {"count": count})
        )
