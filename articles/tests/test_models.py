"""The models' invariants, held by the database, and the one rule of what readers may see."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone, translation

from articles.models import (
    Article,
    Byline,
    Contributor,
    Issue,
    Photo,
    Publication,
    Status,
    format_body,
    parse_body,
)

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
)


def violates(callable_) -> bool:
    """Whether running `callable_` breaks a database constraint (rolled back either way)."""
    try:
        with transaction.atomic():
            callable_()
    except IntegrityError:
        return True
    return False


class ConstraintTests(TestCase):
    def test_one_issue_per_publication_and_date(self):
        """A second issue of the same paper on the same day is refused by the database."""
        issue = IssueFactory()
        self.assertTrue(
            violates(lambda: Issue.objects.create(publication=issue.publication, date=issue.date))
        )
        other = PublicationFactory()
        Issue.objects.create(publication=other, date=issue.date)

    def test_page_number_unique_in_issue(self):
        """Two pages of one issue cannot share a number."""
        page = PageFactory()
        self.assertTrue(violates(lambda: PageFactory(issue=page.issue, number=page.number)))

    def test_page_number_positive(self):
        """Page 0 does not exist in print."""
        self.assertTrue(violates(lambda: PageFactory(number=0)))

    def test_published_issue_needs_publish_time(self):
        """Visibility compares the publish time, so a published issue must have one."""
        self.assertTrue(violates(lambda: IssueFactory(status=Status.PUBLISHED, published_at=None)))

    def test_published_article_needs_publish_time(self):
        """Same rule for articles."""
        self.assertTrue(
            violates(lambda: ArticleFactory(status=Status.PUBLISHED, published_at=None))
        )

    def test_photo_belongs_to_article_or_page_not_both(self):
        """A photo is in one article or stands on one page."""
        article = ArticleFactory()
        self.assertTrue(violates(lambda: PhotoFactory(article=article, page=article.page)))
        self.assertTrue(violates(lambda: PhotoFactory(article=None, page=None)))

    def test_byline_on_exactly_one_item(self):
        """A credit names one article, photo or page."""
        article = ArticleFactory()
        self.assertTrue(violates(lambda: BylineFactory(article=article, page=article.page)))
        self.assertTrue(violates(lambda: BylineFactory()))

    def test_byline_not_repeated_on_article(self):
        """The same person in the same role on the same article once only."""
        byline = BylineFactory(article=ArticleFactory())
        self.assertTrue(
            violates(
                lambda: BylineFactory(
                    article=byline.article, contributor=byline.contributor, role=byline.role
                )
            )
        )
        BylineFactory(
            article=byline.article, contributor=byline.contributor, role=Byline.Role.PHOTOGRAPHER
        )

    def test_contributor_unique_by_name_and_kind(self):
        """The importer matches contributors by name and kind, so that pair is unique."""
        ContributorFactory(name="新华社", kind=Contributor.Kind.ORGANISATION)
        self.assertTrue(
            violates(lambda: ContributorFactory(name="新华社", kind=Contributor.Kind.ORGANISATION))
        )
        ContributorFactory(name="新华社", kind=Contributor.Kind.PERSON)

    def test_contributor_in_use_cannot_be_deleted(self):
        """Deleting a credited contributor would rewrite published credits; it is refused."""
        byline = BylineFactory(article=ArticleFactory())
        with self.assertRaises(IntegrityError), transaction.atomic():
            byline.contributor.delete()

    def test_reserved_publication_code(self):
        """A publication code may not shadow the site's own top-level addresses."""
        publication = Publication(name="Admin", code="admin")
        with self.assertRaises(ValidationError) as raised:
            publication.full_clean()
        self.assertIn("code", raised.exception.message_dict)


class ModelBehaviourTests(TestCase):
    def test_article_takes_publication_from_page(self):
        """A printed article belongs to its page's publication, whatever was set before."""
        page = PageFactory()
        article = ArticleFactory(page=page, publication=PublicationFactory())
        self.assertEqual(article.publication, page.issue.publication)

    def test_article_url_survives_headline_change(self):
        """The address is the id, so correcting a headline never breaks a link."""
        article = ArticleFactory(headline="旧标题")
        url = article.get_absolute_url()
        article.headline = "新标题"
        article.save()
        self.assertEqual(article.get_absolute_url(), url)

    def test_strings_and_urls(self):
        """Every public model names itself and knows its address."""
        photo = PhotoFactory(title="航拍")
        article = photo.article
        page = article.page
        issue = page.issue
        contributor = ContributorFactory(name="王小明")
        code = issue.publication.code
        date = issue.date.isoformat()
        self.assertEqual(issue.get_absolute_url(), f"/{code}/{date}/")
        self.assertEqual(page.get_absolute_url(), f"/{code}/{date}/{page.number}/")
        self.assertEqual(issue.publication.get_absolute_url(), f"/{code}/")
        self.assertEqual(photo.get_absolute_url(), f"/articles/{article.pk}/#photo-{photo.pk}")
        self.assertEqual(contributor.get_absolute_url(), f"/contributors/{contributor.pk}/")
        self.assertEqual(str(photo), "航拍")
        self.assertEqual(str(contributor), "王小明")
        self.assertEqual(str(article), article.headline)
        self.assertIn(date, str(issue))
        self.assertIn("要闻", str(page))
        byline = BylineFactory(article=article, contributor=contributor)
        self.assertIn("王小明", str(byline))

    def test_body_round_trip(self):
        """Crossheads are lines starting with "## "; parse and format are inverses."""
        blocks = [("paragraph", "第一段。"), ("crosshead", "小标题"), ("paragraph", "第二段。")]
        self.assertEqual(parse_body(format_body(blocks)), blocks)
        self.assertEqual(parse_body("\n  \n第一段。\n##\n"), [("paragraph", "第一段。")])

    def test_standalone_photo_url_points_at_page(self):
        """A photo standing on a page is found on that page."""
        page = PageFactory()
        photo = PhotoFactory(article=None, page=page)
        self.assertEqual(photo.get_absolute_url(), page.get_absolute_url() + f"#photo-{photo.pk}")


class VisibilityTests(TestCase):
    """The one rule: published, its time has come, and printed in a visible issue if printed."""

    @classmethod
    def setUpTestData(cls):
        past = timezone.now() - datetime.timedelta(days=1)
        future = timezone.now() + datetime.timedelta(days=1)
        cls.visible = ArticleFactory(headline="visible")
        cls.web_only = ArticleFactory(headline="web-only", page=None)
        cls.draft = ArticleFactory(headline="draft", draft=True)
        cls.ready = ArticleFactory(headline="ready", status=Status.READY, published_at=past)
        cls.scheduled = ArticleFactory(headline="scheduled", published_at=future)
        cls.in_draft_issue = ArticleFactory(
            headline="in draft issue", page=PageFactory(issue=IssueFactory(draft=True))
        )
        cls.in_scheduled_issue = ArticleFactory(
            headline="in scheduled issue", page=PageFactory(issue=IssueFactory(published_at=future))
        )

    def test_articles(self):
        """Only the published article in a published issue and the web-only one are visible."""
        self.assertCountEqual(
            Article.objects.visible().values_list("headline", flat=True),
            ["visible", "web-only"],
        )

    def test_issues(self):
        """Draft and scheduled issues are hidden."""
        self.assertNotIn(self.in_draft_issue.page.issue, Issue.objects.visible())
        self.assertNotIn(self.in_scheduled_issue.page.issue, Issue.objects.visible())
        self.assertIn(self.visible.page.issue, Issue.objects.visible())

    def test_photos(self):
        """A photo is visible with its article, or with its page's issue; never without a file."""
        shown = PhotoFactory(article=self.visible)
        hidden = PhotoFactory(article=self.draft)
        on_hidden_page = PhotoFactory(article=None, page=self.in_draft_issue.page)
        on_page = PhotoFactory(article=None, page=self.visible.page)
        no_file = PhotoFactory(article=self.visible, image="")
        visible = set(Photo.objects.visible())
        self.assertEqual(visible, {shown, on_page})
        self.assertNotIn(hidden, visible)
        self.assertNotIn(on_hidden_page, visible)
        self.assertNotIn(no_file, visible)

    def test_contributors(self):
        """Only people credited on something visible have a public page."""
        seen = BylineFactory(article=self.visible).contributor
        unseen = BylineFactory(article=self.draft).contributor
        page_editor = BylineFactory(page=self.visible.page, role=Byline.Role.PAGE_EDITOR)
        source = ContributorFactory(kind=Contributor.Kind.ORGANISATION)
        Article.objects.filter(pk=self.web_only.pk).update(source=source)
        visible = set(Contributor.objects.visible())
        self.assertEqual(visible, {seen, page_editor.contributor, source})
        self.assertNotIn(unseen, visible)

    def test_publications(self):
        """A publication with nothing published is not listed."""
        PublicationFactory(code="empty")
        codes = set(Publication.objects.with_visible_issues().values_list("code", flat=True))
        self.assertNotIn("empty", codes)
        self.assertIn(self.visible.publication.code, codes)


class RoleNameTests(TestCase):
    def test_role_names_in_the_language_of_the_moment(self):
        """Byline.get_role_display (a lookup, not Django's rebuilt dict) names every role as
        its choice does, in each language; a value outside the choices shows as stored."""
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for value, label in Byline.Role.choices:
                    self.assertEqual(Byline(role=value).get_role_display(), str(label))
        with translation.override("zh-hans"):
            self.assertEqual(Byline(role="photographer").get_role_display(), "摄影")
        self.assertEqual(Byline(role="retired_role").get_role_display(), "retired_role")
