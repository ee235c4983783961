"""The working-day calendar: weekends, public holidays (Tết), swapped days."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.policy import workdays
from ptdv.policy.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 24), True),  # Friday before Tết Ất Tỵ
        (D(2025, 1, 25), False),  # Saturday
        (D(2025, 1, 27), False),  # Tết break
        (D(2025, 1, 29), False),  # mùng 1 Tết
        (D(2025, 1, 31), False),
        (D(2025, 2, 3), True),  # back to work
        (D(2025, 4, 26), True),  # Saturday worked in exchange for 02/05/2025
        (D(2025, 5, 2), False),
        (D(2025, 9, 1), False),
        (D(2025, 9, 2), False),
        (D(2026, 2, 16), False),  # Tết Bính Ngọ
        (D(2026, 2, 20), False),
        (D(2026, 2, 23), True),
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_extra_days() -> None:
    saturday = D(2025, 3, 8)
    assert not is_working_day(saturday)
    assert is_working_day(saturday, extra_work={saturday})
    assert not is_working_day(D(2025, 3, 7), extra_off={D(2025, 3, 7)})


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 3, 7), 0, D(2025, 3, 7)),
        (D(2025, 3, 7), 1, D(2025, 3, 10)),  # Friday + 1 → Monday
        (D(2025, 3, 10), -1, D(2025, 3, 7)),
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # across the whole Tết break
        (D(2025, 1, 20), 30, D(2025, 3, 10)),
        (D(2026, 2, 5), 30, D(2026, 3, 26)),
        (D(2025, 4, 25), 1, D(2025, 4, 26)),  # the swapped working Saturday counts
        (D(2025, 4, 29), 1, D(2025, 5, 5)),  # 30/4, 1/5, 2/5 and the weekend skipped
    ],
)
def test_add_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_working_days(start, n) == expected
    if n > 0:
        assert working_days_between(start, expected) == n
        assert working_days_between(expected, start) == -n


def test_public_holidays_have_vietnamese_names() -> None:
    names = workdays.public_holidays(2025)
    assert names[D(2025, 1, 29)] == "Tết Nguyên Đán"
