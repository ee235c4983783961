"""Journey (issue 15, "Tests"): an applicant over 60 taken by an organization-board
officer through the case page: the vetting (a request for the applicant and one for her
father, their replies, the conclusion refused while a reply is awaited, then recorded),
the cell's vote (the missing consent is a warning), the admission decision refused for
want of the competent committee's written consent, the consent recorded, the decision,
and the dossier's papers printed. The visible state is asserted at each step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = pytest.mark.browser

D = dt.date


def _open(page: Any, selector: str) -> Any:
    box = page.locator(selector)
    if box.get_attribute("open") is None:
        box.locator("summary").first.click()
    return box


def _submit(
    page: Any, step: str, fields: dict[str, str], selects: dict[str, str] | None = None
) -> None:
    box = _open(page, f"#step-{step}")
    for name, value in fields.items():
        box.locator(f"[name={name}]").fill(value)
    for name, value in (selects or {}).items():
        box.locator(f"select[name={name}]").select_option(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _docx_text(body: bytes) -> str:
    import io

    import docx

    doc = docx.Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.django_db(transaction=True)
def test_over_sixty_consent_vetting_decision_dossier(
    page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    from ptdv.admissions.models import AdmissionCase, Consent, VettingRequest
    from ptdv.admissions.tests.conftest import make_member
    from ptdv.people.services import person_create, relative_add

    members = [make_member(tree, f"Đảng Viên {i}") for i in range(6)]
    applicant = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Sầm Thị Lụa",
        date_of_birth=D(1962, 3, 8),  # 62 at the cell's vote
        gender="female",
        education_general="upper_secondary",
        audit=False,
    )
    father = relative_add(
        actor=None,
        person=applicant,
        relation="father",
        full_name="Sầm Văn Pản",
        birth_year=1935,
        residence="Thôn Nà Pậu, xã Xuân",
    )
    officer = personas.district_officer
    browser_login(page, live_server, officer.username)
    page.goto(f"{live_server.url}/admissions/people/{applicant.uid}/open/")
    page.fill("[name=opened_on]", "2024-01-10")
    page.uncheck("[name=unit_has_youth_union]")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Sầm Thị Lụa" in page.inner_text("h1")
    # the over-60 path is listed as needing the written consent, not recorded yet
    needed = page.locator("#consents-needed li[data-kind=over_max_age]")
    expect(needed).to_have_count(1)
    assert "đã ghi nhận" not in needed.inner_text()

    _submit(page, "certificate", {"on": "2024-03-01", "number": "12-GCN/TTCT"})
    _submit(page, "application", {"on": "2024-04-01"})
    _submit(page, "background", {"on": "2024-04-15"})
    case = AdmissionCase.objects.get(person=applicant)
    assert case.stage == "background_declared"

    # vetting: the guidance asks for the applicant and her father
    vet = page.locator("#vetting")
    assert "Sầm Thị Lụa" in vet.inner_text() and "Sầm Văn Pản" in vet.inner_text()
    for relative, place, number in [
        ("", "Thôn Nà Pậu, xã Xuân", "01-CV/ĐU"),
        (str(father.pk), "Thôn Nà Pậu, xã Xuân", "02-CV/ĐU"),
    ]:
        form = page.locator("#vetting form[action$='/vetting/']")
        if not form.is_visible():
            page.locator("#vetting > details > summary").click()
        if relative:
            form.locator("select[name=relative]").select_option(relative)
        form.locator("[name=addressee]").fill("Đảng ủy xã Xuân")
        form.locator("[name=place]").fill(place)
        form.locator("[name=number]").fill(number)
        form.locator("[name=sent_on]").fill("2024-04-20")
        form.locator("[name=due_on]").fill("2024-05-20")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
    expect(page.locator("#vetting tbody tr")).to_have_count(2)
    assert VettingRequest.objects.filter(case=case).count() == 2

    # the conclusion is refused while a reply is awaited
    first = page.locator("#vetting tbody tr").first
    first.locator("summary").click()
    first.locator("[name=replied_on]").fill("2024-05-10")
    first.locator("select[name=result]").select_option("clear")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    _submit(page, "vetting", {"on": "2024-05-25", "number": "05-KL/ĐU"})
    refusal = page.inner_text("#step-vetting .refusal")
    assert "còn đề nghị chưa có trả lời" in refusal and "Sầm Văn Pản" in refusal
    assert AdmissionCase.objects.get(pk=case.pk).stage == "background_declared"
    second = page.locator("#vetting tbody tr").nth(1)
    second.locator("summary").click()
    second.locator("[name=replied_on]").fill("2024-05-15")
    second.locator("select[name=result]").select_option("clear")
    second.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    replies = page.inner_text("#vetting tbody")
    assert "10/05/2024" in replies and "15/05/2024" in replies
    assert not VettingRequest.objects.filter(case=case, result="pending").exists()
    _submit(page, "vetting", {"on": "2024-05-25", "number": "05-KL/ĐU"})
    expect(page.locator("#vetting .badge.official")).to_have_count(1)  # meets the standard
    assert AdmissionCase.objects.get(pk=case.pk).stage == "vetting"

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
    # before the vote the page warns: over 60, the consent must come before the decision
    box = _open(page, "#step-cell_vote")
    expect(box.locator('[data-code="age.over_max_consent_pending"]')).to_have_count(1)
    _submit(
        page,
        "cell_vote",
        {
            "on": "2024-08-01",
            "expected": "6",
            "present": "6",
            "in_favour": "6",
            "against": "0",
            "resolution_number": "05-NQ/CB",
        },
    )
    assert AdmissionCase.objects.get(pk=case.pk).stage == "cell_voted"
    _submit(
        page,
        "grassroots_vote",
        {"on": "2024-08-15", "expected": "9", "present": "9", "in_favour": "9", "against": "0"},
    )
    # the decision is refused until the consent is recorded; nothing changes
    decision = {"on": "2024-09-05", "number": "125-QĐ/HU", "received_on": "2024-09-09"}
    _submit(page, "decide", decision)
    expect(page.locator('#step-decide .refusal [data-code="consent.missing"]')).to_have_count(1)
    assert AdmissionCase.objects.get(pk=case.pk).stage == "grassroots_voted"

    consent = _open(page, "#form-consent")
    consent.locator("select[name=kind]").select_option("over_max_age")
    consent.locator("[name=number]").fill("345-CV/TU")
    consent.locator("[name=on]").fill("2024-08-28")
    consent.locator("[name=body]").fill("Ban Thường vụ Tỉnh ủy Thử")
    consent.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    needed = page.locator("#consents-needed li[data-kind=over_max_age]")
    assert "345-CV/TU" in needed.inner_text() and "28/08/2024" in needed.inner_text()
    assert Consent.objects.filter(case=case, kind="over_max_age").count() == 1

    _submit(page, "decide", decision)
    case = AdmissionCase.objects.get(pk=case.pk)
    assert case.stage == "decided" and case.decision_on == D(2024, 9, 5)
    assert "125-QĐ/HU" in page.inner_text("main")

    # printing the dossier: each paper of the steps taken, as PDF and DOCX
    for code in (
        "admissions.application",
        "admissions.background_form",
        "admissions.cell_resolution",
        "admissions.admission_decision",
    ):
        for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
            link = page.locator(f"[id='doc-{code}-{fmt}']")
            expect(link).to_have_count(1)
            response = page.request.get(live_server.url + link.get_attribute("href"))
            assert response.status == 200, (code, fmt)
            assert response.body().startswith(magic), (code, fmt)
            if fmt == "docx":
                text = _docx_text(response.body())
                assert "Sầm Thị Lụa".upper() in text.upper(), code
    decision_text = _docx_text(
        page.request.get(
            live_server.url
            + page.locator("[id='doc-admissions.admission_decision-docx']").get_attribute("href")
        ).body()
    )
    assert "125-QĐ/HU" in decision_text
    letter = page.locator("#vetting a", has_text="PDF").first
    response = page.request.get(live_server.url + letter.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
