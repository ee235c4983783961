"""Special paths (issue 15 point 1) as tables, no database: over 60 and the village-elder
path need the provincial standing committee's written consent before the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ptdv.policy import rules
from ptdv.policy.loader import all_policies, policy_by_code

D = dt.date
P21 = policy_by_code("2021")
P25 = policy_by_code("2025-07")
OVER = rules.CONSENT_OVER_MAX_AGE
ELDER = rules.CONSENT_VILLAGE_ELDER


def codes(findings: list) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings]


@pytest.mark.parametrize(
    ("born", "on", "consent", "pending", "expected"),
    [
        (D(1965, 3, 10), D(2025, 3, 10), False, True, []),  # exactly 720 months: normal path
        (D(1965, 3, 10), D(2025, 4, 9), False, True, []),  # 720 months + 30 days
        (
            D(1965, 3, 10),
            D(2025, 4, 10),
            False,
            True,
            [("age.over_max_consent_pending", "warning")],
        ),
        (D(1965, 3, 10), D(2025, 4, 10), False, False, [("age.over_max", "error")]),
        (D(1965, 3, 10), D(2025, 4, 10), True, True, [("age.over_max_with_consent", "warning")]),
    ],
)
def test_over_max_age_at_the_cell_vote(born, on, consent, pending, expected) -> None:  # noqa: ANN001
    found = rules.check_age(born, on, P25, over_max_consent=consent, consent_pending=pending)
    assert codes(found) == expected


@pytest.mark.parametrize(
    ("level", "kw", "expected"),
    [
        ("literate", {"special_area": True, "village_elder": True}, [ELDER]),
        ("literate", {"fisherman": True, "village_elder": True}, [ELDER]),
        ("literate", {"village_elder": True}, []),  # not in a special area: not this path
        ("literate", {"special_area": True}, []),  # not an elder: plain refusal, no consent
        ("primary", {"special_area": True, "village_elder": True}, []),  # special-area rule
        ("none", {"special_area": True, "village_elder": True}, []),  # below literacy
        ("lower_secondary", {"special_area": True, "village_elder": True}, []),
    ],
)
def test_village_elder_path_needs_consent(level: str, kw: dict, expected: list) -> None:
    assert rules.required_consents(D(1980, 1, 1), level, D(2025, 8, 1), P25, **kw) == expected


def test_both_consents_when_over_60_and_elder() -> None:
    assert rules.required_consents(
        D(1960, 1, 1), "literate", D(2025, 8, 1), P25, special_area=True, village_elder=True
    ) == [OVER, ELDER]


def test_village_elder_pending_is_a_warning_and_consent_passes() -> None:
    kw = {"special_area": True, "village_elder": True}
    pending = rules.check_education("literate", P25, consent_pending=True, **kw)
    assert codes(pending) == [("education.village_elder_consent_pending", "warning")]
    assert pending[0].source == P25.source("education.village_elder_requires")
    ok = rules.check_education("literate", P25, provincial_consent=True, **kw)
    assert codes(ok) == [("education.village_elder_exception", "warning")]


@pytest.mark.parametrize(
    ("recorded", "decide_on", "expected"),
    [
        ({}, D(2025, 9, 1), ["consent.missing"]),
        ({OVER: D(2025, 8, 31)}, D(2025, 9, 1), []),
        ({OVER: D(2025, 9, 1)}, D(2025, 9, 1), []),  # same day: before the decision
        ({OVER: D(2025, 9, 2)}, D(2025, 9, 1), ["consent.after_decision"]),
    ],
)
def test_consent_before_the_decision(recorded: dict, decide_on: dt.date, expected: list) -> None:
    found = rules.check_consents([OVER], recorded, decide_on, P25)
    assert [f.code for f in found] == expected
    assert all(f.severity == "error" and f.source for f in found)


@pytest.mark.parametrize("p", all_policies(), ids=lambda p: p.code)
def test_every_policy_carries_the_path_data_with_a_source(p) -> None:  # noqa: ANN001
    for key in (
        "age.over_max_requires",
        "education.village_elder_requires",
        "education.village_elder_roles",
        "consent.required_before",
    ):
        assert key in p.values and p.sources[key].strip(), (p.code, key)
    assert rules.consent_may_follow_cell_vote(p)


def test_consent_messages_are_translated() -> None:
    with translation.override("vi"):
        vi = rules.check_consents([OVER, ELDER], {}, D(2025, 9, 1), P21)
    with translation.override("en"):
        en = rules.check_consents([OVER, ELDER], {}, D(2025, 9, 1), P21)
    assert [a.message != b.message for a, b in zip(vi, en, strict=True)] == [True, True]
