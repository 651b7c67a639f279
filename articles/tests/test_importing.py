"""Storing a parsed page: issue, page, draft articles, bylines, photos and page credits."""

from __future__ import annotations

import datetime
from pathlib import Path
from unittest import mock

from django.test import TestCase
from django.utils import timezone, translation

from articles import importing
from articles.importing import PageAlreadyImported, PageImportError, PublishedContentError
from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Status
from articles.pageparser import (
    Credit,
    ParsedArticle,
    ParsedPage,
    ParsedPhoto,
    decode_page,
    parse_page,
)
from articles.search import parse_query, search

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
)

DATE = datetime.date(2024, 5, 8)
PAGES = Path(__file__).parent / "pages"


def sample_page(headline: str = "青川港年吞吐量首破千万吨") -> ParsedPage:
    return ParsedPage(
        credits=[Credit("孔令华", "page_editor"), Credit("沈一帆", "layout_editor")],
        articles=[
            ParsedArticle.from_body(
                [("paragraph", "第一段。"), ("crosshead", "小标题"), ("paragraph", "第二段。")],
                kicker="港口观察系列报道",
                headline=headline,
                subheadline="两座深水泊位投入使用",
                dateline="本报讯",
                source="青川港务集团",
                bylines=[Credit("周立行", "reporter"), Credit("韩小雨", "correspondent")],
            ),
            ParsedArticle.from_body(
                [("paragraph", "短讯正文。")],
                headline="科学家在深海发现新型发光生物",
                syndicated_from="海洋科学周刊",
                bylines=[Credit("林书言", "author")],
            ),
        ],
        photos=[
            ParsedPhoto(
                headline="金秋稻浪",
                caption="村民在田间晾晒稻谷。",
                bylines=[Credit("聂文", "photographer"), Credit("周立行", "photographer")],
            )
        ],
    )


class ImportPageTests(TestCase):
    def setUp(self):
        # Messages are checked in their English source form, whatever the site's language.
        self.enterContext(translation.override("en"))
        self.publication = PublicationFactory(code="qingchuan")

    def run_import(self, parsed=None, **options):
        options = {"publication": self.publication, "date": DATE, "page_number": 3, **options}
        return importing.import_page(parsed=parsed or sample_page(), **options)

    def test_creates_a_draft_issue_and_a_named_page(self):
        """A new date gets a draft issue, and the page its number and name."""
        result = self.run_import(page_name="要闻")
        self.assertTrue(result.issue_created and result.page_created)
        self.assertEqual(result.issue.status, Status.DRAFT)
        self.assertEqual((result.issue.publication, result.issue.date), (self.publication, DATE))
        self.assertEqual((result.page.number, result.page.name), (3, "要闻"))

    def test_uses_an_existing_issue_and_empty_page(self):
        """An existing issue keeps its status; an existing empty page gets the articles."""
        issue = IssueFactory(publication=self.publication, date=DATE)
        page = PageFactory(issue=issue, number=3, name="要闻")
        result = self.run_import(page_name="其他")
        self.assertFalse(result.issue_created or result.page_created)
        self.assertEqual(result.page, page)
        self.assertEqual(Issue.objects.get().status, Status.PUBLISHED)
        self.assertEqual(Page.objects.get().name, "要闻")

    def test_articles_are_drafts_in_reading_order(self):
        """Articles are created as drafts with positions 1..n in the order they were read."""
        result = self.run_import()
        articles = list(Article.objects.order_by("position"))
        self.assertEqual(articles, result.articles)
        self.assertEqual([a.position for a in articles], [1, 2])
        self.assertEqual({a.status for a in articles}, {Status.DRAFT})
        self.assertEqual({a.publication for a in articles}, {self.publication})
        self.assertEqual({a.page for a in articles}, {result.page})

    def test_article_fields(self):
        """Kicker, headline, subheadline, dateline and syndication are stored as parsed."""
        self.run_import()
        first, second = Article.objects.order_by("position")
        self.assertEqual(first.kicker, "港口观察系列报道")
        self.assertEqual(first.headline, "青川港年吞吐量首破千万吨")
        self.assertEqual(first.subheadline, "两座深水泊位投入使用")
        self.assertEqual(first.dateline, "本报讯")
        self.assertEqual(second.syndicated_from, "海洋科学周刊")

    def test_body_keeps_crossheads_in_place(self):
        """Crossheads are stored as “## ” lines among the paragraphs, as the reader expects."""
        self.run_import()
        article = Article.objects.get(position=1)
        self.assertEqual(article.body, "第一段。\n## 小标题\n第二段。")
        self.assertEqual(
            article.body_blocks(),
            [("paragraph", "第一段。"), ("crosshead", "小标题"), ("paragraph", "第二段。")],
        )

    def test_source_is_an_organisation(self):
        """`source` becomes a Contributor of kind organisation."""
        self.run_import()
        source = Article.objects.get(position=1).source
        self.assertEqual(
            (source.name, source.kind), ("青川港务集团", Contributor.Kind.ORGANISATION)
        )

    def test_article_bylines_in_order(self):
        """Each article's credits become bylines with their roles, in order of appearance."""
        self.run_import()
        bylines = Byline.objects.filter(article__position=1).order_by("order")
        self.assertEqual(
            [(b.contributor.name, b.role, b.order) for b in bylines],
            [("周立行", "reporter", 0), ("韩小雨", "correspondent", 1)],
        )

    def test_photos_stand_on_the_page_without_an_image(self):
        """Photos go on the page with title, caption and photographers, waiting for an image."""
        result = self.run_import()
        photo = Photo.objects.get()
        self.assertEqual(result.photos, [photo])
        self.assertEqual((photo.page, photo.article), (result.page, None))
        self.assertEqual(
            (photo.title, photo.caption, photo.position), ("金秋稻浪", "村民在田间晾晒稻谷。", 1)
        )
        self.assertFalse(photo.image)
        self.assertEqual(
            [(b.contributor.name, b.role) for b in photo.bylines.order_by("order")],
            [("聂文", "photographer"), ("周立行", "photographer")],
        )

    def test_page_credits(self):
        """The page header's credits become bylines on the page."""
        result = self.run_import()
        self.assertEqual(
            [(b.contributor.name, b.role) for b in result.page.credits.order_by("order")],
            [("孔令华", "page_editor"), ("沈一帆", "layout_editor")],
        )

    def test_contributors_are_reused_by_name_and_kind(self):
        """A known person is credited, not duplicated; a person's name is not an organisation."""
        known = ContributorFactory(name="周立行")
        ContributorFactory(name="青川港务集团", kind=Contributor.Kind.PERSON)
        self.run_import()
        self.assertEqual(Byline.objects.filter(contributor=known).count(), 2)
        self.assertEqual(Contributor.objects.filter(name="周立行").count(), 1)
        self.assertEqual(Contributor.objects.filter(name="青川港务集团").count(), 2)
        # 周立行, 韩小雨, 林书言, 聂文, 孔令华, 沈一帆 and the two 青川港务集团.
        self.assertEqual(Contributor.objects.count(), 8)

    def test_a_second_page_reuses_the_first_pages_contributors(self):
        """Importing another page creates no new contributor for people already credited."""
        self.run_import()
        before = Contributor.objects.count()
        self.run_import(page_number=4)
        self.assertEqual(Contributor.objects.count(), before)

    def test_importing_again_is_refused_and_changes_nothing(self):
        """The same text for the same page again raises PageAlreadyImported and stores nothing."""
        self.run_import()
        counts = (Article.objects.count(), Photo.objects.count(), Byline.objects.count())
        with self.assertRaisesMessage(PageAlreadyImported, "replace"):
            self.run_import()
        self.assertEqual(
            (Article.objects.count(), Photo.objects.count(), Byline.objects.count()), counts
        )

    def test_a_page_with_content_made_by_hand_is_not_overwritten(self):
        """A page that already has an article is refused even if no import put it there."""
        page = PageFactory(issue=IssueFactory(publication=self.publication, date=DATE), number=3)
        ArticleFactory(page=page, draft=True)
        with self.assertRaises(PageAlreadyImported):
            self.run_import()

    def test_replace_swaps_the_pages_content(self):
        """With replace, the earlier import's articles, photos and credits give way to the new."""
        first = self.run_import()
        second = self.run_import(parsed=sample_page(headline="新的头条"), replace=True)
        self.assertTrue(second.replaced)
        self.assertEqual(second.page, first.page)
        self.assertEqual(
            list(Article.objects.order_by("position").values_list("headline", flat=True)),
            ["新的头条", "科学家在深海发现新型发光生物"],
        )
        self.assertEqual(Photo.objects.count(), 1)
        self.assertEqual(second.page.credits.count(), 2)
        self.assertFalse(Article.objects.filter(pk__in=[a.pk for a in first.articles]).exists())

    def test_replace_refuses_a_published_article(self):
        """Replacing would take an imported article, published since, off the site: refused,
        nothing deleted."""
        first = self.run_import()
        published = first.articles[0]
        Article.objects.filter(pk=published.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now()
        )
        with self.assertRaisesMessage(PublishedContentError, "published"):
            self.run_import(replace=True)
        self.assertTrue(Article.objects.filter(pk=published.pk).exists())

    def test_replace_refuses_photos_of_a_published_issue(self):
        """Imported page photos in a published issue are on the site: replacing is refused."""
        first = self.run_import()
        Issue.objects.filter(pk=first.issue.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now()
        )
        before = Photo.objects.count()
        with self.assertRaises(PublishedContentError):
            self.run_import(replace=True)
        self.assertEqual(Photo.objects.count(), before)

    def test_replace_takes_only_what_an_import_created(self):
        """A reporter's draft at 初审, a photo and a credit added by hand stay when the page's
        import is replaced; what the import made goes, and the import is on record."""
        first = self.run_import()
        page = first.page
        draft = ArticleFactory(page=page, status=Status.FIRST_REVIEW, published_at=None)
        by_hand = PhotoFactory(article=None, page=page, caption="手加的图")
        credit = BylineFactory(page=page, role=Byline.Role.LAYOUT_EDITOR)
        second = self.run_import(parsed=sample_page(headline="新的头条"), replace=True)
        self.assertTrue(Article.objects.filter(pk=draft.pk).exists())
        self.assertTrue(Photo.objects.filter(pk=by_hand.pk).exists())
        self.assertTrue(Byline.objects.filter(pk=credit.pk).exists())
        self.assertFalse(Article.objects.filter(pk__in=[a.pk for a in first.articles]).exists())
        self.assertEqual(
            set(Article.objects.filter(page=page).exclude(pk=draft.pk)),
            set(second.articles),
        )
        self.assertEqual({a.page_import.page for a in second.articles}, {page})

    def test_a_kept_credit_is_not_given_twice(self):
        """A page credit kept from before, and named again by the new import, stays one credit."""
        first = self.run_import()
        kept = first.page.credits.first()
        Byline.objects.filter(pk=kept.pk).update(page_import=None)  # as if added by hand
        self.run_import(replace=True)
        self.assertEqual(
            first.page.credits.filter(contributor=kept.contributor, role=kept.role).count(), 1
        )

    def test_atomic_when_something_fails(self):
        """If anything fails half way, nothing of the page is stored: no issue, page or person."""
        with (
            mock.patch.object(importing, "_create_photo", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            self.run_import()
        self.assertFalse(Issue.objects.exists())
        self.assertFalse(Page.objects.exists())
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Contributor.objects.exists())

    def test_a_page_of_pictures_alone(self):
        """A picture page (图片新闻) imports its photos, standalone on the page, with their
        credits, and no article."""
        pictures = sample_page()
        pictures.articles = []
        result = self.run_import(parsed=pictures)
        self.assertEqual(result.articles, [])
        (photo,) = Photo.objects.filter(page=result.page)
        self.assertIsNone(photo.article)
        self.assertEqual(photo.caption, "村民在田间晾晒稻谷。")
        self.assertEqual(
            sorted(photo.bylines.values_list("contributor__name", flat=True)), ["周立行", "聂文"]
        )

    def test_page_number_and_name_must_be_storable(self):
        """Page 0, a page past Page.MAX_NUMBER (PostgreSQL's small integer ends at 32767,
        SQLite's does not) and a page name with NUL or a broken character, or longer than its
        column, are refused before anything is stored, whoever calls: the admin's import, the
        command, the PDF upload."""
        for page_number, page_name in [
            (0, ""),
            (1000, ""),
            (40000, ""),
            (3, "要\x00闻"),
            (3, "\udcff"),
            (3, "要" * 51),
        ]:
            with self.subTest(page_number=page_number, page_name=page_name):
                with self.assertRaises(PageImportError):
                    self.run_import(page_number=page_number, page_name=page_name)
                self.assertFalse(Issue.objects.exists())

    def test_imported_articles_are_found_by_a_credited_name(self):
        """Search finds an imported article by its reporter's name, not only by its text."""
        self.run_import()
        found = search(Article.objects.all(), parse_query("韩小雨"))
        self.assertEqual([a.headline for a in found], ["青川港年吞吐量首破千万吨"])

    def test_values_are_cut_to_their_columns(self):
        """A value longer than its column is cut rather than failing the whole page."""
        parsed = sample_page(headline="长" * 300)
        self.run_import(parsed=parsed)
        self.assertEqual(len(Article.objects.get(position=1).headline), 200)

    def test_imports_a_parsed_text_page(self):
        """A page read by the parser round-trips: the stored body gives back the parsed blocks."""
        parsed = parse_page(decode_page((PAGES / "series_kicker.txt").read_bytes()))
        self.run_import(parsed=parsed)
        article = Article.objects.get()
        self.assertEqual(article.body_blocks(), parsed.articles[0].body)
        self.assertEqual(article.source.name, "青川市农业农村局")
