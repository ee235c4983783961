"""Every existing unit gets one version (its whole validity at its current place)."""

from django.db import migrations


def forwards(apps, schema_editor):
    OrgUnit = apps.get_model("organizations", "OrgUnit")
    OrgUnitVersion = apps.get_model("organizations", "OrgUnitVersion")
    OrgUnitLineage = apps.get_model("organizations", "OrgUnitLineage")
    rows = []
    for u in OrgUnit.objects.all().iterator(chunk_size=2000):
        rows.append(
            OrgUnitVersion(
                unit_id=u.pk,
                name=u.name,
                parent_id=u.parent_id,
                path=u.path,
                depth=u.depth,
                valid_from=u.valid_from,
                valid_to=u.valid_to,
            )
        )
        if len(rows) >= 2000:
            OrgUnitVersion.objects.bulk_create(rows)
            rows = []
    OrgUnitVersion.objects.bulk_create(rows)
    OrgUnitLineage.objects.bulk_create(
        OrgUnitLineage(
            predecessor_id=u.pk,
            successor_id=u.successor_id,
            date=u.valid_to,
            kind="merge",
        )
        for u in OrgUnit.objects.filter(successor__isnull=False, valid_to__isnull=False)
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_dated_tree")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
