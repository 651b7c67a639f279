"""Readers and editors at once, under gunicorn and PostgreSQL on loopback: zero errors allowed.

    .venv/bin/python bench/editorial_load.py [--duration 30] [--connections 50] [--editors 2]
        [--pause 3] [--workers 4]
        [--database-url postgres://postgres@127.0.0.1:5432/newsroom_editorial_load]

Needs wrk (apt-get install wrk) and a PostgreSQL server where the URL's user may create
databases. The database named in the URL is created for the run and dropped at its end; one
that already exists is refused, never reused or dropped. The run migrates it, loads the demo
paper, gives each editor a chief editor's account (create_staff) and starts gunicorn with the
production settings on a free loopback port. Then three phases of --duration seconds each,
one after the other on the same server:

1. readers alone: wrk keeps --connections anonymous connections busy on the home page, an
   issue, an e-paper page, the article list, a search and an article, in turn (each round
   another of the visible articles);
2. readers while editors save drafts: each of --editors threads is logged in to the admin
   and keeps opening the change form of an article readers cannot see (a draft, or one in
   review), changing the body and saving the form as a browser posts it, inlines included;
   readers' cached pages must survive it;
3. readers while the chief publishes and corrects: the same editors change the body of
   visible articles (a correction), and after each save of one of the last few unpublish the
   article and publish it again through the form's Workflow choice.

An editor waits --pause seconds (3 by default) after each save, as a person reads and types
between saves; that is still a save every few seconds each, faster than any desk works.
`--pause 0` saves back to back: the CPU readers lose then goes to the editors' requests and to
the pages their saves empty, as the editors' columns show.

No two editors share an article, so no save is refused for a conflict. Each editor also posts
one form it has already saved, which must be refused as stale (counted apart, not as an
error). After every save of a visible article, and after every unpublish and publish, the
editor reads the article as an anonymous reader: a page still showing the text from before
the save, a withdrawn article still shown, or a published one still missing is a stale read,
whichever gunicorn worker answers (they share the cache's generations). REDIS_URL, like
READER_CACHE_SECONDS, is passed on to the server; give it a Redis database of its own.

Prints, per phase, readers' requests per second as a share of readers alone, p50/p95/p99
latency and errors, and the editors' saves with their part of the workers' CPU (what the phase
used beyond its readers' requests, each at what it cost with readers alone) and that part per
save. Any error exits with status 1: a connection, read
or write error, a reader page slower than --timeout, a 4xx or 5xx answer, a save refused, a
stale read. The server's log (Django's tracebacks included) is printed when it is not empty.
Run by hand, never in the test suite; never point it at the tests' database or at
newsroom_bench.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookies
import itertools
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql
from serving import PYTHON, ROOT, cpu_seconds, free_port, gunicorn, manage

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_editorial_load"
SEARCH_WORD = "清河"  # the demo paper's town: in many headlines and bodies
# The line each save puts at the end of the body; the previous one is replaced, so bodies
# keep their length however long the run.
MARKER = re.compile(r"\n\nload-test edit \S+$")

# The reader pages, the articles editors may change, and their public addresses.
SITE = """
import json
import django
from urllib.parse import urlencode

django.setup()
from django.urls import reverse
from articles.models import Article

articles = list(
    Article.objects.visible().exclude(page=None).select_related("page__issue").order_by("pk")
)
first = articles[0]
print(json.dumps({
    "readers": [
        "/",
        first.page.issue.get_absolute_url(),
        first.page.get_absolute_url(),
        reverse("articles:article_list"),
        reverse("articles:search") + "?" + urlencode({"q": %r}),
    ],
    "articles": [[article.pk, article.get_absolute_url()] for article in articles],
    "drafts": [
        [article.pk, article.get_absolute_url()]
        for article in Article.objects.exclude(pk__in=Article.objects.visible()).order_by("pk")
    ],
}))
"""

# wrk calls request() for every request and done() once at the end; done() prints "name
# number" lines, since wrk's own summary has no p95 and no count per status. Each round is
# the reader pages then one article, the next article each round: the articles being
# edited are all read, and cached, while a sixth of the requests are articles.
WRK_SCRIPT = """
local pages = {%s}
local articles = {%s}
local index = 0
local threads = {}
statuses = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  local round = math.floor(index / (#pages + 1))
  local position = index %% (#pages + 1) + 1
  index = index + 1
  if position > #pages then
    return wrk.format("GET", articles[round %% #articles + 1])
  end
  return wrk.format("GET", pages[position])
end

function response(status, headers, body)
  if status > 399 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local lines = {
    requests = summary.requests,
    duration_us = summary.duration,
    p50_us = latency:percentile(50),
    p95_us = latency:percentile(95),
    p99_us = latency:percentile(99),
    max_us = latency.max,
    errors_connect = errors.connect,
    errors_read = errors.read,
    errors_write = errors.write,
    errors_status = errors.status,
    errors_timeout = errors.timeout,
  }
  for name, value in pairs(lines) do
    io.write(string.format("wrk %%s %%d\\n", name, value))
  end
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("wrk status_%%d %%d\\n", status, count))
    end
  end
end
"""


# --- the database and the site -----------------------------------------------------------


@contextlib.contextmanager
def scratch_database(url: str):
    """Create the URL's database for this run and drop it afterwards; refuse an existing one."""
    settings = dj_database_url.parse(url)
    if not settings["ENGINE"].endswith("postgresql"):
        raise SystemExit(f"{url}: a PostgreSQL database URL is needed")
    name = settings["NAME"]
    server = {
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            # Someone else's data, or a run killed before it could clean up: never drop it.
            raise SystemExit(f"The database {name} exists already; drop it or name another.")
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def environment(database_url: str, folder: Path) -> dict:
    """Production settings, as the README deploys them, minus TLS: the bench is the proxy."""
    env = {name: value for name, value in os.environ.items() if name != "DEBUG"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
    }


def site(env: dict) -> dict:
    return json.loads(
        subprocess.run(
            [PYTHON, "-c", SITE % SEARCH_WORD],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )


# --- readers ------------------------------------------------------------------------------


@dataclass
class Readers:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: dict[str, int]
    statuses: dict[str, int]

    @property
    def error_count(self) -> int:
        # A 4xx or 5xx answer is counted in errors_status and again per status: once is enough.
        return sum(self.errors.values())


def lua_strings(paths: list[str]) -> str:
    # A JSON string without escaped non-ASCII is also a Lua string.
    return ", ".join(json.dumps(path, ensure_ascii=False) for path in paths)


def read(base: str, pages: list[str], articles: list[str], options, folder: Path) -> Readers:
    script = folder / "readers.lua"
    script.write_text(WRK_SCRIPT % (lua_strings(pages), lua_strings(articles)))
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{options.connections}",
            f"-d{options.duration}s",
            f"--timeout={options.timeout}s",
            "-s",
            str(script),
            base,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=options.duration + 60,
    ).stdout
    values: dict[str, int] = {}
    for name, value in re.findall(r"^wrk (\w+) (\d+)$", output, re.MULTILINE):
        values[name] = values.get(name, 0) + int(value)
    return Readers(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50=values["p50_us"] / 1000,
        p95=values["p95_us"] / 1000,
        p99=values["p99_us"] / 1000,
        errors={name[7:]: n for name, n in values.items() if name.startswith("errors_") and n},
        statuses={name[7:]: n for name, n in values.items() if name.startswith("status_")},
    )


# --- editors ------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The name/value pairs a browser submits from one form of a page (its successful controls)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea: tuple[str, list[str]] | None = None
        # name, multiple?, selected values, the first option's value
        self.select: tuple[str, bool, list[str], list[str]] | None = None
        self.option: tuple[bool, list[str]] | None = None  # selected?, text (no value attribute)

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append(
                (name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = (name, "multiple" in attributes, [], [])
        elif tag == "option" and self.select:
            selected = "selected" in attributes
            if "value" in attributes:
                self.choose(attributes["value"] or "", selected)
            else:
                self.option = (selected, [])

    def handle_data(self, data) -> None:
        if self.textarea:
            self.textarea[1].append(data)
        elif self.option:
            self.option[1].append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            name, parts = self.textarea
            # HTML drops the newline right after <textarea>, which Django writes before the text.
            self.fields.append((name, re.sub(r"^\r?\n", "", "".join(parts))))
            self.textarea = None
        elif tag == "option" and self.option:
            selected, parts = self.option
            self.option = None
            self.choose("".join(parts).strip(), selected)
        elif tag == "select" and self.select:
            name, multiple, selected, first = self.select
            # A single select with nothing marked sends its first option, as browsers do.
            values = selected if multiple else (selected[-1:] or first[:1])
            self.fields.extend((name, value) for value in values)
            self.select = None

    def choose(self, value: str, selected: bool) -> None:
        _, _, chosen, first = self.select
        if not first:
            first.append(value)
        if selected:
            chosen.append(value)


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    parser.close()
    if not parser.fields:
        raise LookupError(f"no form {form_id!r} on the page")
    return parser.fields


def with_body(fields: list[tuple[str, str]], marker: str) -> list[tuple[str, str]]:
    return [
        (name, MARKER.sub("", value) + f"\n\nload-test edit {marker}" if name == "body" else value)
        for name, value in fields
    ]


def form_errors(page: str) -> str:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.DOTALL)
    text = " ".join(" ".join(re.sub(r"<[^>]+>", " ", error).split()) for error in found)
    return text[:300] or "no error shown"


class Browser:
    """One editor's browser: cookies, and the headers a browser behind the TLS proxy sends.

    The production settings mark cookies Secure and check a POST's Origin against https, so
    requests say they came through the proxy (X-Forwarded-Proto), as they do in production.
    """

    def __init__(self, port: int, *, cookies: bool = True) -> None:
        self.port = port
        self.cookies: dict[str, str] | None = {} if cookies else None
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, str, str, float]:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str, float]:
        return self.request("POST", path, urllib.parse.urlencode(fields))

    def request(
        self, method: str, path: str, body: str | None = None
    ) -> tuple[int, str, str, float]:
        """Status, Location, content and seconds taken of one request."""
        headers = {}
        if self.cookies is not None:
            headers["X-Forwarded-Proto"] = "https"
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            content = response.read().decode()
        except (OSError, http.client.HTTPException):
            # Start the next request on a fresh connection.
            self.connection.close()
            raise
        seconds = time.perf_counter() - started
        if self.cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), content, seconds


@dataclass
class Editor:
    number: int
    username: str
    password: str
    port: int
    articles: list[tuple[int, str]]
    form_seconds: list[float] = field(default_factory=list)
    save_seconds: list[float] = field(default_factory=list)
    # "visible": corrections, publishing and unpublishing, each read back as a reader would;
    # "drafts": saves readers cannot see.
    mode: str = "visible"
    stale_refused: int = 0
    reads_after_save: int = 0
    stale_reads: int = 0
    moves: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    # Articles this editor may unpublish for a moment: readers' wrk does not ask for them
    # directly (a 410 there would be no error), only for the pages that list them.
    movable: set[int] = field(default_factory=set)

    def start_phase(self, mode: str, articles: list[tuple[int, str]], movable=()) -> None:
        self.mode, self.articles, self.movable = mode, articles, set(movable)
        self.form_seconds, self.save_seconds = [], []
        self.reads_after_save = self.stale_reads = self.moves = 0

    def __post_init__(self) -> None:
        self.browser = Browser(self.port)
        self.reader = Browser(self.port, cookies=False)
        self.edits = itertools.count(1)

    def log_in(self) -> None:
        path = "/admin/login/?next=/admin/"
        _, _, page, _ = self.browser.get(path)
        fields = dict(form_fields(page, "login-form"))
        fields |= {"username": self.username, "password": self.password}
        status, location, page, _ = self.browser.post(path, list(fields.items()))
        if status != 302 or location != "/admin/":
            raise SystemExit(f"{self.username} could not log in: HTTP {status} {form_errors(page)}")

    def run(self, stop: threading.Event, pause: float) -> None:
        started = time.perf_counter()
        first_id, first_url = self.articles[0]
        if self.mode == "visible":
            self.prove_stale_save_refused(first_id, first_url)
        for article_id, url in itertools.cycle(self.articles):
            if stop.is_set():
                break
            with contextlib.suppress(LookupError):
                self.save(article_id, url, self.open(article_id))
                # Every save of a movable article is followed by a move each way: paced, an
                # editor saves only about ten times a phase.
                if self.mode == "visible" and article_id in self.movable:
                    self.move(article_id, url, "unpublish")
                    self.move(article_id, url, "publish")
            stop.wait(pause)
        self.seconds = time.perf_counter() - started

    def move(self, article_id: int, url: str, transition: str) -> None:
        """Unpublish or publish through the form's Workflow choice, then read it as a reader."""
        fields = [
            (name, value)
            for name, value in self.open(article_id)
            if name not in {"transition", "transition_reason"}
        ]
        fields += [
            ("transition", transition),
            ("transition_reason", "load test"),
            ("_save", "save"),
        ]
        try:
            status, _, page, seconds = self.browser.post(change_path(article_id), fields)
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{transition} article {article_id}: {error!r}")
            return
        if status != 302:
            self.errors.append(
                f"{transition} article {article_id}: HTTP {status} {form_errors(page)}"
            )
            return
        self.moves += 1
        self.save_seconds.append(seconds)
        expected = 410 if transition == "unpublish" else 200
        try:
            status, _, _, _ = self.reader.get(url)
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"read {url} after {transition}: {error!r}")
            return
        self.reads_after_save += 1
        if status != expected:
            self.stale_reads += 1
            self.errors.append(f"read {url} after {transition}: HTTP {status}, not {expected}")

    def open(self, article_id: int) -> list[tuple[str, str]]:
        """The change form's fields; LookupError (recorded) when it could not be had."""
        try:
            status, _, page, seconds = self.browser.get(change_path(article_id))
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"open article {article_id}: {error!r}")
            raise LookupError from error
        if status != 200:
            self.errors.append(f"open article {article_id}: HTTP {status}")
            raise LookupError(status)
        self.form_seconds.append(seconds)
        try:
            return form_fields(page, "article_form")
        except LookupError as error:
            self.errors.append(f"open article {article_id}: {error}")
            raise

    def save(self, article_id: int, url: str, fields: list[tuple[str, str]]) -> str:
        """Post the form with a new last line in the body; returns that line's marker."""
        marker = f"{self.number}-{next(self.edits)}"
        try:
            status, _, page, seconds = self.browser.post(
                change_path(article_id), [*with_body(fields, marker), ("_save", "save")]
            )
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"save article {article_id}: {error!r}")
            return marker
        if status == 302:
            self.save_seconds.append(seconds)
            if self.mode == "visible":
                self.read_after_save(url, marker)
        elif status == 200:
            self.errors.append(f"save article {article_id} refused: {form_errors(page)}")
        else:
            self.errors.append(f"save article {article_id}: HTTP {status}")
        return marker

    def read_after_save(self, url: str, marker: str) -> None:
        """Whether an anonymous reader sees the save at once, whichever worker answers."""
        try:
            status, _, page, _ = self.reader.get(url)
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"read {url} after saving: {error!r}")
            return
        if status != 200:
            self.errors.append(f"read {url} after saving: HTTP {status}")
            return
        self.reads_after_save += 1
        if f"load-test edit {marker}" not in page:
            self.stale_reads += 1
            self.errors.append(f"read {url} after saving: the text from before the save")

    def prove_stale_save_refused(self, article_id: int, url: str) -> None:
        """Save a form, then post it again as opened: the second save must be refused."""
        try:
            fields = self.open(article_id)
        except LookupError:
            return
        saved = self.save(article_id, url, fields)
        stale = [(name, value) for name, value in fields if name != "body"]
        stale += [("body", "this stale text must never be saved"), ("_save", "save")]
        try:
            status, _, page, _ = self.browser.post(change_path(article_id), stale)
            after = dict(self.open(article_id))
        except (OSError, http.client.HTTPException, LookupError) as error:
            self.errors.append(f"stale save of article {article_id}: {error!r}")
            return
        # Refused: the form comes back with the error, and the text is still the first save's.
        kept = after["body"].endswith(f"load-test edit {saved}")
        if status == 200 and "errorlist nonfield" in page and kept:
            self.stale_refused += 1
        else:
            self.errors.append(
                f"stale save of article {article_id} not refused: HTTP {status}, "
                f"errors {form_errors(page)!r}, body now ends {after['body'][-40:]!r}"
            )


def change_path(article_id: int) -> str:
    return f"/admin/articles/article/{article_id}/change/"


# --- the report ---------------------------------------------------------------------------


def percentile(samples: list[float], p: int) -> float:
    if len(samples) < 2:
        return samples[0] * 1000 if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1] * 1000


@dataclass
class Phase:
    """What readers and editors did in one phase."""

    name: str
    readers: Readers
    saves: list[float] = field(default_factory=list)
    editor_seconds: float = 0.0
    moves: int = 0
    reads_after_save: int = 0
    stale_reads: int = 0
    # CPU seconds the server's workers used in the phase, readers' and editors' requests alike.
    cpu: float = 0.0


PHASES = [
    ("readers alone", None),
    ("while editors save drafts", "drafts"),
    ("while the chief publishes and corrects", "visible"),
]


def report(options, phases: list[Phase], editors: list[Editor], log: Path) -> int:
    """Print the table and what went wrong; returns the number of errors."""
    print(
        f"{options.workers} gunicorn workers, {options.connections} reader connections, "
        f"{options.editors} editors, {options.duration} s per phase"
    )
    alone = phases[0].readers
    print(
        f"{'readers':42}{'req/s':>8}{'share':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'p99/idle':>9}{'errors':>7}"
    )
    for phase in phases:
        r = phase.readers
        rate = r.requests / r.seconds
        print(
            f"{phase.name:42}{rate:>8.0f}{rate / (alone.requests / alone.seconds):>8.0%}"
            f"{r.p50:>8.1f}{r.p95:>8.1f}{r.p99:>8.1f}{r.p99 / alone.p99:>9.2f}{r.error_count:>7}"
        )
    # The editors' part of the workers' CPU: what the phase used beyond its readers' requests
    # at the CPU a reader's request cost when readers were alone.
    per_read = phases[0].cpu / max(alone.requests, 1)
    print(
        f"{'editors':42}{'saves':>8}{'per s':>8}{'p50 ms':>8}{'p99 ms':>8}{'moves':>8}"
        f"{'CPU %':>8}{'CPU ms/save':>12}"
    )
    for phase in phases[1:]:
        editing = max(phase.cpu - phase.readers.requests * per_read, 0.0)
        print(
            f"{phase.name:42}{len(phase.saves):>8}"
            f"{len(phase.saves) / max(phase.editor_seconds, 1e-9):>8.1f}"
            f"{percentile(phase.saves, 50):>8.1f}{percentile(phase.saves, 99):>8.1f}"
            f"{phase.moves:>8}{editing / max(phase.cpu, 1e-9):>8.0%}"
            f"{editing * 1000 / max(len(phase.saves), 1):>12.0f}"
        )
    editor_errors = [error for editor in editors for error in editor.errors]
    print(f"stale saves refused: {sum(e.stale_refused for e in editors)} of {len(editors)} tried")
    reads = sum(phase.reads_after_save for phase in phases)
    stale = sum(phase.stale_reads for phase in phases)
    print(
        f"anonymous reads right after a visible change still showing the old state: "
        f"{stale} of {reads}"
    )
    for phase in phases:
        if phase.readers.errors:
            errors = ", ".join(f"{k} {v}" for k, v in sorted(phase.readers.errors.items()))
            print(f"reader errors {phase.name}: {errors}")
        if phase.readers.statuses:
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(phase.readers.statuses.items()))
            print(f"reader statuses {phase.name}: {statuses}")
    for error in editor_errors[:20]:
        print("editor error:", error)
    if len(editor_errors) > 20:
        print(f"... and {len(editor_errors) - 20} more editor errors")
    server_log = log.read_text(errors="replace").strip()
    if server_log:
        lines = server_log.splitlines()
        print(f"server log ({len(lines)} lines, the last 200):")
        print("\n".join(lines[-200:]))
    return sum(phase.readers.error_count for phase in phases) + len(editor_errors)


def movable_articles(content, options) -> set[int]:
    """The visible articles the chief unpublishes and publishes again: the last few."""
    return {pk for pk, _ in content["articles"][-options.editors * 2 :]}


def run_phase(
    name: str, mode: str | None, editors: list[Editor], content, server, port, options, folder
):
    """Readers for --duration seconds, with the editors working in `mode` (None: idle)."""
    stop = threading.Event()
    cpu = cpu_seconds(server.pid)
    working = editors if mode else []
    movable = movable_articles(content, options)
    for number, editor in enumerate(working):
        articles = content["articles"] if mode == "visible" else content["drafts"]
        editor.start_phase(
            mode, [tuple(a) for a in articles[number :: len(working)]], movable=movable
        )
    with ThreadPoolExecutor(max(len(working), 1)) as pool:
        running = [pool.submit(editor.run, stop, options.pause) for editor in working]
        try:
            readers = read(
                f"http://127.0.0.1:{port}",
                content["readers"],
                [url for pk, url in content["articles"] if pk not in movable],
                options,
                folder,
            )
        finally:
            stop.set()
        for future in running:
            future.result()  # an editor's unexpected exception surfaces here
    return Phase(
        name=name,
        readers=readers,
        saves=[s for editor in working for s in editor.save_seconds],
        editor_seconds=max((editor.seconds for editor in working), default=0.0),
        moves=sum(editor.moves for editor in working),
        reads_after_save=sum(editor.reads_after_save for editor in working),
        stale_reads=sum(editor.stale_reads for editor in working),
        cpu=cpu_seconds(server.pid) - cpu,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per phase")
    parser.add_argument("--connections", type=int, default=50, help="readers' connections")
    parser.add_argument("--editors", type=int, default=2, help="editors saving at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--pause",
        type=float,
        default=3.0,
        help="seconds an editor waits between saves (default %(default)s; 0: saves back to back)",
    )
    parser.add_argument(
        "--timeout", type=int, default=2, help="seconds after which a reader's request fails"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="created and dropped by the run (default %(default)s)",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    with (
        tempfile.TemporaryDirectory(prefix="newsroom-editorial-load-") as name,
        scratch_database(options.database_url),
    ):
        folder = Path(name)
        env = environment(options.database_url, folder)
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        password = secrets.token_urlsafe(18)
        usernames = [f"load-editor-{number}" for number in range(1, options.editors + 1)]
        for username in usernames:
            manage(
                env | {"NEWSROOM_STAFF_PASSWORD": password},
                "create_staff",
                username,
                "--role",
                "chief",  # may change any article, published ones included
                "--noinput",
            )
        content = site(env)
        # Each editor needs a draft, and visible articles beside the ones unpublished a moment.
        for kind, needed in (("articles", options.editors * 3), ("drafts", options.editors)):
            if len(content[kind]) < needed:
                raise SystemExit(f"only {len(content[kind])} {kind} for {options.editors} editors")
        port = free_port()
        log = folder / "gunicorn.log"
        with (
            log.open("w") as log_file,
            gunicorn(env, port, options.workers, "/admin/login/", log_file) as server,
        ):
            editors = [
                Editor(number=number, username=username, password=password, port=port, articles=[])
                for number, username in enumerate(usernames, start=1)
            ]
            for editor in editors:
                editor.log_in()
            phases = [
                run_phase(name, mode, editors, content, server, port, options, folder)
                for name, mode in PHASES
            ]
        errors = report(options, phases, editors, log)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
