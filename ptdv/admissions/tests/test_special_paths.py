"""Over-60 and village-elder paths through the services and the case page (issue 15.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ptdv.admissions import services as S
from ptdv.admissions.areas import area_flag_confirm
from ptdv.admissions.models import Consent, Stage
from ptdv.admissions.tests.conftest import DATES, TODAY, drive, step
from ptdv.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
D = dt.date
OLD = D(1960, 5, 1)
CONSENT_ON = D(2024, 8, 20)


def _old(world: Any, born: dt.date = OLD) -> None:
    world.applicant.date_of_birth = born
    world.applicant.save(update_fields=["date_of_birth"])


def _consent(w: Any, case: Any, kind: str = "over_max_age", on: dt.date = CONSENT_ON) -> Any:
    return S.consent_record(
        actor=w.personas.district_officer,
        case=case,
        kind=kind,
        number="15-CV/TU",
        on=on,
        body="Ban Thường vụ Tỉnh ủy",
        today=TODAY,
    )


def test_over_60_blocks_at_the_decision_until_the_consent_is_recorded(world: Any) -> None:
    _old(world)
    case = drive(world, "grassroots_voted")  # the cell voted with a warning (consent pending)
    officer = world.personas.district_officer
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "decided", officer)
    assert [f.code for f in exc.value.findings] == ["consent.missing"]
    assert "1.1.2" in exc.value.findings[0].source
    case.refresh_from_db()
    assert case.stage == Stage.GRASSROOTS_VOTED
    _consent(world, case)
    case = step(world, case, "decided", officer)
    assert case.stage == Stage.DECIDED
    assert AuditEntry.objects.filter(action="admissions.case.consent").count() == 1
    assert case.dossier.filter(kind="provincial_consent").exists()


def test_consent_dated_after_the_decision_is_refused(world: Any) -> None:
    _old(world)
    case = drive(world, "grassroots_voted")
    _consent(world, case, on=DATES["decided"] + dt.timedelta(days=1))
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "decided", world.personas.district_officer)
    assert [f.code for f in exc.value.findings] == ["consent.after_decision"]


def test_village_elder_is_not_a_consent(world: Any) -> None:
    """The old check counted "village elder" as the consent itself."""
    world.applicant.education_general = "literate"
    world.applicant.save(update_fields=["education_general"])
    case = drive(world, "introductions_collected")
    case.special_area = True
    case.save(update_fields=["special_area"])
    officer = world.personas.district_officer
    # no decision lists the applicant's residence: the cell's flag counts once confirmed
    area_flag_confirm(actor=officer, case=case, reason="Thôn vùng cao, xác nhận", today=TODAY)
    with pytest.raises(S.StepRefusedError):  # not an elder: below the special-area minimum
        step(world, case, "cell_voted", officer)
    with pytest.raises(S.StepRefusedError) as exc:  # consent for a path not recorded
        _consent(world, case, kind="village_elder")
    assert exc.value.findings[0].code == "consent.not_village_elder"
    S.special_path_set(actor=officer, case=case, role="village_elder", today=TODAY)
    case = step(world, case, "cell_voted", officer)  # pending consent: a warning only
    case = step(world, case, "grassroots_voted", officer)
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "decided", officer)
    assert exc.value.findings[0].code == "consent.missing"
    _consent(world, case, kind="village_elder")
    assert step(world, case, "decided", officer).stage == Stage.DECIDED


def test_consent_refusals_change_nothing(world: Any) -> None:
    case = drive(world, "vetting")
    with pytest.raises(S.StepRefusedError) as exc:
        S.consent_record(
            actor=world.personas.district_officer,
            case=case,
            kind="over_max_age",
            number=" ",
            on=TODAY + dt.timedelta(days=1),
            body="",
            today=TODAY,
        )
    assert {f.code for f in exc.value.findings} == {
        "consent.number_missing",
        "consent.body_missing",
        "date.future",
    }
    assert not Consent.objects.exists()
    with pytest.raises(S.StepRefusedError):
        S.consent_record(
            actor=world.personas.viewer,
            case=case,
            kind="over_max_age",
            number="1",
            on=TODAY,
            body="x",
            today=TODAY,
        )
    with pytest.raises(S.StepRefusedError):
        S.special_path_set(
            actor=world.personas.district_officer, case=case, role="wizard", today=TODAY
        )


def test_case_page_lists_the_missing_consent_and_records_it(client: Any, world: Any) -> None:
    _old(world)
    case = drive(world, "grassroots_voted")
    client.force_login(world.personas.district_officer)
    url = reverse("admissions:case_detail", args=[case.uid])
    page = client.get(url).content.decode()
    assert 'id="consents-needed"' in page and 'data-kind="over_max_age"' in page
    assert "bad" in page.split('data-kind="over_max_age"')[1].split("</li>")[0]
    post = reverse("admissions:case_step", args=[case.uid, "consent"])
    bad = client.post(post, {"kind": "over_max_age", "number": "", "on": "2024-08-20", "body": "x"})
    assert bad.status_code == 400 and not Consent.objects.exists()
    ok = client.post(
        post,
        {"kind": "over_max_age", "number": "15-CV/TU", "on": "2024-08-20", "body": "BTV Tỉnh ủy"},
    )
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "15-CV/TU" in page
    path = reverse("admissions:case_step", args=[case.uid, "special_path"])
    assert client.post(path, {"role": "prestigious_person"}).status_code == 302
    case.refresh_from_db()
    assert case.village_elder and case.village_elder_role == "prestigious_person"
