from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newspaper")

    def ready(self) -> None:
        from .caching import connect_signals

        connect_signals()
        # Connects the receivers that keep the search index in step with every save.
        from .search import signals  # noqa: F401


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that guards what every changelist reads from its query
    string (articles/admin_site.py)."""

    # Named in INSTALLED_APPS; never the default configuration of the articles app.
    default = False
    default_site = "articles.admin_site.NewsroomAdminSite"

    def ready(self) -> None:
        super().ready()
        from django.contrib.admin.templatetags import admin_list

        from .admin_site import boolean_icon

        # Django's yes/no icon says "True" or "False" to a screen reader, in any language; its
        # lists and forms look the function up in this module each time they show one.
        admin_list._boolean_icon = boolean_icon


class TaskQueueConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks' database backend, under a name editors can read (its own is English)."""

    default = False
    verbose_name = _("Background tasks")


class LoginProtectionConfig(axes_apps.AppConfig):
    """django-axes, under a name editors can read (its own is "Axes", untranslated)."""

    default = False
    verbose_name = _("Login protection")
