"""The lists of cases: all cases by stage, the to-do list of deadlines, the dossier backlog."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm_anywhere
from ptdv.admissions import forms, selectors
from ptdv.admissions.models import AdmissionCase, Stage
from ptdv.admissions.steps import DEADLINE_LABELS
from ptdv.core.http import render_panels
from ptdv.organizations.selectors import units_visible_to


@gate("admissions.view")
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        unit = None
        if form.cleaned_data["org"]:
            unit = (
                units_visible_to(request.user, perm="admissions.view")
                .filter(code=form.cleaned_data["org"].strip())
                .first()
            )
            if unit is None:
                raise Http404
        filters = selectors.CaseFilters(
            stage=form.cleaned_data["stage"], org_unit=unit, q=form.cleaned_data["q"]
        )
    page = Paginator(selectors.case_list_for(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "admissions/case_list.html",
        {
            "form": form,
            "page": page,
            "stage_counts": selectors.stage_counts_for(user=request.user),
            "stages": Stage,
            "can_act": has_perm_anywhere(request.user, "admissions.act"),
        },
    )


def todo_rows(cases: list[AdmissionCase], today: dt.date) -> list[dict[str, Any]]:
    """The to-do rows: the case, its cell and the cell's parent, who must act (the
    responsible committee) and whether it is late — the to-do page and the home page."""
    return [
        {
            "case": c,
            "unit": c.org_unit,
            "parent": c.org_unit.parent,
            "owner": selectors.responsible_unit(c, today),
            "what": DEADLINE_LABELS.get(c.due_kind, ""),
            "overdue": c.due_on is not None and c.due_on < today,
        }
        for c in cases
    ]


@gate("admissions.view")
def todo(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    everything = list(selectors.todo_for(user=request.user, today=today)[:300])
    units: dict[int, Any] = {}
    for c in everything:
        for u in (c.org_unit.parent, c.org_unit):
            if u is not None:
                units.setdefault(u.pk, u)
    form = forms.TodoFilterForm(
        request.GET or None,
        units=sorted(units.values(), key=lambda u: u.path),
        kinds=list(DEADLINE_LABELS.items()),
    )
    cases = everything
    if form.is_valid():
        d = form.cleaned_data
        unit = next((u for u in units.values() if str(u.uid) == d["unit"]), None)
        filters = selectors.TodoFilters(
            org_unit=unit, kind=d["kind"], overdue_only=d["overdue"], sort=d["sort"] or "due"
        )
        cases = list(selectors.todo_for(user=request.user, today=today, filters=filters)[:300])
    return render(
        request,
        "admissions/todo.html",
        {
            "rows": todo_rows(cases, today),
            "form": form,
            "today": today,
            # other apps' overdue items (panels.TODO_PANELS), e.g. transfers
            "panels": render_panels(request, "TODO_PANELS", today),
        },
    )


# Findings that no entry in the step's form can answer: the step waits for something else
# (the end of probation, a document, introducers, the certificate). Its form stays closed
# and says what it waits for.


@gate("admissions.view")
def backlog(request: HttpRequest) -> HttpResponse:
    unit = None
    code = request.GET.get("org", "").strip()
    if code:
        unit = units_visible_to(request.user, perm="admissions.view").filter(code=code).first()
        if unit is None:
            raise Http404
    rows = selectors.dossier_backlog_for(user=request.user, unit=unit)
    kinds = selectors.REQUIRED_BEFORE_VOTE
    return render(
        request,
        "admissions/backlog.html",
        {
            "rows": [
                {
                    "unit": r["unit"],
                    "cases": r["cases"],
                    "missing": [r["missing"][k] for k in kinds],
                }
                for r in rows
            ],
            "kinds": [k.label for k in kinds],
            "org": code,
        },
    )
