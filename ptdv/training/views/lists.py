"""The class list and the month calendar of sessions."""

from __future__ import annotations

import calendar
import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ptdv.access.gate import gate
from ptdv.core.http import AuthenticatedRequest, paginate
from ptdv.training import selectors as Q_
from ptdv.training import services as S
from ptdv.training.forms import (
    ClassFilterForm,
)

# --- lists --------------------------------------------------------------------------------


@gate("training.view")
@require_GET
def class_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ClassFilterForm(request.GET or None)
    filters = Q_.ClassFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = Q_.ClassFilters(
            q=d["q"] or "",
            course_type=d["course_type"] or "",
            status=d["status"] or "",
            year=d["year"],
        )
    page = paginate(request, Q_.class_list_for(user=request.user, filters=filters))
    ctx = {
        "form": form,
        "page": page,
        "can_create": Q_.institutions_managed_by(request.user).exists(),
        "can_configure": S.can_configure_course_types(request.user),
    }
    if request.htmx and request.htmx.target == "class-results":
        return render(request, "training/_class_results.html", ctx)
    return render(request, "training/class_list.html", ctx)


@gate("training.view")
@require_GET
def class_calendar(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    classes = Q_.classes_in_month(user=request.user, year=first.year, month=first.month)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "classes": [c for c in classes if c.start_on <= day <= c.end_on],
                }
                for day in week
            ]
        )
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "training/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "classes": classes,
            "prev": f"{prev_month:%Y-%m}",
            "next": f"{next_month:%Y-%m}",
        },
    )
