"""A provider's names as a search compares them: `Provider.search_text`, filled for every provider.

On PostgreSQL, a `pg_trgm` GIN index on the column finds the providers whose names contain a word
of a search (`search_text LIKE '%word%'`) without reading the table, as migration 0004's indexes do
for `UPPER(name)`. Like those, it is not in the model's Meta: SQLite has no trigram index.

The column is filled with `search_text` as it is now. A later change to how names are made alike
for searching needs a migration that fills the column again, as `fill_search_text` does here.
"""

from django.db import migrations

from registry.models.provider import SearchTextField, search_text

BATCH_SIZE = 1000
INDEX = "registry_provider_search_text_trgm_idx"


def fill_search_text(apps, schema_editor):
    """Every provider's search text, a batch of providers at a time, in order of id."""
    Provider = apps.get_model("registry", "Provider")
    connection = schema_editor.connection
    update = f"UPDATE {connection.ops.quote_name(Provider._meta.db_table)} SET search_text = %s WHERE id = %s"
    providers = (
        Provider._base_manager.using(connection.alias).order_by("pk").values_list("pk", "operating_name", "legal_name")
    )
    batch = list(providers[:BATCH_SIZE])
    while batch:
        rows = [(search_text(*names), Provider._meta.pk.get_db_prep_value(pk, connection)) for pk, *names in batch]
        with connection.cursor() as cursor:
            cursor.executemany(update, rows)
        batch = list(providers.filter(pk__gt=batch[-1][0])[:BATCH_SIZE])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database's owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_provider USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_provider_list_indexes_on_postgresql"),
    ]

    operations = [
        migrations.AddField(
            model_name="provider",
            name="search_text",
            field=SearchTextField(default="", editable=False, serialize=False, verbose_name="search text"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
