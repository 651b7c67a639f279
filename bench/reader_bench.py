"""Requests per second of each reader page under gunicorn, beside a minimal Django view.

    .venv/bin/python bench/reader_bench.py [--seconds 3] [--rounds 3] [--workers 2]
        [--before ../other-checkout] [--database-url URL]

Builds a throwaway SQLite database with the demo paper (or uses --database-url, which must
already hold data), starts gunicorn with the production settings on a free loopback port, and
drives every reader page with wrk (Debian's package). The floor is a view returning "ok" under
the same server, settings and middleware. On a machine shared with other work the load
changes from one second to the next, so each page is measured in --rounds slices of
--seconds, each right after a slice of the floor on the same server. Two shares of the floor
are printed: requests per second (as wrk sees them), and requests per CPU-second of the
gunicorn workers, which other work on the machine disturbs far less.

--before names another checkout (e.g. a worktree of main): it is served too, from a database
of its own, and measured in turn with this one, page by page, so both columns come from the
same minutes of the same machine.

With READER_CACHE_SECONDS=0 in the environment the whole-page cache is off (every request is
rendered); READER_FRAGMENT_SECONDS=0 also turns off the cached fragments. Also checks that a
conditional GET of an unchanged page answers 304.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from serving import PYTHON, ROOT, cpu_seconds, free_port, gunicorn, manage

FLOOR = "/bench/floor/"


def environment(database_url: str, media: str) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media,
        "STATIC_ROOT": str(Path(media) / "static"),
        "CACHE_DIR": str(Path(media) / "cache"),
    }


def wrk(url: str, seconds: int, connections: int) -> tuple[int, float]:
    """Requests answered, and seconds taken."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{output}")
    requests, taken, unit = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output).groups()
    return int(requests), float(taken) / (1000 if unit == "ms" else 1)


def measure(url: str, seconds: int, connections: int, master_pid: int) -> tuple[int, float, float]:
    """Requests, seconds and the workers' CPU-seconds of one slice."""
    cpu = cpu_seconds(master_pid)
    requests, taken = wrk(url, seconds, connections)
    return requests, taken, cpu_seconds(master_pid) - cpu


def reader_pages(env: dict, root: Path) -> dict[str, str]:
    """Every kind of reader page, each at an address of the demo paper."""
    code = "import django; django.setup(); from articles.models import *; " + (
        "a = Article.objects.visible().exclude(page=None).order_by('pk').first(); "
        "c = Contributor.objects.visible().order_by('pk').first(); i = a.page.issue; "
        "print(a.get_absolute_url(), a.page.get_absolute_url(), i.get_absolute_url(), "
        "c.get_absolute_url(), i.publication.code)"
    )
    article, page, issue, contributor, publication = subprocess.run(
        [PYTHON, "-c", code],
        cwd=root,
        env=env | {"PYTHONPATH": str(root)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {
        "home": "/",
        "publication": f"/{publication}/",
        "issue": issue,
        "e-paper page": page,
        "article": article,
        "article list": "/articles/",
        "archive": "/archive/",
        "calendar": f"/{publication}/calendar/",
        "contributor": contributor,
        "photos": "/photos/",
        "search": "/search/?" + urllib.parse.urlencode({"q": "清河"}),
        "rss feed": "/feeds/rss/",
        "sitemap": "/sitemap-articles.xml",
    }


def conditional_get(base: str, path: str) -> int:
    first = urllib.request.urlopen(base + path)  # noqa: S310 - our own loopback server
    request = urllib.request.Request(  # noqa: S310
        base + path, headers={"If-None-Match": first.headers["ETag"]}
    )
    try:
        urllib.request.urlopen(request)  # noqa: S310
    except urllib.error.HTTPError as error:
        return error.code
    return 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one slice")
    parser.add_argument("--rounds", type=int, default=3, help="slices per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--before", type=Path, help="another checkout, measured alongside")
    parser.add_argument("--database-url")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    trees = {"this": ROOT}
    if options.before:
        trees = {"before": options.before.resolve(), "after": ROOT}

    with (
        tempfile.TemporaryDirectory(prefix="newsroom-bench-") as folder,
        contextlib.ExitStack() as stack,
    ):
        servers = {}
        for name, root in trees.items():
            media = Path(folder) / name
            media.mkdir()
            database_url = options.database_url or f"sqlite:///{media}/bench.sqlite3"
            env = environment(database_url, str(media)) | {"PYTHONPATH": str(root)}
            if not options.database_url:
                manage(env, "migrate", "-v0", root=root)
                manage(env, "load_demo", root=root)
            manage(env, "collectstatic", "--noinput", "-v0", root=root)
            port = free_port()
            master = stack.enter_context(gunicorn(env, port, options.workers, FLOOR, root=root))
            base = f"http://127.0.0.1:{port}"
            pages = reader_pages(env, root)
            print(
                f"{name}: conditional GET of an unchanged article: "
                f"{conditional_get(base, pages['article'])}"
            )
            servers[name] = (base, pages, master.pid)
        print(
            f"cache {os.environ.get('READER_CACHE_SECONDS', 'on')}, "
            f"fragments {os.environ.get('READER_FRAGMENT_SECONDS', 'on')}; "
            f"{options.rounds} slices of {options.seconds} s per page, each after the floor's"
        )
        header = "".join(
            f"{name + ' req/s':>14}{'floor':>7}{'share':>7}"
            f"{'per CPU-s':>10}{'floor':>7}{'share':>7}"
            for name in trees
        )
        print(f"{'page':<14}{header}")
        for page in servers[next(iter(trees))][1]:
            line = f"{page:<14}"
            for base, pages, pid in servers.values():
                totals = {"floor": [0, 0.0, 0.0], "page": [0, 0.0, 0.0]}
                for _ in range(options.rounds):
                    for kind, url in (("floor", FLOOR), ("page", pages[page])):
                        slice_ = measure(base + url, options.seconds, options.connections, pid)
                        totals[kind] = [a + b for a, b in zip(totals[kind], slice_, strict=True)]
                (f_req, f_sec, f_cpu), (p_req, p_sec, p_cpu) = totals["floor"], totals["page"]
                rate, floor = p_req / p_sec, f_req / f_sec
                per_cpu, floor_per_cpu = p_req / p_cpu, f_req / f_cpu
                line += (
                    f"{rate:>14.0f}{floor:>7.0f}{rate / floor:>7.0%}"
                    f"{per_cpu:>10.0f}{floor_per_cpu:>7.0f}{per_cpu / floor_per_cpu:>7.0%}"
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
