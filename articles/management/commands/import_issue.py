"""Import an issue's page PDFs from a folder or a zip, each page numbered by its file's name."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles import pdfpages
from articles.management.arguments import issue_date, publication_by_code
from articles.models import Article, Byline, Page, PageUpload, Photo
from articles.planner import analyze


class Command(BaseCommand):
    help = (
        "Read an issue's page PDFs (a folder or a zip; pages numbered by their file names: "
        "01.pdf, A01.pdf, 第1版.pdf, 01-要闻.pdf) into scans, draft articles, photos and "
        "regions. Each bad file is refused with its reason; the other pages are imported. "
        "With NEWSROOM_TASKS=database the pages are queued for `manage.py db_worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FOLDER_OR_ZIP")
        parser.add_argument("--publication", metavar="CODE", required=True)
        parser.add_argument("--date", metavar="YYYY-MM-DD", required=True)

    def handle(self, *args, source, publication, date, **options):
        publication = publication_by_code(publication)
        date = issue_date(date)
        files = self._files(Path(source))
        upload = pdfpages.receive_issue(publication=publication, date=date, files=files, user=None)
        pages = list(upload.pages.order_by("number", "file_name"))
        done = failed = waiting = 0
        for page in pages:
            if page.state == PageUpload.State.DONE:
                done += 1
                self.stdout.write(
                    _("%(file)s: page %(number)d, %(articles)d articles, %(photos)d photos.")
                    % {
                        "file": page.file_name,
                        "number": page.number,
                        "articles": page.articles,
                        "photos": page.photos,
                    }
                )
            elif page.state == PageUpload.State.FAILED:
                failed += 1
                self.stderr.write(f"{page.file_name}: {page.error}")
            else:
                waiting += 1
            for warning in page.warnings.splitlines():
                self.stderr.write(f"{page.file_name}: {warning}")
        if done:
            # An issue is a bulk load: the planner needs to know of its rows at once.
            analyze(Article, Byline, Photo, Page)
        summary = _(
            "%(date)s: %(done)d pages imported, %(failed)d refused, %(waiting)d queued for the "
            "workers."
        ) % {"date": date.isoformat(), "done": done, "failed": failed, "waiting": waiting}
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _files(self, source: Path) -> list[tuple[str, Path]]:
        """(name, path) of each file: the zip itself, or each file of the folder, each opened
        only when its turn comes. A link leading out of the folder is refused by name, never
        read."""
        if source.is_file():
            if source.suffix.lower() not in (".zip", ".pdf"):
                raise CommandError(
                    _("%(path)s: give a folder of page PDFs or a zip of them.") % {"path": source}
                )
            paths = [source]
        elif source.is_dir():
            paths = sorted(child for child in source.iterdir() if not child.name.startswith("."))
            if not paths:
                raise CommandError(_("%(path)s: the folder is empty.") % {"path": source})
        else:
            raise CommandError(_("%(path)s: no such file or folder.") % {"path": source})
        folder = source.resolve().parent if source.is_file() else source.resolve()
        files: list[tuple[str, Path]] = []
        for path in paths:
            if not path.resolve().is_relative_to(folder) or not path.is_file():
                self.stderr.write(
                    _("%(path)s: not a file in the folder; left out.") % {"path": path}
                )
                continue
            files.append((path.name, path))
        if not files:
            raise CommandError(_("%(path)s: no page PDFs to read.") % {"path": source})
        return files
