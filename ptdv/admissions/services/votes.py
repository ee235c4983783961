"""Votes: the roll and its exclusions, the thresholds, failed attempts and escalation,
and the admission's vote steps (the cell's and the grassroots committee's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks, rules, vetting
from ptdv.admissions.models import (
    AdmissionCase,
    Body,
    DocumentKind,
    Purpose,
    SourceEntry,
    Stage,
    Vote,
    VoteExclusion,
)
from ptdv.admissions.services.base import (
    StepRefusedError,
    advance,
    file_document,
    fmt_date,
    guard,
    refuse,
    set_entry_progress,
    today_or_local,
)
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MembershipStatus
from ptdv.people.selectors import members_on
from ptdv.policy.types import Finding


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
        ctx = {"name": str(person), "date": fmt_date(on)}
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
    keys: dict[str, str] = {
        Body.CELL: "vote.chi_bo.admission",
        Body.GRASSROOTS: "vote.grassroots.propose",
        Body.UPPER: "vote.upper_btv.decide",
    }
    return keys.get(body, "vote.chi_bo.admission")


def vote_record(
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
) -> Vote:
    """Check a vote; refuse (case unchanged), or record it: a failed attempt (which may
    escalate the case) or a vote that passes (``vote.passed``)."""
    p = checks.policy_on(on)
    problem = rules.vote_counts_problem(
        counts.expected, counts.present, counts.in_favour, counts.against
    )
    if problem:
        raise refuse(
            "vote.inconsistent",
            _("The vote counts are inconsistent."),
            p.source(rules_vote_key(body)),
        )
    roll, exclusions, findings = _roll_of(case, body=body, purpose=purpose, on=on, counts=counts)
    errors = checks.errors([*extra_findings, *findings])
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
        _failed(case, vote, on=on, actor=actor, reason=vote_findings[0].message, p=p)
    return vote


def _roll_of(
    case: AdmissionCase, *, body: str, purpose: str, on: dt.date, counts: VoteCounts
) -> tuple[int | None, list[tuple[int, str]], list[Finding]]:
    """A cell's vote on admission or recognition counts against the cell's roll that day:
    (roll, exclusions, problems with them); other votes have no roll."""
    if body != Body.CELL or purpose not in (Purpose.ADMISSION, Purpose.RECOGNITION):
        return None, [], []
    roll, exclusions, problems = denominator_of(case.org_unit, on, counts.exclusions)
    return (
        roll,
        exclusions,
        problems
        + checks.denominator_findings(
            roll=roll, excluded=[c for _pid, c in exclusions], expected=counts.expected, on=on
        ),
    )


def _failed(
    case: AdmissionCase, vote: Vote, *, on: dt.date, actor: Any, reason: str, p: Any
) -> None:
    """A failed attempt kept on the case; the policy's last attempt escalates it."""
    failed = case.failed_votes + 1
    to = Stage.ESCALATED if rules.escalates(failed, p.vote_max_attempts) else None
    advance(
        case,
        step="escalated" if to else "vote_failed",
        to=to,
        on=on,
        actor=actor,
        reason=reason,
        policy_code=vote.policy_code,
        fields={"failed_votes": failed},
        data=_vote_data(vote),
    )


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


@dataclass(frozen=True)
class VoteStep:
    """A vote step of the case, described once: who votes on what, the resolution it
    files in the dossier and the case's column that keeps its date (none for the
    grassroots committee's vote on recognition)."""

    step: str
    body: str
    purpose: str
    document: str
    date_field: str = ""


CELL_VOTE = VoteStep(
    "cell_vote", Body.CELL, Purpose.ADMISSION, DocumentKind.CELL_RESOLUTION, "cell_vote_on"
)
GRASSROOTS_VOTE = VoteStep(
    "grassroots_vote",
    Body.GRASSROOTS,
    Purpose.ADMISSION,
    DocumentKind.GRASSROOTS_RESOLUTION,
    "grassroots_vote_on",
)
RECOGNITION_CELL_VOTE = VoteStep(
    "recognition_cell_vote",
    Body.CELL,
    Purpose.RECOGNITION,
    DocumentKind.RECOGNITION_CELL_RESOLUTION,
    "recognition_cell_vote_on",
)
RECOGNITION_GRASSROOTS_VOTE = VoteStep(
    "recognition_grassroots_vote",
    Body.GRASSROOTS,
    Purpose.RECOGNITION,
    DocumentKind.RECOGNITION_GRASSROOTS_RESOLUTION,
)


def vote_step(
    kind: VoteStep,
    case: AdmissionCase,
    *,
    actor: Any,
    on: dt.date,
    counts: VoteCounts,
    record_failure: bool,
    findings: Sequence[Finding] = (),
    keep_warnings: bool = False,
) -> AdmissionCase:
    """A vote step of a (guarded) case: the vote is checked and kept (``vote_record``); a
    vote that passes files its resolution in the dossier and moves the case on. A cell's
    vote fixes the rule set in force on its date as the case's; the grassroots
    committee votes under the case's rule set."""
    fields: dict[str, Any] = {}
    if kind.body == Body.CELL:
        policy_code = fields["policy_code"] = checks.policy_on(on).code
    else:
        policy_code = case.policy_code
    if kind.date_field:
        fields[kind.date_field] = on
    vote = vote_record(
        case,
        step=kind.step,
        body=kind.body,
        purpose=kind.purpose,
        on=on,
        counts=counts,
        actor=actor,
        policy_code=policy_code,
        extra_findings=findings,
        record_failure=record_failure,
    )
    if not vote.passed:
        return case
    file_document(case, kind.document, on, number=counts.resolution_number)
    data = _vote_data(vote)
    if keep_warnings:
        data["warnings"] = [f.code for f in findings]
    return advance(
        case,
        step=kind.step,
        to=rules.target_of(kind.step),
        on=on,
        actor=actor,
        legal_basis=counts.resolution_number,
        policy_code=policy_code,
        fields={**fields, "failed_votes": 0},
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
    case = guard(case, "cell_vote", actor, on, today_or_local(today))
    done = vote_step(
        CELL_VOTE,
        case,
        actor=actor,
        on=on,
        counts=counts,
        record_failure=record_failure,
        findings=[*vetting.vote_findings(case), *checks.admission_findings(case, on)],
        keep_warnings=True,
    )
    if done.stage == Stage.CELL_VOTED:
        set_entry_progress(done, SourceEntry.Progress.IN_PROCEDURE)
    return done


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
    case = guard(case, "grassroots_vote", actor, on, today_or_local(today))
    return vote_step(
        GRASSROOTS_VOTE, case, actor=actor, on=on, counts=counts, record_failure=record_failure
    )
