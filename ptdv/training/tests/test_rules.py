import datetime as dt
from decimal import Decimal

import pytest

from ptdv.training import rules

D = dt.date


@pytest.mark.parametrize(
    ("audience", "status", "ok"),
    [
        ("masses", "none", True),
        ("masses", "probationary", False),
        ("masses", "official", False),
        ("probationary", "probationary", True),
        ("probationary", "none", False),
        ("probationary", "official", False),
        ("cadres", "official", True),
        ("cadres", "probationary", False),
        ("cadres", "none", False),
        ("cadres", "transferred_out", False),
    ],
)
def test_eligibility_by_course_audience(audience, status, ok):
    assert (rules.eligibility_problem(audience, status) is None) is ok


@pytest.mark.parametrize(
    ("attended", "sessions", "ratio", "passed", "completed"),
    [
        (5, 5, "0.80", True, True),
        (4, 5, "0.80", True, True),  # exactly the ratio
        (3, 5, "0.80", True, False),
        (5, 5, "0.80", False, False),  # attended but failed
        (8, 10, "0.80", True, True),
        (7, 10, "0.80", True, False),
        (0, 0, "0.80", True, False),  # no session recorded: not complete
        (1, 1, "1.00", True, True),
    ],
)
def test_completion_needs_attendance_ratio_and_pass(attended, sessions, ratio, passed, completed):
    assert (
        rules.is_completed(
            attended=attended, sessions=sessions, ratio=Decimal(ratio), passed=passed
        )
        is completed
    )


@pytest.mark.parametrize(
    ("issued", "on", "valid"),
    [
        # rules-reference §1.3: issued 15/1/2020, expired on 15/1/2025
        (D(2020, 1, 15), D(2025, 1, 14), True),
        (D(2020, 1, 15), D(2025, 1, 15), False),
        (D(2020, 1, 15), D(2025, 2, 3), False),
        (D(2020, 1, 15), D(2020, 1, 15), True),  # the issue day itself
        (D(2020, 1, 15), D(2020, 1, 14), False),  # before issue
        (D(2019, 8, 31), D(2024, 8, 30), True),
        (D(2019, 8, 31), D(2024, 8, 31), False),
        (D(2020, 2, 29), D(2025, 2, 27), True),  # 29/2 + 60 months → 28/2/2025
        (D(2020, 2, 29), D(2025, 2, 28), False),
    ],
)
def test_awareness_certificate_valid_60_months(issued, on, valid):
    until = rules.certificate_valid_until(issued, 60)
    assert rules.certificate_valid_on(issued, until, on) is valid


def test_certificate_without_validity_never_expires():
    assert rules.certificate_valid_until(D(2000, 1, 1), None) is None
    assert rules.certificate_valid_on(D(2000, 1, 1), None, D(2099, 1, 1))


@pytest.mark.parametrize(
    ("seq", "year", "suffix", "number"),
    [(12, 2019, "CN-TTCT", "12/2019/CN-TTCT"), (1, 2026, "", "1/2026")],
)
def test_certificate_number(seq, year, suffix, number):
    assert rules.certificate_number(seq, year, suffix) == number


@pytest.mark.parametrize(
    ("old", "new", "today", "ok"),
    [
        ("planned", "open", D(2020, 1, 1), True),
        ("open", "running", D(2020, 3, 2), True),
        ("open", "running", D(2020, 3, 1), False),  # before the start date
        ("running", "finished", D(2020, 3, 6), True),
        ("running", "finished", D(2020, 3, 5), False),  # before the end date
        ("finished", "running", D(2020, 4, 1), False),
        ("cancelled", "open", D(2020, 4, 1), False),
        ("planned", "running", D(2020, 4, 1), False),
        ("open", "cancelled", D(2020, 1, 1), True),
    ],
)
def test_class_transitions(old, new, today, ok):
    problem = rules.transition_problem(
        old, new, start_on=D(2020, 3, 2), end_on=D(2020, 3, 6), today=today
    )
    assert (problem is None) is ok


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (D(2015, 1, 1), "none"),
        (D(2016, 5, 1), "probationary"),
        (D(2017, 5, 1), "official"),
        (D(2030, 1, 1), "official"),
    ],
)
def test_status_on_a_date_from_periods(day, status):
    spans = [
        rules.Span("probationary", D(2016, 5, 1), D(2017, 5, 1)),
        rules.Span("official", D(2017, 5, 1), None),
    ]
    assert rules.status_on(spans, day) == status


@pytest.mark.parametrize(
    ("day", "ok"),
    [(D(2020, 3, 2), True), (D(2020, 3, 6), True), (D(2020, 3, 1), False), (D(2020, 3, 7), False)],
)
def test_session_dates_within_class(day, ok):
    assert (rules.session_date_problem(day, D(2020, 3, 2), D(2020, 3, 6)) is None) is ok
