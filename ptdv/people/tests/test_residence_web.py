"""Moving house on the web (issue 15 point 2): the dated move form on the person page, its
refusals in Vietnamese with nothing changed, the scope, and the person form that no longer
changes the village silently."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError
from ptdv.organizations.services import residential_unit_create
from ptdv.people.models import Residence
from ptdv.people.residence import residence_move
from ptdv.people.tests.conftest import make_person

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(tree: Any, personas: Any) -> Any:
    person = make_person(tree.cell, "Lò Văn Sáng", residential_unit=tree.village)
    other = residential_unit_create(
        actor=None, code="A-X-T2", name="Thôn Khuổi Vài", kind="village", org_unit=tree.grassroots
    )
    foreign = residential_unit_create(
        actor=None,
        code="B-Y-T1",
        name="Thôn Bản Mới",
        kind="village",
        org_unit=tree.sibling_grassroots,
    )
    return person, other, foreign


def _post(client: Client, person: Any, **data: str) -> Any:
    return client.post(reverse("people:residence_move", args=[person.uid]), data)


def _state(person: Any) -> tuple[Any, ...]:
    person.refresh_from_db()
    return (
        person.residential_unit_id,
        list(
            Residence.objects.filter(person=person).values_list(
                "residential_unit_id", "since", "until"
            )
        ),
        AuditEntry.objects.filter(action="people.residence.moved").count(),
    )


def test_the_service_refuses_a_date_before_birth_and_a_village_not_yet_existing(
    world: Any, personas: Any
) -> None:
    person, other, _foreign = world
    actor = personas.district_officer
    with pytest.raises(DomainError) as e:
        residence_move(actor=actor, person=person, village=other, since=D(1980, 1, 1))
    assert e.value.field == "since" and "ngày sinh" in str(e.value.message)
    other.valid_from = D(2020, 1, 1)
    other.save()
    with pytest.raises(DomainError) as e:
        residence_move(actor=actor, person=person, village=other, since=D(2019, 5, 1))
    assert e.value.field == "village"
    assert not Residence.objects.filter(person=person).exists()
    row = residence_move(
        actor=actor, person=person, village=other, since=D(2021, 5, 1), reason="Lấy vợ"
    )
    assert (row.since, row.reason) == (D(2021, 5, 1), "Lấy vợ")


def test_a_move_through_the_web_is_dated_listed_and_audited(
    world: Any, personas: Any, tree: Any
) -> None:
    person, other, _foreign = world
    c = client_for(personas.district_officer)
    page = c.get(reverse("people:residence_move", args=[person.uid])).content.decode()
    assert "Thôn Khuổi Vài" in page and "Thôn Bản Mới" not in page
    r = _post(c, person, village=str(other.uid), since="01/03/2022", reason="Chuyển đến ở nhà mới")
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.residential_unit_id == other.pk
    rows = list(Residence.objects.filter(person=person).order_by("id"))
    assert [(x.residential_unit_id, x.since, x.until) for x in rows] == [
        (
            tree.village.pk,
            None,
            D(2022, 2, 28),
        ),
        (other.pk, D(2022, 3, 1), None),
    ]
    assert rows[1].reason == "Chuyển đến ở nhà mới"
    entry = AuditEntry.objects.get(action="people.residence.moved")
    assert entry.data["reason"] == "Chuyển đến ở nhà mới"
    detail = c.get(reverse("people:detail", args=[person.uid])).content.decode()
    assert 'id="person-residences"' in detail
    assert "01/03/2022" in detail and "28/02/2022" in detail and "Chuyển đến ở nhà mới" in detail


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("FUTURE", "tương lai"),
        ("01/01/1980", "ngày sinh"),
        ("31/02/2022", "ngày"),  # not a date
    ],
)
def test_bad_dates_are_refused_in_vietnamese_and_change_nothing(
    world: Any, personas: Any, since: str, expected: str
) -> None:
    person, other, _foreign = world
    if since == "FUTURE":
        since = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    before = _state(person)
    r = _post(
        client_for(personas.district_officer),
        person,
        village=str(other.uid),
        since=since,
        reason="x",
    )
    assert r.status_code == 200
    assert expected in r.content.decode()
    assert _state(person) == before


def test_a_move_before_the_last_one_is_refused(world: Any, personas: Any, tree: Any) -> None:
    person, other, _foreign = world
    c = client_for(personas.district_officer)
    assert (
        _post(c, person, village=str(other.uid), since="01/03/2022", reason="a").status_code == 302
    )
    before = _state(person)
    r = _post(c, person, village=str(tree.village.uid), since="01/01/2022", reason="b")
    assert r.status_code == 200
    assert "01/03/2022" in r.content.decode()  # the message names the current residence's start
    assert _state(person) == before


def test_a_village_of_another_subtree_is_refused(world: Any, personas: Any) -> None:
    person, _other, foreign = world
    before = _state(person)
    r = _post(
        client_for(personas.district_officer),
        person,
        village=str(foreign.uid),
        since="01/03/2022",
        reason="x",
    )
    assert r.status_code == 200
    assert "Thôn Bản Mới" not in r.content.decode()
    assert "Lựa chọn" in r.content.decode() or "hợp lệ" in r.content.decode()
    assert _state(person) == before


def test_a_village_not_in_the_tree_on_the_move_date_is_refused(world: Any, personas: Any) -> None:
    person, other, _foreign = world
    other.valid_from = D(2023, 1, 1)
    other.save()
    before = _state(person)
    r = _post(
        client_for(personas.district_officer),
        person,
        village=str(other.uid),
        since="01/03/2022",
        reason="x",
    )
    assert r.status_code == 200
    assert "01/03/2022" in r.content.decode()
    assert _state(person) == before


def test_a_person_of_another_subtree_is_not_found(world: Any, personas: Any, tree: Any) -> None:
    person, other, _foreign = world
    before = _state(person)
    r = _post(
        client_for(personas.sibling_officer),
        person,
        village=str(other.uid),
        since="01/03/2022",
        reason="x",
    )
    assert r.status_code == 404
    assert (
        client_for(personas.sibling_officer)
        .get(reverse("people:residence_move", args=[person.uid]))
        .status_code
        == 404
    )
    assert _state(person) == before


def test_the_leader_cannot_move_anyone(world: Any, personas: Any) -> None:
    person, other, _foreign = world
    before = _state(person)
    r = _post(
        client_for(personas.viewer), person, village=str(other.uid), since="01/03/2022", reason="x"
    )
    assert r.status_code == 403
    assert _state(person) == before


def test_the_person_form_does_not_change_the_village(world: Any, personas: Any) -> None:
    person, other, _foreign = world
    c = client_for(personas.district_officer)
    page = c.get(reverse("people:edit", args=[person.uid])).content.decode()
    assert 'name="residential_unit"' not in page
    assert reverse("people:residence_move", args=[person.uid]) in page
