"""Bytes to text: the encodings OCR tools and e-paper sites actually produce, nothing else."""

from __future__ import annotations

import codecs
import re

from .errors import PageDecodeError

MAX_PAGE_BYTES = 10 * 1024 * 1024

# Control characters other than white space, and the private-use area where GB18030 puts
# byte pairs no real text uses: a file made mostly of these is binary that happened to decode.
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_MAX_JUNK_SHARE = 0.1


def decode_page(data: bytes) -> str:
    """Read one page's bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    Raises PageDecodeError for binary data, an empty or blank file, or one over MAX_PAGE_BYTES.
    """
    if len(data) > MAX_PAGE_BYTES:
        raise PageDecodeError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; a page of text may be at most "
            f"{MAX_PAGE_BYTES // 1024 // 1024} MB."
        )
    if not data:
        raise PageDecodeError("The file is empty.")
    if not data.strip():
        raise PageDecodeError("The file holds only white space.")
    text = _decode(data)
    if "\x00" in text:
        raise PageDecodeError("The file is binary data, not text.")
    if not text.strip():
        raise PageDecodeError("The file holds only white space.")
    junk = sum(1 for _ in _JUNK.finditer(text))
    if junk > len(text) * _MAX_JUNK_SHARE:
        raise PageDecodeError("The file is binary data, not text.")
    return text


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", "UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # The "utf-16" codec reads the BOM to pick the byte order and drops it.
        return _strict(data, "utf-16", "UTF-16")
    if b"\x00" in data:
        # Without a BOM, NUL bytes mean binary data (UTF-16 without a BOM is not supported).
        raise PageDecodeError("The file is binary data, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise PageDecodeError(
            "The file is neither UTF-8, UTF-16 nor GB18030 text; it may be binary data."
        ) from None


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise PageDecodeError(
            f"The file starts with a {label} byte order mark but is not valid {label} text."
        ) from None
