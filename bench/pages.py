"""One database's page and report figures (child of ``python -m bench``; prints JSON).

    python -m bench.pages [--export-rows N] [--pages-only]   (DATABASE_URL names the database)

The database holds ``ptdv gendata`` data. Every time is measured through the Django test
client as the ``admin`` superuser, in this process, against the database as it is; each
figure's floor is measured in the same run on the same database:

- reports (dashboard, statistics, the article's summary): beside a hand-written SQL
  aggregate over the same rows (members of the subtree on the report's date by status,
  admitted in the period: the figures the pages are built on);
- tree, list, search and person pages: queries and bytes per page, time beside a trivial
  view (``/healthz`` through the same middleware, logged in).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptdv.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "0123456789abcdefghijklmnopqrstuvwxyz-ptdv")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("PTDV_HTTPS", "0")

PERIOD = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))  # the districts still existed
DISTRICT_CODE = "T01-H01"  # the district generated first: the same in every database


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def floor_sql(path: str, day: dt.date, a: dt.date, b: dt.date) -> float:
    """The hand-written aggregate: members of the subtree on ``day`` by status, and the
    admitted (ceremony) in ``a``..``b``, straight from the periods and events."""
    from django.db import connection

    members = (
        "SELECT status, COUNT(DISTINCT person_id) FROM people_membershipperiod "
        "WHERE path LIKE %s AND status IN ('probationary', 'official') AND start <= %s "
        'AND ("end" IS NULL OR "end" > %s) GROUP BY status'
    )
    admitted = (
        "SELECT COUNT(*) FROM people_membershipperiod p WHERE p.path LIKE %s "
        "AND p.status = 'probationary' AND p.start BETWEEN %s AND %s AND EXISTS ("
        "SELECT 1 FROM people_membershipevent e WHERE e.person_id = p.person_id "
        "AND e.date = p.start AND e.kind IN ('admitted', 'readmitted'))"
    )
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute(members, [path + "%", day, day])
        c.fetchall()
        c.execute(admitted, [path + "%", a, b])
        c.fetchall()
    return time.perf_counter() - t0


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ptdv.core.text import fold
    from ptdv.organizations.models import OrgUnit
    from ptdv.people.models import Person

    export_rows = (
        int(sys.argv[sys.argv.index("--export-rows") + 1]) if "--export-rows" in sys.argv else 0
    )  # noqa: E501
    if export_rows:
        return _export(export_rows)
    admin = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    out: dict[str, Any] = {"vendor": connection.vendor, "people": Person.objects.count()}
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    district = OrgUnit.objects.filter(code=DISTRICT_CODE).first()
    assert root is not None and district is not None
    a, b = PERIOD
    q = f"from={a:%d/%m/%Y}&to={b:%d/%m/%Y}"

    def get(url: str) -> tuple[float, int, int]:
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t, resp = _timed(lambda: client.get(url))
        assert resp.status_code == 200, (url, resp.status_code)
        body = b"".join(resp.streaming_content) if resp.streaming else resp.content
        return t, len(ctx.captured_queries), len(body)

    get("/healthz")  # warm the process (templates, settings, caches)
    trivial = min(get("/healthz")[0] for _ in range(5))
    out["trivial_s"] = trivial
    reports: dict[str, Any] = {}
    pages_only = "--pages-only" in sys.argv  # the page figures alone (no reports)
    for page in () if pages_only else ("overview", "statistics", "article"):  # warm
        get(f"/reports/{page}/?org={district.uid}&from=01/01/2023&to=31/12/2023")
    # the district first: its ratio to a district-only database is the figure that must
    # hold at every scale; the root of a nation takes minutes per page
    for label, org in () if pages_only else (("district", district), ("root", root)):
        path = org.path if label == "root" else org.versions.order_by("valid_from").first().path
        floor = min(floor_sql(path, b, a, b) for _ in range(3))
        for page in ("overview", "statistics", "article"):
            url = f"/reports/{page}/?org={org.uid}&{q}"
            t, n, size = get(url)
            reports[f"{page}:{label}"] = {"s": t, "queries": n, "bytes": size, "floor_s": floor}
            print(f"# {page} {label}: {t:.2f} s, floor {floor:.3f} s", file=sys.stderr)
    out["reports"] = reports
    person = (
        Person.objects.filter(status="official")
        .order_by("-official_on", "pk")
        .only("uid", "full_name")
        .first()
    )
    assert person is not None
    word = fold(person.full_name).split(" ")
    search = "+".join(word[-2:])
    pages = {
        "tree": "/orgs/",
        "tree search": "/orgs/?q=xa",  # every commune: one page of matches
        "list": "/people/",
        "search": f"/people/?q={search}",
        "person": f"/people/{person.uid}/",
    }
    out["pages"] = {}
    for key, url in pages.items():
        get(url)  # warm, then the best of two
        (t, n, size), again = get(url), get(url)
        t = min(t, again[0])
        out["pages"][key] = {"s": t, "queries": n, "bytes": size, "url": url}
        print(f"# {key}: {t:.2f} s, {n} queries, {size} bytes", file=sys.stderr)
    print(json.dumps(out))


def _export(rows: int) -> None:
    """Peak memory of exporting ``rows`` people (the export of the import/export page),
    in this process: RSS before and the peak after."""
    import itertools

    from django.contrib.auth import get_user_model

    from ptdv.exchange import export_rows, exporter
    from ptdv.organizations.models import OrgUnit

    admin = get_user_model().objects.get(username="admin")
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    real_rows = export_rows.rows

    def first_rows(kind: str, user: Any, org: Any) -> Any:
        total, it = real_rows(kind, user, org)
        return min(total, rows), itertools.islice(it, rows)

    export_rows.rows = first_rows  # type: ignore[assignment]
    before = rss_mb()
    t, (content, n) = _timed(lambda: exporter.export_workbook(kind="people", user=admin, org=root))
    print(
        json.dumps(
            {"rows": n, "s": t, "rss_before_mb": before, "peak_rss_mb": rss_mb(),
             "bytes": len(content)}
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
