"""Turn one newspaper page's OCR text into credited articles and photos (see FORMAT.md).

Plain Python with no Django import, so it can be used, tested and timed on its own:

    from articles.pageparser import decode_page, parse_page
    page = parse_page(decode_page(path.read_bytes()))
    page.as_dict()  # the JSON document
"""

from .decoding import MAX_PAGE_BYTES, decode_page
from .document import ROLES, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .errors import NoArticleError, PageDecodeError, PageParseError
from .lines import LabelledLine, Line, Role, split_lines
from .parser import parse_page

__all__ = [
    "MAX_PAGE_BYTES",
    "ROLES",
    "Credit",
    "LabelledLine",
    "Line",
    "NoArticleError",
    "PageDecodeError",
    "PageParseError",
    "ParsedArticle",
    "ParsedPage",
    "ParsedPhoto",
    "Role",
    "decode_page",
    "parse_page",
    "split_lines",
]
