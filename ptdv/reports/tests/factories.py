"""Test data built with the people services (so periods are derived as in production)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ptdv.people.services import membership_event_add, person_create

_serial = itertools.count(1)


def person(org: Any, **fields: Any) -> Any:
    n = next(_serial)
    data = {
        "full_name": f"Nguyễn Văn Thử {n}",
        "date_of_birth": dt.date(1990, 1, 1),
        "gender": "male",
    } | fields
    return person_create(actor=None, org_unit=org, audit=False, **data)


def member(
    org: Any,
    admitted: dt.date,
    *,
    recognized: dt.date | None = None,
    exit_kind: str | None = None,
    exit_on: dt.date | None = None,
    moved_to: Any = None,
    moved_on: dt.date | None = None,
    **fields: Any,
) -> Any:
    """A person admitted in ``org`` (a cell) and optionally recognized, moved, exited."""
    p = person(org, **fields)
    membership_event_add(actor=None, person=p, kind="admitted", date=admitted, org_unit=org,
                         decision_date=admitted, audit=False)  # fmt: skip
    events = []
    if recognized:
        events.append((recognized, "recognized", None))
    if moved_to is not None and moved_on is not None:
        events.append((moved_on, "moved", moved_to))
    if exit_kind and exit_on:
        events.append((exit_on, exit_kind, None))
    for day, kind, unit in sorted(events, key=lambda e: e[0]):
        membership_event_add(actor=None, person=p, kind=kind, date=day, org_unit=unit,
                             audit=False)  # fmt: skip
    p.refresh_from_db()
    return p
