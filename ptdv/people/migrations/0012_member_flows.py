"""Member flows (``ptdv.people.flows``): the per-month summary of membership periods by
the top levels of the tree, kept by triggers on the periods' table, computed here from
the periods already there."""

from django.db import migrations, models


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from ptdv.people import flows

    flows.install(schema_editor.connection)
    flows.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from ptdv.people import flows

    flows.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0005_areadecision_arealisting'),
        ('people', '0011_period_path_statistics'),
    ]

    operations = [
        migrations.CreateModel(
            name='MemberFlow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('level', models.PositiveSmallIntegerField()),
                ('key', models.CharField(max_length=20)),
                ('status', models.CharField(choices=[('none', 'Not a member (masses)'), ('probationary', 'Probationary member'), ('official', 'Official member'), ('transferred_out', 'Transferred out'), ('removed', 'Removed from the party'), ('expelled', 'Expelled'), ('left', 'Left the party'), ('died', 'Deceased')], max_length=20)),
                ('starts', models.IntegerField(default=0)),
                ('ends', models.IntegerField(default=0)),
            ],
        ),
        migrations.AddIndex(
            model_name='membershipperiod',
            index=models.Index(fields=['status', 'end'], name='people_period_status_end'),
        ),
        migrations.AddIndex(
            model_name='memberflow',
            index=models.Index(fields=['level', 'key', 'status', 'month'], name='people_flow_level_key', opclasses=['int2_ops', 'varchar_pattern_ops', 'varchar_pattern_ops', 'date_ops']),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
