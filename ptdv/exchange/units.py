"""A party organization named in a per-row column ("Chi bộ"), found by its name among the
units of the batch's subtree. Shared by the people and the source-list imports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.core.text import fold
from ptdv.organizations.models import OrgUnit


class UnitProblemError(DomainError):
    pass


_UNIT_PREFIXES = ("chi bo co so ", "chi bo ", "dang bo co so ", "dang bo bo phan ", "dang bo ")


def _unit_key(name: str) -> str:
    key = " ".join(fold(name).split())
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def unit_by_name(ctx: Any, text: str, field_name: str) -> OrgUnit | None:
    """A unit named in a per-row column ("Chi bộ Tổ 1", "Tổ 1") among the units of the
    batch's subtree; two units of that name there make the row a problem."""
    index = ctx.kind_state.get("units_by_name")
    if index is None:
        index = {}
        for unit in ctx.units.values():
            index.setdefault(_unit_key(unit.name), []).append(unit)
        ctx.kind_state["units_by_name"] = index
    found = index.get(_unit_key(text), [])
    if len(found) > 1:
        raise UnitProblemError(
            _(
                "Several party organizations under %(org)s are called “%(name)s”; write the "
                "code instead: %(codes)s."
            )
            % {
                "org": ctx.batch.org_unit.name,
                "name": text,
                "codes": ", ".join(u.code for u in found),
            },
            field=field_name,
        )
    return found[0] if found else None
