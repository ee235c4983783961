"""The admission cases through the REST API: scoped reads, filters, every step of the case
page through the same services, refusals with their findings, and nothing changed on error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
    Decision,
    DossierItem,
    Introduction,
    StageChange,
    Vote,
)
from ptdv.admissions.tests.conftest import DATES, D, World, drive, make_member
from ptdv.audit.models import AuditEntry
from ptdv.exchange.tokens import token_create
from ptdv.people.models import MembershipEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/admission-cases/"


@pytest.fixture
def world(tree: Any, personas: Any) -> World:
    """Six official members in the cell and an applicant (as in the admission tests)."""
    from ptdv.people.services import person_create

    members = [make_member(tree, f"Đảng Viên {i}") for i in range(6)]
    applicant = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Hoàng Văn Quần",
        date_of_birth=D(2000, 1, 15),
        gender="male",
        education_general="upper_secondary",
        audit=False,
    )
    return World(tree, personas, members, applicant)


def _auth(user: Any) -> dict[str, str]:
    _t, key = token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _post(client: Any, url: str, body: Any, auth: dict[str, str]) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **auth)


def _step(client: Any, case: Any, step: str, body: Any, auth: dict[str, str]) -> Any:
    return _post(client, f"{BASE}{case.uid}/steps/{step}/", body, auth)


def _masses(tree: Any, name: str, cell: Any = None) -> Any:
    from ptdv.people.services import person_create

    return person_create(
        actor=None,
        org_unit=cell or tree.cell,
        full_name=name,
        date_of_birth=D(1999, 6, 1),
        gender="female",
        education_general="upper_secondary",
        audit=False,
    )


def _snapshot(case: AdmissionCase) -> tuple[Any, ...]:
    row = AdmissionCase.objects.get(pk=case.pk)
    return (
        row.stage,
        row.stage_on,
        row.failed_votes,
        row.updated_at,
        Vote.objects.count(),
        Decision.objects.count(),
        DossierItem.objects.count(),
        Introduction.objects.filter(active=True).count(),
        StageChange.objects.count(),
        AuditEntry.objects.exclude(action__startswith="exchange.token.").count(),
        MembershipEvent.objects.count(),
    )


# --- reads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("cell_secretary", True),
        ("district_officer", True),
        ("viewer", True),
        ("sibling_officer", False),
        ("centre_staff", None),  # no admissions permission anywhere: the gate's 403
    ],
)
def test_list_and_detail_follow_the_scope(
    client: Any, world: World, persona: str, visible: bool | None
) -> None:
    case = drive(world, "cell_voted")
    auth = _auth(getattr(world.personas, persona))
    listed = client.get(BASE, **auth)
    if visible is None:
        for url in (BASE, f"{BASE}{case.uid}/", f"{BASE}{case.uid}/steps/"):
            r = client.get(url, **auth)
            assert r.status_code == 403 and r.json()["code"] == "forbidden", url
        return
    assert listed.status_code == 200
    assert [c["uid"] for c in listed.json()["results"]] == ([str(case.uid)] if visible else [])
    detail = client.get(f"{BASE}{case.uid}/", **auth)
    steps = client.get(f"{BASE}{case.uid}/steps/", **auth)
    if visible:
        assert detail.status_code == 200 and detail.json()["stage"] == "cell_voted"
        assert steps.status_code == 200
    else:
        assert detail.status_code == 404 and detail.json()["code"] == "not_found"
        assert steps.status_code == 404


def test_detail_gives_the_whole_case(client: Any, world: World) -> None:
    case = drive(world, "probation")
    body = client.get(f"{BASE}{case.uid}/", **_auth(world.personas.district_officer)).json()
    assert body["person"] == {"uid": str(world.applicant.uid), "full_name": "Hoàng Văn Quần"}
    assert (body["org_code"], body["grassroots_code"], body["deciding_unit_code"]) == (
        "A-X-1",
        "A-X",
        "A",
    )
    assert body["stage"] == "probation" and body["is_open"] is True
    dates = body["dates"]
    assert dates["opened_on"] == "2024-01-10"
    assert dates["cell_vote_on"] == str(DATES["cell_voted"])
    assert dates["decision_on"] == str(DATES["decided"])
    assert dates["decision_received_on"] == "2024-09-09"
    assert dates["ceremony_on"] == str(DATES["probation"])
    assert dates["official_on"] == "2025-09-20"
    assert [(v["body"], v["in_favour"], v["passed"]) for v in body["votes"]] == [
        ("cell", 6, True),
        ("grassroots", 8, True),
    ]
    assert [(d["kind"], d["number"], d["deciding_unit"]) for d in body["decisions"]] == [
        ("admission", "123-QĐ/HU", "A")
    ]
    assert sorted(i["full_name"] for i in body["introducers"]) == ["Đảng Viên 0", "Đảng Viên 1"]
    dossier = {row["kind"]: row for row in body["dossier"]}
    assert dossier["awareness_certificate"]["status"] == "verified"
    assert dossier["awareness_certificate"]["number"] == "GCN-1"
    assert dossier["decision"]["status"] == "received"
    assert dossier["self_review"]["status"] == "missing"  # recognition checklist after ceremony
    assert dossier["self_review"]["number"] is None
    assert {d["kind"] for d in body["deadlines"]} == {"recognition_review", "member_record"}
    assert all(d["label"] for d in body["deadlines"])
    assert body["policy"]["code"] == case.policy_code and body["policy"]["title"]
    assert [h["to_stage"] for h in body["history"]][:3] == [
        "source_list",
        "awareness_class",
        "application",
    ]
    steps = {s["step"]: s["allowed"] for s in body["next_steps"]}
    assert steps == {
        "recognition_cell_vote": True,
        "remove": True,
        "member_record": True,
        "dossier": True,
    }


def test_steps_say_what_the_user_may_take(client: Any, world: World) -> None:
    case = drive(world, "grassroots_voted")
    url = f"{BASE}{case.uid}/steps/"
    officer = client.get(url, **_auth(world.personas.district_officer)).json()
    assert {s["step"]: s["allowed"] for s in officer} == {
        "decide": True,
        "reject": True,
        "dossier": True,
    }
    secretary = client.get(url, **_auth(world.personas.cell_secretary)).json()
    assert {s["step"]: s["allowed"] for s in secretary} == {
        "decide": False,  # the competent committee decides
        "reject": False,  # after the cell's vote only the committee stops the case
        "dossier": True,
    }
    viewer = client.get(url, **_auth(world.personas.viewer)).json()
    assert not any(s["allowed"] for s in viewer)
    assert all(s["label"] for s in viewer)


def test_list_filters_and_pagination(client: Any, world: World) -> None:
    officer = world.personas.district_officer
    decided = drive(world, "decided")
    other = _masses(world.tree, "Lò Thị Hoa", world.tree.other_cell)
    opened = S.case_open(
        actor=officer, person=other, cell=world.tree.other_cell, opened_on=D(2025, 2, 1)
    )
    sib = _masses(world.tree, "Trần Thị Bình", world.tree.sibling_cell)
    S.case_open(
        actor=world.personas.sibling_officer,
        person=sib,
        cell=world.tree.sibling_cell,
        opened_on=D(2025, 2, 1),
    )
    auth = _auth(officer)

    def uids(query: str) -> list[str]:
        r = client.get(f"{BASE}?{query}", **auth)
        assert r.status_code == 200, r.json()
        return [c["uid"] for c in r.json()["results"]]

    both = sorted([str(decided.uid), str(opened.uid)])
    assert sorted(uids("")) == both
    assert uids("org=A-X-2") == [str(opened.uid)]
    assert sorted(uids("org=A-X")) == both
    assert uids("stage=decided") == [str(decided.uid)]
    assert uids(f"person={other.uid}") == [str(opened.uid)]
    assert uids("opened_from=2025-01-01") == [str(opened.uid)]
    assert uids("opened_to=2024-12-31") == [str(decided.uid)]
    assert uids("decided_from=2024-09-01&decided_to=2024-09-30") == [str(decided.uid)]
    assert uids("decided_from=2024-10-01") == []
    assert uids("q=lo thi") == [str(opened.uid)]
    assert sorted(uids("open=true")) == both
    assert uids("open=false") == []
    first = client.get(f"{BASE}?page_size=1", **auth).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    second = client.get(f"{BASE}?page_size=1&page=2", **auth).json()
    assert {first["results"][0]["uid"], second["results"][0]["uid"]} == set(both)
    # another subtree's organization is a 404, a bad value a 400 naming the parameter
    assert client.get(f"{BASE}?org=B", **auth).status_code == 404
    for query, field in [
        ("stage=nope", "stage"),
        ("person=not-a-uuid", "person"),
        ("opened_from=2024-02-30", "opened_from"),
        ("decided_from=2025-01-01&decided_to=2024-01-01", "decided_from"),
        ("open=maybe", "open"),
    ]:
        r = client.get(f"{BASE}?{query}", **auth)
        assert r.status_code == 400 and r.json()["field"] == field, query


# --- the whole procedure through the API -------------------------------------------------


def test_happy_path_from_opening_to_recognition(client: Any, world: World) -> None:
    auth = _auth(world.personas.district_officer)
    r = _post(
        client,
        BASE,
        {
            "person": str(world.applicant.uid),
            "opened_on": "2024-01-10",
            "unit_has_youth_union": False,
        },
        auth,
    )
    assert r.status_code == 201, r.json()
    case = AdmissionCase.objects.get(uid=r.json()["uid"])
    assert r.json()["stage"] == "source_list" and r.json()["org_code"] == "A-X-1"
    m0, m1 = world.members[:2]
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("certificate", {"on": "2024-03-01", "number": "GCN-1"}, "awareness_class"),
        ("application", {"on": "2024-04-01", "note": "Đơn viết tay"}, "application"),
        ("background", {"on": "2024-04-15"}, "background_declared"),
        ("vetting", {"on": "2024-06-01", "number": "TT-1"}, "vetting"),
        (
            "introductions",
            {
                "on": "2024-07-01",
                "introducers": [
                    {"person": str(m0.uid), "cowork_since": "2022-01-01"},
                    {"person": str(m1.uid), "cowork_since": "2022-01-01"},
                ],
                "comments_on": "2024-07-01",
            },
            "introductions_collected",
        ),
        (
            "cell_vote",
            {
                "on": "2024-08-01",
                "expected": 6,
                "present": 6,
                "in_favour": 6,
                "against": 0,
                "resolution_number": "01-NQ/CB",
            },
            "cell_voted",
        ),
        (
            "grassroots_vote",
            {"on": "2024-08-15", "expected": 9, "present": 9, "in_favour": 8, "against": 1},
            "grassroots_voted",
        ),
        (
            "decide",
            {
                "on": "2024-09-05",
                "number": "123-QĐ/HU",
                "signer": "Nguyễn Văn Ký",
                "received_on": "2024-09-09",
                "vote": {"expected": 11, "present": 10, "in_favour": 9, "against": 1},
            },
            "decided",
        ),
        ("ceremony", {"on": "2024-09-20"}, "probation"),
        ("member_record", {"on": "2024-10-01"}, "probation"),
        *(
            (
                "dossier",
                {"kind": kind, "status": "received", "received_on": "2025-09-01"},
                "probation",
            )
            for kind in ("self_review", "helper_comment", "recognition_comments")
        ),
        (
            "recognition_cell_vote",
            {"on": "2025-09-25", "expected": 6, "present": 6, "in_favour": 6, "against": 0},
            "recognition_cell_voted",
        ),
        (
            "recognition_grassroots_vote",
            {"on": "2025-10-02", "expected": 9, "present": 9, "in_favour": 9, "against": 0},
            "recognition_grassroots_voted",
        ),
        ("recognize", {"on": "2025-10-15", "number": "456-QĐ/HU"}, "recognized"),
    ]
    for name, body, stage in steps:
        r = _step(client, case, name, body, auth)
        assert r.status_code == 200, (name, r.json())
        assert r.json()["stage"] == stage, name
    final = r.json()
    assert final["is_open"] is False and final["next_steps"] == [
        {"step": "dossier", "label": final["next_steps"][0]["label"], "allowed": True}
    ]
    assert final["dates"]["member_record_on"] == "2024-10-01"
    assert final["dates"]["official_on"] == "2025-09-20"
    assert [d["kind"] for d in final["decisions"]] == ["admission", "recognition"]
    assert [v["body"] for v in final["votes"]] == [
        "cell",
        "grassroots",
        "upper",
        "cell",
        "grassroots",
    ]
    dossier = {row["kind"]: row["status"] for row in final["dossier"]}
    assert dossier["self_review"] == "received"
    assert dossier["recognition_decision"] == "received"
    world.applicant.refresh_from_db()
    assert world.applicant.status == "official"
    assert world.applicant.party_age_from == D(2024, 9, 5)
    kinds = list(
        MembershipEvent.objects.filter(person=world.applicant)
        .order_by("date")
        .values_list("kind", flat=True)
    )
    assert kinds == ["admitted", "recognized"]
    # every transition is in the case's history, with the token's user as the actor
    changes = StageChange.objects.filter(case=case).order_by("id")
    assert [c.to_stage for c in changes] == ["source_list"] + [
        stage for name, _b, stage in steps if name not in {"member_record", "dossier"}
    ]
    assert {c.actor for c in changes} == {world.personas.district_officer}
    assert (
        AuditEntry.objects.filter(action="admissions.dossier.recorded").count() == 3
    )  # the three probation papers


def test_reject_and_remove_through_the_api(client: Any, world: World) -> None:
    auth = _auth(world.personas.district_officer)
    case = drive(world, "vetting")
    r = _step(client, case, "reject", {"on": "2024-06-15", "reason": "Tự rút đơn"}, auth)
    assert r.status_code == 200 and r.json()["stage"] == "rejected"
    assert r.json()["dates"]["closed_on"] == "2024-06-15"
    other = _masses(world.tree, "Lò Văn Sáng")
    world.applicant = other
    case2 = drive(world, "probation")
    r = _step(
        client,
        case2,
        "remove",
        {"on": "2025-03-01", "number": "9-QĐ/HU", "reason": "Vi phạm tư cách"},
        auth,
    )
    assert r.status_code == 200 and r.json()["stage"] == "removed"
    other.refresh_from_db()
    assert other.status == "removed"


def test_sub_committee_step_where_there_is_one(client: Any, world: World) -> None:
    """A cell under a sub-committee: the page offers the sub-committee's appraisal."""
    from ptdv.organizations.services import org_unit_create

    sub = org_unit_create(
        actor=None,
        code="A-X-S",
        name="Đảng bộ bộ phận thôn",
        kind="sub_committee",
        parent=world.tree.grassroots,
        valid_from=D(2000, 1, 1),
    )
    cell = org_unit_create(
        actor=None,
        code="A-X-S-1",
        name="Chi bộ xóm Trên",
        kind="cell",
        parent=sub,
        valid_from=D(2000, 1, 1),
    )
    officer = world.personas.district_officer
    world.members = [make_member(world.tree, f"Đảng Viên S{i}", cell=cell) for i in range(6)]
    world.applicant = _masses(world.tree, "Vàng Thị Mai", cell)
    world.tree.cell = cell
    case = drive(world, "cell_voted", actor=officer)
    auth = _auth(officer)
    steps = [s["step"] for s in client.get(f"{BASE}{case.uid}/steps/", **auth).json()]
    assert "sub_committee" in steps
    r = _step(client, case, "sub_committee", {"on": "2024-08-05", "number": "7-KNĐ/1"}, auth)
    assert r.status_code == 200 and r.json()["stage"] == "partial_committee_appraised"
    # the sub-committee step takes no note: an unknown field for it
    r = _step(client, case, "sub_committee", {"on": "2024-08-06", "note": "x"}, auth)
    assert r.status_code == 400 and r.json()["field"] == "note"


# --- refusals, permissions, bad input ----------------------------------------------------


def test_vote_under_two_thirds_is_refused_with_findings(client: Any, world: World) -> None:
    case = drive(world, "introductions_collected")
    auth = _auth(world.personas.district_officer)
    before = _snapshot(case)
    vote = {"on": "2024-08-01", "expected": 6, "present": 6, "in_favour": 3, "against": 3}
    r = _step(client, case, "cell_vote", vote, auth)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "step_refused" and body["message"]
    codes = [f["code"] for f in body["findings"]]
    assert "vote.below_threshold" in codes
    assert all(set(f) == {"code", "message", "source", "severity"} for f in body["findings"])
    assert any(f["source"] for f in body["findings"])  # the legal basis is given
    assert _snapshot(case) == before
    # recording the failed attempt on purpose is a success that keeps the stage
    r = _step(client, case, "cell_vote", {**vote, "record_failure": True}, auth)
    assert r.status_code == 200
    assert r.json()["stage"] == "introductions_collected" and r.json()["failed_votes"] == 1
    assert [v["passed"] for v in r.json()["votes"]] == [False]


def test_out_of_order_and_future_dates_are_refused(client: Any, world: World) -> None:
    case = drive(world, "application")
    auth = _auth(world.personas.district_officer)
    before = _snapshot(case)
    r = _step(client, case, "ceremony", {"on": "2024-05-01"}, auth)
    assert r.status_code == 400 and r.json()["findings"][0]["code"] == "stage.out_of_order"
    r = _step(client, case, "background", {"on": "2024-03-01"}, auth)
    assert r.json()["findings"][0]["code"] == "date.before_previous"
    r = _step(client, case, "background", {"on": "2099-01-01"}, auth)
    assert r.status_code == 400 and r.json()["findings"][0]["code"] == "date.future"
    r = _step(client, case, "member_record", {"on": "2024-05-01"}, auth)
    assert r.status_code == 400 and r.json()["code"] == "step_refused"
    r = _step(client, case, "dossier", {"kind": "vetting", "status": "returned"}, auth)
    assert r.status_code == 400 and r.json()["field"] == "returned_reason"
    assert _snapshot(case) == before


def test_introducer_refusals(client: Any, world: World) -> None:
    case = drive(world, "vetting")
    auth = _auth(world.personas.district_officer)
    stranger = make_member(world.tree, "Đảng Viên Khác", cell=world.tree.sibling_cell)
    before = _snapshot(case)
    one = [{"person": str(world.members[0].uid), "cowork_since": "2022-01-01"}]
    r = _step(client, case, "introductions", {"on": "2024-07-01", "introducers": one}, auth)
    assert r.status_code == 400 and r.json()["code"] == "step_refused"
    assert r.json()["findings"]
    r = _step(client, case, "introductions", {"on": "2024-07-01", "introducers": one * 2}, auth)
    assert r.status_code == 400
    assert "introducers.duplicate" in [f["code"] for f in r.json()["findings"]]
    r = _step(
        client,
        case,
        "introductions",
        {"on": "2024-07-01", "introducers": [*one, {"person": str(stranger.uid)}]},
        auth,
    )
    assert r.status_code == 400 and r.json()["field"] == "introducers.1.person"
    r = _step(
        client,
        case,
        "introductions",
        {"on": "2024-07-01", "introducers": [*one, {"person": str(world.applicant.uid)}]},
        auth,
    )
    assert r.status_code == 400 and r.json()["field"] == "introducers.1.person"
    assert _snapshot(case) == before


def test_viewer_reads_but_cannot_write(client: Any, world: World) -> None:
    case = drive(world, "vetting")
    viewer = _auth(world.personas.viewer)
    before = _snapshot(case)
    assert client.get(f"{BASE}{case.uid}/", **viewer).status_code == 200
    r = _step(client, case, "introductions", {"on": "2024-07-01"}, viewer)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = _step(client, case, "dossier", {"kind": "vetting", "status": "verified"}, viewer)
    assert r.status_code == 403
    other = _masses(world.tree, "Lò Văn Sáng")
    r = _post(client, BASE, {"person": str(other.uid), "opened_on": "2025-01-01"}, viewer)
    assert r.status_code == 403
    assert _snapshot(case) == before
    assert AdmissionCase.objects.count() == 1


def test_cell_secretary_may_not_decide(client: Any, world: World) -> None:
    case = drive(world, "grassroots_voted")
    before = _snapshot(case)
    r = _step(
        client,
        case,
        "decide",
        {"on": "2024-09-05", "number": "1-QĐ"},
        _auth(world.personas.cell_secretary),
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert _snapshot(case) == before


def test_another_subtree_is_a_404(client: Any, world: World) -> None:
    case = drive(world, "vetting")
    sibling = _auth(world.personas.sibling_officer)
    before = _snapshot(case)
    r = _step(client, case, "introductions", {"on": "2024-07-01"}, sibling)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    other = _masses(world.tree, "Lò Văn Sáng")
    r = _post(client, BASE, {"person": str(other.uid), "opened_on": "2025-01-01"}, sibling)
    assert r.status_code == 400 and r.json()["field"] == "person"
    assert _snapshot(case) == before
    assert AdmissionCase.objects.count() == 1
    r = _step(client, case, "no_such_step", {}, _auth(world.personas.district_officer))
    assert r.status_code == 404


def test_open_case_refusals(client: Any, world: World) -> None:
    auth = _auth(world.personas.district_officer)
    member = world.members[0]
    r = _post(client, BASE, {"person": str(member.uid), "opened_on": "2025-01-01"}, auth)
    assert r.status_code == 400 and r.json()["code"] == "not_masses"
    body = {"person": str(world.applicant.uid), "opened_on": "2025-01-01"}
    assert _post(client, BASE, body, auth).status_code == 201
    r = _post(client, BASE, body, auth)
    assert r.status_code == 400 and r.json()["code"] == "open_case"
    r = _post(client, BASE, {**body, "opened_on": "2099-01-01"}, auth)
    assert r.status_code == 400 and r.json()["field"] == "opened_on"
    assert AdmissionCase.objects.count() == 1


BAD_BODIES: list[tuple[str, Any, str | None]] = [
    ("cell_vote", "{not json", None),
    ("cell_vote", "[1, 2]", None),
    ("cell_vote", "null", None),
    ("cell_vote", '"text"', None),
    ("cell_vote", {"on": "2024-08-01", "expected": 6, "present": 6, "in_favour": 6}, "against"),
    (
        "cell_vote",
        {"on": "2024-08-01", "expected": 6, "present": 6, "in_favour": 6, "against": 0, "extra": 1},
        "extra",
    ),
    (
        "cell_vote",
        {"on": "2024-08-01", "expected": 10**30, "present": 6, "in_favour": 6, "against": 0},
        "expected",
    ),
    (
        "cell_vote",
        {"on": "2024-08-01", "expected": -1, "present": 6, "in_favour": 6, "against": 0},
        "expected",
    ),
    (
        "cell_vote",
        {"on": "2024-08-01", "expected": "six", "present": 6, "in_favour": 6, "against": 0},
        "expected",
    ),
    (
        "cell_vote",
        {"on": "2024-08-01", "expected": 6.5, "present": 6, "in_favour": 6, "against": 0},
        "expected",
    ),
    (
        "cell_vote",
        {
            "on": "2024-08-01",
            "expected": 6,
            "present": 6,
            "in_favour": 6,
            "against": 0,
            "record_failure": "perhaps",
        },
        "record_failure",
    ),
    (
        "cell_vote",
        {"on": "2024-02-30", "expected": 6, "present": 6, "in_favour": 6, "against": 0},
        "on",
    ),
    (
        "cell_vote",
        {"on": 20240801, "expected": 6, "present": 6, "in_favour": 6, "against": 0},
        "on",
    ),
    (
        "cell_vote",
        {"on": "0001-01-01", "expected": 6, "present": 6, "in_favour": 6, "against": 0},
        "on",
    ),
    (
        "cell_vote",
        {"on": "9999-12-31", "expected": 6, "present": 6, "in_favour": 6, "against": 0},
        "on",
    ),
    (
        "cell_vote",
        {"on": "2024-08-01T10:00:00", "expected": 6, "present": 6, "in_favour": 6, "against": 0},
        "on",
    ),
    (
        "cell_vote",
        {"on": "2024-08-01\u0000", "expected": 6, "present": 6, "in_favour": 6, "against": 0},
        "on",
    ),
    (
        "cell_vote",
        {
            "on": "2024-08-01",
            "expected": 6,
            "present": 6,
            "in_favour": 6,
            "against": 0,
            "resolution_number": "01\u0000NQ",
        },
        "resolution_number",
    ),
    (
        "cell_vote",
        {
            "on": "2024-08-01",
            "expected": 6,
            "present": 6,
            "in_favour": 6,
            "against": 0,
            "resolution_number": "x" * 61,
        },
        "resolution_number",
    ),
    ("decide", {"on": "2024-09-05", "number": ""}, "number"),
    ("decide", {"on": "2024-09-05", "number": "1", "vote": {"expected": 1}}, "vote.present"),
    (
        "decide",
        {
            "on": "2024-09-05",
            "number": "1",
            "vote": {"expected": 1, "present": 1, "in_favour": 1, "against": 0, "x": 0},
        },
        "vote.x",
    ),
    ("decide", {"on": "2024-09-05", "number": "1", "received_on": "9999-01-01"}, "received_on"),
    ("introductions", {"on": "2024-07-01", "introducers": "nope"}, "introducers"),
    ("introductions", {"on": "2024-07-01", "introducers": [{}, {}, {}]}, "introducers"),
    (
        "introductions",
        {"on": "2024-07-01", "introducers": [{"person": "x"}]},
        "introducers.0.person",
    ),
    ("introductions", {"on": "2024-07-01", "union": "party"}, "union"),
    ("reject", {"on": "2024-07-01", "reason": "a\u0000b"}, "reason"),
    ("dossier", {"kind": "passport", "status": "received"}, "kind"),
    (
        "dossier",
        {"kind": "vetting", "status": "received", "issued_on": ["2024-01-01"]},
        "issued_on",
    ),
]


@pytest.mark.parametrize(("step", "body", "field"), BAD_BODIES)
def test_bad_input_is_a_400_and_changes_nothing(
    client: Any, world: World, step: str, body: Any, field: str | None
) -> None:
    case = drive(world, "introductions_collected")
    before = _snapshot(case)
    r = _step(client, case, step, body, _auth(world.personas.district_officer))
    assert r.status_code == 400, r.content
    error = r.json()
    assert error["code"] in {"invalid", "bad_json"} and error["message"]
    if field is not None:
        assert error["field"] == field
    elif body == "{not json":
        assert error["code"] == "bad_json"
    assert _snapshot(case) == before


# the stage at which each step of the page applies (the fuzzing sends it a case there)
STAGE_OF_STEP = {
    "certificate": "source_list",
    "application": "awareness_class",
    "background": "application",
    "vetting": "background_declared",
    "introductions": "vetting",
    "cell_vote": "introductions_collected",
    "sub_committee": "cell_voted",
    "grassroots_vote": "cell_voted",
    "decide": "grassroots_voted",
    "reject": "vetting",
    "ceremony": "decided",
    "member_record": "probation",
    "recognition_cell_vote": "probation",
    "recognition_grassroots_vote": "recognition_cell_voted",
    "recognize": "recognition_grassroots_voted",
    "remove": "probation",
    "dossier": "vetting",
}


def test_steps_fuzzed_with_schemathesis_on_real_cases(world: World) -> None:
    """Generated bodies, valid and invalid, for every admission operation, each sent to a
    real case of the user's scope at the stage where the step applies: never a server
    error, every response as documented, and a refused request leaves the case, its rows
    and the log exactly as they were."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from schemathesis import GenerationMode
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    from ptdv.config.wsgi import application

    _t, key = token_create(actor=world.personas.district_officer, name="fuzz")
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    seen: dict[str, set[int]] = {}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        operations = [
            r.ok()
            for r in schema.get_all_operations()
            if r.ok().path.startswith("/api/v1/admission-cases/{uid}")
        ]
        assert len(operations) == 2 + len(STAGE_OF_STEP)
        for index, operation in enumerate(operations):
            step = operation.path.rstrip("/").rsplit("/", 1)[-1]
            world.applicant = _masses(world.tree, f"Người Thử {index}")
            case = drive(world, STAGE_OF_STEP.get(step, "cell_voted"))
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(mode, path_parameters={"uid": str(case.uid)})
                _fuzz(strategy, case, key, checks, seen.setdefault(step, set()))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    # the requests reached the steps: each answered, and invalid bodies were told apart
    assert set(seen) == {*STAGE_OF_STEP, "steps", "{uid}"}
    assert all(400 in codes for step, codes in seen.items() if step in STAGE_OF_STEP)


def _fuzz(strategy: Any, case: Any, key: str, checks: list[Any], seen: set[int]) -> None:
    import hypothesis

    @hypothesis.given(generated=strategy)
    @hypothesis.settings(
        max_examples=10,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def run(generated: Any) -> None:
        generated.headers = {**(generated.headers or {}), "Authorization": f"Token {key}"}
        before = _snapshot(case)
        response = generated.call()
        generated.validate_response(response, checks=checks)
        seen.add(response.status_code)
        if response.status_code >= 400:
            assert _snapshot(case) == before

    run()
