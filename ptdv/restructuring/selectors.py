"""Reads for restructuring: what a unit holds (members on a date, open cases, sources,
villages), the operations that can be undone, and the preview of an operation (the real
operation inside a transaction that is rolled back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from ptdv.admissions.models import OPEN_STAGES, AdmissionCase, SourceEntry
from ptdv.organizations.models import OrgUnit, ResidentialUnit, Restructuring
from ptdv.people.selectors import members_on

DAY = dt.timedelta(days=1)
COUNTED = ("members", "cases", "sources", "villages")


def unit_counts(unit: OrgUnit, day: dt.date) -> dict[str, int]:
    """Members of the unit's subtree on ``day`` (the tree valid then), and the open cases,
    open source entries and villages of its subtree now."""
    unit = OrgUnit.objects.get(pk=unit.pk)  # fresh: paths are remembered on the instance
    return {
        "members": members_on(unit, day).count(),
        "cases": AdmissionCase.objects.filter(
            org_unit__path__startswith=unit.path, stage__in=list(OPEN_STAGES)
        ).count(),
        "sources": SourceEntry.objects.filter(source_list__org_unit__path__startswith=unit.path)
        .exclude(
            status__in=[
                SourceEntry.Progress.REMOVED,
                SourceEntry.Progress.ADMITTED,
                SourceEntry.Progress.CARRIED,
            ]
        )
        .count(),
        "villages": ResidentialUnit.objects.filter(org_unit__path__startswith=unit.path).count(),
    }


@dataclass
class PreviewLine:
    code: str
    name: str
    before: dict[str, int]
    after: dict[str, int]


class _RollbackError(Exception):
    pass


def preview(
    apply: Callable[[], Any], units: Callable[[], Iterable[OrgUnit]], day: dt.date
) -> list[PreviewLine]:
    """Run ``apply`` for real inside a transaction that is rolled back, and count, for each
    unit of ``units()`` (asked before and after), what it holds the day before ``day``
    and on ``day``. Errors of ``apply`` propagate (nothing changed)."""
    before: dict[int, tuple[OrgUnit, dict[str, int]]] = {}
    lines: list[PreviewLine] = []
    try:
        with transaction.atomic():
            for u in units():
                before[u.pk] = (u, unit_counts(u, day - DAY))
            apply()
            seen: set[int] = set()
            for u in [*[b[0] for b in before.values()], *units()]:
                if u.pk in seen:
                    continue
                seen.add(u.pk)
                fresh = OrgUnit.objects.get(pk=u.pk)
                after = unit_counts(fresh, day)
                was = before.get(u.pk, (u, dict.fromkeys(COUNTED, 0)))[1]
                lines.append(PreviewLine(fresh.code, fresh.name, was, after))
            raise _RollbackError
    except _RollbackError:
        pass
    return lines


def undoable_operations(limit: int = 30) -> QuerySet[Restructuring]:
    return Restructuring.objects.filter(parent_op__isnull=True, undone_at__isnull=True).order_by(
        "-created_at", "-id"
    )[:limit]


@dataclass
class SplitRecords:
    children: list[OrgUnit]
    members: list[Any]
    cases: list[Any]
    villages: list[ResidentialUnit]


def split_records(unit: OrgUnit, day: dt.date) -> SplitRecords:
    """What a split of ``unit`` on ``day`` must give out, one by one: its subordinate
    organizations then, the members it keeps itself, its open cases and villages."""
    from ptdv.organizations import history
    from ptdv.restructuring.services import direct_members, open_cases, villages_of

    children = [
        v.unit
        for v in history.versions_on(day)
        .filter(parent_id=unit.pk)
        .select_related("unit")
        .order_by("path")
    ]
    return SplitRecords(children, direct_members(unit, day), open_cases(unit), villages_of(unit))


def operations_for(user: Any, limit: int = 30) -> list[tuple[Restructuring, str | None]]:
    """The latest operations not undone whose units the user may all edit, each with why it
    cannot be undone (or None)."""
    from ptdv.access.permissions import has_perm
    from ptdv.restructuring.services import undo_problem

    out = []
    for op in Restructuring.objects.filter(parent_op__isnull=True, undone_at__isnull=True).order_by(
        "-created_at", "-id"
    )[: limit * 5]:
        units = list(OrgUnit.objects.filter(pk__in=operation_unit_ids(op)))
        if units and all(has_perm(user, "orgs.edit", u) for u in units):
            out.append((op, undo_problem(op)))
        if len(out) >= limit:
            break
    return out


def units_by_code(codes: list[str]) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(code__in=[c for c in codes if c]))


def operation_unit_ids(op: Restructuring) -> set[int]:
    """The units an operation touched: those it names, those whose versions it (or one of
    its steps) wrote, those it closed."""
    from ptdv.organizations.models import OrgUnitVersion

    ids = {op.pk}
    frontier = [op.pk]
    while frontier:
        frontier = list(
            Restructuring.objects.filter(parent_op_id__in=frontier).values_list("pk", flat=True)
        )
        ids |= set(frontier)
    steps = Restructuring.objects.filter(pk__in=ids)
    units = set(op.payload.get("units", []))
    units |= set(
        OrgUnitVersion.objects.filter(restructuring_id__in=ids).values_list("unit_id", flat=True)
    )
    units |= {s.payload["closed"][0] for s in steps if s.payload.get("closed")}
    return units
