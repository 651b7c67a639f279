"""Publishing: an issue and its articles change together or not at all."""

import datetime
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from articles import services
from articles.models import Article, Issue, Status

from .factories import ArticleFactory, IssueFactory, PageFactory


class IssuePublishTests(TestCase):
    def test_publishes_issue_and_articles(self):
        """Every article printed in the issue becomes visible with it."""
        issue = IssueFactory(draft=True)
        ArticleFactory.create_batch(
            2, page=PageFactory(issue=issue), status=Status.READY, published_at=None
        )
        self.assertEqual(services.issue_publish(issue=issue), 2)
        self.assertEqual(Article.objects.visible().count(), 2)
        self.assertIn(issue, Issue.objects.visible())

    def test_keeps_scheduled_times(self):
        """An article scheduled for later stays scheduled when its issue is published."""
        issue = IssueFactory(draft=True)
        later = timezone.now() + datetime.timedelta(days=1)
        scheduled = ArticleFactory(
            page=PageFactory(issue=issue), status=Status.READY, published_at=later
        )
        services.issue_publish(issue=issue)
        scheduled.refresh_from_db()
        self.assertEqual(scheduled.published_at, later)
        self.assertFalse(Article.objects.visible().exists())

    def test_atomic(self):
        """If publishing the articles fails, the issue is not left published."""
        issue = IssueFactory(draft=True)
        ArticleFactory(page=PageFactory(issue=issue), status=Status.READY, published_at=None)
        with (
            mock.patch.object(services, "articles_publish", side_effect=RuntimeError("boom")),
            self.assertRaises(RuntimeError),
        ):
            services.issue_publish(issue=issue)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.DRAFT)

    def test_unpublish_keeps_article_state(self):
        """Unpublishing hides the issue; its articles return with it when republished."""
        article = ArticleFactory()
        issue = article.page.issue
        services.issue_unpublish(issue=issue)
        self.assertFalse(Article.objects.visible().exists())
        services.issue_publish(issue=issue)
        self.assertTrue(Article.objects.visible().filter(pk=article.pk).exists())
