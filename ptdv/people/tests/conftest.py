from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ptdv.people.models import Person
from ptdv.people.services import membership_event_add, person_create

D = dt.date
DEFAULT_ADMISSION = D(2015, 3, 1)


def make_person(unit: Any, name: str, **kw: Any) -> Person:
    data: dict[str, Any] = {
        "full_name": name,
        "date_of_birth": D(1990, 5, 1),
        "gender": "male",
        "ethnicity": "02",
    }
    data.update(kw)
    return person_create(actor=None, org_unit=unit, **data)


def make_member(unit: Any, name: str, admitted: dt.date = DEFAULT_ADMISSION, **kw: Any) -> Person:
    p = make_person(unit, name, **kw)
    membership_event_add(
        actor=None, person=p, kind="admitted", date=admitted, org_unit=unit, audit=False
    )
    p.refresh_from_db()
    return p


@dataclass
class Registry:
    member: Person  # official member of tree.cell
    masses: Person  # a person of the masses kept by tree.other_cell
    sibling_member: Person  # member in the sibling district


@pytest.fixture
def registry(tree: Any) -> Registry:
    member = make_member(
        tree.cell, "Nguyễn Văn Ánh", citizen_id="006090001234", date_of_birth=D(1990, 5, 1)
    )
    membership_event_add(actor=None, person=member, kind="recognized", date=D(2016, 3, 1))
    member.refresh_from_db()
    masses = make_person(tree.other_cell, "Hoàng Thị Đào", gender="female")
    sibling = make_member(tree.sibling_cell, "Nguyễn Văn Bình")
    return Registry(member, masses, sibling)
