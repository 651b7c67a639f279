"""Production settings refuse unsafe configurations and pass Django's deployment checks."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-" + "x" * 20,
    "ALLOWED_HOSTS": "news.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter, since settings load once per process."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_deploy_check_passes(self):
        """`check --deploy` finds nothing to warn about in production settings."""
        result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_refuses_without_secret_key(self):
        """Production will not start on an empty secret key."""
        env = PRODUCTION_ENV | {"SECRET_KEY": ""}
        result = manage("check", **env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_refuses_debug(self):
        """Production will not start with DEBUG on."""
        result = manage("check", **PRODUCTION_ENV, DEBUG="true")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG", result.stderr)
