"""A class: creation, its page, status changes, edits of the class and of its sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ptdv.access.gate import gate
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error
from ptdv.organizations.selectors import units_visible_to
from ptdv.training import rules
from ptdv.training import selectors as Q_
from ptdv.training import services as S
from ptdv.training.forms import (
    ClassEditForm,
    ClassForm,
    IssueForm,
    SessionForm,
)
from ptdv.training.models import ClassStatus, EnrolmentStatus, TrainingClass
from ptdv.training.views.common import _managed_class

# --- create / edit ---------------------------------------------------------------------------


@gate("training.view")
@require_http_methods(["GET", "POST"])
def class_create(request: AuthenticatedRequest) -> HttpResponse:
    institutions = Q_.institutions_managed_by(request.user)
    if not institutions.exists():
        raise PermissionDenied
    units = units_visible_to(request.user, perm="training.view").order_by("path")
    form = ClassForm(request.POST or None, institutions=institutions, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            klass = S.class_create(
                actor=request.user,
                institution=d["institution"],
                course_type=d["course_type"],
                code=d["code"],
                name=d["name"],
                start_on=d["start_on"],
                end_on=d["end_on"],
                venue=d["venue"],
                capacity=d["capacity"],
                lecturers=d["lecturers"],
                served_units=list(d["served_units"]) or [d["institution"].org_unit],
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The class %(code)s was created.") % {"code": klass.code})
            return redirect("training:detail", uid=klass.uid)
    return render(request, "training/class_form.html", {"form": form})


# --- class page ---------------------------------------------------------------------------------


def _class_context(request: AuthenticatedRequest, klass: TrainingClass) -> dict[str, Any]:
    roster = Q_.class_roster(klass, user=request.user)
    sessions = Q_.class_sessions(klass)
    grid = Q_.attendance_grid(klass)
    accepted = [e for e in roster if e.status == EnrolmentStatus.ACCEPTED]
    rows = []
    for e in accepted:
        marks = [(s, grid.get((e.pk, s.pk))) for s in sessions]
        rows.append({"e": e, "marks": marks, "present": sum(1 for _s, m in marks if m)})
    can_manage = Q_.can_manage(request.user, klass)
    today = timezone.localdate()
    transitions = [
        (to, label) for to, label in ClassStatus.choices if rules.can_transition(klass.status, to)
    ]
    return {
        "klass": klass,
        "roster": roster,
        "sessions": sessions,
        "rows": rows,
        "accepted_count": len(accepted),
        "nominated": [e for e in roster if e.status == EnrolmentStatus.NOMINATED],
        "certificates": Q_.class_certificates(klass, user=request.user),
        "can_manage": can_manage,
        "can_nominate": klass.status in rules.ENROLLING
        and (can_manage or bool(Q_.nominating_units(request.user))),
        "recording": klass.status in rules.RECORDING,
        "transitions": transitions,
        "can_cancel": rules.can_transition(klass.status, ClassStatus.CANCELLED),
        "closed": klass.status in {ClassStatus.FINISHED, ClassStatus.CANCELLED},
        "served": list(klass.served_units.all()),
        "issuable": [
            e
            for e in accepted
            if getattr(e, "result", None) is not None
            and e.result.completed
            and getattr(e, "certificate", None) is None
        ],
        "issue_form": IssueForm(
            initial={
                "issued_on": max(klass.end_on, min(today, klass.end_on + dt.timedelta(days=3))),
                "signer": klass.institution.director,
            }
        ),
        "today": today,
    }


@gate("training.view")
@require_GET
def class_detail(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = Q_.class_get_for(user=request.user, uid=uid)
    return render(request, "training/class_detail.html", _class_context(request, klass))


@gate("training.view")
@require_POST
def class_status(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = _managed_class(request, uid)
    try:
        S.class_transition(
            actor=request.user,
            klass=klass,
            to=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("Class status: %(status)s.") % {"status": klass.get_status_display()}
        )
    return redirect("training:detail", uid=klass.uid)


# --- edit the class and its sessions -------------------------------------------------------


@gate("training.view")
@require_http_methods(["GET", "POST"])
def class_edit(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = _managed_class(request, uid)
    units = units_visible_to(request.user, perm="training.view").order_by("path")
    initial = {
        "name": klass.name,
        "start_on": klass.start_on,
        "end_on": klass.end_on,
        "venue": klass.venue,
        "capacity": klass.capacity,
        "lecturers": klass.lecturers,
        "served_units": list(klass.served_units.all()),
        "note": klass.note,
    }
    form = ClassEditForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        served = list(d.pop("served_units"))
        # units the user cannot see stay served: the form only offers the visible ones
        visible = set(units)
        hidden = [u for u in klass.served_units.all() if u not in visible]
        try:
            S.class_update(actor=request.user, klass=klass, served_units=served + hidden, **d)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The class %(code)s was saved.") % {"code": klass.code})
            return redirect("training:detail", uid=klass.uid)
    return render(request, "training/class_edit.html", {"klass": klass, "form": form})


@gate("training.view")
@require_http_methods(["GET", "POST"])
def class_sessions(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """The sessions of a class; managers add one here."""
    klass = _managed_class(request, uid)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            S.session_add(actor=request.user, klass=klass, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The session was added."))
            return redirect("training:sessions", uid=klass.uid)
    return render(
        request,
        "training/sessions.html",
        {
            "klass": klass,
            "sessions": Q_.class_sessions(klass),
            "marked": Q_.sessions_with_attendance(klass),
            "form": form,
            "closed": klass.status in {ClassStatus.FINISHED, ClassStatus.CANCELLED},
        },
    )


@gate("training.view")
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedRequest, uid: Any, pk: int) -> HttpResponse:
    klass = _managed_class(request, uid)
    session = Q_.session_get_for(klass, pk)
    initial = {"date": session.date, "topic": session.topic, "lecturer": session.lecturer}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            S.session_update(actor=request.user, klass=klass, session=session, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("training:sessions", uid=klass.uid)
    return render(
        request, "training/session_form.html", {"klass": klass, "session": session, "form": form}
    )


@gate("training.view")
@require_POST
def session_remove(request: AuthenticatedRequest, uid: Any, pk: int) -> HttpResponse:
    klass = _managed_class(request, uid)
    session = Q_.session_get_for(klass, pk)
    try:
        S.session_remove(actor=request.user, klass=klass, session=session)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The session was removed."))
    return redirect("training:sessions", uid=klass.uid)
