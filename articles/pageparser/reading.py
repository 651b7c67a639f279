"""What one line says on its own: furniture, credits, a dateline, a heading's shape, a name.

Each line of a page is read here without looking at its neighbours; the role decoder
(decoder.py) weighs these readings against the whole page, and assembly (assembly.py) uses
the same readings to split datelines and credits off the lines it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .credits import (
    AUTHOR,
    CORRESPONDENT,
    EDITOR,
    LAYOUT_EDITOR,
    NAME_THEN_LABEL,
    PAGE_EDITOR,
    PAGE_ROLE_RE,
    PHOTOGRAPHER,
    REPORTER,
    ROLE_RE,
    only_role_words,
    parse_credits,
)
from .document import Credit
from .names import COMPOUND_SURNAMES, split_names
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
    has_url,
    is_terminated,
    remove_urls,
)

# Lines longer than this (without spaces) are text, never a heading.
MAX_HEADING = 40
# A kicker that ends in a colon instead of a dash is short.
MAX_COLON_KICKER = 25
# Credits live on short lines; a long line is text even if it starts with a role word.
MAX_CREDIT_LINE = 60


_SPACES = re.compile(r"\s+")
_INDENT = re.compile(r"^(?:\u3000|\s{2,})")
# Marks set before a heading or between credits.
_MARKS = "□■●◆◇★☆▲△▼▽○◎◉►▶※"
_DECORATION = re.compile(f"^[{_MARKS}\\s]+")
_NO_WORDS = re.compile(f"^[^{CJK}{ALNUM}]*$")

# Web page furniture copied along with the text.
_BREADCRUMB_MARK = re.compile("[>›»\uff1e]|&gt;")
_BREADCRUMB_WORD = re.compile(r"首页|主页|正文|当前位置|您的位置|你的位置|网站首页")
_WEB_JUNK = re.compile(
    r"^(?:分享到|分享|打印|打印本页|关闭|关闭窗口|返回|返回顶部|返回目录|上一篇|下一篇|上一版|下一版"
    r"|上一期|下一期|版权所有|copyright|©|扫一扫|字号|字体|【打印|【关闭|【字体)",
    re.IGNORECASE,
)
# E-paper sites' controls, copied along when a line holds nothing else (放大 缩小 默认).
_WEB_CONTROLS = re.compile(
    r"^[\s|/:\uff1a<>《》【】\[\]]*(?:(?:放大|缩小|默认|版面导航|标题导航|本版导航|往期回顾|前一期|后一期|报纸首页|PDF版?|下载"
    r"|收藏|字号|[大中小])[\s|/:\uff1a<>《》【】\[\]]*)+$",
    re.IGNORECASE,
)
# A web page's metadata fields (来源：X, 文章来源：X, 发布时间：…); not in brackets, where
# (来源：X) or (本文来源：X) names the source that closes an article.
_META_FIELD = re.compile(
    f"(?<![{OPEN}])(?<![{OPEN}]本文)(?<![{OPEN}]文章)(?:(?:文章|本文|稿件|信息)?来源|稿源|发布时间|发布日期|更新时间|时间|日期|浏览次数|浏览量|阅读量|点击数|点击量)[{COLON}]\\s*"
    r"(?:\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\S+)"
)
# Newspaper header lines: a date, a weekday, a page number, the page's name.
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_HEADER_PART = re.compile(
    _DATE + r"|星期[一二三四五六日天]|周[一二三四五六日]"
    r"|农历\S{2,10}|第\s*[A-Za-z]?\d{1,3}\s*版|[A-Za-z]\d{1,2}\s*版|版次[:\uff1a]?\s*\S+"
    r"|总第\s*\d+\s*期|第\s*\d+\s*期|[|\uff5c丨│┃]"
)
_HEADER_SIGNAL = re.compile(_DATE + r"|第\s*[A-Za-z]?\d{1,3}\s*版")
_PIPE = re.compile(r"[|\uff5c丨│┃]")
# What stands between the credits of a page header: bars, or marks (■编辑 X ■美编 Y).
_CREDIT_SEPARATOR = re.compile(f"[|\uff5c丨│┃{_MARKS}]")
# Words that only a page's header or footer uses; “编辑 X” alone on a line is the page's editor.
_PAGE_ROLE_WORD = re.compile(r"版式|美编|美术编辑|排版|组版|本版|校对|^编辑")
# An editorial's byline names no one (本报评论员): neither a credit nor part of the title.
_COMMENTATOR = re.compile(r"^(?:本报|本刊)?(?:特约)?评论员(?:文章)?$")
_JUMP_LINE = re.compile(
    r"^(?:上接|下转|紧接|转至|转)\s*第?\s*[A-Za-z]?[0-9一二三四五六七八九十]{1,3}\s*版$"
)
# Where an article jumps to or from another page, and its end marks (完, or 待续 for a serial
# that goes on in another issue): not part of the text.
_JUMP = re.compile(
    f"[{OPEN}]\\s*(?:(?:上接|下转|紧接|转至|转|接)\\s*第?\\s*[A-Za-z]?[0-9一二三四五六七八九十]{{1,3}}"
    f"\\s*版[^{OPEN}{CLOSE}]{{0,12}}|完|全文完|未完待续|待续|续完)\\s*[{CLOSE}]"
)

_WHOLE_JUMP = re.compile(f"^\\s*(?:{_JUMP.pattern})\\s*$")

# Credits at the end of a line: “(王欣)”, “(自治区司法厅供稿)”, “(据《X》Y)”, “[责任编辑:X]”.
_TRAILING_BRACKET = re.compile(f"[{OPEN}]([^{OPEN}{CLOSE}]{{1,80}})[{CLOSE}]\\s*$")
_WHOLE_BRACKET = re.compile(f"^[{OPEN}]([^{OPEN}{CLOSE}]{{1,80}})[{CLOSE}]$")
_SOURCE = re.compile(
    f"^(?:(?:供稿(?:单位)?|(?:本文|文章)?(?:来源|稿源))[{COLON}]\\s*(?P<a>.+)|(?P<b>.+?)[\\s{SLASH}]*供稿)$"
)
_SYNDICATED = re.compile(r"^据\s*《(?P<paper>[^》]{1,30})》\s*(?P<rest>.*)$")
_SYNDICATED_BARE = re.compile(
    f"^据\\s*(?P<paper>[{CJK}]{{1,12}}(?:社|报|网|台|杂志|客户端|新闻))(?:报道|消息|电)?$"
)
_SYNDICATED_NOISE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月|报道|消息|文章|综合|摘编|整理|编发|电$|讯$"
)
_PHOTO_END = re.compile(r"摄影?\s*$")
_PHOTO_WORDS = ("摄", "摄影")
# A photo credit's label before the name, near the end of a caption: “图/王磊”, “摄影：X”;
# it opens the text or follows a space or a sentence's stop (…如图：东多西少 is text).
_PHOTO_LABEL = re.compile(
    f"(?:^|(?<=[\\s{STOPS}]))(?:图片|图|摄影|摄)\\s*[{COLON}{SLASH}][^{STOPS}]+$"
)
_CLOSING_BRACKETS = frozenset(CLOSE.replace("\\", ""))
_SPACED_PHOTO_END = re.compile(f"[\\s{SLASH}]摄影?\\s*$")
# Where a picture came from, naming no photographer: X供图, 新华社发, 资料图片, 图片由X提供.
_PICTURE_SOURCE = (
    f"[{CJK}]{{2,12}}供图|新华社发|资料图片?|资料照片|图片由[{CJK}]{{2,16}}提供|图片来源[{COLON}].*"
)
_PHOTO_MARKER = re.compile(f"^[{OPEN}]?\\s*(?:{_PICTURE_SOURCE})\\s*[{CLOSE}]?$")
# The same at the end of a caption's line, after its full stop or a space (…休憩。 受访者供图).
_SPACED_PICTURE_SOURCE = re.compile(f"(?:(?<=[{STOPS}])\\s*|\\s+)(?:{_PICTURE_SOURCE})$")
# An agency's picture by a named photographer: “新华社发（安德烈斯 摄）”.
_AGENCY_PHOTO = re.compile(
    f"^[{CJK}]{{2,8}}社发\\s*[{OPEN}](?P<inner>[^{OPEN}{CLOSE}]{{1,40}})[{CLOSE}]$"
)
# An agency that sent a picture, before its photographer's name (新华社发 王磊 摄).
_AGENCY_WORD = re.compile(f"[{CJK}]{{1,6}}社发")
# The same agency closing a caption, before the bracket with its photographer.
_AGENCY_SENT = re.compile(f"\\s*(?<![{CJK}])[{CJK}]{{1,6}}社发$")
# Where the last sentence of a line begins, for the photo credit after a caption.
_LAST_SENTENCE = re.compile(f".*[{STOPS}”」』{CLOSE}]")
_EDGE_PUNCTUATION = re.compile(f"^[\\s{COMMA}、{COLON}]+|[\\s{COMMA}、{COLON}]+$")
_SOURCE_NAME = re.compile(f"^[^{STOPS}{COMMA}{SEMICOLON}]{{2,40}}$")

# Datelines opening a first paragraph: 本报讯, 呼和浩特讯, 新华社北京3月2日电, or any of
# them in 【】.
_DATELINE = re.compile(
    r"^(?P<bracket>\u3010\s*)?(?P<dateline>本报讯"
    # An agency's or the paper's own dateline with a place and no date: 本报北京电, or an
    # agency's story reprinted whole (据新华社电), as 据新华社北京3月5日电 is. A call or a
    # telegram received (本报收到读者来电：, 新华社发来贺电：) is no dateline.
    f"|(?:据\\s*)?(?:本报|新华社|中新社)[{CJK}]{{0,6}}?(?<![来致贺唁通急复回发])电"
    f"(?=[\\s{OPEN}{COLON}\u3011])"
    # The paper's or another outlet's news: 本报综合消息, 央视网消息, 人民网消息 (but 据X社消息
    # says where a story was taken from: it stays in the text).
    f"|(?!据)(?:本报|[{CJK}]{{1,8}}?(?:网|台|社|报|客户端))(?:综合)?消息"
    f"(?=[\\s{OPEN}{COLON}\u3011])"
    f"|[{CJK}]{{2,16}}?\\s*\\d{{1,2}}\\s*月\\s*\\d{{1,2}}\\s*日\\s*(?:电|讯)"
    r"(?!话|视|影|脑|力|商|子|动|池|网|竞|价|费|站|梯|器|缆|线|路|厂|量|能|信|邮|台|灯|源|压|流|气|机|厅)"
    f"|[{CJK}]{{1,7}}(?<![通资快简喜传审问音视短死凶噩电])讯(?=[\\s{OPEN}{COLON}\u3011]|\\d|$))"
    r"(?(bracket)\s*\u3011)"
    f"\\s*(?:[{OPEN}](?P<credits>[^{OPEN}{CLOSE}]{{1,80}})[{CLOSE}])?[\\s{COLON}]*"
)
# An editor's note, set under a headline before the story's dateline.
EDITORS_NOTE = re.compile(f"^(?:编者按|编者的话|编者)[{COLON}]")
# Credits in brackets opening a paragraph with no dateline before them: “【记者 X】正文…”.
_OPENING_BRACKET = re.compile(f"^[{OPEN}]([^{OPEN}{CLOSE}]{{2,40}})[{CLOSE}]\\s*")
# A verb straight after a reporter's name opening a paragraph with no dateline (记者 王磊
# 看到，…, 通讯员 李四 介绍，…): the name is the sentence's subject, not a byline.
_SUBJECT_VERB = re.compile(
    "(?:在现场|现场|也|还|随后|随即|再次|曾)?"
    "(?:说|表示|介绍|看到|见到|了解到|注意到|发现|获悉|得知|认为|指出|告诉|提到|写道|来到"
    "|赶到|跟随|随同|一行)"
)
_REPORTED = re.compile(f"^(.{{2,40}}?)\\s*报道[\\s{COLON}{COMMA}]*")
# The most words a credit opening a paragraph runs to (“记者 X Y 通讯员 Z”).
_MAX_CREDIT_WORDS = 8
# A numbered picture's label opening its caption (图①：, 图2：); in the text “如图2” refers to one.
_PICTURE_NUMBER = f"^图\\s*(?:[①-⑳]|\\d{{1,2}}\\s*[{COLON}])"
_CAPTION_CUE = re.compile(
    f"图为|上图|下图|左图|右图|图中|组图|照片|资料图|供图|[{OPEN}]图[{CLOSE}]|{_PICTURE_NUMBER}"
)
_NUMBERED_PICTURE = re.compile(_PICTURE_NUMBER)
_QUOTED = re.compile(
    f'“[^”]*”|"[^"]*"|《[^》]*》|「[^」]*」|『[^』]*』|[{OPEN}][^{CLOSE}]*[{CLOSE}]'
)
_SPEECH = re.compile(f'[{COLON}]\\s*[“"「]')
_SENTENCE_PUNCTUATION = re.compile(f"[。{COMMA}{SEMICOLON}]")
# A heading never ends with a comma or full stop, nor starts with closing punctuation.
_NOT_HEADING_END = f"。{COMMA}{SEMICOLON}、"
_NOT_HEADING_START = f"。{COMMA}{SEMICOLON}、)\uff09”"
# A telephone or fax number after its label, closing a line of service information.
_CONTACT = re.compile(f"(?:电话|热线|手机|传真|联系方式)[{COLON}]?[\\d\\-－—()（）、/]{{7,}}$")
# Who speaks in an interview set as dialogue: 记者：…？ 问：… 答：…
_DIALOGUE = re.compile(f"^(?:本报记者|记者|主持人|问|答)[{COLON}]")
# A note wholly in round brackets; 【】 set crossheads off (【政策引导 企业上云】), ( ) do not,
# but for a number or part (（二）, （上）) that numbers a crosshead or a title.
_IN_PARENTHESES = re.compile(r"^[(\uff08][^()\uff08\uff09]{4,}[)\uff09]$")
# What makes such a line a note about the text (作者系…, 作者单位：…, 综合新华社…, 据…, 来源,
# 摘编, 整理): a series' name or a part (（学习贯彻党的二十大精神）, （城市更新系列报道）,
# （专家解读）) set in brackets over or under a headline is still a title.
_NOTE_WORDS = re.compile("作者|系(?!列|统)|综合|据|来源|单位|摘|转载|编|注|整理|供稿|删|本文|译")
# A numbered item (1. 2、 (3) ①) opens a paragraph of its own, even after a colon; “1.5万” or
# “3、4号楼” do not.
ITEM_START = re.compile(f"^(?:\\d{{1,2}}[.．、](?![\\d.．])|[{OPEN}]\\d{{1,2}}[{CLOSE}]|[①-⑳])")
# A line that only says who spoke (市园林局负责人说。): the end of the quote before it, never a
# paragraph of its own.
ATTRIBUTION = re.compile(
    f'^[^{STOPS}{COMMA}{SEMICOLON}{COLON}“”"]{{1,24}}'
    "(?:说|表示|介绍|坦言|感慨|笑着说|说道|介绍说|告诉记者)[。！!]?$"
)
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


# What kind of line this is, read on its own.
TEXT, BYLINE, TAIL, PHOTO = "text", "byline", "tail", "photo"
FURNITURE, PAGE_CREDIT, JUMP = "furniture", "page_credit", "jump"

_DATE_START = re.compile(r"^\d{1,2}\s*月\s*\d{1,2}\s*日")
# What marks a crosshead: a mark or a number before it, or 【】 around the whole line.
_CROSSHEAD_MARK = re.compile(
    f"^(?:[{_MARKS}]|[一二三四五六七八九十]+、|[{OPEN}][一二三四五六七八九十]+[{CLOSE}]"
    "|\u3010[^\u3011]+\u3011$)"
)


@dataclass(eq=False, slots=True)
class Reading:
    """One line read on its own. `text` is what is left once jump marks, web addresses and
    metadata fields are taken out (and, for a line that ends with credits, the credits)."""

    text: str
    kind: str = TEXT
    length: int = 0  # characters, without spaces
    width: int = 0  # the whole line's characters without spaces, credits and dateline included
    heading_shape: bool = False
    kicker_mark: bool = False
    subhead_mark: bool = False
    crosshead_mark: bool = False
    names: list[str] | None = None
    strong_name: bool = False
    credits: list[Credit] = field(default_factory=list)
    tails: _Tails | None = None
    dateline: str = ""
    dateline_credits: list[Credit] = field(default_factory=list)
    # The text as it was before a dateline (or the credits that open a first paragraph) was
    # split off, for a dateline that is not one.
    undated: str = ""
    terminated: bool = False
    date_start: bool = False
    caption_cue: bool = False
    # Short, without a full stop or a sentence's end: could be a title with a comma in it.
    title_like: bool = False
    # A jump mark (转第3版) was taken off its end: the text stops here on this page.
    jumps: bool = False
    # It opens with a jump mark (上接第1版): the rest of an article from another page.
    continued: bool = False
    # An editor's note (编者按：…): the story's dateline may come after it.
    editors_note: bool = False
    # It opens with a numbered picture's label (图①：): a caption, whatever stands around it.
    numbered_picture: bool = False

    @property
    def opens(self) -> bool:
        """Does it open an article's first paragraph, with a dateline or credits?"""
        return bool(self.undated)

    @property
    def unfinished(self) -> bool:
        """Text that stops mid-sentence, so the next line may carry it on."""
        return self.kind == TEXT and not (self.terminated or self.heading_shape or self.jumps)


@lru_cache(maxsize=4096)
def read_line(raw: str) -> Reading:
    """Read one line (already stripped). Cached: pages repeat their furniture and credits."""
    text = _SPACES.sub(" ", _DECORATION.sub("", raw).strip() or raw.strip())
    crosshead_mark = _CROSSHEAD_MARK.match(raw.strip()) is not None
    if "版" in text or "完" in text or "续" in text:
        if _JUMP_LINE.match(_SPACES.sub("", text)) or _WHOLE_JUMP.match(text):
            return Reading(text=text, kind=JUMP)
        unjumped = _JUMP.sub("", text).strip()
        continued = _JUMP.match(text) is not None
        jumps = unjumped != text and not continued
        text = unjumped
    else:
        jumps = continued = False
    if _is_web_furniture(text):
        return Reading(text=text, kind=FURNITURE)
    if _META_FIELD.match(text) or (len(text) <= 80 and _META_FIELD.search(text)):
        left = _META_FIELD.sub(" ", text).strip()
        if not left:
            return Reading(text=text, kind=FURNITURE)
        text = left
    if has_url(text) and "。" not in text:
        # A web page's links are furniture; an address in a sentence is what the text says.
        text = remove_urls(text).strip()
        if _NO_WORDS.match(text):
            return Reading(text=text, kind=FURNITURE)
    if len(text) <= MAX_CREDIT_LINE * 2:
        page_credits: list[Credit] = []
        if _is_page_credit_line(text, page_credits):
            return Reading(text=text, kind=PAGE_CREDIT, credits=page_credits)
    if _is_page_header(text):
        return Reading(text=text, kind=FURNITURE)
    if not CJK_RE.search(text) and len(text) <= 30:
        # Page numbers, stray Latin fragments and marks: nothing an article is made of.
        return Reading(text=text, kind=FURNITURE)
    line = Reading(
        text=text,
        crosshead_mark=crosshead_mark,
        jumps=jumps,
        continued=continued,
        width=len(_SPACES.sub("", text)),
    )
    if len(text) <= MAX_CREDIT_LINE and _credit_line(line):
        line.length = len(_SPACES.sub("", line.text))
        return line
    rest, tails = _split_tails(text)
    if tails is not None:
        line.tails = tails
        if not rest:
            if tails.photo is not None and not tails.closes():
                line.kind, line.credits = PHOTO, tails.photo
            else:
                line.kind = TAIL
            line.length = len(_SPACES.sub("", text))
            return line
        line.text = rest
    _shape(line)
    compact = _SPACES.sub("", line.text)
    line.length = len(compact)
    # A telephone number after its label (咨询电话：0471-6543210) ends what the line says, as a
    # full stop does: the next line does not carry it on.
    line.terminated = is_terminated(compact) or _CONTACT.search(compact) is not None
    line.date_start = _DATE_START.match(line.text) is not None
    line.editors_note = EDITORS_NOTE.match(line.text) is not None
    line.numbered_picture = _NUMBERED_PICTURE.match(line.text) is not None
    line.title_like = (
        not line.dateline
        and line.tails is None
        and 2 <= line.length <= MAX_HEADING
        and "。" not in compact
        and not line.terminated
        and CJK_RE.search(compact) is not None
    )
    if line.title_like and not line.heading_shape:
        line.kicker_mark = _KICKER_END.search(compact) is not None and line.length > 2
        line.subhead_mark = _SUBHEAD_START.match(compact) is not None and line.length > 2
    line.caption_cue = (line.tails is not None and line.tails.photo is not None) or bool(
        _CAPTION_CUE.search(line.text)
    )
    return line


def _is_web_furniture(text: str) -> bool:
    """Marks, breadcrumbs, share links, jump lines, an editorial's unnamed byline."""
    if _NO_WORDS.match(text) or _JUMP_LINE.match(text) or _COMMENTATOR.match(text):
        return True
    if len(text) <= 80 and _BREADCRUMB_MARK.search(text) and _BREADCRUMB_WORD.search(text):
        return "。" not in text
    if len(text) > 40:
        return False
    return _WEB_JUNK.match(text) is not None or _WEB_CONTROLS.match(text) is not None


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
    for part in _CREDIT_SEPARATOR.split(_HEADER_PART.sub("|", text)):
        match = PAGE_ROLE_RE.search(part)
        if match is None:
            continue
        # Before the first role word there may be the paper's or the page's name, no more.
        if len(_SPACES.sub("", part[: match.start()])) > 12:
            return False
        credits = parse_credits(part[match.start() :], default=None, page=True)
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


def _credit_line(line: Reading) -> bool:
    """A line made only of credits: “本报记者 杨乐”, “李炜 张扩 摄”, “(王欣)”, “[责任编辑:X]”."""
    text = line.text
    whole = _WHOLE_BRACKET.match(text)
    inner = whole.group(1).strip() if whole else text
    if _PHOTO_MARKER.match(text):
        line.kind, line.credits = PHOTO, []
        return True
    agency = _AGENCY_PHOTO.match(text)
    if agency:
        credits = parse_credits(agency.group("inner"), default=(PHOTOGRAPHER,), strict=False)
        if credits and all(credit.role == PHOTOGRAPHER for credit in credits):
            line.kind, line.credits = PHOTO, credits
            return True
    photo_end = _PHOTO_END.search(inner)
    if photo_end or ROLE_RE.match(inner) or NAME_THEN_LABEL.match(inner):
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
    # 据《X》 Y on a line of its own credits the paper; in a sentence (据《X》报道，…) it is text.
    if _SYNDICATED.match(text) and not _SENTENCE_PUNCTUATION.search(text):
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
    if any(tails.photo is not None for tails in found):
        # The agency that sent the picture in (新华社发（X 摄）) is part of its credit.
        rest = _AGENCY_SENT.sub("", rest)
    else:
        rest, photo = _split_photo_credit(rest)
        if photo:
            found.insert(0, _Tails(photo=photo))
        elif marker := _SPACED_PICTURE_SOURCE.search(rest):
            rest = rest[: marker.start()].rstrip()
            found.insert(0, _Tails(photo=[]))
    return rest, (_Tails.combine(found) if found else None)


def _split_photo_credit(text: str) -> tuple[str, list[Credit]]:
    """Split a photo credit off the end of a caption: one opened by a label (“图/王磊”), or
    “刘博寰 摄”: the shortest tail of the last sentence that reads as a photo credit, with the
    words before it that belong to the credit."""
    if not text.endswith(_PHOTO_WORDS):
        label = _PHOTO_LABEL.search(text, max(0, len(text) - 20))
        if label is None or not (credits := _photo_credits(label.group())):
            return text, []
        if not all(split_names(credit.name, strict=True) for credit in credits):
            return text, []  # 图：月度降水量 names no one
        return text[: label.start()].rstrip(), credits
    sentence_start = _LAST_SENTENCE.search(text)
    start = sentence_start.end() if sentence_start else 0
    candidates = [start] + [m.end() for m in _SPACES.finditer(text, start)]
    for index in reversed(range(max(0, len(candidates) - 4), len(candidates))):
        credits = _photo_credits(text[candidates[index] :])
        if not credits:
            continue
        begin = _photo_credit_start(text, start, candidates[: index + 1])
        longer = _photo_credits(text[begin:]) if begin < candidates[index] else None
        if longer:
            return text[:begin].rstrip(), longer
        return text[: candidates[index]].rstrip(), credits
    return text, []


def _photo_credit_start(text: str, start: int, candidates: list[int]) -> int:
    """Where a photo credit that starts at the last of `candidates` really starts: the names
    and titles before it belong to it when a title or the agency that sent the picture opens
    them (“本报记者 王磊 摄”, “记者 王磊 李四 摄”, “新华社发 王磊 摄”) or nothing else is left of
    the sentence (“周明 王丽 摄”)."""
    begin = candidates[-1]
    for index in range(len(candidates) - 1, 0, -1):
        word = text[candidates[index - 1] : candidates[index]].strip()
        if only_role_words(word) or _AGENCY_WORD.fullmatch(word):
            begin = candidates[index - 1]
        elif not split_names(word, strict=True):
            break
        elif not text[start : candidates[index - 1]].strip():
            begin = candidates[index - 1]
    return begin


def _photo_credits(credit: str) -> list[Credit] | None:
    """The photographers a caption's last words credit, if that is all they do."""
    credits = parse_credits(
        credit, default=(PHOTOGRAPHER,), strict=not _SPACED_PHOTO_END.search(credit)
    )
    if credits and all(c.role == PHOTOGRAPHER for c in credits):
        return credits
    return None


def _bracket_credit(content: str) -> _Tails | None:
    """What a bracket at the end of an article says, if it is a credit at all."""
    content = content.strip()
    if _PHOTO_MARKER.match(content):
        return _Tails(photo=[])  # (资料图片), (新华社发): a caption's credit that names no one
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


def _reported(text: str, *, dated: bool = True) -> tuple[list[Credit], str] | None:
    """“记者 X 通讯员 Y 报道:” opening a paragraph: its credits and the text after them.

    Without a dateline before it (`dated` False) the credit must be the line's opening
    clause, the role words and names each looking like one and 报道 set off after them by a
    colon or space (“记者 陈晨 报道：…”): “记者近日报道，…”, “记者曾多次报道，…” and
    “记者张华在此前的报道中提到…” are sentences of the body."""
    reported = _REPORTED.match(text) if ROLE_RE.match(text) else None
    parsed = parse_credits(reported.group(1), default=None) if reported else None
    if reported is None or not parsed:
        return None
    if not dated and not _opening_credit_clause(text, reported):
        return None
    return parsed, text[reported.end() :].strip()


def _opening_credit_clause(text: str, reported: re.Match[str]) -> bool:
    """Is what `_REPORTED` matched role words and strict names, then 报道 and a colon or space?"""
    after = text[text.index("报道", reported.end(1)) + 2 :]
    if after and not re.match(f"[\\s{COLON}]", after):
        return False
    names = _SPACES.sub(" ", ROLE_RE.sub(" ", reported.group(1))).strip(f" {COLON}{SLASH}")
    return not names or split_names(names, strict=True) is not None


def _unbracketed_credits(text: str, *, dated: bool = True) -> tuple[list[Credit], str]:
    """Credits that open a paragraph without brackets, after a dateline: “记者 X 通讯员 Y 报道:”,
    or “记者 X 通讯员 Y 正文…” where only the spaces mark where the credits end."""
    reported = _reported(text, dated=dated)
    if reported is not None:
        return reported
    if not ROLE_RE.match(text):
        return [], text
    # Without 报道, the credits are the space-separated words that are role words, names
    # after them or both run together (“记者林小燕”); the body starts at the first word that
    # is neither. A name must look like one (a common family name), so that the body's
    # first words are not taken for a second name.
    # A further name without a role word before it (记者 王磊 李四 通讯员 X) must also be
    # followed by a name or a role word: 张家港市, 高新区, 金秋 or 黄河 after the reporter's
    # name start the body.
    words = _SPACES.split(text, maxsplit=_MAX_CREDIT_WORDS)
    taken = 0
    after_name = False
    for index, word in enumerate(words[:-1]):
        role = ROLE_RE.match(word)
        name = word[role.end() :].lstrip(COLON) if role else word
        if name and not split_names(name, strict=True):
            break
        if not role and after_name and not _further_name(word, words[index + 1]):
            break
        after_name = bool(name)
        taken += 1
    while taken and ROLE_RE.fullmatch(words[taken - 1]):
        taken -= 1  # a role word with no name after it belongs to the text
    parsed = parse_credits(" ".join(words[:taken]), default=None) if taken else None
    if not parsed:
        return [], text
    return parsed, " ".join(words[taken:])


def _bare_name(word: str) -> bool:
    """A word that may be a name on its own among credits: two or three characters (four with
    a compound family name) that look like a name."""
    size_ok = len(word) in (2, 3) or (len(word) == 4 and word[:2] in COMPOUND_SURNAMES)
    return size_ok and split_names(word, strict=True) == [word]


def _further_name(word: str, following: str) -> bool:
    """Is `word`, after a name among a paragraph's opening credits, another name? Only if it
    is short like one and a name or a role word comes next, not the body's text."""
    if not _bare_name(word):
        return False
    after = _SPACES.split(following.strip(), maxsplit=1)[0]
    return ROLE_RE.match(after) is not None or _bare_name(after)


def _reporters_inline(text: str) -> tuple[list[Credit], str] | None:
    """“本报记者 X 正文…” or “【通讯员 X】正文…”: reporters' and correspondents' credits opening a
    paragraph with no dateline or 报道, and the text after them."""
    bracketed = _OPENING_BRACKET.match(text)
    if bracketed:
        # A column's name in brackets (【记者现场】, 【记者探营】, 【通讯员来稿】) is no credit:
        # with no dateline before it, each name must look like one.
        credits = parse_credits(bracketed.group(1), default=None) or []
        if not all(split_names(c.name, strict=True) == [c.name] for c in credits):
            credits = []
        rest = text[bracketed.end() :].strip()
    else:
        credits, rest = _unbracketed_credits(text, dated=False)
        if _SUBJECT_VERB.match(rest):
            credits = []  # 记者 王磊 看到，…: the reporter is the sentence's subject
    if credits and rest and all(c.role in (REPORTER, CORRESPONDENT) for c in credits):
        return credits, rest
    return None


def _shape(line: Reading) -> None:
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
            if not credits:
                line.dateline_credits, line.text = _unbracketed_credits(line.text)
            return
    reported = _reported(text, dated=False) or _reporters_inline(text)
    if reported is not None:
        # Credits opening the first paragraph without a dateline are read as a dateline's.
        line.undated = text
        line.dateline_credits, line.text = reported
        return
    if line.tails is not None:
        return  # a line that ends with a credit ends an article's text
    compact = _SPACES.sub("", text)
    if not 2 <= len(compact) <= MAX_HEADING or not CJK_RE.search(compact):
        return
    if "。" in compact or _SPEECH.search(compact):
        return  # a heading has no full stop, even inside quotes, and quotes nobody
    if _CONTACT.search(compact):
        return  # 咨询电话：0471-6543210 gives a number to call: a line of the text, not a title
    if _DIALOGUE.match(compact):
        return  # an interview's question or answer (记者：…？), however short, is what was said
    if _IN_PARENTHESES.match(compact) and _NOTE_WORDS.search(compact):
        return  # a note (作者系…), not a title
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
            # Names split only because two halves start with family names (“金色田野”) are
            # a weak reading: four characters are as often a title. A space or 、 between
            # them (王磊、李四) separates the names explicitly.
            line.strong_name = (
                " " in text or "、" in text or (len(names) == 1 and len(names[0]) <= 3)
            )
