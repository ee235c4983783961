"""Dated changes of the tree: rename, move, close, merge, split — each from its effective
date, recorded as an operation, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations import history
from ptdv.organizations.history import DAY
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitLineage,
    OrgUnitVersion,
    Restructuring,
)
from ptdv.organizations.services.dated import (
    closing_checks,
    cut_version,
    date_text,
    finish_change,
    operation_record,
    path_segment,
    refuse_later_changes,
    version_valid_on,
)


@transaction.atomic
def org_unit_rename(
    *,
    actor: Any,
    unit: OrgUnit,
    new_name: str,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> OrgUnit:
    """The unit carries ``new_name`` from ``date``; before it, its old name."""
    new_name = normalize_spaces(new_name)
    if not new_name:
        raise DomainError(_("The new name is required."), field="new_name")
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    version = version_valid_on(unit, date)
    refuse_later_changes([version.path], date)
    old = version.name
    step = operation_record(
        actor=actor,
        kind=Restructuring.Kind.RENAME,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=f"{old} → {new_name}",
        op=op,
    )
    cut_version(step, version, date, name=new_name)
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=OrgUnitChange.Kind.RENAMED,
        date=date,
        old_name=old,
        new_name=new_name,
        decision=step.decision_number,
        restructuring=step,
    )
    finish_change(step, [unit.pk], date)
    unit.refresh_from_db()
    record(
        action="organizations.unit.renamed",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"name": {"old": old, "new": new_name}, "date": date, "decision": decision},
    )
    return unit


@transaction.atomic
def org_unit_move(
    *,
    actor: Any,
    unit: OrgUnit,
    new_parent: OrgUnit,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> OrgUnit:
    """Attach the unit (and its whole subtree) to ``new_parent`` from ``date``. Versions
    that ended before stay as they were: reports of earlier periods do not change."""
    check_perm(actor, "orgs.edit", unit)
    check_perm(actor, "orgs.edit", new_parent)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    version = version_valid_on(unit, date)
    parent_version = history.version_on(new_parent, date)
    if parent_version is None:
        raise DomainError(
            _("The new parent organization is not valid on %(date)s.") % {"date": date_text(date)},
            field="new_parent",
        )
    if parent_version.path.startswith(version.path):
        raise DomainError(_("An organization cannot be moved under itself."), field="new_parent")
    if version.parent_id == new_parent.pk:
        raise DomainError(
            _("%(unit)s is already under %(parent)s on %(date)s.")
            % {"unit": unit.name, "parent": new_parent.name, "date": date_text(date)},
            field="new_parent",
        )
    refuse_later_changes([version.path], date)
    old_parent_id = version.parent_id
    old_prefix = version.path
    new_prefix = parent_version.path + path_segment(unit.pk)
    delta = parent_version.depth + 1 - version.depth
    step = operation_record(
        actor=actor,
        kind=Restructuring.Kind.MOVE,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=f"{unit.name} → {new_parent.name}",
        op=op,
    )
    affected = list(history.versions_on(date).filter(path__startswith=old_prefix).order_by("path"))
    for v in affected:
        changes: dict[str, Any] = {
            "path": new_prefix + v.path[len(old_prefix) :],
            "depth": v.depth + delta,
        }
        if v.unit_id == unit.pk:
            changes["parent_id"] = new_parent.pk
        cut_version(step, v, date, **changes)
    old_parent = (
        OrgUnit.objects.filter(pk=old_parent_id).first() if old_parent_id is not None else None
    )
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=OrgUnitChange.Kind.MOVED,
        date=date,
        old_parent=old_parent,
        new_parent=new_parent,
        decision=step.decision_number,
        restructuring=step,
    )
    finish_change(step, [v.unit_id for v in affected], date)
    unit.refresh_from_db()
    record(
        action="organizations.unit.moved",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"parent": {"old": str(old_parent), "new": str(new_parent)}, "date": date},
    )
    return unit


@transaction.atomic
def org_unit_close(
    *,
    actor: Any,
    unit: OrgUnit,
    date: dt.date,
    merged_into: OrgUnit | None = None,
    successors: list[OrgUnit] | None = None,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> OrgUnit:
    """The unit's last day is ``date`` (dissolved, merged into one successor or split
    into several). Its subordinate organizations must be attached elsewhere from the day
    after; what it was before stays."""
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if date < unit.valid_from:
        raise DomainError(
            _("%(unit)s only exists from %(from)s: it cannot end on %(date)s.")
            % {"unit": unit.name, "from": date_text(unit.valid_from), "date": date_text(date)},
            field="date",
        )
    if unit.valid_to is not None:
        raise DomainError(
            _("This organization is already closed (last day %(date)s).")
            % {"date": date_text(unit.valid_to)},
            field="date",
        )
    heirs = [*([merged_into] if merged_into else []), *(successors or [])]
    for heir in heirs:
        if heir.pk == unit.pk or history.version_on(heir, date + DAY) is None:
            raise DomainError(
                _("The organization it merges into must be another one, valid on %(date)s.")
                % {"date": date_text(date + DAY)},
                field="merged_into",
            )
    version = version_valid_on(unit, date)
    refuse_later_changes([version.path], date + DAY)
    children = list(
        history.versions_on(date + DAY).filter(parent_id=unit.pk).select_related("unit")
    )
    if children:
        raise DomainError(
            _(
                "Close or move its subordinate organizations first: %(names)s still belong "
                "to it on %(date)s."
            )
            % {
                "names": ", ".join(c.name for c in children[:5])
                + ("…" if len(children) > 5 else ""),
                "date": date_text(date + DAY),
            },
            field="date",
        )
    for check in closing_checks:
        check(unit, date)
    if heirs:
        kind = Restructuring.Kind.SPLIT if len(heirs) > 1 else Restructuring.Kind.MERGE
        change_kind = OrgUnitChange.Kind.SPLIT if len(heirs) > 1 else OrgUnitChange.Kind.MERGED
    else:
        kind, change_kind = Restructuring.Kind.DISSOLVE, OrgUnitChange.Kind.DISSOLVED
    step = operation_record(
        actor=actor,
        kind=kind,
        date=date + DAY,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=unit.name + (" → " + ", ".join(h.name for h in heirs) if heirs else ""),
        op=op,
    )
    step.payload["closed"] = [unit.pk, unit.successor_id]
    step.payload["ended_versions"].append([version.pk, None])
    OrgUnitVersion.objects.filter(pk=version.pk).update(valid_to=date)
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=change_kind,
        date=date,
        other=heirs[0] if heirs else None,
        decision=step.decision_number,
        restructuring=step,
    )
    for heir in heirs:
        OrgUnitLineage.objects.create(
            predecessor=unit, successor=heir, date=date + DAY, kind=kind, restructuring=step
        )
    apply_changes(unit, {"valid_to": date, "successor": heirs[0] if len(heirs) == 1 else None})
    finish_change(step, [unit.pk], date + DAY)
    record(
        action="organizations.unit.merged" if heirs else "organizations.unit.dissolved",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"date": date, "merged_into": ", ".join(h.name for h in heirs), "decision": decision},
    )
    return unit


@transaction.atomic
def org_unit_merge(
    *,
    actor: Any,
    units: list[OrgUnit],
    into: OrgUnit,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> Restructuring:
    """Merge ``units`` into ``into`` from ``date`` (their last day is the day before):
    their subordinate organizations are attached to ``into``; the units end, with
    ``into`` as their successor. Members kept directly by a merged unit must have been
    moved first (the restructuring services do it for the user)."""
    if not units:
        raise DomainError(_("Choose the organizations to merge."), field="units")
    if len({u.pk for u in units}) != len(units) or any(u.pk == into.pk for u in units):
        raise DomainError(
            _("An organization is named twice, or merged into itself."), field="units"
        )
    step = operation_record(
        actor=actor,
        kind=Restructuring.Kind.MERGE,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=", ".join(u.name for u in units) + f" → {into.name}",
        op=op,
    )
    for u in units:
        for child in list(history.versions_on(date).filter(parent_id=u.pk).select_related("unit")):
            org_unit_move(actor=actor, unit=child.unit, new_parent=into, date=date, op=step)
        org_unit_close(actor=actor, unit=u, date=date - DAY, merged_into=into, op=step)
    return step


@transaction.atomic
def org_unit_split(
    *,
    actor: Any,
    unit: OrgUnit,
    parts: list[tuple[OrgUnit, list[OrgUnit]]],
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> Restructuring:
    """Split ``unit`` from ``date`` into the successors of ``parts``, each taking the
    subordinate organizations listed with it. Every subordinate organization valid on
    ``date`` must be given to exactly one successor."""
    if len(parts) < 2:
        raise DomainError(_("A split needs at least two successor organizations."), field="parts")
    children = {
        v.unit_id: v.unit
        for v in history.versions_on(date).filter(parent_id=unit.pk).select_related("unit")
    }
    given: dict[int, str] = {}
    for heir, kids in parts:
        for k in kids:
            if k.pk in given:
                raise DomainError(
                    _("%(unit)s is given to two successors.") % {"unit": k.name}, field="parts"
                )
            if k.pk not in children:
                raise DomainError(
                    _("%(unit)s is not a subordinate organization of %(parent)s on %(date)s.")
                    % {"unit": k.name, "parent": unit.name, "date": date_text(date)},
                    field="parts",
                )
            given[k.pk] = heir.name
    missing = [c.name for pk, c in children.items() if pk not in given]
    if missing:
        raise DomainError(
            _("Every subordinate organization must go to a successor; not assigned: %(names)s.")
            % {"names": ", ".join(sorted(missing))},
            field="parts",
        )
    step = operation_record(
        actor=actor,
        kind=Restructuring.Kind.SPLIT,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=f"{unit.name} → " + ", ".join(h.name for h, _k in parts),
        op=op,
    )
    for heir, kids in parts:
        for k in kids:
            org_unit_move(actor=actor, unit=k, new_parent=heir, date=date, op=step)
    org_unit_close(
        actor=actor, unit=unit, date=date - DAY, successors=[h for h, _k in parts], op=step
    )
    return step
