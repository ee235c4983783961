"""Pure rules of the registry: identity validation and membership derivation.

No ORM here: these functions take plain values and are tested as tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError

# Province codes of the CCCD (Thông tư 07/2016/TT-BCA, 59/2021/TT-BCA).
CCCD_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
_DIGITS12 = re.compile(r"^\d{12}$")


def normalize_citizen_id(raw: object) -> str:
    """Digits of a CCCD as typed or as read from Excel (a number loses leading zeros)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"[\s.\-]", "", str(raw))
    if text.isdigit() and 9 <= len(text) < 12:
        text = text.zfill(12)  # Excel dropped the leading zeros of a province code 00x
    return text


def citizen_id_problem(
    value: str, *, date_of_birth: dt.date | None = None, gender: str | None = None
) -> str | None:
    """Why a CCCD number is invalid, or None. Checks: 12 digits, province code, and —
    when birth date and gender are known — the century/gender digit and birth year."""
    if not _DIGITS12.match(value):
        return _("A citizen ID (CCCD) has exactly 12 digits.")
    if value[:3] not in CCCD_PROVINCE_CODES:
        return _("The first three digits of a citizen ID must be a province code.")
    if date_of_birth is not None and gender in {"male", "female"}:
        century = (date_of_birth.year // 100) - 19  # 1900s → 0, 2000s → 1, …
        expected = century * 2 + (1 if gender == "female" else 0)
        if (
            not 0 <= century <= 4
            or value[3] != str(expected)
            or value[4:6] != f"{date_of_birth.year % 100:02d}"
        ):
            return _(
                "The citizen ID does not match the birth year and gender "
                "(4th digit: century and gender; 5th–6th: year of birth)."
            )
    return None


def make_citizen_id(province: str, date_of_birth: dt.date, gender: str, serial: int) -> str:
    """A well-formed CCCD for demo and test data."""
    century = (date_of_birth.year // 100) - 19
    digit = century * 2 + (1 if gender == "female" else 0)
    return f"{province}{digit}{date_of_birth.year % 100:02d}{serial % 1_000_000:06d}"


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Completed months of age on a date (a birthday on the 31st counts at month end)."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        # the month is complete only if ``on`` is the last day of a shorter month
        next_day = on + dt.timedelta(days=1)
        if next_day.month == on.month:
            months -= 1
    return months


def party_age(counted_from: dt.date | None, on: dt.date) -> tuple[int, int] | None:
    """(years, months) of party age on a date, counted from the admission decision."""
    if counted_from is None or on < counted_from:
        return None
    months = age_in_months(counted_from, on)
    return months // 12, months % 12


# Membership events that record a committee's decision (admission, recognition,
# removal, expulsion): only the organization board records them by hand. The other
# events (transfers, moves, cards, death) the grassroots/cell committee records too.
DECISION_EVENTS = frozenset(
    {"admitted", "recognized", "readmitted", "removed", "removed_probationary", "expelled", "left"}
)


# ---------------------------------------------------------------------------
# Membership derivation


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    org_unit_id: int | None = None
    decision_date: dt.date | None = None
    card_number: str = ""
    order: int = 0  # tie-break for events on the same day (the pk)
    # For a transfer in of someone with no history here: the status they arrive with.
    arrives_as: str = "official"


@dataclass(frozen=True)
class Period:
    status: str
    org_unit_id: int | None
    start: dt.date
    end: dt.date | None


@dataclass
class Derived:
    status: str = "none"
    org_unit_id: int | None = None
    admitted_on: dt.date | None = None
    official_on: dt.date | None = None
    party_age_from: dt.date | None = None
    card_number: str = ""
    periods: list[Period] = field(default_factory=list)


# status before → event kinds allowed
_ALLOWED: dict[str, frozenset[str]] = {
    "none": frozenset({"admitted", "transferred_in", "readmitted"}),
    "probationary": frozenset(
        {
            "recognized",
            "transferred_out",
            "moved",
            "removed_probationary",
            "removed",
            "expelled",
            "left",
            "died",
            "card_issued",
            "transferred_in",
        }
    ),
    "official": frozenset(
        {
            "transferred_out",
            "moved",
            "removed",
            "expelled",
            "left",
            "died",
            "card_issued",
            "transferred_in",
        }
    ),
    "transferred_out": frozenset({"transferred_in", "died"}),
    "removed": frozenset({"readmitted", "died"}),
    "expelled": frozenset({"died"}),
    "left": frozenset({"readmitted", "died"}),
    "died": frozenset(),
}
_TERMINAL = {
    "removed": "removed",
    "removed_probationary": "removed",
    "expelled": "expelled",
    "left": "left",
    "died": "died",
    "transferred_out": "transferred_out",
}


def can_apply(status: str, kind: str) -> bool:
    return kind in _ALLOWED.get(status, frozenset())


def derive(events: Iterable[Event]) -> Derived:
    """Fold the events (in date order) into the current state and the periods."""
    d = Derived()
    periods: list[Period] = []
    status_before_out = "official"

    def switch(status: str, org: int | None, day: dt.date) -> None:
        if periods and periods[-1].end is None:
            last = periods[-1]
            if last.status == status and last.org_unit_id == org:
                return
            periods[-1] = Period(last.status, last.org_unit_id, last.start, day)
        periods.append(Period(status, org, day, None))

    for ev in sorted(events, key=lambda e: (e.date, e.order)):
        if not can_apply(d.status, ev.kind):
            raise DomainError(
                _("The event “%(event)s” cannot follow the status “%(status)s”.")
                % {"event": ev.kind, "status": d.status},
                code="invalid_event_order",
            )
        if ev.kind in {"admitted", "readmitted"}:
            d.status = "probationary"
            d.admitted_on = ev.date
            d.official_on = None
            if ev.kind == "admitted" or d.party_age_from is None:
                d.party_age_from = ev.decision_date or ev.date
            d.org_unit_id = ev.org_unit_id or d.org_unit_id
        elif ev.kind == "recognized":
            d.status = "official"
            d.official_on = ev.date
        elif ev.kind == "transferred_in":
            if d.status == "none":
                d.status = ev.arrives_as
            elif d.status == "transferred_out":
                d.status = status_before_out
            d.org_unit_id = ev.org_unit_id or d.org_unit_id
        elif ev.kind == "moved":
            d.org_unit_id = ev.org_unit_id or d.org_unit_id
        elif ev.kind == "card_issued":
            d.card_number = ev.card_number or d.card_number
        elif ev.kind in _TERMINAL:
            if ev.kind == "transferred_out":
                status_before_out = d.status
            d.status = _TERMINAL[ev.kind]
        if ev.card_number:
            d.card_number = ev.card_number
        if ev.kind != "card_issued":
            switch(d.status, d.org_unit_id, ev.date)
    d.periods = periods
    return d
