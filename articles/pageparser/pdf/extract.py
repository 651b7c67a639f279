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
    """A PDF page that cannot be read into articles; the message is shown to editors.

    `code` names the problem, so that the Django side can say it in the editor's language.
    """

    def __init__(self, message: str, *, code: str = "damaged") -> None:
        super().__init__(message)
        self.code = code


class NoTextLayerError(PdfReadError):
    """The page has no text to read (glyphs without Unicode, private use): a scan, no articles."""


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
            f"at most {MAX_PDF_BYTES // (1024 * 1024)} MB).",
            code="too_large",
        )
    if b"%PDF-" not in data[:1024]:
        raise PdfReadError("This file is not a PDF.", code="not_pdf")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfReadError("The PDF is encrypted.", code="encrypted") from error
        raise PdfReadError("The PDF is damaged and cannot be read.") from error
    # An owner password alone still opens; an encrypted page is refused all the same.
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1:
        document.close()
        raise PdfReadError("The PDF is encrypted.", code="encrypted")
    if len(document) == 0:
        document.close()
        raise PdfReadError("The PDF has no pages.", code="no_pages")
    return document


def read_raw_page(data: bytes, *, page_index: int = 0) -> RawPage:
    document = open_pdf(data)
    try:
        page_count = len(document)
        if not 0 <= page_index < page_count:
            raise PdfReadError(f"The PDF has no page {page_index + 1}.", code="no_pages")
        page = document[page_index]
        try:
            width, height = page.get_size()
            if not (0 < width <= MAX_PAGE_POINTS and 0 < height <= MAX_PAGE_POINTS):
                raise PdfReadError(
                    "The PDF's page size is not a newspaper page's.", code="page_size"
                )
            rules, pictures, stroked = _graphics(page, height)
            chars = _chars(page, height, stroked=stroked)
        finally:
            page.close()
    finally:
        document.close()
    return RawPage(width, height, page_count, chars, rules, pictures)


def _chars(page: pdfium.PdfPage, height: float, *, stroked: bool) -> list[Char]:
    textpage = page.get_textpage()
    try:
        chars, unreadable = _read_chars(textpage, height, stroked=stroked)
    finally:
        textpage.close()
    if not chars or unreadable > len(chars) * 0.2:
        raise NoTextLayerError("The PDF has no readable text layer.", code="no_text")
    return chars


def _read_chars(
    textpage: pdfium.PdfTextPage, height: float, *, stroked: bool
) -> tuple[list[Char], int]:
    """Every visible character; and how many could not be read (no Unicode, private use).

    The raw calls are bound to local names, their buffers made once, and what a font's name
    says about its weight is worked out once per font: a page has thousands of characters.
    Text drawn stroked (faux bold) is looked for only on pages that have some (`stroked`)."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count > MAX_CHARS:
        raise PdfReadError(
            f"The PDF page holds too many characters ({count}).", code="too_many_chars"
        )
    codes = (ctypes.c_ushort * (count + 1))()
    if pdfium_c.FPDFText_GetText(textpage, 0, count, codes) != count + 1:
        codes = [pdfium_c.FPDFText_GetUnicode(textpage, index) for index in range(count)]
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    font_size, char_matrix = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetMatrix
    font_info, font_weight = pdfium_c.FPDFText_GetFontInfo, pdfium_c.FPDFText_GetFontWeight
    text_object, render_mode = (
        pdfium_c.FPDFText_GetTextObject,
        pdfium_c.FPDFTextObj_GetTextRenderMode,
    )
    rect, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    bold_fonts: dict[bytes, bool] = {}
    chars: list[Char] = []
    unreadable = 0
    texts: dict[int, str] = {}
    for index in range(count):
        code = codes[index]
        text = texts.get(code)
        if text is None:
            text = texts[code] = _char_text(code)
        if not text:
            continue
        if text == _UNREADABLE:
            unreadable += 1
            continue
        loose_box(textpage, index, rect)
        # The size as printed: the font's size scaled by the text and page matrices, whose
        # translation is the character's origin on its baseline.
        char_matrix(textpage, index, matrix)
        size = font_size(textpage, index) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        font_info(textpage, index, name, 128, flags)
        bold = bold_fonts.get(name.value)
        if bold is None:
            bold = bold_fonts[name.value] = (
                _BOLD_NAME.search(name.value.decode("latin-1")) is not None
                or font_weight(textpage, index) >= 700
            )
        if stroked and not bold:
            obj = text_object(textpage, index)
            bold = bool(obj) and render_mode(obj) in _STROKED_MODES
        chars.append(
            Char(
                text,
                rect.left,
                height - rect.top,
                rect.right,
                height - rect.bottom,
                height - matrix.f,
                round(size, 2),
                bold,
            )
        )
    # Glyphs without a Unicode mapping: PDFium gives them a code all the same, so a sample
    # of the characters is asked whether their mapping failed.
    step = max(1, count // 200)
    failed = sum(
        pdfium_c.FPDFText_HasUnicodeMapError(textpage, index) == 1
        for index in range(0, count, step)
    )
    unreadable += failed * step
    return chars, unreadable


_UNREADABLE = "\ufffd"


def _char_text(code: int) -> str:
    """What a character code reads as: "" for what is not printed (spaces, line breaks,
    controls, half surrogates), _UNREADABLE for private use, else the character itself, with
    Kangxi radicals and compatibility ideographs folded to the ordinary characters."""
    if code <= 0x20 or 0xD800 <= code <= 0xDFFF:
        return ""
    text = chr(code)
    if _PRIVATE_USE.match(text):
        return _UNREADABLE
    if unicodedata.category(text)[0] in "CZ":
        return ""
    return unicodedata.normalize("NFKC", text) if code >= 0x2E80 else text


def _graphics(page: pdfium.PdfPage, height: float) -> tuple[list[Rule], list[Picture], bool]:
    """Rules (thin lines and thin filled boxes) and pictures (image objects) on the page,
    also inside form XObjects; and whether any text is drawn stroked (faux bold). Raw PDFium
    calls: a page has thousands of text objects."""
    rules: list[Rule] = []
    pictures: list[Picture] = []
    stroked = False
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()

    def visit(objects, count, get, transform, depth):
        nonlocal stroked
        for index in range(count):
            obj = get(objects, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                inner = _compose(
                    (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), transform
                )
                visit(
                    obj,
                    pdfium_c.FPDFFormObj_CountObjects(obj),
                    pdfium_c.FPDFFormObj_GetObject,
                    inner,
                    depth + 1,
                )
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if not stroked and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in _STROKED_MODES:
                    stroked = True
                continue
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE):
                continue
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            bounds = (left.value, bottom.value, right.value, top.value)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                # A picture cropped to its frame shows only what its clipping path lets through.
                bounds = _clipped(obj, bounds)
            x0, y0, x1, y1 = _apply(transform, *bounds)
            box = (x0, height - y1, x1, height - y0)
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                pictures.append(Picture(*box, index=len(pictures)))
            elif (x1 - x0 <= 4 and y1 - y0 >= 20) or (y1 - y0 <= 4 and x1 - x0 >= 20):
                # A rule is long and thin: a stroked line or a filled bar, at most 4 pt thick.
                rules.append(Rule(*box))
            elif _stroked_box(obj):
                # A frame drawn round an article: its four sides are rules.
                left_, top_, right_, bottom_ = box
                rules.extend(
                    (
                        Rule(left_, top_, right_, top_ + 1),
                        Rule(left_, bottom_ - 1, right_, bottom_),
                        Rule(left_, top_, left_ + 1, bottom_),
                        Rule(right_ - 1, top_, right_, bottom_),
                    )
                )

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    visit(
        page.raw, pdfium_c.FPDFPage_CountObjects(page.raw), pdfium_c.FPDFPage_GetObject, identity, 0
    )
    return rules, pictures, stroked


def _clipped(obj, bounds: tuple[float, float, float, float]):
    """The object's bounds cut to its clipping paths (their corner points' boxes), unless
    nothing would be left."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return bounds
    x0, y0, x1, y1 = bounds
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for index in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
            if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
        if xs:
            x0, y0 = max(x0, min(xs)), max(y0, min(ys))
            x1, y1 = min(x1, max(xs)), min(y1, max(ys))
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else bounds


def _stroked_box(obj) -> bool:
    """Is this path a stroked rectangle (a frame), unfilled?"""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value or fill.value:
        return False
    return 4 <= pdfium_c.FPDFPath_CountSegments(obj) <= 6


Matrix = tuple[float, float, float, float, float, float]


def _compose(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x0: float, y0: float, x1: float, y1: float):
    """The bounding box of a box's corners carried through a matrix."""
    if m == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        return x0, y0, x1, y1
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)
