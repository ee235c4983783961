"""Triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) of the audit
table; see ptdv/audit/triggers.py."""

from django.db import migrations

from ptdv.audit.triggers import migrate_install, migrate_remove


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(migrate_install, migrate_remove, elidable=False)]
