"""Probation's end: the recognition votes, recognition as official member, removal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks
from ptdv.admissions.models import (
    AdmissionCase,
    Decision,
    DocumentKind,
    Purpose,
    Stage,
)
from ptdv.admissions.services.base import (
    StepRefusedError,
    advance,
    file_document,
    guard,
    out_of_order,
    refuse,
    today_or_local,
)
from ptdv.admissions.services.decisions import (
    decision_add,
    decision_vote,
)
from ptdv.admissions.services.votes import (
    RECOGNITION_CELL_VOTE,
    RECOGNITION_GRASSROOTS_VOTE,
    VoteCounts,
    vote_step,
)
from ptdv.people.models import EventKind
from ptdv.people.services import membership_event_add


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
    case = guard(case, "recognition_cell_vote", actor, on, today_or_local(today))
    return vote_step(
        RECOGNITION_CELL_VOTE,
        case,
        actor=actor,
        on=on,
        counts=counts,
        record_failure=record_failure,
        findings=checks.recognition_findings(case, on),
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
    case = guard(case, "recognition_grassroots_vote", actor, on, today_or_local(today))
    return vote_step(
        RECOGNITION_GRASSROOTS_VOTE,
        case,
        actor=actor,
        on=on,
        counts=counts,
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
    today = today_or_local(today)
    case = guard(case, "recognize", actor, on, today)
    if not number.strip():
        raise refuse("decision.number_missing", _("The decision number is required."), on=on)
    if case.ceremony_on is None:  # never once guarded (the escalated case too)
        raise out_of_order(case, on)
    official = checks.probation_end(case.ceremony_on)
    found = checks.errors(
        checks.recognition_findings(case, on)
        + checks.decision_paper_findings(case, "recognition", on)
    )
    if found:
        raise StepRefusedError(found)
    p = checks.policy_on(on)
    decision_vote(
        case,
        step="recognize",
        purpose=Purpose.RECOGNITION,
        on=on,
        counts=counts,
        actor=actor,
        policy_code=p.code,
    )
    basis = legal_basis or p.source("deadline.upper_decide_recognition_wd")
    decision_add(
        case,
        Decision.Kind.RECOGNITION,
        on,
        number=number,
        signer=signer,
        received_on=None,
        legal_basis=basis,
    )
    file_document(case, DocumentKind.RECOGNITION_DECISION, on, number=number)
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
    return advance(
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
    today = today_or_local(today)
    case = guard(case, "remove", actor, on, today)
    if not number.strip() or not reason.strip():
        raise refuse(
            "decision.number_missing",
            _("The decision number and the reason are required."),
            checks.policy_on(on).source("vote.recognition"),
        )
    p = checks.policy_on(on)
    decision_add(
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
    return advance(
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
