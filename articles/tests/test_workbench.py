"""The page workbench: its services (articles/workbench.py) and its admin view."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw
from reversion.models import Version
from shapely import Polygon

from articles import workbench
from articles.models import Article, Byline, Page, Status, WorkflowStep, format_body
from articles.regions import inside_point
from articles.workbench import STAND_IN_HEADLINE, Refused

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
)
from .test_workflow import staff

SCAN_SIZE = (1000, 1400)
# Three articles stacked down the page, in scan pixels.
REGIONS = [
    [[40, 40], [960, 40], [960, 440], [40, 440]],
    [[40, 460], [960, 460], [960, 860], [40, 860]],
    [[40, 880], [960, 880], [960, 1360], [40, 1360]],
]


def scan_upload(regions=REGIONS) -> SimpleUploadedFile:
    """A page scan drawn with Pillow: grey blocks where the articles stand."""
    image = Image.new("RGB", SCAN_SIZE, "white")
    draw = ImageDraw.Draw(image)
    for points in regions:
        draw.polygon([tuple(point) for point in points], fill=(210, 210, 210), outline="black")
        for y in range(points[0][1] + 20, points[2][1] - 10, 24):
            draw.line([(points[0][0] + 20, y), (points[1][0] - 20, y)], fill=(90, 90, 90), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def body(*paragraphs: str) -> str:
    return format_body(
        [("crosshead", p[3:]) if p.startswith("## ") else ("paragraph", p) for p in paragraphs]
    )


class WorkbenchTestCase(TestCase):
    """A page of an issue not out yet, with a scan and three drafts with regions; an editor of
    the page, a reporter, a reviewer and the chief."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = staff("editor", "editor")
        cls.reporter = staff("reporter", "reporter")
        cls.reviewer = staff("first", "first_reviewer")
        cls.chief = staff("chief", "chief")
        cls.page = PageFactory(issue=IssueFactory(draft=True), number=2, scan=scan_upload())
        cls.page.editors.add(cls.editor)

    def setUp(self):
        self.one, self.two, self.three = (
            ArticleFactory(
                page=self.page,
                draft=True,
                position=position,
                headline=headline,
                body=text,
                region=region,
            )
            for position, headline, text, region in zip(
                (1, 2, 3),
                ("地铁三号线开通试运营", "夜市经济点亮城市烟火气", "菜市场里的公平秤"),
                (
                    body("线路全长二十六公里。", "沿线设站二十座。"),
                    body("入夏以来，滨江夜市人气走高。", "## 小吃摊位过百", "每晚客流两万。"),
                    body("城北农贸市场门口排起小队。", "缺斤短两的投诉明显减少。"),
                ),
                REGIONS,
                strict=True,
            )
        )
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def fresh(self, *articles: Article) -> list[Article]:
        return [Article.objects.get(pk=article.pk) for article in articles]

    def positions(self) -> list[tuple[str, int]]:
        return list(self.page.articles.order_by("position").values_list("headline", "position"))


class JoinTests(WorkbenchTestCase):
    def test_second_is_appended_to_first_and_deleted(self):
        """The second's headline becomes a crosshead before its text; the second is gone, the
        articles after it move up one place."""
        workbench.join(first=self.one, second=self.two, user=self.editor)
        one = Article.objects.get(pk=self.one.pk)
        self.assertEqual(
            one.body,
            body(
                "线路全长二十六公里。",
                "沿线设站二十座。",
                "## 夜市经济点亮城市烟火气",
                "入夏以来，滨江夜市人气走高。",
                "## 小吃摊位过百",
                "每晚客流两万。",
            ),
        )
        self.assertFalse(Article.objects.filter(pk=self.two.pk).exists())
        self.assertEqual(self.positions(), [(one.headline, 1), (self.three.headline, 2)])
        self.assertEqual(one.version, self.one.version + 1)

    def test_titles_dateline_stand_in(self):
        """Kicker and subheadline become crossheads too, a stand-in headline is dropped, and
        the dateline opens the first paragraph."""
        self.two.kicker, self.two.subheadline, self.two.dateline = "引题", "副题", "本报讯"
        self.two.save()
        self.three.headline = STAND_IN_HEADLINE
        self.three.save()
        workbench.join(first=self.one, second=self.two, user=self.editor)
        (one,) = self.fresh(self.one)
        self.assertIn(
            body(
                "## 引题",
                "## 夜市经济点亮城市烟火气",
                "## 副题",
                "本报讯 入夏以来，滨江夜市人气走高。",
            ),
            one.body,
        )
        # Joining renumbered the third: its version moved.
        one, three = self.fresh(self.one, self.three)
        workbench.join(first=one, second=three, user=self.editor)
        (one,) = self.fresh(one)
        self.assertTrue(
            one.body.endswith(
                body("每晚客流两万。", "城北农贸市场门口排起小队。", "缺斤短两的投诉明显减少。")
            )
        )
        self.assertNotIn(STAND_IN_HEADLINE, one.body)

    def test_credits_are_merged_without_duplicates(self):
        """Both articles' credits end on the first, each person in each role once."""
        shared, only_second = ContributorFactory(), ContributorFactory()
        BylineFactory(article=self.one, contributor=shared, order=0)
        BylineFactory(article=self.two, contributor=shared, order=0)
        BylineFactory(article=self.two, contributor=only_second, order=1)
        BylineFactory(article=self.two, contributor=shared, role=Byline.Role.PHOTOGRAPHER, order=2)
        workbench.join(first=self.one, second=self.two, user=self.editor)
        credits = list(
            Byline.objects.filter(article=self.one).values_list("contributor", "role", "order")
        )
        self.assertEqual(
            credits,
            [
                (shared.pk, Byline.Role.REPORTER, 0),
                (only_second.pk, Byline.Role.REPORTER, 2),
                (shared.pk, Byline.Role.PHOTOGRAPHER, 3),
            ],
        )
        self.assertEqual(Byline.objects.count(), 3)

    def test_photos_follow_the_first_articles_own(self):
        """The second's photos move to the first, after its own photos."""
        own = PhotoFactory(article=self.one, position=1)
        moved = [PhotoFactory(article=self.two, position=n) for n in (1, 2)]
        workbench.join(first=self.one, second=self.two, user=self.editor)
        photos = list(self.one.photos.order_by("position").values_list("pk", "position"))
        self.assertEqual(photos, [(own.pk, 1), (moved[0].pk, 2), (moved[1].pk, 3)])

    def test_regions_become_one_outline(self):
        """The joined region is one polygon covering both regions and the gutter between."""
        workbench.join(first=self.one, second=self.two, user=self.editor)
        (one,) = self.fresh(self.one)
        outline = Polygon(one.region)
        self.assertTrue(outline.contains(Polygon([[41, 41], [959, 41], [959, 859], [41, 859]])))
        self.assertLess(outline.area, 921 * 821)
        # One region kept when the other has none.
        Article.objects.filter(pk=self.three.pk).update(region=None)
        (three,) = self.fresh(self.three)
        workbench.join(first=one, second=three, user=self.editor)
        (one,) = self.fresh(one)
        self.assertEqual(Polygon(one.region).area, outline.area)

    def test_history_keeps_both(self):
        """The first keeps a version saying what was joined; the deleted one's last version is
        kept, so it can be recovered."""
        workbench.join(first=self.one, second=self.two, user=self.editor)
        joined = Version.objects.get_for_object(self.one).first()
        self.assertEqual(joined.revision.user, self.editor)
        self.assertIn("Joined with “夜市经济点亮城市烟火气”", joined.revision.comment)
        deleted = Version.objects.get_deleted(Article).get(object_id=str(self.two.pk))
        self.assertEqual(deleted.field_dict["headline"], "夜市经济点亮城市烟火气")
        self.assertIn("Joined into", deleted.revision.comment)

    def test_refusals_change_nothing(self):
        """Itself, a non-draft, another page's article, a stale one: refused, nothing changed."""
        elsewhere = ArticleFactory(draft=True, page=PageFactory(issue=self.page.issue, number=9))
        in_review = ArticleFactory(page=self.page, status=Status.FIRST_REVIEW, position=4)
        stale = Article.objects.get(pk=self.two.pk)
        self.two.headline = "有人改过"
        self.two.version += 1
        self.two.save()
        cases = {
            "itself": (self.one, self.one, "itself"),
            "in review": (self.one, in_review, "drafts only"),
            "another page": (self.one, elsewhere, "same page"),
            "stale": (self.one, stale, "after you opened the workbench"),
        }
        for name, (first, second, message) in cases.items():
            with self.subTest(name):
                before = self.fresh(self.one, self.two)
                with self.assertRaisesMessage(Refused, message):
                    workbench.join(first=first, second=second, user=self.editor)
                self.assertEqual(
                    [(a.body, a.version) for a in self.fresh(self.one, self.two)],
                    [(a.body, a.version) for a in before],
                )


class SplitTests(WorkbenchTestCase):
    def test_a_crosshead_becomes_the_headline(self):
        """Split at a crosshead: the rest is a new draft after the article, headed by it, with
        no region; the articles after it move down one place."""
        new = workbench.split(article=self.two, paragraph_index=1, user=self.editor)
        two, new = self.fresh(self.two, new)
        self.assertEqual(two.body, body("入夏以来，滨江夜市人气走高。"))
        self.assertEqual((new.headline, new.body), ("小吃摊位过百", body("每晚客流两万。")))
        self.assertEqual((new.status, new.page, new.region), (Status.DRAFT, self.page, None))
        self.assertEqual(
            self.positions(),
            [
                (self.one.headline, 1),
                (two.headline, 2),
                ("小吃摊位过百", 3),
                (self.three.headline, 4),
            ],
        )
        self.assertIn("Split from", Version.objects.get_for_object(new).get().revision.comment)

    def test_a_short_line_or_a_stand_in(self):
        """A short line that ends no sentence is a title; a sentence gets the stand-in, and its
        text stays in the body."""
        self.one.body = body("第一段。", "换乘更方便", "第三段。", "第四段，沿线设站二十座。")
        self.one.save()
        titled = workbench.split(article=self.one, paragraph_index=1, user=self.editor)
        self.assertEqual(
            (titled.headline, titled.body),
            ("换乘更方便", body("第三段。", "第四段，沿线设站二十座。")),
        )
        (titled,) = self.fresh(titled)
        stand_in = workbench.split(article=titled, paragraph_index=1, user=self.editor)
        self.assertEqual(
            (stand_in.headline, stand_in.body),
            (STAND_IN_HEADLINE, body("第四段，沿线设站二十座。")),
        )

    def test_the_new_part_keeps_the_authors_ownership(self):
        """A reporter splits their own draft; the new one is theirs, from the same import."""
        self.three.created_by = self.reporter
        self.three.save()
        new = workbench.split(article=self.three, paragraph_index=1, user=self.reporter)
        self.assertEqual(new.created_by, self.reporter)
        self.assertEqual(new.page_import_id, self.three.page_import_id)

    def test_paragraph_out_of_range(self):
        """Splitting before the first paragraph, or past the last, is refused."""
        for index in (0, 2, 99, -1):
            with self.subTest(index=index), self.assertRaisesMessage(Refused, "paragraphs 2 to 2"):
                workbench.split(article=self.one, paragraph_index=index, user=self.editor)
        self.assertEqual(self.page.articles.count(), 3)


class RenumberTests(WorkbenchTestCase):
    def test_an_article_the_user_may_not_change_keeps_its_number(self):
        """A reporter splits and joins their own draft: others' articles keep their numbers,
        and a split that needs one of those numbers is refused (the page's editor may)."""
        Article.objects.filter(pk=self.two.pk).update(created_by=self.reporter)
        Article.objects.filter(pk=self.three.pk).update(position=5)
        (two,) = self.fresh(self.two)
        new = workbench.split(article=two, paragraph_index=1, user=self.reporter)
        self.assertEqual([p for _h, p in self.positions()], [1, 2, 3, 5])
        (two,) = self.fresh(two)
        workbench.join(first=two, second=new, user=self.reporter)
        self.assertEqual([p for _h, p in self.positions()], [1, 2, 5])
        Article.objects.filter(pk=self.three.pk).update(position=3)
        (two,) = self.fresh(two)
        with self.assertRaisesMessage(Refused, "no number left before “菜市场里的公平秤”"):
            workbench.split(article=two, paragraph_index=1, user=self.reporter)
        workbench.split(article=two, paragraph_index=1, user=self.editor)
        self.assertEqual([p for _h, p in self.positions()], [1, 2, 3, 4])

    def test_an_article_in_review_makes_room_only_when_it_must(self):
        """An article in review after the drafts keeps its number while it can, and moves
        down (a new version, so that a form opened before is stale) when a split needs it."""
        self.three.status = Status.FIRST_REVIEW
        self.three.save()
        workbench.join(first=self.one, second=self.two, user=self.editor)
        self.assertEqual([p for _h, p in self.positions()], [1, 3])
        (one,) = self.fresh(self.one)
        new = workbench.split(article=one, paragraph_index=1, user=self.editor)
        self.assertEqual([p for _h, p in self.positions()], [1, 2, 3])
        (three,) = self.fresh(self.three)
        self.assertEqual(three.version, self.three.version)
        workbench.split(article=new, paragraph_index=1, user=self.editor)
        (three,) = self.fresh(self.three)
        self.assertEqual((three.position, three.version), (4, self.three.version + 1))
        self.assertEqual(three.status, Status.FIRST_REVIEW)


class MoveTests(WorkbenchTestCase):
    def test_to_the_end_or_the_beginning(self):
        """Ticked paragraphs go, in order, to the end of the target, or to its beginning."""
        workbench.move_paragraphs(
            source=self.two, target=self.one, indexes=[2, 1], user=self.editor
        )
        one, two = self.fresh(self.one, self.two)
        self.assertEqual(two.body, body("入夏以来，滨江夜市人气走高。"))
        self.assertEqual(
            one.body,
            body("线路全长二十六公里。", "沿线设站二十座。", "## 小吃摊位过百", "每晚客流两万。"),
        )
        workbench.move_paragraphs(
            source=one, target=self.three, indexes=[0], user=self.editor, at=0
        )
        three = Article.objects.get(pk=self.three.pk)
        self.assertTrue(three.body.startswith("线路全长二十六公里。\n城北农贸市场"))

    def test_refusals(self):
        """None ticked, every paragraph, one past the end, the same article, a place past the
        target's end: refused with what to do instead."""
        cases = {
            "none": ({"indexes": []}, "Tick the paragraphs"),
            "all": ({"indexes": [0, 1, 2]}, "join the two instead"),
            "past the end": ({"indexes": [0, 3]}, "has no paragraph 4"),
            "same": ({"indexes": [0], "target": self.two}, "Choose another article"),
            "place": ({"indexes": [0], "at": 5}, "has no paragraph 6"),
        }
        for name, (changes, message) in cases.items():
            with self.subTest(name), self.assertRaisesMessage(Refused, message):
                workbench.move_paragraphs(
                    **{"source": self.two, "target": self.one, "user": self.editor} | changes
                )
        self.assertEqual(self.fresh(self.two)[0].version, self.two.version)


class RegionTests(WorkbenchTestCase):
    def test_set_and_clear(self):
        """A region is stored in scan pixels; an empty one clears it."""
        points = [[10, 10], [500, 10], [500, 300]]
        workbench.set_region(article=self.one, points=points, user=self.editor)
        (one,) = self.fresh(self.one)
        self.assertEqual(one.region, points)
        workbench.set_region(article=one, points=[], user=self.editor)
        self.assertIsNone(self.fresh(one)[0].region)

    def test_bad_regions(self):
        """Outside the scan, too few points, not numbers, on a page without a scan: refused."""
        cases = {
            "outside": ([[0, 0], [1001, 0], [5, 5]], "outside the page scan"),
            "two points": ([[0, 0], [5, 5]], "between 3 and 64 points"),
            "not numbers": ([[0, 0], ["a", 1], [5, 5]], "whole, non-negative"),
        }
        for name, (points, message) in cases.items():
            with self.subTest(name), self.assertRaisesMessage(Exception, message):
                workbench.set_region(article=self.one, points=points, user=self.editor)
        Page.objects.filter(pk=self.page.pk).update(scan="", scan_width=None, scan_height=None)
        with self.assertRaisesMessage(Exception, "needs a page with a scan"):
            workbench.set_region(article=self.one, points=REGIONS[0], user=self.editor)
        self.assertEqual(self.fresh(self.one)[0].region, REGIONS[0])


class ConfirmTests(WorkbenchTestCase):
    def test_every_draft_goes_to_first_review(self):
        """Confirming sends each draft on the page to 待初审, each move recorded."""
        sent = workbench.confirm(page=self.page, user=self.editor)
        self.assertEqual(len(sent), 3)
        self.assertEqual(
            set(self.page.articles.values_list("status", flat=True)), {Status.FIRST_REVIEW}
        )
        self.assertEqual(WorkflowStep.objects.filter(user=self.editor).count(), 3)

    def test_refused_with_what_blocks_it(self):
        """A stand-in headline, an empty body and a missing region are each named; nothing is
        sent."""
        self.one.headline = STAND_IN_HEADLINE
        self.one.save()
        self.two.body = ""
        self.two.save()
        self.three.region = None
        self.three.save()
        with self.assertRaises(Refused) as refused:
            workbench.confirm(page=self.page, user=self.editor)
        message = refused.exception.message
        self.assertIn(f"“{STAND_IN_HEADLINE}”: the headline is a stand-in", message)
        self.assertIn("“夜市经济点亮城市烟火气”: the body is empty", message)
        self.assertIn("“菜市场里的公平秤”: no region on the scan", message)
        self.assertEqual(set(self.page.articles.values_list("status", flat=True)), {Status.DRAFT})

    def test_no_region_needed_without_a_scan(self):
        """On a page without a scan, drafts go without regions."""
        Page.objects.filter(pk=self.page.pk).update(scan="")
        Article.objects.update(region=None)
        self.page.refresh_from_db()
        self.assertEqual(len(workbench.confirm(page=self.page, user=self.editor)), 3)

    def test_stale_or_nothing_to_confirm(self):
        """Drafts changed, added or deleted since the editor saw the page: nothing sent, the
        changed ones named. No drafts: refused."""
        seen = self.fresh(self.one, self.two, self.three)
        self.two.headline = "改过"
        self.two.version += 1
        self.two.save()
        cases = {
            "changed": (seen, "(“改过”)"),
            "added": ([seen[0], self.two], "(“菜市场里的公平秤”)"),
            "deleted": ([*seen[:1], self.two, seen[2], Article(pk=10**6, version=1)], "deleted"),
        }
        for name, (shown, message) in cases.items():
            with self.subTest(name), self.assertRaisesMessage(Refused, message):
                workbench.confirm(page=self.page, user=self.editor, seen=shown)
        self.assertEqual(set(self.page.articles.values_list("status", flat=True)), {Status.DRAFT})
        workbench.confirm(page=self.page, user=self.editor)
        with self.assertRaisesMessage(Refused, "has no drafts to confirm"):
            workbench.confirm(page=self.page, user=self.editor)


class PermissionTests(WorkbenchTestCase):
    def test_reporters_change_only_their_own_drafts(self):
        """A reporter may not join, split or confirm others' drafts; their own, they may."""
        with self.assertRaisesMessage(PermissionDenied, "You may not change"):
            workbench.split(article=self.one, paragraph_index=1, user=self.reporter)
        self.one.created_by = self.reporter
        self.one.save()
        with self.assertRaisesMessage(PermissionDenied, "“夜市经济点亮城市烟火气”"):
            workbench.join(first=self.one, second=self.two, user=self.reporter)
        with self.assertRaisesMessage(Refused, "you may not send it to review"):
            workbench.confirm(page=self.page, user=self.reporter)
        Article.objects.filter(pk=self.three.pk).update(created_by=self.reporter)
        (three,) = self.fresh(self.three)
        workbench.split(article=three, paragraph_index=1, user=self.reporter)

    def test_who_may_open_the_workbench(self):
        """The chief and the page's editors; a reporter with a draft there; no one else."""
        articles = list(self.page.articles.all())
        other_editor = staff("other-editor", "editor")
        self.assertTrue(workbench.may_open(self.chief, self.page, articles))
        self.assertTrue(workbench.may_open(self.editor, self.page, articles))
        self.assertFalse(workbench.may_open(other_editor, self.page, articles))
        self.assertFalse(workbench.may_open(self.reviewer, self.page, articles))
        self.assertFalse(workbench.may_open(self.reporter, self.page, articles))
        self.one.created_by = self.reporter
        self.one.save()
        articles = list(self.page.articles.all())
        self.assertTrue(workbench.may_open(self.reporter, self.page, articles))


def test_a_label_stands_inside_an_l_shaped_region():
    """The label of an L-shaped region is in its thick part, not in the empty corner."""
    x, y = inside_point([[0, 0], [100, 0], [100, 20], [20, 20], [20, 100], [0, 100]])
    assert Polygon([[0, 0], [100, 0], [100, 20], [20, 20], [20, 100], [0, 100]]).contains(
        Polygon([[x - 1, y - 1], [x + 1, y - 1], [x + 1, y + 1], [x - 1, y + 1]])
    )


class ViewTestCase(WorkbenchTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("admin:articles_page_workbench", args=[self.page.pk])
        self.client.force_login(self.editor)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def versions(self, *articles: Article) -> dict:
        """The articles' versions as the workbench shows them (by default, the whole page's)."""
        articles = articles or self.page.articles.all()
        return {f"version-{article.pk}": article.version for article in articles}

    def post(self, **data):
        return self.client.post(self.url, {**self.versions(), **data}, follow=True)

    def messages(self, response) -> list[str]:
        return [str(message) for message in response.context["messages"]]


class WorkbenchViewTests(ViewTestCase):
    def test_scan_regions_and_articles(self):
        """The scan with each region drawn and numbered, beside each article with its
        paragraphs, character count and whether it has a region; confirm at the end."""
        response = self.client.get(self.url)
        self.assertContains(response, 'class="wb-region"', count=3)
        self.assertContains(response, '<polygon points="40,460 960,460 960,860 40,860">')
        self.assertContains(response, f'href="#article-{self.two.pk}"')
        self.assertContains(response, 'class="wb-article module"', count=3)
        self.assertContains(response, "小吃摊位过百")
        self.assertContains(response, "27 characters")  # punctuation counts, spaces do not
        self.assertContains(response, "region drawn", count=3)
        self.assertContains(response, f'name="split" value="{self.two.pk}:1"')
        self.assertContains(response, f'name="paragraphs-{self.two.pk}" value="2"')
        self.assertContains(response, 'name="confirm"')
        self.assertContains(response, "articles/workbench.js")

    def test_chinese_and_english(self):
        """Entirely Chinese under zh-hans, English under en."""
        chinese = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        english = self.client.get(self.url).content.decode()
        for zh, en in [
            ("版面工作台", "Page workbench"),
            ("确认并送初审", "Confirm and send to first review"),
            ("从此处拆分", "Split here"),
            ("合并", "Join with"),
            ("已画热区", "region drawn"),
            ("重画热区", "Redraw the region"),
        ]:
            with self.subTest(en):
                self.assertIn(zh, chinese)
                self.assertNotIn(en, chinese)
                self.assertIn(en, english)

    def test_linked_from_the_page_form_and_list(self):
        """The page's change form and the page list link to the workbench."""
        change = self.client.get(reverse("admin:articles_page_change", args=[self.page.pk]))
        self.assertContains(change, f'href="{self.url}"')
        changelist = self.client.get(reverse("admin:articles_page_changelist"))
        self.assertContains(changelist, f'href="{self.url}"')

    def test_fixed_number_of_queries(self):
        """The workbench costs the same queries with 3 articles as with 12, with credits and
        photos: session, user, page, articles, credits, photos, permissions (2), pages given."""
        for _ in range(9):
            article = ArticleFactory(page=self.page, draft=True, position=9, region=REGIONS[0])
            BylineFactory(article=article)
            PhotoFactory(article=article)
        for total in (12, 3):
            with self.subTest(articles=total):
                with self.assertNumQueries(9):
                    response = self.client.get(self.url)
                self.assertContains(response, 'class="wb-region"', count=total)
                Article.objects.filter(position=9).delete()

    def test_redraw_a_region(self):
        """?region= shows the article form's region editor over the scan; saving stores the
        points in scan pixels."""
        response = self.client.get(self.url, {"region": self.two.pk})
        self.assertContains(response, "articles/region-editor.js")
        self.assertContains(response, 'data-scan-width="1000"')
        self.assertContains(response, 'data-scan-height="1400"')
        points = [[10, 20], [300, 20], [300, 400], [10, 400]]
        response = self.post(region=self.two.pk, points=str(points))
        self.assertEqual(
            self.messages(response), ["The region of “夜市经济点亮城市烟火气” was saved."]
        )
        self.assertEqual(self.fresh(self.two)[0].region, points)

    def test_join_split_move_confirm(self):
        """Each button does its change and says so; the last confirms the page."""
        response = self.post(join=self.two.pk, **{f"join-with-{self.two.pk}": self.one.pk})
        self.assertEqual(
            self.messages(response),
            ["“夜市经济点亮城市烟火气” was joined to “地铁三号线开通试运营”."],
        )
        self.assertEqual(self.page.articles.count(), 2)
        response = self.post(split=f"{self.one.pk}:2")
        self.assertIn("its second part is “夜市经济点亮城市烟火气”", self.messages(response)[0])
        new = self.page.articles.get(position=2)
        response = self.post(
            move=new.pk,
            **{f"move-to-{new.pk}": self.three.pk, f"move-at-{new.pk}": "start"},
            **{f"paragraphs-{new.pk}": ["0", "1"]},
        )
        self.assertIn("Moved 2 paragraphs", self.messages(response)[0])
        self.assertTrue(self.fresh(self.three)[0].body.startswith("入夏以来"))
        response = self.post(confirm="1", draft=[a.pk for a in self.page.articles.all()])
        self.assertIn("“夜市经济点亮城市烟火气”: no region on the scan", self.messages(response)[0])
        self.post(region=new.pk, points=str(REGIONS[1]))
        response = self.post(confirm="1", draft=[a.pk for a in self.page.articles.all()])
        self.assertEqual(
            self.messages(response), ["3 articles of Page 02: 要闻 were sent to first review."]
        )
        self.assertEqual(
            set(self.page.articles.values_list("status", flat=True)), {Status.FIRST_REVIEW}
        )

    def test_bad_input_is_a_message_and_changes_nothing(self):
        """Ids of another page or no number, a paragraph past the end or no number, a stale
        or missing version, no button: a message, the workbench again, nothing changed."""
        elsewhere = ArticleFactory(draft=True, page=PageFactory(issue=self.page.issue, number=9))
        one, two = self.one.pk, self.two.pk
        cases = {
            "another page": ({"join": one, f"join-with-{one}": elsewhere.pk}, "not on this page"),
            "not a number": ({"join": "x", f"join-with-{one}": two}, "not on this page"),
            "huge id": ({"join": "9" * 30}, "not on this page"),
            "NUL": ({"split": f"{one}\x00:1"}, "not on this page"),
            "past the end": ({"split": f"{one}:7"}, "paragraphs 2 to 2"),
            "paragraph no number": ({"split": f"{one}:-1"}, "not a paragraph"),
            "move no number": (
                {"move": one, f"move-to-{one}": two, f"paragraphs-{one}": "a"},
                "not a paragraph",
            ),
            "stale": (
                {"split": f"{one}:1", f"version-{one}": self.one.version - 1},
                "after you opened",
            ),
            "no version": ({"split": f"{one}:1", f"version-{one}": ""}, "reload it"),
            "bad region": ({"region": one, "points": "[[0, 0], [1, 2]"}, "Enter a valid JSON"),
            "no button": ({}, "use one of the workbench's buttons"),
        }
        before = [(a.pk, a.body, a.version, a.position) for a in Article.objects.order_by("pk")]
        for name, (data, message) in cases.items():
            with self.subTest(name):
                response = self.post(**data)
                self.assertEqual(response.status_code, 200)
                (shown,) = self.messages(response)
                self.assertIn(message, shown)
        after = [(a.pk, a.body, a.version, a.position) for a in Article.objects.order_by("pk")]
        self.assertEqual(after, before)
        for value in ("abc", "", "-1", "9" * 30, str(elsewhere.pk), "x" * 10_000):
            with self.subTest(region=value[:20]):
                response = self.client.get(self.url, {"region": value})
                self.assertEqual(
                    self.messages(response),
                    ["That article is not on this page; reload the workbench."],
                )
                self.assertNotContains(response, "region-editor.js")

    def test_who_may_use_it(self):
        """Anonymous: the login. A reviewer, another page's editor, a reporter without a draft
        there: 403. An unknown or malformed page: 404. A reporter with a draft: only their
        own is changeable."""
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
        for user in (self.reviewer, staff("other-editor", "editor"), self.reporter):
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.post(join=self.one.pk).status_code, 403)
        Article.objects.filter(pk=self.three.pk).update(created_by=self.reporter)
        response = self.client.get(self.url)
        self.assertContains(response, "wb-fixed", count=2)
        self.assertContains(response, 'name="split"', count=1)
        response = self.post(join=self.three.pk, **{f"join-with-{self.three.pk}": self.two.pk})
        self.assertEqual(self.messages(response), ["You may not change “夜市经济点亮城市烟火气”."])
        for page_id in ("999", "abc", "9" * 30):
            with self.subTest(page_id):
                url = self.url.replace(f"/{self.page.pk}/", f"/{page_id}/")
                self.assertEqual(self.client.get(url).status_code, 404)
