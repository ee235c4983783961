"""Attendance per session and results per trainee (recorded, and restored by an import's
undo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.audit.services import record
from ptdv.core.errors import DomainError, RowError
from ptdv.core.text import normalize_spaces
from ptdv.training import rules
from ptdv.training.models import (
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Result,
    TrainingClass,
)
from ptdv.training.services.base import _d, _locked_class, _raise_rows, _require, _today

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


def _validated_rows(
    rows: Sequence[ResultRow], enrolments: Mapping[int, Enrolment], certified: set[int]
) -> list[tuple[ResultRow, Decimal | None]]:
    """Each row names an accepted trainee once, without a certificate yet, with a score
    from 0 to 10 (or none); all or nothing: ``BulkError`` listing every failing row."""
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
    return parsed


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
    parsed = _validated_rows(rows, enrolments, certified)
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
