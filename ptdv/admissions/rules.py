"""Pure rules of the admission case: which step may follow which stage, and the next
deadline of a case. No ORM; dates, numbers and the working-day function are passed in.

Stage diagram: see ``ptdv/admissions/README.md`` (rules reference §4.1, §5, §8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

SOURCE_LIST = "source_list"
AWARENESS_CLASS = "awareness_class"
APPLICATION = "application"
BACKGROUND_DECLARED = "background_declared"
VETTING = "vetting"
INTRODUCTIONS_COLLECTED = "introductions_collected"
CELL_VOTED = "cell_voted"
PARTIAL = "partial_committee_appraised"
GRASSROOTS_VOTED = "grassroots_voted"
DECIDED = "decided"
REJECTED = "rejected"
PROBATION = "probation"
REC_CELL = "recognition_cell_voted"
REC_GRASSROOTS = "recognition_grassroots_voted"
RECOGNIZED = "recognized"
REMOVED = "removed"
ESCALATED = "escalated"

BEFORE_DECISION = (
    SOURCE_LIST,
    AWARENESS_CLASS,
    APPLICATION,
    BACKGROUND_DECLARED,
    VETTING,
    INTRODUCTIONS_COLLECTED,
    CELL_VOTED,
    PARTIAL,
    GRASSROOTS_VOTED,
)

# step → (stages it may start from, stage it leads to)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "certificate": ((SOURCE_LIST,), AWARENESS_CLASS),
    "application": ((AWARENESS_CLASS,), APPLICATION),
    "background": ((APPLICATION,), BACKGROUND_DECLARED),
    "vetting": ((BACKGROUND_DECLARED,), VETTING),
    "introductions": ((VETTING,), INTRODUCTIONS_COLLECTED),
    "cell_vote": ((INTRODUCTIONS_COLLECTED,), CELL_VOTED),
    "sub_committee": ((CELL_VOTED,), PARTIAL),
    "grassroots_vote": ((CELL_VOTED, PARTIAL), GRASSROOTS_VOTED),
    "decide": ((GRASSROOTS_VOTED, ESCALATED), DECIDED),
    "reject": (BEFORE_DECISION + (ESCALATED,), REJECTED),
    "ceremony": ((DECIDED,), PROBATION),
    "recognition_cell_vote": ((PROBATION,), REC_CELL),
    "recognition_grassroots_vote": ((REC_CELL,), REC_GRASSROOTS),
    "recognize": ((REC_GRASSROOTS, ESCALATED), RECOGNIZED),
    "remove": ((PROBATION, REC_CELL, REC_GRASSROOTS, ESCALATED), REMOVED),
}

# steps decided by the competent committee (admissions.decide at the deciding unit)
DECIDING_STEPS = frozenset({"decide", "recognize", "remove"})
# steps of the grassroots committee (admissions.act at the grassroots organization)
GRASSROOTS_STEPS = frozenset({"grassroots_vote", "recognition_grassroots_vote", "sub_committee"})


def allowed_from(step: str, stage: str, *, grassroots_cell: bool = False) -> bool:
    """Whether ``step`` may follow ``stage``. A grassroots cell (chi bộ cơ sở) has no
    grassroots committee above it: its own vote goes straight to the decision."""
    sources, _target = STEPS[step]
    if stage in sources:
        return True
    if grassroots_cell:
        if step == "decide" and stage == CELL_VOTED:
            return True
        if step == "recognize" and stage == REC_CELL:
            return True
    return False


def target_of(step: str) -> str:
    return STEPS[step][1]


def next_steps(
    stage: str, *, grassroots_cell: bool = False, has_sub_committee: bool = False
) -> list[str]:
    out = [s for s in STEPS if allowed_from(s, stage, grassroots_cell=grassroots_cell)]
    if grassroots_cell:
        out = [s for s in out if s not in {"grassroots_vote", "recognition_grassroots_vote"}]
    if not has_sub_committee:
        out = [s for s in out if s != "sub_committee"]
    if stage == ESCALATED:
        return out  # the service keeps only the steps of the escalated purpose
    return out


def escalates(failed_votes: int, max_attempts: int) -> bool:
    """After ``max_attempts`` failed votes the case goes to the competent committee
    (24-QĐ/TW 4.2.3; 29-QĐ/TW 4.2 c)."""
    return failed_votes >= max_attempts


@dataclass(frozen=True)
class CaseDates:
    stage: str
    cell_vote_on: dt.date | None = None
    decision_on: dt.date | None = None
    decision_received_on: dt.date | None = None
    ceremony_on: dt.date | None = None
    official_on: dt.date | None = None
    recognition_cell_vote_on: dt.date | None = None
    member_record_on: dt.date | None = None
    certificate_expires_on: dt.date | None = None


@dataclass(frozen=True)
class DeadlineDays:
    decide_admission: int
    decide_recognition: int
    extension_max: int
    ceremony: int
    recognition_review: int
    member_record: int


@dataclass(frozen=True)
class Deadline:
    kind: str  # "decision" | "ceremony" | "member_record" | "recognition_review" | …
    due_on: dt.date
    extended_until: dt.date | None = None


def deadlines(
    c: CaseDates, d: DeadlineDays, add_wd: Callable[[dt.date, int], dt.date]
) -> list[Deadline]:
    """The pending deadlines of a case, nearest first (rules reference §4.4)."""
    out: list[Deadline] = []
    awaiting_decision = c.stage in (CELL_VOTED, PARTIAL, GRASSROOTS_VOTED) or (
        c.stage == ESCALATED and not c.ceremony_on
    )
    if awaiting_decision and c.cell_vote_on:
        out.append(Deadline("decision", add_wd(c.cell_vote_on, d.decide_admission)))
    elif c.stage == DECIDED and (c.decision_received_on or c.decision_on):
        start = c.decision_received_on or c.decision_on
        assert start is not None
        out.append(Deadline("ceremony", add_wd(start, d.ceremony)))
    elif c.stage in (REC_CELL, REC_GRASSROOTS) and c.recognition_cell_vote_on:
        due = add_wd(c.recognition_cell_vote_on, d.decide_recognition)
        out.append(Deadline("recognition_decision", due, add_wd(due, d.extension_max)))
    elif c.stage == PROBATION and c.official_on:
        out.append(Deadline("recognition_review", add_wd(c.official_on, d.recognition_review)))
    elif c.stage in BEFORE_DECISION[:6] and c.certificate_expires_on:
        out.append(Deadline("certificate_expiry", c.certificate_expires_on))
    if (
        c.ceremony_on
        and c.member_record_on is None
        and c.stage
        in (
            PROBATION,
            REC_CELL,
            REC_GRASSROOTS,
        )
    ):
        out.append(Deadline("member_record", add_wd(c.ceremony_on, d.member_record)))
    return sorted(out, key=lambda x: x.due_on)


def vote_counts_problem(expected: int, present: int, in_favour: int, against: int) -> str | None:
    """A plain consistency check of vote counts (code of the problem, or None)."""
    if min(expected, present, in_favour, against) < 0:
        return "negative"
    if present > expected:
        return "present_over_expected"
    if in_favour + against > present:
        return "votes_over_present"
    return None
