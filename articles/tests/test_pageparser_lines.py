"""The line model shared by text and PDF pages (articles/pageparser/lines.py)."""

from __future__ import annotations

from django.test import SimpleTestCase

from articles.pageparser import Line, Role, split_lines


class SplitLinesTests(SimpleTestCase):
    def test_blank_lines_become_the_gap_before_the_next_line(self):
        """Blank lines are not lines: they are counted on the line that follows them."""
        lines = split_lines("标题\n\n\n正文一。\n正文二。\n")
        self.assertEqual([line.text for line in lines], ["标题", "正文一。", "正文二。"])
        self.assertEqual([line.gap_before for line in lines], [0, 2, 0])

    def test_an_indent_marks_a_first_line_only_where_some_lines_have_none(self):
        """Indents are kept where they tell lines apart and dropped where every line has one."""
        mixed = split_lines("标题\n\u3000\u3000第一段开头,\n接着写完。\n")
        self.assertEqual([line.indented for line in mixed], [False, True, False])
        every = split_lines("  标题\n  正文。\n")
        self.assertEqual([line.indented for line in every], [False, False])

    def test_text_lines_carry_no_geometry(self):
        """A text page knows nothing of sizes, weights, boxes or blocks."""
        (line,) = split_lines("一行\n")
        self.assertEqual((line.size, line.bold, line.box, line.block), (None, None, None, None))

    def test_roles_are_stable_strings(self):
        """Roles compare equal to their stored values, which forms and test cases keep."""
        self.assertEqual(Role("headline"), Role.HEADLINE)
        self.assertEqual(str(Role.DATELINE), "dateline")
        self.assertEqual(Line("x").gap_before, 0)
