"""Indexes for the providers list at 100,000 providers, on PostgreSQL only.

- Trigram indexes for finding a word anywhere in a name. The provider search compares
  `UPPER(name) LIKE UPPER('%…%')` (`icontains`), which no b-tree can answer: without these, every
  search by name (and every 3-character search, which may also be a code) is a pass over the whole
  table. A `pg_trgm` GIN index on exactly the expression compared lets PostgreSQL find the
  matching rows from the index instead.
- A provider type's providers in the list's order, (provider_type, UPPER(operating_name), id): a
  page of one type (HEI, "Other") is then read straight from the index. Otherwise it is read by
  walking the name index past every provider of the other types, which grows with the register.

They are not in the model's Meta: SQLite has no trigram index, and these change no query, only how
PostgreSQL answers it. So this migration does nothing on SQLite and leaves the migration state as it
is (no `makemigrations` will ever see them).
"""

from django.db import migrations

INDEXES = {
    "registry_provider_name_trgm_idx": "USING gin (UPPER(operating_name) gin_trgm_ops)",
    "registry_provider_legal_name_trgm_idx": "USING gin (UPPER(legal_name) gin_trgm_ops)",
    "registry_provider_type_name_idx": "(provider_type, UPPER(operating_name), id)",
}


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create_indexes(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    # pg_trgm is a trusted extension: the database's owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_provider {definition}")


def drop_indexes(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    # The extension stays: something else in the database may have come to use it since.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_api_list_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
