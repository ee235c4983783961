"""The statistics page: every §7 indicator for a subtree and a period, in fixed queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.organizations.models import (
    OrgUnit,
    Sector,
)
from ptdv.organizations.selectors import children_on
from ptdv.people.choices import Occupation
from ptdv.reports.selectors.indicators import (
    INDICATORS,
    average_age_at_admission,
    counts_by_child,
    indicator_counts,
    indicator_queryset,
)
from ptdv.reports.selectors.orgs import ORG_LISTS, grassroots_units, org_list_count
from ptdv.reports.selectors.periods import Period

# --- the statistics page ----------------------------------------------------------

MAIN_KEYS = ["members", "members.official", "members.probationary", "admitted", "readmitted",
             "recognized", "removed", "sources.added"]  # fmt: skip
QUALITY_KEYS = [k for k, i in INDICATORS.items() if i.group == "quality"]
SECTOR_KEYS = ["admitted.non_state_enterprise", "admitted.non_public_service"]
AGE_KEYS = ["admitted.age_under_18", "admitted.age_18_30", "admitted.age_31_45",
            "admitted.age_over_45"]  # fmt: skip
BY_ORG_KEYS = ["members", "admitted", "recognized", "removed"]


@dataclass
class Row:
    key: str
    label: str
    count: int
    percent: float | None = None  # of the admitted total
    href: str = ""  # the drill-down, filled in by the view


def _rows(keys: list[str], counts: dict[str, int], total: int | None) -> list[Row]:
    rows = []
    for k in keys:
        n = counts[k]
        pct = round(100 * n / total, 1) if total else None
        rows.append(Row(k, str(INDICATORS[k].label), n, pct))
    return rows


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def statistics(org: OrgUnit, period: Period, *, restated: bool = False) -> dict[str, Any]:
    """Every §7 indicator for a subtree and a period. Query count is fixed. ``restated``:
    "restated to today's units" — predecessors' history attributed to their successors."""
    occupation_keys = [f"admitted.occupation.{v}" for v in Occupation.values]
    cell_sector_keys = [f"admitted.sector.{v}" for v in Sector.values]
    keys = MAIN_KEYS + QUALITY_KEYS + SECTOR_KEYS + AGE_KEYS + occupation_keys + cell_sector_keys
    counts = indicator_counts(list(dict.fromkeys(keys)), org, period, restated=restated)
    admitted = counts["admitted"]
    children = children_on(org, period.date_to)  # the tree as it stood then
    by_child = counts_by_child(BY_ORG_KEYS, org, period, children, restated=restated)
    previous = Period(_year_before(period.date_from), _year_before(period.date_to))
    return {
        "previous": Row(
            "admitted",
            str(_("Admitted in the same period a year earlier")),
            indicator_queryset("admitted", org, previous, restated=restated).count(),
        ),
        "previous_period": previous,
        "main": _rows(MAIN_KEYS, counts, None),
        "quality": _rows(QUALITY_KEYS, counts, admitted),
        "sector": _rows(SECTOR_KEYS, counts, admitted),
        "ages": _rows(AGE_KEYS, counts, admitted),
        "occupations": [r for r in _rows(occupation_keys, counts, admitted) if r.count],
        "cell_sectors": [r for r in _rows(cell_sector_keys, counts, admitted) if r.count],
        "average_age": average_age_at_admission(org, period, restated=restated),
        "admitted": admitted,
        "restated": restated,
        "org_lists": [
            Row(k, str(label), org_list_count(k, org, period)) for k, label in ORG_LISTS.items()
        ],
        "grassroots_total": grassroots_units(org, period).count(),
        "children": [
            {"org": c, "counts": {k: by_child[k][c.pk] for k in BY_ORG_KEYS}} for c in children
        ],
        "by_org_keys": [(k, str(INDICATORS[k].label)) for k in BY_ORG_KEYS],
    }
