"""Existing periods take their unit's path (the tree had no dated versions before)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    OrgUnit = apps.get_model("organizations", "OrgUnit")
    MembershipPeriod = apps.get_model("people", "MembershipPeriod")
    MembershipPeriod.objects.filter(org_unit__isnull=False).update(
        path=Subquery(OrgUnit.objects.filter(pk=OuterRef("org_unit_id")).values("path")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_period_path"),
        ("organizations", "0003_versions_from_units"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
