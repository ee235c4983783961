"""The denominator of a cell's vote (issue 15 point 3), as a table without database."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.policy import rules
from ptdv.policy.loader import all_policies, policy_by_code

D = dt.date
P25 = policy_by_code("2025-07")
ON = D(2025, 9, 1)


@pytest.mark.parametrize(
    ("roll", "excluded", "expected", "codes"),
    [
        (10, [], 10, []),
        (10, [], 9, [("vote.denominator_below_roll", "error")]),  # ordinary absence: still 10
        (10, ["temporary_elsewhere"], 9, []),
        (10, ["temporary_elsewhere"], 8, [("vote.denominator_below_roll", "error")]),
        (10, ["temporary_elsewhere", "exempted_absent"], 8, []),
        (10, ["suspended", "prosecuted_detained"], 8, []),
        (10, [], 11, [("vote.denominator_over_registry", "warning")]),
        (10, ["on_holiday"], 9, [("vote.exclusion_unknown_category", "error")]),
    ],
)
def test_denominator(roll: int, excluded: list, expected: int, codes: list) -> None:
    found = rules.check_denominator(roll, excluded, expected, ON, P25)
    assert [(f.code, f.severity) for f in found] == codes
    assert all(f.source == P25.source("vote.denominator_exclusions") for f in found)


@pytest.mark.parametrize(
    ("roll", "excluded", "in_favour", "passes"),
    [(9, 0, 6, True), (9, 0, 5, False), (10, 1, 6, True), (10, 0, 6, False)],
)
def test_threshold_from_the_recorded_figures(
    roll: int, excluded: int, in_favour: int, passes: bool
) -> None:
    denominator = rules.denominator_from(roll, ["temporary_elsewhere"] * excluded)
    assert rules.vote_passes("cell", denominator, in_favour, P25) is passes


@pytest.mark.parametrize("p", all_policies(), ids=lambda p: p.code)
def test_every_policy_lists_the_exclusions_with_a_source(p) -> None:  # noqa: ANN001
    cats = p.values["vote.denominator_exclusions"]
    assert {"temporary_elsewhere", "exempted_absent"} <= set(cats)
    assert "9.3" in p.sources["vote.denominator_exclusions"]
