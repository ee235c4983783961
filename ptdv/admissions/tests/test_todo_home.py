"""Issue 16 point 2: the to-do list says who acts, where (cell — parent), when and at which
stage, filters and sorts; every role's home page shows its next actions; a blocked step's
form stays closed and says what it waits for."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ptdv.admissions import selectors
from ptdv.admissions.tests.conftest import drive

pytestmark = pytest.mark.django_db


def _second(world: Any) -> None:
    from ptdv.people.services import person_create

    world.applicant = person_create(
        actor=None,
        org_unit=world.tree.cell,
        full_name="Lý Thị Hai",
        date_of_birth=world.applicant.date_of_birth,
        gender="female",
        audit=False,
    )


def test_todo_rows_owner_unit_parent_and_links(client: Any, world: Any) -> None:
    first = drive(world, "cell_voted")  # the decision: the deciding committee (district A)
    _second(world)
    second = drive(world, "decided")  # the ceremony: the cell
    assert selectors.responsible_unit(first) == world.tree.district
    assert selectors.responsible_unit(second) == world.tree.cell
    client.force_login(world.personas.cell_secretary)
    body = client.get(reverse("admissions:todo")).content.decode()
    at = body.index(str(second.uid))
    row = body[body.rindex("<tr", 0, at) : body.index("</tr>", at)]
    t = world.tree
    assert f'{t.cell.name}</a> — <a href="/orgs/{t.grassroots.uid}/">{t.grassroots.name}' in row
    assert f"/people/{second.person.uid}/" in row
    assert "Hạn tổ chức lễ kết nạp" in row and "quá hạn" in row
    first_row = body[body.index(str(first.uid)) :]
    assert f'<a href="/orgs/{t.district.uid}/">{t.district.name}</a>' in first_row


def test_todo_filters_and_sorts(client: Any, world: Any) -> None:
    first = drive(world, "cell_voted")
    _second(world)
    second = drive(world, "decided")
    client.force_login(world.personas.district_officer)
    url = reverse("admissions:todo")
    body = client.get(url, {"kind": "decision"}).content.decode()
    assert str(first.uid) in body and str(second.uid) not in body
    body = client.get(url, {"sort": "-due"}).content.decode()
    assert body.index(str(first.uid)) < body.index(str(second.uid))
    body = client.get(url, {"sort": "due"}).content.decode()
    assert body.index(str(second.uid)) < body.index(str(first.uid))
    body = client.get(url, {"unit": str(world.tree.other_cell.uid)}).content.decode()
    assert str(first.uid) in body  # a unit not offered is ignored, never an error
    body = client.get(url, {"unit": str(world.tree.cell.uid), "overdue": "on"}).content.decode()
    assert str(first.uid) in body and str(second.uid) in body


@pytest.mark.parametrize("persona", ["cell_secretary", "district_officer"])
def test_home_shows_the_next_actions(client: Any, world: Any, persona: str) -> None:
    case = drive(world, "decided")
    client.force_login(getattr(world.personas, persona))
    body = client.get("/").content.decode()
    assert 'id="home-next"' in body and 'id="home-todo"' in body
    assert str(case.uid) in body and world.tree.cell.name in body


def test_home_of_a_committee_with_nothing_due(client: Any, world: Any) -> None:
    client.force_login(world.personas.cell_secretary)
    body = client.get("/").content.decode()
    assert 'id="home-todo-empty"' in body


def test_blocked_step_is_closed_and_says_what_it_waits_for(client: Any, world: Any) -> None:
    from ptdv.admissions.models import DossierItem

    case = drive(world, "introductions_collected")
    DossierItem.objects.filter(case=case, kind="vetting").delete()
    client.force_login(world.personas.cell_secretary)
    body = client.get(reverse("admissions:case_detail", args=[case.uid])).content.decode()
    step = body[body.index('id="step-cell_vote"') :]
    step = step[: step.index("</details>")]
    assert "Bước này đang chờ" in step and 'data-code="documents.missing"' in step
    assert "<form" not in step and " open>" not in step
    DossierItem.objects.create(case=case, kind="vetting", status="received")
    body = client.get(reverse("admissions:case_detail", args=[case.uid])).content.decode()
    step = body[body.index('id="step-cell_vote"') :]
    assert "<form" in step[: step.index("</details>")]
