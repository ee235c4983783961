"""Member flows (``people.flows``): the counts of the top of the tree read from the
per-month summary equal the counts from the periods, on every day, after every kind of
write — services, moves and merges of the tree, removals, raw SQL — and after compaction,
a rebuild and a flush. The flows are kept on PostgreSQL (the PostgreSQL pass of CI runs
these tests); on SQLite the counts come from the periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum

from ptdv.organizations import history as org_history
from ptdv.organizations.services import org_unit_create, org_unit_merge, org_unit_move
from ptdv.people import flows
from ptdv.people.models import MEMBER_STATUSES, MemberFlow, MembershipPeriod
from ptdv.people.selectors import member_counts_on, member_periods_on, member_totals_on
from ptdv.people.services import membership_event_add
from ptdv.people.tests.conftest import make_member

D = dt.date
pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="member flows are kept on PostgreSQL"
)


def from_rows(unit: Any, day: dt.date, restated: bool = False) -> dict[str, int]:
    """THE definition, counted from the periods (what the flows must equal)."""
    rows = (
        member_periods_on(day, under=unit, restated=restated)
        .values("status")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {r["status"]: r["n"] for r in rows if r["n"]}


EVENTS = [D(2011, 6, 1), D(2012, 3, 1), D(2013, 3, 1), D(2016, 4, 1), D(2017, 4, 1),
          D(2018, 1, 31), D(2019, 5, 2), D(2020, 1, 5), D(2020, 5, 2), D(2021, 12, 31),
          D(2022, 6, 10), D(2023, 2, 3), D(2023, 2, 20), D(2024, 9, 30), D(2024, 11, 5),
          D(2025, 3, 15), D(2025, 7, 1), D(2025, 8, 1), D(2026, 1, 31)]  # fmt: skip


def days() -> list[dt.date]:
    """Around every day the scenarios below write (the day before, the day, the day
    after, its month's first and last day, the next month's first) and every 1 January:
    where a month's flows and its first days meet."""
    out = {D(y, 1, 1) for y in range(2010, 2028)}
    one = dt.timedelta(days=1)
    for e in EVENTS:
        first = e.replace(day=1)
        nxt = D(e.year + (e.month == 12), e.month % 12 + 1, 1)
        out |= {e - one, e, e + one, first, nxt - one, nxt}
    return sorted(out)


def check(units: list[Any], *, restated: bool = False) -> int:
    """Flows == rows for each unit the flows serve, on ``days()``; returns how many
    comparisons were made with the flows."""
    served = 0
    for unit in units:
        paths = org_history.paths_of(unit, restated=restated)
        unit.__dict__.pop("_paths_of", None)  # the tree may have changed since
        for day in days():
            expected = from_rows(unit, day, restated)
            if flows.serves(paths):
                got = flows.counts_on(paths, day, MEMBER_STATUSES)
                assert {s: n for s, n in got.items() if n} == expected, (unit.code, day)
                served += 1
            assert member_counts_on(unit, day, restated=restated) == expected, (unit.code, day)
    return served


@pytest.fixture
def people(tree: Any) -> dict[str, Any]:
    """Members over the years in both districts: recognized, removed, re-admitted, moved
    between cells and districts, one admitted and removed within a month."""
    p = {
        "old": make_member(tree.cell, "Hoàng Văn An", D(2012, 3, 1)),
        "mid": make_member(tree.other_cell, "Lý Thị Bích", D(2019, 5, 2)),
        "new": make_member(tree.cell, "Nông Văn Cường", D(2024, 9, 30)),
        "gc": make_member(tree.grassroots_cell, "Ma Thị Dung", D(2018, 1, 31)),
        "b": make_member(tree.sibling_cell, "Triệu Văn Em", D(2016, 4, 1)),
        "gone": make_member(tree.other_cell, "Hà Văn Phúc", D(2011, 6, 1)),
        "brief": make_member(tree.cell, "Lò Văn Giang", D(2023, 2, 3)),
    }
    membership_event_add(actor=None, person=p["old"], kind="recognized", date=D(2013, 3, 1))
    membership_event_add(actor=None, person=p["mid"], kind="recognized", date=D(2020, 5, 2))
    membership_event_add(actor=None, person=p["gone"], kind="removed", date=D(2024, 11, 5))
    membership_event_add(actor=None, person=p["brief"], kind="removed", date=D(2023, 2, 20))
    membership_event_add(
        actor=None, person=p["gc"], kind="moved", date=D(2021, 12, 31), org_unit=tree.sibling_cell
    )
    return p


def all_units(tree: Any) -> list[Any]:
    return [tree.province, tree.district, tree.sibling, tree.grassroots, tree.cell,
            tree.other_cell, tree.grassroots_cell, tree.sibling_grassroots, tree.sibling_cell]  # fmt: skip


@postgresql
def test_the_triggers_are_installed() -> None:
    assert flows.installed(connection)


@postgresql
def test_flows_equal_rows_on_every_day(tree: Any, people: dict[str, Any]) -> None:
    assert check(all_units(tree)) > 0
    # the top of the tree is read from the flows: no pass over the periods
    assert flows.serves(org_history.paths_of(tree.province))
    assert flows.serves(org_history.paths_of(tree.district))
    assert not flows.serves(org_history.paths_of(tree.cell))


@postgresql
def test_flows_follow_later_writes_and_changes_of_the_tree(
    tree: Any, people: dict[str, Any]
) -> None:
    units = all_units(tree)
    # an event in the past rewrites the person's periods (delete + insert)
    membership_event_add(actor=None, person=people["b"], kind="recognized", date=D(2017, 4, 1))
    membership_event_add(
        actor=None, person=people["new"], kind="transferred_out", date=D(2025, 3, 15)
    )
    check(units)
    # a cell moves to the other district on 1/7/2025: periods are cut and their paths change
    org_unit_move(
        actor=None, unit=tree.other_cell, new_parent=tree.sibling_grassroots, date=D(2025, 7, 1)
    )
    check(units)
    # B is merged into A on 1/8/2025 (its subtree moves under A)
    org_unit_merge(actor=None, units=[tree.sibling], into=tree.district, date=D(2025, 8, 1))
    check(units)
    check([tree.district, tree.province], restated=True)  # A with B's history
    # a new top-level committee with its own member, written in the future too
    top = org_unit_create(
        actor=None, code="Q", name="Đảng bộ tỉnh Mới", kind="province", parent=None
    )
    cell = org_unit_create(actor=None, code="Q-1", name="Chi bộ Mới", kind="cell", parent=top)
    make_member(cell, "Vi Văn Hòa", D(2026, 1, 31))
    check([*units, top])


@postgresql
def test_flows_see_raw_sql_and_queryset_writes(tree: Any, people: dict[str, Any]) -> None:
    """The triggers, not the services, keep the flows: a write that bypasses every
    service (a queryset update or delete, raw SQL) is followed too."""
    units = [tree.province, tree.district, tree.sibling]
    period = MembershipPeriod.objects.filter(person=people["old"], status="official").get()
    MembershipPeriod.objects.filter(pk=period.pk).update(end=D(2022, 6, 10))
    check(units)
    MembershipPeriod.objects.filter(person=people["mid"]).delete()
    check(units)
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO people_membershipperiod (person_id, org_unit_id, status, start, "end", path) '
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                people["mid"].pk,
                tree.sibling_cell.pk,
                "official",
                D(2020, 1, 1),
                None,
                tree.sibling_cell.path,
            ],
        )
    check(units)


def _summed() -> dict[tuple[Any, str, str], tuple[int, int]]:
    rows = MemberFlow.objects.values("month", "key", "status").annotate(
        s=Sum("starts"), e=Sum("ends")
    )
    return {(r["month"], r["key"], r["status"]): (r["s"], r["e"]) for r in rows if r["s"] or r["e"]}


@postgresql
def test_compact_and_rebuild_keep_the_sums(tree: Any, people: dict[str, Any]) -> None:
    before = _summed()
    n_rows = MemberFlow.objects.count()
    left = flows.compact()
    assert left == MemberFlow.objects.count() == len(before) < n_rows
    assert _summed() == before
    flows.rebuild()
    assert _summed() == before
    check([tree.province, tree.district])


def test_tree_totals_from_flows_and_rows_in_one_query(
    tree: Any, people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    units = all_units(tree)
    for day in (D(2019, 12, 31), D(2024, 11, 5), D(2026, 1, 1)):
        paths = {u.pk: org_history.path_on(u, day) for u in units}
        with django_assert_num_queries(1):  # the flows' nodes and the deeper ones
            totals = member_totals_on(list(paths.values()), day)
        for u in units:
            assert totals.get(paths[u.pk], 0) == sum(from_rows(u, day).values()), (u.code, day)


@postgresql
@pytest.mark.django_db(transaction=True)
def test_flush_leaves_no_flow_and_the_triggers(tree: Any) -> None:
    make_member(tree.cell, "Lò Văn Một", D(2020, 1, 1))
    assert MemberFlow.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not MemberFlow.objects.exists() and not MembershipPeriod.objects.exists()
    assert flows.installed(connection)


@postgresql
def test_a_bulk_write_adds_few_flow_rows_on_postgresql(tree: Any) -> None:
    """The triggers run once per statement over its rows: 300 periods of one month and
    cell written at once add one row per level of key, not 300 or 600."""
    from ptdv.people.models import Person

    people = Person.objects.bulk_create(
        Person(full_name=f"Người {i}", date_of_birth=D(1990, 1, 1), org_unit=tree.cell)
        for i in range(300)
    )
    before = MemberFlow.objects.count()
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(
            person=p,
            org_unit=tree.cell,
            status="official",
            start=D(2020, 1, 5),
            path=tree.cell.path,
        )
        for p in people
    )
    assert MemberFlow.objects.count() - before == len(flows.LEVELS)
    assert member_counts_on(tree.province, D(2020, 1, 31)) == {"official": 300}


@postgresql
def test_compactflows_command(tree: Any, people: dict[str, Any]) -> None:
    import io

    before = _summed()
    out = io.StringIO()
    call_command("compactflows", stdout=out)
    assert f"{len(before)} dòng" in out.getvalue()
    MemberFlow.objects.all().delete()  # lost: --rebuild recomputes them from the periods
    call_command("compactflows", "--rebuild", stdout=io.StringIO())
    assert _summed() == before
    check([tree.province, tree.district])


def test_on_sqlite_the_counts_come_from_the_periods(tree: Any, people: dict[str, Any]) -> None:
    """SQLite (a district, the demo) keeps no flows: no trigger, nothing written, the
    counts read from the periods — the same numbers."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite")
    assert not flows.installed(connection) and not MemberFlow.objects.exists()
    assert not flows.serves(org_history.paths_of(tree.province))
    assert flows.compact() == 0
    for day in (D(2019, 12, 31), D(2024, 11, 5), D(2026, 1, 1)):
        for unit in (tree.province, tree.district):
            assert member_counts_on(unit, day) == from_rows(unit, day)
