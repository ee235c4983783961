"""Reads of the tree, scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.organizations.models import OrgUnit, ResidentialUnit


def units_visible_to(user: Any, *, perm: str = "orgs.view") -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(user, field="self", perm=perm))


def org_unit_get_for(*, user: Any, uid: Any, perm: str = "orgs.view") -> OrgUnit:
    unit = units_visible_to(user, perm=perm).filter(uid=uid).first()
    if unit is None:
        raise Http404
    return unit


def org_unit_by_code_for(*, user: Any, code: str, perm: str = "orgs.view") -> OrgUnit:
    unit = units_visible_to(user, perm=perm).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def subtree(unit: OrgUnit, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """The unit and everything below it — one indexed query at any depth."""
    qs = OrgUnit.objects.filter(path__startswith=unit.path)
    if on is not None:
        qs = valid_on(qs, on)
    return qs


def valid_on(qs: QuerySet[OrgUnit], day: dt.date) -> QuerySet[OrgUnit]:
    return qs.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def grassroots_in(unit: OrgUnit, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    from ptdv.organizations.models import GRASSROOTS_KINDS

    return subtree(unit, on=on).filter(kind__in=list(GRASSROOTS_KINDS))


def ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__in=unit.ancestor_paths).order_by("depth")


def grassroots_of(unit: OrgUnit) -> OrgUnit | None:
    """The grassroots organization a unit belongs to (itself if it is one)."""
    from ptdv.organizations.models import GRASSROOTS_KINDS

    return ancestors(unit).filter(kind__in=list(GRASSROOTS_KINDS)).order_by("-depth").first()


def deciding_unit(unit: OrgUnit) -> OrgUnit | None:
    """The committee competent to decide admissions for a cell: the nearest ancestor
    (grassroots or above) authorised to admit, otherwise the upper committee directly
    above the grassroots organization."""
    chain = list(ancestors(unit))
    grassroots_depth = next((u.depth for u in reversed(chain) if u.is_grassroots), None)
    for u in reversed(chain):
        if u.authorised_to_admit and (grassroots_depth is None or u.depth <= grassroots_depth):
            return u
    if grassroots_depth is None:
        return None
    above = [u for u in chain if u.depth < grassroots_depth]
    return above[-1] if above else None


def residential_units_visible_to(user: Any) -> QuerySet[ResidentialUnit]:
    return ResidentialUnit.objects.filter(scope_q(user, field="org_unit", perm="orgs.view"))


def top_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent__isnull=True)
