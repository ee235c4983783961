"""Organization indicators: grassroots organizations (and those that admitted nobody),
residential units without a member or without a cell of their own; every path of a unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ptdv.organizations import history
from ptdv.organizations.models import (
    PATH_STEP,
    OrgUnit,
    ResidentialUnit,
    villages_on_q,
)
from ptdv.organizations.selectors import grassroots_in
from ptdv.people.models import (
    MEMBER_STATUSES,
)
from ptdv.reports.selectors.periods import Period, admitted_periods, member_periods

# --- organization indicators ----------------------------------------------------

ORG_LISTS = {
    "orgs.grassroots": _("Grassroots party organizations"),
    "orgs.no_admission": _("Grassroots organizations that admitted nobody"),
    "villages.no_member": _("Residential units with no party member"),
    "villages.no_cell": _("Residential units with no party cell of their own"),
}


def unit_paths(units: list[OrgUnit], *, restated: bool = False) -> dict[int, set[str]]:
    """Every path each unit ever had (restated: with its predecessors'): one query."""
    from ptdv.organizations.history import paths_of
    from ptdv.organizations.models import OrgUnitVersion

    if restated:  # predecessors followed back: a few queries per unit
        return {u.pk: set(paths_of(u, restated=True)) for u in units}
    out: dict[int, set[str]] = {u.pk: {u.path} for u in units}
    for unit_id, path in OrgUnitVersion.objects.filter(unit_id__in=list(out)).values_list(
        "unit_id", "path"
    ):
        out[unit_id].add(path)
    return out


def grassroots_without_admission(org: OrgUnit, period: Period) -> list[OrgUnit]:
    """Grassroots organizations of the tree valid at the end of the period (their
    subtree as the tree stood then) with nobody admitted in the period: the distinct
    paths of the admissions, every prefix of them, and the units none of whose paths is
    such a prefix (linear in the rows, whatever the number of units)."""
    units = list(grassroots_units(org, period))
    own = unit_paths(units)
    step = PATH_STEP + 1
    reached: set[str] = set()
    # order_by(): the default ordering (person, start) would join into the DISTINCT
    for path in admitted_periods(org, period).order_by().values_list("path", flat=True).distinct():
        reached.update(path[: i + step] for i in range(0, len(path), step))
    return [u for u in units if not own[u.pk] & reached]


def _villages(org: OrgUnit, day: dt.date) -> QuerySet[ResidentialUnit]:
    """The villages of the subtree on ``day``: by the tree and the villages' attachments
    as they stood that day (a restructuring that moved a village later changes nothing)."""
    root_path = history.path_on(org, day)
    if root_path is None:
        return ResidentialUnit.objects.none()
    units = history.versions_on(day).filter(path__startswith=root_path).values("unit_id")
    return ResidentialUnit.objects.filter(villages_on_q(day, units)).select_related("org_unit")


def villages_without_member(org: OrgUnit, period: Period) -> QuerySet[ResidentialUnit]:
    """An anti-join (NOT EXISTS), never ``NOT IN``: a ``NOT IN`` subquery that outgrows
    ``work_mem`` is rescanned for every village."""
    members = member_periods(org, period.date_to, list(MEMBER_STATUSES)).filter(
        person__residential_unit_id=OuterRef("pk")
    )
    return _villages(org, period.date_to).filter(~Exists(members))


def villages_without_cell(org: OrgUnit, period: Period) -> QuerySet[ResidentialUnit]:
    day = period.date_to
    return _villages(org, day).filter(
        Q(own_cell__isnull=True) | Q(own_cell__valid_to__lt=day) | Q(own_cell__valid_from__gt=day)
    )


def grassroots_units(org: OrgUnit, period: Period) -> QuerySet[OrgUnit]:
    """The grassroots organizations of the subtree as the tree stood at the end of the
    period (``organizations.selectors.grassroots_in``, the one definition)."""
    return grassroots_in(org, on=period.date_to).select_related("parent").order_by("path")


def org_list(key: str, org: OrgUnit, period: Period) -> list[Any]:
    if key == "orgs.grassroots":
        return list(grassroots_units(org, period))
    if key == "orgs.no_admission":
        return grassroots_without_admission(org, period)
    if key == "villages.no_member":
        return list(villages_without_member(org, period))
    if key == "villages.no_cell":
        return list(villages_without_cell(org, period))
    raise Http404


def org_list_count(key: str, org: OrgUnit, period: Period) -> int:
    if key == "orgs.grassroots":
        return grassroots_units(org, period).count()
    if key == "orgs.no_admission":
        return len(grassroots_without_admission(org, period))
    if key == "villages.no_member":
        return villages_without_member(org, period).count()
    if key == "villages.no_cell":
        return villages_without_cell(org, period).count()
    raise Http404
