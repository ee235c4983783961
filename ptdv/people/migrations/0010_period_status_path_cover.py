"""Members of a subtree on a day, read from the index alone (PostgreSQL).

Every membership figure is ``status IN (…) AND path LIKE 'prefix%' AND start <= day AND
("end" IS NULL OR "end" > day)``, counted by ``person_id``. With only the (status, start,
end) and (path) indexes the planner combined both bitmaps, walking every probationary
period of the database for one district (bench, province database: 30 ms where the
district-only database takes 1.7 ms). This index is (status, path) with the dates and the
person carried along, so a subtree's count is an index-only scan over the subtree's
entries: 30 → 6 ms for a district, 230–340 → 70–120 ms for the province's root. A no-op
on SQLite (its planner has no index-only bitmap mix-up to avoid and no INCLUDE)."""

from django.db import migrations

INDEX = "people_period_status_path_cover"


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_membershipperiod "
        '(status, path varchar_pattern_ops) INCLUDE (start, "end", person_id)'
    )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0009_residence_reason")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
