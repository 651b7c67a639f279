"""One page of text to articles, photos and credits (see FORMAT.md for the result).

The text is split into lines (lines.py), every line is given the role that makes the most
likely page as a whole (decoder.py), and the document is assembled from those roles
(assembly.py). PDF pages go through the same decoder and assembly with their lines' geometry.
"""

from __future__ import annotations

from .assembly import assemble
from .decoder import label_lines
from .document import ParsedPage
from .errors import NoArticleError
from .lines import split_lines

NO_ARTICLE = (
    "No article was found in this text: an article needs a headline on a line of its "
    "own followed by its paragraphs."
)


def parse_page(text: str) -> ParsedPage:
    """Read one page's text. Raises NoArticleError when no article can be found in it."""
    page = assemble(label_lines(split_lines(text)))
    if not page.articles:
        raise NoArticleError(NO_ARTICLE)
    return page
