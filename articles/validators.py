"""Validators that keep bad uploads and unusable codes out before anything is saved."""

from __future__ import annotations

import datetime

import pypdfium2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .pdfsafety import PdfProblem, pdf_problems

# Words the site's own URLs use at the top level; a publication code must not shadow them.
RESERVED_CODES = {
    "admin",
    "archive",
    "articles",
    "contributors",
    "feeds",
    "i18n",
    "media",
    "photos",
    "search",
    "static",
    "tiles",
}


# The dates a filter may ask for: any paper's archive fits, and a day's start and end in any
# time zone stay within what Python and both databases can hold (9999-12-31 plus one day, or
# 0001-01-01 in UTC, overflow).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2200, 12, 31)


def storable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it in text) and no lone surrogate (not UTF-8 at all)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


UNSTORABLE = _("The text contains a character that cannot be stored (NUL or a broken character).")


def validate_storable_text(value) -> None:
    if isinstance(value, str) and not storable(value):
        raise ValidationError(UNSTORABLE, code="unstorable")


def validate_date_in_range(value: datetime.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def validate_publication_code(value: str) -> None:
    if value.lower() in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” is used by the site itself; choose another code."),
            code="reserved",
            params={"code": value},
        )


def validate_image_upload(file) -> None:
    """Refuse anything that is not a whole, reasonably sized JPEG, PNG or WebP image.

    Only a new upload is checked: a file already stored passed this check when it arrived.
    """
    if getattr(file, "_committed", False):
        return
    if file.size > settings.NEWSROOM_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB."),
            code="too_large",
            params={"limit": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    limit = settings.NEWSROOM_MAX_IMAGE_PIXELS
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            if width * height > limit:
                raise ValidationError(
                    _("The image is %(width)d×%(height)d pixels, over %(limit)d megapixels."),
                    code="too_many_pixels",
                    params={"width": width, "height": height, "limit": limit // 1_000_000},
                )
            if image.format not in {"JPEG", "PNG", "WEBP"}:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="invalid_format")
            # Decoding every pixel is what finds a truncated or corrupt file.
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not an image, or is too large to open safely."), code="invalid_image"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The image is damaged or incomplete; please upload it again."),
            code="damaged_image",
        ) from None
    finally:
        file.seek(0)


MAX_REGION_POINTS = 64


def validate_region(value) -> None:
    """A region is a polygon: 3 to 64 [x, y] points of whole, non-negative scan pixels."""
    if value is None:
        return
    if not isinstance(value, list) or not 3 <= len(value) <= MAX_REGION_POINTS:
        raise ValidationError(
            _("A region needs between 3 and %(max)d points."),
            code="region_points",
            params={"max": MAX_REGION_POINTS},
        )
    for point in value:
        if not (
            isinstance(point, list)
            and len(point) == 2
            and all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in point)
        ):
            raise ValidationError(
                _("Each point of a region is a pair of whole, non-negative pixel numbers."),
                code="region_point",
            )


# Why a page PDF is refused, for each problem articles/pdfsafety.py can find in one.
PDF_PROBLEM_MESSAGES = {
    PdfProblem.UNREADABLE: _("The PDF is damaged; please export it again."),
    PdfProblem.ENCRYPTED: _(
        "The PDF is encrypted or protected by a password; export it again without protection."
    ),
    PdfProblem.JAVASCRIPT: _("The PDF contains JavaScript; export it again without scripts."),
    PdfProblem.LAUNCH: _(
        "The PDF has actions that open programs or other files; export it again without them."
    ),
    PdfProblem.EMBEDDED_FILE: _(
        "The PDF carries embedded files; export it again without attachments."
    ),
    PdfProblem.FORM: _("The PDF contains a form (AcroForm or XFA); export it again flattened."),
}


def validate_pdf_upload(file) -> None:
    """Refuse anything but a readable PDF of one or more pages, within the size limit, that
    is nothing but pages: no scripts, actions, embedded files, forms or encryption."""
    if getattr(file, "_committed", False):
        return
    if file.size > settings.NEWSROOM_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB."),
            code="too_large",
            params={"limit": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Upload the page as a PDF file."), code="not_pdf")
    problems = pdf_problems(data)
    if problems:
        raise ValidationError(
            [
                ValidationError(PDF_PROBLEM_MESSAGES[problem], code=f"pdf_{problem.value}")
                for problem in problems
            ]
        )
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise ValidationError(
            _("The PDF is damaged or protected; please export it again."), code="damaged_pdf"
        ) from None
    try:
        if len(document) == 0:
            raise ValidationError(_("The PDF has no pages."), code="empty_pdf")
    finally:
        document.close()


def validate_sensible_date(value: datetime.date | datetime.datetime) -> None:
    """What an editor types, as a filter asks for: a date, or a time's date as typed (in its
    own time zone), from EARLIEST_DATE to LATEST_DATE."""
    validate_date_in_range(value.date() if isinstance(value, datetime.datetime) else value)
