"""Create the newsroom's roles as groups with their permissions (see articles/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F, Q

from articles.roles import ROLES


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def backfill_first_published(apps, schema_editor):
    # Articles out before the workflow existed (web-only, or in an issue that is out) reached
    # readers at their publish time.
    apps.get_model("articles", "Article").objects.filter(
        Q(page__isnull=True) | Q(page__issue__status="published"), status="published"
    ).update(first_published_at=F("published_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(backfill_first_published, migrations.RunPython.noop),
    ]
