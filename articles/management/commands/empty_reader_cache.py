"""Empty every reader page, e.g. after a restore or an edit made straight in the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.caching import content_changed


class Command(BaseCommand):
    help = "Empty the readers' cache: every page is rendered anew on its next visit."

    def handle(self, *args, **options):
        # Changes that sent no signals (a restore, SQL by hand) are unknown to the cache.
        content_changed()
        self.stdout.write(self.style.SUCCESS(_("The readers' cache is empty.")))
