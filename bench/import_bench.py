"""Time the page import: pages per second through the service, and memory at 100 vs N pages.

Run from the project root; it needs no database of yours:

    .venv/bin/python bench/import_bench.py               # 1000 pages
    .venv/bin/python bench/import_bench.py --pages 3000

It sets DJANGO_SETTINGS_MODULE itself (the test settings), points DATABASE_URL at a new SQLite
file in a temporary folder, migrates it, and imports generated pages one by one through
articles.importing.import_page, eight pages to an issue. The pages are the project's own test
pages (articles/tests/pages) with every credited name swapped for one from a pool of generated
names, so contributors are both created and reused as in real use.

It reports pages per second (target: at least 20) and the process's peak resident memory
after 100 pages and after the last one: flat memory means the two stay close.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 20
PAGES_PER_ISSUE = 8
# A few hundred people: early pages create contributors, later ones mostly find them.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "文华明静丽强军平伟芳敏燕杰涛超霞"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def generated_pages(count: int) -> Iterator[str]:
    """`count` page texts, made one at a time from the test pages with varied names."""
    from articles.pageparser import parse_page

    templates = []
    for path in sorted((ROOT / "articles" / "tests" / "pages").glob("*.txt")):
        text = path.read_text("utf-8")
        parsed = parse_page(text)
        credits = [*parsed.credits]
        for article in parsed.articles:
            credits.extend(article.bylines)
        for photo in parsed.photos:
            credits.extend(photo.bylines)
        # Names as written in the text; those OCR split with spaces are left as they are.
        templates.append((text, sorted({c.name for c in credits if c.name in text})))
    for number in range(count):
        text, names = templates[number % len(templates)]
        for index, name in enumerate(names):
            seed = number * 7 + index * 13
            new = SURNAMES[seed % len(SURNAMES)] + GIVEN[seed // len(SURNAMES) % len(GIVEN)]
            text = text.replace(name, new)
        yield text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages to import (≥ 100)")
    options = parser.parse_args()
    count = max(options.pages, 100)

    folder = tempfile.TemporaryDirectory(prefix="import-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder.name) / 'bench.sqlite3'}"

    import django

    django.setup()
    from django.core.management import call_command

    from articles.importing import import_page
    from articles.models import Article, Contributor, Photo, Publication
    from articles.pageparser import parse_page

    call_command("migrate", verbosity=0)
    publication = Publication.objects.create(name="基准日报", code="bench")
    first_day = datetime.date(2024, 1, 1)

    rss_at_100 = 0.0
    start = time.perf_counter()
    for number, text in enumerate(generated_pages(count)):
        import_page(
            parsed=parse_page(text),
            publication=publication,
            date=first_day + datetime.timedelta(days=number // PAGES_PER_ISSUE),
            page_number=number % PAGES_PER_ISSUE + 1,
        )
        if number + 1 == 100:
            rss_at_100 = peak_rss_mb()
    elapsed = time.perf_counter() - start
    rss_at_end = peak_rss_mb()

    rate = count / elapsed
    print(f"imported {count} pages in {elapsed:.1f} s: {rate:,.0f} pages/s (target {TARGET})")
    print(
        f"stored {Article.objects.count()} articles, {Photo.objects.count()} photos, "
        f"{Contributor.objects.count()} contributors"
    )
    print(f"peak RSS after 100 pages:  {rss_at_100:7.1f} MB")
    print(f"peak RSS after {count} pages: {rss_at_end:7.1f} MB ({rss_at_end - rss_at_100:+.1f} MB)")
    folder.cleanup()
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
