"""Production settings plus the benchmark's floor view; used only by bench/reader_bench.py."""

from newsroom.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.reader_urls"
