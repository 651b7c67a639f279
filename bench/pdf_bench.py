"""Reading page PDFs: pages per second of read_pdf_page, beside a floor, and memory over 100.

    .venv/bin/python bench/pdf_bench.py [PDF …]

Reads the generated corpus (articles/tests/pdfpages) and the shared sample when it is there,
or the PDFs given. The floor is what no reader can beat: opening the same PDF with PDFium
and reading each character's code, in the same run. Memory is the process's resident size
after 10 pages and after 100 (the pages read in turn): flat means the second is not larger.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

from articles.pageparser.pdf import read_pdf_page  # noqa: E402

ROUNDS = 3


def pages() -> list[Path]:
    if len(sys.argv) > 1:
        return [Path(name) for name in sys.argv[1:]]
    found = sorted((ROOT / "articles" / "tests" / "pdfpages").glob("*.pdf"))
    sample = ROOT.parent / "shared" / "pdf" / "sample_000.pdf"
    return found + ([sample] if sample.is_file() else [])


def floor(data: bytes) -> int:
    """Open the PDF, its first page and text page, and read every character's code."""
    document = pdfium.PdfDocument(data)
    page = document[0]
    textpage = page.get_textpage()
    count = pdfium_c.FPDFText_CountChars(textpage)
    codes = [pdfium_c.FPDFText_GetUnicode(textpage, index) for index in range(count)]
    textpage.close()
    page.close()
    document.close()
    return len(codes)


def rate(function, datas: list[bytes]) -> float:
    """Pages per second, the best of a few rounds over all pages."""
    best = None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for data in datas:
            function(data)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return len(datas) / best


def resident_mb() -> float:
    pages_in_use = int(Path("/proc/self/statm").read_text().split()[1])
    return pages_in_use * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def main() -> None:
    paths = pages()
    datas = [path.read_bytes() for path in paths]
    chars = [floor(data) for data in datas]
    print(f"{len(datas)} pages, {statistics.mean(chars):.0f} characters a page on average")
    floor_rate = rate(floor, datas)
    reader_rate = rate(read_pdf_page, datas)
    print(f"floor (open the PDF, read its characters): {floor_rate:7.1f} pages/s")
    print(f"read_pdf_page (articles, photos, regions): {reader_rate:7.1f} pages/s")
    timings = []
    for data, path in zip(datas, paths, strict=True):
        start = time.perf_counter()
        read_pdf_page(data)
        timings.append((time.perf_counter() - start, path.name))
    seconds, name = max(timings)
    print(f"slowest page: {name}, {1000 * seconds:.0f} ms")

    for index in range(100):
        read_pdf_page(datas[index % len(datas)])
        if index == 9:
            after_ten = resident_mb()
    after_hundred = resident_mb()
    print(f"resident memory after 10 pages: {after_ten:.1f} MB, after 100: {after_hundred:.1f} MB")


if __name__ == "__main__":
    main()
