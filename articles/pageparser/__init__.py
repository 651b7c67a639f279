"""Turn one newspaper page's OCR text into credited articles and photos (see FORMAT.md).

Plain Python with no Django import, so it can be used, tested and timed on its own:

    from articles.pageparser import decode_page, parse_page
    page = parse_page(decode_page(path.read_bytes()))
    page.as_dict()  # the JSON document

parse_page is split_lines (lines.py), label_lines (decoder.py: the role of every line) and
assemble (assembly.py: the document from the roles); PDF pages and editors' corrections go
through the same label_lines and assemble.
"""

from .assembly import assemble
from .decoder import label_lines
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
    "assemble",
    "decode_page",
    "label_lines",
    "parse_page",
    "split_lines",
]
