"""Traditional and variant characters folded to simplified, one character for one.

Readers in Hong Kong, Taiwan and abroad, and every archive older than 1956, write 內蒙古 for
内蒙古. The index and the query are both folded through the same table, so either script finds
either. The table comes from OpenCC's dictionaries (kept in `opencc-python-reimplemented`):
traditional to simplified characters, and the Taiwan and Hong Kong variant characters back to
OpenCC's standard traditional ones first. OpenCC's phrase tables are not used: folding one
character to one keeps every offset in the text, so what a reader's query matches can be marked
in the text as printed, and a choice between two simplified readings (乾 as 干 or 乾) only has to
be the same on both sides, which a table guarantees.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import opencc

DICTIONARIES = Path(opencc.__file__).resolve().parent / "dictionary"


def _read(name: str) -> dict[str, str]:
    """One character to the first of its candidates; phrases and multi-character keys skipped."""
    table = {}
    with (DICTIONARIES / name).open(encoding="utf-8") as lines:
        for line in lines:
            source, _, targets = line.rstrip("\n").partition("\t")
            target = targets.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and source != target:
                table[source] = target
    return table


@cache
def fold_table() -> dict[int, str]:
    """A `str.translate` table from traditional and variant characters to simplified ones."""
    simplified_in_use = set(_read("STCharacters.txt"))
    to_simplified = _read("TSCharacters.txt")
    variants = {**_read("HKVariantsRev.txt"), **_read("TWVariantsRev.txt")}
    # A variant that is also a simplified character in its own right (著, which Taiwan writes
    # for 着) is left alone: folding it would merge two words of simplified text.
    variants = {
        source: target for source, target in variants.items() if source not in simplified_in_use
    }
    table: dict[int, str] = {}
    for source in set(to_simplified) | set(variants):
        target = variants.get(source, source)
        # Variant, then traditional to simplified, until nothing changes (a few chains).
        for _ in range(3):
            target = to_simplified.get(target, target)
        if target != source:
            table[ord(source)] = target
    return table


def fold(text: str) -> str:
    """`text` with traditional and variant characters as simplified; same length."""
    return text.translate(fold_table())
