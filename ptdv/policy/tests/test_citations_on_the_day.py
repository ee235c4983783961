"""Citations in force on the day (issue 15 point 4): for every dated change of the policy
files, a check run the day before cites the earlier rule set and one run that day cites the
new one — every finding of every check, on both sides of every date (no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from ptdv.policy import rules
from ptdv.policy.loader import all_policies, policy_on
from ptdv.policy.tests.test_rules import ALL_FAILURES
from ptdv.policy.types import DocumentFacts, Policy

D = dt.date
POLICIES = all_policies()
CHANGES = [(prev, cur) for prev, cur in zip(POLICIES, POLICIES[1:], strict=False)]

EXTRA_FAILURES: list[Callable[[Policy], list]] = [
    lambda p: rules.check_age(D(1950, 1, 1), D(2025, 8, 1), p, consent_pending=True),
    lambda p: rules.check_education(
        "literate", p, special_area=True, village_elder=True, consent_pending=True
    ),
    lambda p: rules.check_consents(
        [rules.CONSENT_OVER_MAX_AGE, rules.CONSENT_VILLAGE_ELDER], {}, D(2025, 9, 1), p
    ),
    lambda p: rules.check_denominator(10, [], 9, D(2025, 9, 1), p),
    lambda p: rules.check_denominator(10, [], 11, D(2025, 9, 1), p),
    lambda p: rules.check_denominator(10, ["holiday"], 9, D(2025, 9, 1), p),
    lambda p: rules.check_decision_papers(
        "admission", [DocumentFacts("vetting", "missing", None)], {}, p
    ),
    lambda p: rules.check_decision_papers(
        "recognition", [DocumentFacts("self_review", "missing", None)], {"self_review": "x"}, p
    ),
]


def _sides() -> list[tuple[str, dt.date, Policy, Policy]]:
    out = []
    for prev, cur in CHANGES:
        day = cur.effective_from
        out.append((f"{cur.code}-before", day - dt.timedelta(days=1), prev, cur))
        out.append((f"{cur.code}-on", day, cur, prev))
    return out


SIDES = _sides()


def test_every_dated_change_is_crossed() -> None:
    assert len(SIDES) == 2 * (len(POLICIES) - 1) >= 6  # 2021, 2025-01, 2025-07
    assert {c.code for _p, c in CHANGES} == {"2021", "2025-01", "2025-07"}


@pytest.mark.parametrize(("name", "day", "in_force", "other"), SIDES, ids=[s[0] for s in SIDES])
def test_findings_cite_the_rule_set_in_force(
    name: str, day: dt.date, in_force: Policy, other: Policy
) -> None:
    p = policy_on(day)
    assert p.code == in_force.code, name
    own = set(p.sources.values()) | {p.title}
    foreign = (set(other.sources.values()) | {other.title}) - own
    checked = 0
    for check in [*ALL_FAILURES, *EXTRA_FAILURES]:
        for finding in check(p):
            assert finding.source in own, (name, finding.code, finding.source)
            assert finding.source not in foreign, (name, finding.code)
            checked += 1
    assert checked > 30


@pytest.mark.parametrize(
    ("day", "expected", "stale"),
    [
        (D(2021, 7, 29), "29-QĐ/TW", "24-QĐ/TW"),
        (D(2021, 7, 30), "24-QĐ/TW", "29-QĐ/TW"),
        (D(2025, 1, 19), "24-QĐ/TW", "232-QĐ/TW"),
        (D(2025, 1, 20), "232-QĐ/TW", "24-QĐ/TW"),
        (D(2025, 6, 30), "232-QĐ/TW", "294-QĐ/TW"),
        (D(2025, 7, 1), "294-QĐ/TW", "232-QĐ/TW"),
    ],
)
def test_the_regulation_named_on_each_side(day: dt.date, expected: str, stale: str) -> None:
    p = policy_on(day)
    (finding,) = rules.check_age(D(day.year - 17, day.month, 1), day, p)
    assert expected in finding.source and stale not in finding.source
    assert "1.1.1" in finding.source  # the article


@pytest.mark.parametrize(
    ("issued", "last_valid"),
    [
        (D(2020, 1, 15), D(2025, 1, 14)),  # rules reference §1.3: expired ON 15/01/2025
        (D(2020, 2, 29), D(2025, 2, 27)),  # 29/02 + 60 months → 28/02 (first invalid day)
        (D(2021, 7, 30), D(2026, 7, 29)),
    ],
)
def test_certificate_valid_until_is_the_last_valid_day(
    issued: dt.date, last_valid: dt.date
) -> None:
    p = policy_on(issued)
    assert rules.awareness_certificate_valid_until(issued, p) == last_valid
    assert rules.check_awareness_certificate(issued, last_valid, p) == []
    (late,) = rules.check_awareness_certificate(issued, last_valid + dt.timedelta(days=1), p)
    assert late.code == "cert.expired" and last_valid.strftime("%d/%m/%Y") in late.message
