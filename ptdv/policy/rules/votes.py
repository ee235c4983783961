"""Votes (rules-reference §4.2): the thresholds of each voting body, the cell's size and the
denominator of a cell's vote (who may be left out of it, and why)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import cast

from django.utils.translation import gettext as _

from ptdv.policy.rules.common import (
    WARNING,
    fmt,
)
from ptdv.policy.types import (
    Finding,
    Policy,
    VoteFacts,
)

# ---------------------------------------------------------------- votes (§4.2)

BODY_CELL = "cell"
BODY_GRASSROOTS = "grassroots"
BODY_GRASSROOTS_DECIDE = "grassroots_decide"  # grassroots committee authorised to admit
BODY_UPPER = "upper"


def vote_rule(body: str, p: Policy) -> tuple[tuple[int, int], bool, str] | None:
    """(ratio, strict, policy key) for a voting body, None for an unknown body."""
    if body == BODY_CELL:
        return p.vote_cell_ratio, False, "vote.chi_bo.admission"
    if body == BODY_GRASSROOTS:
        return p.vote_grassroots_ratio, False, "vote.grassroots.propose"
    if body == BODY_GRASSROOTS_DECIDE:
        ratio = p.extra.get("vote.grassroots.authorised_decide", p.vote_grassroots_ratio)
        return tuple(ratio), False, "vote.grassroots.authorised_decide"  # type: ignore[arg-type,return-value]
    if body == BODY_UPPER:
        return p.vote_upper_ratio, p.vote_upper_strict, "vote.upper_btv.decide"
    return None


def required_in_favour(body: str, expected: int, p: Policy) -> int:
    """The smallest number of votes in favour that passes, out of ``expected``."""
    rule = vote_rule(body, p)
    if rule is None:
        raise ValueError(f"unknown voting body {body!r}")
    (num, den), strict, _key = rule
    if strict:
        return num * expected // den + 1
    return -(-num * expected // den)


def vote_passes(body: str, expected: int, in_favour: int, p: Policy) -> bool:
    rule = vote_rule(body, p)
    if rule is None:
        return False
    (num, den), strict, _key = rule
    if strict:
        return in_favour * den > num * expected
    return in_favour * den >= num * expected


def check_vote(vote: VoteFacts, p: Policy) -> list[Finding]:
    """Counts consistent, denominator = official members of the cell (or incumbent
    committee members) — absentees do not reduce it — and the threshold of the body."""
    rule = vote_rule(vote.body, p)
    if rule is None:
        return [
            Finding(
                "vote.unknown_body",
                _("Unknown voting body: %(body)s.") % {"body": vote.body},
                p.source("vote.chi_bo.admission"),
            )
        ]
    (num, den), strict, key = rule
    src = p.source(key)
    findings = _count_findings(vote, src)
    if findings:
        return findings
    if vote.body == BODY_CELL:
        findings += check_cell_size(vote.expected, p)
    return findings + _outcome_findings(vote, (num, den), strict, src, p)


def _vote_ctx(vote: VoteFacts) -> dict[str, int]:
    return {
        "expected": vote.expected,
        "present": vote.present,
        "in_favour": vote.in_favour,
        "against": vote.against,
    }


def _count_findings(vote: VoteFacts, src: str) -> list[Finding]:
    """The recorded counts themselves: non-negative, someone entitled to vote, no more
    present than entitled, no more votes than present."""
    ctx = _vote_ctx(vote)
    counts = (vote.expected, vote.present, vote.in_favour, vote.against)
    if any(c < 0 for c in counts) or vote.expected == 0:
        return [
            Finding(
                "vote.counts_invalid",
                _(
                    "Vote counts are invalid (expected %(expected)s, present %(present)s, in "
                    "favour %(in_favour)s, against %(against)s)."
                )
                % ctx,
                src,
            )
        ]
    findings: list[Finding] = []
    if vote.present > vote.expected:
        findings.append(
            Finding(
                "vote.present_exceeds_expected",
                _("%(present)s present is more than the %(expected)s members entitled to vote.")
                % ctx,
                src,
            )
        )
    if vote.in_favour + vote.against > vote.present:
        findings.append(
            Finding(
                "vote.counts_inconsistent",
                _(
                    "%(in_favour)s in favour and %(against)s against is more than the "
                    "%(present)s present."
                )
                % ctx,
                src,
            )
        )
    return findings


def _outcome_findings(
    vote: VoteFacts, ratio: tuple[int, int], strict: bool, src: str, p: Policy
) -> list[Finding]:
    """The attempt number and the threshold: the votes allowed before the case goes to the
    upper committee, and whether this vote reached the body's majority."""
    num, den = ratio
    findings: list[Finding] = []
    max_attempts = p.vote_max_attempts
    escalate_src = p.source("vote.max_attempts_then_escalate")
    if vote.attempt > max_attempts:
        findings.append(
            Finding(
                "vote.attempts_exhausted",
                _(
                    "This would be vote no. %(attempt)s; after %(max)s votes without the "
                    "required majority the case goes to the upper committee, which decides."
                )
                % {"attempt": vote.attempt, "max": max_attempts},
                escalate_src,
            )
        )
    passes = (
        vote.in_favour * den > num * vote.expected
        if strict
        else vote.in_favour * den >= num * vote.expected
    )
    if not passes:
        required = required_in_favour(vote.body, vote.expected, p)
        if strict:
            message = _(
                "%(in_favour)s in favour out of %(expected)s members: more than %(num)s/%(den)s "
                "is required, i.e. at least %(required)s."
            )
        else:
            message = _(
                "%(in_favour)s in favour out of %(expected)s members: at least %(num)s/%(den)s "
                "of all %(expected)s (absentees included) is required, i.e. %(required)s."
            )
        findings.append(
            Finding(
                "vote.below_threshold",
                message % {**_vote_ctx(vote), "num": num, "den": den, "required": required},
                src,
            )
        )
        if vote.attempt == max_attempts:
            findings.append(
                Finding(
                    "vote.escalate",
                    _(
                        "This was vote no. %(attempt)s without the required majority: report "
                        "the full result to the upper committee, which decides."
                    )
                    % {"attempt": vote.attempt},
                    escalate_src,
                    WARNING,
                )
            )
    return findings


# ---------------------------------------------------------------- the cell's denominator

EXCLUSION_TEMPORARY = "temporary_elsewhere"
EXCLUSION_EXEMPTED_ABSENT = "exempted_absent"


def exclusion_label(category: str) -> str:
    labels = {
        EXCLUSION_TEMPORARY: _("in temporary party activity elsewhere"),
        EXCLUSION_EXEMPTED_ABSENT: _("exempted from work and party activity, absent"),
        "suspended": _("suspended from party activity"),
        "prosecuted_detained": _("prosecuted, indicted or detained"),
    }
    return str(labels.get(category, category))


def denominator_from(roll: int, excluded: Sequence[str]) -> int:
    """Official members on the roll minus the members excluded by a legal category."""
    return roll - len(excluded)


def check_denominator(
    roll: int, excluded: Sequence[str], expected: int, on: dt.date, p: Policy
) -> list[Finding]:
    """The denominator of a cell's vote: the official members on the cell's roll on the
    vote date, minus those excluded by a category of ``vote.denominator_exclusions``
    (recorded by name). Fewer without recorded exclusions is refused; more than the
    registry knows is a warning (the registry may lag)."""
    src = p.source("vote.denominator_exclusions")
    allowed = set(cast("Iterable[str]", p.extra.get("vote.denominator_exclusions", ())))
    unknown = sorted({c for c in excluded if c not in allowed})
    if unknown:
        return [
            Finding(
                "vote.exclusion_unknown_category",
                _("%(category)s is not a legal reason to leave a member out of the denominator.")
                % {"category": ", ".join(unknown)},
                src,
            )
        ]
    computed = denominator_from(roll, excluded)
    ctx = {
        "expected": expected,
        "roll": roll,
        "excluded": len(excluded),
        "computed": computed,
        "date": fmt(on),
    }
    if expected < computed:
        return [
            Finding(
                "vote.denominator_below_roll",
                _(
                    "The vote counts %(expected)s official members, but the cell's roll has "
                    "%(roll)s on %(date)s and %(excluded)s are excluded by a recorded legal "
                    "category: the denominator is %(computed)s. Record by name each member "
                    "left out (temporary activity elsewhere, exempted and absent, …); ordinary "
                    "absence does not reduce the denominator."
                )
                % ctx,
                src,
            )
        ]
    if expected > computed:
        return [
            Finding(
                "vote.denominator_over_registry",
                _(
                    "The cell had %(roll)s official members on %(date)s in the registry "
                    "(%(excluded)s excluded); the vote counts %(expected)s."
                )
                % ctx,
                src,
                WARNING,
            )
        ]
    return []


def check_cell_size(official_members: int, p: Policy) -> list[Finding]:
    """A cell needs at least ``chi_bo.min_official_members`` official members to vote."""
    if official_members >= p.min_cell_official_members:
        return []
    return [
        Finding(
            "vote.cell_too_small",
            _(
                "The cell has %(expected)s official members, fewer than %(min)s: it cannot "
                "vote on an admission; the upper committee must reinforce or merge it."
            )
            % {"expected": official_members, "min": p.min_cell_official_members},
            p.source("chi_bo.min_official_members"),
        )
    ]
