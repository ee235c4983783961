"""Rule tables: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.core.errors import DomainError
from ptdv.people import rules
from ptdv.people.rules import Event

D = dt.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("001090012345", "001090012345"),
        ("001 090 012 345", "001090012345"),
        ("001.090.012.345", "001090012345"),
        (1090012345.0, "001090012345"),  # Excel number: leading zeros lost
        (1090012345, "001090012345"),
        ("1090012345", "001090012345"),
        (6090012345.0, "006090012345"),
        (79190012345, "079190012345"),
        (None, ""),
        ("", ""),
        ("12345", "12345"),  # too short to be a CCCD missing zeros: left for the validator
        ("abc", "abc"),
    ],
)
def test_normalize_citizen_id(raw: object, expected: str) -> None:
    assert rules.normalize_citizen_id(raw) == expected


@pytest.mark.parametrize(
    ("value", "dob", "gender", "ok"),
    [
        ("001090012345", D(1990, 5, 1), "male", True),
        ("001190012345", D(1990, 5, 1), "female", True),
        ("006201012345", D(2001, 1, 1), "male", True),
        ("006301012345", D(2001, 1, 1), "female", True),
        ("001090012345", None, None, True),  # only the shape and the province
        ("001090012345", D(1991, 5, 1), "male", False),  # year digits
        ("001090012345", D(1990, 5, 1), "female", False),  # gender digit
        ("003090012345", None, None, False),  # 003 is no province code
        ("00109001234", None, None, False),  # 11 digits
        ("0010900123456", None, None, False),  # 13 digits
        ("00109001234a", None, None, False),
    ],
)
def test_citizen_id_problem(value: str, dob: dt.date | None, gender: str | None, ok: bool) -> None:
    assert (rules.citizen_id_problem(value, date_of_birth=dob, gender=gender) is None) is ok


def test_make_citizen_id_is_valid_and_keeps_leading_zeros() -> None:
    cid = rules.make_citizen_id("001", D(1985, 3, 2), "female", 42)
    assert cid == "001185000042"
    assert rules.citizen_id_problem(cid, date_of_birth=D(1985, 3, 2), gender="female") is None


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (D(2000, 1, 15), D(2000, 1, 15), 0),
        (D(2000, 1, 15), D(2000, 2, 14), 0),
        (D(2000, 1, 15), D(2000, 2, 15), 1),
        (D(2000, 1, 31), D(2000, 2, 28), 0),
        (D(2000, 1, 31), D(2000, 2, 29), 1),  # last day of a shorter month completes it
        (D(2000, 1, 31), D(2000, 3, 30), 1),
        (D(2000, 1, 31), D(2000, 3, 31), 2),
        (D(2004, 2, 29), D(2022, 2, 28), 216),  # 18 years on 28/02 of a common year
        (D(2004, 2, 29), D(2022, 2, 27), 215),
        (D(2004, 6, 10), D(2022, 6, 9), 215),
        (D(2004, 6, 10), D(2022, 6, 10), 216),
    ],
)
def test_age_in_months(born: dt.date, on: dt.date, months: int) -> None:
    assert rules.age_in_months(born, on) == months


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (None, D(2022, 1, 1), None),
        (D(2022, 1, 2), D(2022, 1, 1), None),
        (D(2010, 5, 19), D(2022, 5, 18), (11, 11)),
        (D(2010, 5, 19), D(2022, 5, 19), (12, 0)),
    ],
)
def test_party_age(start: dt.date | None, on: dt.date, expected: tuple[int, int] | None) -> None:
    assert rules.party_age(start, on) == expected


CELL, OTHER = 10, 20


def ev(kind: str, day: dt.date, org: int | None = None, order: int = 0, **kw: object) -> Event:
    return Event(kind, day, org, order=order, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("events", "status", "org", "admitted", "official", "party_from"),
    [
        ([], "none", None, None, None, None),
        (
            [ev("admitted", D(2010, 3, 1), CELL)],
            "probationary",
            CELL,
            D(2010, 3, 1),
            None,
            D(2010, 3, 1),
        ),
        (
            [
                ev("admitted", D(2010, 3, 1), CELL, decision_date=D(2010, 2, 20)),
                ev("recognized", D(2011, 3, 1)),
            ],
            "official",
            CELL,
            D(2010, 3, 1),
            D(2011, 3, 1),
            D(2010, 2, 20),
        ),
        (  # transfer out and back in: the status before leaving comes back
            [
                ev("admitted", D(2010, 3, 1), CELL),
                ev("recognized", D(2011, 3, 1)),
                ev("transferred_out", D(2015, 1, 1)),
                ev("transferred_in", D(2016, 1, 1), OTHER),
            ],
            "official",
            OTHER,
            D(2010, 3, 1),
            D(2011, 3, 1),
            D(2010, 3, 1),
        ),
        (  # arriving from elsewhere with no history here
            [ev("transferred_in", D(2016, 1, 1), CELL, arrives_as="probationary")],
            "probationary",
            CELL,
            None,
            None,
            None,
        ),
        (
            [ev("admitted", D(2010, 3, 1), CELL), ev("removed_probationary", D(2010, 12, 1))],
            "removed",
            CELL,
            D(2010, 3, 1),
            None,
            D(2010, 3, 1),
        ),
        (  # readmission after removal: party age still counted from the first admission
            [
                ev("admitted", D(2005, 3, 1), CELL),
                ev("recognized", D(2006, 3, 1)),
                ev("removed", D(2008, 1, 1)),
                ev("readmitted", D(2012, 6, 1), OTHER),
            ],
            "probationary",
            OTHER,
            D(2012, 6, 1),
            None,
            D(2005, 3, 1),
        ),
        (
            [
                ev("admitted", D(2010, 3, 1), CELL),
                ev("recognized", D(2011, 3, 1)),
                ev("moved", D(2012, 1, 1), OTHER),
            ],
            "official",
            OTHER,
            D(2010, 3, 1),
            D(2011, 3, 1),
            D(2010, 3, 1),
        ),
        (
            [
                ev("admitted", D(2010, 3, 1), CELL),
                ev("recognized", D(2011, 3, 1)),
                ev("died", D(2020, 1, 1)),
            ],
            "died",
            CELL,
            D(2010, 3, 1),
            D(2011, 3, 1),
            D(2010, 3, 1),
        ),
    ],
)
def test_derive_status(
    events: list[Event],
    status: str,
    org: int | None,
    admitted: dt.date | None,
    official: dt.date | None,
    party_from: dt.date | None,
) -> None:
    d = rules.derive(events)
    assert (d.status, d.org_unit_id, d.admitted_on, d.official_on, d.party_age_from) == (
        status,
        org,
        admitted,
        official,
        party_from,
    )


def test_derive_periods_close_at_each_change() -> None:
    d = rules.derive(
        [
            ev("admitted", D(2010, 3, 1), CELL, order=1),
            ev("recognized", D(2011, 3, 1), order=2),
            ev("card_issued", D(2011, 6, 1), card_number="123", order=3),
            ev("transferred_out", D(2015, 1, 1), order=4),
        ]
    )
    assert [(p.status, p.org_unit_id, p.start, p.end) for p in d.periods] == [
        ("probationary", CELL, D(2010, 3, 1), D(2011, 3, 1)),
        ("official", CELL, D(2011, 3, 1), D(2015, 1, 1)),
        ("transferred_out", CELL, D(2015, 1, 1), None),
    ]
    assert d.card_number == "123"


def test_derive_orders_events_by_date_then_order() -> None:
    d = rules.derive(
        [ev("recognized", D(2011, 3, 1), order=2), ev("admitted", D(2010, 3, 1), CELL, order=1)]
    )
    assert d.status == "official"


@pytest.mark.parametrize(
    "events",
    [
        [ev("recognized", D(2011, 3, 1))],  # recognized before admitted
        [ev("admitted", D(2010, 1, 1), CELL), ev("admitted", D(2011, 1, 1), CELL)],
        [
            ev("admitted", D(2010, 1, 1), CELL),
            ev("expelled", D(2011, 1, 1)),
            ev("readmitted", D(2012, 1, 1)),
        ],
        [
            ev("admitted", D(2010, 1, 1), CELL),
            ev("died", D(2011, 1, 1)),
            ev("transferred_in", D(2012, 1, 1)),
        ],
        [ev("moved", D(2010, 1, 1), CELL)],
    ],
)
def test_derive_refuses_invalid_order(events: list[Event]) -> None:
    with pytest.raises(DomainError) as exc:
        rules.derive(events)
    assert exc.value.code == "invalid_event_order"


@pytest.mark.parametrize(
    ("status", "kind", "ok"),
    [
        ("none", "admitted", True),
        ("none", "recognized", False),
        ("probationary", "recognized", True),
        ("official", "recognized", False),
        ("removed", "readmitted", True),
        ("expelled", "readmitted", False),
        ("died", "died", False),
    ],
)
def test_can_apply(status: str, kind: str, ok: bool) -> None:
    assert rules.can_apply(status, kind) is ok
