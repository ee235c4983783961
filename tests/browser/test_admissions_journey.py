"""Journey: an organization-board officer takes one person from the source list to
official member through the case page (dated inputs), sees a refusal explained by its
finding, and downloads the admission decision as a PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import browser_login

pytestmark = pytest.mark.browser

D = dt.date


def _submit(
    page: Any, step: str, fields: dict[str, str], selects: dict[str, str] | None = None
) -> None:
    box = page.locator(f"#step-{step}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        box.locator(f"[name={name}]").fill(value)
    for name, value in (selects or {}).items():
        box.locator(f"select[name={name}]").select_option(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_source_to_official_member_and_decision_pdf(
    page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    from ptdv.admissions.models import AdmissionCase
    from ptdv.admissions.tests.conftest import make_member
    from ptdv.people.services import person_create

    members = [make_member(tree, f"Đảng Viên {i}") for i in range(6)]
    applicant = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Nông Thị Ưng",
        date_of_birth=D(1999, 4, 2),
        gender="female",
        education_general="upper_secondary",
        audit=False,
    )
    browser_login(page, live_server, personas.district_officer.username)
    page.goto(f"{live_server.url}/admissions/people/{applicant.uid}/open/")
    page.fill("[name=opened_on]", "2024-01-10")
    page.uncheck("[name=unit_has_youth_union]")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Nông Thị Ưng" in page.inner_text("h1")

    _submit(page, "certificate", {"on": "2024-03-01", "number": "12-GCN/TTCT"})
    _submit(page, "application", {"on": "2024-04-01"})
    _submit(page, "background", {"on": "2024-04-15"})
    _submit(page, "vetting", {"on": "2024-06-01"})
    _submit(
        page,
        "introductions",
        {
            "on": "2024-07-01",
            "cowork_since1": "2021-01-01",
            "cowork_since2": "2022-05-01",
            "comments_on": "2024-07-01",
        },
        {"introducer1": str(members[0].pk), "introducer2": str(members[1].pk)},
    )
    # a vote below two thirds is refused, with its finding, and nothing changes
    _submit(
        page,
        "cell_vote",
        {"on": "2024-08-01", "expected": "6", "present": "6", "in_favour": "3", "against": "3"},
    )
    assert page.locator('#step-cell_vote [data-code="vote.below_threshold"]').count() == 1
    assert AdmissionCase.objects.get(person=applicant).stage == "introductions_collected"
    _submit(
        page,
        "cell_vote",
        {
            "on": "2024-08-01",
            "expected": "6",
            "present": "6",
            "in_favour": "5",
            "against": "1",
            "resolution_number": "05-NQ/CB",
        },
    )
    _submit(
        page,
        "grassroots_vote",
        {"on": "2024-08-15", "expected": "9", "present": "9", "in_favour": "9", "against": "0"},
    )
    _submit(
        page, "decide", {"on": "2024-09-05", "number": "125-QĐ/HU", "received_on": "2024-09-09"}
    )
    _submit(page, "ceremony", {"on": "2024-09-20"})
    assert "20/09/2025" in page.inner_text("#official-on")
    _submit(
        page,
        "recognition_cell_vote",
        {"on": "2025-09-25", "expected": "6", "present": "6", "in_favour": "6", "against": "0"},
    )
    _submit(
        page,
        "recognition_grassroots_vote",
        {"on": "2025-10-02", "expected": "9", "present": "9", "in_favour": "9", "against": "0"},
    )
    # the recognition decision needs the probation papers (10-, 11-, 12-KNĐ): issue 15.7
    from ptdv.admissions.tests.conftest import probation_papers

    probation_papers(
        AdmissionCase.objects.get(person=applicant), personas.district_officer, D(2025, 9, 20)
    )
    _submit(page, "recognize", {"on": "2025-10-15", "number": "301-QĐ/HU"})
    assert page.locator("#stage").inner_text().strip() != ""
    case = AdmissionCase.objects.get(person=applicant)
    assert case.stage == "recognized"
    applicant.refresh_from_db()
    assert applicant.status == "official"
    assert applicant.official_on == D(2025, 9, 20)

    link = page.locator("[id='doc-admissions.admission_decision-pdf']")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
