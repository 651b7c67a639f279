"""Search, second version: the headline apart from the other headings (for ranking), an
index of standalone photos, and the vocabulary that "did you mean" draws from.

The tokens changed too (traditional folded to simplified, print spacing ignored, each run's
last character indexed alone): run `manage.py rebuild_search_index --fresh` after this
migration on a database that has articles.
"""

from django.db import migrations

VOCABULARY = [
    # Every word a correction may suggest, with how many indexed articles hold it.
    "CREATE TABLE articles_search_word (word varchar(12) PRIMARY KEY, weight integer NOT NULL)",
    # The keys a word is looked up under (its pinyin, its forms with one character masked).
    """
    CREATE TABLE articles_search_word_key (
        key varchar(80) NOT NULL, word varchar(12) NOT NULL, PRIMARY KEY (key, word)
    )
    """,
]
SQLITE = [
    "DROP TABLE articles_search",
    "CREATE VIRTUAL TABLE articles_search USING fts5(headline, heads, body, tokenize = 'unicode61')",
    "CREATE VIRTUAL TABLE articles_search_photo USING fts5(caption, tokenize = 'unicode61')",
    *VOCABULARY,
]
POSTGRESQL = [
    """
    CREATE TABLE articles_search_photo (
        photo_id bigint PRIMARY KEY REFERENCES articles_photo (id) ON DELETE CASCADE,
        document tsvector NOT NULL
    )
    """,
    # Searches of standalone photos' titles, captions and credits.
    "CREATE INDEX articles_search_photo_gin ON articles_search_photo USING gin (document)",
    *VOCABULARY,
]
SQLITE_BACK = [
    "DROP TABLE articles_search_word_key",
    "DROP TABLE articles_search_word",
    "DROP TABLE articles_search_photo",
    "DROP TABLE articles_search",
    "CREATE VIRTUAL TABLE articles_search USING fts5(title, body, tokenize = 'unicode61')",
]
POSTGRESQL_BACK = [
    "DROP TABLE articles_search_word_key",
    "DROP TABLE articles_search_word",
    "DROP TABLE articles_search_photo",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_versions_and_sensible_dates"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_BACK, "postgresql": POSTGRESQL_BACK}),
        ),
    ]
