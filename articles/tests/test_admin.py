"""The editors' admin, driven as a staff user: every changelist, form and action."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Publication, Status

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
    image_upload,
)

MODELS = [Publication, Issue, Page, Article, Photo, Contributor]


def inline_management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:articles_{model._meta.model_name}_{action}", args=args)


class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("chief", password="pw")

    def setUp(self):
        self.client.force_login(self.user)

    def populate(self, rows: int) -> None:
        """Rows of every kind, each with the relations a changelist might show."""
        for _ in range(rows):
            article = ArticleFactory()
            BylineFactory(article=article)
            PhotoFactory(article=article)
            PhotoFactory(article=None, page=article.page)
            ContributorFactory(user=get_user_model().objects.create_user(f"u{article.pk}"))


class ChangelistTests(AdminTestCase):
    def test_every_changelist_and_form_opens(self):
        """Each model's list, add form and change form answer 200 for an editor."""
        self.populate(2)
        for model in MODELS:
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(admin_url(model, "changelist")).status_code, 200)
                self.assertEqual(self.client.get(admin_url(model, "add")).status_code, 200)
                obj = model.objects.first()
                response = self.client.get(admin_url(model, "change", obj.pk))
                self.assertEqual(response.status_code, 200)

    def test_changelists_have_no_query_per_row(self):
        """A changelist costs the same number of queries with 2 rows or 12."""
        counts = {}
        for added in (2, 10):
            self.populate(added)
            for model in MODELS:
                with CaptureQueriesContext(connection) as queries:
                    self.client.get(admin_url(model, "changelist"))
                counts.setdefault(model.__name__, []).append(len(queries))
        for name, (small, large) in counts.items():
            with self.subTest(model=name):
                self.assertEqual(small, large)

    def test_filters_and_search(self):
        """The article list filters by publication, status, date and page, and searches text."""
        article = ArticleFactory(headline="防汛工作部署会召开", body="全市进入主汛期")
        ArticleFactory(headline="别的新闻")
        url = admin_url(Article, "changelist")
        issue_date = article.page.issue.date
        for query in (
            {"q": "主汛期"},
            {"q": "防汛"},
            {"publication__id__exact": article.publication_id},
            {"status__exact": Status.PUBLISHED},
            {"page__name": article.page.name},
            {"page__number": article.page.number},
            {"page__issue__date__gte": issue_date.isoformat()},
            {"published_at__gte": str(timezone.localtime(article.published_at).replace(hour=0))},
        ):
            with self.subTest(query=query):
                response = self.client.get(url, query)
                self.assertEqual(response.status_code, 200)
                self.assertIn(article, response.context["cl"].result_list)
        response = self.client.get(url, {"q": "防汛"})
        self.assertEqual(list(response.context["cl"].result_list), [article])

    def test_autocomplete_for_contributors(self):
        """Bylines choose contributors by autocomplete, searching by name."""
        ContributorFactory(name="欧阳明")
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "articles",
                "model_name": "byline",
                "field_name": "contributor",
                "term": "欧阳",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r["text"] for r in response.json()["results"]], ["欧阳明"])

    def test_view_on_site_and_preview(self):
        """The change form links to the article on the site, where staff can preview a draft."""
        article = ArticleFactory(draft=True)
        response = self.client.get(admin_url(Article, "change", article.pk))
        self.assertContains(response, "viewsitelink")
        preview = self.client.get(article.get_absolute_url())
        self.assertEqual(preview.status_code, 200)


class ActionTests(AdminTestCase):
    def test_publish_issue_publishes_its_articles(self):
        """Publishing an issue from its list publishes the issue and every article in it."""
        issue = IssueFactory(draft=True)
        page = PageFactory(issue=issue)
        articles = ArticleFactory.create_batch(3, page=page, status=Status.READY, published_at=None)
        response = self.client.post(
            admin_url(Issue, "changelist"),
            {"action": "publish", "_selected_action": [issue.pk]},
            follow=True,
        )
        self.assertContains(response, "3")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.PUBLISHED)
        self.assertEqual(
            set(Article.objects.visible().values_list("pk", flat=True)), {a.pk for a in articles}
        )

    def test_unpublish_issue_hides_its_articles(self):
        """Unpublishing an issue hides its articles at once; readers saw them, so 410 Gone."""
        article = ArticleFactory()
        self.client.post(
            admin_url(Issue, "changelist"),
            {"action": "unpublish", "_selected_action": [article.page.issue_id]},
        )
        self.assertFalse(Article.objects.visible().exists())
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)  # staff
        self.client.logout()
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 410)

    def test_publish_and_unpublish_articles(self):
        """The article actions change only the selected articles."""
        chosen = ArticleFactory(status=Status.READY, published_at=None)
        other = ArticleFactory(draft=True, page=chosen.page)
        url = admin_url(Article, "changelist")
        self.client.post(url, {"action": "publish", "_selected_action": [chosen.pk]})
        chosen.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual(chosen.status, Status.PUBLISHED)
        self.assertIsNotNone(chosen.published_at)
        self.assertEqual(other.status, Status.DRAFT)
        self.client.post(url, {"action": "unpublish", "_selected_action": [chosen.pk]})
        chosen.refresh_from_db()
        self.assertEqual(chosen.status, Status.READY)
        self.assertEqual(self.client.get(chosen.get_absolute_url()).status_code, 200)  # staff


class FormTests(AdminTestCase):
    def issue_form(self, publication, date: str) -> dict:
        return {
            "publication": publication.pk,
            "date": date,
            "number": "1",
            "running_number": "",
            "status": Status.DRAFT,
            "published_at_0": "",
            "published_at_1": "",
            **inline_management("pages"),
        }

    def test_add_issue_with_pages_inline(self):
        """An issue and its pages are saved from one form."""
        publication = PublicationFactory()
        data = self.issue_form(publication, "2025-06-01") | inline_management("pages", 2)
        data.update({"pages-0-number": "1", "pages-0-name": "要闻"})
        data.update({"pages-1-number": "2", "pages-1-name": "经济"})
        response = self.client.post(admin_url(Issue, "add"), data)
        self.assertEqual(response.status_code, 302)
        issue = Issue.objects.get(publication=publication)
        self.assertEqual(list(issue.pages.values_list("name", flat=True)), ["要闻", "经济"])

    def test_duplicate_issue_date_is_a_form_error(self):
        """A second issue on the same date is refused with a message, nothing saved."""
        issue = IssueFactory()
        response = self.client.post(
            admin_url(Issue, "add"), self.issue_form(issue.publication, issue.date.isoformat())
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.errors)
        self.assertEqual(Issue.objects.count(), 1)

    def test_duplicate_page_number_in_inline_is_refused(self):
        """Two pages with one number in the same issue form: an error, and no issue saved."""
        publication = PublicationFactory()
        data = self.issue_form(publication, "2025-06-02") | inline_management("pages", 2)
        data.update({"pages-0-number": "1", "pages-1-number": "1"})
        response = self.client.post(admin_url(Issue, "add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Issue.objects.filter(publication=publication).exists())

    def test_duplicate_page_number_on_page_form(self):
        """The page form refuses a number already used in that issue."""
        page = PageFactory()
        response = self.client.post(
            admin_url(Page, "add"),
            {
                "issue": page.issue_id,
                "number": page.number,
                "name": "",
                **inline_management("credits"),
                **inline_management("articles"),
                **inline_management("photos"),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.errors)
        self.assertEqual(Page.objects.count(), 1)

    def article_form(self, page, **fields) -> dict:
        data = {
            "kicker": "",
            "headline": "新稿件",
            "subheadline": "",
            "dateline": "本报讯",
            "body": "第一段。",
            "publication": page.issue.publication_id,
            "page": page.pk,
            "position": "1",
            "source": "",
            "syndicated_from": "",
            "published_at_0": "",
            "published_at_1": "",
            **inline_management("bylines"),
            **inline_management("photos"),
            **inline_management("corrections"),
            **inline_management("workflow_steps"),
        }
        data.update(fields)
        return data

    def test_add_article_with_bylines_and_photo(self):
        """An article, its bylines and a photo upload are saved together."""
        page = PageFactory()
        reporter = ContributorFactory()
        data = self.article_form(page) | inline_management("bylines", 1)
        data |= inline_management("photos", 1)
        data.update(
            {
                "bylines-0-contributor": reporter.pk,
                "bylines-0-role": Byline.Role.REPORTER,
                "bylines-0-order": "0",
                "photos-0-image": image_upload(),
                "photos-0-caption": "现场",
                "photos-0-position": "1",
            }
        )
        response = self.client.post(admin_url(Article, "add"), data)
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(headline="新稿件")
        self.assertEqual(article.bylines.get().contributor, reporter)
        photo = article.photos.get()
        self.assertTrue(photo.thumbnail)
        self.assertEqual((photo.width, photo.height), (64, 48))

    def post_article_with_upload(self, upload) -> object:
        page = PageFactory()
        data = self.article_form(page) | inline_management("photos", 1)
        data.update({"photos-0-image": upload, "photos-0-caption": "x", "photos-0-position": "1"})
        return self.client.post(admin_url(Article, "add"), data)

    def assert_refused_upload(self, upload) -> None:
        response = self.post_article_with_upload(upload)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["inline_admin_formsets"][1].formset.errors[0])
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Photo.objects.exists())

    def test_non_image_upload_is_refused(self):
        """A text file named .jpg is refused with a form error; the article is not saved."""
        self.assert_refused_upload(SimpleUploadedFile("photo.jpg", b"not an image at all"))

    def test_truncated_image_is_refused(self):
        """A JPEG cut short in transfer is refused."""
        whole = image_upload(size=(400, 300)).read()
        self.assert_refused_upload(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2]))

    @override_settings(NEWSROOM_MAX_IMAGE_PIXELS=10_000)
    def test_pixel_bomb_is_refused(self):
        """An image whose pixel count is over the limit is refused before it is decoded."""
        self.assert_refused_upload(image_upload(size=(200, 200), fmt="PNG"))

    def test_decompression_bomb_is_refused(self):
        """A tiny file that claims to be enormous (Pillow's bomb check) is refused."""
        buffer = io.BytesIO()
        Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
        self.assert_refused_upload(SimpleUploadedFile("bomb.png", buffer.getvalue()))

    def test_unsupported_format_is_refused(self):
        """A GIF is a real image but not one the site serves."""
        self.assert_refused_upload(image_upload("anim.gif", fmt="GIF"))

    @override_settings(NEWSROOM_MAX_UPLOAD_BYTES=100)
    def test_oversized_file_is_refused(self):
        """A file over the size limit is refused."""
        self.assert_refused_upload(image_upload(size=(300, 300)))

    def test_page_scan_upload_makes_renditions(self):
        """A scan uploaded on the page form gets a web rendition and thumbnail."""
        page = PageFactory()
        data = {
            "issue": page.issue_id,
            "number": page.number,
            "name": page.name,
            "seen_version": page.version,
            "scan": image_upload("scan.png", size=(300, 420), fmt="PNG"),
            **inline_management("credits"),
            **inline_management("articles"),
            **inline_management("photos"),
        }
        response = self.client.post(admin_url(Page, "change", page.pk), data)
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        self.assertEqual((page.scan_width, page.scan_height), (300, 420))
        with Image.open(page.scan_thumbnail) as thumbnail:
            self.assertEqual(thumbnail.format, "JPEG")
            self.assertLessEqual(max(thumbnail.size), 400)
        self.assertTrue(page.scan_web.name.startswith("renditions/"))

    def test_bad_scan_upload_is_refused(self):
        """A non-image as a page scan: form error, page unchanged."""
        page = PageFactory(name="要闻")
        data = {
            "issue": page.issue_id,
            "number": page.number,
            "name": "改名",
            "scan": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nbroken"),
            **inline_management("credits"),
            **inline_management("articles"),
            **inline_management("photos"),
        }
        response = self.client.post(admin_url(Page, "change", page.pk), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("scan", response.context["adminform"].form.errors)
        page.refresh_from_db()
        self.assertEqual(page.name, "要闻")

    def test_markup_in_admin_is_escaped(self):
        """Script in a headline shows as text in the changelist."""
        ArticleFactory(headline="<script>alert(1)</script>")
        response = self.client.get(admin_url(Article, "changelist"))
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_scheduled_publish_time_is_kept(self):
        """A cleared article given a future publish time stays hidden when published."""
        article = ArticleFactory(status=Status.READY, published_at=None)
        later = timezone.localtime() + datetime.timedelta(days=2)
        data = self.article_form(
            article.page,
            seen_version=article.version,
            published_at_0=later.date().isoformat(),
            published_at_1="08:00:00",
            transition="publish",
        )
        response = self.client.post(admin_url(Article, "change", article.pk), data)
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.PUBLISHED)
        self.assertFalse(Article.objects.visible().exists())


def pdf_upload(name: str = "page.pdf") -> SimpleUploadedFile:
    """A one-page PDF, as a layout system would export a page."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (240, 240, 240)).save(buffer, "PDF", resolution=72)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


class PagePdfTests(AdminTestCase):
    def page_form(self, page, **files) -> dict:
        return {
            "issue": page.issue_id,
            "number": page.number,
            "name": page.name,
            "seen_version": page.version,
            **files,
            **inline_management("credits"),
            **inline_management("articles"),
            **inline_management("photos"),
        }

    def test_pdf_without_scan_becomes_the_scan(self):
        """A page PDF uploaded without a scan is rendered into the scan and its renditions."""
        page = PageFactory()
        response = self.client.post(
            admin_url(Page, "change", page.pk), self.page_form(page, pdf=pdf_upload())
        )
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        self.assertTrue(page.pdf.name.startswith("pdfs/"))
        # 300×420 points at 200 dpi (pdfium rounds each side up).
        self.assertEqual((page.scan_width, page.scan_height), (834, 1167))
        self.assertTrue(page.scan_web)
        reader = self.client.get(page.get_absolute_url())
        self.assertContains(reader, page.get_absolute_url() + "pdf/")
        self.assertContains(reader, page.scan_web.url)

    def test_not_a_pdf_is_refused(self):
        """A file that is not a PDF, or a broken one, is a form error and nothing is stored."""
        page = PageFactory()
        for upload in (
            SimpleUploadedFile("page.pdf", b"hello"),
            SimpleUploadedFile("page.pdf", b"%PDF-1.4 broken"),
        ):
            with self.subTest(upload=upload.read()[:10]):
                upload.seek(0)
                response = self.client.post(
                    admin_url(Page, "change", page.pk), self.page_form(page, pdf=upload)
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("pdf", response.context["adminform"].form.errors)
                page.refresh_from_db()
                self.assertFalse(page.pdf)
                self.assertFalse(page.scan)
