"""Pure rules of training: eligibility, completion, certificate validity and numbering,
class status transitions. No ORM here; dates are parameters.

Sources: rules-reference §1.3 (awareness certificate, 60 months), §5.1 (new-member class
for probationary members), §6.3 (the three class types of the political centre).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# --- class status ------------------------------------------------------------------

PLANNED, OPEN, RUNNING, FINISHED, CANCELLED = "planned", "open", "running", "finished", "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    PLANNED: frozenset({OPEN, CANCELLED}),
    OPEN: frozenset({PLANNED, RUNNING, CANCELLED}),
    RUNNING: frozenset({FINISHED, CANCELLED}),
    FINISHED: frozenset(),
    CANCELLED: frozenset(),
}
# Enrolment, nomination and acceptance are possible while the class is not over.
ENROLLING = frozenset({PLANNED, OPEN, RUNNING})
# Attendance and results are recorded once the class has started.
RECORDING = frozenset({RUNNING, FINISHED})


def can_transition(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def transition_problem(
    old: str, new: str, *, start_on: dt.date, end_on: dt.date, today: dt.date
) -> str | None:
    """Why a class cannot move from ``old`` to ``new`` today, or None."""
    if not can_transition(old, new):
        return _("A class cannot go from “%(old)s” to “%(new)s”.") % {"old": old, "new": new}
    if new == RUNNING and today < start_on:
        return _("The class cannot start before its start date (%(date)s).") % {
            "date": f"{start_on:%d/%m/%Y}"
        }
    if new == FINISHED and today < end_on:
        return _("The class cannot finish before its end date (%(date)s).") % {
            "date": f"{end_on:%d/%m/%Y}"
        }
    return None


# --- eligibility ----------------------------------------------------------------------

# audience → the membership status a person must have on the class start date
AUDIENCE_STATUS = {
    "masses": "none",
    "probationary": "probationary",
    "cadres": "official",
}


def eligibility_problem(audience: str, status_on_start: str) -> str | None:
    """Why a person with ``status_on_start`` (membership status on the class start date)
    may not enrol in a class for ``audience``, or None.

    - awareness (masses): only people who are not members (rules-reference §1.3);
    - new members: probationary members (§5.1);
    - party-work skills: official members (cell secretaries, committee members; §6.3).
    """
    needed = AUDIENCE_STATUS.get(audience)
    if needed is None or status_on_start == needed:
        return None
    if needed == "none":
        return _("The awareness class is for people who are not party members.")
    if needed == "probationary":
        return _("The class for new members is for probationary members only.")
    return _("The party-work skills class is for official members only.")


@dataclass(frozen=True)
class Span:
    status: str
    start: dt.date
    end: dt.date | None  # exclusive; None = still


def status_on(spans: Iterable[Span], day: dt.date) -> str:
    """The membership status on ``day`` from the derived periods ("none" before any)."""
    for s in spans:
        if s.start <= day and (s.end is None or day < s.end):
            return s.status
    return "none"


# --- completion -----------------------------------------------------------------------


def attendance_enough(attended: int, sessions: int, ratio: Decimal) -> bool:
    """At least ``ratio`` of the sessions held were attended (no sessions → not enough)."""
    if sessions <= 0:
        return False
    return Decimal(attended) >= ratio * Decimal(sessions)


def is_completed(*, attended: int, sessions: int, ratio: Decimal, passed: bool) -> bool:
    """Completion: attended at least the minimum ratio of sessions AND passed."""
    return passed and attendance_enough(attended, sessions, ratio)


# --- certificates ---------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (clamped to the month's last day: 31/1 + 1 → 28/2)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(issued_on: dt.date, validity_months: int | None) -> dt.date | None:
    """The last day of validity (inclusive). A certificate valid 60 months issued on
    15/01/2020 expires ON 15/01/2025 (rules-reference §1.3: "issued 15/1/2020 expired on
    15/1/2025"), so its last valid day is 14/01/2025. None: it does not expire."""
    if validity_months is None:
        return None
    return add_months(issued_on, validity_months) - dt.timedelta(days=1)


def certificate_valid_on(issued_on: dt.date, valid_until: dt.date | None, on: dt.date) -> bool:
    """Valid on ``on``: issued on or before that day and not yet expired."""
    return issued_on <= on and (valid_until is None or on <= valid_until)


def certificate_number(seq: int, year: int, suffix: str) -> str:
    """The number printed on a certificate, e.g. ``12/2019/CN-TTCT``: the sequence within
    the institution and the issue year, the year, then the institution's suffix."""
    return f"{seq}/{year}/{suffix}" if suffix else f"{seq}/{year}"


def session_date_problem(day: dt.date, start_on: dt.date, end_on: dt.date) -> str | None:
    if day < start_on or day > end_on:
        return _("The date %(date)s is outside the class dates (%(start)s – %(end)s).") % {
            "date": f"{day:%d/%m/%Y}",
            "start": f"{start_on:%d/%m/%Y}",
            "end": f"{end_on:%d/%m/%Y}",
        }
    return None


def grade_of_score(score: Decimal | None) -> str:
    """The classification printed on a certificate from a score out of 10 (the usual
    scale of the political centres): 9 excellent, 8 very good, 6.5 good, 5 average."""
    if score is None:
        return ""
    if score >= Decimal(9):
        return "Xuất sắc"
    if score >= Decimal(8):
        return "Giỏi"
    if score >= Decimal("6.5"):
        return "Khá"
    if score >= Decimal(5):
        return "Trung bình"
    return "Không đạt"
