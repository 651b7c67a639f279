"""Layouts the generated corpora do not vary, drawn here on small pages: decks set in large
print, headlines side by side, an advertisement's slogans."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from articles.pageparser.pdf import read_pdf_page

FONT = "STSong-Light"
BODY = 9.5
PARAGRAPHS = (
    "今年以来，溪口镇卫生院新建了远程会诊室，群众看病不再来回奔波。",
    "截至目前，该项目已累计服务两千余人次，周边村民纷纷前来体验。",
    "工作人员每天轮流值守，热线电话全天有人接听。",
)


def _page(draw, size=(700, 1000)) -> bytes:
    """A page drawn in top-left coordinates: draw(text), where text(x, baseline, string,
    size, bold=False) writes one line; bold is stroked text, as layout systems fake it."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)

    def text(x, baseline, string, font_size, bold=False):
        pdf.saveState()
        line = pdf.beginText(x, size[1] - baseline)
        line.setFont(FONT, font_size)
        line.setTextRenderMode(2 if bold else 0)
        line.textOut(string)
        pdf.drawText(line)
        pdf.restoreState()

    draw(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _column(text, x, top, width, paragraphs=PARAGRAPHS) -> float:
    """Paragraphs set into one column, first lines indented two characters; returns the
    column's bottom."""
    per = int(width // BODY)
    y = top
    for paragraph in paragraphs:
        rest, indent = paragraph, 2
        while rest:
            count = per - indent
            chunk, rest = rest[:count], rest[count:]
            while rest and rest[0] in "，。、”":
                chunk, rest = chunk + rest[0], rest[1:]
            y += 1.6 * BODY
            text(x + indent * BODY, y, chunk, BODY)
            indent = 0
    return y + 0.3 * BODY


def test_kicker_and_subheadline_in_large_print_stay_with_their_headline():
    """A lead's kicker and its —— subheadline, set large enough to pass for headlines (more
    than 1.45 times the body size), are its kicker and subheadline: not articles of their own
    that take the lead's columns."""

    def draw(text):
        text(200, 100, "民生实事进行时", 16.5, bold=True)
        text(170, 136, "溪口镇远程会诊室投入使用", 30, bold=True)
        text(240, 160, "——群众在家门口看上专家号", 16.5)
        for column in range(2):
            _column(text, 36 + 160 * column, 175, 150)

    [lead] = read_pdf_page(_page(draw)).document.articles
    assert (lead.kicker, lead.headline, lead.subheadline) == (
        "民生实事进行时",
        "溪口镇远程会诊室投入使用",
        "群众在家门口看上专家号",
    )
    assert len(lead.boxes) == 3  # the head and its two columns
    assert len(lead.paragraphs) == 6


def test_headlines_side_by_side_read_left_to_right():
    """Two articles side by side, no rule between them, their headlines on one line: the left
    one is read first, though the right one's first glyph stands a fraction higher (“一”)."""

    def draw(text):
        text(36, 100, "五月鲜花开满山", 24, bold=True)
        _column(text, 36, 110, 150)
        text(236, 100, "一桥连两岸", 24, bold=True)
        _column(text, 236, 110, 150)

    articles = read_pdf_page(_page(draw)).document.articles
    assert [article.headline for article in articles] == ["五月鲜花开满山", "一桥连两岸"]


@pytest.mark.xfail(
    strict=True,
    reason="headlines on one baseline half an em apart read as one headline with a word "
    "space: telling a gutter from a space in a headline needs the columns under it",
)
def test_headlines_side_by_side_half_an_em_apart_stay_apart():
    """The left headline fills its area, the right one starts a gutter (half an em) after it:
    two articles, not one headline over both."""

    def draw(text):
        text(36, 100, "五月鲜花开满山", 24, bold=True)
        _column(text, 36, 110, 150)
        text(216, 100, "一桥连两岸", 24, bold=True)
        _column(text, 216, 110, 150)

    articles = read_pdf_page(_page(draw)).document.articles
    assert [article.headline for article in articles] == ["五月鲜花开满山", "一桥连两岸"]


def test_advertisement_in_large_print_is_no_article():
    """An advertisement's slogans, large print with no body text under them, are not
    articles: the article above keeps its place, nothing else is read."""

    def draw(text):
        text(36, 100, "冷链仓库建成投用", 24, bold=True)
        _column(text, 36, 110, 300)
        text(80, 400, "溪口温泉度假村", 48, bold=True)
        text(80, 480, "五一特惠 全场八折", 36, bold=True)
        text(80, 540, "咨询电话：一二三四五六七", 18)

    articles = read_pdf_page(_page(draw)).document.articles
    assert [article.headline for article in articles] == ["冷链仓库建成投用"]
