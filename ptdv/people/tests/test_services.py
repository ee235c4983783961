"""Registry services: validation (nothing saved on a refusal) and exactly one audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError
from ptdv.organizations.services import org_unit_close
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person
from ptdv.people.services import (
    membership_event_add,
    person_create,
    person_reveal_citizen_id,
    person_update,
)
from ptdv.people.tests.conftest import make_member, make_person

D = dt.date


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_create_normalises_and_audits_with_masked_cccd(personas: Any, tree: Any) -> None:
    p = person_create(
        actor=personas.district_officer,
        org_unit=tree.cell,
        full_name="  Nguyễn   Văn  An ",
        date_of_birth=D(1990, 5, 1),
        gender="male",
        ethnicity="02",
        citizen_id=6090001234.0,  # as read from Excel
    )
    assert p.full_name == "Nguyễn Văn An"
    assert p.citizen_id == "006090001234"
    assert p.name_folded == "nguyen van an"
    (e,) = entries("people.person.created")
    assert e.actor == personas.district_officer and e.org_unit == tree.cell
    assert e.data["citizen_id"] == "••••••••1234"
    assert "006090001234" not in str(e.data)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "invalid_citizen_id"),
        ({"citizen_id": "003090001234"}, "citizen_id", "invalid_citizen_id"),
        ({"citizen_id": "006190001234"}, "citizen_id", "invalid_citizen_id"),  # female digit
        ({"citizen_id": "006090001234"}, "citizen_id", "duplicate_citizen_id"),
        ({"date_of_birth": D(2030, 1, 1)}, "date_of_birth", "invalid"),
        ({"ethnicity": "99"}, "ethnicity", "invalid"),
        ({"full_name": "   "}, "full_name", "invalid"),
    ],
)
@time_machine.travel(dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC), tick=False)
def test_create_refuses_bad_input_and_saves_nothing(
    registry: Any, tree: Any, changes: dict[str, Any], field: str, code: str
) -> None:
    people, audits = Person.objects.count(), AuditEntry.objects.count()
    data = {"full_name": "Lý Văn Cường", "date_of_birth": D(1990, 5, 1), "gender": "male"}
    with pytest.raises(DomainError) as exc:
        person_create(actor=None, org_unit=tree.cell, **(data | changes))
    assert (exc.value.field, exc.value.code) == (field, code)
    assert exc.value.message  # a sentence for the form
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, audits)


def test_create_in_a_closed_unit_is_refused(tree: Any) -> None:
    org_unit_close(actor=None, unit=tree.other_cell, date=D(2020, 1, 1))
    tree.other_cell.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        make_person(tree.other_cell, "Lý Văn Cường")
    assert (exc.value.field, exc.value.code) == ("org_unit", "unit_not_valid")


def test_update_audits_only_changed_fields(personas: Any, registry: Any) -> None:
    person_update(
        actor=personas.district_officer,
        person=registry.masses,
        phone="0912 345 678",
        full_name="Hoàng Thị Đào",
    )
    (e,) = entries("people.person.updated")
    assert e.data == {"phone": {"old": "", "new": "0912 345 678"}}


def test_update_of_member_unit_goes_through_events(registry: Any, tree: Any) -> None:
    with pytest.raises(DomainError) as exc:
        person_update(actor=None, person=registry.member, org_unit=tree.other_cell)
    assert exc.value.code == "member_unit_by_event"


def test_event_add_derives_status_periods_and_audits(
    personas: Any, registry: Any, tree: Any
) -> None:
    officer = personas.district_officer
    membership_event_add(
        actor=officer,
        person=registry.member,
        kind="moved",
        date=D(2020, 1, 1),
        org_unit=tree.other_cell,
    )
    p = Person.objects.get(pk=registry.member.pk)
    assert (p.status, p.org_unit) == ("official", tree.other_cell)
    assert list(
        MembershipPeriod.objects.filter(person=p).values_list("status", "start", "end")
    ) == [
        ("probationary", D(2015, 3, 1), D(2016, 3, 1)),
        ("official", D(2016, 3, 1), D(2020, 1, 1)),
        ("official", D(2020, 1, 1), None),
    ]
    (e,) = [e for e in entries("people.membership.event_added") if e.actor == officer]
    assert e.data["event"] == "moved"
    assert e.data["status"] == {"old": "official", "new": "official"}


@pytest.mark.parametrize(
    ("kind", "date", "unit_attr", "code"),
    [
        ("recognized", D(2020, 1, 1), None, "invalid_event_order"),  # already official
        ("moved", D(2010, 1, 1), "cell", "date_before_previous"),
        ("moved", D(2020, 1, 1), "grassroots", "not_a_cell"),
    ],
)
def test_event_add_refusals_change_nothing(
    registry: Any, tree: Any, kind: str, date: dt.date, unit_attr: str | None, code: str
) -> None:
    n = MembershipEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        membership_event_add(
            actor=None,
            person=registry.member,
            kind=kind,
            date=date,
            org_unit=getattr(tree, unit_attr) if unit_attr else None,
        )
    assert exc.value.code == code
    assert MembershipEvent.objects.count() == n
    assert Person.objects.get(pk=registry.member.pk).status == "official"


def test_event_in_unit_not_valid_on_that_date(registry: Any, tree: Any) -> None:
    org_unit_close(actor=None, unit=tree.other_cell, date=D(2019, 12, 31))
    tree.other_cell.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        membership_event_add(
            actor=None,
            person=registry.member,
            kind="moved",
            date=D(2020, 1, 1),
            org_unit=tree.other_cell,
        )
    assert (exc.value.field, exc.value.code) == ("org_unit", "unit_not_valid")


def test_event_in_the_future_is_refused(registry: Any) -> None:
    with pytest.raises(DomainError) as exc:
        membership_event_add(
            actor=None,
            person=registry.member,
            kind="died",
            date=D(2020, 1, 1),
            today=D(2019, 1, 1),
        )
    assert exc.value.field == "date"


def test_reveal_citizen_id_is_audited(personas: Any, registry: Any) -> None:
    value = person_reveal_citizen_id(actor=personas.district_officer, person=registry.member)
    assert value == "006090001234"
    (e,) = entries("people.person.citizen_id_revealed")
    assert (e.actor, e.target_id) == (personas.district_officer, registry.member.pk)
    assert "006090001234" not in str(e.data)


def test_readmission_keeps_party_age(tree: Any) -> None:
    p = make_member(tree.cell, "Triệu Văn Dũng", admitted=D(2005, 1, 1))
    membership_event_add(actor=None, person=p, kind="removed_probationary", date=D(2005, 9, 1))
    membership_event_add(
        actor=None, person=p, kind="readmitted", date=D(2012, 1, 1), org_unit=tree.cell
    )
    p.refresh_from_db()
    assert (p.status, p.admitted_on, p.party_age_from) == (
        "probationary",
        D(2012, 1, 1),
        D(2005, 1, 1),
    )
