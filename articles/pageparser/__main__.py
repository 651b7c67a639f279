"""Print the JSON document for one page: `python -m articles.pageparser PAGE.txt`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import PageParseError, decode_page, parse_page


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m articles.pageparser PAGE.txt\n")
        return 2
    try:
        page = parse_page(decode_page(Path(argv[0]).read_bytes()))
    except (OSError, PageParseError) as error:
        sys.stderr.write(f"{argv[0]}: {error}\n")
        return 1
    sys.stdout.write(json.dumps(page.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
