"""The replica router and read-your-writes (ptdv.core.dbrouting) without a replica: the
router only names aliases, so its rules are checked on any database. The real primary and
replica are in tests/test_scaleout.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from ptdv.core import dbrouting as r
from ptdv.organizations.models import OrgUnit


@pytest.fixture
def with_replica(monkeypatch: Any) -> None:
    monkeypatch.setattr(r, "replica_configured", lambda: True)
    monkeypatch.setattr(r.lag_probe, "behind", lambda: False)


ROUTER = r.ReplicaRouter()


def test_no_replica_configured_everything_reads_the_primary() -> None:
    assert "replica" not in settings.DATABASES
    with r.replica_reads():
        assert ROUTER.db_for_read(OrgUnit) == "default"


def test_today_settings_have_no_router_nor_middleware() -> None:
    if os.environ.get("DATABASE_REPLICA_URL"):
        pytest.skip("a replica is configured for this run")
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert "ptdv.core.dbrouting.ReadYourWritesMiddleware" not in settings.MIDDLEWARE
    if not os.environ.get("PTDV_DB_POOLER"):
        assert not settings.DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS")


def test_settings_with_a_replica_url() -> None:
    code = (
        "import json; from ptdv.config import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.DATABASES['replica']['PORT'], "
        "s.DATABASES['replica']['TEST'], s.DATABASE_ROUTERS, s.MIDDLEWARE, "
        "[d.get('DISABLE_SERVER_SIDE_CURSORS') for d in s.DATABASES.values()]]))"
    )
    env = dict(os.environ, DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:55433/x")
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:55432/x"
    env["PTDV_DB_POOLER"] = "transaction"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    aliases, port, test, routers, middleware, no_cursors = json.loads(out.strip().splitlines()[-1])
    assert no_cursors == [True, True]  # behind PgBouncer's transaction pooling
    assert aliases == ["default", "replica"]
    assert port == 55433
    assert test == {"MIRROR": "default"}  # the test database is the primary's
    assert routers == ["ptdv.core.dbrouting.ReplicaRouter"]
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[auth + 1] == "ptdv.core.dbrouting.ReadYourWritesMiddleware"


def test_reads_outside_a_report_go_to_the_primary(with_replica: None) -> None:
    assert ROUTER.db_for_read(OrgUnit) == "default"


def test_report_reads_go_to_the_replica(with_replica: None) -> None:
    with r.replica_reads():
        assert ROUTER.db_for_read(OrgUnit) == "replica"
    assert ROUTER.db_for_read(OrgUnit) == "default"


def test_decorated_view_reads_the_replica(with_replica: None) -> None:
    @r.reads_from_replica
    def view() -> str:
        return ROUTER.db_for_read(OrgUnit)

    assert view() == "replica"
    assert ROUTER.db_for_read(OrgUnit) == "default"


def test_sessions_always_on_the_primary(with_replica: None) -> None:
    with r.replica_reads():
        assert ROUTER.db_for_read(Session) == "default"


def test_pinned_client_reads_the_primary(with_replica: None) -> None:
    with r.replica_reads(), r.pinned_to_primary():
        assert ROUTER.db_for_read(OrgUnit) == "default"
    with r.replica_reads(), r.pinned_to_primary(False):
        assert ROUTER.db_for_read(OrgUnit) == "replica"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica: None) -> None:
    with r.replica_reads():
        with transaction.atomic():
            assert ROUTER.db_for_read(OrgUnit) == "default"
        assert ROUTER.db_for_read(OrgUnit) == "replica"


def test_a_lagging_replica_is_not_read(monkeypatch: Any) -> None:
    monkeypatch.setattr(r, "replica_configured", lambda: True)
    monkeypatch.setattr(r.lag_probe, "behind", lambda: True)
    with r.replica_reads():
        assert ROUTER.db_for_read(OrgUnit) == "default"


def test_lag_is_measured_at_most_every_few_seconds(monkeypatch: Any, settings: Any) -> None:
    settings.PTDV_REPLICA_LAG_CHECK_SECONDS = 60
    calls: list[int] = []
    probe = r._LagProbe()
    monkeypatch.setattr(probe, "_measure", lambda: calls.append(1) or True)
    assert probe.behind() is True
    assert probe.behind() is True
    assert calls == [1]
    probe.reset()
    monkeypatch.setattr(probe, "_measure", lambda: calls.append(2) or False)
    assert probe.behind() is False
    assert calls == [1, 2]


def test_writes_and_migrations_on_the_primary_only() -> None:
    with r.replica_reads():
        assert ROUTER.db_for_write(OrgUnit) == "default"
    assert ROUTER.allow_migrate("default", "organizations") is True
    assert ROUTER.allow_migrate("replica", "organizations") is False
    assert ROUTER.allow_relation(object(), object()) is True


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('INSERT INTO "audit_entry" ("x") VALUES (1)', True),
        ('  update "organizations_orgunit" SET "name" = %s', True),
        ('DELETE FROM "people_person" WHERE id = 1', True),
        ('SELECT * FROM "people_person"', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ("", False),
    ],
)
def test_what_counts_as_a_write(sql: str, expected: bool) -> None:
    assert r.wrote(sql) is expected


def _middleware(view: Any) -> r.ReadYourWritesMiddleware:
    return r.ReadYourWritesMiddleware(view)


@pytest.mark.django_db
def test_a_request_that_wrote_pins_the_client_for_n_seconds(settings: Any) -> None:
    settings.PTDV_READ_YOUR_WRITES_SECONDS = 7

    def view(request: Any) -> HttpResponse:
        OrgUnit.objects.filter(pk=-1).update(name="x")  # an UPDATE, even of no row
        return HttpResponse("ok")

    before = time.time()
    response = _middleware(view)(RequestFactory().post("/x/"))
    cookie = response.cookies[r.COOKIE]
    assert cookie["max-age"] == 7
    assert cookie["httponly"]
    assert before + 7 - 0.001 <= float(cookie.value) <= time.time() + 7 + 0.001  # ms


@pytest.mark.django_db
def test_a_request_that_only_read_sets_nothing() -> None:
    def view(request: Any) -> HttpResponse:
        list(OrgUnit.objects.all())
        return HttpResponse("ok")

    response = _middleware(view)(RequestFactory().get("/x/"))
    assert r.COOKIE not in response.cookies


@pytest.mark.parametrize(("offset", "pinned"), [(5, True), (-5, False)])
def test_the_mark_pins_reads_until_it_ends(with_replica: None, offset: int, pinned: bool) -> None:
    seen: list[str] = []

    def view(request: Any) -> HttpResponse:
        with r.replica_reads():
            seen.append(ROUTER.db_for_read(OrgUnit))
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.COOKIES[r.COOKIE] = f"{time.time() + offset:.3f}"
    _middleware(view)(request)
    assert seen == ["default" if pinned else "replica"]


def test_a_garbled_mark_is_ignored(with_replica: None) -> None:
    seen: list[str] = []

    def view(request: Any) -> HttpResponse:
        with r.replica_reads():
            seen.append(ROUTER.db_for_read(OrgUnit))
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.COOKIES[r.COOKIE] = "not-a-time"
    _middleware(view)(request)
    assert seen == ["replica"]


def _pg_options(**extra: str) -> list[str | None]:
    code = (
        "import json; from ptdv.config import settings as s; "
        "print(json.dumps([d.get('OPTIONS', {}).get('options') for d in s.DATABASES.values()]))"
    )
    env = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1:55432/x")
    env.pop("PTDV_DB_POOLER", None)
    env.pop("PTDV_PG_OPTIONS", None)
    env.update(extra)
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def test_postgresql_connections_turn_jit_off_unless_behind_pgbouncer() -> None:
    assert _pg_options() == ["-c jit=off"]
    # PgBouncer refuses a startup "options" parameter: the role carries it there
    assert _pg_options(PTDV_DB_POOLER="transaction") == [None]
    assert _pg_options(PTDV_PG_OPTIONS="") == [None]
    url = "postgres://postgres@127.0.0.1:55432/x?options=-c%20work_mem%3D64MB"
    assert _pg_options(DATABASE_URL=url) == ["-c work_mem=64MB -c jit=off"]


@pytest.mark.django_db
def test_the_connection_runs_without_jit() -> None:
    from django.db import connection

    if connection.vendor != "postgresql" or os.environ.get("PTDV_DB_POOLER"):
        pytest.skip("PostgreSQL's JIT: the PostgreSQL pass")
    with connection.cursor() as c:
        c.execute("SHOW jit")
        assert c.fetchone()[0] == "off"
