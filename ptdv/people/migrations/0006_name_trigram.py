"""Search by name on PostgreSQL: a trigram index (pg_trgm) on the diacritics-free column,
so ``name_folded LIKE '%x%'`` is an index scan instead of a scan of every person. A
no-op on SQLite (a district's registry is scanned fast enough there)."""

from django.db import migrations

INDEX = "people_person_name_folded_trgm"


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin (name_folded gin_trgm_ops)"
    )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0005_relative")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
