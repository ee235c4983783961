"""Enrolment: direct enrolment in bulk, nomination by a cell or committee, acceptance by
the centre, withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError, PermissionDeniedError, RowError
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MembershipPeriod, Person
from ptdv.training import rules
from ptdv.training.models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from ptdv.training.services.base import _locked_class, _raise_rows, _require

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


@transaction.atomic
def enrolment_delete(
    *, actor: Any, enrolment: Enrolment, reason: str, data: dict[str, Any]
) -> None:
    """Delete an enrolment recorded by mistake (an import undone), audited with the reason
    and ``data`` given. Refused once anything was recorded on it: attendance, a result, a
    certificate (withdraw it instead)."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("klass__institution__org_unit", "person")
        .get(pk=enrolment.pk)
    )
    klass = enrolment.klass
    if actor is not None and not has_perm(actor, "training.manage", klass.institution.org_unit):
        raise PermissionDeniedError(_("You do not have permission to withdraw this enrolment."))
    if (
        enrolment.attendance.exists()
        or hasattr(enrolment, "result")
        or Certificate.objects.filter(enrolment=enrolment).exists()
    ):
        raise DomainError(
            _("Attendance or a result is recorded for this enrolment; withdraw it instead."),
            code="in_use",
        )
    label = str(enrolment)
    enrolment.delete()
    record(
        action="training.enrolment.deleted",
        actor=actor,
        target=klass,
        org_unit=klass.institution.org_unit,
        data={"enrolment": label, "reason": reason, **data},
    )
