"""Reminder scheduling as tables of dates (no database): weekends, Tết, escalation."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.reminders import rules

D = dt.date
A, OV, E = rules.APPROACHING, rules.OVERDUE, rules.ESCALATED

# Tết Bính Ngọ: Mon 16/02/2026 – Fri 20/02/2026 are public holidays (the calendar package).
CASES = [
    # due, today, before_wd, escalate_after_wd, expected, why
    (D(2026, 3, 10), D(2026, 3, 10), 5, 10, [A], "due today"),
    (D(2026, 3, 17), D(2026, 3, 10), 5, 10, [A], "5 working days ahead"),
    (D(2026, 3, 18), D(2026, 3, 10), 5, 10, [], "6 working days ahead: not yet"),
    (D(2026, 2, 9), D(2026, 2, 6), 1, 10, [A], "Friday → Monday is 1 working day"),
    (D(2026, 2, 9), D(2026, 2, 5), 1, 10, [], "Thursday → Monday is 2 working days"),
    (D(2026, 2, 23), D(2026, 2, 13), 1, 10, [A], "across Tết: Fri 13/02 → Mon 23/02 is 1"),
    (D(2026, 3, 11), D(2026, 3, 2), 5, 10, [], "without Tết the same span is 7"),
    (D(2026, 3, 10), D(2026, 3, 11), 5, 10, [OV], "one day late"),
    (D(2026, 3, 6), D(2026, 3, 8), 5, 1, [OV], "due Friday, Sunday is 0 working days late"),
    (D(2026, 3, 6), D(2026, 3, 9), 5, 1, [OV, E], "due Friday, Monday is 1 late: escalate"),
    (D(2026, 2, 13), D(2026, 2, 23), 5, 2, [OV], "Tết does not count: 1 working day late"),
    (D(2026, 2, 13), D(2026, 3, 5), 5, 10, [OV], "9 working days late"),
    (D(2026, 2, 13), D(2026, 3, 6), 5, 10, [OV, E], "10 working days late: escalate"),
    (D(2026, 2, 13), D(2026, 6, 1), 5, 10, [OV, E], "long overdue stays escalated"),
    (D(2026, 8, 21), D(2026, 8, 24), 5, 3, [OV], "Sat 22/08/2026 worked (swap): 2 late"),
    (D(2026, 8, 21), D(2026, 8, 25), 5, 3, [OV, E], "… and 3 late on Tuesday"),
    (D(2026, 8, 28), D(2026, 9, 3), 5, 2, [OV], "31/08 swapped off, 1–2/09 National Day: 1 late"),
]


@pytest.mark.parametrize(("due", "today", "before", "after", "expected", "why"), CASES)
def test_kinds_on(due, today, before, after, expected, why):
    got = rules.kinds_on(due, today, before_wd=before, escalate_after_wd=after)
    assert got == expected, why


def test_swapped_days_from_the_table_are_passed_in():
    # an administrator's extra day off on Mon 09/03/2026 pushes the count
    off = frozenset({D(2026, 3, 9)})
    assert rules.kinds_on(D(2026, 3, 6), D(2026, 3, 9), before_wd=5, escalate_after_wd=1) == [
        OV,
        E,
    ]
    assert rules.kinds_on(
        D(2026, 3, 6), D(2026, 3, 9), before_wd=5, escalate_after_wd=1, extra_off=off
    ) == [OV]
    work = frozenset({D(2026, 3, 7)})  # a Saturday worked
    assert rules.working_days_overdue(D(2026, 3, 6), D(2026, 3, 8), extra_work=work) == 1


@pytest.mark.parametrize(
    ("due", "today", "late"),
    [
        (D(2026, 3, 10), D(2026, 3, 10), 0),
        (D(2026, 3, 10), D(2026, 3, 1), 0),
        (D(2026, 2, 13), D(2026, 2, 23), 1),
        (D(2026, 2, 13), D(2026, 3, 6), 10),
    ],
)
def test_working_days_overdue(due, today, late):
    assert rules.working_days_overdue(due, today) == late


def test_event_key_changes_with_the_due_date():
    a = rules.event_key("case", "u1", "decision", D(2026, 3, 10))
    assert a == rules.event_key("case", "u1", "decision", D(2026, 3, 10))
    assert a != rules.event_key("case", "u1", "decision", D(2026, 3, 11))
    assert a != rules.event_key("case", "u1", "ceremony", D(2026, 3, 10))
