"""Where generated rows go: PostgreSQL through ``COPY`` (psycopg 3 ``cursor.copy``),
SQLite through ``executemany`` in batches. Rows arrive per table as tuples in the order of
the columns the generator declares; ``uid``, ``created_at`` and ``updated_at`` are filled
here (a uid is derived from the table and the row's id, so a seed gives the same rows)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from ptdv.core import dbstats

BATCH = 2000


class Table:
    """One table being filled: its name, the declared columns and the added ones."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], tag: int) -> None:
        self.model = model
        self.name = model._meta.db_table
        names = {f.column for f in model._meta.concrete_fields}
        self.with_uid = "uid" in names
        self.with_created = "created_at" in names
        self.with_updated = "updated_at" in names
        extra = [
            c
            for c, on in (
                ("uid", self.with_uid),
                ("created_at", self.with_created),
                ("updated_at", self.with_updated),
            )
            if on
        ]
        unknown = [c for c in columns if c not in names]
        if unknown:  # pragma: no cover - a programming error
            raise ValueError(f"{self.name}: unknown columns {unknown}")
        # columns the generator does not know (added later by a migration): their default
        known = {*columns, *extra}
        rest = [
            f for f in model._meta.concrete_fields if f.column not in known and not f.primary_key
        ]
        self.rest = tuple(f.get_default() for f in rest)
        self.columns = [*columns, *extra, *(f.column for f in rest)]
        self.declared = len(columns)
        self.tag = tag
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, row: tuple[Any, ...], stamp: dt.datetime) -> None:
        extra: list[Any] = []
        if self.with_uid:
            # the row's id is its first column for every table that has a uid
            extra.append(uuid.UUID(int=(self.tag << 96) | (0x4000 << 64) | int(row[0])))
        if self.with_created:
            extra.append(stamp)
        if self.with_updated:
            extra.append(stamp)
        self.rows.append((*row, *extra, *self.rest) if extra or self.rest else row)


class Sink:
    """Collects rows per table and writes them out on ``flush`` (one transaction)."""

    def __init__(self, stamp: dt.datetime) -> None:
        self.stamp = stamp
        self.tables: dict[str, Table] = {}
        self.order: list[str] = []
        self.vendor = connection.vendor

    def table(self, key: str, model: type[models.Model], columns: Sequence[str]) -> Table:
        if key not in self.tables:
            self.tables[key] = Table(model, columns, tag=len(self.order) + 1)
            self.order.append(key)
        return self.tables[key]

    def add(self, key: str, row: tuple[Any, ...]) -> None:
        self.tables[key].add(row, self.stamp)

    def pending(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    def flush(self) -> None:
        with transaction.atomic():
            for key in self.order:
                t = self.tables[key]
                if not t.rows:
                    continue
                if self.vendor == "postgresql":
                    self._copy(t)
                else:
                    self._insert(t)
                t.count += len(t.rows)
                t.rows = []

    def _copy(self, t: Table) -> None:
        cols = ", ".join(f'"{c}"' for c in t.columns)
        with connection.cursor() as c:
            raw = c.cursor
            with raw.copy(f'COPY "{t.name}" ({cols}) FROM STDIN') as copy:
                for row in t.rows:
                    copy.write_row(row)

    def _insert(self, t: Table) -> None:
        cols = ", ".join(f'"{c}"' for c in t.columns)
        marks = ", ".join("%s" for _ in t.columns)
        sql = f'INSERT INTO "{t.name}" ({cols}) VALUES ({marks})'
        with connection.cursor() as c:
            for i in range(0, len(t.rows), BATCH):
                c.executemany(sql, [tuple(map(_sqlite, r)) for r in t.rows[i : i + BATCH]])

    def finish(self) -> None:
        """Move the id sequences past the ids written (PostgreSQL; SQLite keeps its own)."""
        if self.vendor != "postgresql":
            return
        model_list = [t.model for t in self.tables.values()]
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                c.execute(sql)


def _sqlite(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def analyze() -> None:
    """Fresh planner statistics and visibility after the load (``VACUUM ANALYZE`` on
    PostgreSQL, ``ANALYZE`` on SQLite)."""
    dbstats.vacuum_analyze()
