"""Hostile input through every admin add and change form, inlines included, as a superuser
and as each role: a form error or a refusal, never a 500, and nothing saved.

The forms come from admin.site's registry and each form's fields from the page the admin
renders, so a new ModelAdmin, inline or field is fuzzed without a change here. Each request
posts what a browser would post from the form as shown, with one hostile change: boundary
dates, NUL, numbers past any column, oversized or deeply nested JSON, 10,000-character text,
a stale version, or a duplicate inline row.
"""

import logging
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import UniqueConstraint
from django.forms.models import InlineForeignKeyField
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from reversion.models import Version

from articles.admin_forms import BoundedJSONField
from articles.models import Article, Byline, Correction, IssueUpload, PageUpload, Status
from articles.roles import ROLES

from .factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    IssueFactory,
    PageFactory,
    PhotoFactory,
)
from .test_workflow import staff

logger = logging.getLogger(__name__)

BOUNDARY_DATES = ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"]
HUGE_NUMBER = "99999999999999999999999"
JSON_CASES = {
    "unclosed brackets": "[" * 5000,
    "deeply nested": "[" * 200 + "]" * 200,
    "oversized": "[" + "[1, 2], " * 10_000 + "[1, 2]]",
    "NUL escape": '[["\\u0000", 1], [2, 3], [4, 5]]',
}
LONG_TEXT = "长" * 10_000
FORM_ENCODED = "application/x-www-form-urlencoded"
# Fields whose value the form does not take from the browser, or that only name a row.
NOT_FUZZED = (forms.FileField, forms.BooleanField, InlineForeignKeyField)


class FormControls(HTMLParser):
    """The name/value pairs a browser posts from the admin's change form, as rendered."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.in_form = False
        self.select: dict | None = None
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self.in_form = True
        name = attrs.get("name") or ""
        if not self.in_form or "__prefix__" in name:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
            elif kind not in ("file", "submit", "button", "reset", "image"):
                self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "first": None,
                "chosen": [],
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.pairs += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the newline that starts a textarea's content.
            self.pairs.append((name, text.removeprefix("\n")))
            self.textarea = None


def posted(response) -> dict[str, list[str]]:
    parser = FormControls()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data


def snapshot() -> dict:
    """Every row of the app and the history, to show that a refused request saved nothing."""
    models = {*apps.get_app_config("articles").get_models(), *admin.site._registry}
    rows = {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }
    rows["versions"] = Version.objects.count()
    return rows


class Fuzzer:
    """Posts one hostile variant after another of a form as shown, recording any 500 and any
    answer that is not a refusal, and checking that the database did not change."""

    def __init__(self, client: Client, label: str, fuzzed: set):
        self.client, self.label = client, label
        # The fields already given each hostile value one at a time, as another user.
        self.fuzzed = fuzzed
        self.sent = 0
        self.failures: list[str] = []

    def post(self, url: str, data: dict, case: str) -> None:
        before = snapshot()
        body = urlencode([(name, value) for name, values in data.items() for value in values])
        # The test client copies the context of each of the page's ~200 templates; only the
        # answer counts here.
        with mock.patch("django.test.client.store_rendered_templates"):
            response = self.client.post(url, body, content_type=FORM_ENCODED)
        self.sent += 1
        where = f"{self.label} {url} {case}"
        if response.status_code == 500:
            self.failures.append(f"500: {where}")
        elif response.status_code not in (200, 400, 403):
            self.failures.append(f"{response.status_code} (not a refusal): {where}")
        elif response.status_code == 200 and b"errornote" not in response.content:
            self.failures.append(f"200 without a form error: {where}")
        if snapshot() != before:
            self.failures.append(f"saved something: {where}")

    def fuzz_form(self, url: str, response) -> None:
        """Every hostile variant of the form `response` shows (a GET of `url`).

        Each field takes each hostile value on its own once (the first user shown it); for
        the other users, each hostile value goes into every field at once.
        """
        base = posted(response)
        model = response.context["opts"].label
        if "adminform" in response.context:
            change = response.context["change"]
            main_form = response.context["adminform"].form
            forms_shown = [("", main_form)]
            for inline in response.context["inline_admin_formsets"]:
                forms_shown += [
                    (inline.formset.prefix, form) for form in inline.formset.initial_forms
                ]
        else:
            # An admin page of our own with a plain form (uploading an issue's pages), or
            # none (an upload's progress, whose one button test_admin_upload.py posts).
            main_form = response.context.get("form")
            if main_form is None:
                return
            change, forms_shown = False, [("", main_form)]
        together: dict[str, dict] = {}
        for prefix, form in forms_shown:
            for name, field in form.fields.items():
                if name in ("seen_version", "id", "DELETE") or isinstance(field, NOT_FUZZED):
                    continue
                key = (model, change, prefix, name)
                alone = key not in self.fuzzed
                self.fuzzed.add(key)
                for case, changes in hostile_values(form.add_prefix(name), field):
                    if alone:
                        self.post(url, {**base, **changes}, f"{prefix or 'form'}.{name}: {case}")
                    else:
                        together.setdefault(case, {}).update(changes)
        for case, changes in together.items():
            self.post(url, {**base, **changes}, f"every field: {case}")
        long_text = {form_name: [LONG_TEXT] for form_name in text_fields(main_form)}
        if change:
            long_text |= stale(base, "seen_version")
        if long_text:
            self.post(url, {**base, **long_text}, "10,000 characters in every text field")
        if stale(base, "seen_version"):
            self.post(url, {**base, **stale(base, "seen_version")}, "stale version")
        for inline in response.context.get("inline_admin_formsets", []):
            formset = inline.formset
            for index, form in enumerate(formset.initial_forms):
                row = form.add_prefix("seen_version")
                if not stale(base, row):
                    continue  # a read-only row
                self.post(url, {**base, **stale(base, row)}, f"{formset.prefix}-{index}: stale")
                deleting = {**stale(base, row), form.add_prefix("DELETE"): ["on"]}
                if formset.can_delete:
                    self.post(url, {**base, **deleting}, f"{formset.prefix}-{index}: stale delete")
            if unique_with_parent(formset) and formset.initial_forms:
                for copies in (1, 2):
                    self.post(url, duplicate_rows(base, formset, copies), f"{formset.prefix}: dup")


def hostile_values(name: str, field: forms.Field):
    """(case, posted changes) pairs for one field, by what kind of value it takes."""
    if isinstance(field, forms.SplitDateTimeField):
        for day in BOUNDARY_DATES:
            yield day, {f"{name}_0": [day], f"{name}_1": ["00:00:00"]}
        return
    if isinstance(field, forms.DateTimeField | forms.DateField):
        for day in BOUNDARY_DATES:
            yield day, {name: [day]}
        return
    if isinstance(field, BoundedJSONField | forms.JSONField):
        for case, text in JSON_CASES.items():
            yield case, {name: [text]}
        return
    if isinstance(field, forms.IntegerField):
        yield "huge number", {name: [HUGE_NUMBER]}
        yield "negative", {name: ["-1"]}
        return
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        yield "NUL choice", {name: ["\x00"]}
        yield "huge id", {name: [HUGE_NUMBER]}
        return
    if isinstance(field, forms.CharField):
        yield "NUL", {name: ["文字\x00文字"]}


def text_fields(form) -> list[str]:
    return [
        form.add_prefix(name)
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.JSONField)
        and name not in ("seen_version",)
    ]


def stale(base: dict, name: str) -> dict:
    """A version one older than the form shows: a colleague has saved since."""
    return {name: [str(int(base[name][0]) - 1)]} if base.get(name, [""])[0] else {}


def unique_with_parent(formset) -> bool:
    return any(
        isinstance(constraint, UniqueConstraint) and formset.fk.name in constraint.fields
        for constraint in formset.model._meta.constraints
    )


def duplicate_rows(base: dict, formset, copies: int) -> dict:
    """`copies` new rows, each a copy of the first stored row."""
    prefix = formset.prefix
    data = dict(base)
    first = f"{prefix}-0-"
    total = int(base[f"{prefix}-TOTAL_FORMS"][0])
    for copy in range(copies):
        for name, values in base.items():
            if name.startswith(first) and not name.endswith(("-id", "-seen_version", "-DELETE")):
                data[f"{prefix}-{total + copy}-{name.removeprefix(first)}"] = values
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + copies)]
    return data


class FormFuzzTests(TestCase):
    """Every admin form, every role: no 500, nothing saved."""

    @classmethod
    def setUpTestData(cls):
        cls.users = {"superuser": get_user_model().objects.create_superuser("root")}
        for role in ROLES:
            cls.users[role] = staff(role, role)
        editor = cls.users["editor"]
        issue = IssueFactory(draft=True)
        page = PageFactory(issue=issue)
        page.editors.add(editor)
        # An article at each stage, so that each reviewer has one to correct.
        for status in (
            Status.DRAFT,
            Status.FIRST_REVIEW,
            Status.SECOND_REVIEW,
            Status.FINAL_REVIEW,
        ):
            article = ArticleFactory(
                page=page, status=status, published_at=None, created_by=cls.users["reporter"]
            )
            BylineFactory(article=article)
            photo = PhotoFactory(article=article)
            BylineFactory(photo=photo, contributor=ContributorFactory())
            Correction.objects.create(article=article, text="更正。")
        BylineFactory(page=page, role=Byline.Role.PAGE_EDITOR)
        PhotoFactory(article=None, page=page)
        ContributorFactory(kind="organisation")
        upload = IssueUpload.objects.create(
            publication=issue.publication, date=issue.date, created_by=editor
        )
        PageUpload.objects.create(
            upload=upload, file_name="02.pdf", number=2, state="failed", error="不是PDF。"
        )

    def editable(self, user, model_admin):
        """The first row of the admin's model that `user` may change, if any."""
        request = RequestFactory().get("/")
        request.user = user
        for obj in model_admin.get_queryset(request).order_by("pk"):
            if model_admin.has_change_permission(request, obj):
                return obj
        return None

    def test_every_admin_form_as_every_role(self):
        """Each registered admin's add and change forms, as the superuser and each role."""
        registry = admin.site._registry
        missing = [
            model
            for model in registry
            if model._meta.app_label == "articles" and not model._default_manager.exists()
        ]
        self.assertEqual(missing, [], "give the fuzz test a row of each admin's model")
        sent, failures, forms_fuzzed, fuzzed = 0, [], 0, set()
        for label, user in self.users.items():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            fuzzer = Fuzzer(client, label, fuzzed)
            for model, model_admin in registry.items():
                opts = model._meta
                urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
                obj = self.editable(user, model_admin)
                if obj is not None:
                    urls.append(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                    )
                for url in urls:
                    response = client.get(url)
                    if response.status_code == 403:
                        fuzzer.post(url, {"_save": ["Save"]}, "not allowed")
                        continue
                    self.assertEqual(response.status_code, 200, url)
                    fuzzer.fuzz_form(url, response)
                    forms_fuzzed += 1
            sent += fuzzer.sent
            failures += fuzzer.failures
        logger.info(
            "form fuzz: %d forms, %d requests, %d failures (%d answered 500)",
            forms_fuzzed,
            sent,
            len(failures),
            sum(failure.startswith("500") for failure in failures),
        )
        self.maxDiff = None
        self.assertEqual(failures, [], f"{sent} requests sent")
        self.assertGreater(sent, 500)
        self.assertTrue(Article.objects.exists())
