"""One operation at a time (the wizard): create, merge, split, dissolve, move, rename a
unit, each carrying what the units keep (``carry``), and the undo of an operation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import check_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations import services as orgs
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitVersion,
    Restructuring,
)
from ptdv.restructuring.selectors import direct_members, open_cases, undo_problem, villages_of
from ptdv.restructuring.services.carry import (
    DAY,
    Carry,
    carry_records,
    refresh_open_cases,
    uncarry_records,
)

AUDIT_LABELS = {
    "restructuring.applied": gettext_lazy("Restructuring applied"),
    "restructuring.undone": gettext_lazy("Restructuring undone"),
}


@dataclass
class Decision:
    number: str = ""
    date: dt.date | None = None
    body: str = ""


# --- one operation at a time (the wizard) ----------------------------------------------


def create_unit(
    *,
    actor: Any,
    code: str,
    name: str,
    parent: OrgUnit | None,
    like: OrgUnit,
    date: dt.date,
    authorised: bool | None = None,
) -> OrgUnit:
    """A successor created for an operation (audited with it, deleted by its undo): the
    kind, sector and area of ``like``, valid from ``date``."""
    flags = {f: getattr(like, f) for f in ("mountainous", "ethnic_minority_area", "border")}
    return orgs.org_unit_create(
        actor=actor,
        code=code,
        name=name,
        kind=like.kind,
        parent=parent,
        sector=like.sector,
        authorised_to_admit=like.authorised_to_admit if authorised is None else authorised,
        valid_from=date,
        audit=False,
        **flags,
    )


def _adopt(op: Restructuring, created: list[OrgUnit]) -> None:
    """Record the units created for ``op``: its undo deletes them."""
    for unit in created:
        op.payload.setdefault("created_units", []).append(unit.pk)
        op.payload.setdefault("created_unit_versions", []).extend(
            OrgUnitVersion.objects.filter(unit=unit).values_list("pk", flat=True)
        )
        OrgUnitChange.objects.create(
            org_unit=unit,
            kind=OrgUnitChange.Kind.CREATED,
            date=unit.valid_from,
            new_name=unit.name,
            new_parent=unit.parent,
            decision=op.decision_number,
            restructuring=op,
        )


def _new_op(actor: Any, kind: str, day: dt.date, decision: Decision, summary: str) -> Restructuring:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Restructuring.objects.create(
        kind=kind,
        date=day,
        decision_number=decision.number,
        decision_date=decision.date,
        decision_body=decision.body,
        summary=summary[:500],
        created_by=user,
        payload={"created_versions": [], "ended_versions": [], "edited_versions": []},
    )


def _check_decision(decision: Decision, day: dt.date) -> None:
    if not decision.number.strip():
        raise DomainError(_("The decision number is required."), field="decision_number")
    if decision.date is not None and decision.date > timezone.localdate():
        raise DomainError(_("The decision date cannot be in the future."), field="decision_date")


def _done(actor: Any, op: Restructuring, units: list[OrgUnit], unit: OrgUnit) -> None:
    op.payload["units"] = sorted({u.pk for u in units})
    op.save(update_fields=["payload"])
    audit_operation(actor, op, unit)


def audit_operation(
    actor: Any, op: Restructuring, unit: OrgUnit | None, created: list[str] | None = None
) -> None:
    data: dict[str, Any] = {
        "kind": op.kind,
        "date": op.date,
        "decision": op.decision_label,
        "note": op.summary,
    }
    if created:
        data["created"] = ", ".join(created)
    record(action="restructuring.applied", actor=actor, target=op, org_unit=unit, data=data)


@transaction.atomic
def merge(
    *,
    actor: Any,
    units: list[OrgUnit],
    into: OrgUnit,
    date: dt.date,
    decision: Decision,
    carry: Carry | None = None,
    created: list[OrgUnit] | None = None,
) -> Restructuring:
    """Merge ``units`` into ``into`` from ``date``: their subordinate organizations move
    under ``into``, what they keep goes where ``carry`` says (default: ``into``)."""
    _check_decision(decision, date)
    if not units:
        raise DomainError(_("Choose the organizations to merge."), field="units")
    for u in units:
        check_perm(actor, "orgs.edit", u)
    op = _new_op(
        actor,
        Restructuring.Kind.MERGE,
        date,
        decision,
        ", ".join(u.name for u in units) + f" → {into.name}",
    )
    _adopt(op, created or [])
    carry = carry or Carry()
    carry.default = carry.default or into
    for u in units:
        carry_records(actor, op, u, date, carry)
    orgs.org_unit_merge(actor=actor, units=units, into=into, date=date, op=op)
    refresh_open_cases(op, [u.pk for u in units])
    _done(actor, op, [*units, into], units[0])  # not ``into``: it may be new (undo deletes it)
    return op


@transaction.atomic
def split(
    *,
    actor: Any,
    unit: OrgUnit,
    parts: list[tuple[OrgUnit, list[OrgUnit]]],
    date: dt.date,
    decision: Decision,
    carry: Carry,
    created: list[OrgUnit] | None = None,
) -> Restructuring:
    """Split ``unit`` into the successors of ``parts`` from ``date``. Every member, open
    case and village it keeps must be assigned to one successor (``carry.*_each``)."""
    _check_decision(decision, date)
    check_perm(actor, "orgs.edit", unit)
    heirs = {h.pk for h, _k in parts}
    problems: list[str] = []
    for label, records, each in (
        (_("members"), direct_members(unit, date), carry.members_each),
        (_("open admission cases"), open_cases(unit), carry.cases_each),
        (_("villages"), villages_of(unit), carry.villages_each),
    ):
        missing = [str(r) for r in records if r.pk not in each]
        wrong = [str(r) for r in records if r.pk in each and each[r.pk].pk not in heirs]
        if missing:
            problems.append(
                _("%(what)s not assigned: %(names)s")
                % {"what": label, "names": ", ".join(missing[:10])}
            )
        if wrong:
            problems.append(
                _("%(what)s assigned outside the successors: %(names)s")
                % {"what": label, "names": ", ".join(wrong[:10])}
            )
    if problems:
        raise DomainError(
            _("Every member, case and village must go to a successor. %(problems)s.")
            % {"problems": "; ".join(problems)},
            field="parts",
            code="split_unassigned",
        )
    op = _new_op(
        actor,
        Restructuring.Kind.SPLIT,
        date,
        decision,
        f"{unit.name} → " + ", ".join(h.name for h, _k in parts),
    )
    _adopt(op, created or [])
    carry_records(actor, op, unit, date, carry)
    orgs.org_unit_split(actor=actor, unit=unit, parts=parts, date=date, op=op)
    refresh_open_cases(op, [unit.pk])
    _done(actor, op, [unit, *(h for h, _k in parts)], unit)
    return op


@transaction.atomic
def dissolve(
    *,
    actor: Any,
    unit: OrgUnit,
    date: dt.date,
    decision: Decision,
    carry: Carry | None = None,
) -> Restructuring:
    """``unit`` ends the day before ``date``; what it keeps goes where ``carry`` says
    (members to a cell, villages to a commune …); refused when something is left."""
    _check_decision(decision, date)
    check_perm(actor, "orgs.edit", unit)
    op = _new_op(actor, Restructuring.Kind.DISSOLVE, date, decision, unit.name)
    carry_records(actor, op, unit, date, carry or Carry())
    orgs.org_unit_close(actor=actor, unit=unit, date=date - DAY, op=op)
    refresh_open_cases(op, [unit.pk])
    _done(actor, op, [unit], unit)
    return op


@transaction.atomic
def move(
    *, actor: Any, unit: OrgUnit, new_parent: OrgUnit, date: dt.date, decision: Decision
) -> Restructuring:
    _check_decision(decision, date)
    op = _new_op(actor, Restructuring.Kind.MOVE, date, decision, f"{unit.name} → {new_parent.name}")
    orgs.org_unit_move(actor=actor, unit=unit, new_parent=new_parent, date=date, op=op)
    _done(actor, op, [unit, new_parent], unit)
    return op


@transaction.atomic
def rename(
    *, actor: Any, unit: OrgUnit, new_name: str, date: dt.date, decision: Decision
) -> Restructuring:
    _check_decision(decision, date)
    op = _new_op(actor, Restructuring.Kind.RENAME, date, decision, f"{unit.name} → {new_name}")
    orgs.org_unit_rename(actor=actor, unit=unit, new_name=new_name, date=date, op=op)
    _done(actor, op, [unit], unit)
    return op


@transaction.atomic
def restructure_undo(*, actor: Any, op: Restructuring) -> None:
    """Put everything back as it was before ``op``: the records carried, the tree, and
    the units the operation created."""
    op = Restructuring.objects.select_for_update().get(pk=op.pk)
    if actor is not None and not getattr(actor, "is_superuser", False):
        from ptdv.restructuring.selectors import operation_unit_ids

        for unit in OrgUnit.objects.filter(pk__in=operation_unit_ids(op)):
            check_perm(actor, "orgs.edit", unit)
    problem = undo_problem(op)
    if problem:
        raise DomainError(problem, code="undo_refused")
    uncarry_records(op)
    orgs.restructuring_undo(actor=actor, op=op)
    created = op.payload.get("created_units", [])
    for unit_id in reversed(created):
        new_unit = OrgUnit.objects.filter(pk=unit_id).first()
        if new_unit is None:
            continue
        try:
            with transaction.atomic():
                OrgUnitChange.objects.filter(org_unit=new_unit).delete()
                OrgUnitVersion.objects.filter(unit=new_unit).delete()
                new_unit.delete()
        except ProtectedError:
            raise DomainError(
                _("%(unit)s, created by this change, is already used elsewhere.")
                % {"unit": new_unit.name},
                code="undo_refused",
            )
    record(
        action="restructuring.undone",
        actor=actor,
        target=op,
        data={"kind": op.kind, "date": op.date, "note": op.summary},
    )
