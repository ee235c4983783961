"""The registry's denominator of a cell's vote leaves out members in temporary activity
elsewhere that day (294-QĐ/TW 9.3.2) and keeps members in transit (counted by the sender)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.admissions.services import official_members_count
from ptdv.people.services import membership_event_add
from ptdv.people.tests.conftest import make_member
from ptdv.people.transfers import services as T

pytestmark = pytest.mark.django_db
D = dt.date


def official(unit: Any, name: str) -> Any:
    p = make_member(unit, name, admitted=D(2015, 3, 1))
    membership_event_add(actor=None, person=p, kind="recognized", date=D(2016, 3, 1))
    p.refresh_from_db()
    return p


def test_temporary_activity_elsewhere_leaves_the_denominator(tree: Any) -> None:
    members = [official(tree.cell, f"Hoàng Văn {n}") for n in ("An", "Bình", "Cường")]
    today = D(2026, 3, 2)
    before = official_members_count(tree.cell, D(2026, 2, 1))
    assert before == 3
    temp = T.transfer_issue(
        actor=None,
        person=members[0],
        kind="temporary",
        to_unit=tree.sibling_cell,
        letter_number="1-GGT",
        letter_date=D(2026, 1, 5),
        today=today,
    )
    T.transfer_confirm(actor=None, transfer=temp, received_on=D(2026, 1, 12), today=today)
    T.transfer_issue(
        actor=None,
        person=members[1],
        kind="official",
        to_unit=tree.sibling_cell,
        letter_number="2-GGT",
        letter_date=D(2026, 1, 5),
        today=today,
    )
    assert official_members_count(tree.cell, D(2026, 1, 11)) == 3  # not yet received
    assert official_members_count(tree.cell, D(2026, 2, 1)) == 2  # one away, one in transit
    assert official_members_count(tree.sibling_cell, D(2026, 2, 1)) == 0
