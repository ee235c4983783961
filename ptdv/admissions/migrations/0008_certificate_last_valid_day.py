"""An awareness certificate's ``valid_until`` is its last valid day (issue 15 point 4): the
rows written before stored the first day it was no longer valid (issue + 60 months)."""

import datetime as dt

from django.db import migrations


def to_last_valid_day(apps, schema_editor):  # noqa: ANN001, ARG001
    from ptdv.policy import loader, rules

    DossierItem = apps.get_model("admissions", "DossierItem")
    rows = DossierItem.objects.filter(
        kind="awareness_certificate", issued_on__isnull=False, valid_until__isnull=False
    )
    for item in rows.iterator():
        first_invalid = rules.awareness_certificate_expires_on(
            item.issued_on, loader.policy_on(item.issued_on)
        )
        if item.valid_until == first_invalid:
            item.valid_until = first_invalid - dt.timedelta(days=1)
            item.save(update_fields=["valid_until"])


def to_first_invalid_day(apps, schema_editor):  # noqa: ANN001, ARG001
    from ptdv.policy import loader, rules

    DossierItem = apps.get_model("admissions", "DossierItem")
    rows = DossierItem.objects.filter(
        kind="awareness_certificate", issued_on__isnull=False, valid_until__isnull=False
    )
    for item in rows.iterator():
        last = rules.awareness_certificate_valid_until(
            item.issued_on, loader.policy_on(item.issued_on)
        )
        if item.valid_until == last:
            item.valid_until = last + dt.timedelta(days=1)
            item.save(update_fields=["valid_until"])


class Migration(migrations.Migration):
    dependencies = [("admissions", "0007_paper_exceptions")]

    operations = [migrations.RunPython(to_last_valid_day, to_first_invalid_day)]
