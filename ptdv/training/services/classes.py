"""Institutions, classes and their sessions: creation, edits, status changes, deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.models import OrgUnit
from ptdv.training import rules
from ptdv.training.models import (
    ClassSession,
    ClassStatus,
    CourseType,
    EnrolmentStatus,
    TrainingClass,
    TrainingInstitution,
)
from ptdv.training.services.base import _d, _locked_class, _require, _today

# --- institutions and classes ------------------------------------------------------------


@transaction.atomic
def institution_create(
    *,
    actor: Any,
    code: str,
    name: str,
    org_unit: OrgUnit,
    certificate_suffix: str = "CN-TTCT",
    director: str = "",
    address: str = "",
) -> TrainingInstitution:
    _require(actor, "training.manage", org_unit)
    code, name = normalize_spaces(code), normalize_spaces(name)
    if not code or not name:
        raise DomainError(_("Code and name are required."), field="code")
    if TrainingInstitution.objects.filter(code=code).exists():
        raise DomainError(
            _("The code %(code)s is already used.") % {"code": code}, field="code", code="duplicate"
        )
    inst = TrainingInstitution.objects.create(
        code=code,
        name=name,
        org_unit=org_unit,
        certificate_suffix=normalize_spaces(certificate_suffix),
        director=normalize_spaces(director),
        address=normalize_spaces(address),
    )
    record(
        action="training.institution.created",
        actor=actor,
        target=inst,
        org_unit=org_unit,
        data={"code": code, "name": name, "org_unit": org_unit},
    )
    return inst


def default_session_dates(start_on: dt.date, end_on: dt.date, count: int) -> list[dt.date]:
    """``count`` session dates spread over the class days (weekdays first)."""
    days = [start_on + dt.timedelta(days=i) for i in range((end_on - start_on).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5] or days
    if count <= len(weekdays):
        return weekdays[:count]
    # more sessions than days: morning and afternoon sessions
    return sorted(weekdays[i % len(weekdays)] for i in range(count))


@dataclass(frozen=True)
class SessionSpec:
    date: dt.date
    topic: str = ""
    lecturer: str = ""


def _check_class_fields(*, code: str, start_on: dt.date, end_on: dt.date, capacity: int) -> None:
    if not code:
        raise DomainError(_("The class code is required."), field="code")
    if end_on < start_on:
        raise DomainError(_("The end date cannot be before the start date."), field="end_on")
    if capacity < 1:
        raise DomainError(_("The capacity must be at least 1."), field="capacity")


def _planned_sessions(
    course_type: CourseType,
    start_on: dt.date,
    end_on: dt.date,
    sessions: Sequence[SessionSpec] | None,
) -> Sequence[SessionSpec]:
    """The sessions of a new class — the course type's usual number spread over the class
    when none are given — each dated within the class."""
    if sessions is None:
        sessions = [
            SessionSpec(day, _("Topic %(n)s") % {"n": i})
            for i, day in enumerate(
                default_session_dates(start_on, end_on, course_type.usual_sessions), start=1
            )
        ]
    for s in sessions:
        problem = rules.session_date_problem(s.date, start_on, end_on)
        if problem:
            raise DomainError(problem, field="sessions", code="session_outside_class")
    return sessions


@transaction.atomic
def class_create(
    *,
    actor: Any,
    institution: TrainingInstitution,
    course_type: CourseType,
    code: str,
    start_on: dt.date,
    end_on: dt.date,
    name: str = "",
    venue: str = "",
    capacity: int = 80,
    lecturers: str = "",
    served_units: Iterable[OrgUnit] = (),
    sessions: Sequence[SessionSpec] | None = None,
    note: str = "",
) -> TrainingClass:
    _require(actor, "training.manage", institution.org_unit)
    code = normalize_spaces(code)
    _check_class_fields(code=code, start_on=start_on, end_on=end_on, capacity=capacity)
    if TrainingClass.objects.filter(institution=institution, code=code).exists():
        raise DomainError(
            _("The class code %(code)s is already used by this institution.") % {"code": code},
            field="code",
            code="duplicate_code",
        )
    sessions = _planned_sessions(course_type, start_on, end_on, sessions)
    klass = TrainingClass.objects.create(
        institution=institution,
        course_type=course_type,
        code=code,
        name=normalize_spaces(name) or f"{course_type.name} — {code}",
        venue=normalize_spaces(venue),
        start_on=start_on,
        end_on=end_on,
        capacity=capacity,
        lecturers=normalize_spaces(lecturers),
        note=note,
    )
    units = list(served_units)
    if units:
        klass.served_units.set(units)
    ClassSession.objects.bulk_create(
        ClassSession(klass=klass, date=s.date, topic=s.topic, lecturer=s.lecturer) for s in sessions
    )
    record(
        action="training.class.created",
        actor=actor,
        target=klass,
        org_unit=institution.org_unit,
        data={
            "code": code,
            "course_type": course_type.code,
            "start_on": start_on,
            "end_on": end_on,
            "capacity": capacity,
            "served_units": [u.code for u in units],
            "sessions": len(sessions),
        },
    )
    return klass


CLASS_EDITABLE = {"name", "venue", "start_on", "end_on", "lecturers", "capacity", "note"}


@transaction.atomic
def class_update(
    *,
    actor: Any,
    klass: TrainingClass,
    served_units: Iterable[OrgUnit] | None = None,
    **changes: Any,
) -> TrainingClass:
    unknown = set(changes) - CLASS_EDITABLE
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    if klass.status in {ClassStatus.FINISHED, ClassStatus.CANCELLED}:
        raise DomainError(
            _("A finished or cancelled class cannot be changed."), code="class_closed"
        )
    start_on = changes.get("start_on", klass.start_on)
    end_on = changes.get("end_on", klass.end_on)
    capacity = changes.get("capacity", klass.capacity)
    _check_class_fields(code=klass.code, start_on=start_on, end_on=end_on, capacity=capacity)
    for s in klass.sessions.all():
        if rules.session_date_problem(s.date, start_on, end_on):
            raise DomainError(
                _("The session of %(date)s would fall outside the class dates.")
                % {"date": _d(s.date)},
                field="start_on",
            )
    taken = klass.enrolments.filter(status=EnrolmentStatus.ACCEPTED).count()
    if capacity < taken:
        raise DomainError(
            _("The capacity cannot be below the %(n)s trainees already accepted.") % {"n": taken},
            field="capacity",
        )
    for key in ("name", "venue", "lecturers"):
        if key in changes:
            changes[key] = normalize_spaces(changes[key] or "")
    changed = apply_changes(klass, changes)
    if served_units is not None:
        old = sorted(klass.served_units.values_list("code", flat=True))
        units = list(served_units)
        new = sorted(u.code for u in units)
        if old != new:
            klass.served_units.set(units)
            changed["served_units"] = {"old": old, "new": new}
    if changed:
        record(
            action="training.class.updated",
            actor=actor,
            target=klass,
            org_unit=klass.institution.org_unit,
            data=changed,
        )
    return klass


@transaction.atomic
def session_add(
    *, actor: Any, klass: TrainingClass, date: dt.date, topic: str = "", lecturer: str = ""
) -> ClassSession:
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    if klass.status in {ClassStatus.FINISHED, ClassStatus.CANCELLED}:
        raise DomainError(
            _("A finished or cancelled class cannot be changed."), code="class_closed"
        )
    problem = rules.session_date_problem(date, klass.start_on, klass.end_on)
    if problem:
        raise DomainError(problem, field="date", code="session_outside_class")
    session = ClassSession.objects.create(
        klass=klass, date=date, topic=normalize_spaces(topic), lecturer=normalize_spaces(lecturer)
    )
    record(
        action="training.session.added",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"date": date, "topic": topic},
    )
    return session


def _session_of(klass: TrainingClass, session: ClassSession) -> ClassSession:
    locked = ClassSession.objects.select_for_update().filter(pk=session.pk, klass=klass).first()
    if locked is None:
        raise DomainError(_("This session does not belong to the class."), code="not_found")
    return locked


def _check_session_change(klass: TrainingClass, session: ClassSession) -> None:
    if klass.status in {ClassStatus.FINISHED, ClassStatus.CANCELLED}:
        raise DomainError(
            _("A finished or cancelled class cannot be changed."), code="class_closed"
        )
    if session.attendance.exists():
        raise DomainError(
            _(
                "Attendance has already been recorded for the session of %(date)s; "
                "it can no longer be changed."
            )
            % {"date": _d(session.date)},
            code="attendance_recorded",
        )


@transaction.atomic
def session_update(
    *,
    actor: Any,
    klass: TrainingClass,
    session: ClassSession,
    date: dt.date,
    topic: str = "",
    lecturer: str = "",
) -> ClassSession:
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    session = _session_of(klass, session)
    _check_session_change(klass, session)
    problem = rules.session_date_problem(date, klass.start_on, klass.end_on)
    if problem:
        raise DomainError(problem, field="date", code="session_outside_class")
    changed = apply_changes(
        session,
        {"date": date, "topic": normalize_spaces(topic), "lecturer": normalize_spaces(lecturer)},
    )
    if changed:
        record(
            action="training.session.updated",
            actor=actor,
            target=klass,
            org_unit=klass.institution.org_unit,
            data={"session": session.pk, **changed},
        )
    return session


@transaction.atomic
def session_remove(*, actor: Any, klass: TrainingClass, session: ClassSession) -> None:
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    session = _session_of(klass, session)
    _check_session_change(klass, session)
    data = {"session": session.pk, "date": session.date, "topic": session.topic}
    session.delete()
    record(
        action="training.session.removed",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data=data,
    )


@transaction.atomic
def class_transition(
    *,
    actor: Any,
    klass: TrainingClass,
    to: str,
    today: dt.date | None = None,
    reason: str = "",
) -> TrainingClass:
    """Move a class along open → running → finished, or cancel it. A user cancelling
    (``actor`` given) must say why; the reason is audited and added to the class note."""
    original = klass
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    if to not in ClassStatus.values:
        raise DomainError(_("Unknown class status."), field="status")
    reason = normalize_spaces(reason)
    if to == ClassStatus.CANCELLED and actor is not None and not reason:
        raise DomainError(
            _("Please give the reason for cancelling the class."),
            field="reason",
            code="reason_required",
        )
    problem = rules.transition_problem(
        klass.status, to, start_on=klass.start_on, end_on=klass.end_on, today=_today(today)
    )
    if problem:
        raise DomainError(problem, field="status", code="invalid_transition")
    old = klass.status
    klass.status = to
    fields = ["status", "updated_at"]
    data: dict[str, Any] = {"status": {"old": old, "new": to}}
    if reason:
        line = _("Cancelled: %(reason)s") % {"reason": reason}
        klass.note = f"{klass.note}\n{line}".strip()
        fields.append("note")
        data["reason"] = reason
    klass.save(update_fields=fields)
    original.status = to  # the caller's instance stays in step
    original.note = klass.note
    record(
        action="training.class.status_changed",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data=data,
    )
    return klass


@transaction.atomic
def class_delete(*, actor: Any, klass: TrainingClass) -> None:
    """Delete a class that holds nothing: no enrolment (whatever its status) and no
    certificate; its sessions go with it. Used by the undo of an import that created the
    class, after the undo has removed the enrolments and results the import added."""
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    if klass.certificates.exists():
        raise DomainError(
            _("The class %(code)s has certificates; it cannot be deleted.") % {"code": klass.code},
            code="class_in_use",
        )
    if klass.enrolments.exists():
        raise DomainError(
            _("The class %(code)s has trainees; it cannot be deleted.") % {"code": klass.code},
            code="class_in_use",
        )
    data = {
        "code": klass.code,
        "name": klass.name,
        "course_type": klass.course_type.code,
        "start_on": klass.start_on,
        "end_on": klass.end_on,
        "status": klass.status,
    }
    unit = klass.institution.org_unit
    record(action="training.class.deleted", actor=actor, target=klass, org_unit=unit, data=data)
    klass.delete()
