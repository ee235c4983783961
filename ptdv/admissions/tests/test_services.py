from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase, Decision, StageChange, Vote
from ptdv.admissions.tests.conftest import DATES, ORDER, TODAY, D, drive, good_vote, step
from ptdv.audit.models import AuditEntry
from ptdv.people.models import MembershipEvent

pytestmark = pytest.mark.django_db


def _refused(exc: pytest.ExceptionInfo[Any]) -> list[str]:
    return [f.code for f in exc.value.findings]


@pytest.mark.parametrize("stage", ORDER[1:])
def test_each_transition_logs_stage_change_and_audit(world: Any, stage: str) -> None:
    case = drive(world, stage)
    case.refresh_from_db()
    assert case.stage == stage
    change = StageChange.objects.filter(case=case).order_by("-id").first()
    assert change.to_stage == stage and change.on == DATES[stage]
    assert (
        AuditEntry.objects.filter(
            target_type="admissions.admissioncase",
            target_id=case.pk,
            action__startswith="admissions.case.",
        ).count()
        == ORDER.index(stage) + 1
    )


def test_ceremony_writes_admitted_event_with_decision_date(world: Any) -> None:
    case = drive(world, "probation")
    ev = MembershipEvent.objects.get(person=world.applicant, kind="admitted")
    assert ev.date == D(2024, 9, 20)
    assert ev.decision_date == D(2024, 9, 5)
    assert ev.org_unit == world.tree.cell
    world.applicant.refresh_from_db()
    assert world.applicant.status == "probationary"
    assert world.applicant.party_age_from == D(2024, 9, 5)
    assert case.official_on == D(2025, 9, 20)


def test_recognition_event_dated_official_date_not_decision(world: Any) -> None:
    drive(world, "recognized")
    ev = MembershipEvent.objects.get(person=world.applicant, kind="recognized")
    assert ev.date == D(2025, 9, 20)  # ceremony + 12 months
    assert ev.decision_date == D(2025, 10, 15)
    world.applicant.refresh_from_db()
    assert world.applicant.status == "official"
    assert Decision.objects.filter(kind="recognition").count() == 1


def test_removal_writes_removed_probationary(world: Any) -> None:
    case = drive(world, "probation")
    case = S.removal_decide(
        actor=world.personas.district_officer,
        case=case,
        on=D(2025, 10, 1),
        number="9-QĐ/HU",
        reason="Vi phạm tư cách",
        today=TODAY,
    )
    assert case.stage == "removed"
    assert MembershipEvent.objects.filter(
        person=world.applicant, kind="removed_probationary"
    ).exists()
    world.applicant.refresh_from_db()
    assert world.applicant.status == "removed"


def _unchanged(case: AdmissionCase, stage: str) -> None:
    case.refresh_from_db()
    assert case.stage == stage


def test_out_of_order_step_refused(world: Any) -> None:
    case = drive(world, "application")
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "cell_voted", world.personas.district_officer)
    assert _refused(exc) == ["stage.out_of_order"]
    _unchanged(case, "application")


def test_wrong_role_refused(world: Any) -> None:
    case = drive(world, "grassroots_voted")
    with pytest.raises(S.StepRefusedError) as exc:  # a cell secretary cannot decide
        step(world, case, "decided", world.personas.cell_secretary)
    assert _refused(exc) == ["permission.denied"]
    with pytest.raises(S.StepRefusedError):
        step(world, case, "decided", world.personas.viewer)
    with pytest.raises(S.StepRefusedError):
        step(world, case, "decided", world.personas.sibling_officer)
    _unchanged(case, "grassroots_voted")


def test_cell_secretary_acts_for_own_cell(world: Any) -> None:
    case = drive(world, "awareness_class", actor=world.personas.cell_secretary)
    assert case.stage == "awareness_class"


def test_vote_below_threshold_refused(world: Any) -> None:
    case = drive(world, "introductions_collected")
    with pytest.raises(S.StepRefusedError) as exc:
        S.cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=DATES["cell_voted"],
            counts=S.VoteCounts(6, 6, 3, 3),
            today=TODAY,
        )
    assert _refused(exc) == ["vote.below_threshold"]
    _unchanged(case, "introductions_collected")
    assert not Vote.objects.filter(case=case).exists()


def test_absentees_do_not_reduce_the_denominator(world: Any) -> None:
    case = drive(world, "introductions_collected")
    with pytest.raises(S.StepRefusedError):  # 6 counted, 2 absent, 3 for: 3/6 < 2/3
        S.cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=DATES["cell_voted"],
            counts=S.VoteCounts(6, 4, 3, 1),
            today=TODAY,
        )
    case = S.cell_vote_record(  # 4 of 6 = 2/3 exactly
        actor=world.personas.district_officer,
        case=case,
        on=DATES["cell_voted"],
        counts=S.VoteCounts(6, 4, 4, 0),
        today=TODAY,
    )
    assert case.stage == "cell_voted"


def test_three_failed_votes_escalate(world: Any) -> None:
    case = drive(world, "introductions_collected")
    for i in range(3):
        case = S.cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=DATES["cell_voted"] + dt.timedelta(days=i),
            counts=S.VoteCounts(6, 6, 3, 3),
            record_failure=True,
            today=TODAY,
        )
    case.refresh_from_db()
    assert case.stage == "escalated"
    assert Vote.objects.filter(case=case, passed=False).count() == 3
    case = S.admission_decide(
        actor=world.personas.district_officer,
        case=case,
        on=D(2024, 9, 5),
        number="1-QĐ",
        today=TODAY,
    )
    assert case.stage == "decided"


def test_expired_certificate_refused(world: Any) -> None:
    case = drive(world, "introductions_collected")
    with pytest.raises(S.StepRefusedError) as exc:  # 60 months after 01/03/2024
        S.cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=D(2029, 3, 1),
            counts=good_vote(),
            today=D(2029, 6, 1),
        )
    assert "cert.expired" in _refused(exc)
    _unchanged(case, "introductions_collected")


def test_too_few_introducers_refused(world: Any) -> None:
    case = drive(world, "vetting")
    with pytest.raises(S.StepRefusedError) as exc:
        S.introductions_record(
            actor=world.personas.district_officer,
            case=case,
            on=DATES["introductions_collected"],
            introducers=[S.IntroducerInput(world.members[0], cowork_since=D(2020, 1, 1))],
            today=TODAY,
        )
    assert "introducers.too_few" in _refused(exc)
    _unchanged(case, "vetting")


def test_introducer_with_eleven_months_of_coworking_refused(world: Any) -> None:
    case = drive(world, "vetting")
    on = DATES["introductions_collected"]
    with pytest.raises(S.StepRefusedError) as exc:
        S.introductions_record(
            actor=world.personas.district_officer,
            case=case,
            on=on,
            introducers=[
                S.IntroducerInput(world.members[0], cowork_since=D(2020, 1, 1)),
                S.IntroducerInput(world.members[1], cowork_since=D(2023, 8, 1)),
            ],
            today=TODAY,
        )
    assert "introducers.cowork_too_short" in _refused(exc)


def test_date_before_previous_step_refused(world: Any) -> None:
    case = drive(world, "application")
    with pytest.raises(S.StepRefusedError) as exc:
        S.background_record(
            actor=world.personas.district_officer, case=case, on=D(2024, 3, 15), today=TODAY
        )
    assert _refused(exc) == ["date.before_previous"]
    _unchanged(case, "application")


def test_recognition_before_end_of_probation_refused(world: Any) -> None:
    case = drive(world, "probation")
    with pytest.raises(S.StepRefusedError) as exc:
        S.recognition_cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=D(2025, 9, 19),
            counts=good_vote(),
            today=TODAY,
        )
    assert "probation.not_ended" in _refused(exc)


def test_second_decision_sees_new_stage_and_is_refused(world: Any) -> None:
    case = drive(world, "grassroots_voted")
    stale = AdmissionCase.objects.get(pk=case.pk)
    step(world, case, "decided", world.personas.district_officer)
    with pytest.raises(S.StepRefusedError) as exc:
        S.admission_decide(
            actor=world.personas.district_officer,
            case=stale,
            on=D(2024, 9, 6),
            number="2",
            today=TODAY,
        )
    assert _refused(exc) == ["stage.out_of_order"]
    assert Decision.objects.filter(case=case, kind="admission").count() == 1


def test_reject_by_cell_before_vote(world: Any) -> None:
    case = drive(world, "vetting")
    case = S.case_reject(
        actor=world.personas.cell_secretary,
        case=case,
        on=D(2024, 6, 10),
        reason="Chưa đủ điều kiện",
        today=TODAY,
    )
    assert case.stage == "rejected" and case.closed_on == D(2024, 6, 10)


def test_dossier_item_returned_needs_reason(world: Any) -> None:
    from ptdv.core.errors import DomainError

    case = drive(world, "application")
    with pytest.raises(DomainError):
        S.dossier_item_record(
            actor=world.personas.cell_secretary,
            case=case,
            kind="background",
            status="returned",
            today=TODAY,
        )
    item = S.dossier_item_record(
        actor=world.personas.cell_secretary,
        case=case,
        kind="background",
        status="returned",
        returned_reason="Thiếu trang 3",
        issued_on=D(2024, 4, 2),
        today=TODAY,
    )
    assert item.returned_reason == "Thiếu trang 3"


def test_deadline_after_cell_vote_is_sixty_working_days(world: Any) -> None:
    case = drive(world, "cell_voted")
    assert case.due_kind == "decision"
    # 60 working days after 01/08/2024, with 02/09 and 03/09 National Day off
    assert case.due_on == D(2024, 10, 28)


def test_sources_entry_and_note(world: Any) -> None:
    officer = world.personas.cell_secretary
    sl = S.source_list_get_or_create(actor=officer, org_unit=world.tree.cell, year=2024)
    entry = S.source_entry_add(
        actor=officer,
        source_list=sl,
        person=world.applicant,
        added_on=D(2024, 1, 5),
        helpers=[world.members[0]],
        today=TODAY,
    )
    S.source_note_add(actor=officer, entry=entry, date=D(2024, 2, 1), text="Tích cực", today=TODAY)
    entry.refresh_from_db()
    assert entry.status == "fostered"
    from ptdv.admissions.selectors import sources_for_unit

    assert list(sources_for_unit(world.tree.grassroots, 2024)) == [entry]
    with pytest.raises(Exception):  # noqa: B017 - a non-official helper
        S.source_entry_add(
            actor=officer,
            source_list=sl,
            person=world.members[1],
            added_on=D(2024, 1, 5),
            today=TODAY,
        )


def test_source_entry_withdrawn_only_while_nothing_was_done_with_it(world: Any) -> None:
    from ptdv.admissions.models import SourceEntry
    from ptdv.audit.models import AuditEntry
    from ptdv.core.errors import DomainError

    officer = world.personas.cell_secretary
    sl = S.source_list_get_or_create(actor=officer, org_unit=world.tree.cell, year=2024)

    def add(person: Any, note: str = "") -> Any:
        return S.source_entry_add(
            actor=officer,
            source_list=sl,
            person=person,
            added_on=D(2024, 1, 5),
            helpers=[world.members[0]],
            note=note,
            today=TODAY,
        )

    entry = add(world.applicant, note="Nhập từ tệp")
    with pytest.raises(DomainError):  # a reason is required
        S.source_entry_withdraw(actor=officer, entry=entry, reason=" ")
    with pytest.raises(DomainError):  # another subtree's officer
        S.source_entry_withdraw(actor=world.personas.sibling_officer, entry=entry, reason="x")
    S.source_entry_withdraw(actor=officer, entry=entry, reason="Nhập nhầm")
    assert not SourceEntry.objects.exists()
    audit = AuditEntry.objects.get(action="admissions.source.withdrawn")
    assert audit.data["reason"] == "Nhập nhầm" and audit.data["added_on"] == "2024-01-05"
    entry = add(world.applicant)  # the person can be put on the list again
    S.source_note_add(actor=officer, entry=entry, date=D(2024, 2, 1), text="Tích cực", today=TODAY)
    with pytest.raises(DomainError) as err:
        S.source_entry_withdraw(actor=officer, entry=entry, reason="Nhập nhầm")
    assert err.value.code == "entry_worked_on"
    assert SourceEntry.objects.filter(pk=entry.pk, status="fostered").exists()


def test_decision_vote_of_the_standing_committee_below_half_is_refused(world: Any) -> None:
    """The upper committee's standing committee needs more than half of its members
    (policy key vote.upper_btv.decide); 4 of 8 is not more than half."""
    case = drive(world, "grassroots_voted")
    with pytest.raises(S.StepRefusedError) as exc:
        S.admission_decide(
            actor=world.personas.district_officer,
            case=case,
            on=D(2024, 9, 5),
            number="123-QĐ/HU",
            counts=S.VoteCounts(8, 7, 4, 3),
            today=TODAY,
        )
    assert "vote.below_threshold" in _refused(exc)
    case.refresh_from_db()
    assert case.stage == "grassroots_voted"
    assert not Decision.objects.filter(case=case).exists()
    assert not Vote.objects.filter(case=case, body="upper").exists()


@pytest.mark.parametrize(
    ("received", "code"),
    [(D(2024, 9, 4), "decision.received_before"), (D(2026, 11, 28), "decision.received_future")],
)
def test_decision_received_before_signing_or_after_today_is_refused(
    world: Any, received: dt.date, code: str
) -> None:
    case = drive(world, "grassroots_voted")
    with pytest.raises(S.StepRefusedError) as exc:
        S.admission_decide(
            actor=world.personas.district_officer,
            case=case,
            on=D(2024, 9, 5),
            number="123-QĐ/HU",
            received_on=received,
            today=TODAY,
        )
    assert _refused(exc) == [code]
    case.refresh_from_db()
    assert case.stage == "grassroots_voted"
    assert not Decision.objects.filter(case=case).exists()


def test_decision_vote_of_the_standing_committee_is_recorded(world: Any) -> None:
    case = drive(world, "grassroots_voted")
    case = S.admission_decide(
        actor=world.personas.district_officer,
        case=case,
        on=D(2024, 9, 5),
        number="123-QĐ/HU",
        counts=S.VoteCounts(8, 7, 5, 2),
        today=TODAY,
    )
    assert case.stage == "decided"
    vote = Vote.objects.get(case=case, body="upper")
    assert (vote.expected, vote.present, vote.in_favour, vote.against) == (8, 7, 5, 2)
    assert vote.passed and vote.purpose == "admission"
