"""The one table of a case's workflow steps: each step's label and its service call.

The case page (``admissions.views.case_steps.case_step``, a form per step) and the REST API
(``ptdv.api.admissions.step_routes``, a serializer per step) each parse their own input into a
:class:`StepInput` and dispatch through :func:`take`, so a step calls its service the same
way whichever door it came in by. Adding a step: its service in ``services.py``, its rule
in ``rules.next_steps``, a label and a row of ``STEPS`` here, a form (``forms.py`` and
``views.case_page.STEP_FORMS``) and a serializer (``ptdv/api/admissions/inputs.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from ptdv.admissions import rules
from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase, Stage
from ptdv.organizations.models import OrgKind

STEP_LABELS = {
    "certificate": gettext_lazy("Record the awareness certificate"),
    "application": gettext_lazy("Record the application (1-KNĐ)"),
    "background": gettext_lazy("Record the background form (2-KNĐ)"),
    "vetting": gettext_lazy("Record the vetting results"),
    "introductions": gettext_lazy("Record the introductions"),
    "cell_vote": gettext_lazy("Record the cell's vote (6-KNĐ)"),
    "sub_committee": gettext_lazy("Record the sub-committee appraisal (7-KNĐ)"),
    "grassroots_vote": gettext_lazy("Record the grassroots committee's vote (8-KNĐ)"),
    "decide": gettext_lazy("Record the admission decision (9-KNĐ)"),
    "reject": gettext_lazy("Reject / stop the case"),
    "ceremony": gettext_lazy("Record the admission ceremony"),
    "member_record": gettext_lazy("Party member record completed"),
    "recognition_cell_vote": gettext_lazy("Record the cell's vote on recognition (13-KNĐ)"),
    "recognition_grassroots_vote": gettext_lazy(
        "Record the grassroots vote on recognition (15-KNĐ)"
    ),
    "recognize": gettext_lazy("Record the recognition decision"),
    "remove": gettext_lazy("Remove from the probationary list"),
}

DEADLINE_LABELS = {
    "decision": gettext_lazy("Admission decision due"),
    "ceremony": gettext_lazy("Admission ceremony due"),
    "member_record": gettext_lazy("Party member record due"),
    "recognition_review": gettext_lazy("Recognition review due"),
    "recognition_decision": gettext_lazy("Recognition decision due"),
    "certificate_expiry": gettext_lazy("Awareness certificate valid until"),
}


def next_steps_of(case: AdmissionCase) -> list[str]:
    steps = rules.next_steps(
        case.stage,
        grassroots_cell=case.org_unit.kind == OrgKind.GRASSROOTS_CELL,
        has_sub_committee=bool(
            case.org_unit.parent_id
            and case.grassroots_id
            and case.org_unit.parent_id != case.grassroots_id
        ),
    )
    if case.stage == Stage.ESCALATED:
        keep = {"recognize", "remove"} if case.ceremony_on else {"decide", "reject"}
        steps = [s for s in steps if s in keep]
    if case.ceremony_on and case.member_record_on is None and case.is_open:
        steps.append("member_record")
    return steps


@dataclass(frozen=True)
class StepInput:
    """What a step may carry, already parsed and validated by the form or serializer."""

    on: dt.date
    number: str = ""
    note: str = ""
    scan: Any = None
    satisfactory: bool = True  # vetting: the committee's conclusion
    introducers: list[S.IntroducerInput] = field(default_factory=list)
    comments_on: dt.date | None = None
    counts: S.VoteCounts | None = None  # a vote; for decide/recognize: the committee's
    record_failure: bool = False
    signer: str = ""
    received_on: dt.date | None = None
    reason: str = ""
    reason_late: str = ""


Step = Callable[[Any, AdmissionCase, StepInput], Any]

VOTE_STEPS = {
    "cell_vote": S.cell_vote_record,
    "grassroots_vote": S.grassroots_vote_record,
    "recognition_cell_vote": S.recognition_cell_vote_record,
    "recognition_grassroots_vote": S.recognition_grassroots_vote_record,
}
SCAN_STEPS = frozenset({"certificate", "application", "background", "vetting"})


def _vote(step: str) -> Step:
    def call(actor: Any, case: AdmissionCase, s: StepInput) -> Any:
        assert s.counts is not None  # noqa: S101 - the vote's form/serializer requires them
        return VOTE_STEPS[step](
            actor=actor, case=case, on=s.on, counts=s.counts, record_failure=s.record_failure
        )

    return call


STEPS: dict[str, Step] = {
    "certificate": lambda actor, case, s: S.certificate_record(
        actor=actor, case=case, issued_on=s.on, number=s.number, scan=s.scan
    ),
    "application": lambda actor, case, s: S.application_record(
        actor=actor, case=case, on=s.on, number=s.number, note=s.note, scan=s.scan
    ),
    "background": lambda actor, case, s: S.background_record(
        actor=actor, case=case, on=s.on, number=s.number, note=s.note, scan=s.scan
    ),
    "vetting": lambda actor, case, s: S.vetting_record(
        actor=actor,
        case=case,
        on=s.on,
        number=s.number,
        note=s.note,
        scan=s.scan,
        satisfactory=s.satisfactory,
    ),
    "introductions": lambda actor, case, s: S.introductions_record(
        actor=actor, case=case, on=s.on, introducers=s.introducers, comments_on=s.comments_on
    ),
    "cell_vote": _vote("cell_vote"),
    "sub_committee": lambda actor, case, s: S.sub_committee_record(
        actor=actor, case=case, on=s.on, number=s.number
    ),
    "grassroots_vote": _vote("grassroots_vote"),
    "decide": lambda actor, case, s: S.admission_decide(
        actor=actor,
        case=case,
        on=s.on,
        number=s.number,
        signer=s.signer,
        received_on=s.received_on,
        counts=s.counts,
    ),
    "reject": lambda actor, case, s: S.case_reject(
        actor=actor, case=case, on=s.on, reason=s.reason, number=s.number
    ),
    "ceremony": lambda actor, case, s: S.ceremony_record(
        actor=actor, case=case, on=s.on, received_on=s.received_on, reason_late=s.reason_late
    ),
    "member_record": lambda actor, case, s: S.member_record_done(actor=actor, case=case, on=s.on),
    "recognition_cell_vote": _vote("recognition_cell_vote"),
    "recognition_grassroots_vote": _vote("recognition_grassroots_vote"),
    "recognize": lambda actor, case, s: S.recognition_decide(
        actor=actor, case=case, on=s.on, number=s.number, signer=s.signer, counts=s.counts
    ),
    "remove": lambda actor, case, s: S.removal_decide(
        actor=actor, case=case, on=s.on, number=s.number, reason=s.reason
    ),
}
assert set(STEPS) == set(STEP_LABELS)  # noqa: S101 - one row per labelled step


def take(step: str, *, actor: Any, case: AdmissionCase, data: StepInput) -> Any:
    """Take ``step`` on ``case`` through its service (which checks, writes and audits)."""
    return STEPS[step](actor, case, data)
