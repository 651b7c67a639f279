"""Latency of search, the article list, article pages and the admin on a large archive.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python bench/search_bench.py [--requests 50]

The database must already hold a generated and indexed archive:

    manage.py migrate && manage.py generate_archive --articles 1000000 \\
        && manage.py rebuild_search_index --fresh --jobs 2

Search cases: common words, rare words (names), typos (misspellings of the archive's names
and words that sound the same or differ by one character and find nothing, so the page
shows the correction's results), and each of these asked in traditional characters
(converted by OpenCC), whose p95 is printed beside its simplified twin's.

Each case's pages are requested in this process through Django's full request handling
(middleware, views, templates; no network, no page cache: READER_CACHE_SECONDS=0): each page
once first, whose median is printed as "first" (rows read from disk: an archive larger than
the machine's memory is mostly cold), then --requests times in turn, whose p50 and p95 are
printed beside the goal. What a query finds is kept until the articles or photos change: each
search request is made after moving the photos' topic on (`searched`), so the search itself is
measured. The floor is a view returning "ok" through the same middleware, measured in the same
run. Never part of the test suite; never point it at the test database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["READER_CACHE_SECONDS"] = "0"
# Production settings serve hashed static names: collect into a throwaway folder first.
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="search-bench-static-")

import django  # noqa: E402 - configured by the environment above

django.setup()

import opencc  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypinyin import lazy_pinyin  # noqa: E402

from articles import archive_words, caching  # noqa: E402
from articles.models import Article, Byline, Publication  # noqa: E402
from articles.search import matches, parse_query  # noqa: E402
from articles.search.vocabulary import suggest  # noqa: E402

COMMON_WORDS = ["记者", "市场", "天气"]
# People quoted in generated articles (generate_archive's first draw from its seed, 1 by
# default): each name is in a few dozen articles of a million.
RARE_WORDS = archive_words.person_names(random.Random(1), 50_000)[1000:1003]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def timed(client: Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return elapsed


def searched(client: Client, path: str) -> float:
    """A search no kept result answers: what a query finds is kept until the articles or
    photos change, and this measures the search itself. Moving the photos' topic on (not
    timed) empties that alone of the search page's parts."""
    caching.topics_changed([caching.PHOTOS])
    return timed(client, path)


def measure(client: Client, paths: list[str], requests: int) -> tuple[list[float], list[float]]:
    """The first visit of each path (data read from disk), then --requests visits in turn."""
    first = [timed(client, path) for path in paths]
    return first, [timed(client, paths[index % len(paths)]) for index in range(requests)]


def hits(word: str) -> int:
    return matches(Article.objects.visible(), parse_query(word)).count()


def typos(count: int) -> list[tuple[str, str]]:
    """(typo, word) pairs: names of people in the news, each with one character swapped for
    one that sounds the same (or, failing that, any other character), that find nothing and
    are corrected to the name. Found by trying, in a fixed order: the same archive gives
    the same typos."""
    names = archive_words.person_names(random.Random(1), 50_000)[2000:2400]
    pool = sorted(set(archive_words.SURNAMES + archive_words.GIVEN + "".join(archive_words.WORDS)))
    by_sound: dict[str, list[str]] = {}
    for character in pool:
        by_sound.setdefault(lazy_pinyin(character)[0], []).append(character)
    found: list[tuple[str, str]] = []
    for name in names:
        position = len(name) - 1
        same_sound = by_sound.get(lazy_pinyin(name[position])[0], [])
        for other in [*same_sound, *pool[:40]]:
            typo = name[:position] + other + name[position + 1 :]
            if other != name[position] and hits(typo) == 0 and suggest(typo) == name:
                found.append((typo, name))
                break
        if len(found) == count:
            break
    return found


# Recall: strings inside words, across word boundaries, a phrase, a name.
RECALL_WORDS = ["记者", "展工", "治理", "民宿", "发展工作", *RARE_WORDS[:1]]


def recall(word: str) -> tuple[int, float]:
    """Articles whose headings or body contain `word` (a scan), and the share search finds."""
    contains = (
        Q(headline__contains=word)
        | Q(kicker__contains=word)
        | Q(subheadline__contains=word)
        | Q(body__contains=word)
    )
    truth = Article.objects.visible().filter(contains)
    expected = truth.count()
    found = matches(truth, parse_query(f'"{word}"')).count()
    return expected, (found / expected if expected else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", help="Run only the cases whose name contains this text.")
    parser.add_argument("--recall", action="store_true", help="Also measure recall (slow scans).")
    args = parser.parse_args()
    misspelt = typos(3)
    call_command("collectstatic", interactive=False, verbosity=0)
    total = Article.objects.count()
    if total < 1000:
        raise SystemExit("Generate and index an archive first (see the docstring).")
    publication = Publication.objects.order_by("pk").first()
    ids = list(Article.objects.visible().order_by("?").values_list("pk", flat=True)[:50])
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    # Each of the reader's other filters alone: a month, a page name, a contributor, a role,
    # a word in the headings.
    month = Article.objects.visible().filter(pk__in=ids[:1]).values_list("published_at", flat=True)
    first = timezone.localtime(month[0]).date().replace(day=1)
    last = (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
    contributor = Byline.objects.filter(article__in=ids[:1]).values_list("contributor", flat=True)
    other_filters = [
        f"date_from={first}&date_to={last}",
        "page_name=要闻",
        f"contributor={contributor[0]}",
        "role=reporter",
        f"headline={COMMON_WORDS[1]}",
    ]
    reader, editor = Client(), Client()
    editor.force_login(user)
    article_list = reverse("articles:article_list")
    search = reverse("articles:search")
    changelist = reverse("admin:articles_article_changelist")
    # (name, goal in ms, client, paths): paths are requested in turn, --requests in all.
    cases = [
        ("floor: minimal view", None, reader, ["/bench/floor/"]),
        (
            "article list, 1 filter, page 1",
            50,
            reader,
            [f"{article_list}?publication={publication.code}"],
        ),
        (
            "article list, other filters, page 1",
            50,
            reader,
            [f"{article_list}?{query}" for query in other_filters],
        ),
        (
            "article list, 1 filter, page 500",
            100,
            reader,
            [f"{article_list}?publication={publication.code}&page=500"],
        ),
        ("article detail", 20, reader, [reverse("articles:article", args=[pk]) for pk in ids]),
        (
            "search, common 2-char word",
            150,
            reader,
            [f"{search}?q={word}" for word in COMMON_WORDS],
        ),
        ("search, rare word", 50, reader, [f"{search}?q={word}" for word in RARE_WORDS]),
        ("search, typo corrected", 100, reader, [f"{search}?q={typo}" for typo, _ in misspelt]),
        (
            "admin changelist, 1 filter",
            300,
            editor,
            [f"{changelist}?publication__id__exact={publication.pk}"],
        ),
    ]
    # Each search case has a twin in traditional characters, within 10% of it: the two are
    # requested in alternation, so that whatever else the machine does slows both alike.
    to_traditional = opencc.OpenCC("s2t")
    twins = {
        name: [to_traditional.convert(path) for path in paths]
        for name, _goal, _client, paths in cases
        if name.startswith("search")
    }
    print(f"{connection.vendor}, {total:,} articles, {args.requests} requests per case")
    if not args.only or args.only in "search":
        for word in COMMON_WORDS + RARE_WORDS:
            traditional = to_traditional.convert(word)
            print(f"  {word} ({traditional}): {hits(word):,} / {hits(traditional):,} articles")
        for typo, word in misspelt:
            print(f"  {typo} (corrected to {word}): {hits(word):,} visible articles")
    if args.recall:
        for word in RECALL_WORDS:
            expected, share = recall(word)
            print(f"  recall of {word}: {share:.4f} of {expected:,} articles containing it")
    print(f"{'case':46} {'first ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'goal':>6}")
    for name, goal, client, paths in cases:
        if args.only and args.only not in name and goal is not None:
            continue
        if name not in twins:
            report(name, goal, *measure(client, paths, args.requests))
            continue
        # The first visits of each, then both in alternation; each request searched anew.
        firsts = [[searched(client, path) for path in each] for each in (paths, twins[name])]
        simplified, traditional = [], []
        for index in range(args.requests):
            simplified.append(searched(client, paths[index % len(paths)]))
            traditional.append(searched(client, twins[name][index % len(paths)]))
        report(name, goal, firsts[0], simplified)
        ratio = p95(traditional) / p95(simplified)
        twin = f"{ratio:.2f}× simplified" + ("" if ratio <= 1.1 else " SLOW")
        report(f"{name} (traditional)", goal, firsts[1], traditional, twin)


def report(name: str, goal, first: list[float], samples: list[float], note: str = "") -> None:
    verdict = "" if goal is None else ("ok" if p95(samples) <= goal else "SLOW")
    goal_text = "" if goal is None else f"≤{goal}"
    print(
        f"{name:46} {statistics.median(first):8.1f} {statistics.median(samples):8.1f} "
        f"{p95(samples):8.1f} {goal_text:>6} {verdict} {note}".rstrip()
    )


if __name__ == "__main__":
    main()
