"""The role decoder (label_lines) and assembly (assemble) on lines built in code."""

from __future__ import annotations

from django.test import SimpleTestCase

from articles.pageparser import LabelledLine, Line, Role, assemble, label_lines, split_lines


def roles(text: str) -> list[str]:
    return [item.role.value for item in label_lines(split_lines(text))]


class DecoderTests(SimpleTestCase):
    def test_every_line_gets_a_role_and_a_confidence(self):
        """One labelled line per line, each with a confidence between 0 and 1."""
        labelled = label_lines(split_lines("标题在此\n\n本报讯 第一段正文。\n\n第二段。\n"))
        self.assertEqual(len(labelled), 3)
        self.assertTrue(all(0.0 <= item.confidence <= 1.0 for item in labelled))

    def test_a_bare_name_between_articles_closes_the_one_above(self):
        """E-paper copy: the author's name alone, then the next headline at once."""
        text = (
            "首批售菜车开进小区\n本报讯(记者 温立新)售菜车今起开进各小区,价格与超市持平。\n"
            "居民不出小区就能买到新鲜蔬菜,\n温立 新\n线上课堂覆盖全市中小学\n"
            "本报讯(记者 魏彤)全市中小学今起开展线上教学。\n"
        )
        self.assertEqual(
            roles(text), ["headline", "dateline", "body", "credit", "headline", "dateline"]
        )

    def test_a_short_line_carries_on_an_unfinished_one(self):
        """A short line after a sentence cut off is the rest of it, not a crosshead."""
        text = "标题在此\n\n正文第一行没有写完，剩下的在\n下一行\n\n第二段。\n"
        self.assertEqual(roles(text), ["headline", "body", "body", "body"])

    def test_a_dated_line_under_a_short_title_is_a_caption(self):
        """A photo's title and a dated caption with no credit make a photo, not an article."""
        text = "市场新闻\n\n本报讯 菜价平稳。\n\n春到田间\n\n3月20日,农民在油菜花田里除草。\n"
        self.assertEqual(roles(text)[-2:], ["photo_title", "caption"])

    def test_a_bracketed_reporter_under_a_headline_is_its_byline(self):
        """“（本报记者 X）” under a headline credits that article."""
        page = assemble(
            label_lines(split_lines("村支书的三本账\n\n（本报记者 韦思远）\n\n正文。\n"))
        )
        self.assertEqual(
            [(c.name, c.role) for c in page.articles[0].bylines], [("韦思远", "reporter")]
        )

    def test_e_paper_controls_are_furniture(self):
        """A line of the site's buttons (放大 缩小 默认) is left out."""
        self.assertEqual(roles("放大 缩小 默认\n标题在此\n\n正文。\n")[0], "furniture")

    def test_size_evidence_makes_a_headline(self):
        """With sizes (a PDF's lines), a line set large is a headline even without a gap."""
        lines = [
            Line("长江岸线生态修复", size=22.0),
            Line("今年以来，沿江各地拆除违规码头，修复岸线。", size=10.0),
            Line("修复后的岸线向市民开放，成为休闲的好去处。", size=10.0),
            Line("沿江步道", size=10.0, bold=True),
            Line("步道全长十二公里，串起六座公园。", size=10.0),
        ]
        labelled = label_lines(lines)
        self.assertEqual(labelled[0].role, Role.HEADLINE)
        self.assertEqual(labelled[1].role, Role.BODY)

    def test_a_new_block_starts_a_new_article(self):
        """Geometry's block change parts two articles even where the text would carry on."""
        lines = [
            Line("标题甲", block=1),
            Line("正文甲没有写完，", block=1),
            Line("标题乙", block=2),
            Line("正文乙。", block=2),
        ]
        page = assemble(
            [
                LabelledLine(lines[0], Role.HEADLINE),
                LabelledLine(lines[1], Role.BODY),
                LabelledLine(lines[2], Role.HEADLINE),
                LabelledLine(lines[3], Role.BODY),
            ]
        )
        self.assertEqual([a.headline for a in page.articles], ["标题甲", "标题乙"])
