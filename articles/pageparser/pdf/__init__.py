"""Reading a newspaper page PDF into the page document (../shared/pdf/FORMAT-PDF.md).

Plain Python with no Django import, like the text parser beside it:

    from articles.pageparser.pdf import read_pdf_page
    page = read_pdf_page(path.read_bytes())
    page.as_dict()  # the JSON document, with page_size and boxes
"""

from .extract import MAX_PDF_BYTES, NoTextLayerError, PdfReadError
from .reader import PdfArticle, PdfPage, PdfPhoto, read_pdf_page

__all__ = [
    "MAX_PDF_BYTES",
    "NoTextLayerError",
    "PdfArticle",
    "PdfPage",
    "PdfPhoto",
    "PdfReadError",
    "read_pdf_page",
]
