"""``ptdv gendata --scale district|province|nation [--seed N]``: fill an empty database
with synthetic data (``ptdv.gendata.generate``), then ANALYZE."""

from __future__ import annotations

import datetime as dt
import importlib
import time
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ptdv.gendata import generate as G
from ptdv.gendata.sink import Sink, analyze
from ptdv.organizations.models import OrgUnit
from ptdv.people import flows
from ptdv.people.models import Person
from ptdv.targets.models import Term
from ptdv.training.models import CourseType


def run(scale: str, seed: int, *, say: Any = print, admin_password: str | None = None) -> G.Truth:
    """Generate into the current (empty) database; the truth of what was generated."""
    if OrgUnit.objects.exists() or Person.objects.exists():
        raise CommandError(
            "Cơ sở dữ liệu đã có dữ liệu; dùng --reset để xóa trước khi sinh dữ liệu tổng hợp."
        )
    if (scale == "nation" or scale == "province") and connection.vendor != "postgresql":
        say("Cảnh báo: quy mô lớn nên chạy trên PostgreSQL (COPY); SQLite sẽ rất chậm.")
    started = time.monotonic()
    if CourseType.objects.filter(code__in=["awareness", "new_member"]).count() < 2:
        # ``flush`` (--reset) empties the course types that a migration seeded
        seeding = importlib.import_module("ptdv.training.migrations.0002_seed_course_types")
        seeding.seed(django_apps, None)
    types = dict(CourseType.objects.values_list("code", "pk"))
    months = dict(CourseType.objects.values_list("code", "certificate_validity_months"))
    for name, a, b in (("2020–2025", 2020, 2025), ("2025–2030", 2025, 2030)):
        Term.objects.get_or_create(name=name, defaults={"start_year": a, "end_year": b})
    User = get_user_model()
    if admin_password and not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=admin_password)
    stamp = dt.datetime.combine(G.END, dt.time(8), tzinfo=dt.UTC)
    sink = Sink(stamp)
    gen = G.Generator(
        G.SCALES[scale], seed, sink, say=say, course_types=types, course_months=months
    )
    say(f"Sinh dữ liệu quy mô {scale} (seed {seed}) vào {connection.vendor}…")
    truth = gen.run()
    t_flows = time.monotonic()
    left = flows.compact()  # the triggers added aggregated rows per COPY: one per key
    say(f"  member flows: {left} rows ({time.monotonic() - t_flows:.1f} s)")
    t_analyze = time.monotonic()
    analyze()
    say(f"  VACUUM ANALYZE: {time.monotonic() - t_analyze:.1f} s")
    counts = ", ".join(f"{t.name}={t.count}" for t in sink.tables.values() if t.count)
    say(f"  bảng: {counts}")
    say(
        f"Xong: {truth.people} người, {truth.member_total(G.END)} đảng viên ngày "
        f"{G.END:%d/%m/%Y}, {truth.grassroots_now} tổ chức cơ sở đảng — "
        f"{time.monotonic() - started:.1f} s"
    )
    return truth


class Command(BaseCommand):
    help = "Fill an empty database with synthetic data at district, province or nation scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(G.SCALES), default="district")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--reset", action="store_true", help="flush the database first")
        parser.add_argument(
            "--admin-password",
            default="ptdv@2026",
            help="password of the 'admin' superuser created when there is none",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        run(
            options["scale"],
            options["seed"],
            say=self.stdout.write,
            admin_password=options["admin_password"],
        )
