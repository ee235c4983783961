"""The audit log is append-only at the database: triggers on PostgreSQL and SQLite refuse
UPDATE, DELETE (and TRUNCATE on PostgreSQL) of the audit tables, whatever the path (a
queryset ``update()``/``delete()``, raw SQL, a database shell). Installed by migration
``audit.0002``; ``flush`` (tests' teardown, ``loaddemo --reset``) suspends them inside one
transaction through ``suspended()`` (see ``management/commands/flush.py``): if the flush
fails, the drop is rolled back with it, so the triggers are never left off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction

AUDIT_TABLES = ("audit_auditentry",)
MESSAGE = "audit entries are append-only"
_FUNCTION = "ptdv_audit_append_only"


def _sqlite_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE on {table})'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE on {table})'); END",
    ]


def _sqlite_remove(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$"""


def _pg_install(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()",
    ]


def _pg_remove(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        out = [_PG_FUNCTION] if install else []
        for table in AUDIT_TABLES:
            out += _pg_install(table) if install else _pg_remove(table)
        return out
    if vendor == "sqlite":
        out = []
        for table in AUDIT_TABLES:
            out += _sqlite_install(table) if install else _sqlite_remove(table)
        return out
    return []  # another backend: the model methods still refuse


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)


def installed(connection: Any) -> bool:
    """Whether every audit table has its triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relname = ANY(%s)",
                [list(AUDIT_TABLES)],
            )
            return cursor.fetchone()[0] == 2 * len(AUDIT_TABLES)
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "  # noqa: S608 - placeholders only
                f"({','.join('%s' for _ in AUDIT_TABLES)})",
                list(AUDIT_TABLES),
            )
            return cursor.fetchone()[0] == 2 * len(AUDIT_TABLES)
    return False


@contextmanager
def suspended(using: str = "default") -> Iterator[None]:
    """Drop the triggers, run the block, put them back — one transaction, so an error in
    the block puts them back too. Only for wiping the whole database (``flush``)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        remove(connection)
        yield
        install(connection)


# for migrations (RunPython)
def migrate_install(apps: Any, schema_editor: Any) -> None:
    install(schema_editor.connection)


def migrate_remove(apps: Any, schema_editor: Any) -> None:
    remove(schema_editor.connection)
