"""Correcting the parser's reading in the admin's import preview before anything is stored."""

from __future__ import annotations

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Photo
from articles.pageparser import Role, label_lines, split_lines

from .factories import IssueFactory, PageFactory

# Two articles; the second one's author name sits under its headline, where the parser takes
# it for the article's own byline, and a caption closes the page.
TEXT = """河湾区新增三座口袋公园

本报讯（记者 周立行）河湾区今年建成的三座口袋公园近日向市民开放。

公园里设有健身步道和儿童游乐区。

夜市经济点亮城市烟火气

本报讯 入夏以来，滨江夜市人气持续走高，每晚客流超过两万人次。

夜市管理方表示，今年新增了一百个摊位。

9月12日，游客在滨江夜市选购特色小吃。

聂 文 摄
"""


class ImportCorrectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("chief", password="pw")

    def setUp(self):
        self.client.force_login(self.user)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.page = PageFactory(issue=IssueFactory(draft=True), number=3, name="要闻")
        self.url = reverse("admin:articles_page_import_text", args=[self.page.pk])
        self.roles = [item.role.value for item in label_lines(split_lines(TEXT))]

    def post(self, action: str, roles: list[str], text: str = TEXT):
        return self.client.post(self.url, {action: "1", "text": text, "role": roles})

    def test_preview_shows_each_line_with_a_menu_of_roles(self):
        """Every line has a role menu with the parser's role chosen, and the facts the browser
        needs to assemble the page again are in the page as JSON, not as a script."""
        response = self.client.post(self.url, {"preview": "1", "text": TEXT})
        self.assertContains(response, '<select name="role"', count=len(self.roles))
        self.assertContains(response, '<option value="headline" selected>', count=2)
        self.assertContains(response, 'id="import-correction-data" type="application/json"')
        self.assertContains(response, "articles/import-correction.js")

    def test_unsure_lines_are_marked(self):
        """A line the decoder was unsure of carries a mark the editor can see."""
        labelled = label_lines(split_lines(TEXT))
        unsure = sum(1 for item in labelled if item.confidence < 0.5)
        response = self.client.post(self.url, {"preview": "1", "text": TEXT})
        self.assertContains(response, 'class="unsure-mark"', count=unsure)

    def test_confirm_stores_the_corrected_roles(self):
        """A headline turned into a crosshead joins its article to the one above: one article
        is stored, with the second's text under the crosshead."""
        roles = list(self.roles)
        roles[roles.index("headline", 1)] = Role.CROSSHEAD.value
        response = self.post("confirm", roles)
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get()
        self.assertEqual(article.headline, "河湾区新增三座口袋公园")
        self.assertIn("夜市经济点亮城市烟火气", article.body)
        self.assertIn("滨江夜市", article.body)
        self.assertEqual(Photo.objects.count(), 1)

    def test_preview_again_shows_the_corrected_reading(self):
        """Without the browser's script, Preview again reads the page with the chosen roles."""
        roles = list(self.roles)
        roles[0] = Role.FURNITURE.value
        response = self.post("preview", roles)
        self.assertContains(response, "1 draft article")
        self.assertContains(response, '<option value="furniture" selected>', count=1)
        self.assertFalse(Article.objects.exists())

    def test_split_makes_a_line_a_headline(self):
        """A crosshead given the headline role starts an article of its own."""
        text = "老街上的修表铺\n\n铺子不足十平方米。\n\n七十岁的店主\n\n他每天清早照常开门。\n"
        roles = [item.role.value for item in label_lines(split_lines(text))]
        self.assertEqual(roles, ["headline", "body", "crosshead", "body"])
        roles[2] = Role.HEADLINE.value
        self.post("confirm", roles, text)
        self.assertEqual(
            list(Article.objects.order_by("position").values_list("headline", flat=True)),
            ["老街上的修表铺", "七十岁的店主"],
        )

    def test_a_credit_line_above_the_text_credits_the_article_above(self):
        """“Move to the article above” makes a line a closing credit; above an article's text
        it signs the article before."""
        text = TEXT.replace("夜市经济点亮城市烟火气\n", "夜市经济点亮城市烟火气\n\n罗依然\n")
        roles = [item.role.value for item in label_lines(split_lines(text))]
        name = [line.text for line in split_lines(text)].index("罗依然")
        roles[name] = Role.CREDIT.value
        self.post("confirm", roles, text)
        first, second = Article.objects.order_by("position")
        self.assertIn("罗依然", [b.contributor.name for b in first.bylines.all()])
        self.assertNotIn("罗依然", [b.contributor.name for b in second.bylines.all()])

    def test_roles_that_do_not_match_the_lines_are_refused(self):
        """Roles for another text, or a role that does not exist, store nothing."""
        response = self.post("confirm", self.roles[:-1])
        self.assertContains(response, "do not match the page")
        response = self.post("confirm", [*self.roles[:-1], "painter"])
        self.assertContains(response, "is not a role a line can take")
        self.assertFalse(Article.objects.exists())

    def test_roles_that_leave_no_article_are_refused(self):
        """Corrections that leave no article are refused with the parser's message."""
        response = self.post("confirm", [Role.BODY.value] * len(self.roles))
        self.assertContains(response, "No article was found")
        self.assertFalse(Article.objects.exists())

    def test_a_page_of_pictures_alone_is_stored(self):
        """A picture page, each caption with its photographer, is stored as standalone photos
        on the page: no article, and no refusal."""
        text = "春日花海\n\n4月2日，游客在郊野公园赏花。\n\n本报记者 刘旭 摄\n"
        roles = [item.role.value for item in label_lines(split_lines(text))]
        response = self.post("confirm", roles, text=text)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Article.objects.exists())
        photo = Photo.objects.get(page=self.page)
        self.assertEqual(photo.caption, "4月2日，游客在郊野公园赏花。")

    def test_download_gives_the_text_and_the_corrected_document(self):
        """A corrected preview downloads as a zip: the text and its expected JSON document."""
        roles = list(self.roles)
        roles[0] = Role.FURNITURE.value
        response = self.post("download", roles)
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        name = f"page-{self.page.pk}"
        self.assertEqual(sorted(archive.namelist()), [f"{name}.expected.json", f"{name}.txt"])
        self.assertEqual(archive.read(f"{name}.txt").decode(), TEXT)
        document = json.loads(archive.read(f"{name}.expected.json"))
        self.assertEqual([a["headline"] for a in document["articles"]], ["夜市经济点亮城市烟火气"])
        self.assertFalse(Article.objects.exists())
