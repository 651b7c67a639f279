"""Deployment: production settings, login throttling, the content security policy, and the
shared cache."""

import os
import socket
import subprocess
import sys
import uuid
from unittest import skipUnless

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

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


class AdminLoginThrottlingTests(TestCase):
    def test_guessing_a_password_locks_the_account_out(self):
        """Five wrong passwords for one user from one address: the right one is then refused
        too, with the lock-out page, and nobody is logged in."""
        get_user_model().objects.create_user("desk", password="the-right-one", is_staff=True)
        login = reverse("admin:login")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(login, {"username": "desk", "password": "a-guess"})
        response = self.client.post(
            login,
            {"username": "desk", "password": "the-right-one"},
            headers={"accept-language": "en"},
        )
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)


class ContentSecurityPolicyTests(TestCase):
    def test_pages_say_where_scripts_and_pictures_may_come_from(self):
        """Every response carries the policy: this site only, and never inside a frame."""
        policy = self.client.get(reverse("articles:home"))["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
            with self.subTest(directive=directive):
                self.assertIn(directive, policy)


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@skipUnless(redis_reachable(), "needs the Redis server on 127.0.0.1:6379")
class SharedCacheTests(SimpleTestCase):
    def test_processes_share_pages_and_the_content_generation_through_redis(self):
        """With REDIS_URL, what one process caches another reads: pages and the generation."""
        env = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
        key = f"newsroom-test-{uuid.uuid4().hex}"
        write = (
            "from django.core.cache import caches; "
            f"caches['default'].set('{key}', 'page', 60); "
            f"caches['generation'].set('{key}-generation', 'g1', 60)"
        )
        read = (
            "from django.core.cache import caches; "
            f"print(caches['default'].get('{key}'), caches['generation'].get('{key}-generation'))"
        )
        self.assertEqual(manage("shell", "--no-imports", "-c", write, **env).returncode, 0)
        result = manage("shell", "--no-imports", "-c", read, **env)
        self.assertEqual(result.stdout.split(), ["page", "g1"], result.stderr)
