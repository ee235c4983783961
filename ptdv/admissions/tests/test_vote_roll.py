"""Each cell vote records the roll and the excluded members by name and category."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ptdv.admissions import services as S
from ptdv.admissions.models import Vote, VoteExclusion
from ptdv.admissions.tests.conftest import DATES, TODAY, drive
from ptdv.people.transfers import services as T

pytestmark = pytest.mark.django_db
D = dt.date


def _vote(w: Any, case: Any, expected: int, exclusions: tuple = ()) -> Any:
    return S.cell_vote_record(
        actor=w.personas.district_officer,
        case=case,
        on=DATES["cell_voted"],
        counts=S.VoteCounts(expected, expected, expected, 0, "01-NQ/CB", exclusions=exclusions),
        today=TODAY,
    )


def test_below_the_roll_without_exclusions_is_refused(world: Any) -> None:
    case = drive(world, "introductions_collected")
    roll = S.denominator_of(case.org_unit, DATES["cell_voted"])[0]
    with pytest.raises(S.StepRefusedError) as exc:
        _vote(world, case, roll - 1)
    assert [f.code for f in exc.value.findings] == ["vote.denominator_below_roll"]
    assert "9.3.2" in exc.value.findings[0].source
    assert not Vote.objects.filter(case=case).exists()


def test_exclusions_by_name_and_category_are_recorded(world: Any) -> None:
    case = drive(world, "introductions_collected")
    roll = S.denominator_of(case.org_unit, DATES["cell_voted"])[0]
    gone = world.members[5]
    case = _vote(world, case, roll - 1, ((gone, "suspended"),))
    vote = Vote.objects.get(case=case, body="cell")
    assert vote.roll == roll and vote.expected == roll - 1
    assert list(vote.exclusions.values_list("person_id", "category")) == [(gone.pk, "suspended")]


def test_exclusion_checked_against_the_registry(world: Any) -> None:
    case = drive(world, "introductions_collected")
    roll = S.denominator_of(case.org_unit, DATES["cell_voted"])[0]
    m = world.members[4]
    for category, code in [
        ("temporary_elsewhere", "vote.exclusion_not_temporary"),
        ("exempted_absent", "vote.exclusion_not_exempted"),
    ]:
        with pytest.raises(S.StepRefusedError) as exc:
            _vote(world, case, roll - 1, ((m, category),))
        assert exc.value.findings[0].code == code
    with pytest.raises(S.StepRefusedError) as exc:
        _vote(world, case, roll - 1, ((world.applicant, "suspended"),))
    assert exc.value.findings[0].code == "vote.exclusion_not_on_roll"
    assert not VoteExclusion.objects.exists()


def test_temporary_activity_elsewhere_is_left_out_by_the_registry(world: Any) -> None:
    case = drive(world, "introductions_collected")
    on = DATES["cell_voted"]
    m = world.members[3]
    t = T.transfer_issue(
        actor=None,
        person=m,
        kind="temporary",
        to_unit=world.tree.sibling_cell,
        letter_number="1-GGT",
        letter_date=D(2024, 6, 1),
        today=TODAY,
    )
    T.transfer_confirm(actor=None, transfer=t, received_on=D(2024, 6, 5), today=TODAY)
    roll = S.denominator_of(case.org_unit, on)[0]
    case = _vote(world, case, roll - 1)
    vote = Vote.objects.get(case=case, body="cell")
    assert list(vote.exclusions.values_list("person_id", "category")) == [
        (m.pk, "temporary_elsewhere")
    ]


def test_case_page_vote_form_records_exclusions(client: Any, world: Any) -> None:
    case = drive(world, "introductions_collected")
    on = DATES["cell_voted"]
    roll = S.denominator_of(case.org_unit, on)[0]
    client.force_login(world.personas.district_officer)
    url = reverse("admissions:case_step", args=[case.uid, "cell_vote"])
    data = {"on": on.isoformat(), "present": roll - 1, "in_favour": roll - 1, "against": 0}
    bad = client.post(url, {**data, "expected": roll - 1})
    assert bad.status_code == 400
    assert b'data-code="vote.denominator_below_roll"' in bad.content
    ok = client.post(
        url, {**data, "expected": roll - 1, "excluded_detained": [world.members[5].pk]}
    )
    assert ok.status_code == 302
    page = client.get(reverse("admissions:case_detail", args=[case.uid])).content.decode()
    assert world.members[5].full_name in page.split('class="vote-roll"')[1]
