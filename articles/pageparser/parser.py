"""One page of text to articles, photos and credits (see FORMAT.md for the result).

The text is split into lines (lines.py), every line is given the role that makes the most
likely page as a whole (decoder.py), and the document is assembled from those roles
(assembly.py). PDF pages go through the same decoder and assembly with their lines' geometry.
"""

from __future__ import annotations

from .assembly import assemble
from .credits import PHOTOGRAPHER
from .decoder import label_lines
from .document import ParsedPage
from .errors import NoArticleError
from .lines import split_lines

NO_ARTICLE = (
    "No article was found in this text: an article needs a headline on a line of its "
    "own followed by its paragraphs (a page of pictures alone needs each caption's "
    "photographer)."
)


def readable(page: ParsedPage) -> bool:
    """Whether what was read is a page: one with an article, or a page of pictures alone
    (图片新闻), each credited to its photographer. The credit is what sets a caption apart
    from a stray line of text, which alone also reads as one."""
    if page.articles:
        return True
    return bool(page.photos) and all(
        any(credit.role == PHOTOGRAPHER for credit in photo.bylines) for photo in page.photos
    )


def parse_page(text: str) -> ParsedPage:
    """Read one page's text. Raises NoArticleError when it holds neither an article nor
    credited pictures (`readable`)."""
    page = assemble(label_lines(split_lines(text)))
    if not readable(page):
        raise NoArticleError(NO_ARTICLE)
    return page
