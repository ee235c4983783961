"""Since 01/07/2025 districts are abolished: a commune/ward committee directly under the
province is the upper committee above grassroots organizations (294-QĐ/TW). Nothing in the
admission workflow may assume a district: the deciding committee is a property of the tree."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ptdv.access.models import Position, Role
from ptdv.admissions import services as S
from ptdv.admissions.models import Decision
from ptdv.admissions.tests.conftest import TODAY, World, drive, make_member
from ptdv.organizations.services import org_unit_create
from ptdv.people.services import person_create

D = dt.date


@pytest.fixture
def commune_world(tree: Any, personas: Any) -> tuple[World, Any]:
    commune = org_unit_create(
        actor=None,
        code="P-XA",
        name="Đảng bộ xã Nam Cường",
        kind="commune",
        parent=tree.province,
        sector="commune_ward",
        valid_from=D(2000, 1, 1),
    )
    village_cell = org_unit_create(
        actor=None,
        code="P-XA-NP",
        name="Chi bộ thôn Nà Pậu",
        kind="grassroots_cell",
        parent=commune,
        sector="residential",
        valid_from=D(2000, 1, 1),
    )
    officer = get_user_model().objects.create_user("bantochuc.xa", password="x")  # noqa: S106
    Position.objects.create(
        user=officer, org_unit=commune, role=Role.ORG_BOARD, term_start=D(2020, 1, 1)
    )
    members = [make_member(tree, f"Đảng Viên Xã {i}", cell=village_cell) for i in range(6)]
    applicant = person_create(
        actor=None,
        org_unit=village_cell,
        full_name="Ma Thị Ưng",
        date_of_birth=D(2001, 2, 3),
        gender="female",
        education_general="upper_secondary",
        audit=False,
    )
    world = World(SimpleNamespace(cell=village_cell), personas, members, applicant)
    return world, officer


def test_commune_committee_decides_for_a_village_grassroots_cell(commune_world: Any) -> None:
    world, officer = commune_world
    case = drive(world, "cell_voted", actor=officer)
    assert case.deciding_unit.code == "P-XA"  # the commune, not a district nor the province
    case = S.admission_decide(
        actor=officer,
        case=case,
        on=D(2024, 9, 5),
        number="15-QĐ/ĐU",
        counts=S.VoteCounts(9, 9, 7, 2),
        today=TODAY,
    )
    assert case.stage == "decided"
    assert Decision.objects.get(case=case).deciding_unit.code == "P-XA"


def test_district_officer_cannot_decide_in_a_commune_outside_the_district(
    commune_world: Any,
) -> None:
    world, officer = commune_world
    case = drive(world, "cell_voted", actor=officer)
    with pytest.raises(S.StepRefusedError):
        S.admission_decide(
            actor=world.personas.district_officer,
            case=case,
            on=D(2024, 9, 5),
            number="1",
            today=TODAY,
        )
    case.refresh_from_db()
    assert case.stage == "cell_voted"
