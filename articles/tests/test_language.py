"""Entirely in Chinese under zh-hans, entirely in English under en: a crawl of the admin and
the reader site in each language.

As a superuser with the interface in Simplified Chinese, every admin page reachable from the
index by its links (each kind of page twice at most: list, add and change forms, history,
compare, restore, recover, delete confirmation, the desk, password change, the import page)
and every reader page reachable from the home page is read as a person and a screen reader
get it: the text, and the `title`, `aria-label`, `alt` and `placeholder` of every element and
the labels of buttons. Any English word left in it fails the test, outside a short list of
names that are the same in Chinese (PDF, RSS...) and words of the content itself (a file
name, a user agent), which are data, not interface. Under en the same pages must hold no
Chinese of the interface: every run of Chinese characters has to be part of the content.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from reversion.models import Version

from articles import services
from articles.models import Article, Correction

from .factories import ArticleFactory
from .test_workflow import form_data, staff

# Names that read the same in a Chinese interface, in any case (PDF, 01.pdf): formats,
# protocols, keys on a keyboard, and "daily", the example of a publication's Latin code.
ALLOWED = {
    *("PDF", "ZIP", "RSS", "ATOM", "URL", "JSON", "ID", "JPEG", "PNG", "WEBP", "UTF", "OCR"),
    *("SHA", "IP", "HTTP", "ACCEPT", "GET", "POST", "LDAP", "CONTROL", "COMMAND", "MAC", "DAILY"),
}
WORD = re.compile(r"[A-Za-z]{3,}")
# A run of Chinese as the interface would print it, with the figures and full-width punctuation
# in and around it (第3版, 2026年3月3日, 据《X》), so that a label whose characters all occur
# somewhere in the articles is still caught whole. A space ends a run: text nodes put side by
# side are not one.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_MARKS = "\u3000-\u303f\uff01-\uff60"
CHINESE = re.compile(rf"[\d{CJK_MARKS}]*[{HAN}][{HAN}\d{CJK_MARKS}]*")
# Attributes a person or a screen reader is given as text.
SPOKEN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
BUTTON_TYPES = {"submit", "button", "reset"}
# Elements whose content is not interface text: code, and what the editor typed.
SILENT = {"script", "style", "template", "textarea", "noscript"}
# The same page for other rows: after two of a kind the crawl has seen that kind.
SAME_KIND = re.compile(r"\d+")
PER_KIND = 2


class VisibleText(HTMLParser):
    """The text of a page as read: text nodes, spoken attributes, button labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in SILENT:
            self.silent += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in SPOKEN_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in BUTTON_TYPES:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in SILENT and self.silent:
            self.silent -= 1

    def handle_data(self, data):
        if not self.silent:
            self.parts.append(data)


def stored_text() -> str:
    """All the content: every text or file name stored in any model's rows, one per line."""
    values = []
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.FileField)
        ]
        for row in model._default_manager.values_list(*fields):
            values.extend(str(value) for value in row if value)
    return "\n".join(values)


def data_words() -> set[str]:
    """Every Latin word in the content, and in what the admin shows of each stored password
    (its hasher's summary: the start of a random salt and hash, e.g. "ddeee1****")."""
    shown = []
    for password in get_user_model().objects.values_list("password", flat=True):
        try:
            shown.extend(
                str(value) for value in identify_hasher(password).safe_summary(password).values()
            )
        except ValueError:  # unusable, or no hasher: the admin shows no summary
            continue
    return set(WORD.findall("\n".join([stored_text(), *shown])))


def visible_text(html: str) -> tuple[list[str], list[str]]:
    """The pieces of text a person reads on the page, and the page's links."""
    parser = VisibleText()
    parser.feed(html)
    return parser.parts, parser.links


def english_words(parts: list[str], data: set[str]) -> list[str]:
    """The English words in the text that are neither allowed names nor content."""
    found = (WORD.findall(part) for part in parts)
    return sorted({word for words in found for word in words if word.upper() not in ALLOWED} - data)


def chinese_runs(parts: list[str], data: str) -> list[str]:
    """The runs of Chinese in the text that are not part of the content."""
    found = (CHINESE.findall(part) for part in parts)
    return sorted({run for runs in found for run in runs if run not in data})


class Crawl:
    """Breadth first from the seeds, within `prefix`, each kind of page at most PER_KIND."""

    def __init__(self, client, prefix: str, skip: tuple[str, ...] = ()):
        self.client, self.prefix, self.skip = client, prefix, skip
        self.kinds: dict[str, int] = {}
        self.seen: set[str] = set()
        self.pages = 0
        # The languages the pages were served in, as LocaleMiddleware says (Content-Language).
        self.languages: set[str] = set()

    def wanted(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith(self.prefix):
            return False
        if any(part in url for part in self.skip):
            return False
        # Filters and sorting of a list are the same page; compare links are pages of their own.
        kind = SAME_KIND.sub("N", parts.path + ("?compare" if "version_id1" in url else ""))
        if url in self.seen or self.kinds.get(kind, 0) >= PER_KIND:
            return False
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        return True

    def run(self, seeds: list[str], foreign) -> dict[str, list[str]]:
        """Each page's foreign text, `foreign` being a function of the page's text pieces."""
        found = {}
        queue = [seed for seed in seeds if self.wanted(seed)]
        while queue:
            url = queue.pop(0)
            self.seen.add(url)
            response = self.client.get(url)
            if response.status_code in (301, 302):
                continue
            assert response.status_code in (200, 404, 410), (url, response.status_code)
            if not response["Content-Type"].startswith("text/html"):
                continue
            self.pages += 1
            self.languages.add(response["Content-Language"])
            parts, links = visible_text(response.content.decode())
            if words := foreign(parts):
                found[url] = words
            for link in links:
                target = urljoin(url, link).split("#")[0]
                if "version_id1" not in target:
                    target = target.split("?")[0]
                if target not in self.seen and target not in queue and self.wanted(target):
                    queue.append(target)
        return found


class InterfaceCrawl:
    """The demo paper with history, corrections and login records, crawled in `language`: the
    admin as a superuser and the reader site as a visitor, each page's foreign text found."""

    maxDiff = None
    language: str
    # What the readers type into search and the list's filter, shown back to them: theirs,
    # not the interface's.
    SEARCHES = ("大桥", "马拉送")
    HEADLINE_FILTER = "桥"

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed at exit
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")
        # History to compare and restore: an article saved twice, with a credit and a photo.
        article = Article.objects.filter(photos__isnull=False, bylines__isnull=False).first()
        for headline in (article.headline + "（初稿）", article.headline):
            with reversion.create_revision():
                reversion.set_user(cls.user)
                reversion.set_comment("改标题")
                article.headline = headline
                article.save()
        versions = Version.objects.get_for_object(article).order_by("pk")
        cls.history = reverse("admin:articles_article_history", args=[article.pk])
        cls.compare = (
            f"{cls.history}compare/?version_id1={versions[0].pk}&version_id2={versions[1].pk}"
        )
        cls.withdrawn = Article.objects.visible().exclude(pk=article.pk).first()
        services.articles_unpublish(
            articles=Article.objects.filter(pk=cls.withdrawn.pk), user=cls.user
        )
        Correction.objects.create(article=article, text="原文数字有误，已更正。")
        # What django-axes keeps, so its lists and forms have rows.
        now = timezone.now()
        visitor = {"username": "某人", "ip_address": "10.0.0.1", "user_agent": "浏览器"}
        AccessAttempt.objects.create(**visitor, path_info="/admin/login/", failures_since_start=1)
        AccessFailureLog.objects.create(**visitor, path_info="/admin/login/")
        AccessLog.objects.create(
            username="总编", ip_address="10.0.0.1", user_agent="浏览器", attempt_time=now
        )

    def setUp(self):
        # The language as a reader picks it, by the switcher's cookie (LocaleMiddleware).
        self.client.force_login(self.user)
        self.client.cookies["django_language"] = self.language

    def foreign(self, parts: list[str]) -> list[str]:
        """The text of a page that is in neither this interface's language nor the content."""
        raise NotImplementedError

    def crawl_admin(self) -> Crawl:
        """Every admin page reachable from the index, with no foreign text on any."""
        crawl = Crawl(self.client, "/admin/", skip=("/logout/", "/r/", "/jsi18n/"))
        seeds = [self.history, self.compare, "/admin/", "/admin/password_change/"]
        found = crawl.run(seeds, self.foreign)
        self.assertEqual(found, {})
        self.assertEqual(crawl.languages, {self.language})
        # It went everywhere: each model's list, and each kind of page of the paper's models.
        for model in admin.site._registry:
            self.assertIn(reverse(admin_urlname(model._meta, "changelist")), crawl.seen)
        kinds = {SAME_KIND.sub("N", url.split("?")[0]) for url in crawl.seen}
        for name in ("publication", "issue", "page", "article", "photo", "contributor"):
            for view in ("add/", "N/change/", "N/history/", "N/delete/"):
                self.assertIn(f"/admin/articles/{name}/{view}", kinds)
        for kind in (
            "/admin/articles/article/N/history/compare/",
            "/admin/articles/issue/N/history/N/",
            "/admin/articles/article/recover/",
            "/admin/articles/issue/N/desk/",
            "/admin/articles/page/N/import-text/",
            "/admin/auth/user/N/password/",
            "/admin/password_change/",
        ):
            self.assertIn(kind, kinds)
        self.assertGreater(crawl.pages, 60)
        return crawl

    def crawl_reader(self) -> Crawl:
        """Every reader page reachable from the home page, and search, with no foreign text."""
        self.client.logout()
        self.client.cookies["django_language"] = self.language
        crawl = Crawl(self.client, "/", skip=("/admin/", "/media/", "/static/"))
        seeds = [
            "/",
            *(f"/search/?q={query}" for query in self.SEARCHES),
            f"/articles/?headline={self.HEADLINE_FILTER}",
            self.withdrawn.get_absolute_url(),
            "/nowhere/",
        ]
        found = crawl.run(seeds, self.foreign)
        self.assertEqual(found, {})
        self.assertEqual(crawl.languages, {self.language})
        self.assertGreater(crawl.pages, 15)
        return crawl


class ChineseInterfaceTests(InterfaceCrawl, TestCase):
    language = "zh-hans"

    def foreign(self, parts):
        return english_words(parts, self.data)

    def setUp(self):
        super().setUp()
        self.data = data_words()

    def test_the_admin_is_in_chinese(self):
        """Every admin page reachable from the index shows no English word."""
        self.crawl_admin()

    def test_the_reader_site_is_in_chinese(self):
        """Every reader page reachable from the home page, and search, show no English word."""
        self.crawl_reader()


class EnglishInterfaceTests(InterfaceCrawl, TestCase):
    language = "en"

    def foreign(self, parts):
        return chinese_runs(parts, self.data)

    def setUp(self):
        super().setUp()
        self.data = "\n".join((stored_text(), *self.SEARCHES, self.HEADLINE_FILTER))

    def test_the_admin_is_in_english(self):
        """Every admin page reachable from the index shows no Chinese but the content's."""
        self.crawl_admin()

    def test_the_reader_site_is_in_english(self):
        """Every reader page reachable from the home page, and search, show no Chinese but
        the content's and the reader's own searches."""
        self.crawl_reader()


# A message in a script: gettext('…'), ngettext('…', '…', n) or pgettext('context', '…').
SCRIPT_MESSAGE = re.compile(
    r"""\b(gettext|ngettext|pgettext)\(\s*(['"])((?:\\.|(?!\2).)*)\2"""
    r"""(?:\s*,\s*(['"])((?:\\.|(?!\4).)*)\4)?"""
)


class ScriptMessagesTests(TestCase):
    def test_the_admin_scripts_speak_chinese(self):
        """Every message Django's admin scripts show (the page editors' picker, calendars,
        actions) is in the catalogue the admin serves under zh-hans."""
        scripts = Path(admin.__file__).parent / "static" / "admin" / "js"
        wanted = set()
        for script in scripts.glob("*.js"):
            for match in SCRIPT_MESSAGE.finditer(script.read_text()):
                kind, message, second = match.group(1), match.group(3), match.group(5)
                message = message.replace('\\"', '"').replace("\\'", "'")
                wanted.add(f"{message}\x04{second}" if kind == "pgettext" else message)
        self.assertGreater(len(wanted), 50)
        user = get_user_model().objects.create_superuser("总编", password="pw")
        self.client.force_login(user)
        response = self.client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        script = response.content.decode()
        start = script.index("const newcatalog = ") + len("const newcatalog = ")
        catalogue = json.loads(script[start : script.index(";\n", start)])
        self.assertEqual(sorted(wanted - catalogue.keys()), [])


class ChineseRecordsTests(TestCase):
    """What the admin records and asks, in the interface's language."""

    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("总编", password="pw")

    def setUp(self):
        self.client.force_login(self.user)

    def test_change_messages_name_fields_in_chinese(self):
        """The history names the fields changed by their Chinese names (English under en)."""
        article = ArticleFactory(draft=True)
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            form_data(article, headline="新标题", subheadline="新副题"),
        )
        self.assertEqual(response.status_code, 302)
        entry = LogEntry.objects.get(object_id=str(article.pk))
        with translation.override("zh-hans"):
            self.assertEqual(entry.get_change_message(), "已修改主题 和 副题。")
        with translation.override("en"):
            self.assertEqual(entry.get_change_message(), "Changed headline and subheadline.")

    def test_roles_are_called_by_their_names(self):
        """Where roles are picked and listed, 值班总编 and 记者, never the groups' codes; the
        codes stay the groups' names (create_staff --role chief). English under en."""
        form = self.client.get(reverse("admin:auth_user_change", args=[self.user.pk]))
        options = {
            option.text
            for option in html5lib.parse(
                form.content.decode(), namespaceHTMLElements=False
            ).iterfind(".//select[@name='groups']/option")
        }
        self.assertEqual(options, {"记者", "编辑", "初审", "复审", "终审", "值班总编"})
        self.assertContains(self.client.get(reverse("admin:auth_group_changelist")), "值班总编")
        chief = Group.objects.get(name="chief")
        change = self.client.get(reverse("admin:auth_group_change", args=[chief.pk]))
        self.assertContains(change, "<h2>值班总编</h2>", html=True)
        with translation.override("en"):
            self.client.cookies["django_language"] = "en"
            form = self.client.get(reverse("admin:auth_user_change", args=[self.user.pk]))
        self.assertContains(form, "Duty chief editor")

    def test_deleting_a_group_lists_no_link_rows(self):
        """Deleting a role asks about the role, not about its rows of permissions."""
        editor = Group.objects.get(name="editor")
        response = self.client.get(reverse("admin:auth_group_delete", args=[editor.pk]))
        self.assertContains(response, "editor")
        self.assertNotContains(response, "Group_permissions")
        self.assertNotContains(response, "Group-permission")

    def test_yes_and_no_are_words(self):
        """A yes/no icon tells a screen reader 是 or 否, not True or False."""
        response = self.client.get(reverse("admin:auth_user_changelist"))
        self.assertContains(response, 'alt="是"')
        self.assertNotContains(response, 'alt="True"')

    def test_login_records_are_the_superusers_after_the_paper(self):
        """登录防护 comes after the newspaper's models, and only superusers see it."""
        sections = [app["name"] for app in self.client.get("/admin/").context["app_list"]]
        self.assertEqual(sections[0], "报纸")
        self.assertEqual(sections[-1], "登录防护")
        self.client.force_login(staff("chief", "chief"))
        response = self.client.get("/admin/")
        self.assertNotIn("登录防护", [app["name"] for app in response.context["app_list"]])
        self.assertEqual(
            self.client.get(reverse("admin:axes_accessattempt_changelist")).status_code, 403
        )


class VerboseNameTests(TestCase):
    def test_every_field_has_a_chinese_name(self):
        """Each field of the paper's models is named through the catalogue, in Chinese."""
        for model in apps.get_app_config("articles").get_models():
            fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
            for field in (field for field in fields if not field.auto_created):
                with self.subTest(field=f"{model.__name__}.{field.name}"):
                    self.assertIsInstance(field.verbose_name, Promise)
                    with translation.override("zh-hans"):
                        self.assertRegex(str(field.verbose_name), r"[\u4e00-\u9fff]")
