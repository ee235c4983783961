"""Training pages: class list and calendar, class page (roster, attendance grid, results,
certificates), nomination from a list, Excel export, certificate printing.

Thin views: access (selector) → parse (form) → act (service) → respond."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.core.errors import BulkError, DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error, paginate
from ptdv.organizations.selectors import units_visible_to
from ptdv.training import selectors as Q_
from ptdv.training import services as S
from ptdv.training.exports import class_workbook
from ptdv.training.forms import (
    ClassEditForm,
    ClassFilterForm,
    ClassForm,
    CourseTypeForm,
    IssueForm,
    ResultFields,
    SessionForm,
)
from ptdv.training.models import ClassStatus, EnrolmentStatus, TrainingClass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bulk_message(request: AuthenticatedRequest, error: DomainError) -> None:
    messages.error(request, error.message)
    if isinstance(error, BulkError):
        for row in error.rows:
            messages.error(
                request, _("Row %(row)s: %(message)s") % {"row": row.row, "message": row.message}
            )


def _ints(values: list[str]) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except ValueError:
            continue
    return out


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
        (to, label) for to, label in ClassStatus.choices if S.rules.can_transition(klass.status, to)
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
        "can_nominate": klass.status in S.rules.ENROLLING
        and (can_manage or bool(Q_.nominating_units(request.user))),
        "recording": klass.status in S.rules.RECORDING,
        "transitions": transitions,
        "can_cancel": S.rules.can_transition(klass.status, ClassStatus.CANCELLED),
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


def _managed_class(request: AuthenticatedRequest, uid: Any) -> TrainingClass:
    klass = Q_.class_get_for(user=request.user, uid=uid)
    require_perm(request.user, "training.manage", klass.institution.org_unit)
    return klass


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


# --- course types ------------------------------------------------------------------------------


def _configurer(request: AuthenticatedRequest) -> None:
    if not S.can_configure_course_types(request.user):
        raise PermissionDenied


@gate("training.view")
@require_GET
def course_type_list(request: AuthenticatedRequest) -> HttpResponse:
    _configurer(request)
    return render(request, "training/course_types.html", {"course_types": list(Q_.course_types())})


@gate("training.view")
@require_http_methods(["GET", "POST"])
def course_type_edit(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    _configurer(request)
    course_type = Q_.course_type_get(uid)
    initial = {name: getattr(course_type, name) for name in CourseTypeForm.base_fields}
    form = CourseTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            S.course_type_update(actor=request.user, course_type=course_type, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(
                request, _("The course type %(name)s was saved.") % {"name": course_type.name}
            )
            return redirect("training:course_types")
    return render(
        request, "training/course_type_form.html", {"course_type": course_type, "form": form}
    )


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
        for errors in form.errors.values():
            for err in errors:
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


# --- exports and printing ---------------------------------------------------------------------


@gate("training.view")
@require_GET
def class_export(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = Q_.class_get_for(user=request.user, uid=uid)
    data = class_workbook(
        klass,
        Q_.class_roster(klass, user=request.user),
        Q_.class_sessions(klass),
        Q_.attendance_grid(klass),
        Q_.class_certificates(klass, user=request.user),
    )
    response = HttpResponse(data, content_type=XLSX)
    safe = klass.code.replace("/", "-").encode("ascii", "ignore").decode() or "lop"
    response["Content-Disposition"] = f'attachment; filename="lop-{safe}.xlsx"'
    return response


def _fmt(fmt: str) -> str:
    if fmt not in {"pdf", "docx"}:
        raise Http404
    return fmt


@gate("training.view")
@require_GET
def certificate_print(request: AuthenticatedRequest, uid: Any, fmt: str) -> HttpResponse:
    from ptdv.training.certificates import certificates_response

    cert = Q_.certificate_get_for(user=request.user, uid=uid)
    return certificates_response([cert], _fmt(fmt))


@gate("training.view")
@require_GET
def class_certificates_print(request: AuthenticatedRequest, uid: Any, fmt: str) -> HttpResponse:
    from ptdv.training.certificates import certificates_response

    klass = Q_.class_get_for(user=request.user, uid=uid)
    certs = Q_.class_certificates(klass, user=request.user)
    wanted = request.GET.getlist("c")
    if wanted:
        certs = [c for c in certs if str(c.uid) in wanted]
    if not certs:
        raise Http404
    safe = klass.code.replace("/", "-").encode("ascii", "ignore").decode() or "lop"
    return certificates_response(certs, _fmt(fmt), filename=f"GCN_lop-{safe}.{fmt}")
