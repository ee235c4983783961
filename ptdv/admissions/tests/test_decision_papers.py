"""Admission and recognition cannot be recorded while a required paper is missing, unless
an audited exception with its reason is recorded (issue 15 point 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ptdv.admissions import services as S
from ptdv.admissions.models import DossierItem, PaperException, Stage
from ptdv.admissions.tests.conftest import TODAY, drive, step
from ptdv.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admission_refused_while_a_paper_is_missing_then_exception(world: Any) -> None:
    case = drive(world, "grassroots_voted")
    DossierItem.objects.filter(case=case, kind="comments").delete()
    officer = world.personas.district_officer
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "decided", officer)
    assert [f.code for f in exc.value.findings] == ["papers.missing"]
    assert "06-HD/TW" in exc.value.findings[0].source or "01-HD/TW" in exc.value.findings[0].source
    case.refresh_from_db()
    assert case.stage == Stage.GRASSROOTS_VOTED
    with pytest.raises(S.StepRefusedError):  # a reason is required
        S.paper_exception_record(actor=officer, case=case, kind="comments", reason=" ", today=TODAY)
    with pytest.raises(S.StepRefusedError):  # only the deciding committee
        S.paper_exception_record(
            actor=world.personas.cell_secretary, case=case, kind="comments", reason="x", today=TODAY
        )
    with pytest.raises(S.StepRefusedError):  # not a paper of this decision
        S.paper_exception_record(
            actor=officer, case=case, kind="self_review", reason="x", today=TODAY
        )
    assert not PaperException.objects.exists()
    S.paper_exception_record(
        actor=officer, case=case, kind="comments", reason="Biên bản thất lạc", today=TODAY
    )
    assert step(world, case, "decided", officer).stage == Stage.DECIDED
    entry = AuditEntry.objects.get(action="admissions.case.paper_exception")
    assert entry.data["reason"] == "Biên bản thất lạc"


def test_recognition_refused_without_the_probation_papers(world: Any) -> None:
    case = drive(world, "recognition_grassroots_voted")
    DossierItem.objects.filter(case=case, kind="helper_comment").delete()
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "recognized", world.personas.district_officer)
    assert [f.code for f in exc.value.findings] == ["papers.missing"]
    assert "11-KNĐ" in exc.value.findings[0].message
    S.dossier_item_record(
        actor=world.personas.district_officer,
        case=case,
        kind="helper_comment",
        status="verified",
        issued_on=TODAY,
        today=TODAY,
    )
    assert step(world, case, "recognized", world.personas.district_officer).stage == "recognized"


def test_case_page_lists_missing_papers_and_records_an_exception(client: Any, world: Any) -> None:
    case = drive(world, "grassroots_voted")
    DossierItem.objects.filter(case=case, kind="vetting").delete()
    client.force_login(world.personas.district_officer)
    url = reverse("admissions:case_detail", args=[case.uid])
    page = client.get(url).content.decode()
    assert 'id="step-decide"' in page
    assert 'data-code="papers.missing"' in page.split('id="step-decide"')[1]
    post = reverse("admissions:case_step", args=[case.uid, "paper_exception"])
    assert client.post(post, {"kind": "vetting", "reason": ""}).status_code == 400
    assert (
        client.post(post, {"kind": "vetting", "reason": "Đã thẩm tra trực tiếp"}).status_code == 302
    )
    page = client.get(url).content.decode()
    assert "Đã thẩm tra trực tiếp" in page
    assert 'data-code="papers.waived"' in page
