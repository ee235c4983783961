"""Refusals and decisions cite the regulation in force on the date of the step, on both
sides of 01/07/2025 (294-QĐ/TW, 06-HD/TW) — issue 15 point 4, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.admissions import checks
from ptdv.admissions import services as S
from ptdv.admissions.models import Decision, DossierItem
from ptdv.admissions.tests.conftest import TODAY, good_vote

pytestmark = pytest.mark.django_db
D = dt.date
BEFORE, ON = D(2025, 6, 30), D(2025, 7, 1)


def _case_voted_in_june(w: Any) -> Any:
    a, t = w.personas.district_officer, TODAY
    case = S.case_open(
        actor=a,
        person=w.applicant,
        cell=w.tree.cell,
        opened_on=D(2025, 1, 2),
        unit_has_youth_union=False,
        today=t,
    )
    case = S.certificate_record(actor=a, case=case, issued_on=D(2025, 1, 5), today=t)
    case = S.application_record(actor=a, case=case, on=D(2025, 1, 10), today=t)
    case = S.background_record(actor=a, case=case, on=D(2025, 1, 15), today=t)
    case = S.vetting_record(actor=a, case=case, on=D(2025, 2, 1), today=t)
    intros = [S.IntroducerInput(m, cowork_since=D(2022, 1, 1)) for m in w.members[:2]]
    case = S.introductions_record(
        actor=a, case=case, on=D(2025, 3, 1), introducers=intros, comments_on=D(2025, 3, 1), today=t
    )
    case = S.cell_vote_record(actor=a, case=case, on=D(2025, 6, 2), counts=good_vote(), today=t)
    return S.grassroots_vote_record(
        actor=a, case=case, on=D(2025, 6, 10), counts=S.VoteCounts(9, 9, 9, 0, "1"), today=t
    )


def test_refusals_and_the_decision_cite_the_rule_set_of_the_day(world: Any) -> None:
    case = _case_voted_in_june(world)
    a = world.personas.district_officer
    assert case.policy_code == "2025-01"  # the cell voted under 232-QĐ/TW
    DossierItem.objects.filter(case=case, kind="comments").delete()
    cited = {}
    for day in (BEFORE, ON):
        with pytest.raises(S.StepRefusedError) as exc:
            S.admission_decide(actor=a, case=case, on=day, number="9-QĐ", today=TODAY)
        (finding,) = exc.value.findings
        assert finding.code == "papers.missing"
        assert finding.source == checks.policy_on(day).source(
            "dossier.required_for_admission_decision"
        )
        cited[day] = finding.source
        with pytest.raises(S.StepRefusedError) as exc:  # a procedural refusal too
            S.ceremony_record(actor=a, case=case, on=day, today=TODAY)
        assert exc.value.findings[0].source == checks.policy_on(day).title
    assert "01-HD/TW" in cited[BEFORE] and "06-HD/TW" not in cited[BEFORE]
    assert "06-HD/TW" in cited[ON]
    S.dossier_item_record(
        actor=a, case=case, kind="comments", status="received", issued_on=D(2025, 3, 1), today=TODAY
    )
    S.admission_decide(actor=a, case=case, on=ON, number="9-QĐ", today=TODAY)
    basis = Decision.objects.get(case=case, kind="admission").legal_basis
    assert "294-QĐ/TW" in basis and "4.3.1" in basis


def test_certificate_valid_until_is_stored_as_the_last_valid_day(world: Any) -> None:
    case = _case_voted_in_june(world)
    item = DossierItem.objects.get(case=case, kind="awareness_certificate")
    assert item.issued_on == D(2025, 1, 5)
    assert item.valid_until == D(2030, 1, 4)
