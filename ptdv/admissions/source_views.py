"""Pages of the source lists (issue 15 point 8): the list with what each person still
lacks, the name search that puts several people on the list at once, and the helping
members of an entry. Thin: scoped selector → parse → service → respond."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm
from ptdv.admissions import forms as admission_forms
from ptdv.admissions import helper_periods, readiness, selectors, sources
from ptdv.core.errors import DomainError
from ptdv.core.forms import VNDateField


class AddPeopleForm(forms.Form):
    added_on = VNDateField(label=gettext_lazy("Added on"))


class HelpersForm(forms.Form):
    on = VNDateField(label=gettext_lazy("Date of the change"))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), max_length=255, required=False
    )


def _today() -> dt.date:
    return timezone.localdate()


def _date_param(request: HttpRequest) -> dt.date | None:
    """``?on=`` (dd/mm/yyyy): the day whose official members the helper form offers."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return None
    try:
        day = VNDateField().clean(raw)
    except ValidationError:
        return None
    return day if isinstance(day, dt.date) and day <= _today() else None


def _current(entry: Any, rows: list[Any]) -> list[tuple[Any, dt.date | None]]:
    """The helpers helping now (``entry.helpers``, prefetched) with the day each one's open
    assignment began (None for a helper recorded without a dated row)."""
    since = {r.helper_id: r.start_on for r in rows if r.end_on is None}
    return [(h, since.get(h.pk)) for h in entry.helpers.all()]


@gate("admissions.view")
def source_list(request: HttpRequest, uid: Any) -> HttpResponse:
    sl = selectors.source_list_get_for(user=request.user, uid=uid)
    entries = list(selectors.source_entries_of(sl))
    today = _today()
    ready = readiness.readiness_of(entries, today)
    history = helper_periods.history_of(entries)
    can_act = has_perm(request.user, "admissions.act", sl.org_unit)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "admissions/source_list.html",
        {
            "sl": sl,
            "rows": [
                {"e": e, "ready": ready[e.pk], "helpers": _current(e, history.get(e.pk, []))}
                for e in entries
            ],
            "today": today,
            "q": q,
            "found": sources.search_candidates(user=request.user, source_list=sl, q=q)
            if can_act and q
            else [],
            "add_form": AddPeopleForm(initial={"added_on": today}),
            "note_form": admission_forms.SourceNoteForm(initial={"date": today}),
            "remove_form": admission_forms.SourceRemoveForm(initial={"on": today}),
            "can_act": can_act,
        },
    )


@gate("admissions.act")
def source_search(request: HttpRequest, uid: Any) -> HttpResponse:
    """The search results (HTMX fragment of the list page)."""
    sl = selectors.source_list_get_for(user=request.user, uid=uid)
    q = request.GET.get("q", "").strip()
    found = sources.search_candidates(user=request.user, source_list=sl, q=q) if q else []
    return render(request, "admissions/_source_search.html", {"found": found, "q": q})


@gate("admissions.act")
@require_POST
def source_people_add(request: HttpRequest, uid: Any) -> HttpResponse:
    sl = selectors.source_list_get_for(user=request.user, uid=uid)
    form = AddPeopleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the form."))
        return redirect("admissions:source_list", uid=sl.uid)
    try:
        added = sources.source_entries_add(
            actor=request.user,
            source_list=sl,
            person_uids=request.POST.getlist("person"),
            added_on=form.cleaned_data["added_on"],
            today=_today(),
        )
    except sources.BulkRefusedError as exc:
        messages.error(request, _("Nobody was added:"))
        for r in exc.refusals:
            messages.error(request, f"{r.name}: {r.message}")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Added to the list: %(names)s.") % {"names": ", ".join(str(e) for e in added)},
        )
    return redirect("admissions:source_list", uid=sl.uid)


@gate("admissions.view")
def source_helpers(request: HttpRequest, uid: Any) -> HttpResponse:
    """The helping members of an entry: who helps since when, and the form to change."""
    entry = selectors.source_entry_get_for(user=request.user, uid=uid)
    can_act = has_perm(request.user, "admissions.act", entry.source_list.org_unit)
    if request.method == "POST":
        if not can_act:
            return HttpResponse(status=403)
        form = HelpersForm(request.POST)
        if form.is_valid():
            on = form.cleaned_data["on"]
            chosen = list(
                sources.helper_choices(entry, on).filter(uid__in=request.POST.getlist("helper"))
            )
            if len(chosen) != len(set(request.POST.getlist("helper"))):
                form.add_error(None, _("A chosen helper is not an official member on that day."))
            else:
                try:
                    sources.source_helpers_change(
                        actor=request.user,
                        entry=entry,
                        helpers=chosen,
                        on=on,
                        reason=form.cleaned_data["reason"],
                        today=_today(),
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("admissions:source_list", uid=entry.source_list.uid)
        on = (
            form.cleaned_data.get("on") if form.is_bound and hasattr(form, "cleaned_data") else None
        )
        status = 400
    else:
        on, status = _date_param(request), 200
        form = HelpersForm(initial={"on": on or _today()})
    on = on or _today()
    current = {h.pk for h in entry.helpers.all()}
    return render(
        request,
        "admissions/source_helpers.html",
        {
            "entry": entry,
            "form": form,
            "on": on,
            "choices": sources.helper_choices(entry, on),
            "current": current,
            "history": helper_periods.history_of([entry]).get(entry.pk, []),
            "can_act": can_act and entry.status not in readiness.CLOSED,
        },
        status=status,
    )
