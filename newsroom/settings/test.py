"""Settings for the test suite: fast password hashing, media in a throwaway folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "tests-only-secret-key"  # noqa: S105 - never used outside the test run
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than shared memory, so that tests of concurrent saves meet SQLite's real
    # locking, as a server running on the README's default does.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="newsroom-test-db-")) / "test.sqlite3")
    }
# Tests render templates without running collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise looks for collected files; an empty folder keeps it quiet in tests.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-static-"))
if not REDIS_URL:  # noqa: F405 - with Redis, the generation lives there, not in a folder
    CACHES["generation"]["LOCATION"] = Path(tempfile.mkdtemp(prefix="newsroom-test-cache-"))  # noqa: F405
# Tests see every page freshly rendered; the cache's own tests switch it on.
READER_CACHE_SECONDS = 0
READER_FRAGMENT_SECONDS = 0
