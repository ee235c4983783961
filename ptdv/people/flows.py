"""Member flows: the per-unit, per-month summary behind the member counts of large subtrees.

A member on day D is a membership period with ``start <= D < end`` (``people.selectors.
member_periods_on``, THE definition). Since a period starts before it ends, whether it
covers D is ``[start <= D] - [end <= D]``, so the members of a subtree on D are

    (periods started on or before D) - (periods ended on or before D).

``MemberFlow`` keeps those two numbers per calendar month, per status and per *key* — the
period's path cut to its first level (``level`` 1: the root then) and, in another row, to
its first two levels (``level`` 2: a province's districts or communes then), so a root
reads a few hundred rows (one per month and status) and a district its own. A subtree whose paths are no
longer than the key is counted from the flows of the months before D's month plus the
periods that start or end in D's month up to D (read from the rows, a few days of them):
a province's root reads some thousands of summary rows instead of every member period of
the province. A deeper subtree (a grassroots organization, a cell) is small: it is
counted from its rows as before. Both give the same number, by the identity above; the
tests check it on every path that writes periods.

The flows cannot go stale: database triggers, one per statement over its transition
table, add the changed periods' starts and ends (+ for the rows inserted, - for those
deleted, both for an update), aggregated by month, level, key and status — whatever wrote
them: the services, an import, ``gendata``'s ``COPY`` of millions of rows, raw SQL. Rows
are only ever added (no summary row is shared, so concurrent writers never wait on one);
``compact()`` folds them into one row per (month, level, key, status) — ``ptdv
compactflows``, run by ``gendata`` and worth a nightly cron. A backup carries the flows
with the periods (pg_dump creates the triggers after the data); ``rebuild()`` recomputes
them from the periods (the migration that added them, ``flush``).

They are kept on PostgreSQL only, the database of a province and of the nation. On
SQLite (one district, the demo) a subtree's periods are a few thousand rows, cheaper to
count than any summary, and SQLite's triggers run per row: they made the import of
50,000 people 73 % slower (``python -m bench.importer --sizes 50000``: 37.3 → 64.5 s).
There the counts are read from the periods (``serves`` is false)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr

from ptdv.organizations import history
from ptdv.organizations.models import PATH_STEP

LEVELS = (1, 2)  # the flows' keys: a path cut to its first level, to its first two
FLOW_KEY_LEN = LEVELS[-1] * (PATH_STEP + 1)  # "000001.00000a."


def key_len(level: int) -> int:
    return level * (PATH_STEP + 1)


def level_for(paths: Iterable[str]) -> int:
    """The coarsest level whose keys are long enough to tell ``paths``' rows apart."""
    longest = max(len(p) for p in paths)
    return next(lv for lv in LEVELS if longest <= key_len(lv))


TABLE = "people_memberflow"
PERIODS = "people_membershipperiod"
_FUNCTION = "ptdv_member_flow"

# one aggregated row per (month, level, key, status) of the changed periods: ``sign``
# times the periods started that month (``s``) and the periods ended that month (``e``)
_PG_SELECT = """
SELECT month, lv, key, status, SUM(s), SUM(e) FROM (
  SELECT date_trunc('month', start)::date AS month, lv, left(path, lv * {step}) AS key,
         status, {sign} AS s, 0 AS e FROM {rows} CROSS JOIN (VALUES {levels}) AS levels(lv)
  UNION ALL
  SELECT date_trunc('month', "end")::date, lv, left(path, lv * {step}), status, 0, {sign}
    FROM {rows} CROSS JOIN (VALUES {levels}) AS levels(lv) WHERE "end" IS NOT NULL
) changed GROUP BY month, lv, key, status"""


def _pg_insert(rows: str, sign: int) -> str:
    levels = ", ".join(f"({lv})" for lv in LEVELS)
    select = _PG_SELECT.format(step=PATH_STEP + 1, sign=sign, rows=rows, levels=levels)
    return f"INSERT INTO {TABLE} (month, level, key, status, starts, ends) {select};"


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    {_pg_insert("new_rows", 1)}
  END IF;
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    {_pg_insert("old_rows", -1)}
  END IF;
  RETURN NULL;
END
$$"""

_PG_TRIGGERS = {
    "ins": "AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows",
    "del": "AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows",
    "upd": "AFTER UPDATE ON {t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def kept(conn: Any = connection) -> bool:
    """Whether the database keeps member flows (PostgreSQL)."""
    return bool(conn.vendor == "postgresql")


def _statements(conn: Any, *, install: bool) -> list[str]:
    if not kept(conn):
        return []
    out = [f"DROP TRIGGER IF EXISTS {TABLE}_{name} ON {PERIODS}" for name in _PG_TRIGGERS]
    if install:
        out.append(_PG_FUNCTION)
        for name, when in _PG_TRIGGERS.items():
            out.append(
                f"CREATE TRIGGER {TABLE}_{name} {when.format(t=PERIODS)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
            )
    else:
        out.append(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
    return out


def install(conn: Any = connection) -> None:
    with conn.cursor() as cursor:
        for sql in _statements(conn, install=True):
            cursor.execute(sql)


def remove(conn: Any = connection) -> None:
    with conn.cursor() as cursor:
        for sql in _statements(conn, install=False):
            cursor.execute(sql)


def installed(conn: Any = connection) -> bool:
    """Whether the three triggers are on the periods' table."""
    if not kept(conn):
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname = %s AND t.tgname LIKE %s",
            [PERIODS, f"{TABLE}_%"],
        )
        return int(cursor.fetchone()[0]) == 3


def rebuild(conn: Any = connection) -> None:
    """The flows recomputed from the periods (one row per month, level, key and status);
    nothing where they are not kept."""
    if not kept(conn):
        return
    arms = []
    for lv in LEVELS:
        key = f"left(path, {key_len(lv)})"
        arms.append(
            f"SELECT date_trunc('month', start)::date AS month, {lv} AS level, {key} AS key, "  # noqa: S608
            f"status, 1 AS s, 0 AS e FROM {PERIODS}"
        )
        arms.append(
            f"SELECT date_trunc('month', \"end\")::date, {lv}, {key}, status, 0, 1 "  # noqa: S608
            f'FROM {PERIODS} WHERE "end" IS NOT NULL'
        )
    sql = (
        f"INSERT INTO {TABLE} (month, level, key, status, starts, ends) "  # noqa: S608
        f"SELECT month, level, key, status, SUM(s), SUM(e) FROM ({' UNION ALL '.join(arms)}) "
        "changed GROUP BY month, level, key, status"
    )
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant
        cursor.execute(sql)


def compact(conn: Any = connection) -> int:
    """Fold the flow rows into one per (month, level, key, status), dropping those that
    sum to nothing; returns the number of rows left. Safe beside writers: the rows it
    deletes are those it read, and a concurrent writer's rows are added after, untouched
    (a second compaction waits on the rows the first deletes, then skips them)."""
    if not kept(conn):
        return 0
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {TABLE} "  # noqa: S608 - constants
            "RETURNING month, level, key, status, starts, ends) "
            f"INSERT INTO {TABLE} (month, level, key, status, starts, ends) "
            "SELECT month, level, key, status, SUM(starts), SUM(ends) FROM gone "
            "GROUP BY month, level, key, status HAVING SUM(starts) <> 0 OR SUM(ends) <> 0"
        )
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 - a constant
        return int(cursor.fetchone()[0])


# --- reading ----------------------------------------------------------------------


def serves(paths: Iterable[str]) -> bool:
    """Whether the flows can count the subtree named by ``paths``: they are kept here
    (``kept``) and no path is longer than the key (the flows know nothing below the top
    two levels)."""
    paths = list(paths)
    return kept() and bool(paths) and all(0 < len(p) <= FLOW_KEY_LEN for p in paths)


def _keys_q(paths: list[str], level: int) -> Q:
    """Flow rows of ``level`` under ``paths``: a path as long as the level's keys names
    its key exactly (an index lookup per path), a shorter one every key it prefixes."""
    exact = [p for p in paths if len(p) == key_len(level)]
    q = history.prefix_q("key", [p for p in paths if len(p) != key_len(level)])
    return q | Q(key__in=exact) if exact else q


def _parts(paths: list[str], day: dt.date, statuses: list[str]) -> tuple[Any, Any]:
    """The two halves of a count on ``day`` under ``paths`` (each served): the flow rows
    of the months before ``day``'s month and the periods starting or ending in its first
    days, with what each adds up (``n_flows``, ``n_month``) — for the caller to group."""
    from ptdv.people.models import MemberFlow, MembershipPeriod

    first = day.replace(day=1)
    level = level_for(paths)
    before = MemberFlow.objects.filter(
        _keys_q(paths, level), level=level, status__in=statuses, month__lt=first
    )
    started = Q(start__gte=first, start__lte=day)
    ended = Q(end__gte=first, end__lte=day)
    month = MembershipPeriod.objects.filter(
        history.prefix_q("path", paths), status__in=statuses
    ).filter(started | ended)
    return (
        (before, Coalesce(Sum(F("starts") - F("ends")), Value(0))),
        (month, Count("id", filter=started) - Count("id", filter=ended)),
    )


def counts_on(paths: list[str], day: dt.date, statuses: Iterable[str]) -> dict[str, int]:
    """Members on ``day`` by status of the subtree whose paths are ``paths`` (each at most
    ``FLOW_KEY_LEN`` long: see ``serves``): the flows of the months before ``day``'s month
    and the periods starting or ending in its first days — ONE statement (UNION ALL), so
    both parts read the same snapshot of the database, even beside a writer."""
    statuses = list(statuses)
    (before, n_before), (month, n_month) = _parts(paths, day, statuses)
    summed = before.values("status").annotate(n=n_before).order_by()
    counted = month.values("status").annotate(n=n_month).order_by()
    out: dict[str, int] = dict.fromkeys(statuses, 0)
    for r in summed.union(counted, all=True):
        out[r["status"]] += int(r["n"] or 0)
    return out


def totals_parts(paths: list[str], day: dt.date, statuses: Iterable[str]) -> list[Any]:
    """Members on ``day`` (any of ``statuses``) of each subtree named by one path of
    ``paths`` (each served: see ``serves``), as querysets of rows of ``prefix`` and ``n``
    — several per prefix, per path length the flows and the month's first days grouped by
    the prefix of that length — for the caller to join by UNION ALL (``add_up``)."""
    statuses = list(statuses)
    by_len: dict[int, list[str]] = {}
    for p in set(paths):
        by_len.setdefault(len(p), []).append(p)
    parts: list[Any] = []
    for length, group in sorted(by_len.items()):
        (before, n_before), (month, n_month) = _parts(group, day, statuses)
        parts.append(
            before.annotate(prefix=Substr("key", 1, length))
            .values("prefix")
            .annotate(n=n_before)
            .order_by()
        )
        parts.append(
            month.annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(n=n_month)
            .order_by()
        )
    return parts


def add_up(parts: list[Any]) -> dict[str, int]:
    """The parts joined by UNION ALL in one query, ``n`` added up by ``prefix``."""
    out: dict[str, int] = {}
    if not parts:
        return out
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for r in rows:
        out[r["prefix"]] = out.get(r["prefix"], 0) + int(r["n"] or 0)
    return out
