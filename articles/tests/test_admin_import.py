"""“Import page text” in the Page admin, driven through the admin as an editor would."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils.timezone import now

from articles.models import Article, Byline, Contributor, Issue, Photo, Status
from articles.pageparser import MAX_PAGE_BYTES

from .factories import IssueFactory, PageFactory

PAGES = Path(__file__).parent / "pages"
TEXT = (PAGES / "photo_credits.txt").read_text("utf-8")


class AdminImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("chief", password="pw")

    def setUp(self):
        self.client.force_login(self.user)
        # The English source strings, whatever the site's default language.
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.page = PageFactory(issue=IssueFactory(draft=True), number=3, name="要闻")
        self.url = reverse("admin:articles_page_import_text", args=[self.page.pk])

    def preview(self, **data):
        return self.client.post(self.url, {"preview": "Preview", **data})

    def confirm(self, **data):
        return self.client.post(self.url, {"confirm": "Import", **data})

    def assert_nothing_stored(self):
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Photo.objects.exists())
        self.assertFalse(Byline.objects.exists())
        self.assertFalse(Contributor.objects.exists())

    def test_change_form_links_to_the_import(self):
        """The page's change form has an “Import page text” link to the import view."""
        response = self.client.get(reverse("admin:articles_page_change", args=[self.page.pk]))
        self.assertContains(response, f'href="{self.url}"')
        self.assertContains(response, "Import page text")

    def test_form(self):
        """The import view shows a form to paste text or upload a file, and a replace box."""
        response = self.client.get(self.url)
        self.assertContains(response, 'name="text"')
        self.assertContains(response, 'type="file"')
        self.assertContains(response, 'name="replace"')
        self.assertContains(response, 'enctype="multipart/form-data"')

    def test_preview_shows_the_text_beside_what_will_be_created(self):
        """Preview shows the source text's lines and the articles, credits and photos; stores
        nothing."""
        response = self.preview(text=TEXT)
        self.assertTemplateUsed(response, "admin/articles/page/import_preview.html")
        lines = [line for line in TEXT.splitlines() if line.strip()]
        self.assertContains(response, 'class="import-line ', count=len(lines))
        self.assertContains(response, "入夏以来")  # the source text
        self.assertContains(response, "<h4>夜市经济点亮城市烟火气</h4>", html=True)
        self.assertContains(response, "Dateline: 本报讯")
        self.assertContains(response, "Photographer: 聂文")
        self.assertContains(response, "2 photos, waiting for their images")
        self.assertContains(response, 'name="confirm"')
        self.assert_nothing_stored()

    def test_preview_shows_page_credits(self):
        """The page header's credits are listed with their roles."""
        text = (PAGES / "page_credits.txt").read_text("utf-8")
        response = self.preview(text=text)
        self.assertContains(response, "<li>Page editor: 孔令华</li>", html=True)
        self.assertContains(response, "<li>Layout editor: 沈一帆</li>", html=True)

    def test_confirm_imports_and_returns_to_the_page(self):
        """Import stores the page's drafts and redirects to the page with a success message."""
        response = self.confirm(text=TEXT)
        change_url = reverse("admin:articles_page_change", args=[self.page.pk])
        # Not fetched here, so the message is still waiting for the page below.
        self.assertRedirects(response, change_url, fetch_redirect_response=False)
        article = Article.objects.get()
        self.assertEqual((article.page, article.status), (self.page, Status.DRAFT))
        self.assertEqual(Photo.objects.filter(page=self.page).count(), 2)
        self.assertEqual(Issue.objects.count(), 1)
        followed = self.client.get(change_url)
        self.assertContains(followed, "Imported 1 draft articles and 2 photos")

    def test_upload_a_file(self):
        """A GB18030 file uploaded instead of pasted text is read and previewed the same way."""
        upload = SimpleUploadedFile("page.txt", TEXT.encode("gb18030"), "text/plain")
        response = self.preview(file=upload)
        self.assertContains(response, "夜市经济点亮城市烟火气")
        self.assertContains(response, 'name="confirm"')

    def test_bad_input_is_a_form_error_and_stores_nothing(self):
        """Nothing given, blank, binary, oversized, article-less or both: errors, nothing stored."""
        # Each case builds its data afresh: an uploaded file can be read only once.
        cases = {
            "nothing": (dict, "Paste the page&#x27;s text or choose a file."),
            "blank": (lambda: {"text": "   \n  "}, "white space"),
            "no article": (lambda: {"text": "只有一段文字,没有标题。\n还有一段。\n"}, "No article"),
            "binary": (
                lambda: {"file": SimpleUploadedFile("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00")},
                "binary",
            ),
            "oversized": (
                lambda: {"file": SimpleUploadedFile("big.txt", b"a" * (MAX_PAGE_BYTES + 1))},
                "larger than 10 MB",
            ),
            "both": (
                lambda: {"text": TEXT, "file": SimpleUploadedFile("page.txt", TEXT.encode())},
                "not both",
            ),
        }
        for name, (data, message) in cases.items():
            for submit in (self.preview, self.confirm):
                with self.subTest(name, step=submit.__name__):
                    response = submit(**data())
                    self.assertEqual(response.status_code, 200)
                    self.assertTemplateUsed(response, "admin/articles/page/import_form.html")
                    self.assertContains(response, "errornote")
                    self.assertContains(response, message)
        self.assert_nothing_stored()

    def test_a_page_with_content_needs_replace(self):
        """A page that already has articles is refused until “replace” is ticked."""
        self.confirm(text=TEXT)
        response = self.preview(text=(PAGES / "syndicated.txt").read_text("utf-8"))
        self.assertContains(response, "Tick “replace”")
        self.assertEqual(Article.objects.get().headline, "夜市经济点亮城市烟火气")

    def test_replace_warns_then_replaces(self):
        """With replace, the preview lists what will be deleted, and Import swaps the content."""
        self.confirm(text=TEXT)
        other = (PAGES / "syndicated.txt").read_text("utf-8")
        response = self.preview(text=other, replace="on")
        self.assertContains(response, "This will be deleted")
        removed = response.context["removing"]
        self.assertEqual([a.headline for a in removed.articles], ["夜市经济点亮城市烟火气"])
        self.assertEqual(len(removed.photos), 2)
        self.assertContains(response, "<li>夜市经济点亮城市烟火气 (Draft)</li>", html=True)
        self.assertContains(response, '<input type="hidden" name="replace" value="on">', html=True)
        self.confirm(text=other, replace="on")
        self.assertEqual(
            list(Article.objects.values_list("headline", flat=True)),
            ["科学家在深海发现新型发光生物"],
        )
        self.assertFalse(Photo.objects.exists())

    def test_replace_is_refused_when_an_article_is_published(self):
        """A page whose imported article has been published is not replaced; the form says why."""
        self.confirm(text=TEXT)
        published = Article.objects.get()
        Article.objects.filter(pk=published.pk).update(status=Status.PUBLISHED, published_at=now())
        response = self.confirm(text=TEXT, replace="on")
        self.assertContains(response, "published articles")
        self.assertEqual(list(Article.objects.all()), [published])

    def test_change_permission_is_required(self):
        """Viewing pages, or changing pages but not being this page's editor: 403. The page's
        editor gets the form."""
        staff = get_user_model().objects.create_user("reader", password="pw", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_page"))
        self.client.force_login(staff)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.confirm(text=TEXT).status_code, 403)
        staff.user_permissions.add(Permission.objects.get(codename="change_page"))
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.page.editors.add(staff)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assert_nothing_stored()

    def test_anonymous_users_are_sent_to_log_in(self):
        """Without a login the view redirects to the admin's login page."""
        self.client.logout()
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('admin:login')}?next={self.url}", fetch_redirect_response=False
        )

    def test_unknown_page(self):
        """An import view for a page that does not exist is a 404."""
        url = reverse("admin:articles_page_import_text", args=[self.page.pk + 1000])
        self.assertEqual(self.client.get(url).status_code, 404)
