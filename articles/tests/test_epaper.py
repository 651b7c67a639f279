"""The e-paper as a 数字报: page navigator, deep-zoom tiles, masthead, front page on the home
page, the way back from an article to its page, dates, and the article list's filters."""

import datetime
import re

import html5lib
from django.test import TestCase

from .factories import (
    ArticleFactory,
    IssueFactory,
    PageFactory,
    PublicationFactory,
    image_upload,
)

RECT = [[10, 10], [100, 10], [100, 80], [10, 80]]


def tree(response):
    return html5lib.parse(response.content, namespaceHTMLElements=False)


class EpaperPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = PublicationFactory(code="evening", name="晚霞报")
        cls.issue = IssueFactory(publication=cls.publication, date=datetime.date(2026, 3, 3))
        cls.front = PageFactory(
            issue=cls.issue, number=1, name="要闻", scan=image_upload(size=(200, 300))
        )
        cls.second = PageFactory(issue=cls.issue, number=2, name="经济")
        cls.article = ArticleFactory(page=cls.front, headline="头版头条", region=RECT)
        cls.other = ArticleFactory(page=cls.front, headline="没有热区的稿件", position=2)

    def test_navigator_shows_every_page_with_its_thumbnail(self):
        """版面导航: every page of the issue in order, the current one marked, a thumbnail
        sized from the scan where the page has one."""
        response = self.client.get(self.second.get_absolute_url())
        navigator = tree(response).find(".//nav[@class='page-navigator']")
        links = navigator.findall(".//a")
        self.assertEqual(
            [link.get("href") for link in links],
            [self.front.get_absolute_url(), self.second.get_absolute_url()],
        )
        self.assertEqual([link.get("aria-current") for link in links], [None, "page"])
        thumbnail = links[0].find("img")
        self.assertEqual(thumbnail.get("src"), self.front.scan_thumbnail.url)
        self.assertEqual((thumbnail.get("width"), thumbnail.get("height")), ("200", "300"))
        self.assertIsNone(links[1].find("img"))  # no scan, no thumbnail

    def test_each_hotspot_has_its_entry_in_the_list(self):
        """The scan's regions and the list beside it name the same articles (data-article), so
        that pointing at one lights up the other."""
        html = self.client.get(self.front.get_absolute_url()).content.decode()
        regions = re.findall(r'class="hotspot" data-article="(\d+)"', html)
        entries = re.findall(r'<li data-article="(\d+)"', html)
        self.assertEqual(regions, [str(self.article.pk)])
        self.assertEqual(entries, [str(self.article.pk), str(self.other.pk)])
        self.assertIn("js/hotspots.js", html)
