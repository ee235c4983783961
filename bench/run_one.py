"""One benchmark run in its own process and database (called by ``python -m bench``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings")
# production settings (DEBUG off) on loopback over plain HTTP, with a throwaway key
os.environ.setdefault("SECRET_KEY", "bench-only-" + "0123456789abcdefghijklmnopqrstuvwxyz-ptdv")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
os.environ.setdefault("PTDV_HTTPS", "0")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main(path: Path, n: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", "--noinput", verbosity=0)
    from django.contrib.auth import get_user_model

    from bench.workbook import CELLS
    from ptdv.access.models import Position, Role
    from ptdv.core.text import fold, name_sort_key
    from ptdv.exchange import cells, reader, services
    from ptdv.organizations.services import org_unit_create
    from ptdv.people.models import Person

    d = dt.date(1950, 1, 1)
    province = org_unit_create(
        actor=None, code="BP", name="Tỉnh Bench", kind="province", parent=None, valid_from=d
    )
    grassroots = org_unit_create(
        actor=None,
        code="BX",
        name="Đảng bộ xã Bench",
        kind="grassroots_committee",
        parent=province,
        valid_from=d,
    )
    for i in range(CELLS):
        org_unit_create(
            actor=None,
            code=f"BX-{i:02d}",
            name=f"Chi bộ {i}",
            kind="cell",
            parent=grassroots,
            valid_from=d,
        )
    user = get_user_model().objects.create_user(username="bench", password="x")  # noqa: S106
    Position.objects.create(user=user, org_unit=province, role=Role.ORG_BOARD)

    # Baseline: the same rows parsed and inserted with one bulk_create (rolled back).
    layout = reader.inspect(path, "people")
    if os.environ.get("BENCH_SKIP_BULK"):  # peak memory of the import alone
        return _import_only(path, user, grassroots)
    units = {u.code: u.pk for u in grassroots.children.all()}
    t0 = time.perf_counter()
    rows = []
    for _num, row in reader.iter_rows(path, layout):  # parsed first: not in bulk_s
        name = cells.read("full_name", row[1])
        rows.append(
            Person(
                full_name=name,
                name_folded=fold(name),
                sort_key=name_sort_key(name),
                date_of_birth=cells.read("date_of_birth", row[2]),
                gender=cells.read("gender", row[3]),
                citizen_id=cells.read("citizen_id", row[4]),
                ethnicity=cells.read("ethnicity", row[5]),
                religion=cells.read("religion", row[6]),
                org_unit_id=units[cells.read("org_code", row[7])],
            )
        )
    parse_s = time.perf_counter() - t0
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            Person.objects.bulk_create(rows, batch_size=1000)
            bulk_s = time.perf_counter() - t0
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    del rows
    rss_before = rss_mb()

    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=grassroots, path=path, file_name=path.name
    )
    full = n <= 5000  # the preview and the second import double the time of big runs
    preview_s, preview_problems = -1.0, 0
    if full:
        t0 = time.perf_counter()
        preview_problems = services.batch_preview(actor=user, batch=batch).problem_count
        preview_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    outcome = services.batch_commit(actor=user, batch=batch)
    import_s = time.perf_counter() - t0
    peak = rss_mb()
    second_changes, second_s = -1, -1.0
    if full:
        batch2 = services.batch_create_from_path(
            actor=user, kind="people", org_unit=grassroots, path=path, file_name=path.name
        )
        t0 = time.perf_counter()
        second = services.batch_commit(actor=user, batch=batch2)
        second_s = time.perf_counter() - t0
        second_changes = second.created + second.updated
    print(
        json.dumps(
            {
                "import_s": import_s,
                "preview_s": preview_s,
                "bulk_s": bulk_s,
                "parse_s": parse_s,
                "created": outcome.created,
                "problems": preview_problems + outcome.problem_count,
                "peak_rss_mb": peak,
                "rss_before_mb": rss_before,
                "second_changes": second_changes,
                "second_s": second_s,
                "vendor": connection.vendor,
            }
        )
    )


def _import_only(path: Path, user: object, unit: object) -> None:
    from ptdv.exchange import services

    rss_before = rss_mb()
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=unit, path=path, file_name=path.name
    )
    t0 = time.perf_counter()
    outcome = services.batch_commit(actor=user, batch=batch)
    import_s = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "import_s": import_s,
                "created": outcome.created,
                "rss_before_mb": rss_before,
                "peak_rss_mb": rss_mb(),
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
