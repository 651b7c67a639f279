"""Character classes and clean-up shared by the parser's passes."""

from __future__ import annotations

import re

# Han ideographs, including extension A and the compatibility block OCR sometimes emits.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")

# Full-width and half-width forms side by side: OCR and copy-paste mix them freely. The
# full-width ones are escapes so they cannot be mistaken for their ASCII twins when read.
OPEN = "(\uff08\\[\uff3b\u3010\u3014"  # ( （ [ ［ 【 〔, ready for a regex [class]
CLOSE = ")\uff09\\]\uff3d\u3011\u3015"
COLON = ":\uff1a"
SLASH = "/\uff0f"
COMMA = ",\uff0c"
SEMICOLON = ";\uff1b"
STOPS = "。…!\uff01?\uff1f"
# Latin letters and digits in both widths, for regex [classes].
ALNUM = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
DASHES = "—–―‐‑－─-"  # hyphen last, so the string can sit inside a regex [class]
# Middle dots that join the parts of a transliterated name (阿依古丽·买买提).
NAME_DOTS = "·•・‧"

# Line breaks other than \n that str.splitlines would honour, and characters that carry nothing:
# control characters, lone surrogates (not encodable as UTF-8) and zero-width marks.
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\u200b-\u200d\u2060\ufeff]"
)
_TAB = re.compile(r"\t")

# Sentences end here; a paragraph whose last character is one of these is complete.
TERMINAL = STOPS + SEMICOLON + "”’」』》\"')\uff09\u3015\u3011"

# A space between two characters survives only between letters or digits (“利用 JIPAD 进行”,
# “19 岁”); between Chinese characters or next to punctuation it is an OCR artefact.
_SPACE_RUN = re.compile(r"\s+")
_ALNUM = re.compile(f"[{ALNUM}%\uff05]")
# A web address ends where Chinese text resumes (登录www.example.gov.cn查询).
_URL = re.compile(
    f"(?:https?://|www\\.)[^\\s|丨│{COMMA}。{SEMICOLON}{OPEN}{CLOSE}{CJK}]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|gov|edu|info)(?:\.cn)?"
    f"(?:/[^\\s|丨│{CJK}]*)?",
    re.IGNORECASE,
)


def normalise_text(text: str) -> str:
    """One kind of line break, no control or zero-width characters, tabs as spaces."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return _TAB.sub(" ", text)


def _space_or_nothing(match: re.Match[str]) -> str:
    string, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(string):
        return ""
    before, after = string[start - 1], string[end]
    # Keep the space only where it separates a word or number from its neighbour (another
    # word, number or Chinese character), never where it stands next to punctuation.
    beside_alnum = _ALNUM.match(before) or _ALNUM.match(after)
    before_ok = _ALNUM.match(before) or CJK_RE.match(before)
    after_ok = _ALNUM.match(after) or CJK_RE.match(after)
    return " " if beside_alnum and before_ok and after_ok else ""


def clean_body(text: str) -> str:
    """Body text: stray spaces between Chinese characters removed, other runs made single."""
    return _SPACE_RUN.sub(_space_or_nothing, text.strip())


def clean_heading(text: str) -> str:
    """Headings keep the spaces that separate the parts of a title (“全区中小学校 开展线上教学”)
    but not OCR's, which come between single characters (“白 石 村 的 菜 园”)."""
    text = _SPACE_RUN.sub(" ", text.strip())
    tokens = text.split(" ")
    single = sum(1 for token in tokens if len(token) == 1 and not _ALNUM.match(token))
    if len(tokens) > 2 and single * 2 >= len(tokens):
        return clean_body(text)
    return text


def remove_urls(text: str) -> str:
    return _URL.sub(" ", text)


def has_url(text: str) -> bool:
    # Every address has a dot; most lines have none, and need not be scanned.
    return "." in text and _URL.search(text) is not None


def join_lines(first: str, second: str) -> str:
    """Join a line OCR broke with its continuation: directly, or with a space between words."""
    if not first:
        return second
    if not second:
        return first
    if first[-1] == "-" and first[-2:-1].isascii() and first[-2:-1].isalpha():
        return first[:-1] + second
    if first[-1].isascii() and first[-1].isalpha() and second[0].isascii() and second[0].isalpha():
        return first + " " + second
    return first + second


def is_terminated(text: str) -> bool:
    """Does this line end a sentence (so the next line starts a new paragraph)?"""
    return bool(text) and text[-1] in TERMINAL
