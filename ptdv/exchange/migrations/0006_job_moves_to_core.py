"""The job table moves to ``core`` (issue 14: jobs belong in core): its rows stay, the table is
renamed ``core_job`` and ``core.0001_jobs`` takes the model over in the migration state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0005_import_kind_restructuring'),
    ]

    operations = [
        migrations.AlterModelTable(name='job', table='core_job'),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Job')],
        ),
    ]
