"""Reads for restructuring: what a unit holds (members on a date, open cases, sources,
villages), the operations that can be undone and why one cannot, and the preview of an
operation (the real operation inside a transaction that is rolled back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ptdv.access.models import Position
from ptdv.admissions.models import OPEN_STAGES, AdmissionCase, SourceEntry
from ptdv.organizations import history
from ptdv.organizations import services as orgs
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitVersion,
    ResidentialUnit,
    Restructuring,
)
from ptdv.people.models import MembershipEvent, Person
from ptdv.people.selectors import member_periods_on, members_on

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


# --- what a unit keeps, and why an operation cannot be undone -------------------------


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- what a unit keeps --------------------------------------------------------------


def direct_members(unit: OrgUnit, day: dt.date) -> list[Person]:
    """Members kept by ``unit`` itself (not its subordinate cells) on ``day``."""
    ids = member_periods_on(day, kept_by=unit).values("person_id")
    return list(Person.objects.filter(pk__in=ids).order_by("sort_key", "id"))


def open_cases(unit: OrgUnit) -> list[AdmissionCase]:
    return list(
        AdmissionCase.objects.filter(org_unit=unit, stage__in=list(OPEN_STAGES))
        .select_related("person")
        .order_by("id")
    )


def villages_of(unit: OrgUnit) -> list[ResidentialUnit]:
    return list(ResidentialUnit.objects.filter(org_unit=unit).order_by("name", "id"))


def _carry_problem(op: Restructuring) -> str | None:
    """Why what was carried cannot be put back: something recorded later builds on it."""
    for item in op.payload.get("carried", []):
        if item[0] == "event":
            ev = MembershipEvent.objects.filter(pk=item[1]).first()
            if ev is None:
                return _("A membership move of this change was deleted since.")
            later = MembershipEvent.objects.filter(person_id=item[2], pk__gt=ev.pk).first()
            if later is not None:
                return _(
                    "%(name)s has a membership event recorded after this change (%(date)s): "
                    "undo it first."
                ) % {"name": ev.person.full_name, "date": _d(later.date)}
        if item[0] == "source_carried":
            copy = SourceEntry.objects.filter(pk=item[3]).select_related("person").first()
            if copy is None:
                return _("A source entry carried by this change was deleted since.")
            if copy.status != item[2] or copy.notes.exists():
                return _(
                    "%(name)s's source entry on the successor's list was worked on after "
                    "this change: undo that first."
                ) % {"name": copy.person.full_name}
        if item[0] == "position_new" and not Position.objects.filter(pk=item[1]).exists():
            return _("A position created by this change was deleted since.")
    return None


# --- undo ------------------------------------------------------------------------------


def undo_problem(op: Restructuring) -> str | None:
    """Why ``op`` cannot be undone now (something recorded later depends on it), or None."""
    problem = orgs.restructuring_undo_problem(op)
    if problem:
        return problem
    problem = _carry_problem(op)
    if problem:
        return problem
    created = op.payload.get("created_units", [])
    later = (
        OrgUnitVersion.objects.filter(unit_id__in=created)
        .exclude(pk__in=op.payload.get("created_unit_versions", []))
        .exclude(restructuring__isnull=False, restructuring__parent_op=op)
        .exclude(restructuring=op)
        .select_related("unit")
        .first()
    )
    if later is not None:
        return _("A later change of %(unit)s (from %(date)s) depends on it: undo that first.") % {
            "unit": later.unit.name,
            "date": _d(later.valid_from),
        }
    return None
