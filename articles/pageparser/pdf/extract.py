"""What a page PDF holds, read with PDFium: characters, rules and pictures, in page points.

Coordinates are turned to FORMAT-PDF.md's: origin at the top-left corner, y growing down.
Nothing here trusts the order in which the file writes its objects.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import PageParseError

# A page PDF from a layout system is a few MB at most; anything far larger is something else.
MAX_PDF_BYTES = 60 * 1024 * 1024
# More characters than any newspaper page holds: a bound on the work one file can cause.
MAX_CHARS = 60_000
# Larger than any printed sheet (A0 is 2384 x 3370 pt): a bound on the page's geometry.
MAX_PAGE_POINTS = 5000.0

# Font names that say bold, as layout systems name their fonts (…-Bold, 黑体, 方正…-B…).
_BOLD_NAME = re.compile(
    r"bold|black|heavy|semibold|demi|hei(?!ti-?light)|\bB\d{2}|-B\b|粗|黑", re.IGNORECASE
)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd]")
# FPDF_TEXTRENDERMODE: fill-and-stroke and stroke are the layout systems' “faux bold”.
_STROKED_MODES = frozenset((1, 2, 5, 6))


class PdfReadError(PageParseError):
    """A PDF page that cannot be read into articles; the message is shown to editors."""


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    baseline: float
    size: float
    bold: bool


@dataclass(slots=True)
class Rule:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.bottom - self.top


@dataclass(slots=True)
class Picture:
    x0: float
    top: float
    x1: float
    bottom: float
    index: int  # the image object's position among the page's image objects


@dataclass(slots=True)
class RawPage:
    width: float
    height: float
    page_count: int
    chars: list[Char]
    rules: list[Rule]
    pictures: list[Picture]


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The document, or a PdfReadError saying plainly why it cannot be read."""
    if len(data) > MAX_PDF_BYTES:
        raise PdfReadError(
            f"The PDF is too large ({len(data) // (1024 * 1024)} MB; "
            f"at most {MAX_PDF_BYTES // (1024 * 1024)} MB)."
        )
    if b"%PDF-" not in data[:1024]:
        raise PdfReadError("This file is not a PDF.")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfReadError("The PDF is encrypted.") from error
        raise PdfReadError("The PDF is damaged and cannot be read.") from error
    # An owner password alone still opens; an encrypted page is refused all the same.
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1:
        document.close()
        raise PdfReadError("The PDF is encrypted.")
    if len(document) == 0:
        document.close()
        raise PdfReadError("The PDF has no pages.")
    return document


def read_raw_page(data: bytes, *, page_index: int = 0) -> RawPage:
    document = open_pdf(data)
    try:
        page_count = len(document)
        if not 0 <= page_index < page_count:
            raise PdfReadError(f"The PDF has no page {page_index + 1}.")
        page = document[page_index]
        try:
            width, height = page.get_size()
            if not (0 < width <= MAX_PAGE_POINTS and 0 < height <= MAX_PAGE_POINTS):
                raise PdfReadError("The PDF's page size is not a newspaper page's.")
            chars = _chars(page, height)
            rules, pictures = _graphics(page, height)
        finally:
            page.close()
    finally:
        document.close()
    return RawPage(width, height, page_count, chars, rules, pictures)


def _chars(page: pdfium.PdfPage, height: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        if count > MAX_CHARS:
            raise PdfReadError(f"The PDF page holds too many characters ({count}).")
        chars: list[Char] = []
        unreadable = 0
        rect = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        fonts: dict[bytes, bool] = {}
        for index in range(count):
            if pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
                continue
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            if code in (0, 0xFFFE, 0xFFFF) or pdfium_c.FPDFText_HasUnicodeMapError(textpage, index):
                unreadable += 1
                continue
            text = chr(code)
            if text.isspace() or unicodedata.category(text)[0] == "C":
                if _PRIVATE_USE.match(text):
                    unreadable += 1
                continue
            if _PRIVATE_USE.match(text):
                unreadable += 1
                continue
            pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, origin_x, origin_y)
            # The size as printed: the font's size scaled by the text and page matrices.
            pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            size = pdfium_c.FPDFText_GetFontSize(textpage, index) * scale
            pdfium_c.FPDFText_GetFontInfo(textpage, index, name, 128, flags)
            font = name.value
            bold = fonts.get(font)
            if bold is None:
                bold = _BOLD_NAME.search(font.decode("latin-1")) is not None
                fonts[font] = bold
            if not bold:
                bold = pdfium_c.FPDFText_GetFontWeight(textpage, index) >= 700
            if not bold:
                text_object = pdfium_c.FPDFText_GetTextObject(textpage, index)
                if text_object:
                    bold = pdfium_c.FPDFTextObj_GetTextRenderMode(text_object) in _STROKED_MODES
            # Kangxi radicals and compatibility ideographs fold to the ordinary characters.
            folded = unicodedata.normalize("NFKC", text) if code >= 0x2E80 else text
            chars.append(
                Char(
                    folded,
                    rect.left,
                    height - rect.top,
                    rect.right,
                    height - rect.bottom,
                    height - origin_y.value,
                    round(size, 2),
                    bold,
                )
            )
    finally:
        textpage.close()
    if not chars or unreadable > len(chars) * 0.2:
        raise PdfReadError("The PDF has no readable text layer.")
    return chars


def _graphics(page: pdfium.PdfPage, height: float) -> tuple[list[Rule], list[Picture]]:
    """Rules (thin lines and thin filled boxes) and pictures (image objects) on the page."""
    rules: list[Rule] = []
    pictures: list[Picture] = []
    image_index = 0
    for obj in page.get_objects(
        filter=(pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE), max_depth=4
    ):
        left, bottom, right, top = obj.get_bounds()
        box = (left, height - top, right, height - bottom)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            pictures.append(Picture(*box, index=image_index))
            image_index += 1
            continue
        width, tall = right - left, top - bottom
        # A rule is long and thin: a stroked line or a filled bar, at most 4 pt thick.
        if (width <= 4 and tall >= 20) or (tall <= 4 and width >= 20):
            rules.append(Rule(*box))
    return rules, pictures
