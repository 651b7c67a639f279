"""The whole-page cache for anonymous readers, and how content changes empty it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.test import TestCase, override_settings

from articles import services
from articles.caching import GENERATION_KEY
from articles.models import Article

from .factories import ArticleFactory


@override_settings(READER_CACHE_SECONDS=60)
class ReaderCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = ArticleFactory(headline="原标题")

    def setUp(self):
        cache.clear()

    def test_second_visit_costs_no_query(self):
        """An anonymous reader's repeat visit is served from the cache, byte for byte."""
        url = self.article.page.get_absolute_url()
        first = self.client.get(url)
        with self.assertNumQueries(0):
            second = self.client.get(url)
        self.assertEqual(first.content, second.content)
        self.assertEqual(second["Content-Type"], first["Content-Type"])
        self.assertEqual(second["ETag"], first["ETag"])

    def test_saving_an_article_empties_the_cache(self):
        """A corrected headline is what the next reader sees."""
        url = self.article.get_absolute_url()
        self.assertContains(self.client.get(url), "原标题")
        with self.captureOnCommitCallbacks(execute=True):
            self.article.headline = "更正后的标题"
            self.article.save()
        self.assertContains(self.client.get(url), "更正后的标题")

    def test_unpublishing_empties_the_cache(self):
        """Bulk unpublishing (no signals) still removes the article from cached pages at once."""
        page_url = self.article.page.get_absolute_url()
        self.assertContains(self.client.get(page_url), "原标题")
        with self.captureOnCommitCallbacks(execute=True):
            services.articles_unpublish(articles=Article.objects.filter(pk=self.article.pk))
        self.assertNotContains(self.client.get(page_url), "原标题")
        self.assertEqual(self.client.get(self.article.get_absolute_url()).status_code, 410)

    def test_staff_bypass_the_cache(self):
        """Staff previews are never cached, and readers never get a staff page from the cache."""
        draft = ArticleFactory(draft=True, headline="草稿预览")
        staff = get_user_model().objects.create_user("desk", password="pw", is_staff=True)
        self.client.force_login(staff)
        self.assertContains(self.client.get(draft.get_absolute_url()), "草稿预览")
        self.client.logout()
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)

    def test_languages_are_cached_apart(self):
        """The English page is not served to a Chinese reader, or the other way round."""
        url = self.article.get_absolute_url()
        english = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        chinese = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(english, "Skip to content")
        self.assertContains(chinese, "跳到正文")

    def test_a_change_in_another_process_empties_this_ones_pages(self):
        """Workers share the generation: one saved elsewhere makes this worker render anew."""
        url = self.article.get_absolute_url()
        self.assertContains(self.client.get(url), "原标题")
        Article.objects.filter(pk=self.article.pk).update(headline="别处改的标题")  # no signal
        self.assertContains(self.client.get(url), "原标题")  # still this worker's cached page
        # Another gunicorn worker's save: its own cache object on the same shared store.
        location = settings.CACHES["generation"]["LOCATION"]
        FileBasedCache(location, {}).set(GENERATION_KEY, "a-new-generation", None)
        self.assertContains(self.client.get(url), "别处改的标题")
