"""Every change of the tree: one function per action, one transaction, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces, text_sort_key
from ptdv.organizations.models import PATH_STEP, OrgUnit, OrgUnitChange, ResidentialUnit


def _segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(PATH_STEP, "0") + "."


def _check_dates(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end date cannot be before the start date."), field="valid_to")


@transaction.atomic
def org_unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    sector: str = "other",
    authorised_to_admit: bool = False,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    audit: bool = True,
    **flags: Any,
) -> OrgUnit:
    if parent is not None:
        check_perm(actor, "orgs.edit", parent)
    elif actor is not None and not getattr(actor, "is_superuser", False):
        raise DomainError(_("Only an administrator can create a top-level organization."))
    code = normalize_spaces(code)
    name = normalize_spaces(name)
    if not code or not name:
        raise DomainError(_("Code and name are required."), field="code")
    if OrgUnit.objects.filter(code=code).exists():
        raise DomainError(
            _("The code %(code)s is already used by another organization.") % {"code": code},
            field="code",
            code="duplicate_code",
        )
    valid_from = valid_from or (parent.valid_from if parent else dt.date(1930, 2, 3))
    _check_dates(valid_from, valid_to)
    if parent is not None and not parent.is_valid_on(valid_from):
        raise DomainError(
            _("The parent organization is not valid on %(date)s.")
            % {"date": valid_from.strftime("%d/%m/%Y")},
            field="parent",
        )
    unit = OrgUnit(
        code=code,
        name=name,
        sort_key=text_sort_key(name),
        kind=kind,
        sector=sector,
        parent=parent,
        authorised_to_admit=authorised_to_admit,
        valid_from=valid_from,
        valid_to=valid_to,
        **flags,
    )
    unit.save()
    unit.path = (parent.path if parent else "") + _segment(unit.pk)
    unit.depth = (parent.depth + 1) if parent else 0
    unit.save(update_fields=["path", "depth"])
    if audit:
        OrgUnitChange.objects.create(
            org_unit=unit,
            kind=OrgUnitChange.Kind.CREATED,
            date=valid_from,
            new_name=name,
            new_parent=parent,
        )
        record(
            action="organizations.unit.created",
            actor=actor,
            target=unit,
            org_unit=unit,
            data={"code": code, "name": name, "kind": kind, "parent": parent},
        )
    return unit


@transaction.atomic
def org_unit_update(*, actor: Any, unit: OrgUnit, **changes: Any) -> OrgUnit:
    """Edit attributes that do not change the tree's shape (name changes are renames)."""
    allowed = {
        "sector",
        "authorised_to_admit",
        "address",
        "mountainous",
        "border",
        "island",
        "ethnic_minority_area",
        "especially_difficult",
        "valid_to",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if "valid_to" in changes:
        _check_dates(unit.valid_from, changes["valid_to"])
    changed = apply_changes(unit, changes)
    if changed:
        record(
            action="organizations.unit.updated",
            actor=actor,
            target=unit,
            org_unit=unit,
            data=changed,
        )
    return unit


@transaction.atomic
def org_unit_rename(
    *, actor: Any, unit: OrgUnit, new_name: str, date: dt.date, decision: str = ""
) -> OrgUnit:
    new_name = normalize_spaces(new_name)
    if not new_name:
        raise DomainError(_("The new name is required."), field="new_name")
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    old = unit.name
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=OrgUnitChange.Kind.RENAMED,
        date=date,
        old_name=old,
        new_name=new_name,
        decision=decision,
    )
    apply_changes(unit, {"name": new_name, "sort_key": text_sort_key(new_name)})
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
    *, actor: Any, unit: OrgUnit, new_parent: OrgUnit, date: dt.date, decision: str = ""
) -> OrgUnit:
    """Re-parent a unit; its whole subtree's paths change in one UPDATE."""
    check_perm(actor, "orgs.edit", unit)
    check_perm(actor, "orgs.edit", new_parent)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if new_parent.path.startswith(unit.path):
        raise DomainError(_("An organization cannot be moved under itself."), field="new_parent")
    if not new_parent.is_valid_on(date):
        raise DomainError(
            _("The new parent organization is not valid on %(date)s.")
            % {"date": date.strftime("%d/%m/%Y")},
            field="new_parent",
        )
    old_parent = unit.parent
    old_path = unit.path
    new_path = new_parent.path + _segment(unit.pk)
    depth_delta = new_parent.depth + 1 - unit.depth
    from django.db.models import F

    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=OrgUnitChange.Kind.MOVED,
        date=date,
        old_parent=old_parent,
        new_parent=new_parent,
        decision=decision,
    )
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
    decision: str = "",
) -> OrgUnit:
    """Dissolve a unit on ``date`` (or merge it into another). History stays."""
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if date < unit.valid_from:
        raise DomainError(_("The end date cannot be before the start date."), field="date")
    if unit.valid_to is not None:
        raise DomainError(_("This organization is already closed."), field="date")
    if merged_into is not None and (merged_into.pk == unit.pk or not merged_into.is_valid_on(date)):
        raise DomainError(
            _("The organization it merges into must be another one, valid on that date."),
            field="merged_into",
        )
    if OrgUnit.objects.filter(parent=unit).filter(valid_to__isnull=True).exists():
        raise DomainError(_("Close or move its subordinate organizations first."))
    kind = OrgUnitChange.Kind.MERGED if merged_into else OrgUnitChange.Kind.DISSOLVED
    OrgUnitChange.objects.create(
        org_unit=unit, kind=kind, date=date, other=merged_into, decision=decision
    )
    apply_changes(unit, {"valid_to": date, "successor": merged_into})
    record(
        action="organizations.unit.merged" if merged_into else "organizations.unit.dissolved",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"date": date, "merged_into": merged_into, "decision": decision},
    )
    return unit


@transaction.atomic
def residential_unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    org_unit: OrgUnit,
    own_cell: OrgUnit | None = None,
    audit: bool = True,
    **flags: Any,
) -> ResidentialUnit:
    if ResidentialUnit.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code")
    ru = ResidentialUnit.objects.create(
        code=code,
        name=normalize_spaces(name),
        kind=kind,
        org_unit=org_unit,
        own_cell=own_cell,
        **flags,
    )
    if audit:
        record(
            action="organizations.residential.created",
            actor=actor,
            target=ru,
            org_unit=org_unit,
            data={"code": code, "name": name},
        )
    return ru
