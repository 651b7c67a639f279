"""Time the page parser: pages per second, against floors measured in the same run.

Run from the project root (no database, no Django settings needed):

    .venv/bin/python bench/parser_bench.py                 # shared samples + own test pages
    .venv/bin/python bench/parser_bench.py PAGE.txt ...    # any pages
    .venv/bin/python bench/parser_bench.py --seconds 5     # longer, steadier figures

The pages are the shared sample pages (../shared/pages/*.txt, when present) and the project's
own test pages (articles/tests/pages/*.txt). Each set is timed through decode_page + parse_page,
and two floors are timed on the same machine in the same run, so the figures can be compared
across machines: decoding the same pages and splitting them into lines (the least any parser
must do), and parse_page on a minimal one-article page (the fixed cost of one call).
The target is at least 200 pages per second of one processor's time (time.process_time, so a
busy machine does not count against the parser). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.pageparser import decode_page, parse_page  # noqa: E402 - needs the path above
from articles.pageparser.assembly import facts  # noqa: E402
from articles.pageparser.reading import read_line  # noqa: E402

TARGET = 200
MINIMAL_PAGE = "标题\n\n本报讯 正文只有一句。\n".encode()


def rate(work: Callable[[bytes], object], pages: list[bytes], seconds: float) -> float:
    """Pages per second for `work`, run over all pages repeatedly for about `seconds`."""
    for data in pages:
        work(data)  # warm up: compiled patterns, caches
    done = 0
    # Processor time, not the wall clock: on a machine shared with other work the wall clock
    # measures the others' load as much as the parser.
    start = time.process_time()
    elapsed = 0.0
    while elapsed < seconds:
        for data in pages:
            work(data)
        done += len(pages)
        elapsed = time.process_time() - start
    return done / elapsed


def decode_and_split(data: bytes) -> list[str]:
    return decode_page(data).splitlines()


def decode_and_parse(data: bytes) -> object:
    # Every page is read as if it were new: no line's reading is left over from a run before.
    read_line.cache_clear()
    facts.cache_clear()
    return parse_page(decode_page(data))


def report(label: str, pages: list[bytes], seconds: float) -> float:
    size = sum(len(data) for data in pages) / len(pages) / 1024
    parsed = rate(decode_and_parse, pages, seconds)
    floor = rate(decode_and_split, pages, seconds)
    print(f"{label}: {len(pages)} pages, {size:.1f} KB on average")
    print(f"  decode + parse_page     {parsed:10,.0f} pages/s")
    print(f"  floor: decode + split   {floor:10,.0f} pages/s  ({floor / parsed:.0f}x faster)")
    return parsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="page files (default: see above)")
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    options = parser.parse_args()

    if options.pages:
        sets = {"given pages": options.pages}
    else:
        sets = {
            "shared sample pages": sorted((ROOT.parent / "shared" / "pages").glob("*.txt")),
            "own test pages": sorted((ROOT / "articles" / "tests" / "pages").rglob("*.txt")),
        }
    minimal = rate(lambda data: parse_page(decode_page(data)), [MINIMAL_PAGE], options.seconds)
    print(f"floor: parse_page on a minimal one-article page {minimal:10,.0f} pages/s\n")
    slowest = None
    for label, paths in sets.items():
        if not paths:
            print(f"{label}: none found, skipped")
            continue
        parsed = report(label, [path.read_bytes() for path in paths], options.seconds)
        slowest = parsed if slowest is None else min(slowest, parsed)
    if slowest is not None:
        verdict = "meets" if slowest >= TARGET else "MISSES"
        print(f"\nslowest set: {slowest:,.0f} pages/s, {verdict} the target of {TARGET} pages/s")
    return 0 if slowest is None or slowest >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
