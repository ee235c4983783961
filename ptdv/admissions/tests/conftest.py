"""Fixtures of the admission tests: a cell with official members and an applicant, and a
driver that takes a case to any stage through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ptdv.admissions import services as S

D = dt.date
TODAY = D(2026, 11, 27)


@dataclass
class World:
    tree: Any
    personas: Any
    members: list[Any]
    applicant: Any


ADMITTED = D(2010, 3, 1)


def make_member(tree: Any, name: str, *, cell: Any = None, admitted: dt.date = ADMITTED) -> Any:
    from ptdv.people.services import membership_event_add, person_create

    p = person_create(
        actor=None,
        org_unit=cell or tree.cell,
        full_name=name,
        date_of_birth=D(1970, 5, 5),
        gender="male",
        audit=False,
    )
    membership_event_add(
        actor=None,
        person=p,
        kind="admitted",
        date=admitted,
        org_unit=cell or tree.cell,
        decision_date=admitted,
        audit=False,
    )
    membership_event_add(
        actor=None,
        person=p,
        kind="recognized",
        date=D(admitted.year + 1, admitted.month, 1),
        audit=False,
    )
    p.refresh_from_db()
    return p


@pytest.fixture
def world(tree: Any, personas: Any) -> World:
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


ORDER = [
    "source_list",
    "awareness_class",
    "application",
    "background_declared",
    "vetting",
    "introductions_collected",
    "cell_voted",
    "grassroots_voted",
    "decided",
    "probation",
    "recognition_cell_voted",
    "recognition_grassroots_voted",
    "recognized",
]

DATES = {
    "awareness_class": D(2024, 3, 1),
    "application": D(2024, 4, 1),
    "background_declared": D(2024, 4, 15),
    "vetting": D(2024, 6, 1),
    "introductions_collected": D(2024, 7, 1),
    "cell_voted": D(2024, 8, 1),
    "grassroots_voted": D(2024, 8, 15),
    "decided": D(2024, 9, 5),
    "probation": D(2024, 9, 20),
    "recognition_cell_voted": D(2025, 9, 25),
    "recognition_grassroots_voted": D(2025, 10, 2),
    "recognized": D(2025, 10, 15),
}


def good_vote(expected: int = 6) -> S.VoteCounts:
    return S.VoteCounts(expected, expected, expected, 0, "01-NQ/CB")


def drive(w: World, to: str, *, actor: Any = None) -> Any:
    """Open a case for the applicant and take it to stage ``to``."""
    officer = actor or w.personas.district_officer
    case = S.case_open(
        actor=officer,
        person=w.applicant,
        cell=w.tree.cell,
        opened_on=D(2024, 1, 10),
        unit_has_youth_union=False,
        today=TODAY,
    )
    for stage in ORDER[1 : ORDER.index(to) + 1]:
        case = step(w, case, stage, officer)
    return case


PROBATION_PAPERS = ("self_review", "helper_comment", "recognition_comments")


def probation_papers(case: Any, actor: Any, on: dt.date) -> None:
    """The papers of the recognition dossier (10-, 11-, 12-KNĐ), received before the vote:
    the recognition decision is refused without them (issue 15 point 7)."""
    for kind in PROBATION_PAPERS:
        S.dossier_item_record(
            actor=actor, case=case, kind=kind, status="received", issued_on=on, today=TODAY
        )


def step(w: World, case: Any, stage: str, actor: Any) -> Any:
    on = DATES[stage]
    t = TODAY
    if stage == "awareness_class":
        return S.certificate_record(actor=actor, case=case, issued_on=on, number="GCN-1", today=t)
    if stage == "application":
        return S.application_record(actor=actor, case=case, on=on, today=t)
    if stage == "background_declared":
        return S.background_record(actor=actor, case=case, on=on, today=t)
    if stage == "vetting":
        return S.vetting_record(actor=actor, case=case, on=on, today=t)
    if stage == "introductions_collected":
        intros = [S.IntroducerInput(m, cowork_since=D(2022, 1, 1)) for m in w.members[:2]]
        return S.introductions_record(
            actor=actor, case=case, on=on, introducers=intros, comments_on=on, today=t
        )
    if stage == "cell_voted":
        return S.cell_vote_record(actor=actor, case=case, on=on, counts=good_vote(), today=t)
    if stage == "grassroots_voted":
        return S.grassroots_vote_record(
            actor=actor, case=case, on=on, counts=S.VoteCounts(9, 9, 8, 1, "02-NQ/ĐU"), today=t
        )
    if stage == "decided":
        return S.admission_decide(
            actor=actor, case=case, on=on, number="123-QĐ/HU", received_on=D(2024, 9, 9), today=t
        )
    if stage == "probation":
        return S.ceremony_record(actor=actor, case=case, on=on, today=t)
    if stage == "recognition_cell_voted":
        probation_papers(case, actor, on)
        return S.recognition_cell_vote_record(
            actor=actor, case=case, on=on, counts=good_vote(), today=t
        )
    if stage == "recognition_grassroots_voted":
        return S.recognition_grassroots_vote_record(
            actor=actor, case=case, on=on, counts=S.VoteCounts(9, 9, 9, 0, "03-NQ/ĐU"), today=t
        )
    if stage == "recognized":
        return S.recognition_decide(actor=actor, case=case, on=on, number="456-QĐ/HU", today=t)
    raise AssertionError(stage)
