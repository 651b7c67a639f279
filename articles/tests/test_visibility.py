"""Visibility: no public URL ever shows an anonymous reader anything not yet (or no longer) out.

One published control article, and beside it every kind of hidden thing: a draft, an article
at each review stage, an embargoed article, an unpublished issue (with a published article, a
page and a standalone photo), an issue scheduled for later, and a withdrawn article. Each
carries its own marker in every text a reader could see (headline, body, caption, credits), and
each has pictures. The sweep then walks every reader URL the project has and checks that no
marker and no hidden file's address turns up anywhere, that hidden things answer 404 (410 for
the withdrawn article), and that the control does show, so the sweep could fail.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Status
from articles.search import parse_query, search
from articles.sitemaps import SITEMAPS

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
from .test_admin import pdf_upload

# Markers are plain Latin words: one search token each, never escaped in HTML, XML or JSON,
# and none contains another, so counting them in a response is exact.
CONTROL = "qzcontrolqz"
DRAFT = "qzdraftqz"
REVIEW = {
    Status.FIRST_REVIEW: "qzfirstreviewqz",
    Status.SECOND_REVIEW: "qzsecondreviewqz",
    Status.FINAL_REVIEW: "qzfinalreviewqz",
    Status.READY: "qzreadyqz",
}
EMBARGOED = "qzembargoedqz"
DRAFT_ISSUE = "qzdraftissueqz"
SCHEDULED_ISSUE = "qzscheduledissueqz"
WITHDRAWN = "qzwithdrawnqz"
HIDDEN_MARKERS = (DRAFT, *REVIEW.values(), EMBARGOED, DRAFT_ISSUE, SCHEDULED_ISSUE, WITHDRAWN)
# Search and the filtered list repeat the query back; this one matches nothing, so how often
# it appears is how often any query is echoed, which tells an echo from a leak.
UNUSED = "qzunusedqz"

# Named URL patterns that are not reader pages, and why the sweep leaves them out.
NOT_READER_PAGES = {
    "set_language": "POST only: switches the interface language and redirects",
    "articles:tile": "a redirect to a deep-zoom tile in the media storage, by the scan's random"
    " name, as the scan's own address is; it reads nothing",
}

# An article's outline on its page scan, so hidden articles would show as hotspots if leaked.
REGION = [[10, 10], [100, 10], [100, 80], [10, 80]]


def public_url_names() -> set[str]:
    """Every named URL pattern outside the admin, as "namespace:name"."""
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                namespace = f"{pattern.namespace}:" if pattern.namespace else ""
                walk(pattern.url_patterns, prefix + namespace)
            else:
                # An unnamed pattern could not be reversed by the sweep: name it instead.
                names.add(prefix + (pattern.name or f"<unnamed {pattern.pattern}>"))

    walk(get_resolver().url_patterns, "")
    return names


@dataclass(frozen=True)
class Visit:
    """One anonymous request of the sweep and what its answer must be."""

    name: str  # the URL pattern's name, e.g. "articles:page"
    url: str
    status: int = 200
    shows: tuple[str, ...] = ()  # what must appear: the control's marker or addresses
    echo: str = ""  # a query term the page repeats back (search box, filter form)


class VisibilityTests(TestCase):
    """An anonymous reader sees the control everywhere it belongs and nothing hidden anywhere."""

    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        hour = datetime.timedelta(hours=1)
        cls.contributors: dict[str, list[Contributor]] = defaultdict(list)
        cls.photos: dict[str, list[Photo]] = defaultdict(list)

        cls.publication = PublicationFactory(code="vis", name="能见度日报")
        cls.issue = IssueFactory(publication=cls.publication, date=datetime.date(2025, 5, 2))
        cls.page = cls.make_page(CONTROL, issue=cls.issue)
        # The control: published an hour ago (so it is in the news sitemap too).
        cls.control = cls.make_article(CONTROL, page=cls.page, published_at=now - hour)
        cls.standalone, cls.photo = cls.photos[CONTROL]

        # Hidden articles on the control's own page: only their state keeps them off it.
        cls.hidden_articles: dict[str, Article] = {
            DRAFT: cls.make_article(DRAFT, page=cls.page, draft=True),
            # A publish time already set, so the status alone must hide them.
            **{
                marker: cls.make_article(
                    marker, page=cls.page, status=status, published_at=now - hour
                )
                for status, marker in REVIEW.items()
            },
            EMBARGOED: cls.make_article(
                EMBARGOED, page=cls.page, published_at=now + datetime.timedelta(days=1)
            ),
            WITHDRAWN: cls.make_article(WITHDRAWN, page=cls.page, published_at=now - 2 * hour),
        }
        cls.withdrawn = cls.hidden_articles[WITHDRAWN]
        services.articles_unpublish(articles=Article.objects.filter(pk=cls.withdrawn.pk))
        cls.withdrawn.refresh_from_db()  # the service writes with update()

        # Tomorrow's paper, not released: a published article, its page and a standalone photo.
        cls.draft_issue = IssueFactory(
            publication=cls.publication, date=datetime.date(2025, 5, 3), draft=True
        )
        cls.draft_page = cls.make_page(DRAFT_ISSUE, issue=cls.draft_issue)
        cls.hidden_articles[DRAFT_ISSUE] = cls.make_article(
            DRAFT_ISSUE, page=cls.draft_page, published_at=now - hour
        )

        # An issue published ahead of its time; its article's own time has come, the issue's not.
        cls.scheduled_issue = IssueFactory(
            publication=cls.publication,
            date=timezone.localdate() + datetime.timedelta(days=1),
            published_at=now + datetime.timedelta(days=1),
        )
        cls.scheduled_page = cls.make_page(SCHEDULED_ISSUE, issue=cls.scheduled_issue)
        cls.hidden_articles[SCHEDULED_ISSUE] = cls.make_article(
            SCHEDULED_ISSUE, page=cls.scheduled_page, published_at=now - hour
        )

        cls.hidden_issues = [cls.draft_issue, cls.scheduled_issue]
        cls.hidden_pages = [cls.draft_page, cls.scheduled_page]

    @classmethod
    def add_contributor(cls, marker: str, label: str, **fields) -> Contributor:
        """A contributor named after the marker, credited on that marker's items only."""
        contributor = ContributorFactory(name=f"{marker}{label}", **fields)
        cls.contributors[marker].append(contributor)
        return contributor

    @classmethod
    def add_photo(cls, marker: str, label: str, **where) -> Photo:
        """A photo with an image (hence a web rendition and thumbnail) and a credited caption."""
        photo = PhotoFactory(
            title=f"{marker}图题{label}",
            caption=f"{marker}图片说明{label}",
            image=image_upload(f"{label}.jpg"),
            **where,
        )
        BylineFactory(
            photo=photo,
            contributor=cls.add_contributor(marker, f"摄影{label}"),
            role=Byline.Role.PHOTOGRAPHER,
        )
        cls.photos[marker].append(photo)
        return photo

    @classmethod
    def make_page(cls, marker: str, *, issue: Issue) -> Page:
        """Page 1 of the issue, with a scan, a PDF, a page editor and a standalone photo."""
        page = PageFactory(
            issue=issue,
            number=1,
            name=f"{marker}版",
            scan=image_upload("scan.jpg", (200, 300)),
            pdf=pdf_upload(),
        )
        BylineFactory(
            page=page,
            contributor=cls.add_contributor(marker, "版面编辑"),
            role=Byline.Role.PAGE_EDITOR,
        )
        cls.add_photo(marker, "版面", article=None, page=page)
        return page

    @classmethod
    def make_article(cls, marker: str, **fields) -> Article:
        """An article with the marker in every text, a reporter, a source and a photo."""
        article = ArticleFactory(
            kicker=f"{marker}引题",
            headline=f"{marker}主题",
            subheadline=f"{marker}副题",
            body=f"{marker}正文第一段。\n## {marker}小标题\n第二段{marker}。",
            region=REGION,
            source=cls.add_contributor(marker, "供稿", kind=Contributor.Kind.ORGANISATION),
            **fields,
        )
        BylineFactory(article=article, contributor=cls.add_contributor(marker, "记者"))
        cls.add_photo(marker, "文中", article=article)
        return article

    # What a hidden thing must never show up as.

    def hidden_contributors(self) -> list[Contributor]:
        return [c for marker in HIDDEN_MARKERS for c in self.contributors[marker]]

    def hidden_files(self) -> list[str]:
        """The addresses of every hidden file: photo originals, renditions, page scans, PDFs."""
        photos = [photo for marker in HIDDEN_MARKERS for photo in self.photos[marker]]
        return [
            *(f.url for photo in photos for f in (photo.image, photo.web, photo.thumbnail)),
            *(f.url for page in self.hidden_pages for f in (page.scan, page.scan_web, page.pdf)),
            *(page.scan_thumbnail.url for page in self.hidden_pages),
        ]

    def hidden_urls(self) -> list[str]:
        """Addresses of hidden things, which no reader page may link to."""
        code = self.publication.code
        calendars = {
            reverse("articles:calendar", args=[code, issue.date.year, issue.date.month])
            for issue in self.hidden_issues
        } - {reverse("articles:calendar", args=[code, self.issue.date.year, self.issue.date.month])}
        return [
            *(article.get_absolute_url() for article in self.hidden_articles.values()),
            *(issue.get_absolute_url() for issue in self.hidden_issues),
            *(page.get_absolute_url() for page in self.hidden_pages),
            *(contributor.get_absolute_url() for contributor in self.hidden_contributors()),
            # A month holding only hidden issues must not be offered as "next month".
            *sorted(calendars),
        ]

    # The sweep.

    def reader_visits(self) -> list[Visit]:
        """Every reader URL the project has, with parameters filled from the data."""
        code = self.publication.code
        control_url = self.control.get_absolute_url()
        photo, standalone = self.photo, self.standalone
        issue_url, page_url = self.issue.get_absolute_url(), self.page.get_absolute_url()
        sitemap_shows = {"issues": issue_url, "pages": page_url, "articles": control_url}
        control_month = (self.issue.date.year, self.issue.date.month)
        months = sorted({(i.date.year, i.date.month) for i in [self.issue, *self.hidden_issues]})
        visits = [
            Visit("articles:home", reverse("articles:home"), shows=(CONTROL, control_url)),
            Visit("articles:publication", self.publication.get_absolute_url(), shows=(CONTROL,)),
            Visit("articles:issue", issue_url, shows=(CONTROL, page_url)),
            Visit(
                "articles:page",
                page_url,
                shows=(CONTROL, control_url, self.page.scan_web.url, standalone.web.url),
            ),
            Visit("articles:page_pdf", page_url + "pdf/"),
            Visit("articles:article", control_url, shows=(CONTROL, photo.web.url)),
            Visit("articles:article_list", reverse("articles:article_list"), shows=(CONTROL,)),
            Visit("articles:archive", reverse("articles:archive"), shows=(issue_url,)),
            Visit(
                "articles:photos",
                reverse("articles:photos"),
                shows=(CONTROL, photo.thumbnail.url, standalone.thumbnail.url),
            ),
            Visit("articles:search", reverse("articles:search")),
            Visit(
                "articles:calendar_latest",
                reverse("articles:calendar_latest", args=[code]),
                shows=(issue_url,),
            ),
            *(
                Visit(
                    "articles:calendar",
                    reverse("articles:calendar", args=[code, year, month]),
                    shows=(issue_url,) if (year, month) == control_month else (),
                )
                for year, month in months
            ),
            Visit("articles:feed_rss", reverse("articles:feed_rss"), shows=(CONTROL,)),
            Visit("articles:feed_atom", reverse("articles:feed_atom"), shows=(CONTROL,)),
            *(
                Visit(
                    f"articles:{name}", reverse(f"articles:{name}", args=[code]), shows=(CONTROL,)
                )
                for name in ("publication_rss", "publication_atom")
            ),
            *(
                Visit(
                    f"articles:{name}", reverse(f"articles:{name}", args=[c.pk]), shows=(CONTROL,)
                )
                for c in self.contributors[CONTROL]
                for name in ("contributor", "contributor_rss", "contributor_atom")
            ),
            Visit(
                "sitemap",
                reverse("sitemap"),
                shows=tuple(f"sitemap-{section}.xml" for section in SITEMAPS),
            ),
            *(
                Visit(
                    "sitemap_section",
                    reverse("sitemap_section", args=[section]),
                    # A new section fails here until the sweep says what it should list.
                    shows=(sitemap_shows.get(section, f"<what sitemap-{section} lists>"),),
                )
                for section in SITEMAPS
            ),
            Visit("sitemap_news", reverse("sitemap_news"), shows=(CONTROL, control_url)),
        ]
        # Search and the article list, asked for each marker; the control's must be found.
        for marker in (CONTROL, *HIDDEN_MARKERS):
            shows = (control_url,) if marker == CONTROL else ()
            for name, param in (("articles:search", "q"), ("articles:article_list", "headline")):
                url = f"{reverse(name)}?{urlencode({param: marker})}"
                visits.append(Visit(name, url, shows=shows, echo=marker))
            # The contributor field's suggestions: the control's name, never a hidden one's.
            url = f"{reverse('articles:contributor_names')}?{urlencode({'q': marker})}"
            visits.append(
                Visit(
                    "articles:contributor_names",
                    url,
                    shows=(CONTROL,) if marker == CONTROL else (),
                )
            )
        # The article list narrowed to a hidden contributor's work is empty.
        visits += [
            Visit(
                "articles:article_list",
                f"{reverse('articles:article_list')}?{urlencode({'contributor': c.pk})}",
            )
            for c in self.hidden_contributors()
        ]
        # Every hidden thing's own address: unknown, or gone if readers saw it.
        visits += [
            Visit("articles:article", article.get_absolute_url(), status=404)
            for marker, article in self.hidden_articles.items()
            if marker != WITHDRAWN
        ]
        visits.append(Visit("articles:article", self.withdrawn.get_absolute_url(), status=410))
        visits += [
            Visit("articles:issue", i.get_absolute_url(), status=404) for i in self.hidden_issues
        ]
        visits += [
            Visit(name, url, status=404)
            for p in self.hidden_pages
            for name, url in (
                ("articles:page", p.get_absolute_url()),
                ("articles:page_pdf", p.get_absolute_url() + "pdf/"),
            )
        ]
        visits += [
            Visit(f"articles:{name}", reverse(f"articles:{name}", args=[c.pk]), status=404)
            for c in self.hidden_contributors()
            for name in ("contributor", "contributor_rss", "contributor_atom")
        ]
        return visits

    @staticmethod
    def text_of(response) -> str:
        """What a reader receives: the headers and the body."""
        headers = "\n".join(f"{key}: {value}" for key, value in response.items())
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return f"{headers}\n{body.decode(errors='replace')}"

    def echo_count(self, visit: Visit) -> int:
        """How often the page repeats a query that matches nothing."""
        return self.text_of(self.client.get(visit.url.replace(visit.echo, UNUSED))).count(UNUSED)

    def sweep(self) -> None:
        """Fetch every reader URL anonymously and check what each answer shows and hides."""
        hidden_files, hidden_urls = self.hidden_files(), self.hidden_urls()
        echoes: dict[str, int] = {}
        for visit in self.reader_visits():
            with self.subTest(name=visit.name, url=visit.url):
                response = self.client.get(visit.url)
                self.assertEqual(response.status_code, visit.status)
                text = self.text_of(response)
                echoed = 0
                if visit.echo:
                    key = visit.url.replace(visit.echo, UNUSED)
                    if key not in echoes:
                        echoes[key] = self.echo_count(visit)
                    echoed = echoes[key]
                for marker in HIDDEN_MARKERS:
                    expected = echoed if marker == visit.echo else 0
                    self.assertEqual(text.count(marker), expected, f"{marker} leaked")
                for address in hidden_files:
                    self.assertNotIn(address, text)
                for address in hidden_urls:
                    # Every page repeats the address it was asked for (the language form's
                    # "next"), so a hidden item's 404 names itself and its issue: not a leak.
                    if not visit.url.startswith(address):
                        self.assertNotIn(address, text)
                for shown in visit.shows:
                    self.assertIn(shown, text)
                if visit.echo == CONTROL:
                    self.assertGreater(text.count(CONTROL), echoed, "the control was not found")

    def test_every_reader_url_hides_everything_hidden(self):
        """No reader URL shows a hidden marker, file or address; hidden things are 404 (410)."""
        self.sweep()

    @override_settings(READER_CACHE_SECONDS=60)
    def test_cache_serves_readers_nothing_hidden(self):
        """With the page cache on, after staff previewed everything, readers still see nothing.

        Staff get drafts and scheduled articles as previews; none of that may be cached for
        readers. The sweep then runs twice, so the second pass is served from the cache.
        """
        cache.clear()
        self.addCleanup(cache.clear)
        staff = get_user_model().objects.create_user("desk", password="pw", is_staff=True)
        self.client.force_login(staff)
        for visit in self.reader_visits():
            self.client.get(visit.url)
        for article in self.hidden_articles.values():
            # The previews exist: the 404s below are visibility, not a wrong address.
            self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)
        self.client.logout()
        self.sweep()
        self.sweep()

    def test_search_and_list_find_only_the_control(self):
        """Search and the filtered list find the control by its marker, and nothing hidden.

        The editors' search (all articles) finds every hidden marker, so the reader's empty
        results come from visibility, not from a missing index entry.
        """
        for marker in (CONTROL, *HIDDEN_MARKERS):
            with self.subTest(marker=marker):
                expected = [self.control] if marker == CONTROL else []
                everything = search(Article.objects.all(), parse_query(marker))
                self.assertTrue(everything.exists())
                response = self.client.get(reverse("articles:search"), {"q": marker})
                self.assertEqual(list(response.context["found"]["results"]), expected)
                self.assertEqual(response.context["found"]["total"], len(expected))
                response = self.client.get(reverse("articles:article_list"), {"headline": marker})
                self.assertEqual(list(response.context["object_list"]), expected)

    def test_the_data_is_what_the_sweep_assumes(self):
        """Only the control's things are visible, only the withdrawn article was seen."""
        self.assertEqual(list(Article.objects.visible()), [self.control])
        self.assertEqual(list(Article.objects.withdrawn()), [self.withdrawn])
        self.assertEqual(list(Issue.objects.visible()), [self.issue])
        self.assertCountEqual(Photo.objects.visible(), self.photos[CONTROL])
        self.assertCountEqual(Contributor.objects.visible(), self.contributors[CONTROL])
        self.assertEqual(len(self.hidden_articles), 9)
        for photo in Photo.objects.all():
            self.assertTrue(photo.image and photo.web and photo.thumbnail)
        markers = [CONTROL, *HIDDEN_MARKERS, UNUSED]
        for marker in markers:
            self.assertEqual([m for m in markers if marker in m], [marker])

    def test_sweep_covers_every_url_pattern(self):
        """A new URL pattern fails here until the sweep visits it (or says why it need not)."""
        visited = {visit.name for visit in self.reader_visits()}
        self.assertEqual(visited | set(NOT_READER_PAGES), public_url_names())
        statuses = {(visit.name, visit.status) for visit in self.reader_visits()}
        # Each reader page is visited at least once for a visible thing.
        self.assertEqual({name for name, status in statuses if status == 200}, visited)


class PublicationChoiceTests(TestCase):
    def test_a_publication_with_nothing_out_is_not_offered(self):
        """The filters offer only publications with something readers may see."""
        ArticleFactory(page__issue__publication__name="已出版日报")
        IssueFactory(draft=True, publication__name="未出版晚报")
        for name in ("articles:article_list", "articles:archive", "articles:search"):
            with self.subTest(url=name):
                response = self.client.get(reverse(name), {"q": "新闻"})
                self.assertContains(response, "已出版日报")
                self.assertNotContains(response, "未出版晚报")
