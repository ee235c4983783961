"""When a deadline calls for a reminder (pure functions, no ORM).

A deadline (an admission case's next step, a transfer letter to be received) produces, on
a given day, at most these reminders:

- ``approaching``: the due day is today or within ``before_wd`` working days ahead;
- ``overdue``: the due day has passed;
- ``escalated``: the due day passed ``escalate_after_wd`` working days ago or more — sent
  to the committee above the responsible one.

Working days follow the Vietnamese calendar of ``ptdv.policy.workdays`` (weekends, public
holidays with Tết, the administrator's swapped days passed in as ``extra_off`` /
``extra_work``). "Within N working days ahead": ``working_days_between(today, due) <= N``;
"N working days overdue": ``working_days_between(due, today) >= N`` (the due day itself
is not counted, as for every deadline: Bộ luật Dân sự 2015, Điều 147).

The numbers come from settings (``PTDV_REMIND_BEFORE_WD``, ``PTDV_ESCALATE_AFTER_WD``): they
are the committee's working choice, not a rule of the Party's documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from ptdv.policy import workdays

APPROACHING = "approaching"
OVERDUE = "overdue"
ESCALATED = "escalated"
KINDS = (APPROACHING, OVERDUE, ESCALATED)

_EMPTY: frozenset[dt.date] = frozenset()


def kinds_on(
    due_on: dt.date,
    today: dt.date,
    *,
    before_wd: int,
    escalate_after_wd: int,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> list[str]:
    """The reminders a deadline due ``due_on`` calls for on ``today`` (possibly none)."""
    cal = {"extra_off": extra_off, "extra_work": extra_work}
    if due_on >= today:
        if workdays.working_days_between(today, due_on, **cal) <= before_wd:
            return [APPROACHING]
        return []
    kinds = [OVERDUE]
    if workdays.working_days_between(due_on, today, **cal) >= escalate_after_wd:
        kinds.append(ESCALATED)
    return kinds


def working_days_overdue(
    due_on: dt.date,
    today: dt.date,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> int:
    """Working days since the due day (0 when not yet due)."""
    if today <= due_on:
        return 0
    return workdays.working_days_between(due_on, today, extra_off=extra_off, extra_work=extra_work)


def event_key(source: str, uid: object, what: str, due_on: dt.date) -> str:
    """One deadline's identity: the object, which deadline, and its date (a moved deadline
    is a new event; the same deadline on the next run is the same one)."""
    return f"{source}:{uid}:{what}:{due_on.isoformat()}"
