"""The night desk (值班总编台): an issue as a whole, its publish button, and everyone's to-do."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article, Status, WorkflowStep

from .factories import ArticleFactory, IssueFactory, PageFactory, PhotoFactory
from .test_workflow import staff


def desk_url(issue) -> str:
    return reverse("admin:articles_issue_desk", args=[issue.pk])


class DeskTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.chief = staff("chief", "chief")
        cls.issue = IssueFactory(draft=True)
        cls.front = PageFactory(issue=cls.issue, number=1, name="要闻")
        cls.second = PageFactory(issue=cls.issue, number=2, name="经济")
        cls.cleared = ArticleFactory(
            page=cls.front,
            position=1,
            headline="大桥合龙",
            body="第一段文字。\n## 小 标题\n第二段。",
            status=Status.READY,
            published_at=None,
            region=[[0, 0], [10, 0], [10, 10], [0, 10]],
        )
        PhotoFactory(article=cls.cleared)
        PhotoFactory(article=cls.cleared)
        cls.waiting = ArticleFactory(
            page=cls.front, position=2, headline="夜间限行", status=Status.FIRST_REVIEW
        )
        cls.draft = ArticleFactory(page=cls.second, headline="外贸数据", draft=True)


class DeskPageTests(DeskTestCase):
    def setUp(self):
        self.client.force_login(self.chief)

    def test_every_page_with_its_articles(self):
        """Each page shows its articles with state, whose turn, 字数, photos and region."""
        response = self.client.get(desk_url(self.issue))
        self.assertEqual(response.status_code, 200)
        desk = response.context["desk"]
        self.assertEqual([entry.page for entry in desk.pages], [self.front, self.second])
        front = desk.pages[0].articles
        self.assertEqual(front, [self.cleared, self.waiting])
        # 字数: the text a reader reads, without spaces or the crosshead mark.
        self.assertEqual(front[0].character_count, len("第一段文字。小标题第二段。"))
        self.assertEqual(front[0].photo_total, 2)
        self.assertContains(response, '<span class="state-badge state-first_review">待初审</span>')
        self.assertContains(response, "初审")
        self.assertContains(response, "已画")
        self.assertContains(response, "未画")
        self.assertContains(
            response, reverse("admin:articles_article_change", args=[self.draft.pk])
        )

    def test_readiness_names_what_is_missing(self):
        """Until every article passed 终审 the button is disabled and the rest are named."""
        response = self.client.get(desk_url(self.issue))
        desk = response.context["desk"]
        self.assertEqual((desk.cleared, desk.total), (1, 3))
        self.assertEqual(desk.pending, [self.waiting, self.draft])
        self.assertContains(response, "已终审 <strong>1</strong> / 3", html=False)
        self.assertContains(response, 'disabled aria-describedby="desk-missing"')
        missing = response.content.decode().split('id="desk-missing"')[1].split("</div>")[0]
        self.assertIn("夜间限行", missing)
        self.assertIn("外贸数据", missing)
        self.assertNotIn("大桥合龙", missing)

    def test_ready_issue_has_an_enabled_button(self):
        """Everything through 终审: the button is enabled."""
        Article.objects.filter(page__issue=self.issue).update(status=Status.READY)
        response = self.client.get(desk_url(self.issue))
        self.assertTrue(response.context["desk"].ready)
        self.assertContains(response, 'class="button default desk-publish">')
        self.assertNotContains(response, "disabled")

    def test_the_chief_publishes_from_the_desk(self):
        """Posting the desk publishes the issue with all its articles, through the service."""
        Article.objects.filter(page__issue=self.issue).update(status=Status.READY)
        response = self.client.post(desk_url(self.issue), follow=True)
        self.assertRedirects(response, desk_url(self.issue))
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Status.PUBLISHED)
        self.assertEqual(Article.objects.filter(status=Status.PUBLISHED).count(), 3)
        self.assertContains(response, "3 篇稿件")
        self.assertNotContains(response, "desk-publish")

    def test_a_stale_desk_publishes_nothing(self):
        """An article not through 终审 at the time of the post: refused, with its name."""
        response = self.client.post(desk_url(self.issue), follow=True)
        self.assertContains(response, "夜间限行")
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Status.DRAFT)
        self.assertFalse(Article.objects.filter(status=Status.PUBLISHED).exists())

    def test_an_issue_without_articles_is_not_published(self):
        """An empty issue has nothing to publish: the button stays disabled, a post is refused."""
        empty = IssueFactory(draft=True, publication=self.issue.publication)
        PageFactory(issue=empty)
        response = self.client.get(desk_url(empty))
        self.assertContains(response, "disabled")
        self.client.post(desk_url(empty))
        empty.refresh_from_db()
        self.assertEqual(empty.status, Status.DRAFT)

    def test_only_the_chief_publishes(self):
        """A reviewer sees the desk without the button; a forged post is refused (403)."""
        Article.objects.filter(page__issue=self.issue).update(status=Status.READY)
        reviewer = staff("final", "final_reviewer")
        self.client.force_login(reviewer)
        response = self.client.get(desk_url(self.issue))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "desk-publish")
        self.assertContains(response, "由值班总编签发")
        self.assertEqual(self.client.post(desk_url(self.issue)).status_code, 403)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Status.DRAFT)

    def test_no_desk_without_rights(self):
        """Staff without any role see no desk; an unknown issue is a 404."""
        nobody = get_user_model().objects.create_user("nobody", is_staff=True)
        self.client.force_login(nobody)
        self.assertEqual(self.client.get(desk_url(self.issue)).status_code, 403)
        self.client.force_login(self.chief)
        missing = reverse("admin:articles_issue_desk", args=[self.issue.pk + 100])
        self.assertEqual(self.client.get(missing).status_code, 404)

    def test_reached_from_the_issue_list_and_form(self):
        """Each issue in the list, and the issue's form, link to its desk."""
        response = self.client.get(reverse("admin:articles_issue_changelist"))
        self.assertContains(response, f'href="{desk_url(self.issue)}"')
        response = self.client.get(reverse("admin:articles_issue_change", args=[self.issue.pk]))
        self.assertContains(response, f'href="{desk_url(self.issue)}"')


class DeskQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.chief = staff("chief", "chief")

    def fill(self, issue, pages: int) -> None:
        """Pages with articles in every state, with photos and credits."""
        states = list(Status)
        for number in range(1, pages + 1):
            page = PageFactory(issue=issue, number=number)
            for position, state in enumerate(states[number % 3 :: 2], start=1):
                article = ArticleFactory(page=page, position=position, status=state)
                PhotoFactory(article=article)

    def test_the_same_queries_for_one_page_or_twenty(self):
        """The desk costs a fixed number of queries, whatever the number of pages."""
        self.client.force_login(self.chief)
        counts = []
        for pages in (1, 20):
            issue = IssueFactory(draft=True)
            self.fill(issue, pages)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(desk_url(issue))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(response.context["desk"].pages), pages)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(counts[0], 10)

    def test_the_index_costs_the_same_with_more_waiting(self):
        """The index's tonight and to-do cost a fixed number of queries."""
        self.client.force_login(self.chief)
        counts = []
        for pages in (1, 20):
            self.fill(IssueFactory(draft=True), pages)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(counts[0], 8)


class TodoTests(DeskTestCase):
    def test_reviewers_see_their_level(self):
        """A first reviewer's to-do holds the articles waiting for 初审, linked to their forms."""
        reviewer = staff("first", "first_reviewer")
        self.client.force_login(reviewer)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.context["todo"], [self.waiting])
        self.assertContains(
            response, reverse("admin:articles_article_change", args=[self.waiting.pk])
        )

    def test_a_reporter_sees_their_returned_drafts(self):
        """A draft sent back to its author waits for them; a fresh draft waits for no one."""
        reporter = staff("reporter", "reporter")
        returned = ArticleFactory(
            page=self.second, headline="退回稿", draft=True, created_by=reporter
        )
        ArticleFactory(page=self.second, headline="新稿", draft=True, created_by=reporter)
        WorkflowStep.objects.create(
            article=returned,
            from_status=Status.FIRST_REVIEW,
            to_status=Status.DRAFT,
            user=self.chief,
            reason="数据有误",
        )
        self.client.force_login(reporter)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.context["todo"], [returned])

    def test_tonights_issues_link_to_their_desks(self):
        """The index names the issues not yet out, with pages and review progress."""
        published = IssueFactory(publication=self.issue.publication)
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual([issue for issue, _ in response.context["tonight"]], [self.issue])
        self.assertContains(response, f'href="{desk_url(self.issue)}"')
        self.assertNotContains(response, f'href="{desk_url(published)}"')
        self.assertContains(response, "2 个版面，已终审 1 / 3")

    def test_the_desk_marks_what_is_mine(self):
        """On the desk the articles whose move is the user's are marked."""
        reviewer = staff("first", "first_reviewer")
        self.client.force_login(reviewer)
        response = self.client.get(desk_url(self.issue))
        mine = [
            article.headline
            for entry in response.context["desk"].pages
            for article in entry.articles
            if article.mine
        ]
        self.assertEqual(mine, ["夜间限行"])

    def test_a_published_issue_leaves_tonight(self):
        """Once published, the issue is off the index's tonight."""
        Article.objects.filter(page__issue=self.issue).update(status=Status.READY)
        services.issue_publish(issue=self.issue, user=self.chief)
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.context["tonight"], [])
