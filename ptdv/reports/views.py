"""Thin views: access → parse → act → respond. Every number links to its drill-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm
from ptdv.core.dbrouting import reads_from_replica
from ptdv.core.errors import DomainError
from ptdv.reports import charts, exports
from ptdv.reports import pipeline as pl
from ptdv.reports.forms import Params, drill_url, parse
from ptdv.reports.selectors import (
    AGE_KEYS,
    INDICATORS,
    ORG_LISTS,
    QUALITY_KEYS,
    SECTOR_KEYS,
    Period,
    Row,
    average_age_at_admission,
    indicator,
    indicator_counts,
    indicator_queryset,
    org_list,
    org_list_count,
    report_units_for,
    statistics,
)

PAGE_SIZE = 50


def _bad(request: HttpRequest, template: str, exc: DomainError) -> HttpResponse:
    status = 404 if exc.code == "out_of_scope" else 400
    return render(
        request, template, {"error": exc.message, "form_values": request.GET}, status=status
    )


def _form_context(params: Params, user: Any = None) -> dict[str, Any]:
    units = report_units_for(user) if user is not None else []
    if units and params.org.pk not in {u.pk for u in units}:
        units.append(params.org)
    return {
        "units": units,
        "org": params.org,
        "period": params.period,
        "as_of": params.as_of,
        "form_values": {
            "org": str(params.org.uid),
            "from": params.period.date_from.strftime("%d/%m/%Y"),
            "to": params.period.date_to.strftime("%d/%m/%Y"),
            "as_of": params.as_of.strftime("%d/%m/%Y"),
        },
        "restated": params.restated,
        "query": params.query(),
    }


def _link_rows(rows: list[Row], params: Params, period: Period | None = None) -> list[Row]:
    for r in rows:
        if r.key in ORG_LISTS or r.key in INDICATORS:
            r.href = drill_url(r.key, params, period=period)
    return rows


# --- statistics -----------------------------------------------------------------


@gate("reports.view")
@reads_from_replica
def statistics_view(request: HttpRequest) -> HttpResponse:
    try:
        params = parse(request)
    except DomainError as exc:
        return _bad(request, "reports/statistics.html", exc)
    stats = statistics(params.org, params.period, restated=params.restated)
    for key in ("main", "quality", "sector", "ages", "occupations", "cell_sectors", "org_lists"):
        _link_rows(stats[key], params)
    stats["grassroots_href"] = drill_url("orgs.grassroots", params)
    prev = stats["previous"]
    prev.href = drill_url("admitted", params, period=stats["previous_period"])
    children = []
    for child in stats["children"]:
        cells = [
            (child["counts"][k], drill_url(k, params, org=child["org"]))
            for k, _label in stats["by_org_keys"]
        ]
        children.append({"org": child["org"], "cells": cells})
    if request.GET.get("format") == "xlsx":
        return exports.statistics_xlsx(request, params, stats)
    ctx = _form_context(params, request.user) | {"stats": stats, "children": children}
    ctx["can_export"] = has_perm(request.user, "reports.export", params.org)
    return render(request, "reports/statistics.html", ctx)


# --- drill-down -------------------------------------------------------------------


@gate("reports.view")
@reads_from_replica
def people_view(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("key", "")
    try:
        params = parse(request)
    except DomainError as exc:
        return _bad(request, "reports/people.html", exc)
    if key in ORG_LISTS:
        items = org_list(key, params.org, params.period)
        if request.GET.get("format") == "xlsx":
            return exports.org_list_xlsx(request, params, key, items)
        ctx = _form_context(params, request.user) | {
            "key": key,
            "title": str(ORG_LISTS[key]),
            "items": items,
            "count": len(items),
            "is_villages": key.startswith("villages."),
        }
        ctx["can_export"] = has_perm(request.user, "reports.export", params.org)
        return render(request, "reports/org_list.html", ctx)
    ind = indicator(key)  # unknown key → 404
    qs = indicator_queryset(
        key, params.org, params.period, restated=params.restated
    ).select_related("org_unit")
    if request.GET.get("format") == "xlsx":
        return exports.people_xlsx(request, params, key, qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = _form_context(params, request.user) | {
        "key": key,
        "title": str(ind.label),
        "page": page,
        "count": page.paginator.count,
        "can_export": has_perm(request.user, "reports.export", params.org),
    }
    return render(request, "reports/people.html", ctx)


# --- dashboard -----------------------------------------------------------------------


def _stage_chart(stages: list[pl.FunnelStage], params: Params, title: str) -> Any:
    for s in stages:
        if s.link_key:
            s.href = drill_url(s.link_key, params)
    return charts.funnel_chart(
        [
            charts.Stage(
                str(s.label),
                s.count,
                s.href,
                (f"{s.conversion:.0f}%" if s.conversion is not None else ""),
            )
            for s in stages
        ],
        title=title,
    )


def _funnel(params: Params, outcomes: Any = None) -> tuple[list[pl.FunnelStage], Any]:
    stages = pl.funnel(params.org, params.period, restated=params.restated, outcomes=outcomes)
    return stages, _stage_chart(stages, params, _("Admission pipeline"))


def _cohort(params: Params) -> tuple[list[pl.FunnelStage], Any]:
    stages = pl.cohort(params.org, params.period)
    return stages, _stage_chart(stages, params, _("Cases opened in the period, by now"))


@gate("reports.view")
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    from ptdv.reports.targets import yearly_series

    today = timezone.localdate()
    try:
        params = parse(request, default_from=dt.date(today.year, 1, 1), default_to=today)
    except DomainError as exc:
        return _bad(request, "reports/dashboard.html", exc)
    org, period = params.org, params.period
    now = Period(period.date_to, period.date_to)
    members = indicator_counts(
        ["members.official", "members.probationary"], org, now, restated=params.restated
    )
    member_bars = [
        charts.Bar(str(INDICATORS[k].label), n, drill_url(k, params, period=now))
        for k, n in members.items()
    ]
    quality_keys = ["admitted", *QUALITY_KEYS, *SECTOR_KEYS]
    q = indicator_counts(quality_keys, org, period, restated=params.restated)
    total = q["admitted"]
    quality_bars = [
        charts.Bar(
            str(INDICATORS[k].label),
            q[k],
            drill_url(k, params),
            f"{100 * q[k] / total:.1f}%".replace(".", ",") if total else "",
            highlight=k in {"admitted.age_18_30", "admitted"},
        )
        for k in quality_keys
    ]
    ages = indicator_counts(AGE_KEYS, org, period, restated=params.restated)
    age_bars = [
        charts.Bar(
            str(INDICATORS[k].label),
            n,
            drill_url(k, params),
            f"{100 * n / total:.1f}%".replace(".", ",") if total else "",
            highlight=k == "admitted.age_18_30",
        )
        for k, n in ages.items()
    ]
    last = period.date_to.year
    years = list(range(last - 9, last + 1))
    series = yearly_series(org, years, today=today)
    year_points = [
        charts.YearPoint(
            s["year"],
            s["actual"],
            s["target"],
            drill_url(
                "admitted",
                params,
                period=Period(dt.date(s["year"], 1, 1), min(dt.date(s["year"], 12, 31), today)),
            ),
        )
        for s in series
    ]
    org_rows = _link_rows(
        [
            Row(k, str(label), org_list_count(k, org, period))
            for k, label in ORG_LISTS.items()
            if k != "orgs.grassroots"
        ],
        params,
    )
    stage_rows = pl.stage_outcomes(org, period, restated=params.restated)
    stages, funnel_chart = _funnel(params, stage_rows)
    stage_labels = {s.key: s.label for s in stages}
    outcomes = [(o, stage_labels.get(o.key, o.key)) for o in stage_rows]
    cohort, cohort_chart = _cohort(params)
    ctx = _form_context(params, request.user) | {
        "members": sum(members.values()),
        "members_chart": charts.bar_chart(member_bars, title=_("Members by status")),
        "member_bars": member_bars,
        "quality_chart": charts.bar_chart(quality_bars, title=_("Quality of new members")),
        "quality_bars": quality_bars,
        "age_chart": charts.bar_chart(age_bars, title=_("Age at admission")),
        "age_bars": age_bars,
        "average_age": average_age_at_admission(org, period, restated=params.restated),
        "year_chart": charts.year_chart(year_points, title=_("Admissions per year and target")),
        "series": series,
        "org_rows": org_rows,
        "stages": stages,
        "funnel_chart": funnel_chart,
        "cohort": cohort,
        "outcomes": outcomes,
        "cohort_chart": cohort_chart,
        "overdue": pl.overdue_items(org, today),
        "admitted_href": drill_url("admitted", params),
        "admitted": total,
    }
    return render(request, "reports/dashboard.html", ctx)


# --- the article's report ---------------------------------------------------------------

ARTICLE_FROM = dt.date(2010, 1, 1)
ARTICLE_TO = dt.date(2020, 12, 31)
ARTICLE_AS_OF = dt.date(2022, 12, 31)


def summary_labels() -> dict[str, str]:
    """Readable names for other apps' summary keys (unknown keys are shown as they are)."""
    labels = {
        "admitted": _("Admitted (admission records)"),
        "recognized": _("Recognized (admission records)"),
        "removed_probationary": _("Removed from the probationary list"),
        "sources_added": _("Put on a source list (outstanding masses)"),
        "open_cases_by_stage": _("Open admission cases at the end of the period"),
    }
    return labels | pl.case_stage_labels()


def flatten(
    data: Any, prefix: str = "", labels: dict[str, str] | None = None
) -> list[tuple[str, Any]]:
    """Other apps' summary keys as (label path, value) rows, whatever their shape."""
    labels = summary_labels() if labels is None else labels
    rows: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            name = labels.get(str(k), str(k))
            rows += flatten(v, name if not prefix else f"{prefix} › {name}", labels)
    elif isinstance(data, list):
        for i, v in enumerate(data, start=1):
            rows += flatten(v, f"{prefix} [{i}]", labels)
    else:
        rows.append((prefix, data))
    return rows


def article_context(params: Params) -> dict[str, Any]:
    from ptdv.core.summary import SummaryContext
    from ptdv.reports.summary import build_summary

    summary = build_summary(
        SummaryContext(
            org=params.org,
            date_from=params.period.date_from,
            date_to=params.period.date_to,
            restated=params.restated,
        )
    )
    as_of = Period(params.as_of, params.as_of)
    members_now = indicator_queryset("members", params.org, as_of, restated=params.restated).count()
    known = {"organization", "period", "grassroots_organizations", "members", "targets",
             "statistics", "quality", "classes"}  # fmt: skip
    names = pl.course_type_names() if isinstance(summary.get("classes"), dict) else {}
    classes = [
        {"code": code, "name": names.get(code, code), **row}
        for code, row in (summary.get("classes") or {}).items()
        if isinstance(row, dict)
    ]
    others = {k: v for k, v in summary.items() if k not in known}
    series = summary.get("targets", [])
    year_points = [
        charts.YearPoint(
            s["year"],
            s["actual"],
            s["target"],
            drill_url(
                "admitted",
                params,
                period=Period(dt.date(s["year"], 1, 1), dt.date(s["year"], 12, 31)),
            ),
        )
        for s in series
    ]
    stats = summary.get("statistics", {})
    quality_keys = ["admitted", *QUALITY_KEYS, *SECTOR_KEYS]
    q = indicator_counts(quality_keys, params.org, params.period, restated=params.restated)
    total = q["admitted"]
    quality_bars = [
        charts.Bar(
            str(INDICATORS[k].label),
            q[k],
            drill_url(k, params),
            f"{100 * q[k] / total:.1f}%".replace(".", ",") if total else "",
            highlight=k == "admitted",
        )
        for k in quality_keys
    ]
    return _form_context(params) | {
        "summary": summary,
        "members_now": members_now,
        "members_href": drill_url("members", params, period=as_of),
        "members_end_href": drill_url("members", params),
        "grassroots_href": drill_url("orgs.grassroots", params),
        "no_admission_href": drill_url("orgs.no_admission", params),
        "admitted_href": drill_url("admitted", params),
        "recognized_href": drill_url("recognized", params),
        "sources_href": drill_url("sources.added", params),
        "stats": stats,
        "others": flatten(others),
        "classes": classes,
        "series": series,
        "year_chart": charts.year_chart(year_points, title=_("Admissions per year and target")),
        "quality_chart": charts.bar_chart(quality_bars, title=_("Quality of new members")),
        "quality": summary.get("quality", {}),
        "generated": timezone.localtime(),
    }


def _article_params(request: HttpRequest) -> Params:
    """Defaults: the article's period 2010–2020 and its member count at the end of 2022;
    once the user picks another end date, members are counted at that date."""
    as_of = None if request.GET.get("to") else ARTICLE_AS_OF
    return parse(request, default_from=ARTICLE_FROM, default_to=ARTICLE_TO, default_as_of=as_of)


@gate("reports.view")
@reads_from_replica
def article(request: HttpRequest) -> HttpResponse:
    try:
        params = _article_params(request)
    except DomainError as exc:
        return _bad(request, "reports/article.html", exc)
    ctx = article_context(params)
    ctx["units"] = _form_context(params, request.user)["units"]
    ctx["can_export"] = has_perm(request.user, "reports.export", params.org)
    return render(request, "reports/article.html", ctx)


@gate("reports.view")
@reads_from_replica
def article_pdf(request: HttpRequest) -> HttpResponse:
    try:
        params = _article_params(request)
    except DomainError as exc:
        return _bad(request, "reports/article.html", exc)
    return exports.article_pdf(request, params, article_context(params))
