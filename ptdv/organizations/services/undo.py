"""Undoing an operation on the tree as a whole, and why it cannot be undone now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitLineage,
    OrgUnitVersion,
    Restructuring,
)
from ptdv.organizations.services.dated import date_text, sync_current, tree_changed, undo_checks


def _steps_of(op: Restructuring) -> list[Restructuring]:
    out = [op]
    for child in op.steps.all().order_by("id"):
        out.extend(_steps_of(child))
    return out


def restructuring_undo_problem(op: Restructuring) -> str | None:
    """Why ``op`` cannot be undone now, or None: something recorded later builds on it."""
    if op.undone_at is not None:
        return _("This change was already undone.")
    if op.parent_op_id is not None:
        return _("This change is a step of a larger one: undo that one.")
    steps = _steps_of(op)
    ids = [s.pk for s in steps]
    created = [v for s in steps for v in s.payload.get("created_versions", [])]
    units = set(
        OrgUnitVersion.objects.filter(restructuring_id__in=ids).values_list("unit_id", flat=True)
    ) | {s.payload["closed"][0] for s in steps if s.payload.get("closed")}
    later = (
        OrgUnitVersion.objects.filter(unit_id__in=units, valid_from__gt=op.date)
        .exclude(pk__in=created)
        .exclude(restructuring_id__in=ids)
        .select_related("unit")
        .first()
    )
    if later is not None:
        return _("A later change of %(unit)s (from %(date)s) depends on it: undo that first.") % {
            "unit": later.unit.name,
            "date": date_text(later.valid_from),
        }
    reopened = OrgUnit.objects.filter(
        pk__in=[s.payload["closed"][0] for s in steps if s.payload.get("closed")]
    ).filter(valid_to__isnull=True)
    if reopened.exists():
        return _("An organization this change closed was reopened since.")
    for check in undo_checks:
        problem = check(op, sorted(units))
        if problem:
            return problem
    return None


@transaction.atomic
def restructuring_undo(*, actor: Any, op: Restructuring) -> None:
    """Put the tree back exactly as it was before ``op`` (and its steps)."""
    op = Restructuring.objects.select_for_update().get(pk=op.pk)
    problem = restructuring_undo_problem(op)
    if problem:
        raise DomainError(problem)
    steps = _steps_of(op)
    units: set[int] = set()
    for s in reversed(steps):
        p = s.payload
        created = p.get("created_versions", [])
        units |= set(
            OrgUnitVersion.objects.filter(pk__in=created).values_list("unit_id", flat=True)
        )
        OrgUnitVersion.objects.filter(pk__in=created).delete()
        for pk, before in p.get("edited_versions", []):
            OrgUnitVersion.objects.filter(pk=pk).update(**before)
            units |= set(OrgUnitVersion.objects.filter(pk=pk).values_list("unit_id", flat=True))
        for pk, old_to in reversed(p.get("ended_versions", [])):
            OrgUnitVersion.objects.filter(pk=pk).update(
                valid_to=dt.date.fromisoformat(old_to) if old_to else None
            )
            units |= set(OrgUnitVersion.objects.filter(pk=pk).values_list("unit_id", flat=True))
        if p.get("closed"):
            unit_id, successor_id = p["closed"]
            OrgUnit.objects.filter(pk=unit_id).update(valid_to=None, successor_id=successor_id)
            units.add(unit_id)
        OrgUnitLineage.objects.filter(restructuring=s).delete()
        OrgUnitChange.objects.filter(restructuring=s).delete()
    Restructuring.objects.filter(pk__in=[s.pk for s in steps]).update(undone_at=timezone.now())
    sync_current(sorted(units))
    tree_changed.send(sender=Restructuring, unit_ids=sorted(units), since=op.date, op=op)
    record(
        action="organizations.restructuring.undone",
        actor=actor,
        target=op,
        data={"kind": op.kind, "date": op.date, "summary": op.summary},
    )
