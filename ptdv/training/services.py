"""Every write of training: one function per action, one transaction, validated, audited.

Bulk actions are all-or-nothing: they raise ``BulkError`` listing every failing row and
change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm, has_perm_anywhere
from ptdv.audit import labels
from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import BulkError, DomainError, PermissionDeniedError, RowError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MembershipPeriod, Person
from ptdv.policy.loader import PolicyFileError, policy_on
from ptdv.training import rules
from ptdv.training.models import (
    Attendance,
    Audience,
    Certificate,
    ClassSession,
    ClassStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Result,
    TrainingClass,
    TrainingInstitution,
)

labels.register(
    {
        "training.institution.created": gettext_lazy("Training institution created"),
        "training.class.created": gettext_lazy("Class created"),
        "training.class.updated": gettext_lazy("Class updated"),
        "training.class.status_changed": gettext_lazy("Class status changed"),
        "training.class.deleted": gettext_lazy("Class deleted"),
        "training.session.added": gettext_lazy("Class session added"),
        "training.session.updated": gettext_lazy("Class session updated"),
        "training.session.removed": gettext_lazy("Class session removed"),
        "training.course_type.updated": gettext_lazy("Course type updated"),
        "training.enrolment.enrolled": gettext_lazy("Trainees enrolled"),
        "training.enrolment.nominated": gettext_lazy("Trainees nominated"),
        "training.enrolment.accepted": gettext_lazy("Nominations accepted"),
        "training.enrolment.withdrawn": gettext_lazy("Enrolment withdrawn"),
        "training.attendance.recorded": gettext_lazy("Attendance recorded"),
        "training.result.recorded": gettext_lazy("Results recorded"),
        "training.result.restored": gettext_lazy("Result restored"),
        "training.certificate.issued": gettext_lazy("Certificates issued"),
    }
)

ACTIVE_ENROLMENT = (EnrolmentStatus.NOMINATED, EnrolmentStatus.ACCEPTED)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(actor: Any, perm: str, unit: OrgUnit) -> None:
    """Services stay safe when called from elsewhere: ``actor=None`` is the system."""
    if actor is None:
        return
    if not has_perm(actor, perm, unit):
        raise PermissionDeniedError(
            _("You do not have permission to do this for %(org)s.") % {"org": unit}
        )


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _locked_class(klass: TrainingClass) -> TrainingClass:
    return (
        TrainingClass.objects.select_for_update()
        .select_related("institution__org_unit", "course_type")
        .get(pk=klass.pk)
    )


# --- course types -----------------------------------------------------------------------

COURSE_TYPE_EDITABLE = {
    "name",
    "audience",
    "certificate_validity_months",
    "usual_sessions",
    "usual_days",
    "min_attendance_ratio",
    "order",
}


def can_configure_course_types(user: Any) -> bool:
    """Course types are shared by every institution: whoever manages training at the top
    of their scope may configure them."""
    return user is not None and has_perm_anywhere(user, "training.manage")


@transaction.atomic
def course_type_update(*, actor: Any, course_type: CourseType, **changes: Any) -> CourseType:
    unknown = set(changes) - COURSE_TYPE_EDITABLE
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if actor is not None and not can_configure_course_types(actor):
        raise PermissionDeniedError(_("You do not have permission to configure course types."))
    course_type = CourseType.objects.select_for_update().get(pk=course_type.pk)
    if "name" in changes:
        changes["name"] = normalize_spaces(changes["name"] or "")
        if not changes["name"]:
            raise DomainError(_("The name of the course type is required."), field="name")
    if "audience" in changes and changes["audience"] not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    months = changes.get("certificate_validity_months", course_type.certificate_validity_months)
    if months is not None and not 1 <= months <= 600:
        raise DomainError(
            _("The certificate validity must be between 1 and 600 months, or empty."),
            field="certificate_validity_months",
        )
    for key in ("usual_sessions", "usual_days"):
        if key in changes and not 1 <= changes[key] <= 365:
            raise DomainError(_("The value must be between 1 and 365."), field=key)
    ratio = changes.get("min_attendance_ratio", course_type.min_attendance_ratio)
    if not Decimal("0") <= Decimal(ratio) <= Decimal("1"):
        raise DomainError(
            _("The minimum attendance ratio must be between 0 and 1."),
            field="min_attendance_ratio",
        )
    changed = apply_changes(course_type, changes)
    if changed:
        record(
            action="training.course_type.updated",
            actor=actor,
            target=course_type,
            data={"code": course_type.code, **changed},
        )
    return course_type


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


# --- enrolment -----------------------------------------------------------------------------


def statuses_on(person_ids: Iterable[int], day: dt.date) -> dict[int, str]:
    """Membership status of each person on ``day`` from the derived periods."""
    ids = list(person_ids)
    spans: dict[int, list[rules.Span]] = {pid: [] for pid in ids}
    for pid, status, start, end in MembershipPeriod.objects.filter(person_id__in=ids).values_list(
        "person_id", "status", "start", "end"
    ):
        spans[pid].append(rules.Span(status, start, end))
    return {pid: rules.status_on(spans[pid], day) for pid in ids}


def _class_open_problem(klass: TrainingClass) -> str | None:
    if klass.status not in rules.ENROLLING:
        return _("The class %(code)s is %(status)s: no more enrolment.") % {
            "code": klass.code,
            "status": klass.get_status_display().lower(),
        }
    return None


def _check_people(
    klass: TrainingClass,
    person_ids: Sequence[int],
    *,
    statuses: Mapping[int, str] | None,
    capacity_left: int | None,
) -> tuple[dict[int, Person], list[RowError]]:
    """Row errors for enrolling/nominating ``person_ids`` (row numbers start at 1)."""
    people = Person.objects.select_related("org_unit").in_bulk(list(set(person_ids)))
    known = statuses if statuses is not None else statuses_on(people.keys(), klass.start_on)
    existing = dict(
        klass.enrolments.filter(person_id__in=list(people)).values_list("person_id", "status")
    )
    errors: list[RowError] = []
    seen: set[int] = set()
    placed = 0
    audience = klass.course_type.audience
    for row, pid in enumerate(person_ids, start=1):
        person = people.get(pid)
        if person is None:
            errors.append(RowError(row, _("Unknown person.")))
            continue
        name = person.full_name
        if pid in seen:
            errors.append(RowError(row, _("%(name)s: listed twice.") % {"name": name}))
            continue
        seen.add(pid)
        if pid in existing:
            errors.append(
                RowError(
                    row,
                    _("%(name)s already has a place in this class.") % {"name": name}
                    if existing[pid] != EnrolmentStatus.WITHDRAWN
                    else _("%(name)s withdrew from this class.") % {"name": name},
                )
            )
            continue
        problem = rules.eligibility_problem(audience, known.get(pid, "none"))
        if problem:
            errors.append(RowError(row, f"{name}: {problem}"))
            continue
        placed += 1
        if capacity_left is not None and placed > capacity_left:
            errors.append(
                RowError(
                    row,
                    _("%(name)s: the class is full (capacity %(cap)s).")
                    % {"name": name, "cap": klass.capacity},
                )
            )
    return people, errors


def _raise_rows(errors: list[RowError], message: str) -> None:
    if errors:
        raise BulkError(message, rows=errors)


def _accepted_count(klass: TrainingClass) -> int:
    return klass.enrolments.filter(status=EnrolmentStatus.ACCEPTED).count()


@transaction.atomic
def enrol_bulk(
    *,
    actor: Any,
    klass: TrainingClass,
    person_ids: Sequence[int],
    statuses: Mapping[int, str] | None = None,
    nominated_by_unit: OrgUnit | None = None,
) -> list[Enrolment]:
    """The centre enrols people directly (accepted). Eligibility is checked against each
    person's membership status ON THE CLASS START DATE, read from the derived periods;
    ``statuses`` (person id → status on that date) may be given by a caller that already
    knows them (the demo plan, an import)."""
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    problem = _class_open_problem(klass)
    if problem:
        raise DomainError(problem, code="class_closed")
    if not person_ids:
        raise DomainError(_("Choose at least one person."), field="people")
    people, errors = _check_people(
        klass, person_ids, statuses=statuses, capacity_left=klass.capacity - _accepted_count(klass)
    )
    _raise_rows(errors, _("Nobody was enrolled: fix the rows below and try again."))
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = Enrolment.objects.bulk_create(
        Enrolment(
            klass=klass,
            person_id=pid,
            status=EnrolmentStatus.ACCEPTED,
            nominated_by_unit=nominated_by_unit,
            nominated_by=user,
            accepted_by=user,
        )
        for pid in person_ids
    )
    record(
        action="training.enrolment.enrolled",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"count": len(rows), "people": [people[pid].full_name for pid in person_ids]},
    )
    return rows


@transaction.atomic
def enrolment_nominate(
    *,
    actor: Any,
    klass: TrainingClass,
    person_ids: Sequence[int],
    unit: OrgUnit,
    statuses: Mapping[int, str] | None = None,
) -> list[Enrolment]:
    """A cell or grassroots committee (``unit``) nominates its own people; the centre
    accepts them later (``enrolment_accept``)."""
    klass = _locked_class(klass)
    _require(actor, "training.nominate", unit)
    problem = _class_open_problem(klass)
    if problem:
        raise DomainError(problem, code="class_closed")
    if not person_ids:
        raise DomainError(_("Choose at least one person."), field="people")
    people, errors = _check_people(klass, person_ids, statuses=statuses, capacity_left=None)
    for row, pid in enumerate(person_ids, start=1):
        person = people.get(pid)
        if person is None or any(e.row == row for e in errors):
            continue
        if not person.org_unit.path.startswith(unit.path):
            errors.append(
                RowError(
                    row,
                    _("%(name)s does not belong to %(org)s.")
                    % {"name": person.full_name, "org": unit},
                )
            )
    errors.sort(key=lambda e: e.row)
    _raise_rows(errors, _("Nobody was nominated: fix the rows below and try again."))
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = Enrolment.objects.bulk_create(
        Enrolment(
            klass=klass,
            person_id=pid,
            status=EnrolmentStatus.NOMINATED,
            nominated_by_unit=unit,
            nominated_by=user,
        )
        for pid in person_ids
    )
    record(
        action="training.enrolment.nominated",
        actor=actor,
        target=klass,
        org_unit=unit,
        data={"count": len(rows), "people": [people[pid].full_name for pid in person_ids]},
    )
    return rows


@transaction.atomic
def enrolment_accept(*, actor: Any, klass: TrainingClass, enrolment_ids: Sequence[int]) -> int:
    """The centre accepts nominations (all or none), within the class capacity."""
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    problem = _class_open_problem(klass)
    if problem:
        raise DomainError(problem, code="class_closed")
    found = {
        e.pk: e
        for e in klass.enrolments.filter(pk__in=list(enrolment_ids)).select_related("person")
    }
    errors: list[RowError] = []
    left = klass.capacity - _accepted_count(klass)
    accepted = 0
    for row, eid in enumerate(enrolment_ids, start=1):
        e = found.get(eid)
        if e is None:
            errors.append(RowError(row, _("Unknown enrolment.")))
        elif e.status != EnrolmentStatus.NOMINATED:
            errors.append(
                RowError(
                    row, _("%(name)s is not awaiting acceptance.") % {"name": e.person.full_name}
                )
            )
        else:
            accepted += 1
            if accepted > left:
                errors.append(
                    RowError(
                        row,
                        _("%(name)s: the class is full (capacity %(cap)s).")
                        % {"name": e.person.full_name, "cap": klass.capacity},
                    )
                )
    _raise_rows(errors, _("No nomination was accepted: fix the rows below and try again."))
    user = actor if getattr(actor, "is_authenticated", False) else None
    Enrolment.objects.filter(pk__in=list(found)).update(
        status=EnrolmentStatus.ACCEPTED, accepted_by=user, updated_at=timezone.now()
    )
    record(
        action="training.enrolment.accepted",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"count": len(found), "people": [e.person.full_name for e in found.values()]},
    )
    return len(found)


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("klass__institution__org_unit", "person")
        .get(pk=enrolment.pk)
    )
    klass = enrolment.klass
    unit = enrolment.nominated_by_unit
    allowed = actor is None or has_perm(actor, "training.manage", klass.institution.org_unit)
    if not allowed and unit is not None and enrolment.status == EnrolmentStatus.NOMINATED:
        allowed = has_perm(actor, "training.nominate", unit)
    if not allowed:
        raise PermissionDeniedError(_("You do not have permission to withdraw this enrolment."))
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("This enrolment is already withdrawn."), code="already_withdrawn")
    if klass.status not in rules.ENROLLING:
        raise DomainError(
            _("A finished or cancelled class cannot be changed."), code="class_closed"
        )
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise DomainError(_("A certificate was already issued for this enrolment."))
    old = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    record(
        action="training.enrolment.withdrawn",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"person": enrolment.person.full_name, "status": {"old": old, "new": "withdrawn"}},
    )
    return enrolment


# --- attendance and results --------------------------------------------------------------


def _recording_problem(klass: TrainingClass) -> str | None:
    if klass.status not in rules.RECORDING:
        return _("Attendance and results are recorded once the class is running.")
    return None


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    klass: TrainingClass,
    marks: Sequence[tuple[int, int, bool]],
    today: dt.date | None = None,
) -> int:
    """Record attendance marks ``(enrolment id, session id, present)`` for a class, all or
    nothing. A session must lie within the class dates and not in the future."""
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    problem = _recording_problem(klass)
    if problem:
        raise DomainError(problem, code="not_running")
    day = _today(today)
    sessions = {s.pk: s for s in klass.sessions.all()}
    enrolments = {
        e.pk: e
        for e in klass.enrolments.filter(status=EnrolmentStatus.ACCEPTED)
        .select_related("person")
        .only("pk", "status", "klass_id", "person__full_name")
    }
    errors: list[RowError] = []
    for row, (eid, sid, _present) in enumerate(marks, start=1):
        s = sessions.get(sid)
        e = enrolments.get(eid)
        if e is None:
            errors.append(RowError(row, _("Not an accepted trainee of this class.")))
        elif s is None:
            errors.append(RowError(row, _("Not a session of this class.")))
        elif rules.session_date_problem(s.date, klass.start_on, klass.end_on):
            errors.append(
                RowError(
                    row, rules.session_date_problem(s.date, klass.start_on, klass.end_on) or ""
                )
            )
        elif s.date > day:
            errors.append(
                RowError(
                    row,
                    _("%(name)s: the session of %(date)s has not taken place yet.")
                    % {"name": e.person.full_name, "date": _d(s.date)},
                )
            )
    _raise_rows(errors, _("No attendance was recorded: fix the rows below and try again."))
    Attendance.objects.bulk_create(
        [Attendance(enrolment_id=eid, session_id=sid, present=bool(p)) for eid, sid, p in marks],
        update_conflicts=True,
        unique_fields=["enrolment", "session"],
        update_fields=["present"],
        batch_size=1000,
    )
    present = sum(1 for m in marks if m[2])
    record(
        action="training.attendance.recorded",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"marks": len(marks), "present": present, "absent": len(marks) - present},
    )
    return len(marks)


@dataclass(frozen=True)
class ResultRow:
    enrolment_id: int
    passed: bool
    score: Decimal | str | None = None
    grade: str = ""


def _parse_score(value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if score < 0 or score > 10:
        raise ValueError
    return score


@transaction.atomic
def result_record(*, actor: Any, klass: TrainingClass, rows: Sequence[ResultRow]) -> list[Result]:
    """Record final results (all or nothing); ``completed`` follows the completion rule:
    attended at least the course type's ratio of the sessions held AND passed."""
    klass = _locked_class(klass)
    _require(actor, "training.manage", klass.institution.org_unit)
    problem = _recording_problem(klass)
    if problem:
        raise DomainError(problem, code="not_running")
    enrolments = {
        e.pk: e
        for e in klass.enrolments.filter(status=EnrolmentStatus.ACCEPTED)
        .select_related("person")
        .only("pk", "status", "klass_id", "person__full_name")
    }
    certified = set(
        Certificate.objects.filter(enrolment_id__in=list(enrolments)).values_list(
            "enrolment_id", flat=True
        )
    )
    held = klass.sessions.count()
    attended = dict(
        Attendance.objects.filter(enrolment_id__in=list(enrolments), present=True)
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .values_list("enrolment_id", "n")
    )
    errors: list[RowError] = []
    parsed: list[tuple[ResultRow, Decimal | None]] = []
    seen: set[int] = set()
    for row, r in enumerate(rows, start=1):
        e = enrolments.get(r.enrolment_id)
        if e is None:
            errors.append(RowError(row, _("Not an accepted trainee of this class.")))
            continue
        if r.enrolment_id in seen:
            errors.append(
                RowError(row, _("%(name)s: listed twice.") % {"name": e.person.full_name})
            )
            continue
        seen.add(r.enrolment_id)
        if r.enrolment_id in certified:
            errors.append(
                RowError(
                    row,
                    _("%(name)s already has a certificate; the result cannot change.")
                    % {"name": e.person.full_name},
                )
            )
            continue
        try:
            parsed.append((r, _parse_score(r.score)))
        except ValueError:
            errors.append(
                RowError(
                    row,
                    _("%(name)s: the score must be a number from 0 to 10.")
                    % {"name": e.person.full_name},
                    field="score",
                )
            )
    _raise_rows(errors, _("No result was recorded: fix the rows below and try again."))
    user = actor if getattr(actor, "is_authenticated", False) else None
    ratio = klass.course_type.min_attendance_ratio
    objs = [
        Result(
            enrolment_id=r.enrolment_id,
            passed=r.passed,
            score=score,
            grade=normalize_spaces(r.grade or ""),
            attended=attended.get(r.enrolment_id, 0),
            sessions=held,
            completed=rules.is_completed(
                attended=attended.get(r.enrolment_id, 0),
                sessions=held,
                ratio=ratio,
                passed=r.passed,
            ),
            recorded_by=user,
        )
        for r, score in parsed
    ]
    now = timezone.now()
    for o in objs:
        o.created_at = o.updated_at = now
    Result.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["enrolment"],
        update_fields=[
            "passed",
            "score",
            "grade",
            "attended",
            "sessions",
            "completed",
            "recorded_by",
            "updated_at",
        ],
        batch_size=1000,
    )
    record(
        action="training.result.recorded",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={
            "count": len(objs),
            "passed": sum(1 for o in objs if o.passed),
            "completed": sum(1 for o in objs if o.completed),
        },
    )
    return objs


RESULT_FIELDS = ("passed", "score", "grade", "attended", "sessions", "completed")


def result_values(result: Result) -> dict[str, Any]:
    """The recorded values of a result, as ``result_restore`` takes them back."""
    return {
        "passed": result.passed,
        "score": None if result.score is None else str(result.score),
        "grade": result.grade,
        "attended": result.attended,
        "sessions": result.sessions,
        "completed": result.completed,
        "recorded_by": result.recorded_by_id,
        "updated_at": result.updated_at.isoformat(),
    }


@transaction.atomic
def result_restore(
    *, actor: Any, enrolment: Enrolment, values: Mapping[str, Any] | None
) -> Result | None:
    """Put an enrolment's result back exactly as it was (``values`` from ``result_values``,
    its time of last change included, so that an earlier import stays undoable) or remove
    it (``None``): the undo of an import that recorded results. Refused once a certificate
    was issued for the enrolment."""
    enrolment = Enrolment.objects.select_related("klass__institution__org_unit", "person").get(
        pk=enrolment.pk
    )
    klass = enrolment.klass
    _require(actor, "training.manage", klass.institution.org_unit)
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise DomainError(
            _("%(name)s already has a certificate; the result cannot change.")
            % {"name": enrolment.person.full_name},
            code="certified",
        )
    current = Result.objects.select_for_update().filter(enrolment=enrolment).first()
    before = result_values(current) if current else None
    result: Result | None
    if values is None:
        if current is not None:
            current.delete()
        result = None
    else:
        result = current or Result(enrolment=enrolment, passed=bool(values["passed"]))
        for key in RESULT_FIELDS:
            setattr(result, key, values[key])
        result.score = None if values["score"] is None else Decimal(str(values["score"]))
        result.recorded_by_id = values.get("recorded_by")
        result.save()
        if values.get("updated_at"):
            result.updated_at = dt.datetime.fromisoformat(values["updated_at"])
            Result.objects.filter(pk=result.pk).update(updated_at=result.updated_at)
    record(
        action="training.result.restored",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"person": enrolment.person.full_name, "old": before, "new": values},
    )
    return result


# --- certificates ----------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    klass: TrainingClass,
    enrolment_ids: Sequence[int],
    issued_on: dt.date,
    signer: str = "",
    today: dt.date | None = None,
) -> list[Certificate]:
    """Issue certificates to trainees who completed the class (all or nothing). Numbers
    run per institution and issue year: ``<seq>/<year>/<suffix>``."""
    klass = _locked_class(klass)
    inst = TrainingInstitution.objects.select_for_update().get(pk=klass.institution_id)
    _require(actor, "training.manage", inst.org_unit)
    if klass.status != ClassStatus.FINISHED:
        raise DomainError(
            _("Certificates are issued once the class is finished."), code="not_finished"
        )
    if issued_on < klass.end_on:
        raise DomainError(
            _("The issue date cannot be before the end of the class (%(date)s).")
            % {"date": _d(klass.end_on)},
            field="issued_on",
        )
    if issued_on > _today(today):
        raise DomainError(_("The issue date cannot be in the future."), field="issued_on")
    if not enrolment_ids:
        raise DomainError(_("Choose at least one trainee."), field="enrolments")
    found = {
        e.pk: e
        for e in klass.enrolments.filter(pk__in=list(enrolment_ids)).select_related(
            "person", "result"
        )
    }
    has_cert = set(
        Certificate.objects.filter(enrolment_id__in=list(found)).values_list(
            "enrolment_id", flat=True
        )
    )
    errors: list[RowError] = []
    for row, eid in enumerate(enrolment_ids, start=1):
        e = found.get(eid)
        if e is None:
            errors.append(RowError(row, _("Not a trainee of this class.")))
            continue
        name = e.person.full_name
        result = getattr(e, "result", None)
        if eid in has_cert:
            errors.append(RowError(row, _("%(name)s already has a certificate.") % {"name": name}))
        elif e.status != EnrolmentStatus.ACCEPTED or result is None or not result.completed:
            errors.append(RowError(row, _("%(name)s did not complete the class.") % {"name": name}))
    _raise_rows(errors, _("No certificate was issued: fix the rows below and try again."))
    year = issued_on.year
    last = Certificate.objects.filter(institution=inst, year=year).aggregate(m=Max("seq"))["m"] or 0
    months = klass.course_type.certificate_validity_months
    if klass.course_type.code == "awareness":
        months = awareness_validity_months(issued_on, default=months)
    valid_until = rules.certificate_valid_until(issued_on, months)
    signer = normalize_spaces(signer) or inst.director
    ordered = sorted(found.values(), key=lambda e: (e.person.sort_key, e.pk))
    certs = [
        Certificate(
            institution=inst,
            klass=klass,
            enrolment=e,
            person_id=e.person_id,
            course_type=klass.course_type,
            year=year,
            seq=last + i,
            number=rules.certificate_number(last + i, year, inst.certificate_suffix),
            issued_on=issued_on,
            signer=signer,
            valid_until=valid_until,
        )
        for i, e in enumerate(ordered, start=1)
    ]
    Certificate.objects.bulk_create(certs, batch_size=1000)
    record(
        action="training.certificate.issued",
        actor=actor,
        target=klass,
        org_unit=inst.org_unit,
        data={
            "count": len(certs),
            "numbers": [c.number for c in certs]
            if len(certs) <= 20
            else [certs[0].number, certs[-1].number],
            "issued_on": issued_on,
            "valid_until": valid_until,
        },
    )
    return certs


def awareness_validity_months(on: dt.date, *, default: int | None) -> int | None:
    """``cert.awareness.validity_months`` from the policy in force on ``on``; the course
    type's own value (seeded with 60) when the rule-set files cannot be read."""
    try:
        return int(policy_on(on).cert_awareness_validity_months)
    except PolicyFileError:  # a broken rule-set file must not block issuing
        return default
