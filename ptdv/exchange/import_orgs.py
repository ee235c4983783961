"""The organizations kind of import: a row creates a unit under its parent or updates the
recorded one's sector, authority to admit, address and name, through
``organizations.services``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.exchange.context import ImportContext, RowProblemError, plain, resolve_unit
from ptdv.exchange.models import ImportChange
from ptdv.exchange.vocab import REQUIRED
from ptdv.organizations import services as orgs
from ptdv.organizations.models import OrgUnit

ORG_UPDATABLE = ("sector", "authorised_to_admit", "address")


def apply_org(ctx: ImportContext, rownum: int, v: dict[str, Any]) -> None:
    for required in REQUIRED["organizations"]:
        if not v.get(required):
            raise RowProblemError(
                _("“%(column)s” is empty.") % {"column": ctx.headers[required]}, field=required
            )
    code = v["code"]
    if code in ctx.seen:
        raise RowProblemError(
            _("The code %(code)s is also on row %(row)s of the file.")
            % {"code": code, "row": ctx.seen[code]},
            field="code",
        )
    ctx.seen[code] = rownum
    existing = OrgUnit.objects.filter(code=code).first()
    parent_code = v.get("parent_code")
    if existing is None:
        _create(ctx, rownum, v, parent_code)
        return
    _update(ctx, rownum, v, existing, parent_code)


def _update(
    ctx: ImportContext, rownum: int, v: dict[str, Any], existing: OrgUnit, parent_code: Any
) -> None:
    code = v["code"]
    if code not in ctx.units or not has_perm(ctx.actor, "orgs.edit", existing):
        raise RowProblemError(
            _("The organization %(code)s is outside your scope.") % {"code": code}, field="code"
        )
    if existing.kind != v["kind"]:
        raise RowProblemError(
            _("The kind of an existing organization cannot be changed by an import."),
            field="kind",
        )
    if parent_code and (existing.parent is None or existing.parent.code != parent_code):
        raise RowProblemError(
            _("Moving an organization to another parent is done on the tree page."),
            field="parent_code",
        )
    if v.get("valid_from") and v["valid_from"] != existing.valid_from:
        raise RowProblemError(
            _("The founding date of an existing organization cannot be changed by an import."),
            field="valid_from",
        )
    changes = {
        k: v[k]
        for k in ORG_UPDATABLE
        if v.get(k) not in (None, "") and getattr(existing, k) != v[k]
    }
    renamed = v["name"] != existing.name
    if not changes and not renamed:
        ctx.outcome.unchanged += 1
        return
    old = {k: plain(getattr(existing, k)) for k in changes}
    if renamed:
        old["name"] = existing.name
        orgs.org_unit_rename(
            actor=ctx.actor, unit=existing, new_name=v["name"], date=timezone.localdate()
        )
    if changes:
        orgs.org_unit_update(actor=ctx.actor, unit=existing, **changes)
    ctx.changed(
        rownum,
        ImportChange.Action.UPDATED,
        existing,
        old=old,
        new={k: plain(x) for k, x in changes.items()} | ({"name": v["name"]} if renamed else {}),
    )


def _create(ctx: ImportContext, rownum: int, v: dict[str, Any], parent_code: Any) -> None:
    code = v["code"]
    if not parent_code:
        raise RowProblemError(
            _("A new organization needs the code of its parent."), field="parent_code"
        )
    parent = resolve_unit(ctx, parent_code, "parent_code")
    if not has_perm(ctx.actor, "orgs.edit", parent):
        raise RowProblemError(
            _("You may not change the organizations under %(org)s.") % {"org": parent.name},
            field="parent_code",
        )
    extra = {k: v[k] for k in ORG_UPDATABLE if v.get(k) not in (None, "")}
    unit = orgs.org_unit_create(
        actor=ctx.actor,
        code=code,
        name=v["name"],
        kind=v["kind"],
        parent=parent,
        valid_from=v.get("valid_from"),
        **extra,
    )
    ctx.units[code] = unit
    ctx.changed(
        rownum,
        ImportChange.Action.CREATED,
        unit,
        new={"code": code, "name": v["name"], "kind": v["kind"]},
    )
