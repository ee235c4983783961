"""Pages of the policy app: the rule sets with every value and its source, and the
working-day calendar (public holidays + the administrator's swapped days)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm_anywhere
from ptdv.core.errors import DomainError
from ptdv.policy import display, loader, selectors, services
from ptdv.policy.forms import DeadlineForm, SwappedDayForm, YearForm

VIEW_PERM = "admissions.view"
EDIT_PERM = "admissions.configure"


@gate(VIEW_PERM)
def policy_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    current = loader.policy_on(today)
    rows = [
        {
            "policy": p,
            "current": p.code == current.code,
            "uncertain": sum(1 for k in p.labels if p.is_uncertain(k)),
            "count": len(p.values),
        }
        for p in reversed(loader.all_policies())
    ]
    return render(request, "policy/list.html", {"rows": rows, "today": today})


@gate(VIEW_PERM)
def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        policy = loader.policy_by_code(code)
    except KeyError as exc:
        raise Http404 from exc
    rules = [
        {
            "key": key,
            "label": display.key_label(key),
            "value": display.value_text(key, value),
            "source": policy.sources.get(key, ""),
            "status": display.status_text(policy.labels.get(key, "")),
            "uncertain": policy.is_uncertain(key),
            "note": display.note_text(policy.notes.get(key, "")),
        }
        for key, value in policy.values.items()
    ]
    return render(request, "policy/detail.html", {"policy": policy, "rules": rules})


@gate(VIEW_PERM)
def calendar(request: HttpRequest) -> HttpResponse:
    parsed = YearForm(request.GET)
    year = timezone.localdate().year
    if parsed.is_valid() and parsed.cleaned_data["year"]:
        year = parsed.cleaned_data["year"]
    return _render_calendar(request, year, SwappedDayForm())


def _render_calendar(
    request: HttpRequest, year: int, form: SwappedDayForm, status: int = 200
) -> HttpResponse:
    calc = DeadlineForm(request.GET if "start" in request.GET else None)
    result = None
    if calc.is_bound and calc.is_valid():
        result = selectors.add_working_days(calc.cleaned_data["start"], calc.cleaned_data["n"])
    context = {
        "calc": calc,
        "calc_result": result,
        "year": year,
        "prev_year": year - 1,
        "next_year": year + 1,
        "swaps": selectors.swaps_of_year(year),
        "holidays": selectors.public_holidays_of_year(year),
        "package_workdays": selectors.package_workdays_of_year(year),
        "can_edit": has_perm_anywhere(request.user, EDIT_PERM),
        "form": form,
    }
    return render(request, "policy/calendar.html", context, status=status)


@gate(EDIT_PERM)
@require_POST
def calendar_add(request: HttpRequest) -> HttpResponse:
    form = SwappedDayForm(request.POST)
    year = timezone.localdate().year
    if form.is_valid():
        data = form.cleaned_data
        year = data["day"].year
        try:
            swap = services.swapped_day_create(actor=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("%(day)s added to the calendar.") % {"day": swap.day.strftime("%d/%m/%Y")},
            )
            return redirect(f"{reverse('policy:calendar')}?year={swap.day.year}")
    return _render_calendar(request, year, form, status=400)


@gate(EDIT_PERM)
@require_POST
def calendar_delete(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    swap = selectors.swapped_day_get(uid)
    day: dt.date = swap.day
    try:
        services.swapped_day_delete(actor=request.user, swap=swap)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(day)s removed from the calendar.") % {"day": day.strftime("%d/%m/%Y")}
        )
    return redirect(f"{reverse('policy:calendar')}?year={day.year}")
