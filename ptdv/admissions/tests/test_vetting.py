"""Vetting of the applicant's background (issue 15 point 5): relatives on the person,
requests with their due dates and replies, the conclusion, the cell's vote waiting for
it, overdue requests on the to-do page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ptdv.admissions import services as S
from ptdv.admissions import vetting as V
from ptdv.admissions.models import AdmissionCase, Stage, VettingConclusion, VettingRequest
from ptdv.admissions.tests.conftest import DATES, TODAY, D, drive, good_vote, step
from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError
from ptdv.people import services as P
from ptdv.people.models import Relative

pytestmark = pytest.mark.django_db


def _father(w: Any) -> Relative:
    return P.relative_add(
        actor=None,
        person=w.applicant,
        relation="father",
        full_name="Hoàng Văn Bố",
        birth_year=1970,
        hometown="xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        residence="thôn Nà Pậu, xã Ngọc Phái",
        occupation="Làm ruộng",
        political_history="Không tham gia tổ chức nào",
        today=TODAY,
    )


def _request(w: Any, case: Any, relative: Any = None, **kw: Any) -> VettingRequest:
    args = {
        "actor": w.personas.district_officer,
        "case": case,
        "relative": relative,
        "addressee": "Đảng ủy xã Ngọc Phái",
        "place": "thôn Nà Pậu, xã Ngọc Phái",
        "sent_on": D(2024, 4, 20),
        "due_on": D(2024, 5, 20),
        "number": "12-CV/ĐU",
        "today": TODAY,
    }
    return V.vetting_request_add(**(args | kw))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"relation": "uncle"}, "invalid"),
        ({"full_name": "  "}, "required"),
        ({"birth_year": 1879}, "invalid"),
        ({"birth_year": TODAY.year + 1}, "invalid"),
    ],
)
def test_relative_refused_with_reason_and_nothing_written(world: Any, data: Any, code: str) -> None:
    base = {"relation": "mother", "full_name": "Lường Thị Mẹ", "birth_year": 1972}
    with pytest.raises(DomainError) as exc:
        P.relative_add(actor=None, person=world.applicant, today=TODAY, **(base | data))
    assert exc.value.code == code
    assert not Relative.objects.exists()


def test_relative_boundaries_and_audit(world: Any) -> None:
    for year in (1880, TODAY.year):
        P.relative_add(
            actor=None,
            person=world.applicant,
            relation="child",
            full_name=f"Con {year}",
            birth_year=year,
            today=TODAY,
        )
    assert world.applicant.relatives.count() == 2
    assert AuditEntry.objects.filter(action="people.relative.added").count() == 2


def test_requests_replies_and_the_conclusion(world: Any) -> None:
    case = drive(world, "background_declared")
    father = _father(world)
    assert V.missing_subjects(case) == [world.applicant.full_name, str(father)]
    own = _request(world, case)
    req = _request(world, case, father, number="13-CV/ĐU")
    assert V.missing_subjects(case) == []
    # the conclusion waits for the replies: refused, nothing written
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "vetting", world.personas.district_officer)
    assert exc.value.code == "vetting.pending"
    assert "Hoàng Văn Bố" in exc.value.message
    case.refresh_from_db()
    assert case.stage == Stage.BACKGROUND_DECLARED
    assert not VettingConclusion.objects.exists()
    # replies: not before the request; problems found need a description
    with pytest.raises(DomainError):
        V.vetting_reply_record(
            actor=world.personas.district_officer,
            request=req,
            replied_on=D(2024, 4, 19),
            result="clear",
            today=TODAY,
        )
    with pytest.raises(DomainError) as exc2:
        V.vetting_reply_record(
            actor=world.personas.district_officer,
            request=req,
            replied_on=D(2024, 5, 2),
            result="concern",
            today=TODAY,
        )
    assert exc2.value.field == "note"
    for r in (own, req):
        V.vetting_reply_record(
            actor=world.personas.district_officer,
            request=r,
            replied_on=D(2024, 5, 2),
            result="clear",
            note="Không có vấn đề",
            today=TODAY,
        )
    case = step(world, case, "vetting", world.personas.district_officer)
    assert case.stage == Stage.VETTING
    assert VettingConclusion.objects.get(case=case).date == DATES["vetting"]
    # after the conclusion no more requests
    with pytest.raises(DomainError) as exc3:
        _request(world, case, sent_on=D(2024, 6, 2))
    assert exc3.value.code == "stage.out_of_order"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"sent_on": D(2024, 4, 14)}, "sent_on"),  # before the background form (15/04)
        ({"due_on": D(2024, 4, 19)}, "due_on"),  # due before sent
        ({"addressee": " "}, "addressee"),
    ],
)
def test_request_refused(world: Any, kw: Any, field: str) -> None:
    case = drive(world, "background_declared")
    with pytest.raises(DomainError) as exc:
        _request(world, case, **kw)
    assert exc.value.field == field
    assert not VettingRequest.objects.exists()


def test_request_boundaries(world: Any) -> None:
    case = drive(world, "background_declared")
    r = _request(world, case, sent_on=D(2024, 4, 15), due_on=D(2024, 4, 15))
    assert r.due_on == r.sent_on
    with pytest.raises(DomainError) as exc:
        _request(world, case, sent_on=TODAY + (TODAY - TODAY).__class__(days=1))
    assert exc.value.code == "date.future"


def test_other_persons_relative_refused(world: Any) -> None:
    case = drive(world, "background_declared")
    other = P.relative_add(
        actor=None, person=world.members[0], relation="father", full_name="Ông Khác", today=TODAY
    )
    with pytest.raises(DomainError) as exc:
        _request(world, case, other)
    assert exc.value.field == "relative"


def test_cell_vote_waits_for_the_conclusion(world: Any) -> None:
    case = drive(world, "introductions_collected")
    VettingConclusion.objects.filter(case=case).delete()  # e.g. a case imported without it
    with pytest.raises(S.StepRefusedError) as exc:
        S.cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=DATES["cell_voted"],
            counts=good_vote(),
            today=TODAY,
        )
    assert exc.value.code == "vetting.no_conclusion"
    assert "chưa kết luận" in exc.value.message or "not concluded" in exc.value.message
    assert AdmissionCase.objects.get(pk=case.pk).stage == Stage.INTRODUCTIONS_COLLECTED
    V.conclusion_record(case, on=DATES["vetting"], number="", satisfactory=False, text="x")
    with pytest.raises(S.StepRefusedError) as exc:
        S.cell_vote_record(
            actor=world.personas.district_officer,
            case=case,
            on=DATES["cell_voted"],
            counts=good_vote(),
            today=TODAY,
        )
    assert exc.value.code == "vetting.unfavourable"
    V.conclusion_record(case, on=DATES["vetting"], number="", satisfactory=True, text="")
    case = S.cell_vote_record(
        actor=world.personas.district_officer,
        case=case,
        on=DATES["cell_voted"],
        counts=good_vote(),
        today=TODAY,
    )
    assert case.stage == Stage.CELL_VOTED


def test_overdue_requests_on_the_todo_page(world: Any) -> None:
    case = drive(world, "background_declared")
    late = _request(world, case, due_on=D(2024, 5, 20))
    _request(world, case, _father(world), due_on=TODAY)  # due today: not overdue
    officer = world.personas.district_officer
    assert list(V.overdue_for(user=officer, today=TODAY)) == [late]
    c = Client()
    c.force_login(officer)
    page = c.get("/admissions/todo/").content.decode()
    assert 'id="todo-vetting"' in page and "12-CV/ĐU" in page
    detail = c.get(f"/admissions/cases/{case.uid}/").content.decode()
    assert 'id="vetting"' in detail and "Hoàng Văn Bố" in detail


def test_views_add_request_reply_and_relative(world: Any) -> None:
    case = drive(world, "background_declared")
    c = Client()
    c.force_login(world.personas.district_officer)
    r = c.post(
        f"/people/{world.applicant.uid}/relatives/",
        {"relation": "mother", "full_name": "Lường Thị Mẹ", "birth_year": "1972"},
    )
    assert r.status_code == 302
    mother = world.applicant.relatives.get()
    r = c.post(
        f"/admissions/cases/{case.uid}/vetting/",
        {
            "relative": mother.pk,
            "addressee": "Đảng ủy xã Ngọc Phái",
            "place": "thôn Nà Pậu",
            "number": "20-CV/ĐU",
            "sent_on": "2024-04-20",
            "due_on": "2024-05-20",
        },
    )
    assert r.status_code == 302
    req = VettingRequest.objects.get()
    assert req.relative == mother
    r = c.post(
        f"/admissions/cases/{case.uid}/vetting/{req.uid}/reply/",
        {"replied_on": "2024-05-01", "result": "clear", "note": ""},
    )
    req.refresh_from_db()
    assert req.result == "clear" and req.replied_on == D(2024, 5, 1)
    # a relative named by a request cannot be removed
    c.post(f"/people/{world.applicant.uid}/relatives/", {"remove": str(mother.uid)})
    assert world.applicant.relatives.count() == 1
