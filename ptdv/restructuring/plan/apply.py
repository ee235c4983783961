"""Applying a checked plan as one operation (each row a step, undone as a whole), and its
preview (the same inside a transaction rolled back)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations import services as orgs
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitVersion,
    Restructuring,
    Sector,
)
from ptdv.restructuring import selectors, services
from ptdv.restructuring.plan.check import Checked, new_kind, plan_check
from ptdv.restructuring.plan.rows import DAY, PlanError, PlanRow, Problem, parse_rows, read_file

# --- applying --------------------------------------------------------------------------


def _create_units(actor: Any, checked: Checked, op: Restructuring) -> None:
    pending = dict(checked.new_units)
    created: list[int] = op.payload.setdefault("created_units", [])
    while pending:
        ready = [nu for nu in pending.values() if not nu.parent or nu.parent in checked.units]
        if not ready:  # a cycle among new units: reported by plan_check
            raise DomainError(_("The new units form a cycle."), field="new_parent")
        for nu in ready:
            parent = checked.units.get(nu.parent) if nu.parent else None
            kind = new_kind(nu, checked.units)
            sector = nu.olds[0].sector if nu.olds else Sector.PARTY_STATE_BODY
            authorised = (
                nu.authorised
                if nu.authorised is not None
                else any(o.authorised_to_admit for o in nu.olds)
            )
            flags: dict[str, Any] = {}  # the **flags of org_unit_create (bools)
            if nu.olds:
                for flag in ("mountainous", "ethnic_minority_area", "border", "island"):
                    flags[flag] = any(getattr(o, flag) for o in nu.olds)
            try:
                unit = orgs.org_unit_create(
                    actor=actor,
                    code=nu.code,
                    name=nu.name,
                    kind=kind,
                    parent=parent,
                    sector=sector,
                    authorised_to_admit=authorised,
                    valid_from=nu.date,
                    audit=False,  # audited with the plan (restructuring.applied)
                    **flags,
                )
            except DomainError as exc:
                raise PlanError([Problem(nu.row, "new_code", exc.message)])
            OrgUnitChange.objects.create(
                org_unit=unit,
                kind=OrgUnitChange.Kind.CREATED,
                date=nu.date,
                new_name=unit.name,
                new_parent=parent,
                decision=op.decision_number,
                restructuring=op,
            )
            created.append(unit.pk)
            op.payload.setdefault("created_unit_versions", []).extend(
                OrgUnitVersion.objects.filter(unit=unit).values_list("pk", flat=True)
            )
            checked.units[nu.code] = unit
            del pending[nu.code]


def _depth(u: OrgUnit) -> int:
    return u.depth


@transaction.atomic
def plan_apply(*, actor: Any, rows: list[PlanRow], summary: str = "") -> Restructuring:
    """Check the plan and apply it in one transaction; refused as a whole (PlanError)
    with every problem, nothing changed. Returns the plan's Restructuring record."""
    checked = plan_check(rows)
    if checked.problems:
        raise PlanError(checked.problems)
    first = rows[0]
    user = actor if getattr(actor, "is_authenticated", False) else None
    op = Restructuring.objects.create(
        kind=Restructuring.Kind.PLAN,
        date=checked.date,
        decision_number=first.decision_number,
        decision_date=first.decision_date,
        decision_body=first.decision_body,
        summary=(summary or _("Restructuring plan: %(n)s rows") % {"n": len(rows)})[:500],
        created_by=user,
        payload={"created_versions": [], "ended_versions": [], "edited_versions": []},
    )
    _create_units(actor, checked, op)
    order = sorted(
        (r for r in rows if r.old_code),
        key=lambda r: (-_depth(checked.units[r.old_code]), r.row),
    )
    closed: list[int] = []
    for r in order:
        try:
            with transaction.atomic():
                closed.extend(_apply_row(actor, op, checked, r))
        except DomainError as exc:
            if isinstance(exc, PlanError):
                raise
            column = {
                "new_parent": "new_parent",
                "new_name": "new_name",
                "merged_into": "new_code",
                "members": "new_code",
                "date": "date",
            }.get(exc.field or "", "old_code")
            raise PlanError([Problem(r.row, column, exc.message)])
    services.refresh_open_cases(op, closed)
    op.payload["units"] = sorted({u.pk for u in checked.units.values()})
    op.save(update_fields=["payload"])
    created = set(op.payload.get("created_units", []))
    kept = [u for u in checked.units.values() if u.pk not in created]
    top = min(kept, key=lambda u: (u.depth, u.path)) if kept else None  # where the log shows it
    services.audit_operation(
        actor, op, top, created=[checked.units[c].code for c in checked.new_units]
    )
    return op


def _step_kwargs(op: Restructuring, r: PlanRow) -> dict[str, Any]:
    return {
        "decision": r.decision_number,
        "decision_date": r.decision_date,
        "decision_body": r.decision_body,
        "op": op,
    }


def _apply_row(actor: Any, op: Restructuring, checked: Checked, r: PlanRow) -> list[int]:
    assert r.date is not None
    unit = OrgUnit.objects.get(pk=checked.units[r.old_code].pk)
    kw = _step_kwargs(op, r)
    if r.new_code == r.old_code:
        if r.new_parent:
            parent = checked.units[r.new_parent]
            if history.version_on(unit, r.date).parent_id != parent.pk:  # type: ignore[union-attr]
                orgs.org_unit_move(actor=actor, unit=unit, new_parent=parent, date=r.date, **kw)
        if r.new_name and r.new_name != unit.name:
            orgs.org_unit_rename(actor=actor, unit=unit, new_name=r.new_name, date=r.date, **kw)
        return []
    if not r.new_code:
        services.carry_records(actor, op, unit, r.date, services.Carry())
        orgs.org_unit_close(actor=actor, unit=unit, date=r.date - DAY, **kw)
        return [unit.pk]
    into = checked.units[r.new_code]
    services.carry_records(actor, op, unit, r.date, services.Carry(default=into))
    orgs.org_unit_merge(actor=actor, units=[unit], into=into, date=r.date, **kw)
    return [unit.pk]


def plan_units(checked_rows: list[PlanRow]) -> list[OrgUnit]:
    codes = {c for r in checked_rows for c in (r.old_code, r.new_code) if c}
    return list(OrgUnit.objects.filter(code__in=codes).order_by("path"))


def plan_preview(*, actor: Any, rows: list[PlanRow]) -> list[selectors.PreviewLine]:
    """Counts before and after per unit the plan names, the plan applied then rolled back.
    PlanError when the plan is refused."""
    checked = plan_check(rows)
    if checked.problems:
        raise PlanError(checked.problems)
    return selectors.preview(
        lambda: plan_apply(actor=actor, rows=rows), lambda: plan_units(rows), checked.date
    )


def load(path: Path) -> list[PlanRow]:
    """The plan rows of a file; PlanError on unreadable cells."""
    rows, problems = parse_rows(read_file(path))
    if problems:
        raise PlanError(problems)
    return rows
