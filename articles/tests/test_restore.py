"""History restores (“Revert”, “Recover”) are held to what a save through the form is held to.

Each test makes versions in code, then acts as the person would in the admin: opens the
version from the history and saves it.
"""

from __future__ import annotations

import datetime

import reversion
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import override_settings
from reversion.models import Version

from articles.admin_history import HistoryAdmin
from articles.models import Article, Issue, Page, Photo, Status

from .factories import ArticleFactory, IssueFactory, PageFactory, PhotoFactory
from .test_admin import admin_url, inline_management
from .test_workflow import StaffTestCase, form_data, page_form, photo_form

ENGLISH = {"accept-language": "en"}


def versioned(obj, **changes):
    """Save `obj` with `changes` as one version in its history, as an admin save would."""
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
    return Version.objects.get_for_object(obj).first()


@override_settings(LANGUAGE_CODE="en")
class RestoreTests(StaffTestCase):
    """Every model with history: a restore the form would refuse is refused, with its errors,
    and changes nothing; what the user may not change keeps its live value."""

    def setUp(self):
        self.released = PageFactory(issue=IssueFactory())
        self.own_page = PageFactory(issue=IssueFactory(draft=True))
        self.own_page.editors.add(self.editor)

    def restore(self, user, model, obj, version, data: dict):
        """Open the version from the object's history, then save it; the final response."""
        self.client.force_login(user)
        url = admin_url(model, "revision", obj.pk, version.pk)
        shown = self.client.get(url, headers=ENGLISH)
        if shown.status_code != 200:
            return shown
        return self.client.post(url, data, headers=ENGLISH)

    def refusal(self, response) -> str:
        """The message a refused restore shows on the history page it goes back to."""
        self.assertEqual(response.status_code, 302)
        return " ".join(str(m) for m in get_messages(response.wsgi_request))

    def test_every_model_with_history_is_covered(self):
        """A new model with history fails here until a test below restores it."""
        covered = {Article, Page, Photo, Issue}
        with_history = {
            model
            for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, HistoryAdmin)
        }
        self.assertEqual(with_history, covered)

    def test_an_article_goes_back_into_a_released_issue_by_the_chief_only(self):
        """The probe's case: an editor restores a version that stood in an issue readers have
        seen; refused, with the form's message. The chief may."""
        article = ArticleFactory(page=self.own_page, draft=True, created_by=self.reporter)
        old = versioned(article, page=self.released)
        versioned(article, page=self.own_page)
        response = self.restore(
            self.editor, Article, article, old, form_data(article, page=self.released.pk)
        )
        self.assertIn("Select a valid choice", self.refusal(response))
        article.refresh_from_db()
        self.assertEqual(article.page, self.own_page)
        response = self.restore(
            self.chief, Article, article, old, form_data(article, page=self.released.pk)
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.page, self.released)

    def test_what_the_form_does_not_offer_keeps_its_live_value(self):
        """A reviewer may correct text but not move articles: restoring a version on another
        page brings the text back and leaves the article where it is, and its state too."""
        article = ArticleFactory(page=self.released, status=Status.FIRST_REVIEW, published_at=None)
        old = versioned(article, page=self.own_page, headline="旧标题")
        versioned(article, page=self.released, headline="新标题")
        response = self.restore(
            self.first, Article, article, old, form_data(article, headline="旧标题")
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual((article.headline, article.page), ("旧标题", self.released))
        self.assertEqual(article.status, Status.FIRST_REVIEW)

    def test_a_page_keeps_its_issue_and_editors(self):
        """An editor restoring their page's version keeps its issue and its editors, which
        only the chief gives; a version of a page of a released issue is not theirs at all."""
        issue = self.own_page.issue
        old = versioned(self.own_page, name="旧版名", issue=self.released.issue)
        versioned(self.own_page, name="新版名", issue=issue)
        with reversion.create_revision():
            self.own_page.editors.add(self.second)
        response = self.restore(
            self.editor, Page, self.own_page, old, page_form(self.own_page, name="旧版名")
        )
        self.assertEqual(response.status_code, 302)
        self.own_page.refresh_from_db()
        self.assertEqual((self.own_page.name, self.own_page.issue), ("旧版名", issue))
        self.assertCountEqual(self.own_page.editors.all(), [self.editor, self.second])
        released = versioned(self.released, name="改")
        response = self.restore(
            self.editor, Page, self.released, released, page_form(self.released)
        )
        self.assertEqual(response.status_code, 403)

    def test_a_photo_goes_back_only_where_the_user_may_edit(self):
        """A reporter's photo that once stood in a published article is not put back there."""
        published = ArticleFactory(page=self.released)
        mine = ArticleFactory(page=self.own_page, draft=True, created_by=self.reporter)
        photo = PhotoFactory(article=mine)
        old = versioned(photo, article=published)
        versioned(photo, article=mine)
        response = self.restore(
            self.reporter, Photo, photo, old, photo_form(photo, article=published.pk)
        )
        self.assertIn("You may not change this article", self.refusal(response))
        photo.refresh_from_db()
        self.assertEqual(photo.article, mine)

    def test_an_issue_keeps_its_state_and_its_date_stays_unique(self):
        """Restoring an issue never publishes or unpublishes it; a version whose date another
        issue has taken since is refused with the form's message, not an error page."""
        issue = IssueFactory()
        taken = issue.date + datetime.timedelta(days=1)
        old = versioned(issue, number=7, status=Status.DRAFT, date=taken)
        versioned(
            issue, number=8, status=Status.PUBLISHED, date=issue.date - datetime.timedelta(days=1)
        )
        IssueFactory(publication=issue.publication, date=taken)
        data = {
            "publication": issue.publication_id,
            "date": taken,
            "number": 7,
            **inline_management("pages"),
        }
        response = self.restore(self.chief, Issue, issue, old, data)
        self.assertIn("already exists", self.refusal(response))
        dated = Version.objects.get_for_object(issue)[1]
        response = self.restore(
            self.chief, Issue, issue, dated, {**data, "date": issue.date, "number": 8}
        )
        issue.refresh_from_db()
        self.assertEqual((issue.number, issue.status), (8, Status.PUBLISHED))

    def test_recovered_article_comes_back_as_a_draft(self):
        """A deleted article the chief recovers goes through review again."""
        article = ArticleFactory(page=self.own_page, status=Status.READY, published_at=None)
        versioned(article, headline="删掉的")
        self.client.force_login(self.chief)
        self.client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})
        deleted = Version.objects.get_deleted(Article).get()
        url = admin_url(Article, "recover", deleted.pk)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url, form_data(article, headline="删掉的"))
        recovered = Article.objects.get(pk=article.pk)
        self.assertEqual((recovered.headline, recovered.status), ("删掉的", Status.DRAFT))
        self.assertFalse(Article.objects.visible().filter(pk=article.pk).exists())

    def test_only_what_was_deleted_is_recovered(self):
        """A version of an article that still stands cannot be “recovered” over it: 404."""
        article = ArticleFactory(page=self.released)
        version = versioned(article, headline="还在")
        self.client.force_login(self.chief)
        url = admin_url(Article, "recover", version.pk)
        self.assertEqual(self.client.post(url, form_data(article)).status_code, 404)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.PUBLISHED)

    def test_recovering_onto_a_deleted_page_is_refused(self):
        """An article whose page went since cannot come back onto it: a message, no error."""
        page = PageFactory(issue=self.own_page.issue)
        article = ArticleFactory(page=page, draft=True)
        versioned(article, headline="无处可去")
        self.client.force_login(self.chief)
        self.client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})
        self.client.post(admin_url(Page, "delete", page.pk), {"post": "yes"})
        self.assertFalse(Page.objects.filter(pk=page.pk).exists())
        deleted = Version.objects.get_deleted(Article).get()
        url = admin_url(Article, "recover", deleted.pk)
        response = self.client.post(url, form_data(article), headers=ENGLISH)
        self.assertIn("Select a valid choice", self.refusal(response))
        self.assertFalse(Article.objects.filter(pk=article.pk).exists())

    def test_a_photo_moved_away_is_not_taken_back(self):
        """Restoring an article whose photo has since gone into an article the user may not
        edit would take it from there: refused."""
        mine = ArticleFactory(page=self.own_page, draft=True, created_by=self.reporter)
        photo = PhotoFactory(article=mine)
        old = versioned(mine, headline="有图")
        published = ArticleFactory(page=self.released)
        Photo.objects.filter(pk=photo.pk).update(article=published)
        versioned(mine, headline="无图")
        response = self.restore(self.reporter, Article, mine, old, form_data(mine))
        self.assertIn("You may not change", self.refusal(response))
        photo.refresh_from_db()
        self.assertEqual(photo.article, published)
