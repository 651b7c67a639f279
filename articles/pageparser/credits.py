"""Reading credits: “记者 杨乐 通讯员 任杰 张桐”, “李炜 张扩 摄”, “编辑 李娜 版式 王芳”."""

from __future__ import annotations

import re

from .document import Credit
from .names import split_names
from .text import CJK, COLON, COMMA, SEMICOLON, SLASH

REPORTER = "reporter"
CORRESPONDENT = "correspondent"
PHOTOGRAPHER = "photographer"
AUTHOR = "author"
EDITOR = "editor"
PAGE_EDITOR = "page_editor"
LAYOUT_EDITOR = "layout_editor"

_SEP = f"[\\s{COLON}{SLASH}·・]*"
# Whose reporter or correspondent (本报, 新华社, X日报) and what kind (特约, 见习, 驻X).
_OUTLET = f"(?:本报|新华社|中新社|央视|[{CJK}]{{2,8}}?(?:日报|晚报|报|社|台|网))?"
_RANK = "(?:首席|特约|见习|实习|全媒体|融媒体|资深|驻[^\\s]{1,6}?)?"
# Role words, longest first within each alternative; a role of () means the credit is read
# (so the line still counts as a credit line) but not kept: FORMAT.md has no proofreaders.
_TEXT_AND_PICTURES = f"文{_SEP}图|图{_SEP}文"
_BOTH = (AUTHOR, PHOTOGRAPHER)
_ROLE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (f"(?:{_TEXT_AND_PICTURES})(?![{CJK}])", _BOTH),
    ("摄影记者|摄影师", (PHOTOGRAPHER,)),
    (f"{_OUTLET}{_RANK}记者", (REPORTER,)),
    ("实习生", (REPORTER,)),
    (f"{_OUTLET}{_RANK}通讯员", (CORRESPONDENT,)),
    ("责任编辑|责编", (EDITOR,)),
    ("本版编辑|编辑", (PAGE_EDITOR,)),
    ("版式设计|版式|美术编辑|美编|排版|组版", (LAYOUT_EDITOR,)),
    # “摄影” or “摄影报道” after a name (at the end) is that name's photo credit, read from the
    # name's side, so a title before the name does not claim it (“通讯员 X 摄影”); before a
    # name (“摄影报道 刘旭”) either is a label.
    (
        f"摄影报道(?=[\\s{COLON}{SLASH}]*[{CJK}])|摄影(?!报道|\\s*$)"
        f"|(?:图片|图)(?=\\s*[{COLON}{SLASH}])|摄(?=\\s*[{COLON}{SLASH}])",
        (PHOTOGRAPHER,),
    ),
    # A letter signed by its reader (读者 X) is X's: 读者 is a label only before a space.
    (f"作者|撰稿|撰文|(?:文字|文)(?=\\s*[{COLON}{SLASH}])|读者(?=\\s)", (AUTHOR,)),
    (
        "责任校对|责校|校对|审校|审读|审核|监制|制图|统筹|策划|主持|设计|图片编辑|视觉",
        (),
    ),
]
# Review stages a page's header or footer credits (| 一审 X 二审 Y 终审 Z |, 签发 X): role words
# only on a page's credit line, since in an article's headline or text they are words
# (二审宣判, 终审判决, 签发新规).
_REVIEW_STAGES = "[初复终一二三]审|签发"
# A person's title, which says who they are rather than what they did for this piece.
_TITLES = ((REPORTER,), (CORRESPONDENT,))
ROLE_RE = re.compile(
    "|".join(f"(?P<r{index}>{word})" for index, (word, _) in enumerate(_ROLE_WORDS))
)
# The role words of a page's credit line: those above and the review stages.
_PAGE_ROLE_WORDS = [*_ROLE_WORDS[:-1], (f"{_ROLE_WORDS[-1][0]}|{_REVIEW_STAGES}", ())]
PAGE_ROLE_RE = re.compile(
    "|".join(f"(?P<r{index}>{word})" for index, (word, _) in enumerate(_PAGE_ROLE_WORDS))
)
_ROLES_OF = {f"r{index}": roles for index, (_, roles) in enumerate(_ROLE_WORDS)}

# What may stand around the names in a credit: separators, “报道” after a reporter's name,
# “摄” or “摄影” after a photographer's, an agency's “新华社发” before it.
_PUNCTUATION = f"\\s{COLON}{SLASH}{COMMA}{SEMICOLON}、|"
_EDGE = re.compile(f"^[{_PUNCTUATION}]+|[{_PUNCTUATION}]+$")
_TRAILING_WORDS = re.compile(r"\s*(?:报道|报导|采写|整理|发自\S{1,6})\s*$")
_PHOTO_MARK = re.compile(f"\\s*[{SLASH}]?\\s*摄影?\\s*$")
_AGENCY = re.compile(f"^[{CJK}]{{2,8}}社发\\s*")


# A name with what the person did after it, behind a slash: “张晓/文”, “马骏/图”, or both
# after a space: “张晓 文/图”.
NAME_THEN_LABEL = re.compile(
    f"[{_PUNCTUATION}]*(?P<names>[^{_PUNCTUATION}][^{SLASH}]*?)"
    f"(?:\\s*[{SLASH}]\\s*(?P<label>文|图|摄影|摄)|\\s+(?P<both>{_TEXT_AND_PICTURES}))(?![{CJK}])"
)


def parse_credits(
    text: str, *, default: tuple[str, ...] | None, strict: bool = True, page: bool = False
) -> list[Credit] | None:
    """The credits in `text`, or None if anything in it is not a credit.

    Names before the first role word get the `default` roles (None: there must be a role
    word first). Names after a role word are taken leniently; unlabelled names must look
    like names (`strict`: start with a common family name). A text made of names each with
    its label after it (“张晓/文 马骏/图”) is read pair by pair. `page`: a page's credit
    line, where the review stages (一审, 终审, 签发) are role words too.
    """
    labelled_after = _names_then_labels(text)
    if labelled_after is not None:
        return dedupe(labelled_after)
    credits: list[Credit] = []
    roles = default
    labelled = False
    position = 0
    for match in (PAGE_ROLE_RE if page else ROLE_RE).finditer(text):
        count = len(credits)
        if not _take(text[position : match.start()], roles, labelled or not strict, credits):
            return None
        title = _ROLES_OF[match.lastgroup or ""]
        if title == _BOTH and len(credits) > count and not _EDGE.sub("", text[match.end() :]):
            # 文/图 after the names that end the credit (本报记者 X 文/图): they also took the
            # pictures.
            credits.extend(Credit(c.name, PHOTOGRAPHER) for c in credits[count:])
        if labelled and len(credits) == count and title in _TITLES and PHOTOGRAPHER in roles:
            # A title straight after a photo label is the photographer's (图/本报记者 X), as
            # in 记者 X 摄: the label says what the person did. After 文/图 the title also
            # says who wrote the text (文/图 本报记者 X: a reporter and the photographer).
            roles = (*title, PHOTOGRAPHER) if AUTHOR in roles else roles
        else:
            roles = title
        labelled = True
        position = match.end()
    if not _take(text[position:], roles, labelled or not strict, credits):
        return None
    if not credits and not labelled:
        return None
    return dedupe(credits)


def _names_then_labels(text: str) -> list[Credit] | None:
    """“张晓/文 马骏/图”: the credits, if the text is nothing but such pairs."""
    credits: list[Credit] = []
    position = 0
    for match in NAME_THEN_LABEL.finditer(text):
        names = split_names(match.group("names"), strict=True)
        if match.start() != position or names is None:
            return None
        label = match.group("label")
        roles = _BOTH if label is None else (AUTHOR,) if label == "文" else (PHOTOGRAPHER,)
        credits.extend(Credit(name, role) for name in names for role in roles)
        position = match.end()
    if not credits or _EDGE.sub("", text[position:]):
        return None
    return credits


def only_role_words(text: str) -> bool:
    """Is `text` role words and nothing else (“本报记者”, “图/本报记者”)?"""
    return ROLE_RE.match(text) is not None and not _EDGE.sub("", ROLE_RE.sub(" ", text))


def _take(segment: str, roles: tuple[str, ...] | None, lenient: bool, out: list[Credit]) -> bool:
    segment = _AGENCY.sub("", _EDGE.sub("", segment))
    segment = _EDGE.sub("", _TRAILING_WORDS.sub("", segment))
    if not segment:
        return True
    photo = _PHOTO_MARK.search(segment)
    if photo:
        segment = _EDGE.sub("", segment[: photo.start()])
        roles = (PHOTOGRAPHER,)
        if not segment:
            return True
    if roles is None:
        return False
    names = split_names(segment, strict=not lenient)
    if names is None:
        return False
    out.extend(Credit(name, role) for name in names for role in roles)
    return True


def dedupe(credits: list[Credit]) -> list[Credit]:
    """The same person in the same role once, in order of first appearance."""
    return list(dict.fromkeys(credits))
