from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newspaper")

    def ready(self) -> None:
        from .caching import connect_signals

        connect_signals()
        # Connects the receivers that keep the search index in step with every save.
        from .search import signals  # noqa: F401
