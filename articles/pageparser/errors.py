"""Why a page could not be read; the messages are shown to editors as they are."""


class PageParseError(ValueError):
    """A page's bytes or text cannot be turned into articles."""


class PageDecodeError(PageParseError):
    """The file is not a page of text: binary, empty, too large or in an unknown encoding."""


class NoArticleError(PageParseError):
    """The text was read but holds nothing that looks like an article."""
