"""Sample indexes for search counts on PostgreSQL: the index of every 16th and every 256th
article by id, from which articles/search estimates the counts of a common word."""

from django.db import migrations

SAMPLES = (16, 256)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sample in SAMPLES:
        # No parameters: a bare % is then the operator, not a placeholder.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS articles_search_sample{sample}_gin ON articles_search "
            f"USING gin (document) WHERE article_id % {sample} = 0",
            params=None,
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sample in SAMPLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS articles_search_sample{sample}_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_newest_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
