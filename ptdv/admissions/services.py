"""Every write of the admission procedure: one service per step.

Each step: the right role at the right level, one transaction, the case row locked
(``select_for_update``) so that two officers cannot take the same step twice, the order
of steps and of dates enforced, the policy in force on the relevant date checked (a
refusal carries the findings), a ``StageChange`` and an audit entry written, and the
person's membership events written through ``people.services.membership_event_add``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.admissions import checks, rules, selectors
from ptdv.admissions.models import (
    AdmissionCase,
    Body,
    Consent,
    Decision,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    Introduction,
    PaperException,
    Purpose,
    SourceEntry,
    SourceList,
    SourceNote,
    Stage,
    StageChange,
    Vote,
    VoteExclusion,
)
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgKind, OrgUnit
from ptdv.organizations.selectors import Committees, committees_of
from ptdv.people.models import EventKind, MembershipStatus, Person
from ptdv.people.selectors import members_on
from ptdv.people.services import membership_event_add
from ptdv.policy.types import Finding

register(
    {
        "admissions.source_list.created": gettext_lazy("Source list created"),
        "admissions.source.added": gettext_lazy("Added to the source list"),
        "admissions.source.note_added": gettext_lazy("Fostering note added"),
        "admissions.source.removed": gettext_lazy("Removed from the source list"),
        "admissions.source.withdrawn": gettext_lazy("Entry withdrawn (recorded by mistake)"),
        "admissions.case.opened": gettext_lazy("Admission case opened"),
        "admissions.case.certificate": gettext_lazy("Awareness certificate recorded"),
        "admissions.case.application": gettext_lazy("Application recorded"),
        "admissions.case.background": gettext_lazy("Background form recorded"),
        "admissions.case.vetting": gettext_lazy("Vetting recorded"),
        "admissions.case.introductions": gettext_lazy("Introductions recorded"),
        "admissions.case.cell_vote": gettext_lazy("Cell vote recorded"),
        "admissions.case.sub_committee": gettext_lazy("Sub-committee appraisal recorded"),
        "admissions.case.grassroots_vote": gettext_lazy("Grassroots vote recorded"),
        "admissions.case.vote_failed": gettext_lazy("Failed vote recorded"),
        "admissions.case.escalated": gettext_lazy("Case escalated"),
        "admissions.case.decide": gettext_lazy("Admission decided"),
        "admissions.case.reject": gettext_lazy("Admission rejected"),
        "admissions.case.ceremony": gettext_lazy("Admission ceremony held"),
        "admissions.case.member_record": gettext_lazy("Party member record completed"),
        "admissions.case.recognition_cell_vote": gettext_lazy("Recognition cell vote recorded"),
        "admissions.case.recognition_grassroots_vote": gettext_lazy(
            "Recognition grassroots vote recorded"
        ),
        "admissions.case.recognize": gettext_lazy("Recognized as official member"),
        "admissions.case.remove": gettext_lazy("Removed from the probationary list"),
        "admissions.dossier.recorded": gettext_lazy("Dossier item recorded"),
        "admissions.case.consent": gettext_lazy("Written consent recorded"),
        "admissions.case.special_path": gettext_lazy("Village elder path recorded"),
        "admissions.case.paper_exception": gettext_lazy("Exception for a missing paper recorded"),
    }
)


class StepRefusedError(DomainError):
    """A step refused with the findings that explain why; the case is unchanged."""

    def __init__(self, findings: Sequence[Finding], *, code: str = "step_refused") -> None:
        self.findings = list(findings)
        first = self.findings[0] if self.findings else None
        message = " ".join(f.message for f in self.findings) or _("The step is refused.")
        super().__init__(
            message, code=first.code if first else code, source=first.source if first else ""
        )


def _refuse(
    code: str, message: str, source: str = "", *, on: dt.date | None = None
) -> StepRefusedError:
    """A refusal with its legal basis: ``source``, else the rule set in force on ``on``
    (the step's date; today when unknown) — never without one (issue 15 point 4)."""
    if not source:
        source = checks.policy_on(on or timezone.localdate()).title
    return StepRefusedError([Finding(code, message, source)])


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class VoteCounts:
    expected: int
    present: int
    in_favour: int
    against: int
    resolution_number: str = ""
    # a cell's vote: members of the roll left out of the denominator, (person, category);
    # members in temporary activity elsewhere (transfers registry) are added by the service
    exclusions: tuple[tuple[Any, str], ...] = ()


# --- permission, order, dates -----------------------------------------------------------


def committees_on(case: AdmissionCase, day: dt.date) -> Committees:
    """The case's grassroots organization and deciding committee in the tree valid on
    ``day`` — the date of a step, not the day the case opened: after a restructuring the
    later steps go to the committee the cell belongs to then (a district's cell moved to a
    commune committee on 01/07/2025 is decided by that commune committee). When the cell
    did not exist that day, the committees recorded on the case."""
    cache = case.__dict__.setdefault("_committees_on", {})
    if (case.org_unit_id, day) not in cache:
        found = committees_of(case.org_unit, on=day)
        if found.grassroots is None and found.deciding is None:
            found = Committees(case.grassroots, case.deciding_unit)
        cache[(case.org_unit_id, day)] = found
    return cache[(case.org_unit_id, day)]


def _check_perm(
    actor: Any, step: str, case: AdmissionCase, on: dt.date | None = None
) -> OrgUnit | None:
    """Refuse the step unless ``actor`` holds the right role at the committee competent
    on ``on`` (the step's date; today when None). Returns that deciding committee."""
    units = committees_on(case, on or _today(None))
    if (
        step in rules.DECIDING_STEPS
        or step == "paper_exception"
        or (step == "reject" and _reject_by_committee(case))
    ):
        unit, perm = units.deciding, "admissions.decide"
    elif step in rules.GRASSROOTS_STEPS:
        unit, perm = units.grassroots or case.org_unit, "admissions.act"
    else:
        unit, perm = case.org_unit, "admissions.act"
    if unit is None or not has_perm(actor, perm, unit):
        raise StepRefusedError(
            [
                Finding(
                    "permission.denied",
                    _("You may not take this step for %(unit)s.") % {"unit": unit or "—"},
                    "",
                )
            ],
            code="forbidden",
        )
    return units.deciding


def can_take(actor: Any, step: str, case: AdmissionCase, on: dt.date | None = None) -> bool:
    """Whether the user holds the role this step needs at the right level on ``on``
    (today by default: for views)."""
    try:
        _check_perm(actor, step, case, on)
    except StepRefusedError:
        return False
    return True


def _reject_by_committee(case: AdmissionCase) -> bool:
    return case.stage in (
        Stage.CELL_VOTED,
        Stage.PARTIAL_COMMITTEE_APPRAISED,
        Stage.GRASSROOTS_VOTED,
        Stage.ESCALATED,
    )


_MUTABLE = (
    "stage",
    "stage_on",
    "policy_code",
    "failed_votes",
    "cell_vote_on",
    "grassroots_vote_on",
    "decision_on",
    "decision_received_on",
    "ceremony_on",
    "official_on",
    "recognition_cell_vote_on",
    "recognition_decision_on",
    "member_record_on",
    "closed_on",
    "due_on",
    "due_kind",
)


def _lock(case: AdmissionCase) -> AdmissionCase:
    """Lock the case row and refresh its mutable columns (the stage may have moved since
    the caller read it: a second officer then sees the new stage and is refused)."""
    row = AdmissionCase.objects.select_for_update().filter(pk=case.pk).values(*_MUTABLE).get()
    for key, value in row.items():
        setattr(case, key, value)
    return case


def _is_grassroots_cell(case: AdmissionCase) -> bool:
    return case.org_unit.kind == OrgKind.GRASSROOTS_CELL


def _guard(
    case: AdmissionCase, step: str, actor: Any, on: dt.date, today: dt.date
) -> AdmissionCase:
    """Lock the case and check role, order of steps and date; returns the locked row."""
    case = _lock(case)
    if not rules.allowed_from(step, case.stage, grassroots_cell=_is_grassroots_cell(case)) or (
        case.stage == Stage.ESCALATED
        and (
            (step == "decide" and case.ceremony_on)
            or (step in {"recognize", "remove"} and not case.ceremony_on)
        )
    ):
        raise _refuse(
            "stage.out_of_order",
            _("This step is not possible at the stage “%(stage)s”.")
            % {"stage": case.get_stage_display()},
            on=on,
        )
    _check_perm(actor, step, case, on)
    if on < case.stage_on:
        raise _refuse(
            "date.before_previous",
            _("The date cannot be before the previous step (%(date)s).")
            % {"date": _fmt(case.stage_on)},
            on=on,
        )
    if on > today:
        raise _refuse("date.future", _("The date cannot be in the future."), on=today)
    return case


def _deadline_days(on: dt.date) -> rules.DeadlineDays:
    p = checks.policy_on(on)
    return rules.DeadlineDays(
        decide_admission=p.deadline_decide_admission_wd,
        decide_recognition=p.deadline_decide_recognition_wd,
        extension_max=p.deadline_extension_max_wd,
        ceremony=p.deadline_ceremony_wd,
        recognition_review=p.deadline_recognition_review_wd,
        member_record=p.deadline_member_record_wd,
    )


def case_deadlines(
    case: AdmissionCase, *, certificate_on: dt.date | None = None
) -> list[rules.Deadline]:
    cert_expiry = None
    if certificate_on is not None:
        cert_expiry = checks.certificate_valid_until(certificate_on)  # last valid day
    dates = rules.CaseDates(
        stage=case.stage,
        cell_vote_on=case.cell_vote_on,
        decision_on=case.decision_on,
        decision_received_on=case.decision_received_on,
        ceremony_on=case.ceremony_on,
        official_on=case.official_on,
        recognition_cell_vote_on=case.recognition_cell_vote_on,
        member_record_on=case.member_record_on,
        certificate_expires_on=cert_expiry,
    )
    return rules.deadlines(dates, _deadline_days(case.stage_on), checks.add_working_days)


def _months_after(day: dt.date, months: int) -> dt.date:
    return checks.add_months(day, months)


def _advance(
    case: AdmissionCase,
    *,
    step: str,
    to: str | None,
    on: dt.date,
    actor: Any,
    reason: str = "",
    legal_basis: str = "",
    policy_code: str = "",
    fields: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """Move the case to ``to`` (or keep its stage when None), log and audit it."""
    old = case.stage
    update = dict(fields or {})
    if to is not None:
        update["stage"] = to
        update["stage_on"] = on
        if to in (Stage.REJECTED, Stage.RECOGNIZED, Stage.REMOVED):
            update["closed_on"] = on
    for key, value in update.items():
        setattr(case, key, value)
    pending = case_deadlines(case, certificate_on=certificate_on) if case.is_open else []
    case.due_on = pending[0].due_on if pending else None
    case.due_kind = pending[0].kind if pending else ""
    case.save(update_fields=[*update.keys(), "due_on", "due_kind", "updated_at"])
    if to is not None:
        StageChange.objects.create(
            case=case,
            from_stage=old,
            to_stage=to,
            on=on,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            legal_basis=legal_basis,
            policy_code=policy_code,
            org_unit_id=case.org_unit_id,
        )
    record(
        action=f"admissions.case.{step}",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "stage": {"old": old, "new": case.stage},
            "date": on,
            "reason": reason,
            "legal_basis": legal_basis,
            "policy": policy_code,
            **(data or {}),
        },
    )
    return case


def _dossier(
    case: AdmissionCase,
    kind: str,
    on: dt.date,
    *,
    number: str = "",
    status: str = DocumentStatus.RECEIVED,
    valid_until: dt.date | None = None,
    scan: Any = None,
) -> DossierItem:
    item = DossierItem(
        case=case,
        kind=kind,
        status=status,
        number=number,
        issued_on=on,
        received_on=on,
        valid_until=valid_until,
    )
    if scan:
        item.scan = scan
    item.save()
    return item


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _set_entry_progress(case: AdmissionCase, progress: str) -> None:
    if case.source_entry_id:
        SourceEntry.objects.filter(pk=case.source_entry_id).update(status=progress)


# --- sources ------------------------------------------------------------------------


def _need(actor: Any, perm: str, unit: OrgUnit) -> None:
    if not has_perm(actor, perm, unit):
        raise DomainError(_("You may not do this for %(unit)s.") % {"unit": unit}, code="forbidden")


@transaction.atomic
def source_list_get_or_create(
    *, actor: Any, org_unit: OrgUnit, year: int | None = None, term: str = ""
) -> SourceList:
    _need(actor, "admissions.act", org_unit)
    if (year is None) == (not term):
        raise DomainError(_("Give either a year or a congress term."), field="year")
    if term and not _valid_term(term):
        raise DomainError(_("A term is written as 2020-2025."), field="term")
    kind = SourceList.Kind.YEARLY if year is not None else SourceList.Kind.TERM
    sl, created = SourceList.objects.get_or_create(
        org_unit=org_unit, kind=kind, year=year, term=term
    )
    if created:
        record(
            action="admissions.source_list.created",
            actor=actor,
            target=sl,
            org_unit=org_unit,
            data={"year": year, "term": term},
        )
    return sl


def _valid_term(term: str) -> bool:
    parts = term.split("-")
    return (
        len(parts) == 2
        and all(p.isdigit() and len(p) == 4 for p in parts)
        and (int(parts[0]) < int(parts[1]))
    )


@transaction.atomic
def source_entry_add(
    *,
    actor: Any,
    source_list: SourceList,
    person: Person,
    added_on: dt.date,
    helpers: Iterable[Person] = (),
    note: str = "",
    today: dt.date | None = None,
) -> SourceEntry:
    _need(actor, "admissions.act", source_list.org_unit)
    if added_on > _today(today):
        raise DomainError(_("The date cannot be in the future."), field="added_on")
    if person.is_member:
        raise DomainError(_("This person is already a party member."), field="person")
    if not person.org_unit.path.startswith(source_list.org_unit.path):
        raise DomainError(
            _("The person belongs to another organization."), field="person", code="other_unit"
        )
    if SourceEntry.objects.filter(source_list=source_list, person=person).exists():
        raise DomainError(_("This person is already on the list."), field="person")
    helpers = list(helpers)
    if helpers:
        official = checks.official_in([h.pk for h in helpers], added_on)
        if any(h.pk not in official for h in helpers):
            raise DomainError(_("A helper must be an official party member."), field="helpers")
    entry = SourceEntry.objects.create(source_list=source_list, person=person, added_on=added_on)
    if helpers:
        entry.helpers.set(helpers)
    if note:
        SourceNote.objects.create(entry=entry, date=added_on, text=note, author=_user(actor))
    record(
        action="admissions.source.added",
        actor=actor,
        target=entry,
        org_unit=source_list.org_unit,
        data={"person": person, "list": str(source_list), "helpers": [str(h) for h in helpers]},
    )
    return entry


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def source_note_add(
    *, actor: Any, entry: SourceEntry, date: dt.date, text: str, today: dt.date | None = None
) -> SourceNote:
    unit = entry.source_list.org_unit
    _need(actor, "admissions.act", unit)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The note is empty."), field="text")
    if date > _today(today) or date < entry.added_on:
        raise DomainError(_("The date of the note is not plausible."), field="date")
    note = SourceNote.objects.create(entry=entry, date=date, text=text, author=_user(actor))
    if entry.status == SourceEntry.Progress.LISTED:
        SourceEntry.objects.filter(pk=entry.pk).update(status=SourceEntry.Progress.FOSTERED)
    record(
        action="admissions.source.note_added",
        actor=actor,
        target=entry,
        org_unit=unit,
        data={"date": date, "text": text},
    )
    return note


@transaction.atomic
def source_entry_remove(
    *, actor: Any, entry: SourceEntry, on: dt.date, reason: str, today: dt.date | None = None
) -> SourceEntry:
    unit = entry.source_list.org_unit
    _need(actor, "admissions.act", unit)
    entry = SourceEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status in (SourceEntry.Progress.REMOVED, SourceEntry.Progress.ADMITTED):
        raise DomainError(_("This entry is already closed."))
    if not reason.strip():
        raise DomainError(_("A reason is required."), field="reason")
    if on < entry.added_on or on > _today(today):
        raise DomainError(_("The date is not plausible."), field="on")
    entry.status = SourceEntry.Progress.REMOVED
    entry.removed_on = on
    entry.removed_reason = reason.strip()
    entry.save(update_fields=["status", "removed_on", "removed_reason", "updated_at"])
    record(
        action="admissions.source.removed",
        actor=actor,
        target=entry,
        org_unit=unit,
        data={"date": on, "reason": reason},
    )
    return entry


@transaction.atomic
def source_entry_withdraw(*, actor: Any, entry: SourceEntry, reason: str) -> None:
    """Delete an entry recorded by mistake (an import undone) while nothing has been done
    with it: still listed, no admission case, no note but the one written when it was
    added. Anything later is a real history: close the entry with ``source_entry_remove``."""
    unit = entry.source_list.org_unit
    _need(actor, "admissions.act", unit)
    entry = SourceEntry.objects.select_for_update().get(pk=entry.pk)
    if not reason.strip():
        raise DomainError(_("A reason is required."), field="reason")
    if selectors.source_entry_worked_on(entry):
        raise DomainError(
            _(
                "Work has been recorded on this entry since it was added; it can only be "
                "removed from the list, with a reason."
            ),
            code="entry_worked_on",
        )
    data = {
        "person": entry.person,
        "list": str(entry.source_list),
        "added_on": entry.added_on,
        "helpers": [str(h) for h in entry.helpers.all()],
        "reason": reason.strip(),
    }
    record(
        action="admissions.source.withdrawn",
        actor=actor,
        target=entry,
        org_unit=unit,
        data=data,
    )
    entry.notes.all().delete()
    entry.helpers.clear()
    entry.delete()


# --- the case -----------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Any,
    person: Person,
    cell: OrgUnit,
    opened_on: dt.date,
    source_entry: SourceEntry | None = None,
    helpers: Iterable[Person] = (),
    unit_has_youth_union: bool = True,
    unit_has_trade_union: bool = False,
    special_area: bool | None = None,
    today: dt.date | None = None,
    _units: tuple[OrgUnit | None, OrgUnit | None] | None = None,
) -> AdmissionCase:
    """Open the admission case of a person kept by a party cell."""
    if not cell.is_cell:
        raise DomainError(_("An admission case belongs to a party cell."), field="cell")
    _need(actor, "admissions.act", cell)
    if opened_on > _today(today):
        raise DomainError(_("The date cannot be in the future."), field="opened_on")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != "none":
        raise DomainError(_("This person is not among the masses."), code="not_masses")
    if (
        AdmissionCase.objects.filter(person=person)
        .exclude(stage__in=[Stage.REJECTED, Stage.RECOGNIZED, Stage.REMOVED])
        .exists()
    ):
        raise DomainError(_("This person already has an open case."), code="open_case")
    if _units is None:
        found = committees_of(cell, on=opened_on)
        if found.deciding is None:  # a cell recorded before its tree had dates
            found = committees_of(cell)
        _units = (found.grassroots, found.deciding)
    grassroots, deciding = _units
    if deciding is None:
        raise DomainError(_("No committee is competent to decide for this cell."))
    if special_area is None:
        special_area = bool(
            cell.mountainous
            or cell.border
            or cell.island
            or cell.ethnic_minority_area
            or cell.especially_difficult
        )
    case = AdmissionCase.objects.create(
        person=person,
        org_unit=cell,
        grassroots=grassroots,
        deciding_unit=deciding,
        source_entry=source_entry,
        stage=Stage.SOURCE_LIST,
        stage_on=opened_on,
        opened_on=opened_on,
        unit_has_youth_union=unit_has_youth_union,
        unit_has_trade_union=unit_has_trade_union,
        special_area=special_area,
    )
    helpers = list(helpers)
    if helpers:
        case.helpers.set(helpers)
    StageChange.objects.create(
        case=case,
        from_stage="",
        to_stage=Stage.SOURCE_LIST,
        on=opened_on,
        actor=_user(actor),
        org_unit_id=case.org_unit_id,
    )
    record(
        action="admissions.case.opened",
        actor=actor,
        target=case,
        org_unit=cell,
        data={"person": person, "date": opened_on, "deciding_unit": deciding},
    )
    return case


@transaction.atomic
def certificate_record(
    *,
    actor: Any,
    case: AdmissionCase,
    issued_on: dt.date,
    number: str = "",
    scan: Any = None,
    today: dt.date | None = None,
) -> AdmissionCase:
    """The awareness class certificate (rules reference §1.3)."""
    case = _guard(case, "certificate", actor, issued_on, _today(today))
    _dossier(
        case,
        DocumentKind.AWARENESS_CERTIFICATE,
        issued_on,
        number=number,
        status=DocumentStatus.VERIFIED,
        valid_until=checks.certificate_valid_until(issued_on),
        scan=scan,
    )
    _set_entry_progress(case, SourceEntry.Progress.CERTIFIED)
    return _advance(
        case,
        step="certificate",
        to=Stage.AWARENESS_CLASS,
        on=issued_on,
        actor=actor,
        legal_basis=number,
        certificate_on=issued_on,
    )


def _simple_step(step: str, kind: str) -> Any:
    @transaction.atomic
    def service(
        *,
        actor: Any,
        case: AdmissionCase,
        on: dt.date,
        number: str = "",
        scan: Any = None,
        note: str = "",
        today: dt.date | None = None,
        certificate_on: dt.date | None = None,
    ) -> AdmissionCase:
        case = _guard(case, step, actor, on, _today(today))
        _dossier(case, kind, on, number=number, scan=scan)
        if certificate_on is None:
            certificate_on = checks.awareness_certificate_issued_on(case, on)
        return _advance(
            case,
            step=step,
            to=rules.target_of(step),
            on=on,
            actor=actor,
            reason=note,
            legal_basis=number,
            certificate_on=certificate_on,
        )

    service.__name__ = f"{step}_record"
    service.__doc__ = f"Record the step “{step}” with its document ({kind})."
    return service


application_record = _simple_step("application", DocumentKind.APPLICATION)
background_record = _simple_step("background", DocumentKind.BACKGROUND)
_vetting_step = _simple_step("vetting", DocumentKind.VETTING)


@transaction.atomic
def vetting_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str = "",
    scan: Any = None,
    note: str = "",
    satisfactory: bool = True,
    today: dt.date | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """The grassroots committee's conclusion on the vetting (``VettingConclusion``),
    refused while a vetting request awaits its reply (``admissions.vetting``)."""
    from ptdv.admissions import vetting

    case = _vetting_step(
        actor=actor,
        case=case,
        on=on,
        number=number,
        scan=scan,
        note=note,
        today=today,
        certificate_on=certificate_on,
    )
    refusal = vetting.conclusion_refusal(case)
    if refusal:  # the step above is rolled back with the refusal
        raise _refuse("vetting.pending", refusal, vetting.SOURCE)
    vetting.conclusion_record(case, on=on, number=number, satisfactory=satisfactory, text=note)
    return case


@dataclass(frozen=True)
class IntroducerInput:
    person: Person | None
    kind: str = Introduction.Kind.MEMBER
    cowork_since: dt.date | None = None
    replacement: bool = False


@transaction.atomic
def introductions_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    introducers: Sequence[IntroducerInput],
    comments_on: dt.date | None = None,
    today: dt.date | None = None,
    certificate_on: dt.date | None = None,
) -> AdmissionCase:
    """Introducers (3-KNĐ/3A-KNĐ, or the union's resolution 4-KNĐ/4A-KNĐ + one member)
    and the summary of comments (5-KNĐ). Checked at once on this date; again at the vote."""
    case = _guard(case, "introductions", actor, on, _today(today))
    if comments_on is not None and (comments_on < case.stage_on or comments_on > on):
        raise _refuse("date.comments", _("The date of the comments is not plausible."), on=on)
    findings: list[Finding] = []
    members = [i for i in introducers if i.kind == Introduction.Kind.MEMBER]
    if any(i.person is None for i in members):
        findings.append(
            Finding(
                "introducers.unknown",
                _("An introducer is not given."),
                checks.policy_on(on).source("introducers.default_count"),
            )
        )
    if any(i.person is not None and i.person.pk == case.person_id for i in members):
        findings.append(
            Finding(
                "introducers.self",
                _("The applicant cannot introduce themself."),
                checks.policy_on(on).source("introducers.default_count"),
            )
        )
    if findings:
        raise StepRefusedError(findings)
    rows = [
        Introduction(
            case=case,
            introducer=i.person,
            kind=i.kind,
            cowork_since=i.cowork_since,
            replacement=i.replacement,
            issued_on=on,
        )
        for i in introducers
    ]
    Introduction.objects.filter(case=case, active=True).update(active=False)
    Introduction.objects.bulk_create(rows)
    errors = checks.errors(checks.introducer_findings(case, on))
    if errors:
        raise StepRefusedError(errors)
    doc_kind = {
        Introduction.Kind.MEMBER: DocumentKind.INTRODUCTION,
        Introduction.Kind.YOUTH_UNION: DocumentKind.YOUTH_UNION_RESOLUTION,
        Introduction.Kind.TRADE_UNION: DocumentKind.TRADE_UNION_RESOLUTION,
    }
    items = [
        DossierItem(case=case, kind=k, status=DocumentStatus.RECEIVED, issued_on=on, received_on=on)
        for k in sorted({doc_kind[i.kind] for i in introducers})
    ]
    if comments_on is not None:
        items.append(
            DossierItem(
                case=case,
                kind=DocumentKind.COMMENTS,
                status=DocumentStatus.RECEIVED,
                issued_on=comments_on,
                received_on=comments_on,
            )
        )
    DossierItem.objects.bulk_create(items)
    return _advance(
        case,
        step="introductions",
        to=Stage.INTRODUCTIONS_COLLECTED,
        on=on,
        actor=actor,
        data={"introducers": [str(i.person or i.kind) for i in introducers]},
        certificate_on=certificate_on or checks.awareness_certificate_issued_on(case, on),
    )


def official_members_count(unit: OrgUnit, on: dt.date) -> int:
    """Official members of a cell on a date: the registry's denominator of its votes.
    Members in temporary activity in another organization that day are left out
    (294-QĐ/TW 9.3.2); exempted members count unless absent, which only the meeting knows
    (``people.transfers.selectors.exempted_on`` lists them)."""
    from ptdv.people.transfers.selectors import temporary_away_on

    official = members_on(unit, on, statuses=[MembershipStatus.OFFICIAL])
    away = temporary_away_on(unit, on).filter(pk__in=official.values("pk"))
    return official.count() - away.count()


def denominator_of(
    unit: OrgUnit, on: dt.date, given: Iterable[tuple[Any, str]] = ()
) -> tuple[int, list[tuple[int, str]], list[Finding]]:
    """The roll of a cell on ``on`` (official members, ``people.selectors.members_on``) and
    the exclusions by name and category: those given, checked against the registry (a
    member of the roll; "temporary activity elsewhere" and "exempted" as the transfers
    registry records them that day), plus every member the registry shows in temporary
    activity elsewhere. Returns (roll, [(person id, category)], problems)."""
    from ptdv.people.transfers.selectors import exempted_on, temporary_away_on

    p = checks.policy_on(on)
    src = p.source("vote.denominator_exclusions")
    official = members_on(unit, on, statuses=[MembershipStatus.OFFICIAL])
    roll_ids = set(official.values_list("pk", flat=True))
    away = set(temporary_away_on(unit, on).filter(pk__in=roll_ids).values_list("pk", flat=True))
    exempted = set(exempted_on(unit, on).filter(pk__in=roll_ids).values_list("pk", flat=True))
    out: dict[int, str] = {}
    problems: list[Finding] = []
    names = {}
    for person, category in given:
        pid = getattr(person, "pk", person)
        names[pid] = str(person)
        ctx = {"name": str(person), "date": _fmt(on)}
        if pid in out:
            problems.append(
                Finding(
                    "vote.exclusion_duplicate",
                    _("%(name)s is excluded twice.") % ctx,
                    src,
                )
            )
        elif pid not in roll_ids:
            problems.append(
                Finding(
                    "vote.exclusion_not_on_roll",
                    _("%(name)s is not an official member of the cell on %(date)s.") % ctx,
                    src,
                )
            )
        elif category == "temporary_elsewhere" and pid not in away:
            problems.append(
                Finding(
                    "vote.exclusion_not_temporary",
                    _(
                        "%(name)s is not in temporary activity elsewhere on %(date)s according "
                        "to the transfers registry."
                    )
                    % ctx,
                    src,
                )
            )
        elif category == "exempted_absent" and pid not in exempted:
            problems.append(
                Finding(
                    "vote.exclusion_not_exempted",
                    _("%(name)s has no exemption from party activity in force on %(date)s.") % ctx,
                    src,
                )
            )
        out[pid] = category
    for pid in sorted(away - set(out)):
        out[pid] = "temporary_elsewhere"
    return len(roll_ids), sorted(out.items()), problems


def rules_vote_key(body: str) -> str:
    """The policy key of a body's vote threshold (its legal citation)."""
    return {
        Body.CELL: "vote.chi_bo.admission",
        Body.GRASSROOTS: "vote.grassroots.propose",
        Body.UPPER: "vote.upper_btv.decide",
    }.get(body, "vote.chi_bo.admission")


def _vote(
    case: AdmissionCase,
    *,
    step: str,
    body: str,
    purpose: str,
    on: dt.date,
    counts: VoteCounts,
    actor: Any,
    policy_code: str,
    extra_findings: Sequence[Finding] = (),
    record_failure: bool = False,
) -> tuple[bool, Vote | None]:
    """Check a vote; refuse (case unchanged), or record a failed attempt, or pass."""
    p = checks.policy_on(on)
    problem = rules.vote_counts_problem(
        counts.expected, counts.present, counts.in_favour, counts.against
    )
    if problem:
        raise _refuse(
            "vote.inconsistent",
            _("The vote counts are inconsistent."),
            p.source(rules_vote_key(body)),
        )
    findings = list(extra_findings)
    roll: int | None = None
    exclusions: list[tuple[int, str]] = []
    if body == Body.CELL and purpose in (Purpose.ADMISSION, Purpose.RECOGNITION):
        roll, exclusions, problems = denominator_of(case.org_unit, on, counts.exclusions)
        findings += problems
        findings += checks.denominator_findings(
            roll=roll, excluded=[c for _pid, c in exclusions], expected=counts.expected, on=on
        )
    errors = checks.errors(findings)
    if errors:
        raise StepRefusedError(errors)
    # failed attempts of this step so far (reset when a vote passes and the stage moves)
    attempt = case.failed_votes + 1
    vote_findings = checks.errors(
        checks.vote_findings(
            body=body,
            expected=counts.expected,
            present=counts.present,
            in_favour=counts.in_favour,
            against=counts.against,
            attempt=attempt,
            p=p,
        )
    )
    passed = not vote_findings
    if not passed and (not record_failure or vote_findings[0].code != "vote.below_threshold"):
        raise StepRefusedError(vote_findings)
    vote = Vote.objects.create(
        case=case,
        body=body,
        purpose=purpose,
        date=on,
        expected=counts.expected,
        present=counts.present,
        in_favour=counts.in_favour,
        against=counts.against,
        attempt=attempt,
        passed=passed,
        resolution_number=counts.resolution_number,
        policy_code=policy_code,
        roll=roll,
    )
    if exclusions:
        VoteExclusion.objects.bulk_create(
            [VoteExclusion(vote=vote, person_id=pid, category=c) for pid, c in exclusions]
        )
    if not passed:
        failed = case.failed_votes + 1
        to = Stage.ESCALATED if rules.escalates(failed, p.vote_max_attempts) else None
        _advance(
            case,
            step="escalated" if to else "vote_failed",
            to=to,
            on=on,
            actor=actor,
            reason=vote_findings[0].message,
            policy_code=policy_code,
            fields={"failed_votes": failed},
            data=_vote_data(vote),
        )
    return passed, vote


def _vote_data(vote: Vote) -> dict[str, Any]:
    return {
        "vote": {
            "body": vote.body,
            "purpose": vote.purpose,
            "expected": vote.expected,
            "present": vote.present,
            "in_favour": vote.in_favour,
            "against": vote.against,
            "attempt": vote.attempt,
            "passed": vote.passed,
            "resolution": vote.resolution_number,
            "roll": vote.roll,
            "exclusions": [
                {"person": str(e.person), "category": e.category}
                for e in vote.exclusions.select_related("person")
            ]
            if vote.roll is not None
            else [],
        }
    }


def _vote_step(
    case: AdmissionCase,
    *,
    step: str,
    body: str,
    purpose: str,
    to: str,
    document: str,
    actor: Any,
    on: dt.date,
    counts: VoteCounts,
    policy_code: str,
    record_failure: bool,
    findings: Sequence[Finding] = (),
    keep_warnings: bool = False,
    fields: dict[str, Any] | None = None,
) -> AdmissionCase:
    """A vote step of a case: the vote is checked and kept (``_vote``); a vote that
    passes files its resolution in the dossier and moves the case to ``to``."""
    passed, vote = _vote(
        case,
        step=step,
        body=body,
        purpose=purpose,
        on=on,
        counts=counts,
        actor=actor,
        policy_code=policy_code,
        extra_findings=findings,
        record_failure=record_failure,
    )
    if not passed:
        return case
    assert vote is not None
    _dossier(case, document, on, number=counts.resolution_number)
    data = _vote_data(vote)
    if keep_warnings:
        data["warnings"] = [f.code for f in findings]
    return _advance(
        case,
        step=step,
        to=to,
        on=on,
        actor=actor,
        legal_basis=counts.resolution_number,
        policy_code=policy_code,
        fields={**(fields or {}), "failed_votes": 0},
        data=data,
    )


@transaction.atomic
def cell_vote_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    counts: VoteCounts,
    record_failure: bool = False,
    today: dt.date | None = None,
) -> AdmissionCase:
    """The cell's resolution proposing admission (6-KNĐ): every eligibility rule is
    checked with the policy in force on the vote date."""
    from ptdv.admissions import vetting

    case = _guard(case, "cell_vote", actor, on, _today(today))
    p = checks.policy_on(on)
    done = _vote_step(
        case,
        step="cell_vote",
        body=Body.CELL,
        purpose=Purpose.ADMISSION,
        to=Stage.CELL_VOTED,
        document=DocumentKind.CELL_RESOLUTION,
        actor=actor,
        on=on,
        counts=counts,
        policy_code=p.code,
        record_failure=record_failure,
        findings=[*vetting.vote_findings(case), *checks.admission_findings(case, on)],
        keep_warnings=True,
        fields={"cell_vote_on": on, "policy_code": p.code},
    )
    if done.stage == Stage.CELL_VOTED:
        _set_entry_progress(done, SourceEntry.Progress.IN_PROCEDURE)
    return done


@transaction.atomic
def sub_committee_record(
    *, actor: Any, case: AdmissionCase, on: dt.date, number: str = "", today: dt.date | None = None
) -> AdmissionCase:
    """The partial committee's appraisal (7-KNĐ), where a sub-committee exists."""
    case = _guard(case, "sub_committee", actor, on, _today(today))
    _dossier(case, DocumentKind.SUB_COMMITTEE_REPORT, on, number=number)
    return _advance(
        case,
        step="sub_committee",
        to=Stage.PARTIAL_COMMITTEE_APPRAISED,
        on=on,
        actor=actor,
        legal_basis=number,
    )


@transaction.atomic
def grassroots_vote_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    counts: VoteCounts,
    record_failure: bool = False,
    today: dt.date | None = None,
) -> AdmissionCase:
    """The grassroots committee's resolution (8-KNĐ): ≥ 2/3 of committee members."""
    case = _guard(case, "grassroots_vote", actor, on, _today(today))
    return _vote_step(
        case,
        step="grassroots_vote",
        body=Body.GRASSROOTS,
        purpose=Purpose.ADMISSION,
        to=Stage.GRASSROOTS_VOTED,
        document=DocumentKind.GRASSROOTS_RESOLUTION,
        actor=actor,
        on=on,
        counts=counts,
        policy_code=case.policy_code,
        record_failure=record_failure,
        fields={"grassroots_vote_on": on},
    )


def _decision(
    case: AdmissionCase,
    kind: str,
    on: dt.date,
    *,
    number: str,
    signer: str,
    received_on: dt.date | None,
    legal_basis: str,
    reason: str = "",
) -> Decision:
    return Decision.objects.create(
        case=case,
        kind=kind,
        number=number,
        date=on,
        received_on=received_on,
        signer=signer,
        deciding_unit=committees_on(case, on).deciding,
        policy_code=case.policy_code,
        legal_basis=legal_basis,
        reason=reason,
    )


def _decision_vote(
    case: AdmissionCase,
    *,
    step: str,
    purpose: str,
    on: dt.date,
    counts: VoteCounts | None,
    actor: Any,
    policy_code: str,
) -> None:
    """The deciding body's own vote, when the user records it: the standing committee of
    the upper committee (> 1/2 of its members) or an authorised grassroots committee
    (≥ 2/3). Below the threshold the decision is refused and the case stays unchanged."""
    if counts is None:
        return
    unit = committees_on(case, on).deciding
    body = Body.GRASSROOTS if unit is not None and unit.is_grassroots else Body.UPPER
    _vote(
        case,
        step=step,
        body=body,
        purpose=purpose,
        on=on,
        counts=counts,
        actor=actor,
        policy_code=policy_code,
    )


@transaction.atomic
def admission_decide(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str,
    signer: str = "",
    received_on: dt.date | None = None,
    legal_basis: str = "",
    counts: VoteCounts | None = None,
    today: dt.date | None = None,
) -> AdmissionCase:
    """The competent committee's admission decision (9-KNĐ). Party age counts from it."""
    case = _guard(case, "decide", actor, on, _today(today))
    if not number.strip():
        raise _refuse("decision.number_missing", _("The decision number is required."), on=on)
    if received_on is not None and received_on < on:
        raise _refuse(
            "decision.received_before",
            _("The decision cannot be received before it is signed."),
            on=on,
        )
    if received_on is not None and received_on > _today(today):
        raise _refuse(
            "decision.received_future",
            _("The decision cannot be received after today (%(today)s).")
            % {"today": _fmt(_today(today))},
            on=on,
        )
    p = checks.policy_on(case.cell_vote_on or on)
    missing = checks.errors(
        checks.consent_findings(case, on) + checks.decision_paper_findings(case, "admission", on)
    )
    if missing:
        raise StepRefusedError(missing)
    _decision_vote(
        case,
        step="decide",
        purpose=Purpose.ADMISSION,
        on=on,
        counts=counts,
        actor=actor,
        policy_code=case.policy_code or p.code,
    )
    basis = legal_basis or checks.policy_on(on).source("deadline.upper_decide_admission_wd")
    late = bool(case.due_on and on > case.due_on)
    _decision(
        case,
        Decision.Kind.ADMISSION,
        on,
        number=number,
        signer=signer,
        received_on=received_on,
        legal_basis=basis,
    )
    _dossier(case, DocumentKind.DECISION, on, number=number)
    return _advance(
        case,
        step="decide",
        to=Stage.DECIDED,
        on=on,
        actor=actor,
        legal_basis=number,
        policy_code=case.policy_code or p.code,
        fields={"decision_on": on, "decision_received_on": received_on or on},
        data={"number": number, "signer": signer, "late": late},
    )


@transaction.atomic
def case_reject(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    reason: str,
    number: str = "",
    today: dt.date | None = None,
) -> AdmissionCase:
    """Stop the case: by the cell before its vote, by the competent committee after."""
    case = _guard(case, "reject", actor, on, _today(today))
    if not reason.strip():
        raise _refuse("reason.missing", _("A reason is required."), on=on)
    if _reject_by_committee(case):
        _decision(
            case,
            Decision.Kind.REJECTION,
            on,
            number=number,
            signer="",
            received_on=None,
            legal_basis=number,
            reason=reason,
        )
    _set_entry_progress(case, SourceEntry.Progress.REMOVED)
    return _advance(
        case,
        step="reject",
        to=Stage.REJECTED,
        on=on,
        actor=actor,
        reason=reason,
        legal_basis=number,
        policy_code=case.policy_code,
    )


@transaction.atomic
def ceremony_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    received_on: dt.date | None = None,
    reason_late: str = "",
    today: dt.date | None = None,
) -> AdmissionCase:
    """The admission ceremony: the person becomes a probationary member of the cell
    (event ADMITTED dated the ceremony, party age from the decision date)."""
    today = _today(today)
    case = _guard(case, "ceremony", actor, on, today)
    received = received_on or case.decision_received_on or case.decision_on
    assert case.decision_on is not None
    if received is not None and (received < case.decision_on or received > on):
        raise _refuse(
            "decision.received_date",
            _("The decision must be received between its date and the ceremony."),
            checks.policy_on(on).source("deadline.ceremony_wd"),
        )
    late = bool(case.due_on and on > case.due_on)
    if late and not reason_late.strip():
        raise _refuse(
            "ceremony.late",
            _(
                "The ceremony is later than %(date)s (30 working days after the decision was "
                "received): give the upper committee's agreement as the reason."
            )
            % {"date": _fmt(case.due_on)},  # type: ignore[arg-type]
            checks.policy_on(on).source("deadline.ceremony_wd"),
        )
    decision = case.decisions.filter(kind=Decision.Kind.ADMISSION).order_by("-date").first()
    membership_event_add(
        actor=actor,
        person=case.person,
        kind=EventKind.ADMITTED,
        date=on,
        org_unit=case.org_unit,
        decision_number=decision.number if decision else "",
        decision_date=checks.party_age_start(case.decision_on),
        source=f"admissions.case:{case.uid}",
        today=today,
    )
    _set_entry_progress(case, SourceEntry.Progress.ADMITTED)
    return _advance(
        case,
        step="ceremony",
        to=Stage.PROBATION,
        on=on,
        actor=actor,
        reason=reason_late,
        policy_code=checks.policy_on(on).code,
        fields={
            "ceremony_on": on,
            "decision_received_on": received,
            "official_on": checks.probation_end(on),
        },
    )


@transaction.atomic
def member_record_done(
    *, actor: Any, case: AdmissionCase, on: dt.date, today: dt.date | None = None
) -> AdmissionCase:
    """The new member's party record (lý lịch đảng viên), due 30 working days after the
    ceremony (12-HD/BTCTW 2022, 2.2)."""
    case = _lock(case)
    _check_perm(actor, "member_record", case, on)
    if case.ceremony_on is None or case.member_record_on is not None:
        raise _refuse(
            "stage.out_of_order",
            _("There is no member record to complete."),
            checks.policy_on(on).source("deadline.member_record_wd"),
        )
    if on < case.ceremony_on or on > _today(today):
        raise _refuse(
            "date.before_previous",
            _("The date must follow the ceremony."),
            checks.policy_on(on).source("deadline.member_record_wd"),
        )
    return _advance(
        case, step="member_record", to=None, on=on, actor=actor, fields={"member_record_on": on}
    )


@transaction.atomic
def recognition_cell_vote_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    counts: VoteCounts,
    record_failure: bool = False,
    today: dt.date | None = None,
) -> AdmissionCase:
    """The cell's resolution on recognition (13-KNĐ), only after the 12 months."""
    case = _guard(case, "recognition_cell_vote", actor, on, _today(today))
    p = checks.policy_on(on)
    return _vote_step(
        case,
        step="recognition_cell_vote",
        body=Body.CELL,
        purpose=Purpose.RECOGNITION,
        to=Stage.RECOGNITION_CELL_VOTED,
        document=DocumentKind.RECOGNITION_CELL_RESOLUTION,
        actor=actor,
        on=on,
        counts=counts,
        policy_code=p.code,
        record_failure=record_failure,
        findings=checks.recognition_findings(case, on),
        fields={"recognition_cell_vote_on": on, "policy_code": p.code},
    )


@transaction.atomic
def recognition_grassroots_vote_record(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    counts: VoteCounts,
    record_failure: bool = False,
    today: dt.date | None = None,
) -> AdmissionCase:
    case = _guard(case, "recognition_grassroots_vote", actor, on, _today(today))
    return _vote_step(
        case,
        step="recognition_grassroots_vote",
        body=Body.GRASSROOTS,
        purpose=Purpose.RECOGNITION,
        to=Stage.RECOGNITION_GRASSROOTS_VOTED,
        document=DocumentKind.RECOGNITION_GRASSROOTS_RESOLUTION,
        actor=actor,
        on=on,
        counts=counts,
        policy_code=case.policy_code,
        record_failure=record_failure,
    )


@transaction.atomic
def recognition_decide(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str,
    signer: str = "",
    legal_basis: str = "",
    counts: VoteCounts | None = None,
    today: dt.date | None = None,
) -> AdmissionCase:
    """Recognition as official member, as of the end of probation whatever the delays
    (24-QĐ/TW 4.2.2): event RECOGNIZED dated the official date."""
    today = _today(today)
    case = _guard(case, "recognize", actor, on, today)
    if not number.strip():
        raise _refuse("decision.number_missing", _("The decision number is required."), on=on)
    assert case.ceremony_on is not None
    official = checks.probation_end(case.ceremony_on)
    found = checks.errors(
        checks.recognition_findings(case, on)
        + checks.decision_paper_findings(case, "recognition", on)
    )
    if found:
        raise StepRefusedError(found)
    p = checks.policy_on(on)
    _decision_vote(
        case,
        step="recognize",
        purpose=Purpose.RECOGNITION,
        on=on,
        counts=counts,
        actor=actor,
        policy_code=p.code,
    )
    basis = legal_basis or p.source("deadline.upper_decide_recognition_wd")
    _decision(
        case,
        Decision.Kind.RECOGNITION,
        on,
        number=number,
        signer=signer,
        received_on=None,
        legal_basis=basis,
    )
    _dossier(case, DocumentKind.RECOGNITION_DECISION, on, number=number)
    membership_event_add(
        actor=actor,
        person=case.person,
        kind=EventKind.RECOGNIZED,
        date=official,
        org_unit=None,
        decision_number=number,
        decision_date=on,
        source=f"admissions.case:{case.uid}",
        today=today,
    )
    return _advance(
        case,
        step="recognize",
        to=Stage.RECOGNIZED,
        on=on,
        actor=actor,
        legal_basis=number,
        policy_code=p.code,
        fields={"recognition_decision_on": on, "official_on": official},
        data={"number": number, "official_on": official},
    )


@transaction.atomic
def removal_decide(
    *,
    actor: Any,
    case: AdmissionCase,
    on: dt.date,
    number: str,
    reason: str,
    signer: str = "",
    legal_basis: str = "",
    today: dt.date | None = None,
) -> AdmissionCase:
    """Removal from the probationary list (Charter Art. 5.2): event REMOVED_PROBATIONARY."""
    today = _today(today)
    case = _guard(case, "remove", actor, on, today)
    if not number.strip() or not reason.strip():
        raise _refuse(
            "decision.number_missing",
            _("The decision number and the reason are required."),
            checks.policy_on(on).source("vote.recognition"),
        )
    p = checks.policy_on(on)
    _decision(
        case,
        Decision.Kind.REMOVAL,
        on,
        number=number,
        signer=signer,
        received_on=None,
        legal_basis=legal_basis or p.source("vote.recognition"),
        reason=reason,
    )
    membership_event_add(
        actor=actor,
        person=case.person,
        kind=EventKind.REMOVED_PROBATIONARY,
        date=on,
        org_unit=None,
        decision_number=number,
        decision_date=on,
        note=reason,
        source=f"admissions.case:{case.uid}",
        today=today,
    )
    return _advance(
        case,
        step="remove",
        to=Stage.REMOVED,
        on=on,
        actor=actor,
        reason=reason,
        legal_basis=number,
        policy_code=p.code,
        data={"number": number},
    )


@transaction.atomic
def dossier_item_record(
    *,
    actor: Any,
    case: AdmissionCase,
    kind: str,
    status: str,
    issued_on: dt.date | None = None,
    received_on: dt.date | None = None,
    number: str = "",
    returned_reason: str = "",
    scan: Any = None,
    today: dt.date | None = None,
) -> DossierItem:
    """Record a document of the dossier (received, verified, or returned with a reason)."""
    case = _lock(case)
    _check_perm(actor, "dossier", case)
    today = _today(today)
    if kind not in DocumentKind.values:
        raise DomainError(_("Unknown document."), field="kind")
    if status not in DocumentStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    if status == DocumentStatus.RETURNED and not returned_reason.strip():
        raise DomainError(_("Say why the document is returned."), field="returned_reason")
    for day in (issued_on, received_on):
        if day is not None and day > today:
            raise DomainError(_("The date cannot be in the future."), field="issued_on")
    if issued_on and received_on and received_on < issued_on:
        raise DomainError(_("A document cannot be received before it is issued."))
    valid_until = None
    if kind == DocumentKind.AWARENESS_CERTIFICATE and issued_on:
        valid_until = checks.certificate_valid_until(issued_on)
    item = DossierItem(
        case=case,
        kind=kind,
        status=status,
        issued_on=issued_on,
        received_on=received_on,
        number=number,
        returned_reason=returned_reason.strip(),
        valid_until=valid_until,
    )
    if scan:
        item.scan = scan
    item.save()
    record(
        action="admissions.dossier.recorded",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={"kind": kind, "status": status, "issued_on": issued_on, "reason": returned_reason},
    )
    return item


# --- special paths: the village-elder path and the written consents ----------------------

_BEFORE_DECISION = frozenset(rules.BEFORE_DECISION)


def _before_decision(case: AdmissionCase) -> bool:
    return case.stage in _BEFORE_DECISION or (
        case.stage == Stage.ESCALATED and case.ceremony_on is None
    )


@transaction.atomic
def special_path_set(
    *, actor: Any, case: AdmissionCase, role: str, today: dt.date | None = None
) -> AdmissionCase:
    """Record that the applicant is a village elder, hamlet head or prestigious person
    (``role`` one of the policy's ``education.village_elder_roles``), or clear it (``""``).
    Only before the decision; audited."""
    case = _lock(case)
    today = _today(today)
    _check_perm(actor, "special_path", case, today)
    p = checks.policy_on(case.cell_vote_on or today)
    if not _before_decision(case):
        raise _refuse(
            "stage.out_of_order",
            _("The path can only be changed before the admission decision."),
            p.source("education.village_elder_requires"),
        )
    role = (role or "").strip()
    roles = checks.village_elder_roles(case.cell_vote_on or today)
    if role and role not in roles:
        raise _refuse(
            "special_path.unknown_role",
            _("Unknown role in the community."),
            p.source("education.village_elder_roles"),
        )
    old = {"village_elder": case.village_elder, "role": case.village_elder_role}
    case.village_elder = bool(role)
    case.village_elder_role = role
    case.save(update_fields=["village_elder", "village_elder_role", "updated_at"])
    record(
        action="admissions.case.special_path",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={"old": old, "new": {"village_elder": case.village_elder, "role": role}},
    )
    return case


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    case: AdmissionCase,
    kind: str,
    number: str,
    on: dt.date,
    body: str,
    note: str = "",
    today: dt.date | None = None,
) -> Consent:
    """The provincial standing committee's written consent a special path needs (over 60:
    ``age.over_max_requires``; village elder: ``education.village_elder_requires``), with
    its number, date and issuing body; before the decision (the decision checks its date)."""
    case = _lock(case)
    today = _today(today)
    _check_perm(actor, "consent", case, on if on <= today else today)
    p = checks.policy_on(case.cell_vote_on or on)
    source = (
        p.source("education.village_elder_requires")
        if kind == Consent.Kind.VILLAGE_ELDER
        else p.source("age.over_max_requires")
    )
    if kind not in Consent.Kind.values:
        raise _refuse("consent.unknown_kind", _("Unknown kind of consent."), source)
    problems = []
    if not (number or "").strip():
        problems.append(
            Finding("consent.number_missing", _("The document number is required."), source)
        )
    if not (body or "").strip():
        problems.append(Finding("consent.body_missing", _("The issuing body is required."), source))
    if on > today:
        problems.append(Finding("date.future", _("The date cannot be in the future."), source))
    if not _before_decision(case):
        problems.append(
            Finding(
                "stage.out_of_order",
                _("A consent can only be recorded before the admission decision."),
                source,
            )
        )
    if kind == Consent.Kind.VILLAGE_ELDER and not case.village_elder:
        problems.append(
            Finding(
                "consent.not_village_elder",
                _(
                    "Record first that the applicant is a village elder, hamlet head or "
                    "prestigious person."
                ),
                source,
            )
        )
    if problems:
        raise StepRefusedError(problems)
    consent = Consent.objects.create(
        case=case,
        kind=kind,
        number=number.strip(),
        date=on,
        body=body.strip(),
        note=(note or "").strip(),
        recorded_by=_user(actor),
    )
    if kind == Consent.Kind.OVER_MAX_AGE and not case.over_max_age_consent:
        case.over_max_age_consent = True
        case.save(update_fields=["over_max_age_consent", "updated_at"])
    _dossier(case, DocumentKind.PROVINCIAL_CONSENT, on, number=consent.number)
    record(
        action="admissions.case.consent",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "kind": kind,
            "number": consent.number,
            "date": on,
            "body": consent.body,
            "note": consent.note,
            "legal_basis": source,
        },
    )
    return consent


def decision_purpose(case: AdmissionCase) -> str | None:
    """Which decision the case waits for: "admission" before it, "recognition" during
    probation, None when closed or decided and not yet admitted."""
    if not case.is_open:
        return None
    if case.ceremony_on is None:
        return "admission" if _before_decision(case) else None
    return "recognition"


@transaction.atomic
def paper_exception_record(
    *,
    actor: Any,
    case: AdmissionCase,
    kind: str,
    reason: str,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> PaperException:
    """Let the competent committee decide without a required paper: the paper, the reason,
    who and when (audited). Only for a paper the coming decision requires."""
    case = _lock(case)
    today = _today(today)
    on = on or today
    _check_perm(actor, "paper_exception", case, min(on, today))
    purpose = decision_purpose(case)
    p = checks.policy_on(on)
    src = p.source(
        "dossier.required_for_recognition_decision"
        if purpose == "recognition"
        else "dossier.required_for_admission_decision"
    )
    if purpose is None:
        raise _refuse(
            "stage.out_of_order", _("No decision is awaited at this stage of the case."), src
        )
    if kind not in checks.decision_papers(case, purpose, on):
        raise _refuse(
            "papers.not_required",
            _("This paper is not required for the decision."),
            src,
        )
    if not (reason or "").strip():
        raise _refuse("reason.missing", _("A reason is required."), src)
    if on > today:
        raise _refuse("date.future", _("The date cannot be in the future."), src)
    exc = PaperException.objects.create(
        case=case,
        purpose=purpose,
        kind=kind,
        date=on,
        reason=reason.strip(),
        recorded_by=_user(actor),
    )
    record(
        action="admissions.case.paper_exception",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "purpose": purpose,
            "kind": kind,
            "date": on,
            "reason": exc.reason,
            "legal_basis": src,
        },
    )
    return exc
