"""ASGI entry point. Serve with WSGI (gunicorn) where you can: sync Django is faster there."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.production")

application = get_asgi_application()
