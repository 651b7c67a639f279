"""Leaks: no deletion, republication or filter answer changes or tells what readers may see.

Each test acts as a person would: staff through the admin with the test client, readers on
the reader site.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_filters import ChoiceFilter, ModelChoiceFilter

from articles import services
from articles.filters import ArticleFilter, ContributorFilter, IssueFilter
from articles.models import (
    Article,
    Byline,
    Contributor,
    Correction,
    Issue,
    Page,
    Photo,
    Publication,
    Status,
)
from articles.sitemaps import SITEMAPS

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
)
from .test_admin import admin_url, inline_management
from .test_workflow import StaffTestCase, form_data

BUILD_DATE = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")


class DeletionTests(TestCase):
    """Deleting anything through the admin, even as a superuser, never changes the reader site.

    Beside a published issue sit hidden things of every kind, among them the probe's case: a
    published article on a page of an issue readers have not seen. Every row of every model
    the admin can delete is deleted in turn (each in a transaction rolled back afterwards), and
    every reader address, those of all the rows included, answers exactly as before.
    """

    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("root", password="pw")
        cls.reporter = get_user_model().objects.create_user("wang", password="pw", is_staff=True)
        hour = datetime.timedelta(hours=1)
        publication = PublicationFactory(code="del", name="删除日报")
        PublicationFactory(code="empty", name="空报")
        issue = IssueFactory(publication=publication, date=datetime.date(2025, 6, 1))
        page = PageFactory(issue=issue, number=1)
        cls.visible = ArticleFactory(page=page, headline="看得见")
        BylineFactory(article=cls.visible, contributor__name="看得见的记者")
        PhotoFactory(article=cls.visible)
        PhotoFactory(article=None, page=page)
        BylineFactory(page=page, contributor__name="版面编辑", role=Byline.Role.PAGE_EDITOR)
        withdrawn = ArticleFactory(page=page, headline="撤下", published_at=timezone.now() - hour)
        services.articles_unpublish(articles=Article.objects.filter(pk=withdrawn.pk))
        ArticleFactory(page=None, publication=publication, headline="网络版")

        # Tomorrow's paper: a published article and a draft on a page, an empty page.
        draft_issue = IssueFactory(
            publication=publication, date=datetime.date(2025, 6, 2), draft=True
        )
        cls.draft_page = PageFactory(issue=draft_issue, number=1)
        cls.out_early = ArticleFactory(page=cls.draft_page, headline="提前发布")
        BylineFactory(article=cls.out_early, contributor__name="只在未出版")
        ArticleFactory(page=cls.draft_page, headline="草稿", draft=True, created_by=cls.reporter)
        PhotoFactory(article=None, page=cls.draft_page)
        BylineFactory(page=cls.draft_page, contributor__name="未出版版面编辑")
        PageFactory(issue=draft_issue, number=2)
        IssueFactory(publication=publication, date=datetime.date(2025, 6, 3), draft=True)
        hidden = ArticleFactory(page=None, publication=publication, draft=True, headline="草稿2")
        PhotoFactory(article=hidden)
        ContributorFactory(name="无人")

    def reader_urls(self) -> list[str]:
        """Every reader list, feed and sitemap, and the address of every row that has one."""
        urls = [
            reverse(name)
            for name in (
                "articles:home",
                "articles:article_list",
                "articles:archive",
                "articles:photos",
                "articles:feed_rss",
                "articles:feed_atom",
                "sitemap",
                "sitemap_news",
            )
        ]
        urls += [reverse("sitemap_section", args=[section]) for section in SITEMAPS]
        urls.append(f"{reverse('articles:search')}?{urlencode({'q': '新闻 标题'})}")
        for publication in Publication.objects.all():
            for name in ("publication", "publication_rss", "calendar_latest"):
                urls.append(reverse(f"articles:{name}", args=[publication.code]))
        for contributor in Contributor.objects.all():
            for name in ("contributor", "contributor_rss"):
                urls.append(reverse(f"articles:{name}", args=[contributor.pk]))
            urls.append(f"{reverse('articles:article_list')}?contributor={contributor.pk}")
        for model in (Issue, Page, Article):
            urls += [obj.get_absolute_url() for obj in model.objects.all()]
        return urls

    def reader_site(self, urls: list[str]) -> dict[str, tuple[int, bytes]]:
        """What an anonymous reader gets at each address.

        An empty feed's build date is the time of the request, so it is left out.
        """
        self.client.logout()
        site = {}
        for url in urls:
            response = self.client.get(url)
            site[url] = (response.status_code, BUILD_DATE.sub(b"", response.content))
        return site

    def test_no_deletion_changes_what_readers_see(self):
        """Every row of every model in the admin, deleted in turn: the reader site stays."""
        urls = self.reader_urls()
        before = self.reader_site(urls)
        deleted: dict[type, int] = {}
        for model in admin.site._registry:
            for obj in model._default_manager.exclude(pk=self.superuser.pk):
                with self.subTest(model=model.__name__, obj=str(obj)), transaction.atomic():
                    self.client.force_login(self.superuser)
                    url = reverse(
                        f"admin:{model._meta.app_label}_{model._meta.model_name}_delete",
                        args=[obj.pk],
                    )
                    self.client.post(url, {"post": "yes"})
                    gone = not model._default_manager.filter(pk=obj.pk).exists()
                    deleted[model] = deleted.get(model, 0) + gone
                    self.assertEqual(self.reader_site(urls), before)
                    transaction.set_rollback(True)
        # The sweep deleted something of each kind, so it could have seen a change.
        for model in (Publication, Issue, Page, Article, Photo, Contributor):
            self.assertGreater(deleted.get(model, 0), 0, model.__name__)

    def test_a_page_with_articles_is_not_deleted(self):
        """The probe's case: the page of an unreleased issue stays, its articles on it; the
        confirmation says why and lists them."""
        self.client.force_login(self.superuser)
        url = admin_url(Page, "delete", self.draft_page.pk)
        response = self.client.get(url, headers={"accept-language": "en"})
        self.assertContains(response, "move each to another page")
        self.assertContains(response, self.out_early.headline)
        self.client.post(url, {"post": "yes"})
        self.out_early.refresh_from_db()
        self.assertEqual(self.out_early.page, self.draft_page)
        self.client.logout()
        self.assertEqual(self.client.get(self.out_early.get_absolute_url()).status_code, 404)
        for obj in (self.draft_page.issue, self.draft_page):
            with self.subTest(obj=str(obj)):
                self.client.force_login(self.superuser)
                self.client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
                self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())

    def test_nor_from_the_form_it_belongs_to(self):
        """The issue's form deletes no page readers see (one holding only a photo here), the
        article's form no correction readers have read; the "delete selected" action of
        every list deletes nothing readers see either."""
        issue = self.visible.page.issue
        page = PageFactory(issue=issue, number=2)
        PhotoFactory(article=None, page=page)
        correction = Correction.objects.create(article=self.visible, text="更正：日期有误。")
        self.client.force_login(self.superuser)
        pages = list(issue.pages.all())
        issue_form = {
            "publication": issue.publication_id,
            "date": issue.date.isoformat(),
            "number": issue.number,
            "running_number": "",
            **inline_management("pages", len(pages)),
            "pages-INITIAL_FORMS": str(len(pages)),
        }
        for i, each in enumerate(pages):
            issue_form |= {
                f"pages-{i}-id": each.pk,
                f"pages-{i}-number": each.number,
                f"pages-{i}-name": each.name,
                f"pages-{i}-DELETE": "on",
            }
        self.client.post(admin_url(Issue, "change", issue.pk), issue_form)
        self.assertEqual(set(issue.pages.all()), set(pages))
        published = timezone.localtime(self.visible.published_at)
        article_form = form_data(
            self.visible,
            published_at_0=published.date().isoformat(),
            published_at_1=published.strftime("%H:%M:%S"),
            **inline_management("corrections", 1),
        ) | {
            "corrections-INITIAL_FORMS": "1",
            "corrections-0-id": correction.pk,
            "corrections-0-date": correction.date.isoformat(),
            "corrections-0-text": correction.text,
            "corrections-0-DELETE": "on",
        }
        self.client.post(admin_url(Article, "change", self.visible.pk), article_form)
        self.assertTrue(Correction.objects.filter(pk=correction.pk).exists())
        urls = self.reader_urls()
        before = self.reader_site(urls)
        for model in admin.site._registry:
            rows = list(
                model._default_manager.exclude(pk=self.superuser.pk).values_list("pk", flat=True)
            )
            with self.subTest(model=model.__name__), transaction.atomic():
                self.client.force_login(self.superuser)
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                self.client.post(
                    url, {"action": "delete_selected", "_selected_action": rows, "post": "yes"}
                )
                self.assertEqual(self.reader_site(urls), before)
                transaction.set_rollback(True)

    def test_a_photo_readers_see_is_not_deleted_on_its_own(self):
        """A visible photo goes with its article or page, never by the photo's delete button."""
        photo = Photo.objects.visible().first()
        self.client.force_login(self.superuser)
        response = self.client.post(
            admin_url(Photo, "delete", photo.pk), {"post": "yes"}, headers={"accept-language": "en"}
        )
        self.assertContains(response, "Readers see")
        self.assertTrue(Photo.objects.filter(pk=photo.pk).exists())


class WithdrawnStaysWithdrawnTests(StaffTestCase):
    """An article unpublished on its own stays withdrawn (410) through every bulk path."""

    def setUp(self):
        self.issue = IssueFactory()
        self.article = ArticleFactory(page=PageFactory(issue=self.issue), headline="撤下的")
        self.other = ArticleFactory(page=self.article.page, headline="留下的")
        services.mark_out(Article.objects.all())
        self.client.force_login(self.chief)

    def action(self, model, name: str, *objs) -> None:
        self.client.post(
            admin_url(model, "changelist"),
            {"action": name, "_selected_action": [obj.pk for obj in objs]},
        )

    def reader_status(self, article: Article) -> int:
        self.client.logout()
        status = self.client.get(article.get_absolute_url()).status_code
        self.client.force_login(self.chief)
        return status

    def withdraw_by_form(self) -> None:
        published = timezone.localtime(self.article.published_at)
        self.client.post(
            admin_url(Article, "change", self.article.pk),
            form_data(
                self.article,
                transition="unpublish",
                transition_reason="有误",
                published_at_0=published.date().isoformat(),
                published_at_1=published.time().isoformat(),
            ),
        )

    def test_republishing_the_issue_leaves_it_withdrawn(self):
        """Withdrawn from the list or its form, then the issue is published again (directly,
        or unpublished first): the article stays gone, its neighbour stays out."""
        withdraw = {
            "action": lambda: self.action(Article, "unpublish", self.article),
            "form": self.withdraw_by_form,
        }
        republish = {
            "publish": [("publish",)],
            "unpublish and publish": [("unpublish",), ("publish",)],
        }
        for how, do in withdraw.items():
            for again, steps in republish.items():
                with self.subTest(withdrawn_by=how, republished_by=again):
                    do()
                    self.assertEqual(self.reader_status(self.article), 410)
                    for (name,) in steps:
                        self.action(Issue, name, self.issue)
                    self.assertEqual(self.reader_status(self.article), 410)
                    self.assertEqual(self.reader_status(self.other), 200)
                    # Published by itself, it comes back; ready for the next round.
                    self.action(Article, "publish", self.article)
                    self.assertEqual(self.reader_status(self.article), 200)
                    self.article.refresh_from_db()

    def test_the_form_shows_it_withdrawn(self):
        """The article's form says it was withdrawn, so the desk knows why it stays off."""
        self.action(Article, "unpublish", self.article)
        self.article.refresh_from_db()
        self.assertTrue(self.article.withdrawn)
        response = self.client.get(
            admin_url(Article, "change", self.article.pk), headers={"accept-language": "en"}
        )
        self.assertContains(response, "Unpublished on its own")

    def test_withdrawn_before_its_issue_came_out(self):
        """Published ahead of its issue, then withdrawn: publishing the issue keeps it off."""
        issue = IssueFactory(draft=True)
        early = ArticleFactory(page=PageFactory(issue=issue))
        ready = ArticleFactory(page=early.page, status=Status.READY, published_at=None)
        self.action(Article, "unpublish", early)
        self.action(Issue, "publish", issue)
        self.assertEqual(self.reader_status(early), 404)
        self.assertEqual(self.reader_status(ready), 200)


class FilterAnswerTests(TestCase):
    """A filter value that exists only on hidden things answers as an unknown one does."""

    # Filters that name nothing a reader could learn of: free text searched in what is
    # visible, dates, and a fixed list of roles.
    NAME_NOTHING = {"headline", "date_from", "date_to", "role"}

    @classmethod
    def setUpTestData(cls):
        ArticleFactory(page__issue__publication__code="shown", page__name="要闻")
        hidden_issue = IssueFactory(draft=True, publication__code="unseen")
        hidden = ArticleFactory(page__issue=hidden_issue, page__name="秘密版")
        # For each filter that names something: a value only hidden things have, and one
        # that nothing has.
        cls.examples = {
            "contributor": (str(BylineFactory(article=hidden).contributor_id), "987654"),
            "publication": (hidden_issue.publication.code, "nosuchpaper"),
            "page_name": ("秘密版", "无此版"),
        }

    def answer(self, url: str, params: dict, name: str, value: str) -> tuple[int, bool, str]:
        """The reader's answer: its status, whether the filter refused the value, and the page
        with the value they typed (which it repeats back) blanked."""
        response = self.client.get(url, {**params, name: value})
        text = response.content.decode()
        for echo in (urlencode({name: value}), f"{name}={value}", f'value="{value}"'):
            text = text.replace(echo, "")
        return response.status_code, name in response.context["filter"].errors, text

    def test_hidden_and_unknown_values_look_the_same(self):
        """For every filter of every reader list and of search: the same answer, and for a
        filter that names something that exists (contributor, publication, page name) the
        same refusal for both."""
        pages = {
            ArticleFilter: [
                (reverse("articles:article_list"), {}),
                (reverse("articles:search"), {"q": "新闻"}),
            ],
            IssueFilter: [(reverse("articles:archive"), {})],
        }
        for filterset_class, urls in pages.items():
            for name, f in filterset_class.base_filters.items():
                if name in self.NAME_NOTHING:
                    continue
                self.assertIn(name, self.examples, f"{name}: no hidden example")
                for url, params in urls:
                    with self.subTest(url=url, filter=name):
                        hidden, unknown = self.examples[name]
                        hidden = self.answer(url, params, name, hidden)
                        self.assertEqual(hidden, self.answer(url, params, name, unknown))
                        refused = isinstance(
                            f, (ModelChoiceFilter, ChoiceFilter, ContributorFilter)
                        )
                        self.assertEqual(hidden[:2], (200, refused))
