"""Pure rules of the case: order of steps and deadlines (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.admissions import rules
from ptdv.policy.workdays import add_working_days

D = dt.date
DAYS = rules.DeadlineDays(60, 30, 30, 30, 30, 30)


def wd(start: dt.date, n: int) -> dt.date:
    return add_working_days(start, n)


@pytest.mark.parametrize(
    ("step", "stage", "grassroots_cell", "ok"),
    [
        ("certificate", "source_list", False, True),
        ("application", "source_list", False, False),
        ("cell_vote", "introductions_collected", False, True),
        ("decide", "cell_voted", False, False),
        ("decide", "cell_voted", True, True),  # a grassroots cell has no committee above
        ("decide", "escalated", False, True),
        ("ceremony", "decided", False, True),
        ("ceremony", "grassroots_voted", False, False),
        ("recognize", "recognition_cell_voted", True, True),
        ("recognize", "recognition_cell_voted", False, False),
        ("remove", "probation", False, True),
        ("reject", "decided", False, False),
    ],
)
def test_allowed_from(step: str, stage: str, grassroots_cell: bool, ok: bool) -> None:
    assert rules.allowed_from(step, stage, grassroots_cell=grassroots_cell) is ok


def test_escalation_after_three_failed_votes() -> None:
    assert not rules.escalates(2, 3)
    assert rules.escalates(3, 3)


def test_decision_deadline_spans_tet_2026() -> None:
    # cell resolution 02/02/2026; Tết 16–20/02/2026 is off: 60 working days later
    c = rules.CaseDates(stage="cell_voted", cell_vote_on=D(2026, 2, 2))
    (deadline,) = rules.deadlines(c, DAYS, wd)
    assert deadline.kind == "decision"
    assert deadline.due_on == wd(D(2026, 2, 2), 60)
    naive = D(2026, 2, 2)
    count = 0
    while count < 60:  # weekdays only: Tết pushes the real deadline later
        naive += dt.timedelta(days=1)
        count += naive.weekday() < 5
    assert deadline.due_on > naive


def test_ceremony_deadline_from_receipt() -> None:
    c = rules.CaseDates(
        stage="decided", decision_on=D(2025, 1, 10), decision_received_on=D(2025, 1, 15)
    )
    (deadline,) = rules.deadlines(c, DAYS, wd)
    assert deadline.kind == "ceremony"
    assert deadline.due_on == wd(D(2025, 1, 15), 30)


def test_probation_deadlines_nearest_first() -> None:
    c = rules.CaseDates(stage="probation", ceremony_on=D(2025, 3, 3), official_on=D(2026, 3, 3))
    kinds = [d.kind for d in rules.deadlines(c, DAYS, wd)]
    assert kinds == ["member_record", "recognition_review"]
    c2 = rules.CaseDates(
        stage="probation",
        ceremony_on=D(2025, 3, 3),
        official_on=D(2026, 3, 3),
        member_record_on=D(2025, 3, 20),
    )
    assert [d.kind for d in rules.deadlines(c2, DAYS, wd)] == ["recognition_review"]


def test_recognition_decision_with_extension() -> None:
    c = rules.CaseDates(
        stage="recognition_cell_voted",
        recognition_cell_vote_on=D(2025, 6, 2),
        ceremony_on=D(2024, 5, 20),
        member_record_on=D(2024, 6, 1),
    )
    (deadline,) = rules.deadlines(c, DAYS, wd)
    assert deadline.due_on == wd(D(2025, 6, 2), 30)
    assert deadline.extended_until == wd(deadline.due_on, 30)


@pytest.mark.parametrize(
    ("counts", "problem"),
    [
        ((6, 6, 4, 2), None),
        ((6, 7, 4, 2), "present_over_expected"),
        ((6, 5, 4, 2), "votes_over_present"),
    ],
)
def test_vote_counts_problem(counts: tuple[int, int, int, int], problem: str | None) -> None:
    assert rules.vote_counts_problem(*counts) == problem
