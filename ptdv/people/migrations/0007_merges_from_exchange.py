"""Person merges move here from the exchange app (issue 14): the tables exist already
(created by exchange 0001 and kept under their names), so only the state changes."""

import django.db.models.deletion
import ptdv.core.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_name_trigram"),
        ("exchange", "0008_merges_move_to_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MergeRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "uid",
                            models.UUIDField(
                                default=ptdv.core.models.new_uid, editable=False, unique=True
                            ),
                        ),
                        ("moved", models.JSONField(default=list)),
                        (
                            "reason",
                            models.CharField(blank=True, max_length=255, verbose_name="reason"),
                        ),
                        ("unmerged_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "duplicate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="people.person",
                                verbose_name="duplicate",
                            ),
                        ),
                        (
                            "kept",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="people.person",
                                verbose_name="kept",
                            ),
                        ),
                        (
                            "unmerged_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "exchange_mergerecord",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="DuplicateDismissal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        (
                            "person_a",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="people.person",
                            ),
                        ),
                        (
                            "person_b",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="people.person",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "exchange_duplicatedismissal",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("person_a", "person_b"), name="dismissal_pair"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
