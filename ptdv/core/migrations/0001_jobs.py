"""Jobs in core: the model taken over from ``exchange`` (its table renamed by
``exchange.0006``), then the worker's fields (function, attempts, lease) and the daily runs."""

import django.db.models.deletion
import ptdv.core.models
from django.conf import settings
from django.db import migrations, models


def copy_func(apps, schema_editor):
    Job = apps.get_model('core', 'Job')
    for job in Job.objects.exclude(data={}).only('pk', 'data'):
        func = (job.data or {}).get('func', '')
        if func:
            Job.objects.filter(pk=job.pk).update(func=func)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('exchange', '0006_job_moves_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('uid', models.UUIDField(default=ptdv.core.models.new_uid, editable=False, unique=True)),
                        ('kind', models.CharField(max_length=60, verbose_name='kind')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=12, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('params', models.JSONField(blank=True, default=dict)),
                        ('result', models.FileField(blank=True, upload_to='exchange/jobs/%Y/%m/')),
                        ('result_name', models.CharField(blank=True, max_length=200)),
                        ('next_url', models.CharField(blank=True, max_length=300)),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'background job',
                        'verbose_name_plural': 'background jobs',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name='job',
            name='func',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='job',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='job',
            name='worker',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name='job',
            name='lease_expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='job',
            index=models.Index(fields=['status', 'id'], name='core_job_status_id'),
        ),
        migrations.RunPython(copy_func, migrations.RunPython.noop),
        migrations.CreateModel(
            name='DailyRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('command', models.CharField(max_length=100)),
                ('day', models.DateField()),
                ('worker', models.CharField(blank=True, max_length=120)),
                ('started_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('ok', models.BooleanField(null=True)),
                ('output', models.TextField(blank=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('command', 'day'), name='core_dailyrun_command_day')],
            },
        ),
    ]
