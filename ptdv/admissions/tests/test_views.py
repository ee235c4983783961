from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ptdv.admissions.tests.conftest import drive

pytestmark = pytest.mark.django_db


def _client(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("cell_secretary", 200),
        ("district_officer", 200),
        ("viewer", 200),
        ("sibling_officer", 404),  # out of scope
        ("centre_staff", 403),  # holds no admissions permission anywhere: the gate refuses
    ],
)
def test_case_page_scoped(client: Any, world: Any, persona: str, status: int) -> None:
    case = drive(world, "cell_voted")
    user = getattr(world.personas, persona)
    response = _client(client, user).get(reverse("admissions:case_detail", args=[case.uid]))
    assert response.status_code == status


def test_case_page_shows_findings_before_acting(client: Any, world: Any) -> None:
    case = drive(world, "vetting")
    # introductions recorded with one member only would fail; the page previews the cell vote
    # only when it is next: here the next step is the introductions
    response = _client(client, world.personas.cell_secretary).get(
        reverse("admissions:case_detail", args=[case.uid])
    )
    assert b"step-introductions" in response.content


def test_cell_vote_page_lists_findings(client: Any, world: Any) -> None:
    from ptdv.admissions.models import DossierItem

    case = drive(world, "introductions_collected")
    DossierItem.objects.filter(case=case, kind="vetting").delete()
    response = _client(client, world.personas.cell_secretary).get(
        reverse("admissions:case_detail", args=[case.uid])
    )
    assert b'data-code="documents.missing"' in response.content


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("cell_secretary", True), ("district_officer", True), ("viewer", False)],
)
def test_step_post_by_persona(client: Any, world: Any, persona: str, allowed: bool) -> None:
    case = drive(world, "awareness_class")
    response = _client(client, getattr(world.personas, persona)).post(
        reverse("admissions:case_step", args=[case.uid, "application"]),
        {"on": "2024-04-01"},
    )
    case.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert case.stage == "application"
    else:
        assert response.status_code == 403  # the gate: a read-only role never writes
        assert case.stage == "awareness_class"


def test_sibling_cannot_post(client: Any, world: Any) -> None:
    case = drive(world, "awareness_class")
    response = _client(client, world.personas.sibling_officer).post(
        reverse("admissions:case_step", args=[case.uid, "application"]), {"on": "2024-04-01"}
    )
    assert response.status_code == 404


def test_cell_secretary_cannot_decide(client: Any, world: Any) -> None:
    case = drive(world, "grassroots_voted")
    response = _client(client, world.personas.cell_secretary).post(
        reverse("admissions:case_step", args=[case.uid, "decide"]),
        {"on": "2024-09-05", "number": "1-QĐ"},
    )
    assert response.status_code == 400
    assert b"permission.denied" in response.content
    case.refresh_from_db()
    assert case.stage == "grassroots_voted"


def test_refused_vote_shows_the_finding(client: Any, world: Any) -> None:
    case = drive(world, "introductions_collected")
    response = _client(client, world.personas.cell_secretary).post(
        reverse("admissions:case_step", args=[case.uid, "cell_vote"]),
        {"on": "2024-08-01", "expected": 6, "present": 6, "in_favour": 3, "against": 3},
    )
    assert response.status_code == 400
    assert b'data-code="vote.below_threshold"' in response.content


@pytest.mark.parametrize(
    "persona", ["cell_secretary", "district_officer", "viewer", "sibling_officer"]
)
def test_lists_scoped(
    client: Any, world: Any, persona: str, django_assert_max_num_queries: Any
) -> None:
    case = drive(world, "cell_voted")
    c = _client(client, getattr(world.personas, persona))
    with django_assert_max_num_queries(15):
        response = c.get(reverse("admissions:case_list"))
    assert response.status_code == 200
    visible = persona != "sibling_officer"
    assert (str(case.uid).encode() in response.content) is visible
    response = c.get(reverse("admissions:todo"))
    assert response.status_code == 200
    assert (str(case.uid).encode() in response.content) is visible
    assert c.get(reverse("admissions:backlog")).status_code == 200
    assert c.get(reverse("admissions:sources")).status_code == 200


def test_centre_staff_has_no_admission_pages(client: Any, world: Any) -> None:
    c = _client(client, world.personas.centre_staff)
    assert c.get(reverse("admissions:case_list")).status_code == 403  # the gate, styled


def test_open_case_from_person(client: Any, world: Any) -> None:
    c = _client(client, world.personas.cell_secretary)
    url = reverse("admissions:case_open", args=[world.applicant.uid])
    assert c.get(url).status_code == 200
    response = c.post(url, {"opened_on": "2024-01-10"})
    assert response.status_code == 302
    assert world.applicant.admission_cases.count() == 1
    c2 = _client(client, world.personas.viewer)
    assert c2.get(url).status_code == 403  # may not open cases anywhere: forbidden, not missing


def test_source_list_pages(client: Any, world: Any) -> None:
    c = _client(client, world.personas.cell_secretary)
    response = c.post(
        reverse("admissions:source_list_create"), {"org": world.tree.cell.code, "year": 2024}
    )
    assert response.status_code == 302
    detail = c.get(response["Location"])
    assert detail.status_code == 200
    sib = _client(client, world.personas.sibling_officer)
    assert sib.get(response["Location"]).status_code == 404


def test_person_panel(rf: Any, world: Any) -> None:
    from ptdv.admissions.panels import person_cases_panel

    drive(world, "application")
    request = rf.get("/")
    request.user = world.personas.cell_secretary
    html = person_cases_panel(request, world.applicant)
    assert html and "admission-panel" in html
    request.user = world.personas.centre_staff
    assert person_cases_panel(request, world.applicant) is None


@pytest.mark.parametrize(
    ("code", "stage"),
    [
        ("admissions.cell_resolution", "cell_voted"),
        ("admissions.admission_decision", "decided"),
        ("admissions.ceremony_minutes", "probation"),
        ("admissions.recognition_decision", "recognized"),
    ],
)
def test_documents_download(client: Any, world: Any, code: str, stage: str) -> None:
    case = drive(world, stage)
    c = _client(client, world.personas.district_officer)
    response = c.get(reverse("admissions:case_document", args=[case.uid, code, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    sib = _client(client, world.personas.sibling_officer)
    assert (
        sib.get(reverse("admissions:case_document", args=[case.uid, code, "docx"])).status_code
        == 404
    )


def test_person_page_shows_case_and_deadlines(client: Any, world: Any) -> None:
    case = drive(world, "cell_voted")
    c = _client(client, world.personas.cell_secretary)
    response = c.get(reverse("people:detail", args=[world.applicant.uid]))
    assert response.status_code == 200
    assert b'id="admission-panel"' in response.content
    assert str(case.uid).encode() in response.content
    assert case.due_on.strftime("%d/%m/%Y").encode() in response.content


def test_todo_nearest_first_and_overdue(client: Any, world: Any) -> None:
    from ptdv.people.services import person_create

    first = drive(world, "cell_voted")  # decision due 28/10/2024
    world.applicant = person_create(
        actor=None,
        org_unit=world.tree.cell,
        full_name="Lý Thị Hai",
        date_of_birth=first.person.date_of_birth,
        gender="female",
        audit=False,
    )
    second = drive(world, "decided")  # ceremony due 30 working days after 09/09/2024
    assert second.due_kind == "ceremony" and second.due_on < first.due_on
    response = _client(client, world.personas.district_officer).get(reverse("admissions:todo"))
    body = response.content.decode()
    assert body.index(str(second.uid)) < body.index(str(first.uid))
    assert "overdue" in body or "quá hạn" in body
