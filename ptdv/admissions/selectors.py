"""Reads of the admission app, always scoped to the user's subtrees (404 outside)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.admissions.models import (
    OPEN_STAGES,
    AdmissionCase,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    SourceEntry,
    SourceList,
    Stage,
)
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import Committees, committees_of

PERM = "admissions.view"


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    org_unit: OrgUnit | None = None
    q: str = ""
    open_only: bool = False


def cases_visible_to(user: Any) -> QuerySet[AdmissionCase]:
    return AdmissionCase.objects.filter(scope_q(user, field="org_unit", perm=PERM))


def case_list_for(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[AdmissionCase]:
    f = filters or CaseFilters()
    qs = cases_visible_to(user).select_related("person", "org_unit")
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.open_only:
        qs = qs.filter(stage__in=list(OPEN_STAGES))
    if f.org_unit is not None:
        qs = qs.filter(org_unit__path__startswith=f.org_unit.path)
    if f.q:
        from ptdv.core.text import fold

        for word in fold(f.q).split():
            qs = qs.filter(person__name_folded__contains=word)
    return qs.order_by("-stage_on", "-id")


def case_get_for(*, user: Any, uid: Any) -> AdmissionCase:
    case = (
        cases_visible_to(user)
        .select_related("person", "org_unit", "deciding_unit", "grassroots", "source_entry")
        .filter(uid=uid)
        .first()
    )
    if case is None:
        raise Http404
    return case


def cases_of_person(*, user: Any, person: Any) -> QuerySet[AdmissionCase]:
    return cases_visible_to(user).filter(person=person).order_by("-opened_on")


def cases_due_by(qs: QuerySet[AdmissionCase], until: dt.date) -> QuerySet[AdmissionCase]:
    """Open cases of ``qs`` whose next deadline (``due_on``, kept by the services) falls on
    or before ``until`` — overdue ones included —, nearest first: the one definition of
    "a case's deadline" that the to-do page and the reminders (``ptdv remind``) share."""
    return (
        qs.filter(stage__in=list(OPEN_STAGES), due_on__isnull=False)
        .filter(due_on__lte=until)
        .select_related("person", "org_unit")
        .order_by("due_on", "id")
    )


# Which committee answers for each kind of case deadline (rules.Deadline.kind); every other
# deadline (ceremony, recognition review, certificate expiry) is the cell's.
_RESPONSIBLE = {
    "decision": "deciding",
    "recognition_decision": "deciding",
    "member_record": "grassroots",
}


def responsible_unit(case: AdmissionCase, on: dt.date | None = None) -> OrgUnit:
    """The unit whose committee must act on the case's next deadline (``due_kind``): the
    deciding committee for the decisions, the grassroots organization for the member record,
    the cell otherwise. The to-do page's "owner" and the reminders' recipients."""
    role = _RESPONSIBLE.get(case.due_kind, "cell")
    if role == "deciding":
        if case.deciding_unit is not None:
            return case.deciding_unit
        return committees_of(case.org_unit, on=on).deciding or case.org_unit
    if role == "grassroots" and case.grassroots is not None:
        return case.grassroots
    return case.org_unit


TODO_SORTS = {
    "due": ("due_on", "id"),
    "-due": ("-due_on", "id"),
    "unit": ("org_unit__name", "due_on", "id"),
    "person": ("person__sort_key", "due_on", "id"),
    "stage": ("stage", "due_on", "id"),
}


@dataclass(frozen=True)
class TodoFilters:
    org_unit: OrgUnit | None = None
    kind: str = ""  # a deadline kind (due_kind)
    overdue_only: bool = False
    sort: str = "due"


def todo_for(
    *,
    user: Any,
    today: dt.date,
    horizon_days: int = 60,
    filters: TodoFilters | None = None,
) -> QuerySet[AdmissionCase]:
    """Open cases with a deadline, overdue or due within ``horizon_days``, nearest first
    (or as ``filters.sort`` says), with their cell's parent and committees for the page."""
    f = filters or TodoFilters()
    qs = cases_due_by(cases_visible_to(user), today + dt.timedelta(days=horizon_days))
    if f.org_unit is not None:
        qs = qs.filter(org_unit__path__startswith=f.org_unit.path)
    if f.kind:
        qs = qs.filter(due_kind=f.kind)
    if f.overdue_only:
        qs = qs.filter(due_on__lt=today)
    return qs.select_related("org_unit__parent", "deciding_unit", "grassroots").order_by(
        *TODO_SORTS.get(f.sort, TODO_SORTS["due"])
    )


def stage_counts_for(*, user: Any) -> dict[str, int]:
    rows = (
        cases_visible_to(user)
        .filter(stage__in=list(OPEN_STAGES))
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["stage"]: r["n"] for r in rows}


# --- sources ---------------------------------------------------------------------------


def source_lists_for(*, user: Any, unit: OrgUnit | None = None) -> QuerySet[SourceList]:
    qs = SourceList.objects.filter(scope_q(user, field="org_unit", perm=PERM))
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.select_related("org_unit").annotate(n=Count("entries"))


def source_list_get_for(*, user: Any, uid: Any) -> SourceList:
    sl = (
        SourceList.objects.filter(scope_q(user, field="org_unit", perm=PERM))
        .select_related("org_unit")
        .filter(uid=uid)
        .first()
    )
    if sl is None:
        raise Http404
    return sl


def source_entries_of(source_list: SourceList) -> QuerySet[SourceEntry]:
    return (
        source_list.entries.select_related("person")
        .prefetch_related("helpers", "notes")
        .order_by("person__sort_key", "id")
    )


def sources_added(
    unit: OrgUnit, date_from: dt.date, date_to: dt.date, *, restated: bool = False
) -> QuerySet[SourceEntry]:
    """THE definition of "put on a source list in the period" (tạo nguồn): entries added
    to a yearly or term source list of ``unit``'s subtree (as the tree stood on the day
    the entry was added, ``restated``: with its predecessors) between the two dates. A
    copy made when a restructuring carried an entry to a successor's list is not a new
    source. A person on two lists counts once (count the distinct ``person_id``)."""
    from ptdv.organizations.history import at_date_q

    return SourceEntry.objects.filter(
        at_date_q(
            unit, unit_field="source_list__org_unit", date_field="added_on", restated=restated
        ),
        carried_from__isnull=True,
        added_on__gte=date_from,
        added_on__lte=date_to,
    )


def sources_for_unit(unit: OrgUnit, year: int) -> QuerySet[SourceEntry]:
    """People on the source lists of ``unit``'s subtree for ``year`` (yearly list of that
    year or a term list covering it) still to be sent to the awareness class: the
    nomination list the training pages use. Not scoped: the caller scopes ``unit``."""
    term_q = Q(source_list__kind=SourceList.Kind.TERM) & Q(
        source_list__term__lte=f"{year}-9999", source_list__term__gte=f"{year - 5}-{year}"
    )
    return (
        SourceEntry.objects.filter(source_list__org_unit__path__startswith=unit.path)
        .filter(Q(source_list__year=year) | term_q)
        .filter(status__in=[SourceEntry.Progress.LISTED, SourceEntry.Progress.FOSTERED])
        .select_related("person", "source_list__org_unit")
        .order_by("person__sort_key", "id")
    )


# --- dossier ---------------------------------------------------------------------------

CHECKLIST_ADMISSION = [
    DocumentKind.AWARENESS_CERTIFICATE,
    DocumentKind.APPLICATION,
    DocumentKind.BACKGROUND,
    DocumentKind.VETTING,
    DocumentKind.INTRODUCTION,
    DocumentKind.COMMENTS,
    DocumentKind.CELL_RESOLUTION,
    DocumentKind.GRASSROOTS_RESOLUTION,
    DocumentKind.DECISION,
]
CHECKLIST_RECOGNITION = [
    DocumentKind.SELF_REVIEW,
    DocumentKind.HELPER_COMMENT,
    DocumentKind.RECOGNITION_COMMENTS,
    DocumentKind.NEW_MEMBER_CERTIFICATE,
    DocumentKind.RECOGNITION_CELL_RESOLUTION,
    DocumentKind.RECOGNITION_GRASSROOTS_RESOLUTION,
    DocumentKind.RECOGNITION_DECISION,
]


@dataclass(frozen=True)
class ChecklistRow:
    kind: str
    label: str
    item: DossierItem | None

    @property
    def status(self) -> str:
        return self.item.status if self.item else DocumentStatus.MISSING


def checklist(case: AdmissionCase) -> list[ChecklistRow]:
    latest: dict[str, DossierItem] = {}
    for item in case.dossier.order_by("id"):
        latest[item.kind] = item
    kinds = list(CHECKLIST_ADMISSION)
    if case.ceremony_on:
        kinds += CHECKLIST_RECOGNITION
    extra = [k for k in latest if k not in kinds]
    return [ChecklistRow(k, str(DocumentKind(k).label), latest.get(k)) for k in [*kinds, *extra]]


# Documents needed before the cell's vote, per stage at which the case stands.
REQUIRED_BEFORE_VOTE = [
    DocumentKind.AWARENESS_CERTIFICATE,
    DocumentKind.APPLICATION,
    DocumentKind.BACKGROUND,
    DocumentKind.VETTING,
    DocumentKind.INTRODUCTION,
    DocumentKind.COMMENTS,
]


def dossier_backlog_for(*, user: Any, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Per cell: open cases before the vote and how many lack each required document."""
    cases = cases_visible_to(user).filter(
        stage__in=[
            Stage.SOURCE_LIST,
            Stage.AWARENESS_CLASS,
            Stage.APPLICATION,
            Stage.BACKGROUND_DECLARED,
            Stage.VETTING,
            Stage.INTRODUCTIONS_COLLECTED,
        ]
    )
    if unit is not None:
        cases = cases.filter(org_unit__path__startswith=unit.path)
    have = (
        DossierItem.objects.filter(
            case__in=cases,
            kind__in=list(REQUIRED_BEFORE_VOTE),
            status__in=[DocumentStatus.RECEIVED, DocumentStatus.VERIFIED],
        )
        .values_list("case_id", "kind")
        .distinct()
    )
    present: dict[int, set[str]] = {}
    for case_id, kind in have:
        present.setdefault(case_id, set()).add(kind)
    rows: dict[int, dict[str, Any]] = {}
    for case in cases.select_related("org_unit", "person").order_by("org_unit__path", "id"):
        row = rows.setdefault(
            case.org_unit_id,
            {"unit": case.org_unit, "cases": 0, "missing": dict.fromkeys(REQUIRED_BEFORE_VOTE, 0)},
        )
        row["cases"] += 1
        for kind in REQUIRED_BEFORE_VOTE:
            if kind not in present.get(case.pk, set()):
                row["missing"][kind] += 1
    return list(rows.values())


def source_entry_get_for(*, user: Any, uid: Any) -> SourceEntry:
    entry = (
        SourceEntry.objects.filter(scope_q(user, field="source_list__org_unit", perm=PERM))
        .select_related("source_list__org_unit")
        .filter(uid=uid)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def latest_source_entry(person: Any) -> SourceEntry | None:
    return SourceEntry.objects.filter(person=person).order_by("-added_on", "-id").first()


def introducer_choices(case: AdmissionCase, on: dt.date) -> QuerySet[Any]:
    """Official members (today) of the case's grassroots organization, to pick introducers."""
    from ptdv.people.models import MembershipStatus
    from ptdv.people.selectors import members_on

    unit = case.grassroots or case.org_unit
    return (
        members_on(unit, on, statuses=[MembershipStatus.OFFICIAL])
        .exclude(pk=case.person_id)
        .order_by("sort_key")
    )


def source_entry_worked_on(entry: SourceEntry) -> bool:
    """Whether anything has been done with an entry since it was added: progress beyond
    "listed", an admission case, or a note other than the one written when it was added."""
    notes = list(entry.notes.values_list("date", flat=True))
    return (
        entry.status != SourceEntry.Progress.LISTED
        or entry.cases.exists()
        or len(notes) > 1
        or any(day != entry.added_on for day in notes)
    )


def roll_choices(unit: Any, on: dt.date) -> tuple[Any, Any]:
    """A cell's official members on ``on`` (the roll of its votes) and those exempted from
    party activity that day (candidates for "exempted and absent")."""
    from ptdv.people.selectors import members_on
    from ptdv.people.transfers.selectors import exempted_on

    roll = members_on(unit, on, statuses=["official"])
    return roll, exempted_on(unit, on).filter(pk__in=roll.values("pk"))


def committees_on(case: AdmissionCase, day: dt.date) -> Committees:
    """The case's grassroots organization and deciding committee in the tree valid on
    ``day`` — the date of a step, not the day the case opened: after a restructuring the
    later steps go to the committee the cell belongs to then (a district's cell moved to a
    commune committee on 01/07/2025 is decided by that commune committee). When the cell
    did not exist that day, the committees recorded on the case."""
    cache: dict[tuple[int, dt.date], Committees] = case.__dict__.setdefault("_committees_on", {})
    if (case.org_unit_id, day) not in cache:
        found = committees_of(case.org_unit, on=day)
        if found.grassroots is None and found.deciding is None:
            found = Committees(case.grassroots, case.deciding_unit)
        cache[(case.org_unit_id, day)] = found
    return cache[(case.org_unit_id, day)]
