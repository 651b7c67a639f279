"""Settings for a laptop: DEBUG on, a throwaway secret key, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# Only ever used on a developer's machine; production refuses to start without its own key.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-only"
