"""Reads of targets: target, actual (computed), attainment, status, forecast."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ptdv.access.scope import scope_q
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import valid_on
from ptdv.reports.selectors import Period, counts_by_child, indicator_queryset, org_for
from ptdv.targets import rules
from ptdv.targets.models import Target, Term


def targets_visible_to(user: Any) -> Any:
    return Target.objects.filter(scope_q(user, field="org_unit", perm="targets.view"))


def term_by_uid(uid: str) -> Term | None:
    try:
        return Term.objects.filter(uid=uuid.UUID(uid)).first()
    except ValueError:
        return None


def terms() -> QuerySet[Term]:
    return Term.objects.all()


def org_get_for(user: Any, uid: Any, *, perm: str = "targets.view") -> OrgUnit:
    """The chosen organization (the user's own when none is given); outside the scope or
    a malformed id → 404."""
    return org_for(user, uid, perm=perm)


def children_of(user: Any, org: OrgUnit, *, perm: str = "targets.edit") -> QuerySet[OrgUnit]:
    """The direct subordinates of ``org`` that ``user`` holds ``perm`` on."""
    return OrgUnit.objects.filter(parent=org).filter(scope_q(user, field="self", perm=perm))


def ancestors_in_scope(user: Any, org: OrgUnit) -> QuerySet[OrgUnit]:
    """The breadcrumb above ``org`` that the user may open."""
    return (
        OrgUnit.objects.filter(path__in=org.ancestor_paths[:-1])
        .filter(scope_q(user, field="self", perm="targets.view"))
        .order_by("depth")
        .only("uid", "name", "path")
    )


def period_of(*, year: int | None, term: Term | None, today: dt.date) -> Period | None:
    """The admission window of a year or term, cut at today; None if it has not begun."""
    if year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        assert term is not None
        start, end = dt.date(term.start_year, 1, 1), dt.date(term.end_year, 12, 31)
    if start > today:
        return None
    return Period(start, min(end, today))


@dataclass
class TargetRow:
    org: OrgUnit
    target: Target | None
    actual: int
    percent: Decimal | None
    status: str
    forecast: int | None
    is_parent: bool = False
    href: str = ""  # the drill-down of ``actual``

    @property
    def status_label(self) -> str:
        return str(rules.STATUS_LABELS[self.status])

    @property
    def value(self) -> int | None:
        return self.target.value if self.target else None


def target_table(
    org: OrgUnit, *, year: int | None = None, term: Term | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The organization and its children: a fixed number of queries."""
    from ptdv.reports.pipeline import live_pipeline

    today = today or timezone.localdate()
    flt = {"year": year} if year is not None else {"term": term}
    day = min(today, dt.date(year, 12, 31)) if year else today
    children = list(valid_on(OrgUnit.objects.filter(parent=org), day).order_by("sort_key", "path"))
    units = [org, *children]
    targets = {
        t.org_unit_id: t
        for t in Target.objects.filter(org_unit__in=units, **flt).select_related("set_by")
    }
    period = period_of(year=year, term=term, today=today)
    if period is None:
        actuals = {u.pk: 0 for u in units}
    else:
        actuals = counts_by_child(["admitted"], org, period, children)["admitted"]
        actuals[org.pk] = indicator_queryset("admitted", org, period).count()
    current = (year == today.year) or (
        term is not None and term.start_year <= today.year <= term.end_year
    )
    pipeline = live_pipeline(org, children) if current else {}
    rows = []
    for u in units:
        t = targets.get(u.pk)
        actual = actuals.get(u.pk, 0)
        value = t.value if t else None
        rows.append(
            TargetRow(
                org=u,
                target=t,
                actual=actual,
                percent=rules.percent(actual, value),
                status=rules.status(actual, value),
                forecast=rules.forecast(actual, pipeline[u.pk]) if current else None,
                is_parent=u.pk == org.pk,
            )
        )
    allocated = sum(r.value or 0 for r in rows[1:])
    return {
        "parent": rows[0],
        "children": rows[1:],
        "allocated": allocated,
        "unallocated": (rows[0].value - allocated) if rows[0].value is not None else None,
        "period": period,
        "current": current,
    }


def yearly_series(org: OrgUnit, years: list[int], today: dt.date | None = None) -> list[dict]:
    """Target, actual and percent for each year (for the summary and the dashboard)."""
    today = today or timezone.localdate()
    targets = dict(Target.objects.filter(org_unit=org, year__in=years).values_list("year", "value"))
    out = []
    for y in years:
        period = period_of(year=y, term=None, today=today)
        actual = indicator_queryset("admitted", org, period).count() if period else 0
        value = targets.get(y)
        pct = rules.percent(actual, value)
        out.append(
            {
                "year": y,
                "target": value,
                "actual": actual,
                "percent": float(pct) if pct is not None else None,
                "status": rules.status(actual, value),
            }
        )
    return out
