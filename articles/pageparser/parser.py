"""One page of OCR text to articles, photos and credits (see FORMAT.md for the result).

The page is read in three linear passes over its lines:

1. classify each line on its own: page furniture (breadcrumbs, headers, page credits),
   credit lines, photo credits, and otherwise text, with any credits at its end split off;
2. decide, from its neighbours, whether a short title-like line is a heading or the rest of
   a line OCR broke in the middle of a sentence;
3. assemble: headings open articles (or are crossheads inside one), text joins the open
   article, closing credits end it, photo credits take the caption above them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .credits import (
    AUTHOR,
    EDITOR,
    LAYOUT_EDITOR,
    PAGE_EDITOR,
    PHOTOGRAPHER,
    ROLE_RE,
    dedupe,
    parse_credits,
)
from .document import CROSSHEAD, PARAGRAPH, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .errors import NoArticleError
from .names import split_names
from .text import (
    ALNUM,
    CJK,
    CJK_RE,
    CLOSE,
    COLON,
    COMMA,
    DASHES,
    OPEN,
    SEMICOLON,
    SLASH,
    STOPS,
    clean_body,
    clean_heading,
    has_url,
    is_terminated,
    join_lines,
    normalise_text,
    remove_urls,
)

# Lines longer than this (without spaces) are text, never a heading.
MAX_HEADING = 40
# A kicker that ends in a colon instead of a dash is short.
MAX_COLON_KICKER = 25
# Credits live on short lines; a long line is text even if it starts with a role word.
MAX_CREDIT_LINE = 60

HEAD, BODY, BYLINE, PHOTO, TAIL = "head", "body", "byline", "photo", "tail"

_SPACES = re.compile(r"\s+")
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")
_DECORATION = re.compile(r"^[□■●◆◇★☆▲△▼▽○◎◉►▶※\s]+")
_NO_WORDS = re.compile(f"^[^{CJK}{ALNUM}]*$")

# Web page furniture copied along with the text.
_BREADCRUMB_MARK = re.compile("[>›»\uff1e]|&gt;")
_BREADCRUMB_WORD = re.compile(r"首页|主页|正文|当前位置|您的位置|你的位置|网站首页")
_WEB_JUNK = re.compile(
    r"^(?:分享到|分享|打印|打印本页|关闭|关闭窗口|返回|返回顶部|返回目录|上一篇|下一篇|上一版|下一版"
    r"|上一期|下一期|版权所有|copyright|©|扫一扫|字号|字体|【打印】|【关闭】|【字体)",
    re.IGNORECASE,
)
_META_FIELD = re.compile(
    f"(?:来源|稿源|发布时间|发布日期|更新时间|时间|日期|浏览次数|浏览量|阅读量|点击数|点击量)[{COLON}]\\s*"
    r"(?:\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\S+)"
)
# Newspaper header lines: a date, a weekday, a page number, the page's name.
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_HEADER_PART = re.compile(
    _DATE + r"|星期[一二三四五六日天]|周[一二三四五六日]"
    r"|农历\S{2,10}|第\s*[A-Za-z]?\d{1,3}\s*版|[A-Za-z]\d{1,2}\s*版|版次[:\uff1a]?\s*\S+"
    r"|总第\s*\d+\s*期|第\s*\d+\s*期|[|丨│┃]"
)
_HEADER_SIGNAL = re.compile(_DATE + r"|第\s*[A-Za-z]?\d{1,3}\s*版")
_PIPE = re.compile(r"[|丨│┃]")
# Words that only a page's header or footer uses; “编辑 X” alone on a line is the page's editor.
_PAGE_ROLE_WORD = re.compile(r"版式|美编|美术编辑|排版|组版|本版|校对|^编辑")
# An editorial's byline names no one (本报评论员): neither a credit nor part of the title.
_COMMENTATOR = re.compile(r"^(?:本报|本刊)?(?:特约)?评论员(?:文章)?$")
_JUMP_LINE = re.compile(
    r"^(?:上接|下转|紧接|转至|转)\s*第?\s*[A-Za-z]?[0-9一二三四五六七八九十]{1,3}\s*版$"
)
# Where an article jumps to or from another page, and its end mark: not part of the text.
_JUMP = re.compile(
    f"[{OPEN}]\\s*(?:(?:上接|下转|紧接|转至|转|接)\\s*第?\\s*[A-Za-z]?[0-9一二三四五六七八九十]{{1,3}}"
    f"\\s*版[^{OPEN}{CLOSE}]{{0,12}}|完|全文完)\\s*[{CLOSE}]"
)

# Credits at the end of a line: “(王欣)”, “(自治区司法厅供稿)”, “(据《X》Y)”, “[责任编辑:X]”.
_TRAILING_BRACKET = re.compile(f"[{OPEN}]([^{OPEN}{CLOSE}]{{1,80}})[{CLOSE}]\\s*$")
_WHOLE_BRACKET = re.compile(f"^[{OPEN}]([^{OPEN}{CLOSE}]{{1,80}})[{CLOSE}]$")
_SOURCE = re.compile(f"^(?:供稿(?:单位)?[{COLON}]\\s*(?P<a>.+)|(?P<b>.+?)\\s*供稿)$")
_SYNDICATED = re.compile(r"^据\s*《(?P<paper>[^》]{1,30})》\s*(?P<rest>.*)$")
_SYNDICATED_BARE = re.compile(
    f"^据\\s*(?P<paper>[{CJK}]{{1,12}}(?:社|报|网|台|杂志|客户端|新闻))(?:报道|消息|电)?$"
)
_SYNDICATED_NOISE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月|报道|消息|文章|综合|摘编|整理|编发|电$|讯$"
)
_PHOTO_END = re.compile(r"摄影?\s*$")
_PHOTO_WORDS = ("摄", "摄影")
_CLOSING_BRACKETS = frozenset(CLOSE.replace("\\", ""))
_SPACED_PHOTO_END = re.compile(f"[\\s{SLASH}]摄影?\\s*$")
_PHOTO_MARKER = re.compile(
    f"^[{OPEN}]?\\s*(?:[{CJK}]{{2,12}}供图|新华社发|资料图片?|资料照片|图片来源[{COLON}].*)\\s*[{CLOSE}]?$"
)
# Where the last sentence of a line begins, for the photo credit after a caption.
_LAST_SENTENCE = re.compile(f".*[{STOPS}”」』{CLOSE}]")
_EDGE_PUNCTUATION = re.compile(f"^[\\s{COMMA}、{COLON}]+|[\\s{COMMA}、{COLON}]+$")
_SOURCE_NAME = re.compile(f"^[^{STOPS}{COMMA}{SEMICOLON}]{{2,40}}$")

# Datelines opening a first paragraph: 本报讯, 呼和浩特讯, 新华社北京3月2日电.
_DATELINE = re.compile(
    r"^(?P<dateline>本报讯"
    f"|[{CJK}]{{2,16}}?\\s*\\d{{1,2}}\\s*月\\s*\\d{{1,2}}\\s*日\\s*(?:电|讯)"
    r"(?!话|视|影|脑|力|商|子|动|池|网|竞|价|费|站|梯|器|缆|线|路|厂|量|能|信|邮|台|灯|源|压|流|气|机|厅)"
    f"|[{CJK}]{{1,7}}(?<![通资快简喜传审问音视短死凶噩电])讯(?=[\\s{OPEN}{COLON}]|\\d|$))"
    f"\\s*(?:[{OPEN}](?P<credits>[^{OPEN}{CLOSE}]{{1,80}})[{CLOSE}])?[\\s{COLON}]*"
)
_REPORTED = re.compile(f"^(.{{2,40}}?)\\s*报道[\\s{COLON}{COMMA}]*")
_CAPTION_CUE = re.compile(
    f"图为|上图|下图|左图|右图|图中|组图|照片|资料图|供图|[{OPEN}]图[{CLOSE}]"
)
_QUOTED = re.compile(
    f'“[^”]*”|"[^"]*"|《[^》]*》|「[^」]*」|『[^』]*』|[{OPEN}][^{CLOSE}]*[{CLOSE}]'
)
_SPEECH = re.compile(f'[{COLON}]\\s*[“"「]')
_SENTENCE_PUNCTUATION = re.compile(f"[。{COMMA}{SEMICOLON}]")
# A heading never ends with a comma or full stop, nor starts with closing punctuation.
_NOT_HEADING_END = f"。{COMMA}{SEMICOLON}、"
_NOT_HEADING_START = f"。{COMMA}{SEMICOLON}、)\uff09”"
_KICKER_END = re.compile(f"[{DASHES}]+$|[{COLON}]$")
_SUBHEAD_START = re.compile(f"^[{DASHES}]+")


@dataclass(eq=False)
class _Tails:
    """Credits split off a line."""

    source: str = ""
    syndicated_from: str = ""
    credits: list[Credit] = field(default_factory=list)
    photo: list[Credit] | None = None

    def closes(self) -> bool:
        """Does this end an article? Any credit but a photo's does."""
        return bool(self.source or self.syndicated_from or self.credits)

    @classmethod
    def combine(cls, parts: list[_Tails]) -> _Tails:
        """Several credits at the end of one line, in reading order, as one."""
        combined = cls()
        for part in parts:
            combined.source = part.source or combined.source
            combined.syndicated_from = part.syndicated_from or combined.syndicated_from
            combined.credits.extend(part.credits)
            if part.photo is not None:
                combined.photo = (combined.photo or []) + part.photo
        return combined


@dataclass(eq=False)
class _Line:
    text: str
    gap: int
    indented: bool = False
    kind: str = BODY
    heading_shape: bool = False
    kicker_mark: bool = False
    subhead_mark: bool = False
    names: list[str] | None = None
    strong_name: bool = False
    credits: list[Credit] = field(default_factory=list)
    tails: _Tails | None = None
    dateline: str = ""
    dateline_credits: list[Credit] = field(default_factory=list)
    # The text as it was before a dateline was split off, for a dateline that is not one.
    undated: str = ""


@dataclass(eq=False)
class _Draft:
    """An article being assembled."""

    kicker: str
    headline: str
    subheadline: str = ""
    dateline: str = ""
    source: str = ""
    syndicated_from: str = ""
    bylines: list[Credit] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)
    closed: bool = False
    open_paragraph: bool = False  # the last paragraph may continue on the next line

    def has_paragraphs(self) -> bool:
        return any(kind == PARAGRAPH for kind, _ in self.body)

    def apply(self, tails: _Tails) -> None:
        self.source = tails.source or self.source
        self.syndicated_from = tails.syndicated_from or self.syndicated_from
        self.bylines.extend(tails.credits)


def parse_page(text: str) -> ParsedPage:
    """Read one page's text. Raises NoArticleError when no article can be found in it."""
    credits: list[Credit] = []
    lines = _classify(normalise_text(text), credits)
    normal_gap = _normal_gap(lines)
    _resolve_headings(lines, normal_gap)
    page = _Assembler(lines, normal_gap).run()
    page.credits = dedupe(credits + page.credits)
    if not page.articles:
        raise NoArticleError(
            "No article was found in this text: an article needs a headline on a line of its "
            "own followed by its paragraphs."
        )
    return page


# Pass 1: each line on its own.


def _classify(text: str, page_credits: list[Credit]) -> list[_Line]:
    lines: list[_Line] = []
    gap = 0
    for raw in text.split("\n"):
        line = _DECORATION.sub("", raw).strip()
        if not line:
            gap += 1
            continue
        item = _classify_line(line, gap, page_credits)
        if item is not None:
            item.indented = _INDENT.match(raw) is not None
            lines.append(item)
            gap = 0
    # An indent marks a paragraph's first line only where some lines have none.
    if lines and sum(line.indented for line in lines) >= len(lines) * 0.9:
        for line in lines:
            line.indented = False
    return lines


def _classify_line(text: str, gap: int, page_credits: list[Credit]) -> _Line | None:
    text = _SPACES.sub(" ", text)
    if "版" in text or "完" in text:
        text = _JUMP.sub("", text).strip()
    if _is_web_furniture(text):
        return None
    if _META_FIELD.match(text):
        text = _META_FIELD.sub(" ", text).strip()
        if not text:
            return None
    if has_url(text):
        text = remove_urls(text).strip()
        if _NO_WORDS.match(text):
            return None
    if len(text) <= MAX_CREDIT_LINE * 2 and _is_page_credit_line(text, page_credits):
        return None
    if _is_page_header(text):
        return None
    if not CJK_RE.search(text) and len(text) <= 30:
        # Page numbers, stray Latin fragments and marks: nothing an article is made of.
        return None
    line = _Line(text=text, gap=gap)
    if len(text) <= MAX_CREDIT_LINE and _credit_line(line):
        return line
    rest, tails = _split_tails(text)
    if tails is not None:
        line.tails = tails
        if not rest:
            if tails.photo is not None and not tails.closes():
                line.kind, line.credits = PHOTO, tails.photo
            else:
                line.kind = TAIL
            return line
        line.text = rest
    _shape(line)
    return line


def _is_web_furniture(text: str) -> bool:
    """Marks, breadcrumbs, share links, jump lines, an editorial's unnamed byline."""
    if _NO_WORDS.match(text) or _JUMP_LINE.match(text) or _COMMENTATOR.match(text):
        return True
    if len(text) <= 80 and _BREADCRUMB_MARK.search(text) and _BREADCRUMB_WORD.search(text):
        return "。" not in text
    return len(text) <= 40 and _WEB_JUNK.match(text) is not None


def _is_page_header(text: str) -> bool:
    """A header line: the date, the page number and name (credits in it are read before)."""
    if len(text) <= 80 and _HEADER_SIGNAL.search(text):
        left = _SPACES.sub("", remove_urls(_HEADER_PART.sub(" ", text)))
        return len(left) <= 12 and not _SENTENCE_PUNCTUATION.search(left)
    return False


def _is_page_credit_line(text: str, page_credits: list[Credit]) -> bool:
    """A page header or footer such as “| 编辑 李娜 版式 王芳 |”: collect its credits."""
    if _WHOLE_BRACKET.match(text):
        return False
    if not (_PIPE.search(text) or _PAGE_ROLE_WORD.search(text) or _HEADER_SIGNAL.search(text)):
        return False
    found: list[Credit] = []
    for part in _PIPE.split(_HEADER_PART.sub("|", text)):
        match = ROLE_RE.search(part)
        if match is None:
            continue
        # Before the first role word there may be the paper's or the page's name, no more.
        if len(_SPACES.sub("", part[: match.start()])) > 12:
            return False
        credits = parse_credits(part[match.start() :], default=None)
        if credits is None:
            return False
        found.extend(credits)
    if not found:
        return False
    page_credits.extend(
        Credit(credit.name, PAGE_EDITOR if credit.role == EDITOR else credit.role)
        for credit in found
        if credit.role in (EDITOR, PAGE_EDITOR, LAYOUT_EDITOR)
    )
    return True


def _credit_line(line: _Line) -> bool:
    """A line made only of credits: “本报记者 杨乐”, “李炜 张扩 摄”, “(王欣)”, “[责任编辑:X]”."""
    text = line.text
    whole = _WHOLE_BRACKET.match(text)
    inner = whole.group(1).strip() if whole else text
    if _PHOTO_MARKER.match(text):
        line.kind, line.credits = PHOTO, []
        return True
    photo_end = _PHOTO_END.search(inner)
    if photo_end or ROLE_RE.match(inner):
        credits = parse_credits(
            inner,
            default=(PHOTOGRAPHER,) if photo_end else None,
            strict=not _SPACED_PHOTO_END.search(inner),
        )
        if credits is None:
            return False
        roles = {credit.role for credit in credits}
        if roles and roles <= {PHOTOGRAPHER}:
            line.kind, line.credits = PHOTO, credits
        elif roles and roles <= {EDITOR, PAGE_EDITOR, LAYOUT_EDITOR} and (whole or EDITOR in roles):
            # “[责任编辑:X]” at the end of an article credits its editor.
            line.kind = TAIL
            line.tails = _Tails(credits=[Credit(c.name, EDITOR) for c in credits])
        elif whole:
            line.kind, line.tails = TAIL, _Tails(credits=credits)
        else:
            line.kind, line.credits = BYLINE, credits
        return True
    if whole:
        return False  # bracketed text is looked at again as a trailing credit
    source = _SOURCE.match(text)
    if source and _SOURCE_NAME.match(source.group("a") or source.group("b") or ""):
        line.kind = TAIL
        line.tails = _Tails(source=(source.group("a") or source.group("b")).strip())
        return True
    if _SYNDICATED.match(text):
        tails = _bracket_credit(text)
        if tails is not None:
            line.kind, line.tails = TAIL, tails
            return True
    return False


def _split_tails(text: str) -> tuple[str, _Tails | None]:
    """Split credits off the end of a line; None when there are none."""
    found: list[_Tails] = []
    rest = text
    # Cheap test first: the bracket pattern would otherwise scan every long line.
    while rest and rest[-1] in _CLOSING_BRACKETS:
        match = _TRAILING_BRACKET.search(rest)
        tails = _bracket_credit(match.group(1)) if match else None
        if match is None or tails is None:
            break
        rest = rest[: match.start()].rstrip()
        found.insert(0, tails)
    if not any(tails.photo is not None for tails in found):
        rest, photo = _split_photo_credit(rest)
        if photo:
            found.insert(0, _Tails(photo=photo))
    return rest, (_Tails.combine(found) if found else None)


def _split_photo_credit(text: str) -> tuple[str, list[Credit]]:
    """Split “刘博寰 摄” off the end of a caption: the shortest tail of the last sentence that
    reads as a photo credit."""
    if not text.endswith(_PHOTO_WORDS):
        return text, []
    sentence_start = _LAST_SENTENCE.search(text)
    start = sentence_start.end() if sentence_start else 0
    candidates = [start] + [m.end() for m in _SPACES.finditer(text, start)]
    for begin in reversed(candidates[-4:]):
        credit = text[begin:]
        credits = parse_credits(
            credit, default=(PHOTOGRAPHER,), strict=not _SPACED_PHOTO_END.search(credit)
        )
        if credits and all(c.role == PHOTOGRAPHER for c in credits):
            return text[:begin].rstrip(), credits
    return text, []


def _bracket_credit(content: str) -> _Tails | None:
    """What a bracket at the end of an article says, if it is a credit at all."""
    content = content.strip()
    source = _SOURCE.match(content)
    if source:
        name = (source.group("a") or source.group("b") or "").strip()
        return _Tails(source=name) if _SOURCE_NAME.match(name) else None
    syndicated = _SYNDICATED.match(content)
    if syndicated:
        rest = _EDGE_PUNCTUATION.sub("", _SYNDICATED_NOISE.sub(" ", syndicated.group("rest")))
        credits = parse_credits(rest, default=(AUTHOR,), strict=False) if rest else None
        return _Tails(syndicated_from=syndicated.group("paper").strip(), credits=credits or [])
    syndicated = _SYNDICATED_BARE.match(content)
    if syndicated:
        return _Tails(syndicated_from=syndicated.group("paper"))
    photo = _PHOTO_END.search(content)
    credits = parse_credits(
        content,
        default=(PHOTOGRAPHER,) if photo else (AUTHOR,),
        strict=not _SPACED_PHOTO_END.search(content),
    )
    if not credits:
        return None
    if all(credit.role == PHOTOGRAPHER for credit in credits):
        return _Tails(photo=credits)
    return _Tails(
        credits=[
            Credit(c.name, EDITOR) if c.role in (PAGE_EDITOR, LAYOUT_EDITOR) else c for c in credits
        ]
    )


def _shape(line: _Line) -> None:
    """Note what a text line could be: a heading, a name, the start of a dated paragraph."""
    text = line.text
    dateline = _DATELINE.match(text)
    if dateline:
        credits = dateline.group("credits")
        parsed = parse_credits(credits, default=None) if credits else []
        if parsed is not None:
            line.undated = text
            line.dateline = _SPACES.sub("", dateline.group("dateline"))
            line.dateline_credits = parsed
            line.text = text[dateline.end() :].strip()
            reported = _REPORTED.match(line.text) if not credits else None
            if reported and ROLE_RE.match(reported.group(1)):
                # “本报讯 记者 X 通讯员 Y 报道:” without brackets.
                parsed = parse_credits(reported.group(1), default=None)
                if parsed:
                    line.dateline_credits = parsed
                    line.text = line.text[reported.end() :].strip()
            return
    if line.tails is not None:
        return  # a line that ends with a credit ends an article's text
    compact = _SPACES.sub("", text)
    if not 2 <= len(compact) <= MAX_HEADING or not CJK_RE.search(compact):
        return
    if "。" in compact or _SPEECH.search(compact):
        return  # a heading has no full stop, even inside quotes, and quotes nobody
    last = compact[-1]
    if last in _NOT_HEADING_END or compact[0] in _NOT_HEADING_START:
        return
    if last in COLON and len(compact) > MAX_COLON_KICKER:
        return
    if _SENTENCE_PUNCTUATION.search(_QUOTED.sub("", compact)):
        return
    line.heading_shape = True
    line.kicker_mark = _KICKER_END.search(compact) is not None and len(compact) > 2
    line.subhead_mark = _SUBHEAD_START.match(compact) is not None and len(compact) > 2
    if len(compact) <= 12:
        names = split_names(text, strict=True)
        if names and len(names) <= 3:
            line.names = names
            line.strong_name = " " in text or all(len(name) <= 3 for name in names)


# Pass 2: headings or broken lines.


def _normal_gap(lines: list[_Line]) -> int:
    """The number of blank lines that usually separates paragraphs on this page."""
    counts = Counter(line.gap for line in lines[1:])
    return counts.most_common(1)[0][0] if counts else 0


def _resolve_headings(lines: list[_Line], normal_gap: int) -> None:
    previous: _Line | None = None
    for index, line in enumerate(lines):
        if line.kind == BODY and line.heading_shape:
            continues = (
                previous is not None
                and previous.kind == BODY
                and not previous.tails
                and bool(previous.text)
                and not is_terminated(previous.text)
                and line.gap <= normal_gap
            )
            following = lines[index + 1] if index + 1 < len(lines) else None
            colon_alone = line.text.endswith(tuple(COLON)) and not (
                following is not None and following.heading_shape
            )
            if not continues and not colon_alone:
                line.kind = HEAD
        previous = line


# Pass 3: assembly.


class _Assembler:
    def __init__(self, lines: list[_Line], normal_gap: int) -> None:
        self.lines = lines
        self.normal_gap = normal_gap
        # Articles being written and photos, in reading order.
        self.items: list[_Draft | ParsedPhoto] = []
        self.current: _Draft | None = None
        # Text with no open article to go to: a caption, unless a credit says otherwise.
        self.orphans: list[str] = []
        self.orphans_open = False
        self.page_credits: list[Credit] = []
        self.pending_bylines: list[Credit] = []
        self.after_photo = False
        self.previous_kind = ""

    def run(self) -> ParsedPage:
        handlers = {BODY: self._body, BYLINE: self._byline, TAIL: self._tail, PHOTO: self._photo}
        index = 0
        count = len(self.lines)
        while index < count:
            line = self.lines[index]
            if line.kind == HEAD:
                end = index
                while end < count and self.lines[end].kind == HEAD:
                    end += 1
                self._headings(self.lines[index:end], end)
                self.previous_kind = HEAD
                index = end
                continue
            handlers[line.kind](line)
            self.previous_kind = line.kind
            index += 1
        self._settle_orphans()
        page = ParsedPage(credits=self.page_credits)
        for item in self.items:
            finished = self._finish(item) if isinstance(item, _Draft) else item
            if isinstance(finished, ParsedArticle):
                page.articles.append(finished)
            elif finished is not None:
                page.photos.append(finished)
        return page

    def _big_gap(self, line: _Line) -> bool:
        return line.gap > self.normal_gap and line.gap >= 2

    # Headings.

    def _line(self, index: int) -> _Line | None:
        return self.lines[index] if index < len(self.lines) else None

    def _headings(self, group: list[_Line], end: int) -> None:
        """A run of heading lines; `end` is the index of the line after them."""
        following = self._line(end)
        current = self.current
        if current is not None and self._is_author(group, end):
            current.bylines.extend(Credit(name, AUTHOR) for name in group[0].names or [])
            current.closed = True
            group = group[1:]
            if not group:
                return
        starts_article = (
            current is None
            or current.closed
            or self.after_photo
            or len(group) > 1
            or group[0].kicker_mark
            or self._big_gap(group[0])
            or (following is not None and following.kind == BODY and bool(following.dateline))
            or (following is not None and following.kind == BYLINE)
        )
        if current is not None and not starts_article:
            heading = clean_heading(group[0].text)
            if group[0].subhead_mark and not current.body and not current.subheadline:
                current.subheadline = _SUBHEAD_START.sub("", heading).strip()
            else:
                current.body.append([CROSSHEAD, heading])
                current.open_paragraph = False
            return
        self._start(*_titles(group, self.normal_gap))

    def _is_author(self, group: list[_Line], end: int) -> bool:
        """A name alone on the last line of an article credits its author."""
        first = group[0]
        if not first.names or self.current is None or not self.current.has_paragraphs():
            return False
        if self.after_photo or self.previous_kind not in (BODY, TAIL):
            return False
        after = group[1] if len(group) > 1 else self._line(end)
        if after is None or self._big_gap(after):
            return True
        if len(group) > 1:
            return first.strong_name
        if after.kind in (PHOTO, TAIL, BYLINE):
            return True
        # A name above a caption and its photo credit still ends the article before them.
        beyond = self._line(end + 1)
        return after.kind == BODY and beyond is not None and beyond.kind == PHOTO

    def _start(self, kicker: str, headline: str, subheadline: str = "") -> None:
        self._close_current()
        self.current = _Draft(kicker=kicker, headline=headline, subheadline=subheadline)
        self.current.bylines.extend(self.pending_bylines)
        self.pending_bylines = []
        self.items.append(self.current)
        self.after_photo = False

    def _close_current(self) -> None:
        self._settle_orphans()
        if self.current is not None:
            self.current.closed = True

    # Text.

    def _body(self, line: _Line) -> None:
        text = clean_body(line.text)
        if line.dateline:
            self._title_from_previous_line()
        current = self.current
        if current is None or current.closed:
            self._orphan(line, text)
        else:
            if line.dateline and not current.has_paragraphs() and not current.dateline:
                current.dateline = line.dateline
                current.bylines.extend(line.dateline_credits)
            elif line.dateline:
                text = clean_body(line.undated)
            self._add_text(current, line, text)
            if line.tails is not None:
                current.apply(line.tails)
                if line.tails.closes():
                    current.closed = True
                    current.open_paragraph = False
        if line.tails is not None and line.tails.photo is not None:
            self._photo_from_caption(line.tails.photo)

    def _add_text(self, draft: _Draft, line: _Line, text: str) -> None:
        if not text:
            return
        last = draft.body[-1] if draft.body else None
        if (
            last is not None
            and last[0] == PARAGRAPH
            and self._continues(line, draft.open_paragraph)
        ):
            last[1] = join_lines(last[1], text)
        else:
            draft.body.append([PARAGRAPH, text])
        draft.open_paragraph = not is_terminated(text)

    def _title_from_previous_line(self) -> None:
        """Before a dateline or a byline, a short unfinished line of text is a title after all:
        a headline with a comma in it (“守望相助,共克时艰”) is not taken for one on its own."""
        if self.previous_kind != BODY:
            return
        if self.orphans:
            if _could_be_title(self.orphans[-1]):
                self._start("", clean_heading(self.orphans.pop()))
            return
        current = self.current
        if current is None or current.closed or not current.body:
            return
        kind, text = current.body[-1]
        if kind != PARAGRAPH or not _could_be_title(text):
            return
        current.body.pop()
        current.open_paragraph = False
        if not current.body and not (current.subheadline or current.dateline):
            current.subheadline = clean_heading(text)  # the line under the headline
        else:
            self._start("", clean_heading(text))

    def _continues(self, line: _Line, open_paragraph: bool) -> bool:
        """Does this line carry on the unfinished paragraph above it (OCR broke the line)?"""
        return (
            open_paragraph
            and not line.dateline
            and not line.indented
            and line.gap <= self.normal_gap
        )

    def _orphan(self, line: _Line, text: str) -> None:
        tails = line.tails
        if tails is not None and tails.closes() and self.current is not None:
            # A closing credit after the text: it was the article's after all.
            self._adopt_orphans()
            self._add_text(self.current, line, text)
            self.current.apply(tails)
            return
        if line.dateline:
            text = clean_body(line.undated)
        if not text:
            return
        if self._continues(line, self.orphans_open and bool(self.orphans)):
            self.orphans[-1] = join_lines(self.orphans[-1], text)
        else:
            self.orphans.append(text)
        self.orphans_open = not is_terminated(text)

    def _adopt_orphans(self) -> None:
        if self.current is not None:
            self.current.body.extend([PARAGRAPH, text] for text in self.orphans)
            self.orphans = []

    def _settle_orphans(self) -> None:
        """Text left between articles with no credit: a caption, or the last article's tail.

        Text before the first headline with nothing to say it is a caption is the end of an
        article continued from another page: it is left out.
        """
        if not self.orphans:
            return
        first = self.orphans[0]
        cue = _CAPTION_CUE.search(first) is not None
        if self.current is None and not cue:
            self.orphans = []
        elif cue or (len(self.orphans) == 1 and len(first) <= 300):
            self.items.append(ParsedPhoto(caption="".join(self.orphans)))
            self.orphans = []
        else:
            self._adopt_orphans()

    # Credits.

    def _byline(self, line: _Line) -> None:
        self._title_from_previous_line()
        if self.current is None:
            self.pending_bylines.extend(line.credits)
        else:
            self.current.bylines.extend(line.credits)

    def _tail(self, line: _Line) -> None:
        tails = line.tails or _Tails()
        current = self.current
        if current is None:
            self.page_credits.extend(
                Credit(c.name, PAGE_EDITOR) for c in tails.credits if c.role == EDITOR
            )
            return
        if self.orphans and (
            tails.source or tails.syndicated_from or any(c.role != EDITOR for c in tails.credits)
        ):
            self._adopt_orphans()
        current.apply(tails)
        current.closed = True
        current.open_paragraph = False

    def _photo(self, line: _Line) -> None:
        current = self.current
        if (
            self.previous_kind == HEAD
            and current is not None
            and not current.body
            and not self.orphans
        ):
            # “本报记者 X 摄” under a headline: the story is told in pictures.
            current.bylines.extend(line.credits)
            return
        self._photo_from_caption(line.credits)

    def _photo_from_caption(self, credits: list[Credit]) -> None:
        """Make a photo of the caption just read, with the title above it if it has one."""
        headline = caption = ""
        current = self.current
        if self.orphans:
            caption = "".join(self.orphans)
            self.orphans = []
        elif current is not None and current.body and current.body[-1][0] == PARAGRAPH:
            caption = current.body.pop()[1]
            if current.body and current.body[-1][0] == CROSSHEAD:
                headline = current.body.pop()[1]
            if not current.body:
                # Only a title and a caption: a picture with its title, not an article.
                headline = headline or current.headline
                self.items.remove(current)
                self.current = None
        self.items.append(ParsedPhoto(headline=headline, caption=caption, bylines=dedupe(credits)))
        self.after_photo = True

    # Results.

    def _finish(self, draft: _Draft) -> ParsedArticle | ParsedPhoto | None:
        """The article as read, a photo if it is only a titled caption, or None if empty."""
        body = [(kind, text) for kind, text in draft.body if text]
        while body and body[-1][0] == CROSSHEAD:
            body.pop()
        if not any(kind == PARAGRAPH for kind, _ in body):
            return None
        fields = {
            "kicker": draft.kicker,
            "headline": draft.headline,
            "subheadline": draft.subheadline,
            "dateline": draft.dateline,
            "source": draft.source,
            "syndicated_from": draft.syndicated_from,
            "bylines": dedupe(draft.bylines),
        }
        photographers = all(credit.role == PHOTOGRAPHER for credit in draft.bylines)
        if (
            len(body) == 1
            and photographers
            and not (draft.dateline or draft.source or draft.syndicated_from)
            and (draft.bylines or _CAPTION_CUE.search(body[0][1]))
        ):
            # A title over one caption, credited to photographers or to nobody: a picture.
            return ParsedPhoto(
                headline=draft.headline, caption=body[0][1], bylines=fields["bylines"]
            )
        return ParsedArticle.from_body(body, **fields)


def _could_be_title(text: str) -> bool:
    compact = _SPACES.sub("", text)
    return len(compact) <= MAX_HEADING and "。" not in compact and not is_terminated(compact)


def _titles(group: list[_Line], normal_gap: int) -> tuple[str, str, str]:
    """Kicker, headline and subheadline from the lines above an article.

    Lines closer together than paragraphs are one title OCR broke in two. A line ending in a
    dash (or colon) is the kicker, one starting with a dash the subheadline. Unmarked, two
    lines are one headline over two lines; three are kicker, headline, subheadline.
    """
    merged: list[_Line] = []
    for line in group:
        if merged and line.gap < normal_gap:
            merged[-1] = replace(merged[-1], text=f"{merged[-1].text} {line.text}")
            merged[-1].kicker_mark = merged[-1].kicker_mark or line.kicker_mark
        else:
            merged.append(line)
    group = merged
    texts = [clean_heading(line.text) for line in group]
    kicker = subheadline = ""
    marked = [index for index, line in enumerate(group[:-1]) if line.kicker_mark]
    if marked:
        # Lines above a marked kicker, in blocks of their own, are page furniture (a page name).
        cut = marked[-1] + 1
        kicker = _KICKER_END.sub("", texts[marked[-1]]).strip()
        group, texts = group[cut:], texts[cut:]
    sub = next((index for index in range(1, len(group)) if group[index].subhead_mark), None)
    if sub is not None:
        subheadline = _SUBHEAD_START.sub("", " ".join(texts[sub:])).strip()
        texts = texts[:sub]
    elif not kicker and len(texts) >= 3:
        kicker, texts, subheadline = texts[-3], [texts[-2]], texts[-1]
    headline = _KICKER_END.sub("", _SUBHEAD_START.sub("", " ".join(texts))).strip()
    if not headline:
        headline, kicker = kicker or " ".join(texts), ""
    return kicker, headline, subheadline
