"""Full-text search: recall in Chinese, ranking, snippets, visibility, filters, bad input."""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock, skipUnless

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Status
from articles.search import SearchResults, matches, parse_query, search
from articles.search.backends import get_backend
from articles.search.text import QueryError, index_tokens, snippet

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
    PublicationFactory,
)

SEARCH = reverse("articles:search")


def found(query: str) -> list[Article]:
    """What a reader finds for the query, in ranked order."""
    return list(search(Article.objects.visible(), parse_query(query)))


# PostgreSQL asks once per search whether its planner's statistics can choose the query's
# shape (search/backends.py); SQLite counts exactly and needs no such question.
STATISTICS_CHECK = int(connection.vendor == "postgresql")


class TextTests(SimpleTestCase):
    def test_chinese_is_indexed_as_bigrams(self):
        """Each run of Chinese characters becomes its overlapping two-character tokens."""
        self.assertEqual(index_tokens("华人民，好"), ["华人", "人民", "好"])

    def test_full_width_latin_is_folded(self):
        """Full-width letters and digits are indexed as their ASCII, lower-cased."""
        self.assertEqual(index_tokens("ＣＯＶＩＤ－１９"), ["covid", "19"])

    def test_query_is_segmented_into_required_words(self):
        """Unspaced Chinese is split into words, each required on its own."""
        self.assertEqual([t.text for t in parse_query("北京疫情")], ["北京", "疫情"])

    def test_a_lone_character_stays_with_its_word(self):
        """A name the segmenter cuts (严亮 强) stays one phrase; function words are dropped."""
        cases = {
            "严亮强": ["严亮强"],
            "北京的疫情": ["北京", "疫情"],
            "在北京": ["北京"],
            "的猫": ["猫"],
            "的": ["的"],
        }
        for query, texts in cases.items():
            with self.subTest(query=query):
                self.assertEqual([term.text for term in parse_query(query)], texts)

    def test_quoted_text_is_one_phrase(self):
        """A quoted phrase stays whole, as the bigram phrase of its characters."""
        (term,) = parse_query("“疫情防控”")
        self.assertEqual(term.tokens, ("疫情", "情防", "防控"))

    def test_operator_characters_are_only_separators(self):
        """FTS5 and tsquery syntax in a query cannot reach the engine."""
        self.assertEqual(
            [t.text for t in parse_query('* ^ : " NEAR( a & b | !c')], ["near", "a", "b", "c"]
        )

    def test_overlong_query_is_refused(self):
        """A query longer than the limit is a message for the reader, not a slow search."""
        with self.assertRaises(QueryError):
            parse_query("字" * 10_000)

    def test_snippet_marks_words_and_escapes_html(self):
        """The snippet marks the query's words and escapes everything from the text."""
        result = snippet("前文<b>北京</b>后文", parse_query("北京"))
        self.assertEqual(result, "前文&lt;b&gt;<mark>北京</mark>&lt;/b&gt;后文")


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.daily = PublicationFactory(code="daily", name="清河日报")
        cls.evening = PublicationFactory(code="evening", name="清河晚报")
        page = PageFactory(issue=IssueFactory(publication=cls.daily), name="要闻")
        cls.republic = ArticleFactory(
            page=page, headline="大会开幕", body="中华人民共和国成立纪念大会今天开幕。"
        )
        cls.headline_hit = ArticleFactory(
            page=page,
            headline="华人社区迎新春",
            body="社区里很热闹。",
            published_at=now - datetime.timedelta(days=30),
        )
        cls.old_body_hit = ArticleFactory(
            page=page,
            headline="旧闻",
            body="海外华人回乡。",
            published_at=now - datetime.timedelta(days=400),
        )
        cls.evening_article = ArticleFactory(
            page=PageFactory(issue=IssueFactory(publication=cls.evening), name="社会"),
            headline="晚报消息",
            body="疫情防控措施调整，北京市民出行方便。",
        )
        cls.apart = ArticleFactory(page=page, headline="分开", body="疫情好转。防控放松。")
        cls.draft = ArticleFactory(page=page, headline="草稿华人", draft=True)

    def test_two_character_word_inside_a_longer_word_is_found(self):
        """华人 inside 中华人民共和国 is found, which word segmentation alone misses."""
        self.assertIn(self.republic, found("华人"))

    def test_headline_matches_come_first_then_newer(self):
        """A headline match ranks above body matches; body matches are newest first."""
        self.assertEqual(found("华人"), [self.headline_hit, self.republic, self.old_body_hit])

    def test_pages_keep_the_ranking_on_both_sides_of_the_headline_matches(self):
        """Pages inside the ranked window, past it, or across both, keep one order: headline
        matches first; past the window, body matches newest first."""
        for window in (100, 1):
            with (
                self.subTest(window=window),
                mock.patch.object(SearchResults, "RANK_WINDOW", window),
                mock.patch("articles.search.FEW_MATCHES", -1),
                # Counted exactly: no sample to estimate from.
                mock.patch.object(type(get_backend()), "samples", ()),
            ):
                results = SearchResults(Article.objects.visible(), parse_query("华人"))
                results.facets()
                self.assertEqual((results.total, results.headline_total), (3, 1))
                ranked = list(results[0:3])
                self.assertEqual(ranked[0], self.headline_hit)
                self.assertCountEqual(ranked[1:], [self.republic, self.old_body_hit])
                if window == 1:
                    self.assertEqual(ranked[1:], [self.republic, self.old_body_hit])
                for start, stop in [(0, 1), (1, 3), (2, 3)]:
                    self.assertEqual(list(results[start:stop]), ranked[start:stop])

    def test_several_words_must_all_appear(self):
        """Each word of the query is required, anywhere in the article."""
        self.assertEqual(found("北京 疫情"), [self.evening_article])
        self.assertEqual(found("北京疫情"), [self.evening_article])

    def test_quoted_phrase_must_appear_as_written(self):
        """A quoted phrase does not match its words apart."""
        self.assertEqual(found('"疫情防控"'), [self.evening_article])
        self.assertCountEqual(found("疫情 防控"), [self.evening_article, self.apart])

    def test_readers_never_find_drafts(self):
        """Drafts, scheduled articles and articles of unpublished issues are not found."""
        scheduled = ArticleFactory(
            headline="华人预告", published_at=timezone.now() + datetime.timedelta(days=1)
        )
        hidden_issue = ArticleFactory(
            headline="华人未刊", page=PageFactory(issue=IssueFactory(draft=True))
        )
        results = found("华人")
        for article in (self.draft, scheduled, hidden_issue):
            self.assertNotIn(article, results)

    def test_publishing_in_bulk_makes_an_article_findable(self):
        """The services publish with queryset.update(); the index needs nothing more."""
        Article.objects.filter(pk=self.draft.pk).update(status=Status.READY)
        services.articles_publish(articles=Article.objects.filter(pk=self.draft.pk))
        self.assertIn(self.draft, found("草稿"))

    def test_unpublishing_an_issue_hides_its_articles(self):
        """Withdrawing an issue removes its articles from results at once."""
        services.issue_unpublish(issue=self.evening_article.page.issue)
        self.assertEqual(found("北京"), [])

    def test_edits_are_indexed_on_save(self):
        """After an edit the old words are gone and the new ones are found."""
        self.apart.body = "台风过境。"
        self.apart.save()
        self.assertEqual(found("台风"), [self.apart])
        self.assertNotIn(self.apart, found("好转"))

    def test_deleted_article_leaves_the_index(self):
        """A deleted article is no longer in the index, not just hidden."""
        self.apart.delete()
        self.assertFalse(matches(Article.objects.all(), parse_query("好转")).exists())

    def test_captions_and_contributor_names_are_searched(self):
        """A photo caption and a byline name find their article."""
        PhotoFactory(article=self.apart, caption="雪后的长城")
        BylineFactory(article=self.apart, contributor=ContributorFactory(name="欧阳明"))
        self.assertEqual(found("长城"), [self.apart])
        self.assertEqual(found("欧阳明"), [self.apart])

    def test_renamed_contributor_is_found_under_the_new_name(self):
        """Renaming a contributor re-indexes the articles they are credited on."""
        contributor = ContributorFactory(name="张三")
        BylineFactory(article=self.apart, contributor=contributor)
        contributor.name = "李四"
        with self.captureOnCommitCallbacks(execute=True):
            contributor.save()
        self.assertEqual(found("李四"), [self.apart])

    def test_rebuild_command_restores_the_index(self):
        """rebuild_search_index --fresh indexes every article again from the database."""
        call_command("rebuild_search_index", "--fresh", verbosity=0)
        self.assertEqual(found("华人"), [self.headline_hit, self.republic, self.old_body_hit])


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.daily = PublicationFactory(code="daily", name="清河日报")
        cls.evening = PublicationFactory(code="evening", name="清河晚报")
        cls.page = PageFactory(issue=IssueFactory(publication=cls.daily))
        ArticleFactory(page=cls.page, headline="华人新闻", body="正文。")
        ArticleFactory(
            page=PageFactory(issue=IssueFactory(publication=cls.evening)),
            body="中华人民共和国。",
            published_at=timezone.now() - datetime.timedelta(days=800),
        )

    def test_results_show_marked_words_and_counts(self):
        """The page marks the words and counts results per publication and per year."""
        response = self.client.get(SEARCH, {"q": "华人"})
        self.assertContains(response, "<mark>华人</mark>", count=2)
        self.assertEqual(response.context["found"]["total"], 2)
        self.assertEqual(
            [(e["code"], e["count"]) for e in response.context["found"]["publication_counts"]],
            [("daily", 1), ("evening", 1)],
        )
        self.assertEqual(len(response.context["found"]["year_counts"]), 2)

    def test_search_combines_with_the_reader_filters(self):
        """A publication filter narrows the results and the counts alike."""
        response = self.client.get(SEARCH, {"q": "华人", "publication": "evening"})
        self.assertEqual(response.context["found"]["total"], 1)
        self.assertEqual(response.context["found"]["results"][0].publication, self.evening)

    def test_query_count_does_not_grow_with_results(self):
        """How common the words are (anywhere and in the headings, asked at once), the
        counts, the page's ranks and rows, their credited names and captions, whether any
        standalone photo matches, the filter form's publications and page names, and the paper
        the masthead names: ten queries, for 5 or 15 results; on PostgreSQL one more, asking
        whether the planner's statistics can be trusted for the estimates."""
        queries = 10 + STATISTICS_CHECK
        ArticleFactory.create_batch(5, page=self.page, body="快讯一则。")
        with self.assertNumQueries(queries):
            response = self.client.get(SEARCH, {"q": "快讯"})
        self.assertEqual(len(response.context["found"]["results"]), 5)
        ArticleFactory.create_batch(10, page=self.page, body="又一则快讯。")
        with self.assertNumQueries(queries):
            response = self.client.get(SEARCH, {"q": "快讯"})
        self.assertEqual(len(response.context["found"]["results"]), 15)

    def test_bad_input_is_a_message_or_nothing_never_an_error(self):
        """Odd queries and filter values give a 200 page with a message or no results."""
        bad = {
            "empty": {"q": ""},
            "long": {"q": "华" * 10_000},
            "unbalanced quote": {"q": '"华人'},
            "fts syntax": {"q": '华人 NEAR(a b) * ^ : " OR'},
            "punctuation only": {"q": "。，！？*“”"},
            "bad date": {"q": "华人", "date_from": "2024-02-30"},
            "unknown publication": {"q": "华人", "publication": "nope"},
            "bad contributor": {"q": "华人", "contributor": "abc"},
            "bad page": {"q": "华人", "page": "-3"},
        }
        for name, params in bad.items():
            with self.subTest(name):
                response = self.client.get(SEARCH, params)
                self.assertEqual(response.status_code, 200)
        self.assertContains(self.client.get(SEARCH, {"q": "华" * 10_000}), 'role="alert"')

    def test_every_page_links_to_search(self):
        """The masthead has a search form that sends q to /search/."""
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, f'action="{SEARCH}"')
        self.assertContains(response, 'name="q"')


class AdminSearchTests(TestCase):
    def test_editors_find_drafts_through_the_index(self):
        """The article changelist's search uses the index and includes drafts."""
        draft = ArticleFactory(headline="待审稿件", body="中华人民共和国。", draft=True)
        ArticleFactory(headline="无关")
        user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
        self.client.force_login(user)
        response = self.client.get(reverse("admin:articles_article_changelist"), {"q": "华人"})
        self.assertEqual(list(response.context["cl"].result_list), [draft])
        self.assertEqual(draft.status, Status.DRAFT)


class CommonWordTests(TestCase):
    """A word the engine expects in very many articles is counted in a sample of the archive."""

    @classmethod
    def setUpTestData(cls):
        page = PageFactory()
        cls.headline_hits = [
            ArticleFactory(page=page, headline=f"快讯{n}", body="正文。") for n in range(4)
        ]
        cls.body_hits = [
            ArticleFactory(page=page, headline=f"消息{n}", body="一则快讯。") for n in range(16)
        ]
        ArticleFactory(page=page, headline="无关", body="别的。")

    @contextlib.contextmanager
    def common(self):
        """Every match counts as common; samples of every 2nd and every 4th article by id."""
        with (
            mock.patch("articles.search.FEW_MATCHES", -1),
            mock.patch.object(SearchResults, "COARSE_SAMPLE_ABOVE", 10**9),
            mock.patch.object(type(get_backend()), "samples", (2, 4)),
        ):
            yield

    def test_counts_are_scaled_from_the_sample_and_marked(self):
        """Counts come from the articles with even ids, doubled, and say they are estimates."""
        everything = self.headline_hits + self.body_hits
        sampled = [article for article in everything if article.pk % 2 == 0]
        with self.common():
            response = self.client.get(SEARCH, {"q": "快讯"})
        self.assertTrue(response.context["found"]["estimated"])
        self.assertEqual(response.context["found"]["total"], 2 * len(sampled))
        self.assertEqual(
            sum(entry["count"] for entry in response.context["found"]["year_counts"]),
            2 * len(sampled),
        )

    def test_pages_are_exact_and_ranked_whatever_the_counts(self):
        """Pages are read from the real matches: headline matches first, then newest first."""
        ranked = sorted(self.headline_hits, key=lambda a: (a.published_at, a.pk), reverse=True)
        ranked += sorted(self.body_hits, key=lambda a: (a.published_at, a.pk), reverse=True)
        with self.common():
            results = SearchResults(Article.objects.visible(), parse_query("快讯"))
            results.facets()
            self.assertTrue(results.estimated)
            for start, stop in [(0, 3), (2, 6), (4, 10), (18, 20)]:
                with self.subTest(start=start, stop=stop):
                    self.assertEqual(list(results[start:stop]), ranked[start:stop])

    def test_an_empty_sample_is_counted_exactly(self):
        """When the sample holds no match at all, the matches are counted one by one."""
        with (
            mock.patch("articles.search.FEW_MATCHES", -1),
            mock.patch.object(SearchResults, "COARSE_SAMPLE_ABOVE", 10**9),
            mock.patch.object(type(get_backend()), "samples", (10**9, 10**9)),
        ):
            results = SearchResults(Article.objects.visible(), parse_query("快讯"))
            results.facets()
        self.assertFalse(results.estimated)
        self.assertEqual(results.total, 20)


class EstimatesTests(TestCase):
    """Search asks how many articles match anywhere and how many in their headings in one
    query; the pair is what the two questions asked apart would answer."""

    @classmethod
    def setUpTestData(cls):
        page = PageFactory()
        ArticleFactory.create_batch(3, page=page, headline="快讯", body="本报讯。")
        ArticleFactory.create_batch(4, page=page, headline="要闻", body="快讯一则，另有消息。")

    def test_both_estimates_in_one_query(self):
        backend = get_backend()
        for text in ("快讯", "快讯 -消息", "快讯 OR 要闻", "没有的词"):
            query = parse_query(text)
            for trusted in (True, False):
                with self.subTest(text, trusted=trusted):
                    apart = [
                        backend.estimate(query, trusted=trusted),
                        backend.estimate(query, title_only=True, trusted=trusted),
                    ]
                    with self.assertNumQueries(1):
                        together = backend.estimates(query, trusted=trusted)
                    self.assertEqual(together, apart)
        if connection.vendor == "sqlite":
            # FTS5 counts exactly: 7 articles hold the word, 3 in their headline, and 3 of
            # the 7 do not hold the excluded word.
            self.assertEqual(backend.estimates(parse_query("快讯")), [7, 3])
            self.assertEqual(backend.estimates(parse_query("快讯 -消息")), [3, 3])


@skipUnless(connection.vendor == "postgresql", "only PostgreSQL chooses shapes from statistics")
class UntrustedStatisticsTests(TestCase):
    """Straight after a bulk load or a restore the planner has no statistics for the index
    and would guess every word to be in 0.5% of the articles; the matches are then counted,
    up to just past FEW_MATCHES, so that a common word is never collected whole as if few."""

    def test_counted_until_the_table_is_analysed(self):
        page = PageFactory()
        articles = ArticleFactory.create_batch(3, page=page, body="快讯一则。")
        backend = get_backend()
        query = parse_query("快讯")
        # As after a bulk load or a restore (another test may have analysed the table, and
        # ANALYZE outlives its transaction, so the missing statistics are simulated).
        with (
            mock.patch("articles.search.backends.statistics_missing", return_value=True),
            mock.patch("articles.search.backends.FEW_MATCHES", 1),
            mock.patch("articles.search.FEW_MATCHES", 1),
        ):
            self.assertFalse(backend.statistics_trusted())
            self.assertEqual(backend.estimate(query, trusted=False), 2)  # counted, then stopped
            results = SearchResults(Article.objects.visible(), query)
            # Three matches are more than one: not “few”, so not collected whole; and every
            # match is still found.
            self.assertFalse(results.few)
            self.assertEqual(
                set(results.found().values_list("pk", flat=True)), {a.pk for a in articles}
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_search")
        self.assertTrue(backend.statistics_trusted())
