"""Reads of the policy app: swapped days for a date range, and the calendar of a year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ptdv.policy import workdays
from ptdv.policy.models import SwapKind, SwappedDay


def swapped_days(
    start: dt.date | None = None, end: dt.date | None = None
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(extra days off, extra working days) from the table, optionally within [start, end].

    Pass them to ``workdays.add_working_days`` / the ``rules.deadline_*`` helpers as
    ``extra_off`` / ``extra_work``. The calendar is national, so it is not scoped."""
    qs = SwappedDay.objects.all()
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    for day, kind in qs.values_list("day", "kind"):
        (work if kind == SwapKind.WORKING_DAY else off).add(day)
    return frozenset(off), frozenset(work)


def swapped_days_from(start: dt.date, n_working_days: int) -> dict[str, frozenset[dt.date]]:
    """Keyword arguments ``extra_off``/``extra_work`` covering a count of ``n`` working days
    from ``start`` (a generous window: twice the days plus a Tết break)."""
    span = dt.timedelta(days=abs(n_working_days) * 2 + 30)
    lo, hi = (start, start + span) if n_working_days >= 0 else (start - span, start)
    off, work = swapped_days(lo, hi)
    return {"extra_off": off, "extra_work": work}


def add_working_days(start: dt.date, n: int) -> dt.date:
    """``workdays.add_working_days`` with the administrator's swapped days applied."""
    return workdays.add_working_days(start, n, **swapped_days_from(start, n))


def is_working_day(day: dt.date) -> bool:
    off, work = swapped_days(day, day)
    return workdays.is_working_day(day, extra_off=off, extra_work=work)


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    kind: str  # "holiday" | "day_off" | "working_day"
    label: str
    swap: SwappedDay | None = None


def swaps_of_year(year: int) -> list[SwappedDay]:
    return list(
        SwappedDay.objects.filter(day__year=year).select_related("created_by").order_by("day")
    )


def public_holidays_of_year(year: int) -> list[tuple[dt.date, str]]:
    from django.utils.translation import get_language

    language = "en_US" if (get_language() or "vi").startswith("en") else "vi"
    return list(workdays.public_holidays(year, language).items())


def package_workdays_of_year(year: int) -> list[dt.date]:
    return sorted(workdays.package_weekend_workdays(year))


def swapped_day_get(uid: object) -> SwappedDay:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(SwappedDay, uid=uid)
