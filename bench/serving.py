"""Running the site under gunicorn for the benchmarks that drive it over HTTP.

Shared by bench/reader_bench.py and bench/editorial_load.py; not a benchmark itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, root: Path = ROOT) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


@contextlib.contextmanager
def gunicorn(env: dict, port: int, workers: int, ready_path: str, log=None, root: Path = ROOT):
    """gunicorn on loopback, its master process yielded once `ready_path` answers; stopped on
    the way out.

    `log` is a file for the server's stderr (Django logs tracebacks there); by default it is
    this process's own. `root` is the checkout whose code it serves.
    """
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
        stderr=log,
    )
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}{ready_path}")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_ready(process: subprocess.Popen, url: str, seconds: float = 120) -> None:
    # Measuring a server that never came up would only report connection errors.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own loopback server
            return
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url}: HTTP {error.code} while waiting for gunicorn") from None
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def cpu_seconds(master_pid: int) -> float:
    """CPU time (user and system) used so far by the worker processes of a gunicorn master.

    On a machine shared with other work, a request's CPU time changes far less with the load
    than requests per second do.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # After the name: state, ppid, ..., utime (the 12th), stime (the 13th).
        if int(fields[1]) == master_pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks
