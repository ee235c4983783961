"""The audit log is append-only at the database (issue 12, point 6): a queryset update, a
queryset delete and raw SQL are refused by triggers on SQLite and on PostgreSQL (this file
runs on PostgreSQL when DATABASE_URL points to it, as in CI); ``flush`` (test teardown,
``loaddemo --reset``) still works and leaves the triggers in place."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from ptdv.audit import triggers
from ptdv.audit.models import AuditEntry
from ptdv.audit.services import record


def _entry() -> AuditEntry:
    return record(action="test.created", data={"name": "Nguyễn Văn An"})


def _refused(fn: Any) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        fn()


@pytest.mark.django_db
def test_triggers_are_installed_by_migration() -> None:
    assert connection.vendor in {"sqlite", "postgresql"}
    assert triggers.installed(connection)


@pytest.mark.django_db
def test_queryset_update_and_delete_refused() -> None:
    entry = _entry()
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="test.forged"))
    _refused(lambda: AuditEntry.objects.all().update(data={}))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    _refused(lambda: AuditEntry.objects.all()._raw_delete(connection.alias))
    entry.refresh_from_db()
    assert entry.action == "test.created" and entry.data == {"name": "Nguyễn Văn An"}
    # inserting stays possible
    _entry()
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_raw_sql_refused() -> None:
    entry = _entry()
    table = AuditEntry._meta.db_table

    def raw(sql: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    _refused(lambda: raw(f"UPDATE {table} SET action = %s WHERE id = %s", ["x", entry.pk]))
    _refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [entry.pk]))
    _refused(lambda: raw(f"DELETE FROM {table}", []))
    assert AuditEntry.objects.filter(pk=entry.pk, action="test.created").exists()


@pytest.mark.django_db(transaction=True)
def test_truncate_refused_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only (SQLite's DELETE is refused above)")
    entry = _entry()  # committed: no pending trigger events in the truncating transaction
    table = AuditEntry._meta.db_table
    for sql in (f"TRUNCATE {table}", f"TRUNCATE {table} CASCADE"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_wipes_and_keeps_the_triggers() -> None:
    """What the test teardown of transactional tests and ``loaddemo --reset`` do."""
    _entry()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert triggers.installed(connection)
    entry = _entry()
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())


@pytest.mark.django_db(transaction=True)
def test_failed_flush_leaves_the_triggers(monkeypatch: Any) -> None:
    from django.core.management.base import CommandError

    def broken(self: Any, sql_list: Any) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(type(connection.ops), "execute_sql_flush", broken)
    _entry()
    with pytest.raises((CommandError, DatabaseError)):
        call_command("flush", interactive=False, verbosity=0)
    monkeypatch.undo()
    assert triggers.installed(connection)
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_loaddemo_reset_flushes_through_the_triggers(monkeypatch: Any) -> None:
    """``loaddemo --reset`` on a database with audit entries (the demo itself is replaced
    by an empty build: the full load takes minutes and is tested elsewhere)."""
    from ptdv.demo.management.commands.loaddemo import Command

    monkeypatch.setattr(Command, "_build", lambda self, fast=False: [])
    monkeypatch.setattr(Command, "_print_logins", lambda self, logins=None: None)
    monkeypatch.setattr(Command, "_restore_shipped", lambda self: False)
    _entry()
    call_command("loaddemo", "--reset", verbosity=0)
    assert not AuditEntry.objects.exists()
    assert triggers.installed(connection)
