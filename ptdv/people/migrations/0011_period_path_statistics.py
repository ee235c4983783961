"""Finer planner statistics on the membership periods' path (PostgreSQL).

With the default statistics target the planner estimated a district's ``path LIKE
'prefix%'`` on the nation's database at 258,071 rows where there were 16,490, and so
combined the path index with the (status, start) index, walking every probationary period
of the country: one district's admitted per child unit took 967 ms. With 1,000 histogram
buckets on ``path`` the estimate is 21,946 and the covering (status, path) index alone is
used: 8 ms (bench/RESULTS.md run 7). ANALYZE samples 300 × the target rows: 4 s on the
nation's 26 M periods. A no-op on SQLite."""

from django.db import migrations

TARGET = 1000


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE people_membershipperiod ALTER COLUMN path SET STATISTICS {TARGET}"
    )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE people_membershipperiod ALTER COLUMN path SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("people", "0010_period_status_path_cover")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
