"""Work on a class's roster: nomination from a list, acceptance, withdrawal, attendance,
results and issuing certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptdv.access.gate import gate
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, form_error_messages, paginate
from ptdv.training import selectors as Q_
from ptdv.training import services as S
from ptdv.training.forms import (
    IssueForm,
    ResultFields,
)
from ptdv.training.models import EnrolmentStatus
from ptdv.training.views.classes import _class_context
from ptdv.training.views.common import _bulk_message, _ints, _managed_class


@gate("training.view")
@require_POST
def class_accept(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = _managed_class(request, uid)
    ids = _ints(request.POST.getlist("enrolment"))
    if not ids:
        messages.error(request, _("Choose at least one nomination."))
        return redirect("training:detail", uid=klass.uid)
    try:
        n = S.enrolment_accept(actor=request.user, klass=klass, enrolment_ids=ids)
    except DomainError as e:
        _bulk_message(request, e)
    else:
        messages.success(request, _("%(n)s nominations accepted.") % {"n": n})
    return redirect("training:detail", uid=klass.uid)


@gate("training.view")
@require_POST
def class_attendance(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """Save the whole attendance grid at once (checked = present)."""
    klass = _managed_class(request, uid)
    sessions = Q_.class_sessions(klass)
    only = _ints(request.POST.getlist("session"))
    if only:
        sessions = [s for s in sessions if s.pk in only]
    accepted = [e for e in Q_.class_roster(klass) if e.status == EnrolmentStatus.ACCEPTED]
    all_present = request.POST.get("all_present")
    marks = []
    for e in accepted:
        for s in sessions:
            if all_present and str(s.pk) != all_present:
                continue
            present = bool(all_present) or request.POST.get(f"a-{e.pk}-{s.pk}") == "1"
            marks.append((e.pk, s.pk, present))
    error = None
    try:
        if marks:
            S.attendance_record(actor=request.user, klass=klass, marks=marks)
    except DomainError as e:
        error = e
    if request.htmx:
        ctx = _class_context(request, klass)
        ctx["attendance_error"] = error
        ctx["attendance_saved"] = error is None
        return render(request, "training/_attendance.html", ctx)
    if error:
        _bulk_message(request, error)
    else:
        messages.success(request, _("Attendance saved."))
    return redirect(reverse("training:detail", kwargs={"uid": klass.uid}) + "#attendance")


@gate("training.view")
@require_POST
def class_results(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = _managed_class(request, uid)
    rows = []
    for e in Q_.class_roster(klass):
        if e.status != EnrolmentStatus.ACCEPTED:
            continue
        passed = request.POST.get(ResultFields.passed(e.pk), "")
        if passed not in {"1", "0"}:
            continue
        rows.append(
            S.ResultRow(
                e.pk,
                passed=passed == "1",
                score=request.POST.get(ResultFields.score(e.pk), "").strip() or None,
                grade=request.POST.get(ResultFields.grade(e.pk), ""),
            )
        )
    if not rows:
        messages.error(request, _("Enter at least one result."))
    else:
        try:
            S.result_record(actor=request.user, klass=klass, rows=rows)
        except DomainError as e:
            _bulk_message(request, e)
        else:
            messages.success(request, _("%(n)s results saved.") % {"n": len(rows)})
    return redirect(reverse("training:detail", kwargs={"uid": klass.uid}) + "#results")


@gate("training.view")
@require_POST
def class_issue(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = _managed_class(request, uid)
    form = IssueForm(request.POST)
    ids = _ints(request.POST.getlist("enrolment"))
    if not form.is_valid():
        for err in form_error_messages(form):
            messages.error(request, err)
    elif not ids:
        messages.error(request, _("Choose at least one trainee."))
    else:
        try:
            certs = S.certificate_issue(
                actor=request.user,
                klass=klass,
                enrolment_ids=ids,
                issued_on=form.cleaned_data["issued_on"],
                signer=form.cleaned_data["signer"],
            )
        except DomainError as e:
            _bulk_message(request, e)
        else:
            messages.success(request, _("%(n)s certificates issued.") % {"n": len(certs)})
    return redirect(reverse("training:detail", kwargs={"uid": klass.uid}) + "#certificates")


@gate("training.view")
@require_POST
def enrolment_withdraw(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    enrolment = Q_.enrolment_get_for(user=request.user, uid=uid)
    try:
        S.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("%(name)s was withdrawn from the class.") % {"name": enrolment.person.full_name},
        )
    return redirect(reverse("training:detail", kwargs={"uid": enrolment.klass.uid}) + "#roster")


# --- nomination / enrolment from a list ---------------------------------------------------------


@gate("training.view")
@require_http_methods(["GET", "POST"])
def class_nominate(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """Choose people of the user's subtree: the centre enrols them, a committee nominates."""
    klass = Q_.class_get_for(user=request.user, uid=uid)
    can_manage = Q_.can_manage(request.user, klass)
    units = Q_.nominating_units(request.user)
    if not can_manage and not units:
        raise PermissionDenied
    candidates = Q_.nomination_candidates(user=request.user, klass=klass)
    q = request.GET.get("q", "").strip()
    if q:
        from ptdv.core.text import fold

        for word in fold(q).split():
            candidates = candidates.filter(name_folded__contains=word)
    if request.method == "POST":
        chosen = list(
            Q_.nomination_candidates(user=request.user, klass=klass)
            .filter(uid__in=request.POST.getlist("person"))
            .select_related("org_unit")
        )
        if not chosen:
            messages.error(request, _("Choose at least one person."))
        else:
            try:
                if can_manage:
                    done = S.enrol_bulk(
                        actor=request.user, klass=klass, person_ids=[p.pk for p in chosen]
                    )
                    messages.success(request, _("%(n)s people enrolled.") % {"n": len(done)})
                else:
                    total = 0
                    for unit, people in _group_by_unit(chosen, units).items():
                        total += len(
                            S.enrolment_nominate(
                                actor=request.user,
                                klass=klass,
                                person_ids=[p.pk for p in people],
                                unit=unit,
                            )
                        )
                    messages.success(request, _("%(n)s people nominated.") % {"n": total})
            except DomainError as e:
                _bulk_message(request, e)
            else:
                return redirect("training:detail", uid=klass.uid)
    page = paginate(request, candidates, per_page=200)
    return render(
        request,
        "training/nominate.html",
        {"klass": klass, "page": page, "can_manage": can_manage, "q": q},
    )


def _group_by_unit(people: list[Any], units: list[Any]) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {}
    for p in people:
        unit = next((u for u in units if p.org_unit.path.startswith(u.path)), None)
        if unit is None:
            raise Http404
        out.setdefault(unit, []).append(p)
    return out
