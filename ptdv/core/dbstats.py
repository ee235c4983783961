"""Fresh planner statistics after a bulk load (issue 13): every bulk writer (the demo,
``ptdv gendata``, ``ptdv restore``, large imports) ends with ``analyze``, so that the first
report after it is not planned on the row counts of an empty database."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, models

# an import of at least this many rows refreshes the statistics of the tables it wrote
IMPORT_ROWS = 1_000


def analyze(
    model_list: Iterable[type[models.Model]] | None = None, *, using: str = "default"
) -> None:
    """``ANALYZE`` the tables of ``model_list`` (every table when None), on PostgreSQL and
    SQLite alike."""
    conn = connections[using]
    with conn.cursor() as c:
        if model_list is None:
            c.execute("ANALYZE")
            return
        for model in model_list:
            c.execute(f"ANALYZE {conn.ops.quote_name(model._meta.db_table)}")


def vacuum_analyze(*, using: str = "default") -> None:
    """After a bulk load outside any transaction (``ptdv gendata``, ``ptdv restore``):
    on PostgreSQL ``VACUUM ANALYZE``, which also marks the loaded pages all-visible, so
    counts over a subtree are answered from an index alone (``people`` migration 0010)
    instead of visiting every row until autovacuum passes; elsewhere, or inside a
    transaction (where VACUUM cannot run), ``analyze``."""
    conn = connections[using]
    if conn.vendor != "postgresql" or conn.in_atomic_block:
        analyze(using=using)
        return
    with conn.cursor() as c:
        c.execute("VACUUM ANALYZE")
