"""The full-text index of articles: an FTS5 table on SQLite, tsvectors with GIN on PostgreSQL.

Not a Django model: each engine needs its own kind of table, and only articles/search reads it.
Run `manage.py rebuild_search_index` after this migration on a database that has articles.
"""

from django.db import migrations

SQLITE = [
    # Tokens are written space-separated by articles/search, so unicode61 only splits on spaces.
    "CREATE VIRTUAL TABLE articles_search USING fts5(title, body, tokenize = 'unicode61')",
]
POSTGRESQL = [
    """
    CREATE TABLE articles_search (
        article_id bigint PRIMARY KEY
            REFERENCES articles_article (id) ON DELETE CASCADE,
        title tsvector NOT NULL,
        document tsvector NOT NULL
    )
    """,
    # Searches of headings only: ranks headline matches first.
    "CREATE INDEX articles_search_title_gin ON articles_search USING gin (title)",
    # Searches of everything: which articles match at all.
    "CREATE INDEX articles_search_document_gin ON articles_search USING gin (document)",
]


def create_index(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    for statement in statements or []:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in {"sqlite", "postgresql"}:
        schema_editor.execute("DROP TABLE IF EXISTS articles_search")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_region"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
