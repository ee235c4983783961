"""Reads of training, scoped to the user's subtrees; out-of-scope objects are a 404.

Functions other apps call (stable API):
- ``valid_awareness_certificate(person_id, on)``: the awareness certificate valid on a date;
- ``new_member_certificate(person_id)``: the certificate of the new-member class;
- ``person_training_history(person_id)``: every class a person was enrolled in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ptdv.access.permissions import scope_paths
from ptdv.organizations.models import PATH_STEP, OrgUnit
from ptdv.people.models import Person
from ptdv.people.selectors import people_visible_to
from ptdv.training import rules
from ptdv.training.models import (
    Attendance,
    Certificate,
    ClassSession,
    ClassStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
    TrainingInstitution,
)

# --- API for other apps -------------------------------------------------------------------


def valid_awareness_certificate(person_id: int, on: dt.date) -> Certificate | None:
    """The person's awareness certificate valid on ``on`` (latest issued), or None.

    Valid means issued on or before ``on`` and ``on`` no later than ``valid_until`` (the
    day before issue date + 60 months; see ``rules.certificate_valid_until``)."""
    return (
        Certificate.objects.filter(
            person_id=person_id, course_type__code="awareness", issued_on__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("institution", "klass")
        .order_by("-issued_on", "-id")
        .first()
    )


def valid_awareness_certificates(person_ids: list[int], on: dt.date) -> dict[int, dt.date]:
    """``valid_awareness_certificate`` for many people in one query: person id → the issue
    date of the latest certificate valid on ``on`` (absent when none)."""
    rows = (
        Certificate.objects.filter(
            person_id__in=person_ids, course_type__code="awareness", issued_on__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("person_id", "issued_on", "id")
        .values_list("person_id", "issued_on")
    )
    return dict(rows)  # the latest issue of each person wins


def new_member_certificate(person_id: int) -> Certificate | None:
    """The person's certificate of the political-theory class for new members (latest)."""
    return (
        Certificate.objects.filter(person_id=person_id, course_type__code="new_member")
        .select_related("institution", "klass")
        .order_by("-issued_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class HistoryRow:
    enrolment: Enrolment
    klass: TrainingClass
    course_type: CourseType
    status: str
    status_label: str
    passed: bool | None
    completed: bool | None
    score: Any
    grade: str
    certificate: Certificate | None

    def certificate_valid_on(self, on: dt.date) -> bool:
        c = self.certificate
        return c is not None and rules.certificate_valid_on(c.issued_on, c.valid_until, on)


def person_training_history(person_id: int) -> list[HistoryRow]:
    """Every enrolment of a person, newest class first, with result and certificate."""
    rows = (
        Enrolment.objects.filter(person_id=person_id)
        .select_related(
            "klass__course_type", "klass__institution", "result", "certificate", "person"
        )
        .order_by("-klass__start_on", "-id")
    )
    out: list[HistoryRow] = []
    for e in rows:
        result = getattr(e, "result", None)
        out.append(
            HistoryRow(
                enrolment=e,
                klass=e.klass,
                course_type=e.klass.course_type,
                status=e.status,
                status_label=str(e.get_status_display()),
                passed=result.passed if result else None,
                completed=result.completed if result else None,
                score=result.score if result else None,
                grade=result.grade if result else "",
                certificate=getattr(e, "certificate", None),
            )
        )
    return out


# --- scoped class lists ---------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    step = PATH_STEP + 1
    return [path[: i + step] for i in range(0, len(path), step)]


def class_scope_q(user: Any, *, perm: str = "training.view") -> Q:
    """Classes a user may see: those of an institution attached in one of their subtrees,
    and those serving an organization in their subtrees or above them (a class serving the
    district serves every cell in it)."""
    paths = scope_paths(user, perm)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = Q()
    above: set[str] = set()
    for p in paths:
        q |= Q(institution__org_unit__path__startswith=p)
        q |= Q(served_units__path__startswith=p)
        above.update(_ancestor_paths(p))
    if above:
        q |= Q(served_units__path__in=sorted(above))
    return q


def classes_visible_to(user: Any, *, perm: str = "training.view") -> QuerySet[TrainingClass]:
    ids = TrainingClass.objects.filter(class_scope_q(user, perm=perm)).values("pk")
    return TrainingClass.objects.filter(pk__in=ids)


@dataclass(frozen=True)
class ClassFilters:
    q: str = ""
    course_type: str = ""  # code
    status: str = ""
    year: int | None = None
    institution: str = ""  # uid


def class_list_for(*, user: Any, filters: ClassFilters | None = None) -> QuerySet[TrainingClass]:
    f = filters or ClassFilters()
    qs = classes_visible_to(user).select_related("course_type", "institution")
    if f.q:
        qs = qs.filter(Q(code__icontains=f.q.strip()) | Q(name__icontains=f.q.strip()))
    if f.course_type:
        qs = qs.filter(course_type__code=f.course_type)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(start_on__year=f.year)
    if f.institution:
        qs = qs.filter(institution__uid=f.institution)
    return qs.annotate(
        n_accepted=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACCEPTED)),
        n_nominated=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.NOMINATED)),
    ).order_by("-start_on", "code")


def classes_in_month(*, user: Any, year: int, month: int) -> list[TrainingClass]:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return list(
        classes_visible_to(user)
        .filter(start_on__lte=last, end_on__gte=first)
        .select_related("course_type")
        .order_by("start_on", "code")
    )


def class_get_for(*, user: Any, uid: Any, perm: str = "training.view") -> TrainingClass:
    klass = (
        classes_visible_to(user, perm=perm)
        .select_related("course_type", "institution__org_unit")
        .filter(uid=uid)
        .first()
    )
    if klass is None:
        raise Http404
    return klass


def can_manage(user: Any, klass: TrainingClass) -> bool:
    from ptdv.access.permissions import has_perm

    return has_perm(user, "training.manage", klass.institution.org_unit)


def institutions_managed_by(user: Any) -> QuerySet[TrainingInstitution]:
    paths = scope_paths(user, "training.manage")
    qs = TrainingInstitution.objects.select_related("org_unit")
    if paths is None:
        return qs
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(org_unit__path__startswith=p)
    return qs.filter(q)


# --- class page ---------------------------------------------------------------------------


def class_sessions(klass: TrainingClass) -> list[ClassSession]:
    return list(klass.sessions.order_by("date", "id"))


def session_get_for(klass: TrainingClass, pk: int) -> ClassSession:
    """A session of a class the caller already got through ``class_get_for``."""
    session = ClassSession.objects.filter(klass=klass, pk=pk).first()
    if session is None:
        raise Http404
    return session


def sessions_with_attendance(klass: TrainingClass) -> set[int]:
    return set(Attendance.objects.filter(session__klass=klass).values_list("session_id", flat=True))


def course_types() -> QuerySet[CourseType]:
    """Course types are shared configuration (no organization), readable by anyone who
    may see training."""
    return CourseType.objects.annotate(class_count=Count("classes")).order_by("order", "code")


def course_type_get(uid: Any) -> CourseType:
    course_type = CourseType.objects.filter(uid=uid).first()
    if course_type is None:
        raise Http404
    return course_type


class _PersonPk(TypedDict):
    pk: int


def _people_scope(user: Any, klass: TrainingClass) -> QuerySet[Person, _PersonPk] | None:
    """None when the user manages the class (sees every trainee); otherwise the people the
    user may see: a committee sees only its own trainees of a class shared by many."""
    if user is None or can_manage(user, klass):
        return None
    return people_visible_to(user).values("pk")


def class_roster(
    klass: TrainingClass, *, user: Any = None, include_withdrawn: bool = True
) -> list[Enrolment]:
    qs = klass.enrolments.select_related(
        "person__org_unit", "nominated_by_unit", "result", "certificate"
    )
    scope = _people_scope(user, klass)
    if scope is not None:
        qs = qs.filter(person__in=scope)
    if not include_withdrawn:
        qs = qs.exclude(status=EnrolmentStatus.WITHDRAWN)
    return list(qs.order_by("person__sort_key", "person__date_of_birth", "id"))


def attendance_grid(klass: TrainingClass) -> dict[tuple[int, int], bool]:
    """(enrolment id, session id) → present."""
    return {
        (a.enrolment_id, a.session_id): a.present
        for a in Attendance.objects.filter(enrolment__klass=klass).only(
            "enrolment_id", "session_id", "present"
        )
    }


def class_certificates(klass: TrainingClass, *, user: Any = None) -> list[Certificate]:
    qs = klass.certificates.select_related("person", "institution")
    scope = _people_scope(user, klass)
    if scope is not None:
        qs = qs.filter(person__in=scope)
    return list(qs.order_by("year", "seq"))


def certificate_get_for(*, user: Any, uid: Any) -> Certificate:
    cert = (
        Certificate.objects.filter(uid=uid)
        .select_related("person", "klass__course_type", "institution__org_unit", "course_type")
        .first()
    )
    if cert is None or not classes_visible_to(user).filter(pk=cert.klass_id).exists():
        raise Http404
    scope = _people_scope(user, cert.klass)
    if scope is not None and not Person.objects.filter(pk=cert.person_id, pk__in=scope).exists():
        raise Http404
    return cert


def enrolment_get_for(*, user: Any, uid: Any) -> Enrolment:
    e = (
        Enrolment.objects.filter(uid=uid)
        .select_related("klass__institution__org_unit", "person", "nominated_by_unit")
        .first()
    )
    if e is None or not classes_visible_to(user).filter(pk=e.klass_id).exists():
        raise Http404
    scope = _people_scope(user, e.klass)
    if scope is not None and not Person.objects.filter(pk=e.person_id, pk__in=scope).exists():
        raise Http404
    return e


# --- nomination ----------------------------------------------------------------------------


def nomination_candidates(
    *, user: Any, klass: TrainingClass, unit: OrgUnit | None = None
) -> QuerySet[Person]:
    """People the user may nominate to the class: in their subtree (``training.nominate``),
    with the membership status the course type requires today, not yet on the roster."""
    audience = klass.course_type.audience
    qs = people_visible_to(user, perm="training.nominate").select_related("org_unit")
    qs = qs.filter(status=rules.AUDIENCE_STATUS.get(audience, "none"))
    if audience == "masses":
        # the outstanding masses: people kept by a party organization who are not members
        qs = qs.filter(admitted_on__isnull=True)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    qs = qs.exclude(enrolments__klass=klass)
    return qs.order_by("sort_key", "date_of_birth", "id")


def nominating_units(user: Any) -> list[OrgUnit]:
    """The units in whose name the user may nominate (their positions' units)."""
    from ptdv.access.permissions import ROLE_PERMISSIONS, active_positions

    if getattr(user, "is_superuser", False):
        return list(OrgUnit.objects.filter(parent__isnull=True))
    return [
        p.org_unit
        for p in active_positions(user)
        if "training.nominate" in ROLE_PERMISSIONS.get(p.role, frozenset())
    ]


# --- the figures of training: each defined ONCE -------------------------------------
#
# ``ptdv report summary`` (key ``classes``), the reports' funnel and drill-down, the API
# and the CLI read these. The rules (also in ptdv/training/README.md):
#
# - a class counts in the period of its START date, for an organization when it serves a
#   unit of that organization's subtree or its institution is attached there, as the tree
#   stood on the start date; cancelled classes never count;
# - an attendee is a person with an ACCEPTED enrolment in a (not cancelled) class starting
#   in the period; the attendee counts for the unit that nominated them (or, when no
#   nominating unit is recorded, the unit keeping the person), as the tree stood on the
#   class's start date — not for the class's institution. Attendees are attendances: a
#   person in two classes counts twice (the drill-down lists each person once).


def classes_in(
    unit: OrgUnit,
    date_from: dt.date,
    date_to: dt.date,
    *,
    course_type: str | None = None,
    restated: bool = False,
) -> QuerySet[TrainingClass]:
    from django.db.models import Exists, OuterRef

    from ptdv.organizations.history import at_date_q

    through = TrainingClass.served_units.through
    served = through.objects.filter(trainingclass_id=OuterRef("pk")).filter(
        at_date_q(
            unit, unit_field="orgunit", date_field="trainingclass__start_on", restated=restated
        )
    )
    qs = (
        TrainingClass.objects.filter(start_on__gte=date_from, start_on__lte=date_to)
        .exclude(status=ClassStatus.CANCELLED)
        .filter(
            Q(Exists(served))
            | at_date_q(
                unit, unit_field="institution__org_unit", date_field="start_on", restated=restated
            )
        )
    )
    if course_type is not None:
        qs = qs.filter(course_type__code=course_type)
    return qs


def attendee_enrolments(
    unit: OrgUnit,
    date_from: dt.date,
    date_to: dt.date,
    *,
    course_type: str | None = None,
    restated: bool = False,
) -> QuerySet[Enrolment]:
    """The accepted enrolments behind "attendees" (rows carry ``person_id``).

    An enrolment counts for the unit that nominated it, or, when none did, for the
    person's own unit, each on the class's start date. The two halves are separate
    subqueries joined by a UNION, each driven from the subtree's units (an index on
    ``nominated_by_unit`` / on the person's ``org_unit``): an OR of the two in one WHERE
    made the database filter every enrolment of the period in the whole database (issue
    13: 0.3–0.4 s of one district's report on a province database). The result is still
    a plain queryset of enrolments (``values``, ``Count`` and drill-downs apply)."""
    from ptdv.organizations.history import at_date_q

    date_field = "klass__start_on"
    base = Enrolment.objects.filter(
        status=EnrolmentStatus.ACCEPTED,
        klass__start_on__gte=date_from,
        klass__start_on__lte=date_to,
    ).exclude(klass__status=ClassStatus.CANCELLED)
    if course_type is not None:
        base = base.filter(klass__course_type__code=course_type)
    nominated = base.filter(
        Q(nominated_by_unit__isnull=False),
        at_date_q(unit, unit_field="nominated_by_unit", date_field=date_field, restated=restated),
    )
    own = base.filter(
        Q(nominated_by_unit__isnull=True),
        at_date_q(unit, unit_field="person__org_unit", date_field=date_field, restated=restated),
    )
    ids = nominated.order_by().values("pk").union(own.order_by().values("pk"))
    return Enrolment.objects.filter(pk__in=ids)


def class_counts(
    unit: OrgUnit, date_from: dt.date, date_to: dt.date, *, restated: bool = False
) -> dict[str, dict[str, int]]:
    """Per course type code (every type, in order): classes and attendees."""
    classes = dict(
        classes_in(unit, date_from, date_to, restated=restated)
        .values("course_type__code")
        .annotate(n=Count("pk"))
        .values_list("course_type__code", "n")
    )
    attendees = dict(
        attendee_enrolments(unit, date_from, date_to, restated=restated)
        .values("klass__course_type__code")
        .annotate(n=Count("pk"))
        .values_list("klass__course_type__code", "n")
    )
    return {
        code: {"classes": classes.get(code, 0), "attendees": attendees.get(code, 0)}
        for code in CourseType.objects.order_by("order", "code").values_list("code", flat=True)
    }
