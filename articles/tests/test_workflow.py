"""The three-level review (三审): moves, roles and their permissions, driven through the admin."""

import datetime
import io
import os
import threading
from unittest import mock, skipUnless

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from articles import services, workflow
from articles.admin import ArticleAdminForm
from articles.models import Article, Contributor, Issue, Page, Photo, Status, WorkflowStep
from articles.roles import ROLES

from .factories import (
    ArticleFactory,
    BylineFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    image_upload,
)
from .test_admin import admin_url, inline_management


def staff(username: str, *roles: str):
    """A staff member in the given role groups (made by migration 0005)."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=roles))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def form_data(article: Article, **changes) -> dict:
    """What the article's change form posts when saved as it was shown, plus `changes`."""
    data = {
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "dateline": article.dateline,
        "body": article.body,
        "publication": article.publication_id,
        "page": article.page_id or "",
        "position": article.position,
        "region": "",
        "source": "",
        "syndicated_from": article.syndicated_from,
        "seen_version": article.version,
        "transition": "",
        "transition_reason": "",
        **inline_management("bylines"),
        **inline_management("photos"),
        **inline_management("corrections"),
        **inline_management("workflow_steps"),
    }
    data.update(changes)
    return data


class StaffTestCase(TestCase):
    """One staff member in each role (and a second reporter), made once per test class."""

    @classmethod
    def setUpTestData(cls):
        cls.reporter = staff("reporter", "reporter")
        cls.other_reporter = staff("other", "reporter")
        cls.editor = staff("editor", "editor")
        cls.first = staff("first", "first_reviewer")
        cls.second = staff("second", "second_reviewer")
        cls.final = staff("final", "final_reviewer")
        cls.chief = staff("chief", "chief")


class RoleGroupTests(TestCase):
    def test_every_role_is_a_group_with_its_permissions(self):
        """Migration 0005 made one group per role, holding exactly the role's permissions."""
        for name, codenames in ROLES.items():
            with self.subTest(role=name):
                group = Group.objects.get(name=name)
                self.assertEqual(
                    set(group.permissions.values_list("codename", flat=True)), set(codenames)
                )


class TransitionServiceTests(StaffTestCase):
    def setUp(self):
        self.issue = IssueFactory(draft=True)
        self.article = ArticleFactory(
            page=PageFactory(issue=self.issue), draft=True, created_by=self.reporter
        )

    def move(self, user, name: str, reason: str = "") -> Article:
        return services.article_transition(
            article=self.article, user=user, name=name, reason=reason
        )

    def test_the_whole_way_to_the_reader(self):
        """Draft → 初审 → 复审 → 终审 → cleared; the issue then publishes; each step recorded."""
        path = [
            (self.reporter, "submit", Status.FIRST_REVIEW),
            (self.first, "pass_first", Status.SECOND_REVIEW),
            (self.second, "pass_second", Status.FINAL_REVIEW),
            (self.final, "pass_final", Status.READY),
        ]
        for user, name, state in path:
            self.assertEqual(self.move(user, name).status, state)
        services.issue_publish(issue=self.issue, user=self.chief)
        self.assertIn(self.article, Article.objects.visible())
        steps = list(WorkflowStep.objects.filter(article=self.article))
        self.assertEqual(
            [(step.user, step.to_status) for step in steps],
            [(user, state) for user, _name, state in path] + [(self.chief, Status.PUBLISHED)],
        )
        self.article.refresh_from_db()
        self.assertEqual(self.article.version, 1 + 5)  # four moves and the publication
        self.assertIsNotNone(self.article.first_published_at)

    def test_each_level_is_its_own(self):
        """A reviewer cannot pass another level's review; nothing changes when refused."""
        self.move(self.reporter, "submit")
        for user in (self.reporter, self.second, self.final):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.move(user, "pass_first")
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Status.FIRST_REVIEW)
        self.assertEqual(WorkflowStep.objects.filter(article=self.article).count(), 1)

    def test_forged_or_stale_moves_are_refused(self):
        """A move that does not exist, or does not start from the current state, is refused."""
        for name in ("publish_now", "pass_second", "publish", ""):
            with self.subTest(name=name), self.assertRaises(PermissionDenied):
                self.move(self.chief, name)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Status.DRAFT)
        self.assertFalse(WorkflowStep.objects.exists())

    def test_sending_back_needs_a_reason(self):
        """Returning an article to its author says why; the author then finds it waiting."""
        self.move(self.reporter, "submit")
        with self.assertRaises(ValidationError):
            self.move(self.first, "return_first_review", reason="   ")
        self.move(self.first, "return_first_review", reason="导语太长")
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Status.DRAFT)
        self.assertEqual(WorkflowStep.objects.last().reason, "导语太长")
        waiting = Article.objects.filter(workflow.waiting_for(self.reporter))
        self.assertQuerySetEqual(waiting, [self.article])
        self.assertFalse(Article.objects.filter(workflow.waiting_for(self.first)).exists())

    def test_an_issue_waits_for_every_article(self):
        """An issue with an article short of 终审 is refused, and nothing is published."""
        cleared = ArticleFactory(page=self.article.page, status=Status.READY, published_at=None)
        with self.assertRaises(services.IssueNotReady) as refusal:
            services.issue_publish(issue=self.issue, user=self.chief)
        self.assertIn(self.article.headline, refusal.exception.message)
        self.issue.refresh_from_db()
        cleared.refresh_from_db()
        self.assertEqual(self.issue.status, Status.DRAFT)
        self.assertEqual(cleared.status, Status.READY)
        self.assertFalse(Article.objects.visible().exists())

    def test_unpublishing_keeps_the_address_gone(self):
        """A withdrawn article goes back to cleared and its address answers 410 Gone."""
        article = ArticleFactory()
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)
        services.articles_unpublish(articles=Article.objects.filter(pk=article.pk))
        article.refresh_from_db()
        self.assertEqual(article.status, Status.READY)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 410)


class RoleAdminTests(StaffTestCase):
    """Each role through the admin: what it may do, and a refusal for anything more."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.page = PageFactory(issue=IssueFactory(draft=True))
        cls.page.editors.add(cls.editor)
        cls.elsewhere = PageFactory(issue=IssueFactory(draft=True))

    def draft(self, **fields) -> Article:
        return ArticleFactory(
            **{"page": self.page, "draft": True, "created_by": self.reporter} | fields
        )

    def save(self, user, article: Article, **changes):
        self.client.force_login(user)
        return self.client.post(
            admin_url(Article, "change", article.pk), form_data(article, **changes)
        )

    def test_reporter_writes_a_draft(self):
        """A reporter adds an article: it is theirs and a draft whatever the form says."""
        self.client.force_login(self.reporter)
        data = form_data(ArticleFactory.build(page=self.page), status=Status.PUBLISHED)
        data.pop("seen_version")
        response = self.client.post(admin_url(Article, "add"), data)
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get()
        self.assertEqual((article.status, article.created_by), (Status.DRAFT, self.reporter))

    def test_reporter_edits_only_own_drafts(self):
        """Own draft: saved. Someone else's, or own once sent to review: 403, unchanged."""
        own = self.draft()
        self.assertEqual(self.save(self.reporter, own, headline="改过").status_code, 302)
        others = self.draft(created_by=self.other_reporter)
        in_review = self.draft(status=Status.FIRST_REVIEW)
        for article in (others, in_review):
            with self.subTest(article=article.headline):
                self.assertEqual(self.save(self.reporter, article, headline="改").status_code, 403)
                article.refresh_from_db()
                self.assertNotEqual(article.headline, "改")
        own.refresh_from_db()
        self.assertEqual(own.headline, "改过")

    def test_reporter_sends_own_draft_to_review(self):
        """The form's workflow choice moves the article and records the step."""
        article = self.draft()
        response = self.save(self.reporter, article, transition="submit")
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.FIRST_REVIEW)
        self.assertEqual(article.workflow_steps.get().user, self.reporter)

    def test_nobody_below_chief_publishes(self):
        """Publishing is not offered to other roles, and posting the action changes nothing."""
        article = self.draft(status=Status.READY)
        url = admin_url(Article, "changelist")
        for user in (self.reporter, self.editor, self.first, self.final):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                action_form = self.client.get(url).context["action_form"]
                if action_form is not None:
                    self.assertNotIn("publish", dict(action_form.fields["action"].choices))
                self.client.post(url, {"action": "publish", "_selected_action": [article.pk]})
                response = self.save(user, article, transition="publish")
                self.assertIn(response.status_code, (200, 403))
                article.refresh_from_db()
                self.assertEqual(article.status, Status.READY)
        self.client.force_login(self.chief)
        self.client.post(url, {"action": "publish", "_selected_action": [article.pk]})
        article.refresh_from_db()
        self.assertEqual(article.status, Status.PUBLISHED)

    def test_editor_edits_the_pages_given(self):
        """An editor edits any draft on their pages, none elsewhere."""
        mine = self.draft()
        theirs = self.draft(page=self.elsewhere)
        self.assertEqual(self.save(self.editor, mine, headline="编辑改").status_code, 302)
        self.assertEqual(self.save(self.editor, theirs, headline="编辑改").status_code, 403)
        mine.refresh_from_db()
        self.assertEqual(self.save(self.editor, mine, transition="submit").status_code, 302)
        mine.refresh_from_db()
        self.assertEqual((mine.headline, mine.status), ("编辑改", Status.FIRST_REVIEW))

    def test_an_editors_pages_are_read_once_per_request(self):
        """Every inline asks whether the user may edit; the pages given are read only once."""
        article = self.draft()
        PhotoFactory(article=article)
        self.client.force_login(self.editor)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(admin_url(Article, "change", article.pk))
        self.assertTrue(response.context["has_change_permission"])
        editors_read = [q for q in queries.captured_queries if "page_editors" in q["sql"]]
        self.assertEqual(len(editors_read), 1)

    def test_reviewer_passes_own_level_and_forged_moves_fail(self):
        """初审 passes an article in first review; posting a move it was not offered fails."""
        article = self.draft(status=Status.FIRST_REVIEW)
        response = self.save(self.first, article, transition="pass_second", headline="伪造")
        self.assertEqual(response.status_code, 200)
        self.assertIn("transition", response.context["adminform"].form.errors)
        article.refresh_from_db()
        self.assertEqual((article.status, article.headline[:2]), (Status.FIRST_REVIEW, "新闻"))
        self.assertEqual(self.save(self.first, article, transition="pass_first").status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.SECOND_REVIEW)
        # At the next level it is no longer theirs to edit.
        self.assertEqual(self.save(self.first, article, headline="再改").status_code, 403)

    def test_sending_back_without_reason_is_refused(self):
        """The form asks for the reason and saves nothing without it."""
        article = self.draft(status=Status.FINAL_REVIEW)
        response = self.save(self.final, article, transition="return_final_review")
        self.assertEqual(response.status_code, 200)
        self.assertIn("transition_reason", response.context["adminform"].form.errors)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.FINAL_REVIEW)

    def test_issue_publishing_is_the_chiefs(self):
        """Only the chief publishes an issue, and only once every article is cleared."""
        article = self.draft(status=Status.FINAL_REVIEW)
        url = admin_url(Issue, "changelist")
        action = {"action": "publish", "_selected_action": [self.page.issue_id]}
        self.client.force_login(self.final)
        self.assertIsNone(self.client.get(url).context["action_form"])  # sees, cannot act
        self.client.post(url, action)
        self.assertEqual(Issue.objects.get(pk=self.page.issue_id).status, Status.DRAFT)
        self.client.force_login(self.chief)
        response = self.client.post(url, action, follow=True)
        self.assertContains(response, article.headline)  # named as not through 终审
        self.assertEqual(Issue.objects.get(pk=self.page.issue_id).status, Status.DRAFT)
        Article.objects.filter(pk=article.pk).update(status=Status.READY)
        self.client.post(url, action)
        self.assertEqual(Issue.objects.get(pk=self.page.issue_id).status, Status.PUBLISHED)

    def test_worklist_shows_whose_turn(self):
        """The changelist names whose turn it is; 'waiting for me' lists a reviewer's level."""
        waiting = self.draft(status=Status.FIRST_REVIEW)
        later = self.draft(status=Status.SECOND_REVIEW)
        self.client.force_login(self.first)
        response = self.client.get(admin_url(Article, "changelist"), {"waiting": "me"})
        self.assertEqual(list(response.context["cl"].result_list), [waiting])
        self.assertContains(response, workflow.TURN[Status.FIRST_REVIEW])
        self.assertNotContains(response, later.headline)

    def test_published_work_is_not_deleted(self):
        """Issues and contributors with published work are refused deletion, even to a superuser."""
        article = ArticleFactory()
        credit = BylineFactory(article=article)
        self.client.force_login(get_user_model().objects.create_superuser("root"))
        for obj in (article.page.issue, credit.contributor):
            with self.subTest(obj=str(obj)):
                url = admin_url(type(obj), "delete", obj.pk)
                self.assertContains(self.client.get(url), "<h1>", status_code=200)
                self.client.post(url, {"post": "yes"})
                self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())
        self.assertTrue(Contributor.objects.filter(pk=credit.contributor_id).exists())

    def test_corrections_are_the_chiefs(self):
        """The chief adds a dated correction to a published article; readers see it."""
        article = ArticleFactory()
        data = form_data(article) | inline_management("corrections", 1)
        published = timezone.localtime(article.published_at)
        data |= {
            "published_at_0": published.date().isoformat(),
            "published_at_1": published.strftime("%H:%M:%S"),
            "corrections-0-date": "2026-03-04",
            "corrections-0-text": "本文第二段中的日期应为3月3日。",
        }
        self.assertEqual(self.save(self.reporter, article, **data).status_code, 403)
        self.assertEqual(self.save(self.chief, article, **data).status_code, 302)
        self.client.logout()
        self.assertContains(self.client.get(article.get_absolute_url()), "应为3月3日")


class StaleEditTests(TestCase):
    """Two people editing one article: the second save of a stale form loses nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.first = staff("zhang", "chief")
        cls.second = staff("li", "chief")
        cls.article = ArticleFactory(draft=True, headline="原标题", body="原文。")

    def test_second_save_of_a_stale_form_is_refused(self):
        """Both open the form; the first save stands and the second is told what changed."""
        url = admin_url(Article, "change", self.article.pk)
        forms = []
        for user in (self.first, self.second):
            self.client.force_login(user)
            form = self.client.get(url).context["adminform"].form
            forms.append(form.initial | {"seen_version": form["seen_version"].value()})
        opened_at = int(forms[0]["seen_version"])
        self.client.force_login(self.first)
        saved = self.client.post(
            url,
            form_data(
                self.article, headline="张的标题", **{"seen_version": forms[0]["seen_version"]}
            ),
        )
        self.assertEqual(saved.status_code, 302)
        self.client.force_login(self.second)
        refused = self.client.post(
            url,
            form_data(
                self.article, body="李的正文。", **{"seen_version": forms[1]["seen_version"]}
            ),
        )
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "张的标题")  # what the first editor changed
        self.assertContains(refused, "zhang")  # and who
        self.article.refresh_from_db()
        self.assertEqual((self.article.headline, self.article.body), ("张的标题", "原文。"))
        self.assertEqual(self.article.version, opened_at + 1)

    def test_the_message_quotes_the_change_itself(self):
        """A change at the end of a long body is quoted from where it starts, not the top."""
        long_body = "开头一段保持不变。" * 20
        Article.objects.filter(pk=self.article.pk).update(body=long_body)
        self.article.refresh_from_db()
        url = admin_url(Article, "change", self.article.pk)
        self.client.force_login(self.first)
        opened = self.article.version
        self.client.post(url, form_data(self.article, body=long_body + "结尾补充了新数据。"))
        self.client.force_login(self.second)
        refused = self.client.post(url, form_data(self.article, seen_version=opened))
        self.assertContains(refused, "结尾补充了新数据。")

    def test_a_fresh_form_saves(self):
        """Reloading after a refusal gives the current version, which saves."""
        url = admin_url(Article, "change", self.article.pk)
        self.client.force_login(self.first)
        self.client.post(url, form_data(self.article, headline="第一次"))
        self.article.refresh_from_db()
        response = self.client.post(url, form_data(self.article, headline="第二次"))
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "第二次")


class HistoryTests(StaffTestCase):
    """Every save keeps a version: who and when, a comparison, and a restore."""

    def setUp(self):
        self.client.force_login(self.chief)
        self.article = ArticleFactory(draft=True, headline="第一版标题")
        self.url = admin_url(Article, "change", self.article.pk)
        for headline in ("第二版标题", "第三版标题"):
            self.client.post(self.url, form_data(self.article, headline=headline))
            self.article.refresh_from_db()

    def versions(self):
        from reversion.models import Version

        return Version.objects.get_for_object(self.article)

    def test_history_lists_who_and_when(self):
        """The history page lists each saved version with the editor's name."""
        self.assertEqual(self.versions().count(), 2)
        response = self.client.get(admin_url(Article, "history", self.article.pk))
        self.assertContains(response, "chief")
        self.assertContains(response, "compare")

    def test_compare_two_versions(self):
        """The comparison shows both headlines side by side."""
        newer, older = self.versions()
        response = self.client.get(
            admin_url(Article, "compare", self.article.pk),
            {"version_id1": older.pk, "version_id2": newer.pk},
        )
        self.assertContains(response, "第二版标题")
        self.assertContains(response, "第三版标题")

    def test_restore_keeps_the_workflow_state(self):
        """Restoring brings back the old text, not the old state, and moves the version on."""
        Article.objects.filter(pk=self.article.pk).update(status=Status.FINAL_REVIEW)
        older = self.versions().last()
        url = admin_url(Article, "revision", self.article.pk, older.pk)
        form = self.client.get(url).context["adminform"].form
        self.assertEqual(form["seen_version"].value(), self.article.version)
        response = self.client.post(url, form_data(self.article, headline=form.initial["headline"]))
        self.assertEqual(response.status_code, 302)
        restored = Article.objects.get(pk=self.article.pk)
        self.assertEqual(restored.headline, "第二版标题")
        self.assertEqual(restored.status, Status.FINAL_REVIEW)
        self.assertEqual(restored.version, self.article.version + 1)

    def test_restore_needs_the_right_to_edit(self):
        """A reporter may not restore someone else's article: 403, nothing reverted."""
        older = self.versions().last()
        self.client.force_login(self.reporter)
        url = admin_url(Article, "revision", self.article.pk, older.pk)
        self.assertEqual(self.client.post(url, form_data(self.article)).status_code, 403)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "第三版标题")

    def test_workflow_moves_are_kept_too(self):
        """A move made by the service is a version in the history, with its reason."""
        self.article.status = Status.FIRST_REVIEW
        self.article.save()
        services.article_transition(
            article=self.article, user=self.chief, name="return_first_review", reason="补充数据"
        )
        self.assertIn("补充数据", self.versions().first().revision.comment)


class ScheduledPublishTests(TestCase):
    def test_embargo_holds_after_publishing(self):
        """A cleared article with a future time is published but not seen until then."""
        later = timezone.now() + datetime.timedelta(hours=3)
        article = ArticleFactory(status=Status.READY, published_at=later)
        services.articles_publish(articles=Article.objects.filter(pk=article.pk))
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
        article.refresh_from_db()
        self.assertEqual(article.first_published_at, later)


@skipUnless(connection.vendor == "postgresql", "row locks need a server database")
class ConcurrentSaveTests(TransactionTestCase):
    """Two saves of one article at the same moment, each in its own session and connection."""

    # Naming the apps lets the flush TRUNCATE ... CASCADE the search table on PostgreSQL.
    available_apps = [config.name for config in apps.get_app_configs()]

    def test_simultaneous_saves_one_wins(self):
        """Both pass the form's checks together; the row lock lets one save, refuses the other."""
        article = ArticleFactory(draft=True, headline="原标题")
        users = [
            get_user_model().objects.create_superuser(name, password="pw")
            for name in ("zhang", "li")
        ]
        both_checking = threading.Barrier(2, timeout=30)
        clean = ArticleAdminForm.clean

        def clean_together(form):
            both_checking.wait()  # neither has taken the row lock yet
            return clean(form)

        results = {}

        def save(user, headline):
            client = Client()
            client.force_login(user)
            try:
                response = client.post(
                    admin_url(Article, "change", article.pk), form_data(article, headline=headline)
                )
                results[headline] = response.status_code
            finally:
                connection.close()

        with mock.patch.object(ArticleAdminForm, "clean", clean_together):
            threads = [
                threading.Thread(target=save, args=(user, headline))
                for user, headline in zip(users, ("张的标题", "李的标题"), strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(sorted(results.values()), [200, 302])
        winner = next(headline for headline, status in results.items() if status == 302)
        article.refresh_from_db()
        self.assertEqual((article.headline, article.version), (winner, 2))


class CreateStaffTests(TestCase):
    """manage.py create_staff: set a person up with roles, or change their roles."""

    def run_command(self, *args, **env) -> str:
        out = io.StringIO()
        with mock.patch.dict(os.environ, env):
            call_command("create_staff", *args, "--noinput", stdout=out)
        return out.getvalue()

    def test_creates_a_staff_account_with_roles(self):
        """The account is staff, in the named groups, with the password from the environment."""
        output = self.run_command(
            "wang",
            "--role",
            "editor",
            "--role",
            "first_reviewer",
            NEWSROOM_STAFF_PASSWORD="a-long-enough-passphrase",
        )
        user = get_user_model().objects.get(username="wang")
        self.assertTrue(user.is_staff)
        self.assertFalse(user.is_superuser)
        self.assertTrue(user.check_password("a-long-enough-passphrase"))
        self.assertEqual(
            set(user.groups.values_list("name", flat=True)), {"editor", "first_reviewer"}
        )
        self.assertIn("wang", output)
        self.assertTrue(user.has_perm("articles.review_first"))
        self.assertFalse(user.has_perm("articles.publish_article"))

    def test_changes_roles_of_an_existing_account(self):
        """Run again, the roles named replace the old ones; other groups stay."""
        self.run_command("wang", "--role", "reporter")
        outside = Group.objects.create(name="photo desk")
        get_user_model().objects.get(username="wang").groups.add(outside)
        self.run_command("wang", "--role", "chief")
        user = get_user_model().objects.get(username="wang")
        self.assertEqual(set(user.groups.values_list("name", flat=True)), {"chief", "photo desk"})
        self.assertFalse(user.has_usable_password())  # never given one

    def test_bad_input_changes_nothing(self):
        """An unknown role, a weak password or a blank name: a clear error, no account."""
        cases = [
            (("wang", "--role", "editor-in-chief"), {}, "invalid choice"),
            (("wang", "--role", "editor"), {"NEWSROOM_STAFF_PASSWORD": "123"}, "short"),
            (("  ", "--role", "editor"), {}, "user name"),
        ]
        for args, env, message in cases:
            with (
                self.subTest(args=args),
                translation.override("en"),
                self.assertRaisesMessage(CommandError, message),
            ):
                self.run_command(*args, **env)
        self.assertFalse(get_user_model().objects.exists())


class OversizedRequestTests(TestCase):
    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
    def test_oversized_form_is_refused(self):
        """A request body past the limit is answered 400 and nothing is saved."""
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.create_superuser("chief"))
        article = ArticleFactory(draft=True, headline="原标题")
        response = client.post(
            admin_url(Article, "change", article.pk),
            form_data(article, body="长" * 20_000),
            headers={"accept-language": "en"},
        )
        self.assertContains(response, "nothing was changed", status_code=400)
        article.refresh_from_db()
        self.assertEqual(article.headline, "原标题")


def page_form(page, **changes) -> dict:
    """What a page's change form posts when saved as it was shown, plus `changes`."""
    return {
        "issue": page.issue_id,
        "number": page.number,
        "name": page.name,
        "seen_version": page.version,
        **inline_management("credits"),
        **inline_management("articles"),
        **inline_management("photos"),
        **changes,
    }


def photo_form(photo, **changes) -> dict:
    return {
        "title": photo.title,
        "caption": photo.caption,
        "article": photo.article_id or "",
        "page": photo.page_id or "",
        "position": photo.position,
        "seen_version": photo.version,
        **inline_management("bylines"),
        **changes,
    }


class NoWayAroundTests(StaffTestCase):
    """The side doors a review found: history, photos, pages and the import are all held to
    the same rules as the article form."""

    def test_history_takes_only_this_objects_versions(self):
        """An issue's version posted to the photo history, or to the recover page, reverts
        nothing: 404 for a version of another model, 403 for recovering as a non-chief."""
        issue = IssueFactory(draft=True)
        article = ArticleFactory(page=PageFactory(issue=issue), status=Status.READY)
        services.issue_publish(issue=issue, user=self.chief)
        services.issue_unpublish(issue=issue, user=self.chief)
        published = next(
            version
            for version in Version.objects.get_for_object(issue)
            if version.field_dict["status"] == Status.PUBLISHED
        )
        photo = PhotoFactory(article=ArticleFactory(draft=True, created_by=self.reporter))
        self.client.force_login(self.reporter)
        for url, status in (
            (admin_url(Photo, "recover", published.pk), 403),
            (admin_url(Photo, "revision", photo.pk, published.pk), 404),
            (admin_url(Issue, "recover", published.pk), 403),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {}).status_code, status)
        self.client.force_login(self.chief)
        self.assertEqual(
            self.client.post(admin_url(Photo, "recover", published.pk)).status_code, 404
        )
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.DRAFT)
        self.assertFalse(Article.objects.visible().filter(pk=article.pk).exists())

    def test_restoring_one_article_restores_no_other(self):
        """Articles published together each have their own versions."""
        issue = IssueFactory(draft=True)
        page = PageFactory(issue=issue)
        first, second = ArticleFactory.create_batch(2, page=page, status=Status.READY)
        services.issue_publish(issue=issue, user=self.chief)
        services.articles_unpublish(
            articles=Article.objects.filter(pk__in=[first.pk, second.pk]), user=self.chief
        )
        for version in Version.objects.get_for_object(first):
            with self.subTest(version=version.revision.comment):
                self.assertEqual(version.revision.version_set.count(), 1)

    def test_photos_follow_their_article(self):
        """A reporter cannot change, move into, add to or delete from what is published."""
        published = ArticleFactory()
        photo = PhotoFactory(article=published, caption="原说明")
        mine = PhotoFactory(
            article=ArticleFactory(draft=True, created_by=self.reporter), caption="我的图"
        )
        self.client.force_login(self.reporter)
        change = self.client.post(
            admin_url(Photo, "change", photo.pk), photo_form(photo, caption="改")
        )
        self.assertEqual(change.status_code, 403)
        move = self.client.post(
            admin_url(Photo, "change", mine.pk), photo_form(mine, article=published.pk)
        )
        self.assertIn("article", move.context["adminform"].form.errors)
        add = self.client.post(
            admin_url(Photo, "add"),
            photo_form(mine, image=image_upload(), article="", page=published.page_id),
        )
        self.assertIn("page", add.context["adminform"].form.errors)
        delete = self.client.post(admin_url(Photo, "delete", photo.pk), {"post": "yes"})
        self.assertEqual(delete.status_code, 403)
        photo.refresh_from_db()
        mine.refresh_from_db()
        self.assertEqual((photo.caption, mine.article_id), ("原说明", mine.article_id))
        self.assertNotEqual(mine.article_id, published.pk)
        self.assertEqual(Photo.objects.count(), 2)

    def test_a_photo_edit_makes_the_article_form_stale(self):
        """Changing a photo in the photo admin counts as changing its article."""
        article = ArticleFactory(draft=True, created_by=self.reporter)
        photo = PhotoFactory(article=article, caption="旧")
        self.client.force_login(self.reporter)
        self.client.post(admin_url(Photo, "change", photo.pk), photo_form(photo, caption="新"))
        response = self.client.post(
            admin_url(Article, "change", article.pk), form_data(article, headline="过时的表单")
        )
        self.assertEqual(response.status_code, 200)  # refused as stale
        article.refresh_from_db()
        self.assertNotEqual(article.headline, "过时的表单")

    def test_pages_are_their_editors_and_the_chiefs(self):
        """An editor cannot give themselves a page, move it to another issue, or change a
        page of an issue readers have seen; the chief can."""
        page = PageFactory(issue=IssueFactory(draft=True))
        page.editors.add(self.editor)
        other = PageFactory(issue=IssueFactory(draft=True))
        live = PageFactory(issue=IssueFactory())
        live.editors.add(self.editor)
        self.client.force_login(self.editor)
        url = admin_url(Page, "change", page.pk)
        moved = page_form(page, issue=live.issue_id, editors=[self.first.pk], name="改名")
        self.assertEqual(self.client.post(url, moved).status_code, 302)
        page.refresh_from_db()
        self.assertEqual(page.name, "改名")  # their own page: the name, yes
        self.assertNotEqual(page.issue_id, live.issue_id)  # the issue and editors: no
        self.assertEqual(list(page.editors.all()), [self.editor])
        for forbidden in (other, live):
            with self.subTest(page=str(forbidden)):
                response = self.client.post(
                    admin_url(Page, "change", forbidden.pk), page_form(forbidden, name="X")
                )
                self.assertEqual(response.status_code, 403)
        self.client.force_login(self.chief)
        response = self.client.post(url, page_form(page, editors=[self.first.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(page.editors.all()), [self.first])

    def test_new_pages_go_into_unreleased_issues(self):
        """An editor's new page is theirs, and cannot be added to a published issue."""
        self.client.force_login(self.editor)
        released = IssueFactory()
        refused = self.client.post(
            admin_url(Page, "add"), page_form(PageFactory.build(issue=released, number=9))
        )
        self.assertIn("issue", refused.context["adminform"].form.errors)
        draft_issue = IssueFactory(draft=True)
        self.client.post(
            admin_url(Page, "add"), page_form(PageFactory.build(issue=draft_issue, number=9))
        )
        self.assertEqual(list(Page.objects.get(issue=draft_issue).editors.all()), [self.editor])

    def test_articles_are_placed_in_released_issues_by_the_chief_only(self):
        """A reporter cannot put an article on a page of a published issue; a reviewer
        cannot move an article at all."""
        released = PageFactory(issue=IssueFactory())
        draft_page = PageFactory(issue=IssueFactory(draft=True))
        own = ArticleFactory(page=draft_page, draft=True, created_by=self.reporter)
        self.client.force_login(self.reporter)
        response = self.client.post(
            admin_url(Article, "change", own.pk), form_data(own, page=released.pk)
        )
        self.assertIn("page", response.context["adminform"].form.errors)
        in_review = ArticleFactory(page=draft_page, status=Status.FIRST_REVIEW)
        self.client.force_login(self.first)
        self.client.post(
            admin_url(Article, "change", in_review.pk), form_data(in_review, page=released.pk)
        )
        in_review.refresh_from_db()
        self.assertEqual(in_review.page_id, draft_page.pk)

    def test_import_never_replaces_what_readers_saw(self):
        """Replacing a page's import is refused while a withdrawn (410) article is on it."""
        issue = IssueFactory(draft=True)
        page = PageFactory(issue=issue)
        article = ArticleFactory(page=page, status=Status.READY)
        services.issue_publish(issue=issue, user=self.chief)
        services.articles_unpublish(articles=Article.objects.filter(pk=article.pk))
        self.client.force_login(self.chief)
        url = reverse("admin:articles_page_import_text", args=[page.pk])
        self.client.post(url, {"confirm": "Import", "text": "本报讯 新闻。", "replace": "on"})
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())
        self.client.logout()
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 410)


class WithdrawnTests(TestCase):
    def test_an_article_readers_never_saw_stays_unknown(self):
        """Published while its issue is off the site, then withdrawn: 404, not 410."""
        chief = staff("chief", "chief")
        issue = IssueFactory(draft=True)
        page = PageFactory(issue=issue)
        services.issue_publish(issue=issue, user=chief)
        services.issue_unpublish(issue=issue, user=chief)
        late = ArticleFactory(page=page, status=Status.READY, published_at=None)
        services.articles_publish(articles=Article.objects.filter(pk=late.pk), user=chief)
        late.refresh_from_db()
        self.assertIsNone(late.first_published_at)
        services.articles_unpublish(articles=Article.objects.filter(pk=late.pk), user=chief)
        self.assertEqual(self.client.get(late.get_absolute_url()).status_code, 404)
        # Once its issue is out again, readers see it; withdrawn after that, it is gone.
        services.articles_publish(articles=Article.objects.filter(pk=late.pk), user=chief)
        services.issue_publish(issue=issue, user=chief)
        self.assertEqual(self.client.get(late.get_absolute_url()).status_code, 200)
        services.articles_unpublish(articles=Article.objects.filter(pk=late.pk), user=chief)
        self.assertEqual(self.client.get(late.get_absolute_url()).status_code, 410)


class EveryRoleEveryPageTests(TestCase):
    def test_no_admin_page_fails_for_any_role(self):
        """Each role opens every list, add form and change form it is shown: a page or a
        refusal, never an error."""
        article = ArticleFactory()
        PhotoFactory(article=article)
        objects = {
            Issue: article.page.issue,
            Page: article.page,
            Article: article,
            Photo: article.photos.get(),
            Contributor: BylineFactory(article=article).contributor,
        }
        for role in ROLES:
            user = staff(f"user-{role}", role)
            self.client.force_login(user)
            for model, obj in objects.items():
                for url in (
                    admin_url(model, "changelist"),
                    admin_url(model, "add"),
                    admin_url(model, "change", obj.pk),
                    admin_url(model, "history", obj.pk),
                ):
                    with self.subTest(role=role, url=url):
                        self.assertIn(self.client.get(url).status_code, (200, 403))
