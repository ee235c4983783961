"""Creating a unit (with its first version and path segment), editing its undated fields,
and villages (residential units)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces, text_sort_key
from ptdv.organizations import history
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitVersion,
    ResidentialUnit,
)
from ptdv.organizations.services.dated import check_dates, path_segment


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
    check_dates(valid_from, valid_to)
    parent_version = history.version_on(parent, valid_from) if parent is not None else None
    if parent is not None and parent_version is None:
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
    unit.path = (parent_version.path if parent_version else "") + path_segment(unit.pk)
    unit.depth = (parent_version.depth + 1) if parent_version else 0
    unit.save(update_fields=["path", "depth"])
    OrgUnitVersion.objects.create(
        unit=unit,
        name=unit.name,
        parent=parent,
        path=unit.path,
        depth=unit.depth,
        valid_from=valid_from,
        valid_to=valid_to,
    )
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
    """Edit attributes that do not change the tree's shape or its dates: a name change is
    a dated rename, an end is a dated closing (``org_unit_close``)."""
    allowed = {
        "sector",
        "authorised_to_admit",
        "address",
        "mountainous",
        "border",
        "island",
        "ethnic_minority_area",
        "especially_difficult",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
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
