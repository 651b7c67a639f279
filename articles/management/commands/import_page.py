"""Import newspaper pages from OCR text: one file, several files or a folder of .txt files."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from articles.importing import (
    PageAlreadyImported,
    PageImportError,
    check_page,
    import_page,
)
from articles.management.arguments import issue_date, publication_by_code
from articles.models import Article, Byline, Page, Photo, Publication
from articles.pageparser import MAX_PAGE_BYTES, PageParseError, ParsedPage, decode_page, parse_page
from articles.pageparser.jsondoc import MAX_DOCUMENT_BYTES, read_document
from articles.pageparser.pdf import MAX_PDF_BYTES, PdfPage, read_pdf_page
from articles.planner import analyze


class Command(BaseCommand):
    help = (
        "Read pages of OCR text and store them as draft articles, photos and credits. "
        "With --dry-run, print the parsed JSON document instead and store nothing. "
        "A folder, or several files, are imported in sorted order as pages N, N+1, …; "
        "--from-json stores a document printed by --dry-run, corrected by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="FILE_OR_FOLDER")
        parser.add_argument(
            "--from-json",
            metavar="FILE",
            help="store this JSON document (FORMAT.md, as --dry-run prints it) instead of text",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the JSON document; store nothing"
        )
        parser.add_argument("--publication", metavar="CODE", help="the publication's code")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="the issue's date")
        parser.add_argument("--page", metavar="N", help="the (first) page's number")
        parser.add_argument("--page-name", default="", help="the page's name, e.g. 要闻")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace what an earlier import stored on the page (if none of it is published)",
        )

    def handle(self, *args, **options):
        if options["from_json"]:
            if options["paths"]:
                raise CommandError(_("Give either page files or --from-json, not both."))
            self._from_json(Path(options["from_json"]), options)
            return
        if not options["paths"]:
            raise CommandError(_("Give the page files to read, or --from-json FILE."))
        files = self._files(options["paths"])
        if options["dry_run"]:
            self._dry_run(files, single=len(files) == 1 and Path(options["paths"][0]).is_file())
            return
        publication = self._publication(options["publication"])
        date = self._date(options["date"])
        first_page = self._page_number(options["page"])
        self._check_page(first_page, options["page_name"])
        if len(options["paths"]) == 1 and files[0] == Path(options["paths"][0]):
            self._import_one(files[0], publication, date, first_page, options)
        else:
            self._import_many(files, publication, date, first_page, options)

    # Arguments.

    def _files(self, paths: list[str]) -> list[Path]:
        """The .txt files to read, in sorted order within each folder; only paths are kept."""
        files: list[Path] = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                try:
                    found = sorted(
                        child
                        for child in path.iterdir()
                        if child.suffix.lower() == ".txt" and child.is_file()
                    )
                except OSError as error:
                    raise CommandError(
                        _("%(path)s: cannot read the folder (%(error)s).")
                        % {"path": path, "error": error.strerror}
                    ) from error
                if not found:
                    raise CommandError(
                        _("%(path)s: no .txt files in this folder.") % {"path": path}
                    )
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(_("%(path)s: no such file or folder.") % {"path": path})
        return files

    def _publication(self, code: str | None) -> Publication:
        if not code:
            raise CommandError(_("Give --publication CODE (or --dry-run to only read the text)."))
        return publication_by_code(code)

    def _date(self, value: str | None) -> datetime.date:
        if not value:
            raise CommandError(_("Give --date YYYY-MM-DD, the issue's date."))
        return issue_date(value)

    def _page_number(self, value: str | None) -> int:
        if not value:
            raise CommandError(_("Give --page N, the page's number."))
        # isdigit() alone is true of ² and ①, which int() refuses.
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= Page.MAX_NUMBER:
            raise CommandError(
                _("“%(value)s” is not a page number (1 to %(largest)d).")
                % {"value": value, "largest": Page.MAX_NUMBER}
            )
        return int(value)

    def _check_page(self, number: int, name: str) -> None:
        """The service's own check, before any file is read."""
        try:
            check_page(number, name)
        except PageImportError as error:
            raise CommandError(str(error)) from None

    # Work.

    def _read(self, path: Path, limit: int, reader):
        """`reader` applied to the file's bytes; any failure is a CommandError naming the file.

        One byte over `limit` is read, enough for the reader to refuse the file without
        reading it all.
        """
        try:
            with path.open("rb") as file:
                data = file.read(limit + 1)
        except OSError as error:
            raise CommandError(
                _("%(path)s: cannot read the file (%(error)s).")
                % {"path": path, "error": error.strerror}
            ) from error
        try:
            return reader(data)
        except PageParseError as error:
            raise CommandError(f"{path}: {error}") from error

    def _parse(self, path: Path) -> ParsedPage:
        return self._read(path, MAX_PAGE_BYTES, lambda data: parse_page(decode_page(data)))

    def _read_pdf(self, path: Path) -> PdfPage:
        """A page PDF read into articles and photos with their boxes (FORMAT-PDF.md)."""
        page = self._read(path, MAX_PDF_BYTES, read_pdf_page)
        for warning in page.warnings:
            self.stderr.write(f"{path}: {warning}")
        return page

    def _document(self, path: Path) -> dict:
        if path.suffix.lower() == ".pdf":
            return self._read_pdf(path).as_dict()
        return self._parse(path).as_dict()

    def _dry_run(self, files: list[Path], *, single: bool) -> None:
        if single:
            document = self._document(files[0])
        else:
            document = {str(path): self._document(path) for path in files}
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _from_json(self, path: Path, options) -> None:
        """Store a corrected document: it is checked against FORMAT.md before anything else."""
        parsed = self._read(path, MAX_DOCUMENT_BYTES, read_document)
        if options["dry_run"]:
            self.stdout.write(json.dumps(parsed.as_dict(), ensure_ascii=False, indent=2))
            return
        publication = self._publication(options["publication"])
        date = self._date(options["date"])
        number = self._page_number(options["page"])
        self._check_page(number, options["page_name"])
        self._store(path, parsed, publication, date, number, options)

    def _import_one(self, path, publication, date, number, options) -> None:
        self._store(path, self._parse(path), publication, date, number, options)

    def _store(self, path, parsed, publication, date, number, options) -> None:
        try:
            result = import_page(
                parsed=parsed,
                publication=publication,
                date=date,
                page_number=number,
                page_name=options["page_name"],
                replace=options["replace"],
            )
        except PageImportError as error:
            raise CommandError(f"{path}: {error}") from error
        message = _(
            "Imported %(page)s: %(articles)d articles, %(photos)d photos, %(credits)d page credits."
        ) % {
            "page": result.page,
            "articles": len(result.articles),
            "photos": len(result.photos),
            "credits": len(result.credits),
        }
        if result.replaced:
            message += " " + _("The page's earlier import was replaced.")
        self.stdout.write(self.style.SUCCESS(message))

    def _import_many(self, files, publication, date, first, options) -> None:
        pages = articles = photos = skipped = failed = 0
        # The raw stream: OutputWrapper would add a newline to each redraw of the bar.
        stream = self.stderr._out
        with tqdm(total=len(files), unit=_("page"), file=stream, dynamic_ncols=True) as bar:
            for offset, path in enumerate(files):
                try:
                    result = import_page(
                        parsed=self._parse(path),
                        publication=publication,
                        date=date,
                        page_number=first + offset,
                        page_name=options["page_name"],
                        replace=options["replace"],
                    )
                except PageAlreadyImported as error:
                    skipped += 1
                    bar.write(f"{path}: {error}", file=stream)
                except (CommandError, PageImportError) as error:
                    failed += 1
                    bar.write(f"{path}: {error}", file=stream)
                else:
                    pages += 1
                    articles += len(result.articles)
                    photos += len(result.photos)
                bar.update()
        if pages:
            # A folder is a bulk load: the planner needs to know of its rows at once.
            analyze(Article, Byline, Photo, Page)
        summary = _(
            "%(pages)d pages imported: %(articles)d articles, %(photos)d photos; "
            "%(skipped)d skipped (already imported), %(failed)d failed."
        ) % {
            "pages": pages,
            "articles": articles,
            "photos": photos,
            "skipped": skipped,
            "failed": failed,
        }
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
