"""The admission decision, rejection, the ceremony and the new member's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks
from ptdv.admissions.models import (
    AdmissionCase,
    Body,
    Decision,
    DocumentKind,
    Purpose,
    SourceEntry,
    Stage,
)
from ptdv.admissions.selectors import committees_on
from ptdv.admissions.services.base import (
    StepRefusedError,
    advance,
    check_perm,
    file_document,
    fmt_date,
    guard,
    lock_case,
    out_of_order,
    refuse,
    reject_by_committee,
    set_entry_progress,
    today_or_local,
)
from ptdv.admissions.services.votes import (
    VoteCounts,
    vote_record,
)
from ptdv.people.models import EventKind
from ptdv.people.services import membership_event_add


def decision_add(
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


def decision_vote(
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
    vote_record(
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
    case = guard(case, "decide", actor, on, today_or_local(today))
    if not number.strip():
        raise refuse("decision.number_missing", _("The decision number is required."), on=on)
    if received_on is not None and received_on < on:
        raise refuse(
            "decision.received_before",
            _("The decision cannot be received before it is signed."),
            on=on,
        )
    if received_on is not None and received_on > today_or_local(today):
        raise refuse(
            "decision.received_future",
            _("The decision cannot be received after today (%(today)s).")
            % {"today": fmt_date(today_or_local(today))},
            on=on,
        )
    p = checks.policy_on(case.cell_vote_on or on)
    missing = checks.errors(
        checks.consent_findings(case, on) + checks.decision_paper_findings(case, "admission", on)
    )
    if missing:
        raise StepRefusedError(missing)
    decision_vote(
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
    decision_add(
        case,
        Decision.Kind.ADMISSION,
        on,
        number=number,
        signer=signer,
        received_on=received_on,
        legal_basis=basis,
    )
    file_document(case, DocumentKind.DECISION, on, number=number)
    return advance(
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
    case = guard(case, "reject", actor, on, today_or_local(today))
    if not reason.strip():
        raise refuse("reason.missing", _("A reason is required."), on=on)
    if reject_by_committee(case):
        decision_add(
            case,
            Decision.Kind.REJECTION,
            on,
            number=number,
            signer="",
            received_on=None,
            legal_basis=number,
            reason=reason,
        )
    set_entry_progress(case, SourceEntry.Progress.REMOVED)
    return advance(
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
    today = today_or_local(today)
    case = guard(case, "ceremony", actor, on, today)
    received = received_on or case.decision_received_on or case.decision_on
    if case.decision_on is None:  # never once guarded: a decided case holds its date
        raise out_of_order(case, on)
    if received is not None and (received < case.decision_on or received > on):
        raise refuse(
            "decision.received_date",
            _("The decision must be received between its date and the ceremony."),
            checks.policy_on(on).source("deadline.ceremony_wd"),
        )
    late = bool(case.due_on and on > case.due_on)
    if late and not reason_late.strip():
        raise refuse(
            "ceremony.late",
            _(
                "The ceremony is later than %(date)s (30 working days after the decision was "
                "received): give the upper committee's agreement as the reason."
            )
            % {"date": fmt_date(case.due_on)},  # type: ignore[arg-type]
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
    set_entry_progress(case, SourceEntry.Progress.ADMITTED)
    return advance(
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
    case = lock_case(case)
    check_perm(actor, "member_record", case, on)
    if case.ceremony_on is None or case.member_record_on is not None:
        raise refuse(
            "stage.out_of_order",
            _("There is no member record to complete."),
            checks.policy_on(on).source("deadline.member_record_wd"),
        )
    if on < case.ceremony_on or on > today_or_local(today):
        raise refuse(
            "date.before_previous",
            _("The date must follow the ceremony."),
            checks.policy_on(on).source("deadline.member_record_wd"),
        )
    return advance(
        case, step="member_record", to=None, on=on, actor=actor, fields={"member_record_on": on}
    )
