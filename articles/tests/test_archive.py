"""generate_archive: a synthetic archive that looks like a paper and can be searched."""

from __future__ import annotations

from django.core.management import CommandError, call_command
from django.test import TestCase

from articles.models import Article, Byline, Issue, Photo, Publication
from articles.search import matches, parse_query


class GenerateArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("generate_archive", "--articles", "100", "--drafts", "0", verbosity=0)

    def test_makes_exactly_the_articles_asked_for(self):
        """N articles, on pages of daily issues of several publications."""
        self.assertEqual(Article.objects.count(), 100)
        self.assertEqual(Publication.objects.count(), 3)
        self.assertEqual(Issue.objects.count(), 3)
        self.assertFalse(Article.objects.filter(page__isnull=True).exists())

    def test_articles_have_realistic_text_and_credits(self):
        """Bodies of hundreds of characters, and every article has a byline."""
        lengths = [len(body) for body in Article.objects.values_list("body", flat=True)]
        self.assertGreater(sum(lengths) / len(lengths), 300)
        self.assertEqual(
            Byline.objects.filter(article__isnull=False).values("article").distinct().count(), 100
        )

    def test_photos_have_captions_but_no_files(self):
        """Photos are made without image files, so nothing is written to media storage."""
        self.assertTrue(Photo.objects.exists())
        self.assertFalse(Photo.objects.exclude(image="").exists())

    def test_refuses_to_run_twice(self):
        """A second run would mix two archives; it is refused."""
        with self.assertRaises(CommandError):
            call_command("generate_archive", "--articles", "1", verbosity=0)

    def test_generated_archive_is_searchable_after_a_rebuild(self):
        """rebuild_search_index indexes the bulk-inserted articles (which send no signals)."""
        self.assertFalse(matches(Article.objects.all(), parse_query("发展")).exists())
        call_command("rebuild_search_index", verbosity=0)
        self.assertTrue(matches(Article.objects.visible(), parse_query("发展")).exists())


class RecallTests(TestCase):
    """Search finds exactly the articles whose text contains a two-character string."""

    WORDS = ["发展", "记者", "市场", "治理", "展工", "天气"]

    @classmethod
    def setUpTestData(cls):
        call_command("generate_archive", "--articles", "300", "--drafts", "0", verbosity=0)
        call_command("rebuild_search_index", verbosity=0)

    def texts(self) -> dict[int, str]:
        """Every article's searchable text: headings, body, captions and credited names."""
        texts = {
            article.pk: " ".join(
                [article.kicker, article.headline, article.subheadline, article.body]
                + [photo.caption for photo in article.photos.all()]
                + [byline.contributor.name for byline in article.bylines.all()]
                + [
                    byline.contributor.name
                    for photo in article.photos.all()
                    for byline in photo.bylines.all()
                ]
            )
            for article in Article.objects.prefetch_related(
                "photos__bylines__contributor", "bylines__contributor"
            )
        }
        self.assertEqual(len(texts), 300)
        return texts

    def test_each_word_finds_exactly_the_articles_containing_it(self):
        """Inside longer words and across word boundaries too: recall and precision of 1."""
        texts = self.texts()
        for word in self.WORDS:
            with self.subTest(word=word):
                expected = {pk for pk, text in texts.items() if word in text}
                self.assertTrue(expected, "the archive should contain every word tested")
                found = set(
                    matches(Article.objects.all(), parse_query(f'"{word}"')).values_list(
                        "pk", flat=True
                    )
                )
                self.assertEqual(found, expected)
