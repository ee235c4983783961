"""The targets page: each organization's target (``ptdv.targets``) against its admitted
figure (the reports' one definition, ``indicator_queryset("admitted", …)``) and the
forecast from the live admission cases.

It is a report, so it lives here, above the targets app: targets own the numbers set
and their rules; the reports own every figure computed from the registry. The page keeps
its address and name (``targets:index``, ``/targets/``): ``ptdv.config.urls`` mounts it
in the targets namespace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import valid_on
from ptdv.reports.exports import targets_xlsx
from ptdv.reports.forms import Params, drill_url
from ptdv.reports.pipeline import live_pipeline
from ptdv.reports.selectors import (
    Period,
    admitted_counts_in,
    counts_by_child,
    indicator_count,
)
from ptdv.targets import rules, selectors
from ptdv.targets.forms import DocumentForm, TargetForm, TermForm
from ptdv.targets.models import Target, Term
from ptdv.targets.selectors import period_choice


def period_of(*, year: int | None, term: Term | None, today: dt.date) -> Period | None:
    """The admission window of a year or term, cut at today; None if it has not begun."""
    if year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif term is None:
        raise ValueError("period_of: a year or a term")
    else:
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
        actuals[org.pk] = indicator_count("admitted", org, period)
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
    periods = {y: period_of(year=y, term=None, today=today) for y in years}
    begun = {y: p for y, p in periods.items() if p is not None}
    counts = dict(zip(begun, admitted_counts_in(org, list(begun.values())), strict=True))
    out = []
    for y in years:
        actual = counts.get(y, 0)  # a year not begun: 0
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


@gate("targets.view")
def index(request: HttpRequest) -> HttpResponse:
    org = selectors.org_get_for(request.user, request.GET.get("org"))
    year, term = period_choice(request.GET)
    table = target_table(org, year=year, term=term)
    if request.GET.get("format") == "xlsx":
        return targets_xlsx(request, org, str(term) if term else str(year), table)
    today = timezone.localdate()
    can_edit = has_perm(request.user, "targets.edit", org)
    if table["period"] is not None:
        params = Params(org, table["period"], table["period"].date_to)
        for row in [table["parent"], *table["children"]]:
            row.href = drill_url("admitted", params, org=row.org)
    return render(
        request,
        "targets/index.html",
        {
            "org": org,
            "year": year,
            "term": term,
            "terms": selectors.terms(),
            "years": list(range(today.year + 1, 2009, -1)),
            "table": table,
            "can_edit": can_edit,
            "can_export": has_perm(request.user, "reports.export", org),
            "target_form": TargetForm(
                initial={"value": table["parent"].value}
                if table["parent"].target is None
                else {
                    "value": table["parent"].target.value,
                    "document_number": table["parent"].target.document_number,
                    "document_date": table["parent"].target.document_date.strftime("%d/%m/%Y"),
                    "note": table["parent"].target.note,
                }
            ),
            "document_form": DocumentForm(),
            "term_form": TermForm(),
            "ancestors": selectors.ancestors_in_scope(request.user, org),
        },
    )
