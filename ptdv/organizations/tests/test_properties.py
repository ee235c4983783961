"""Property tests of the dated tree: random sequences of creations, moves, merges, splits,
dissolutions, admissions, moves of members between cells and transfers out.

For every date: the members summed over the units valid on that date equal the people
whose membership spans it (nobody lost, nobody counted twice, nobody kept by a closed
unit); each member sits in exactly one top-level branch; and every figure for a date
before an operation's effective date is the same after the operation is recorded. A
refused operation changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit, OrgUnitVersion
from ptdv.organizations.services import (
    org_unit_close,
    org_unit_create,
    org_unit_merge,
    org_unit_move,
    org_unit_rename,
    org_unit_split,
)
from ptdv.people.models import MembershipPeriod
from ptdv.people.selectors import members_as_of
from ptdv.people.services import membership_event_add, person_create

D = dt.date
DAY = dt.timedelta(days=1)
START = D(2001, 1, 1)
LAST = D(2026, 11, 30)
HOLDING = ("cell", "grassroots_cell")  # kinds that keep members directly

step = st.tuples(
    st.sampled_from(
        ["admit", "admit", "move_member", "out", "move_unit", "merge", "split", "rename"]
        + ["close_cell", "new_cell"]
    ),
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=1, max_value=900),  # days after the previous step
)


@dataclass
class World:
    """What should be true, kept beside the database by plain Python."""

    admitted: dict[int, dt.date] = field(default_factory=dict)  # person pk -> admission
    out: dict[int, dt.date] = field(default_factory=dict)  # person pk -> transfer out
    dates: list[dt.date] = field(default_factory=list)  # every step's date
    seq: int = 0

    def members_on(self, day: dt.date) -> set[int]:
        return {
            pk
            for pk, a in self.admitted.items()
            if a <= day and (pk not in self.out or day < self.out[pk])
        }

    def active(self, day: dt.date) -> set[int]:
        return {pk for pk, a in self.admitted.items() if a <= day and pk not in self.out}


def valid_units(day: dt.date, kinds: tuple[str, ...] | None = None) -> list[OrgUnit]:
    vs = history.versions_on(day).select_related("unit").order_by("unit__code")
    units = [v.unit for v in vs]
    return [u for u in units if kinds is None or u.kind in kinds]


def pick(items: list[Any], i: int) -> Any:
    return items[i % len(items)] if items else None


def fresh(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)  # no path cache from an earlier state


def snapshot(
    world: World, before: dt.date, codes: set[str] | None = None
) -> dict[tuple[str, dt.date], int]:
    """Members of every unit that existed (of ``codes`` when given), on every checkpoint
    before ``before``: the periods spanning each day, matched to each unit by the paths it
    ever had (what ``members_as_of`` filters on), one query per day."""
    days = sorted({d for x in world.dates for d in (x - DAY, x) if d < before} | {before - DAY})
    units = OrgUnit.objects.exclude(kind__in=HOLDING)
    if codes is not None:
        units = units.filter(code__in=codes)
    paths = {u.code: tuple(history.paths_of(fresh(u))) for u in units}
    out = {}
    for d in days:
        rows = set(
            MembershipPeriod.objects.filter(status__in=["probationary", "official"], start__lte=d)
            .filter(Q(end__isnull=True) | Q(end__gt=d))
            .values_list("person_id", "path")
        )
        for code, prefixes in paths.items():
            out[(code, d)] = len({p for p, path in rows if path.startswith(prefixes)})
    return out


def check_dates(world: World, day: dt.date) -> None:
    """The invariants on ``day``."""
    expected = world.members_on(day)
    province = fresh(OrgUnit.objects.get(code="P"))
    assert set(members_as_of(province, day).values_list("pk", flat=True)) == expected, day
    spanning = MembershipPeriod.objects.filter(
        status__in=["probationary", "official"], start__lte=day
    ).filter(Q(end__isnull=True) | Q(end__gt=day))
    # summed over the units valid on the date: everybody once
    valid = {u.pk for u in valid_units(day)}
    kept = list(spanning.values_list("person_id", "org_unit_id"))
    assert sorted(p for p, _u in kept) == sorted(expected), day
    assert all(u in valid for _p, u in kept), f"a member kept by a closed unit on {day}"
    # each member in exactly one top-level branch of that date
    tops = [
        u
        for u in valid_units(day)
        if history.parent_on(u, day) and history.parent_on(u, day).code == "P"
    ]
    total = sum(members_as_of(fresh(t), day).count() for t in tops)
    assert total == len(expected), day


def run_step(world: World, tree: Any, kind: str, a: int, b: int, day: dt.date) -> None:
    world.seq += 1
    n = world.seq
    holding = valid_units(day, HOLDING)
    grassroots = valid_units(day, ("grassroots_committee",))
    districts = valid_units(day, ("district",))
    active = sorted(world.active(day - DAY))
    if kind == "admit" and holding:
        cell = pick(holding, a)
        p = person_create(
            actor=None,
            org_unit=cell,
            full_name=f"Người Thứ {n}",
            date_of_birth=D(1980, 1, 1),
            gender="male",
            ethnicity="01",
        )
        membership_event_add(
            actor=None, person=p, kind="admitted", date=day, org_unit=cell, audit=False
        )
        world.admitted[p.pk] = day
    elif kind == "move_member" and active and holding:
        from ptdv.people.models import Person

        p = Person.objects.get(pk=pick(active, a))
        membership_event_add(
            actor=None, person=p, kind="moved", date=day, org_unit=pick(holding, b), audit=False
        )
    elif kind == "out" and active:
        from ptdv.people.models import Person

        p = Person.objects.get(pk=pick(active, a))
        membership_event_add(actor=None, person=p, kind="transferred_out", date=day, audit=False)
        world.out[p.pk] = day
    elif kind == "move_unit" and grassroots and districts:
        org_unit_move(actor=None, unit=pick(grassroots, a), new_parent=pick(districts, b), date=day)
    elif kind == "merge" and len(grassroots) >= 2:
        src = pick(grassroots, a)
        into = pick([g for g in grassroots if g.pk != src.pk], b)
        org_unit_merge(actor=None, units=[src], into=into, date=day)
    elif kind == "split" and grassroots:
        unit = pick(grassroots, a)
        parent = history.parent_on(unit, day)
        heirs = [
            org_unit_create(
                actor=None,
                code=f"S{n}-{i}",
                name=f"Đảng bộ Tách {n}-{i}",
                kind="grassroots_committee",
                parent=parent,
                valid_from=day,
            )
            for i in (1, 2)
        ]
        kids = [v.unit for v in history.versions_on(day).filter(parent_id=unit.pk)]
        org_unit_split(
            actor=None,
            unit=unit,
            parts=[(heirs[0], kids[::2]), (heirs[1], kids[1::2])],
            date=day,
        )
    elif kind == "rename":
        org_unit_rename(actor=None, unit=pick(valid_units(day), a), new_name=f"Tên {n}", date=day)
    elif kind == "close_cell" and holding:
        org_unit_close(actor=None, unit=pick(holding, a), date=day)
    elif kind == "new_cell" and grassroots:
        org_unit_create(
            actor=None,
            code=f"C{n}",
            name=f"Chi bộ Mới {n}",
            kind="cell",
            parent=pick(grassroots, a),
            valid_from=day,
        )


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=9))
def test_random_restructurings_keep_every_member_once_and_the_past_unchanged(
    tree: Any, steps: list[tuple[str, int, int, int]]
) -> None:
    with transaction.atomic():
        world = World()
        day = D(2005, 1, 1)
        for kind, a, b, gap in steps:
            day = day + dt.timedelta(days=gap)
            if day > LAST:
                break
            past = snapshot(world, day)
            versions = OrgUnitVersion.objects.count()
            periods = MembershipPeriod.objects.count()
            try:
                with transaction.atomic():
                    run_step(world, tree, kind, a, b, day)
                event(f"{kind} recorded")
            except DomainError:
                event(f"{kind} refused")
                # refused: nothing changed
                assert OrgUnitVersion.objects.count() == versions
                assert MembershipPeriod.objects.count() == periods
            world.dates.append(day)
            # what was true before the step's date is unchanged
            assert snapshot(world, day, {c for c, _d in past}) == past, (kind, day)
        for d in sorted({x for w in world.dates for x in (w - DAY, w)} | {LAST}):
            check_dates(world, d)
        transaction.set_rollback(True)
