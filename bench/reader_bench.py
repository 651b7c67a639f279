"""Requests per second of each reader page under gunicorn, beside a minimal Django view.

    .venv/bin/python bench/reader_bench.py [--seconds 10] [--workers 2] [--database-url URL]

Builds a throwaway SQLite database with the demo paper (or uses --database-url, which must
already hold data), starts gunicorn with the production settings on a free loopback port, and
drives every reader page with wrk (Debian's package). The floor is a view returning "ok" under
the same server, settings and middleware, measured in the same run. Also checks that a
conditional GET of an unchanged page answers 304.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from serving import PYTHON, ROOT, free_port, gunicorn, manage


def environment(database_url: str, media: str) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media,
        "STATIC_ROOT": str(Path(media) / "static"),
        "PYTHONPATH": str(ROOT),
    }


def wrk(url: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as folder:
        database_url = options.database_url or f"sqlite:///{folder}/bench.sqlite3"
        env = environment(database_url, folder)
        if not options.database_url:
            manage(env, "migrate", "-v0")
            manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        code = "import django; django.setup(); from articles.models import *; " + (
            "a = Article.objects.visible().exclude(page=None).first(); "
            "c = Contributor.objects.visible().first(); i = a.page.issue; "
            "print(a.get_absolute_url(), a.page.get_absolute_url(), i.get_absolute_url(), "
            "c.get_absolute_url(), i.publication.code)"
        )
        article, page, issue, contributor, code_ = subprocess.run(
            [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.split()
        pages = {
            "floor (minimal view)": "/bench/floor/",
            "home": "/",
            "issue": issue,
            "e-paper page": page,
            "article": article,
            "article list": "/articles/",
            "archive": "/archive/",
            "calendar": f"/{code_}/calendar/",
            "contributor": contributor,
            "photos": "/photos/",
            "rss feed": "/feeds/rss/",
        }
        port = free_port()
        with gunicorn(env, port, options.workers, "/bench/floor/"):
            base = f"http://127.0.0.1:{port}"
            first = urllib.request.urlopen(base + article)  # noqa: S310
            request = urllib.request.Request(  # noqa: S310
                base + article, headers={"If-None-Match": first.headers["ETag"]}
            )
            try:
                urllib.request.urlopen(request)  # noqa: S310
                status = 200
            except urllib.error.HTTPError as error:
                status = error.code
            print(f"conditional GET of an unchanged article: {status}")
            results = {
                name: wrk(base + url, options.seconds, options.connections)
                for name, url in pages.items()
            }
        floor = results["floor (minimal view)"]
        print(f"{'page':<22}{'req/s':>10}{'of floor':>10}")
        for name, rate in results.items():
            print(f"{name:<22}{rate:>10.0f}{rate / floor:>10.0%}")


if __name__ == "__main__":
    main()
