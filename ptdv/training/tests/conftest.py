"""Training fixtures: the centre of district A, people of each status, a class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

D = dt.date


@dataclass
class World:
    centre: Any
    awareness: Any  # CourseType
    new_member: Any
    cadre_skills: Any
    mass: Any  # a person of tree.cell, not a member
    mass2: Any
    other_mass: Any  # of tree.other_cell
    sibling_mass: Any  # of district B
    probationary: Any
    official: Any
    klass: Any  # awareness class, open, 02/03/2020–06/03/2020, capacity 3


BORN = D(1995, 5, 1)


def make_person(unit: Any, name: str, born: dt.date = BORN) -> Any:
    from ptdv.people.services import person_create

    return person_create(
        actor=None, org_unit=unit, full_name=name, date_of_birth=born, gender="female"
    )


def make_member(unit: Any, name: str, admitted: dt.date, official: dt.date | None) -> Any:
    from ptdv.people.services import membership_event_add

    p = make_person(unit, name, D(1990, 1, 1))
    membership_event_add(actor=None, person=p, kind="admitted", date=admitted, org_unit=unit)
    if official:
        membership_event_add(actor=None, person=p, kind="recognized", date=official)
    p.refresh_from_db()
    return p


@pytest.fixture
def world(tree: Any, personas: Any) -> World:
    from ptdv.training import services as S
    from ptdv.training.models import CourseType

    centre = S.institution_create(
        actor=None,
        code="TTCT-A",
        name="Trung tâm Chính trị huyện An",
        org_unit=tree.district,
        director="Nguyễn Văn Giám",
    )
    types = {t.code: t for t in CourseType.objects.all()}
    klass = S.class_create(
        actor=None,
        institution=centre,
        course_type=types["awareness"],
        code="NT-01/2020",
        start_on=D(2020, 3, 2),
        end_on=D(2020, 3, 6),
        capacity=3,
        served_units=[tree.district],
    )
    S.class_transition(actor=None, klass=klass, to="open", today=D(2020, 2, 1))
    return World(
        centre=centre,
        awareness=types["awareness"],
        new_member=types["new_member"],
        cadre_skills=types["cadre_skills"],
        mass=make_person(tree.cell, "Hoàng Thị Ưng"),
        mass2=make_person(tree.cell, "Nông Văn Đức"),
        other_mass=make_person(tree.other_cell, "Lý Thị Mỷ"),
        sibling_mass=make_person(tree.sibling_cell, "Đàm Văn Bình"),
        probationary=make_member(tree.cell, "Ma Thị Hoa", D(2019, 10, 1), None),
        official=make_member(tree.cell, "Triệu Văn Lâm", D(2010, 1, 5), D(2011, 1, 5)),
        klass=klass,
    )


def run_class(klass: Any, people: list[Any], *, absent: dict[int, int] | None = None) -> Any:
    """Enrol, start, mark attendance (``absent``: person pk → sessions missed), finish."""
    from ptdv.training import services as S

    S.enrol_bulk(actor=None, klass=klass, person_ids=[p.pk for p in people])
    S.class_transition(actor=None, klass=klass, to="running", today=klass.start_on)
    sessions = list(klass.sessions.all())
    marks = []
    for e in klass.enrolments.all():
        missed = (absent or {}).get(e.person_id, 0)
        marks += [(e.pk, s.pk, i >= missed) for i, s in enumerate(sessions)]
    S.attendance_record(actor=None, klass=klass, marks=marks, today=klass.end_on)
    S.class_transition(actor=None, klass=klass, to="finished", today=klass.end_on)
    klass.refresh_from_db()
    return klass
