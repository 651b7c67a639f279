"""“Import page text” with replace takes back only what an earlier import of the page created,
and only with the rights deleting those rows would need; the preview says what goes and what
stays. Driven through the admin, as the desk would."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from articles.models import Article, Photo, Status

from .factories import ArticleFactory, IssueFactory, PageFactory
from .test_workflow import StaffTestCase

PAGES = Path(__file__).parent / "pages"
FIRST = (PAGES / "photo_credits.txt").read_text("utf-8")
SECOND = (PAGES / "syndicated.txt").read_text("utf-8")


class ReplaceTests(StaffTestCase):
    def setUp(self):
        self.page = PageFactory(issue=IssueFactory(draft=True), number=2, name="要闻")
        self.page.editors.add(self.editor)
        self.url = reverse("admin:articles_page_import_text", args=[self.page.pk])
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.client.force_login(self.chief)
        self.client.post(self.url, {"confirm": "Import", "text": FIRST})
        self.imported = list(Article.objects.filter(page=self.page))
        # A reporter's draft, waiting at 初审, on the same page: no import made it.
        self.draft = ArticleFactory(
            page=self.page,
            status=Status.FIRST_REVIEW,
            published_at=None,
            created_by=self.reporter,
            headline="记者的稿子",
        )

    def replace(self, user, step: str):
        self.client.force_login(user)
        return self.client.post(self.url, {step: step, "text": SECOND, "replace": "on"})

    def test_the_preview_says_what_goes_and_what_stays(self):
        """The imported article is listed as deleted, the reporter's draft as staying."""
        response = self.replace(self.chief, "preview")
        removing = response.context["removing"]
        self.assertEqual(removing.articles, self.imported)
        self.assertEqual(removing.kept_articles, [self.draft])
        self.assertContains(response, "This will be deleted")
        self.assertContains(response, "This stays on the page")
        self.assertContains(response, "<li>记者的稿子 (Awaiting first review)</li>", html=True)

    def test_replace_keeps_what_no_import_made(self):
        """The chief replaces the import: its article and photos go, the draft stays."""
        response = self.replace(self.chief, "confirm")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Article.objects.filter(pk=self.draft.pk).exists())
        self.assertFalse(Article.objects.filter(pk__in=[a.pk for a in self.imported]).exists())
        self.assertEqual(
            set(Article.objects.filter(page=self.page).values_list("headline", flat=True)),
            {"记者的稿子", "科学家在深海发现新型发光生物"},
        )

    def test_an_editor_may_not_delete_articles_by_replacing(self):
        """The page's editor has no right to delete articles: replacing, which would delete
        the imported one, is refused at the preview and at the import; nothing changes."""
        photos = Photo.objects.count()
        for step in ("preview", "confirm"):
            with self.subTest(step=step):
                response = self.replace(self.editor, step)
                self.assertContains(response, "which you may not delete")
        self.assertEqual(set(Article.objects.filter(page=self.page)), {*self.imported, self.draft})
        self.assertEqual(Photo.objects.count(), photos)
