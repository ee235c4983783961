"""The Vietnamese working-day calendar (pure functions, no ORM).

A day is a working day when it is Monday–Friday, not a public holiday of Vietnam
(``holidays`` package, country "VN": New Year, the lunar Tết days, Hùng Kings, 30/4,
1/5, National Day, with the observed and substituted days the package knows), and not an
extra day off decreed for that year; a Saturday or Sunday decreed as a working day (làm
bù; the package knows some, the table adds others) counts as a working day. The extra days come from the ``SwappedDay`` table (``selectors.swaps``)
and are passed in as sets, so these functions stay pure and testable.

Counting convention ("trong thời hạn N ngày làm việc kể từ ngày …"): the start day is
not counted; the deadline is the N-th working day after it (Bộ luật Dân sự 2015,
Điều 147: a period starts on the day after the event).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection

import holidays

_EMPTY: frozenset[dt.date] = frozenset()


@functools.lru_cache(maxsize=64)
def _package_calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(public holidays incl. substituted days off, weekend days decreed as working days)."""
    cal = holidays.country_holidays("VN", years=year)
    work = frozenset(d for d in getattr(cal, "weekend_workdays", ()) if d.year == year)
    return frozenset(cal.keys()), work


def _public_holidays(year: int) -> frozenset[dt.date]:
    return _package_calendar(year)[0]


def package_weekend_workdays(year: int) -> frozenset[dt.date]:
    """Saturdays/Sundays the package knows were worked in exchange for a bridge day off."""
    return _package_calendar(year)[1]


def public_holidays(year: int, language: str = "vi") -> dict[dt.date, str]:
    """The statutory holidays the package knows for ``year`` (date → name in ``language``:
    "vi" or "en_US")."""
    return dict(sorted(holidays.country_holidays("VN", years=year, language=language).items()))


def is_public_holiday(day: dt.date) -> bool:
    return day in _public_holidays(day.year)


def is_working_day(
    day: dt.date,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> bool:
    if day in extra_work:
        return True
    if day in extra_off:
        return False
    if is_public_holiday(day):
        return False
    return day.weekday() < 5 or day in package_weekend_workdays(day.year)


def add_working_days(
    start: dt.date,
    n: int,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start``; a negative ``n`` counts backwards."""
    if n == 0:
        return start
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    day = start
    while left:
        day += step
        if is_working_day(day, extra_off=extra_off, extra_work=extra_work):
            left -= 1
    return day


def working_days_between(
    start: dt.date,
    end: dt.date,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> int:
    """Working days in (start, end]: ``add_working_days(start, k) == end`` when ``end`` is a
    working day. Negative when ``end`` is before ``start``."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra_off=extra_off, extra_work=extra_work):
            count += 1
    return sign * count
