"""An issue's page PDFs, from the layout system to draft articles with their regions.

`receive_issue` takes the files (loose PDFs or a zip), refuses each bad one with its own
message and queues a task per page (articles/tasks.py); `read_upload` is that task's work:
the page's scan rendered from its PDF, its text read (articles/pageparser/pdf), and its
articles and photos stored as drafts through the same service as the text import, each
article's region outlined from its boxes in the scan's pixels.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath
from typing import BinaryIO

import pypdfium2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from . import workflow
from .importing import PageImportError, Replacement, import_page
from .models import Article, IssueUpload, Page, PageUpload, Photo, Publication, Status
from .pageparser import ParsedPage
from .pageparser.pdf import NoTextLayerError, PdfPage, PdfReadError, read_pdf_page
from .pdfsafety import PdfProblem, pdf_problems
from .regions import GUTTER_SHARE, outline_rects
from .services import record
from .validators import PDF_PROBLEM_MESSAGES

# A zip is read entry by entry, each at most one page PDF's size, the whole at most this many
# entries; an entry that claims to shrink more than ZIP_MAX_RATIO times is a bomb, not a page.
ZIP_MAX_ENTRIES = 200
ZIP_MAX_BYTES = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
READ_CHUNK = 1024 * 1024

_PAGE_FILE = re.compile(
    r"^(?:第\s*)?(?P<section>[A-Za-z]{0,2})\s*0*(?P<number>\d{1,3})\s*版?"
    r"(?:\s*[-_—·.．、\s]\s*(?P<name>.+))?$"
)


class Refused(Exception):
    """A file that cannot be read as it came; the message says why, to the editor."""


@dataclass
class Incoming:
    """A file as it came: its name, how to read it when its turn comes, and, while it is
    checked and stored, its bytes (one file's at a time, never the whole issue's)."""

    name: str
    read: Callable[[], bytes] | None = None
    data: bytes | None = None
    number: int | None = None
    page_name: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    def load(self) -> None:
        if self.error or self.read is None:
            return
        try:
            self.data = self.read()
        except Refused as refused:
            self.error = str(refused)


# An uploaded file as its caller has it: bytes, a binary file object (Django's UploadedFile,
# on disk above FILE_UPLOAD_MAX_MEMORY_SIZE) or a path, opened only when its turn comes.
Source = bytes | BinaryIO | os.PathLike


def page_of(file_name: str) -> tuple[int | None, str]:
    """The page number and name a file's name gives: 01.pdf, A01.pdf, 第1版.pdf, 01-要闻.pdf."""
    stem = PurePosixPath(file_name).stem.strip()
    match = _PAGE_FILE.match(stem)
    if not match or int(match["number"]) < 1:
        return None, ""
    return int(match["number"]), (match["name"] or "").strip()[:50]


def error_message(error: PdfReadError, number: int | None = None) -> str:
    """What an editor reads when a page PDF cannot be read, in their language."""
    messages = {
        "too_large": _("The file is larger than %(limit)d MB.")
        % {"limit": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)},
        "not_pdf": _("This file is not a PDF."),
        "encrypted": PDF_PROBLEM_MESSAGES[PdfProblem.ENCRYPTED],
        "no_pages": _("The PDF has no pages."),
        "page_size": _("The PDF's page size is not a newspaper page's."),
        "too_many_chars": _("The PDF page holds too many characters to be a newspaper page."),
        "damaged": _("The PDF is damaged; please export it again."),
    }
    if error.code == "no_text":
        if number:
            return _("The PDF of page %(number)d has no readable text layer.") % {"number": number}
        return _("The PDF has no readable text layer.")
    return messages.get(error.code, messages["damaged"])


# Receiving.


@contextmanager
def opened(source: Source) -> Iterator[BinaryIO]:
    """The source as a file to read from its start; a path is closed again afterwards."""
    if isinstance(source, bytes | bytearray):
        yield io.BytesIO(source)
    elif isinstance(source, os.PathLike):
        with open(source, "rb") as file:
            yield file
    else:
        source.seek(0)
        yield source


def read_at_most(file: BinaryIO, limit: int) -> bytes:
    """The file's bytes, at most one over the limit (enough to refuse it). Read in chunks:
    `file.read(limit + 1)` would allocate the whole limit up front, and a zip member's read
    grows its result by copying."""
    buffer = io.BytesIO()
    while (left := limit + 1 - buffer.tell()) > 0 and (chunk := file.read(min(left, READ_CHUNK))):
        buffer.write(chunk)
    return buffer.getvalue()  # the buffer's own bytes, not a copy


def _reader(file: BinaryIO) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return read_at_most(file, settings.NEWSROOM_MAX_UPLOAD_BYTES)
        except OSError as error:
            raise Refused(_unreadable(error)) from error

    return read


def _member_reader(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
        try:
            with archive.open(entry) as member:
                content = read_at_most(member, limit)  # the declared size may lie
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
            raise Refused(_("This file is damaged in the zip.")) from error
        if len(content) > limit:
            raise Refused(_too_large_in_zip())
        return content

    return read


def unpack(name: str, file: BinaryIO) -> Iterator[Incoming]:
    """A loose file as it is; a zip as the page PDFs inside it, each refused on its own when
    it climbs out of the folder, is not a PDF, or would unpack to more than a page may be.

    Only names are read here: each file is read when it is loaded, so that taking the items
    one by one holds one file at a time (a zip's directory is read from its file object)."""
    if not name.lower().endswith(".zip"):
        yield Incoming(name=PurePosixPath(name.replace("\\", "/")).name, read=_reader(file))
        return
    try:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    except OSError as error:
        yield Incoming(name=name, error=_unreadable(error))
        return
    if size > ZIP_MAX_BYTES:
        yield Incoming(
            name=name,
            error=_("The zip is larger than %(limit)d MB; upload the issue in parts.")
            % {"limit": ZIP_MAX_BYTES // (1024 * 1024)},
        )
        return
    try:
        archive = zipfile.ZipFile(file)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Incoming(name=name, error=_("This zip file is damaged and cannot be opened."))
        return
    with archive:
        limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
        files = [entry for entry in entries if not entry.is_dir()]
        if len(files) > ZIP_MAX_ENTRIES:
            yield Incoming(
                name=name,
                error=_("The zip holds %(count)d files; an issue has at most %(max)d pages.")
                % {"count": len(files), "max": ZIP_MAX_ENTRIES},
            )
            return
        found = False
        for entry in files:
            path = PurePosixPath(entry.filename.replace("\\", "/"))
            shown = entry.filename
            if path.name.startswith(".") or "__MACOSX" in path.parts:
                continue  # Finder's and Explorer's own files, not the editor's
            found = True
            climbs = path.is_absolute() or ".." in path.parts
            if climbs or re.match(r"^[A-Za-z]:", entry.filename):
                yield Incoming(
                    name=shown, error=_("The file's name leads out of the zip's folder.")
                )
            elif path.suffix.lower() != ".pdf":
                yield Incoming(name=shown, error=_("Only page PDFs can be uploaded."))
            elif entry.flag_bits & 0x1:
                yield Incoming(name=shown, error=_("The file is encrypted in the zip."))
            elif entry.file_size > limit or entry.file_size > ZIP_MAX_RATIO * max(
                entry.compress_size, 1
            ):
                yield Incoming(name=shown, error=_too_large_in_zip())
            else:
                yield Incoming(name=path.name, read=_member_reader(archive, entry))
        if not found:
            yield Incoming(name=name, error=_("The zip holds no page PDFs."))


def _unreadable(error: OSError) -> str:
    return _("The file cannot be read (%(error)s).") % {"error": error.strerror or error}


def _too_large_in_zip() -> str:
    return _("The file unpacks to more than %(limit)d MB; it is not a page PDF.") % {
        "limit": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def check(incoming: Incoming) -> None:
    """Give the file its page number, or its error: named as no page, too large, not a PDF,
    unsafe (scripts, embedded files, encryption). Several pages in one file are accepted
    with a warning: the first is the page, the rest are left out."""
    if incoming.error:
        return
    incoming.number, incoming.page_name = page_of(incoming.name)
    data = incoming.data or b""
    if not incoming.name.lower().endswith(".pdf"):
        incoming.error = _("Only page PDFs can be uploaded.")
    elif incoming.number is None:
        incoming.error = _(
            "The file's name does not give its page number; name it like 01.pdf, A01.pdf or "
            "01-News.pdf."
        )
    elif len(data) > settings.NEWSROOM_MAX_UPLOAD_BYTES:
        incoming.error = _("The file is larger than %(limit)d MB.") % {
            "limit": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)
        }
    elif not data.startswith(b"%PDF-"):
        incoming.error = _("This file is not a PDF.")
    else:
        problems = pdf_problems(data)
        if problems:
            incoming.error = " ".join(str(PDF_PROBLEM_MESSAGES[problem]) for problem in problems)
            return
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            incoming.error = _("The PDF is damaged; please export it again.")
            return
        try:
            pages = len(document)
        finally:
            document.close()
        if pages == 0:
            incoming.error = _("The PDF has no pages.")
        elif pages > 1:
            incoming.warnings.append(
                _("The PDF has %(count)d pages; only the first was read as the page.")
                % {"count": pages}
            )
    if incoming.error:
        incoming.data = None


def refuse_duplicates(files: list[Incoming], taken: Iterable[int] = ()) -> None:
    """Two files for one page: neither is the page until the editor says which."""
    counts = Counter(f.number for f in files if not f.error)
    counts.update(taken)
    for incoming in files:
        if not incoming.error and counts[incoming.number] > 1:
            others = [f.name for f in files if f.number == incoming.number and f is not incoming]
            incoming.error = _(
                "Two files are page %(number)d (%(names)s); upload the right one again alone."
            ) % {"number": incoming.number, "names": "、".join([incoming.name, *others])}
            incoming.data = None


@transaction.atomic
def receive_issue(
    *, publication: Publication, date: datetime.date, files: Iterable[tuple[str, Source]], user
) -> IssueUpload:
    """Record an upload of an issue's pages and queue a task to read each good file.

    Every file gets a row: a refused one with its reason and nothing stored from it, a good
    one with its PDF kept until a worker reads it. The tasks are queued once this commits.
    Each file is read, checked and stored before the next is read: an issue of forty large
    pages never sits in memory at once.
    """
    from .tasks import read_page_upload  # tasks import this module

    upload = IssueUpload.objects.create(publication=publication, date=date, created_by=user)
    received: list[tuple[Incoming, PageUpload]] = []
    for name, source in files:
        with ExitStack() as stack:
            items: Iterable[Incoming]
            try:
                file = stack.enter_context(opened(source))
            except OSError as error:
                shown = PurePosixPath(name.replace("\\", "/")).name
                items = [Incoming(name=shown, error=_unreadable(error))]
            else:
                items = unpack(name, file)
            for item in items:
                received.append((item, _kept(upload, item)))
    # Whether two files are one page is known only once both are checked: a refused file is
    # no page. The copies of both are removed, as if never stored.
    refuse_duplicates([item for item, _page in received])
    queued = []
    for item, page in received:
        page.number, page.name = item.number, item.page_name
        page.warnings = "\n".join(item.warnings)
        if item.error:
            if page.file:
                page.file.delete(save=False)
            page.state = PageUpload.State.FAILED
            page.error = item.error
        page.save()
        if not item.error:
            queued.append(page.pk)
    for pk in queued:
        transaction.on_commit(lambda pk=pk: read_page_upload.enqueue(pk))
    return upload


def _kept(upload: IssueUpload, item: Incoming) -> PageUpload:
    """The file's row, not yet saved: a good PDF stored in it, then let go of."""
    page = PageUpload(upload=upload, file_name=item.name[:255])
    item.load()
    check(item)
    if not item.error:
        page.file.save(item.name, ContentFile(item.data), save=False)
    item.data = None
    return page


# Reading.


class UploadRefused(PageImportError):
    """The page cannot take this upload (its issue is out, or readers see what it would
    replace); the message says why."""


def start_reading(pk: int) -> PageUpload | None:
    """Mark the upload as being read, in a transaction of its own so the progress shows it;
    None if it is gone or already done."""
    with transaction.atomic():
        upload = (
            PageUpload.objects.select_for_update()
            .select_related("upload__publication")
            .filter(pk=pk)
            .first()
        )
        if upload is None or upload.state == PageUpload.State.DONE:
            return None
        upload.state = PageUpload.State.READING
        upload.attempts += 1
        upload.error = ""
        upload.save(update_fields=["state", "attempts", "error", "updated_at"])
        return upload


def fail(pk: int, message: str) -> None:
    PageUpload.objects.filter(pk=pk).update(state=PageUpload.State.FAILED, error=message)


def requeue(pk: int) -> None:
    PageUpload.objects.filter(pk=pk).update(state=PageUpload.State.QUEUED)


def read_again(uploads) -> int:
    """Queue the failed or stuck page uploads among `uploads` to be read again (a worker that
    died mid-page leaves it “reading”); how many were queued."""
    from .tasks import read_page_upload

    pks = list(
        uploads.exclude(state=PageUpload.State.DONE).exclude(file="").values_list("pk", flat=True)
    )
    PageUpload.objects.filter(pk__in=pks).update(state=PageUpload.State.QUEUED, error="")
    for pk in pks:
        transaction.on_commit(lambda pk=pk: read_page_upload.enqueue(pk))
    return len(pks)


def read_upload(pk: int) -> PageUpload | None:
    """Read one uploaded page PDF and store it: the task's work. A page the PDF reader
    refuses is failed with the reason; a page without a text layer keeps its scan."""
    upload = start_reading(pk)
    if upload is None:
        return None
    with upload.file.open("rb") as file:
        data = file.read()
    warnings = [line for line in upload.warnings.splitlines() if line]
    try:
        parsed = read_pdf_page(data)
    except NoTextLayerError as error:
        parsed = None
        warnings.append(error_message(error, upload.number))
    except PdfReadError as error:
        fail(pk, error_message(error, upload.number))
        return None
    try:
        store(upload, data, parsed, warnings)
    except (PageImportError, ValidationError) as error:
        message = error.messages if isinstance(error, ValidationError) else [str(error)]
        fail(pk, " ".join(message))
        return None
    upload.refresh_from_db()
    return upload


@transaction.atomic
def store(
    upload: PageUpload, data: bytes, parsed: PdfPage | None, warnings: list[str]
) -> PageUpload:
    """The page's PDF and scan, and its articles and photos as drafts with their regions.

    What an earlier upload of the page created is replaced (PageImport), if none of it is
    published; the page of an issue readers can see is refused whole.
    """
    issue_upload = upload.upload
    existing = (
        Page.objects.select_related("issue")
        .filter(
            issue__publication=issue_upload.publication,
            issue__date=issue_upload.date,
            number=upload.number,
        )
        .first()
    )
    if existing is not None and existing.issue.status == Status.PUBLISHED:
        raise UploadRefused(
            _("%(page)s is in a published issue; unpublish the issue before uploading it again.")
            % {"page": existing}
        )
    user = issue_upload.created_by
    if existing is not None and user is not None and not workflow.can_edit_page(user, existing):
        raise UploadRefused(
            _("You may not change %(page)s; ask the chief to give it to you.") % {"page": existing}
        )
    document = parsed.document if parsed else ParsedPage(credits=[], articles=[], photos=[])
    name = upload.name or (parsed.page_name if parsed else "")
    result = import_page(
        parsed=document,
        publication=issue_upload.publication,
        date=issue_upload.date,
        page_number=upload.number,
        page_name=name,
        replace=True,
        user=user,
        may_remove=None if user is None else partial(_removal_refusal, user),
        first_versions=False,
    )
    page = result.page
    if result.page_created and user is not None and not workflow.is_chief(user):
        page.editors.add(user)  # whoever makes a page edits it, as in the page form
    # A new PDF, uncommitted: Page.save renders it into the page's scan and renditions.
    page.pdf = ContentFile(data, name=f"{upload.number:02d}.pdf")
    page.save()
    if parsed is not None:
        _regions(page, parsed, result.articles)
        _pictures(page, data, parsed, result.photos)
    # Each article's and photo's history starts as read: text, region and picture.
    record(
        [*result.articles, *result.photos],
        user=user,
        comment=format_lazy(
            gettext_lazy("Read from the PDF of page {number}"), number=upload.number
        ),
    )
    upload.page = page
    upload.page_import = result.articles[0].page_import if result.articles else None
    upload.articles = len(result.articles)
    upload.photos = len(result.photos)
    upload.state = PageUpload.State.DONE
    upload.warnings = "\n".join(warnings)
    # The PDF now lives on the page; the upload's copy has served.
    upload.file.delete(save=False)
    upload.save()
    return upload


def _removal_refusal(user, removing: Replacement) -> str:
    """Replacing deletes what the earlier upload made: only someone who may delete each of
    those rows may (an editor, who may not delete articles, asks the chief)."""
    needed = [
        (removing.articles, "articles.delete_article", _("articles")),
        (removing.photos, "articles.delete_photo", _("photos")),
        (removing.credits, "articles.delete_byline", _("page credits")),
    ]
    refused = [
        str(name) for rows, permission, name in needed if rows and not user.has_perm(permission)
    ]
    if not refused:
        return ""
    return _(
        "Uploading again would delete %(what)s from the page's earlier upload, which you may "
        "not delete; ask the chief editor."
    ) % {"what": "、".join(refused)}


def _regions(page: Page, parsed: PdfPage, articles) -> None:
    """Each article's boxes, in PDF points, as one polygon in the scan's pixels."""
    if not page.scan_width:
        return
    scale = page.scan_width / parsed.page_size[0]
    gap = GUTTER_SHARE * page.scan_width
    changed = []
    for article, read in zip(articles, parsed.document.articles, strict=True):
        points = outline_rects(getattr(read, "boxes", []), scale=scale, gap=gap)
        if points:
            article.region = [
                [min(x, page.scan_width), min(y, page.scan_height)] for x, y in points
            ]
            changed.append(article)
    if changed:
        Article.objects.bulk_update(changed, ["region"])


def _pictures(page: Page, data: bytes, parsed: PdfPage, photos: list[Photo]) -> None:
    """Each photo's picture: the embedded image at its own resolution when it can be taken
    out, else the page rendered and cropped to the picture's box."""
    if not photos:
        return
    document = pypdfium2.PdfDocument(data)
    try:
        pdf_page = document[0]
        embedded = list(
            pdf_page.get_objects(filter=(pypdfium2.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=5)
        )
        rendered = None
        for photo, read in zip(photos, parsed.document.photos, strict=True):
            picture = _embedded(embedded, read.image_index)
            if picture is None and read.image_box is not None:
                if rendered is None:
                    rendered = pdf_page.render(scale=200 / 72).to_pil()
                picture = _crop(rendered, read.image_box, parsed.page_size)
            if picture is None:
                continue
            buffer = io.BytesIO()
            picture.convert("RGB").save(buffer, "JPEG", quality=90)
            # Uncommitted, so that Photo.save checks it and makes its renditions.
            photo.image = ContentFile(
                buffer.getvalue(), name=f"page{page.number:02d}-{photo.position}.jpg"
            )
            photo.save()
    finally:
        document.close()


def _embedded(objects, index: int | None) -> Image.Image | None:
    if index is None or not 0 <= index < len(objects):
        return None
    try:
        image = objects[index].get_bitmap(render=False).to_pil()
    except (pypdfium2.PdfiumError, ValueError, OSError):
        return None
    # A picture cut to a sliver or a mask is not the photo; the page's own rendering is.
    return image if min(image.size) >= 16 else None


def _crop(rendered: Image.Image, box, page_size) -> Image.Image | None:
    scale = rendered.width / page_size[0]
    x0, top, x1, bottom = (round(value * scale) for value in box)
    x0, top = max(0, x0), max(0, top)
    x1, bottom = min(rendered.width, x1), min(rendered.height, bottom)
    if x1 - x0 < 16 or bottom - top < 16:
        return None
    return rendered.crop((x0, top, x1, bottom))
