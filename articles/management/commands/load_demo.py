from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.demo import PUBLICATION, load_demo


class Command(BaseCommand):
    help = "Create demo issues of a fictional paper with generated images; safe to run again."

    def handle(self, *args, **options):
        result = load_demo()
        if result.issues_created:
            message = _(
                "Demo loaded: %(issues)d issues, %(articles)d articles, %(photos)d photos."
            ) % {
                "issues": result.issues_created,
                "articles": result.articles,
                "photos": result.photos,
            }
        else:
            message = _("The demo of %(name)s is already loaded; nothing changed.") % {
                "name": PUBLICATION["name"]
            }
        self.stdout.write(self.style.SUCCESS(message))
