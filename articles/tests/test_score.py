"""The shared scorer (../shared/pages/score.py) on its samples, via import_page --dry-run."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SHARED_PAGES = Path(settings.BASE_DIR).parent / "shared" / "pages"
MIN_SCORE = "0.98"


@pytest.mark.skipif(
    not (SHARED_PAGES / "score.py").is_file() or not list(SHARED_PAGES.glob("*.txt")),
    reason=f"the shared sample pages and score.py are not at {SHARED_PAGES}",
)
def test_shared_pages_score_at_least_the_minimum():
    """score.py rates the command's JSON for the shared sample pages at 0.98 or better."""
    pages = sorted(str(path) for path in SHARED_PAGES.glob("*.txt"))
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(manage))} import_page {{}} --dry-run"
    scorer = [sys.executable, str(SHARED_PAGES / "score.py"), "--run", command, "--min", MIN_SCORE]
    done = subprocess.run(  # noqa: S603 - the project's own scorer on its own sample pages
        [*scorer, *pages],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        # The scorer's runs of manage.py use the test settings, as this suite does.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings.test"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "score:" in done.stdout
