"""A case opened under a district before 01/07/2025 and continued after it: each step is
decided by the committee the cell belongs to on the step's date, and the papers name it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ptdv.access.models import Position, Role
from ptdv.access.permissions import clear_cache
from ptdv.admissions import services as S
from ptdv.admissions.models import Decision
from ptdv.admissions.tests.conftest import TODAY, World, drive, good_vote, probation_papers
from ptdv.admissions.views import document_context
from ptdv.organizations import services as orgs

D = dt.date
CUT = D(2025, 7, 1)


@pytest.fixture
def restructured(world: World) -> tuple[World, Any, Any]:
    """A case voted by the cell in 2024 under district A; from 01/07/2025 the grassroots
    committee A-X sits under the new commune committee C, district A is closed."""
    case = drive(world, "cell_voted")
    tree = world.tree
    commune = orgs.org_unit_create(
        actor=None,
        code="C",
        name="Đảng bộ xã Xuân Mới",
        kind="commune",
        parent=tree.province,
        sector="commune_ward",
        valid_from=CUT,
    )
    orgs.org_unit_move(actor=None, unit=tree.grassroots, new_parent=commune, date=CUT)
    orgs.org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=commune, date=CUT)
    orgs.org_unit_close(actor=None, unit=tree.district, date=CUT - dt.timedelta(days=1))
    officer = get_user_model().objects.create_user("bantochuc.xa", password="x")  # noqa: S106
    Position.objects.create(user=officer, org_unit=commune, role=Role.ORG_BOARD, term_start=CUT)
    case.refresh_from_db()
    return world, case, officer


def test_committees_follow_the_date_of_the_step(restructured: Any) -> None:
    world, case, officer = restructured
    assert case.deciding_unit.code == "A"  # recorded when the case opened
    assert S.committees_on(case, D(2025, 6, 30)).deciding.code == "A"
    assert S.committees_on(case, CUT).deciding.code == "C"
    assert S.committees_on(case, CUT).grassroots.code == "A-X"
    # who may decide today: the commune committee, no longer the closed district
    assert S.can_take(officer, "decide", case)
    assert not S.can_take(world.personas.district_officer, "decide", case)
    # a decision dated before the change belongs to the district: not the commune's to take
    assert not S.can_take(officer, "decide", case, D(2025, 6, 20))


def test_later_steps_go_to_the_commune_committee(restructured: Any) -> None:
    world, case, officer = restructured
    case = S.grassroots_vote_record(  # dated before the change, recorded by the commune
        actor=officer,
        case=case,
        on=D(2025, 6, 20),
        counts=S.VoteCounts(9, 9, 8, 1, "02-NQ/ĐU"),
        today=TODAY,
    )
    with pytest.raises(S.StepRefusedError) as refused:
        S.admission_decide(
            actor=world.personas.district_officer,
            case=case,
            on=D(2025, 7, 10),
            number="01-QĐ/HU",
            today=TODAY,
        )
    assert refused.value.code == "permission.denied"
    case.refresh_from_db()
    assert case.stage == "grassroots_voted"
    case = S.admission_decide(
        actor=officer,
        case=case,
        on=D(2025, 7, 10),
        number="15-QĐ/ĐU",
        received_on=D(2025, 7, 12),
        counts=S.VoteCounts(9, 9, 7, 2),
        today=TODAY,
    )
    assert case.stage == "decided"
    decision = Decision.objects.get(case=case, kind="admission")
    assert decision.deciding_unit.code == "C"
    paper = document_context(case, "admissions.admission_decision")
    assert paper["deciding_body"] == "Ban Thường vụ Đảng ủy xã Xuân Mới"
    case = S.ceremony_record(actor=officer, case=case, on=D(2025, 7, 20), today=TODAY)
    minutes = document_context(case, "admissions.ceremony_minutes")
    assert "Xuân Mới" in minutes["deciding_body"]


def test_a_decision_taken_before_the_change_keeps_the_district(world: World) -> None:
    case = drive(world, "probation")  # decided by the district in 2024
    tree = world.tree
    commune = orgs.org_unit_create(
        actor=None, code="C", name="Đảng bộ xã Xuân Mới", kind="commune", parent=tree.province,
        valid_from=CUT,
    )  # fmt: skip
    orgs.org_unit_move(actor=None, unit=tree.grassroots, new_parent=commune, date=CUT)
    case.refresh_from_db()
    admission = Decision.objects.get(case=case, kind="admission")
    assert admission.deciding_unit.code == "A"
    paper = document_context(case, "admissions.admission_decision")
    assert paper["deciding_body"] == "Ban Thường vụ Huyện ủy An"
    # the recognition (09/2025) is the commune's
    officer = world.personas.district_officer
    Position.objects.create(user=officer, org_unit=commune, role=Role.ORG_BOARD, term_start=CUT)
    clear_cache(officer)
    probation_papers(case, officer, D(2025, 9, 20))
    for stage, call in (
        ("recognition_cell", S.recognition_cell_vote_record),
        ("recognition_grassroots", S.recognition_grassroots_vote_record),
    ):
        counts = good_vote() if stage == "recognition_cell" else S.VoteCounts(9, 9, 9, 0, "03")
        on = D(2025, 9, 25) if stage == "recognition_cell" else D(2025, 10, 2)
        case = call(actor=officer, case=case, on=on, counts=counts, today=TODAY)
    case = S.recognition_decide(
        actor=officer, case=case, on=D(2025, 10, 15), number="456-QĐ/ĐU", today=TODAY
    )
    assert Decision.objects.get(case=case, kind="recognition").deciding_unit.code == "C"
    paper = document_context(case, "admissions.recognition_decision")
    assert "Xuân Mới" in paper["deciding_body"]


def test_case_page_names_the_committee_of_today(restructured: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    _world, case, officer = restructured
    c = Client()
    c.force_login(officer)
    html = c.get(reverse("admissions:case_detail", args=[case.uid])).content.decode()
    deciding = html.split('id="deciding-now">')[1].split("</dd>")[0]
    assert deciding.startswith("Đảng bộ xã Xuân Mới")
    assert "Đảng bộ huyện An" in deciding  # the committee of the earlier steps, labelled
