"""Search that forgives: traditional and simplified alike, corrections of typos, phrases
across print spacing, single characters, numbers, operators, ranking, credits and photos.

One test (at least) for each example of issue 15's "Why", named after it.
"""

from __future__ import annotations

import datetime
import random
import unicodedata

import opencc
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import archive_words
from articles.models import Article
from articles.search import SearchResults, find_photos, matches, parse_query
from articles.search.fold import fold
from articles.search.text import (
    QueryError,
    document_tokens,
    highlight,
    index_tokens,
    normalize,
)
from articles.search.vocabulary import suggest

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
)
from .test_search import STATISTICS_CHECK

SEARCH = reverse("articles:search")


def found(query: str, queryset=None) -> set[Article]:
    """The set of visible articles that match the query."""
    return set(matches(queryset or Article.objects.visible(), parse_query(query)))


def ranked(query: str) -> list[Article]:
    """The visible articles that match, in the order the search page shows them."""
    results = SearchResults(Article.objects.visible(), parse_query(query))
    results.facets()
    return list(results[0 : results.total])


class FoldingTextTests(SimpleTestCase):
    def test_traditional_and_variant_characters_are_indexed_as_simplified(self):
        """內蒙古, 監獄, 銀行, 志願 and the variant 僞 are the tokens of their simplified forms."""
        for traditional, simplified in [
            ("內蒙古", "内蒙古"),
            ("監獄", "监狱"),
            ("銀行", "银行"),
            ("志願", "志愿"),
            ("僞造", "伪造"),
            ("偽造", "伪造"),
        ]:
            with self.subTest(traditional):
                self.assertEqual(index_tokens(traditional), index_tokens(simplified))

    # Chinese text with the characters NFKC changes or moves: full-width punctuation, letters
    # and digits, the ideographic space, compatibility forms, combining marks (after a
    # full-width letter they compose with its ASCII form), traditional characters.
    @settings(max_examples=300, deadline=None)
    @given(
        st.text(
            alphabet="新闻內蒙古，：；！？（）\u3000ＡＢｃ１２…①ﬁ\u0301\u0308e a,.", max_size=40
        )
    )
    def test_folding_is_nfkc_then_lower_case_then_simplified(self, text):
        """However the folding is sped up, it is NFKC, lower case and the fold table."""
        self.assertEqual(normalize(text), fold(unicodedata.normalize("NFKC", text).lower()))

    def test_highlights_mark_the_text_as_printed(self):
        """A simplified query marks traditional text, and full-width letters, where they stand."""
        self.assertEqual(
            highlight("<內蒙古>監獄", parse_query("内蒙古 监狱")),
            "&lt;<mark>內蒙古</mark>&gt;<mark>監獄</mark>",
        )
        self.assertEqual(highlight("ＡＢＣ新闻", parse_query("abc")), "<mark>ＡＢＣ</mark>新闻")

    def test_spacing_between_chinese_characters_is_not_a_boundary(self):
        """Print spacing and line breaks inside a word index as if they were not there."""
        self.assertEqual(index_tokens("疫情 防\n控"), index_tokens("疫情防控"))
        self.assertEqual(
            highlight("疫情 防\n控", parse_query('"疫情防控"')), "<mark>疫情 防\n控</mark>"
        )

    def test_the_last_character_of_each_run_is_indexed_alone_at_the_end(self):
        """杨乐 indexes 乐 too, after the field's bigrams, where it breaks no phrase."""
        self.assertEqual(
            document_tokens("记者杨乐，摄影"), ["记者", "者杨", "杨乐", "摄影", "乐", "影"]
        )

    def test_a_unit_stays_with_its_number(self):
        """2020年 and 23岁 are one term each: the number, then a token starting with the unit."""
        for query, tokens in [
            ("2020年", ("2020", "年")),
            ("23岁的", ("23", "岁")),
            ("5公里", ("5", "公里")),
        ]:
            with self.subTest(query):
                (term,) = parse_query(query)
                self.assertEqual(term.tokens, tokens)
                self.assertTrue(term.is_prefix)

    def test_operators(self):
        """-word excludes, OR and | join alternatives, quotes keep a phrase."""
        query = parse_query('呼和浩特 -疫情 银行 OR 医院 | 学校 "数字 经济"')
        self.assertEqual(
            [[term.text for term in group] for group in query.groups],
            [["呼和浩特"], ["银行", "医院", "学校"], ["数字 经济"]],
        )
        self.assertEqual([term.text for term in query.excluded], ["疫情"])

    def test_operators_at_the_edges(self):
        """Operators with nothing to act on are ignored; only exclusions is a message."""
        for text in ["-", "OR", "|", "OR OR", "- -", '"', '""', "疫情 OR", "OR 疫情"]:
            with self.subTest(text):
                query = parse_query(text)
                self.assertLessEqual(len(query.groups), 1)
        for text in ["--x", "-OR", "-疫情", '-"疫情"', "-疫情 -银行"]:
            with self.subTest(text), self.assertRaises(QueryError):
                parse_query(text)


class WhyExamplesTests(TestCase):
    """The examples of issue 15's "Why", each as a reader would try it."""

    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.page = page = PageFactory(issue=IssueFactory(), name="要闻")

        def article(days: int = 1, **fields) -> Article:
            return ArticleFactory(
                page=page, published_at=now - datetime.timedelta(days=days), **fields
            )

        cls.mongolia = article(headline="内蒙古自治区监狱管理局开放日", body="银行志愿者走进监狱。")
        cls.epidemic = article(headline="呼和浩特疫情防控有序", body="乌兰察布也在行动。")
        cls.spaced = article(headline="防控简报", body="全市疫情 防控\n工作平稳。")
        cls.apart = article(headline="呼和浩特银行新规", body="与疫情无关。防控另说。")
        cls.bank = article(headline="银行网点调整", body="呼和浩特的网点。")
        cls.yang = article(headline="体育快讯", body="本报记者 杨乐")
        cls.engine = article(headline="摩托车展", body="展出400cc排量车型，售价4000元。")
        cls.forty = article(headline="四十", body="共40辆。")
        cls.year = article(headline="年终", body="2020年底完工，23岁的队员。")
        cls.scattered = article(headline="散见", body="2020 有 23 人；年岁不详。")

    def test_traditional_characters_find_simplified_text(self):
        """內蒙古, 監獄, 銀行 and 志願 find the articles that print 内蒙古, 监狱, 银行, 志愿."""
        for traditional, simplified in [
            ("內蒙古", "内蒙古"),
            ("監獄", "监狱"),
            ("銀行", "银行"),
            ("志願", "志愿"),
        ]:
            with self.subTest(traditional):
                self.assertIn(self.mongolia, found(traditional))
                self.assertEqual(found(traditional), found(simplified))

    def test_typos_are_corrected_from_the_archives_vocabulary(self):
        """疫请 → 疫情 and 乌兰查布 → 乌兰察布 (same sound), 呼和浩持 → 呼和浩特 (one character)."""
        # The vocabulary is the headings' words and the bodies' place names.
        self.assertEqual(suggest("疫请"), "疫情")
        self.assertEqual(suggest("乌兰查布"), "乌兰察布")
        self.assertEqual(suggest("呼和浩持"), "呼和浩特")
        self.assertIsNone(suggest("呼和浩特"))
        # Of a query that finds something, only words that sound the same.
        self.assertIsNone(suggest("呼和浩持", differing=False))
        self.assertEqual(suggest("疫请", differing=False), "疫情")

    def test_a_query_that_finds_nothing_shows_the_corrections_results(self):
        """疫请 finds nothing: the page shows the results for 疫情, says so, and links back."""
        response = self.client.get(SEARCH, {"q": "疫请"})
        self.assertEqual(response.context["found"]["corrected"], "疫情")
        self.assertIn(self.epidemic, response.context["found"]["results"])
        self.assertContains(response, "以下是")
        self.assertContains(response, "as_typed=1")
        as_typed = self.client.get(SEARCH, {"q": "疫请", "as_typed": "1"})
        self.assertEqual(list(as_typed.context["found"]["results"]), [])

    def test_a_query_that_finds_little_offers_the_correction_as_a_link(self):
        """An article that holds the typo itself is found, and the correction is offered."""
        ArticleFactory(page=self.page, headline="错字", body="乌兰查布")
        response = self.client.get(SEARCH, {"q": "乌兰查布"})
        self.assertEqual(response.context["found"]["total"], 1)
        self.assertEqual(response.context["found"]["suggestion"], "乌兰察布")
        self.assertContains(response, "q=%E4%B9%8C%E5%85%B0%E5%AF%9F%E5%B8%83")
        self.assertContains(response, "您是不是要找")

    def test_a_correction_that_only_drafts_hold_is_not_offered(self):
        """Words of drafts are in the vocabulary, but never suggested to readers."""
        ArticleFactory(page=self.page, headline="鄂尔多斯消息", draft=True)
        response = self.client.get(SEARCH, {"q": "鄂尔多思"})
        self.assertNotIn("corrected", response.context["found"])
        self.assertNotIn("suggestion", response.context["found"])

    def test_a_quoted_phrase_matches_across_spaces_and_line_breaks(self):
        """ "疫情 防控" finds 疫情防控, 疫情 防控 and 疫情 防\\n控 alike, not the words apart."""
        for query in ['"疫情 防控"', '"疫情防控"']:
            with self.subTest(query):
                self.assertEqual(found(query), {self.epidemic, self.spaced})

    def test_a_single_character_is_found_at_the_end_of_a_run(self):
        """乐 finds the name 杨乐 that ends the text."""
        self.assertIn(self.yang, found("乐"))

    def test_numbers_match_as_prefixes(self):
        """400 finds 400cc and 4000; not 40."""
        self.assertEqual(found("400"), {self.engine})
        self.assertEqual(found("40"), {self.engine, self.forty})

    def test_a_unit_stays_with_its_number(self):
        """2020年 and 23岁 find 2020年底 and 23岁, not 2020 and 年 apart."""
        self.assertEqual(found("2020年"), {self.year})
        self.assertEqual(found("23岁"), {self.year})

    def test_minus_excludes_and_or_finds_either(self):
        """呼和浩特 -疫情 leaves out what says 疫情; 疫情 OR 银行 (and |) finds either."""
        self.assertEqual(found("呼和浩特 -疫情"), {self.bank})
        either = {self.mongolia, self.epidemic, self.spaced, self.apart, self.bank}
        self.assertEqual(found("疫情 OR 银行"), either)
        self.assertEqual(found("疫情 | 银行"), either)
        self.assertEqual(found("疫情|银行 -监狱"), either - {self.mongolia})

    def test_body_that_says_it_most_ranks_first_of_the_body_matches(self):
        """A body that says 疫情 24 times ranks first of the body matches, though older."""
        now = timezone.now()
        for days in range(15):
            ArticleFactory(
                page=self.page,
                headline=f"消息{days}",
                body=f"今天提到疫情一次，其余都是别的事情{'。' * days}",
                published_at=now - datetime.timedelta(hours=days),
            )
        often = ArticleFactory(
            page=self.page,
            headline="专题",
            body="疫情，" * 24,
            published_at=now - datetime.timedelta(days=30),
        )
        order = ranked("疫情")
        headline_matches = [self.epidemic]
        self.assertEqual(order[: len(headline_matches)], headline_matches)
        self.assertEqual(order[len(headline_matches)], often)

    def test_headline_then_kicker_or_subheadline_then_body(self):
        """The same word ranks an article by where it is: headline, other headings, body."""
        now = timezone.now()
        body = ArticleFactory(page=self.page, headline="甲", body="草原之夜。", published_at=now)
        kicker = ArticleFactory(
            page=self.page,
            headline="乙",
            kicker="草原之夜",
            published_at=now - datetime.timedelta(days=1),
        )
        headline = ArticleFactory(
            page=self.page, headline="草原之夜", published_at=now - datetime.timedelta(days=2)
        )
        self.assertEqual(ranked("草原之夜"), [headline, kicker, body])

    def test_the_exact_phrase_ranks_before_the_words_apart(self):
        """呼和浩特疫情: an article with the words together ranks above one with them apart."""
        order = ranked("呼和浩特 疫情")
        self.assertEqual(order[0], self.epidemic)
        self.assertIn(self.apart, order)

    def test_the_byline_that_matched_is_shown(self):
        """An article found by its byline shows that byline; one found by a caption, that."""
        BylineFactory(article=self.bank, contributor=ContributorFactory(name="欧阳明"))
        PhotoFactory(article=self.engine, caption="雪后的长城")
        response = self.client.get(SEARCH, {"q": "欧阳明"})
        (result,) = response.context["found"]["results"]
        self.assertEqual(result, self.bank)
        self.assertContains(response, "<mark>欧阳明</mark>")
        self.assertEqual(len(result.matched_credits), 1)
        response = self.client.get(SEARCH, {"q": "长城"})
        (result,) = response.context["found"]["results"]
        self.assertEqual(result.matched_captions, ["雪后的<mark>长城</mark>"])

    def test_standalone_photos_are_found_with_their_page(self):
        """A caption-only photo on a page is found, shown with its thumbnail and page."""
        photo = PhotoFactory(article=None, page=self.page, caption="那达慕大会赛马")
        hidden = PhotoFactory(
            article=None, page=PageFactory(issue=IssueFactory(draft=True)), caption="那达慕预告"
        )
        response = self.client.get(SEARCH, {"q": "那达慕"})
        self.assertEqual(response.context["found"]["photos"], [photo])
        self.assertContains(response, photo.thumbnail.url)
        self.assertContains(response, self.page.get_absolute_url())
        from articles.models import Photo

        self.assertEqual(
            set(find_photos(Photo.objects.all(), parse_query("那达慕"))), {photo, hidden}
        )

    def test_rebuild_restores_photos_and_vocabulary(self):
        """rebuild_search_index --fresh indexes standalone photos and counts the vocabulary."""
        photo = PhotoFactory(article=None, page=self.page, caption="那达慕大会赛马")
        call_command("rebuild_search_index", "--fresh", verbosity=0)
        response = self.client.get(SEARCH, {"q": "那達慕"})
        self.assertEqual(response.context["found"]["photos"], [photo])
        self.assertEqual(suggest("呼和浩持"), "呼和浩特")


class OperatorEdgeTests(TestCase):
    """Operators at the edges: a clean result or a clear message, never a server error."""

    @classmethod
    def setUpTestData(cls):
        ArticleFactory(headline="疫情通报", body="银行。")

    def test_edges_answer_with_results_or_a_message(self):
        """-, OR alone, --x, an unbalanced quote, | alone and the like: 200, never a 500."""
        expectations = {
            "-": "message",
            "OR": "message",
            "|": "message",
            "--x": "message",
            "-疫情": "message",
            '"': "message",
            '"疫情': "results",
            "疫情 OR": "results",
            "OR 疫情": "results",
            "疫情 -": "results",
            "疫情 - 银行": "results",
            '疫情 -"': "results",
            "疫情 || 银行": "results",
            "--疫情 银行": "empty",
        }
        for query, expected in expectations.items():
            with self.subTest(query):
                response = self.client.get(SEARCH, {"q": query})
                self.assertEqual(response.status_code, 200)
                if expected == "message":
                    self.assertContains(response, 'role="alert"')
                else:
                    self.assertEqual(
                        len(response.context["found"]["results"]), expected == "results"
                    )


class TraditionalRecallTests(TestCase):
    """Generated simplified articles: each query in simplified and in traditional (converted
    by OpenCC's own phrase-aware converter) finds exactly the articles that contain it."""

    QUERIES = 24

    @classmethod
    def setUpTestData(cls):
        rng = random.Random(15)
        words = archive_words.WORDS[:400]
        page = PageFactory()
        cls.texts = {}
        for _ in range(120):
            body = "，".join("".join(rng.choices(words, k=rng.randint(2, 6))) for _ in range(6))
            article = ArticleFactory(
                page=page, headline="".join(rng.choices(words, k=2)), body=body
            )
            cls.texts[article.pk] = article.headline + "\n" + body
        cls.queries = rng.sample(words, cls.QUERIES // 2)
        # Strings across word boundaries too: three characters of a random body.
        for _ in range(cls.QUERIES // 2):
            text = rng.choice(list(cls.texts.values()))
            start = rng.randrange(len(text) - 3)
            piece = text[start : start + 3]
            if "，" not in piece and "\n" not in piece:
                cls.queries.append(piece)

    def test_simplified_and_traditional_queries_find_the_same_articles(self):
        """Every query finds exactly the articles containing it, asked either way."""
        to_traditional = opencc.OpenCC("s2t")
        changed = 0
        for query in self.queries:
            traditional = to_traditional.convert(query)
            changed += traditional != query
            expected = {pk for pk, text in self.texts.items() if query in text}
            with self.subTest(query=query, traditional=traditional):
                simplified_ids = {a.pk for a in found(f'"{query}"')}
                traditional_ids = {a.pk for a in found(f'"{traditional}"')}
                self.assertEqual(simplified_ids, expected)
                self.assertEqual(traditional_ids, expected)
        # The test means something only if many queries differ in traditional.
        self.assertGreater(changed, len(self.queries) // 3)


class CorrectionQueryCountTests(TestCase):
    def test_a_corrected_search_has_a_fixed_number_of_queries(self):
        """疫请: the search as typed (estimates, ranks), one vocabulary lookup, the search for
        the correction (estimates, ranks, scores, rows, names, captions), whether photos match,
        the filter form's publications and page names, and the paper the masthead names:
        thirteen queries, for one result or ten (each search asks its two estimates at once);
        on PostgreSQL two more, asking once per search whether the planner's statistics can be
        trusted."""
        page = PageFactory()
        ArticleFactory(page=page, headline="疫情通报")
        with self.assertNumQueries(13 + 2 * STATISTICS_CHECK):
            response = self.client.get(SEARCH, {"q": "疫请"})
        self.assertEqual(len(response.context["found"]["results"]), 1)
        ArticleFactory.create_batch(9, page=page, headline="疫情快报")
        with self.assertNumQueries(13 + 2 * STATISTICS_CHECK):
            response = self.client.get(SEARCH, {"q": "疫请"})
        self.assertEqual(len(response.context["found"]["results"]), 10)
