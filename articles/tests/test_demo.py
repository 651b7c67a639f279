"""The demo content a new user sees after the README's first command."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from articles import services
from articles.demo import DRAFT_ISSUE_STAGES
from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Status


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def counts(self) -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Issue, Page, Article, Photo, Byline, Contributor))

    def test_running_twice_duplicates_nothing(self):
        """A second run reports the demo is there and changes nothing."""
        before = self.counts()
        out = StringIO()
        call_command("load_demo", stdout=out)
        self.assertEqual(self.counts(), before)
        self.assertIn("清河日报", out.getvalue())

    def test_every_credit_kind_is_used(self):
        """The demo shows every role, a source organisation, syndication and crossheads."""
        self.assertEqual(
            set(Byline.objects.values_list("role", flat=True)), set(Byline.Role.values)
        )
        self.assertTrue(Article.objects.exclude(source=None).exists())
        self.assertTrue(Article.objects.exclude(syndicated_from="").exists())
        self.assertTrue(Article.objects.filter(body__contains="\n## ").exists())
        self.assertTrue(Article.objects.exclude(kicker="").exists())
        self.assertTrue(Article.objects.exclude(subheadline="").exists())

    def test_published_and_draft_issues_with_images(self):
        """Readers see two issues; the third is a draft; photos and scans have renditions."""
        self.assertEqual(Issue.objects.count(), 3)
        self.assertEqual(Issue.objects.visible().count(), 2)
        self.assertTrue(Photo.objects.filter(page__isnull=False).exists())
        self.assertTrue(Photo.objects.filter(article__isnull=False).exists())
        self.assertFalse(Photo.objects.filter(thumbnail="").exists())
        self.assertFalse(Page.objects.filter(scan_web="").exists())
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertEqual(Contributor.objects.filter(kind=Contributor.Kind.ORGANISATION).count(), 3)

    def test_tomorrows_paper_is_in_review(self):
        """The draft issue has an article at every stage, so it cannot be published yet."""
        issue = Issue.objects.get(status=Status.DRAFT)
        stages = set(Article.objects.filter(page__issue=issue).values_list("status", flat=True))
        self.assertEqual(stages, set(DRAFT_ISSUE_STAGES))
        with self.assertRaises(services.IssueNotReady):
            services.issue_publish(issue=issue)
