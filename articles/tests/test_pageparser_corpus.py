"""The parser scored on the invented page corpus (articles/tests/pages/tuning and heldout).

The tuning pages are the ones the decoder's costs were set against; the held-out pages were
written in other papers' conventions and are only scored, never tuned on. Both are scored with
the project's scorer (articles/pageparser/scoring.py), which gives the shared scorer's figures;
where the shared sample pages and score.py are present, the parser is scored on them too and
the two scorers are checked to agree.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from articles.pageparser import decode_page, parse_page
from articles.pageparser.scoring import Tally, find_cases, read_expected

PAGES = Path(__file__).parent / "pages"
SHARED_PAGES = Path(settings.BASE_DIR).parent / "shared" / "pages"
MIN_TUNING = 0.95
MIN_HELD_OUT = 0.90
MIN_SHARED = 0.98


@cache
def parsed(path: Path) -> dict:
    return parse_page(decode_page(path.read_bytes())).as_dict()


def score(folder: Path) -> Tally:
    tally = Tally()
    for case in find_cases(folder):
        tally.add_page(read_expected(case), parsed(case.text))
    return tally


def report(tally: Tally) -> str:
    figures = ", ".join(f"{name} {value:.3f}" for name, value in tally.figures().items())
    return f"score {tally.score():.3f} ({figures})"


def test_the_corpus_is_large_enough():
    """At least 30 invented pages, split into a tuning and a held-out set."""
    tuning, held_out = find_cases(PAGES / "tuning"), find_cases(PAGES / "heldout")
    assert len(tuning) + len(held_out) >= 30
    assert len(held_out) >= 10
    assert not {case.name for case in tuning} & {case.name for case in held_out}


def test_tuning_pages_score():
    """The pages the decoder was tuned on score at least 0.95."""
    tally = score(PAGES / "tuning")
    assert tally.score() >= MIN_TUNING, report(tally)


def test_held_out_pages_score():
    """The pages it was never tuned on score at least 0.90."""
    tally = score(PAGES / "heldout")
    assert tally.score() >= MIN_HELD_OUT, report(tally)


def shared_scorer():
    spec = importlib.util.spec_from_file_location("shared_score", SHARED_PAGES / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_shared = pytest.mark.skipif(
    not (SHARED_PAGES / "score.py").is_file() or not list(SHARED_PAGES.glob("*.txt")),
    reason=f"the shared sample pages and score.py are not at {SHARED_PAGES}",
)


@needs_shared
def test_shared_pages_score():
    """The shared sample pages, scored by the shared scorer, stay at 0.98 or better."""
    scorer = shared_scorer()
    tally = scorer.Tally()
    for text in sorted(SHARED_PAGES.glob("*.txt")):
        expected = SHARED_PAGES / f"{text.stem}.expected.json"
        scorer.score_page(json.loads(expected.read_text("utf-8")), parsed(text), tally)
    figures = tally.figures()
    assert sum(figures.values()) / len(figures) >= MIN_SHARED, figures


@needs_shared
def test_project_scorer_agrees_with_the_shared_one():
    """Both scorers give the same figures for the whole corpus."""
    scorer = shared_scorer()
    theirs = scorer.Tally()
    ours = Tally()
    for case in find_cases(PAGES):
        expected, actual = read_expected(case), parsed(case.text)
        scorer.score_page(expected, actual, theirs)
        ours.add_page(expected, actual)
    assert ours.figures() == pytest.approx(theirs.figures())
