"""Settings shared by every environment; each value can be overridden from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no switch; anything but a clear "true" word counts as false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list such as ALLOWED_HOSTS."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, with a site of our own (articles/admin_site.py).
    "articles.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Before staticfiles, so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "reversion",
    "reversion_compare",
    # django-axes, named 登录防护 in the admin.
    "articles.apps.LoginProtectionConfig",
    "csp",
    "django_tasks",
    # django-tasks' database backend, named 后台任务 in the admin.
    "articles.apps.TaskQueueConfig",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the query string: a NUL or broken UTF-8 in it is answered 400.
    "articles.middleware.UnreadableAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags on reader pages, so an unchanged page is answered with 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks out guessing before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Content security policy: scripts, styles and images from this site (and the media host when
# media live elsewhere) only. The admin still sets a few style attributes, hence the
# 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Compare a foreign key by the id it holds: otherwise django-reversion-compare counts it as
# changed whenever any other field of the row changed, and shows "add: None" for empty ones.
REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID = True

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite by default so a laptop needs no setup; DATABASE_URL points at PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent saves queue up instead of failing with "database is locked": a transaction
    # takes the write lock as it begins (so a form's version check and its save happen under
    # one lock) and waits for it up to 20 seconds.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: reader and admin queries return a page of rows, and a misestimated
    # one (an OR across two indexes, a common search word) spent 220 ms compiling to save
    # nothing; PostgreSQL's own advice for short queries.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface speaks Simplified Chinese by default; English is one click away.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Where a format differs from Django's for a language (newsroom/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
if MEDIA_URL.startswith("http"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_URL)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Shared cache: Redis when REDIS_URL is set (e.g. redis://cache.example.org:6379/0), so every
# worker on every server sees the same cached pages; otherwise each process keeps its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    CACHES = {"default": REDIS_CACHE, "generation": REDIS_CACHE}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Which version of the content pages show (articles/caching.py) must be one for all the
        # processes of a machine, e.g. gunicorn's workers, or a worker that did not make a
        # change would go on serving pages cached before it: a folder they all share.
        "generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": Path(os.environ.get("CACHE_DIR", BASE_DIR / "cache")),
            # One small file per topic readers looked at (an article, a page...): an evicted
            # one costs its pages a miss, so keep plenty.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# Media (scans, PDFs, photos and their renditions) on S3-compatible object storage when a
# bucket is named, so several app servers share one store. boto3 reads AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY from the environment itself.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    # Set for a public bucket or a CDN in front of it; readers then get plain, unsigned URLs.
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", not AWS_S3_CUSTOM_DOMAIN)
    # Uploads are renamed to random names (articles/images.py); never overwrite one by chance.
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Pictures then come from the bucket's host, which the content security policy must allow.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"https://{AWS_S3_CUSTOM_DOMAIN}"
        if AWS_S3_CUSTOM_DOMAIN
        else AWS_S3_ENDPOINT_URL or "https:"
    )

# Uploads: a page scan is the largest thing an editor sends; anything bigger is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
NEWSROOM_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", 60 * 1024 * 1024))
# A broadsheet scanned at 300 dpi is about 20 megapixels; far beyond that is a decompression bomb.
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 60_000_000))

# Anonymous readers get whole pages from the cache for this long at most (0 turns it off);
# any change to the paper's content empties it at once (articles/caching.py).
READER_CACHE_SECONDS = int(os.environ.get("READER_CACHE_SECONDS", "60"))
# Parts of reader pages that change rarely (navigation, page lists, the calendar) are cached
# this long at most, each emptied when what it shows changes; 0 turns it off.
READER_FRAGMENT_SECONDS = int(os.environ.get("READER_FRAGMENT_SECONDS", "3600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# Background work (reading page PDFs, rendering scans) runs on django-tasks, the backport of
# Django 6's tasks framework. NEWSROOM_TASKS=database queues tasks in the database, for
# `manage.py db_worker` processes on any machine that shares the database and media storage;
# the default runs each task at once, in the process that asks for it, so a laptop needs no
# worker and no extra service.
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "immediate")
if NEWSROOM_TASKS not in ("immediate", "database"):
    raise ImproperlyConfigured("NEWSROOM_TASKS is “immediate” or “database”.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if NEWSROOM_TASKS == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}
# A page upload's transient failures (database busy, storage unreachable) are tried again.
NEWSROOM_TASK_ATTEMPTS = 3
