"""``people_create_many`` writes what ``person_create`` + ``membership_event_add`` write,
row for row: the same people, events, periods and audit entries (compared field by
field), and refuses what they refuse, with the same messages, writing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person
from ptdv.people.services import (
    NewPerson,
    membership_event_add,
    people_create_many,
    people_create_valid,
    person_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    from django.utils import translation

    with translation.override("en"):
        yield


D = dt.date
TODAY = D(2026, 11, 29)


def _items(tree: Any) -> list[NewPerson]:
    cell = tree.cell
    return [
        NewPerson(
            tree.grassroots,
            {
                "full_name": "  Hà  Thị Mùi ",
                "date_of_birth": D(2001, 4, 3),
                "gender": "female",
                "ethnicity": "02",
                "citizen_id": "006301012345",
                "phone": " 0912 ",
            },
        ),
        NewPerson(
            tree.grassroots,
            {"full_name": "Triệu Văn Sơn", "date_of_birth": D(1980, 1, 31), "gender": "male"},
            [
                {"kind": "admitted", "date": D(2010, 5, 19), "org_unit": cell},
                {"kind": "recognized", "date": D(2011, 5, 19)},
                {"kind": "card_issued", "date": D(2011, 5, 19), "card_number": "06012345"},
            ],
        ),
        NewPerson(
            tree.other_cell,
            {"full_name": "Nông Thị Lan", "date_of_birth": D(1995, 2, 28), "gender": "female"},
            [{"kind": "admitted", "date": D(2026, 2, 3), "org_unit": tree.other_cell}],
        ),
    ]


def _one_by_one(actor: Any, items: list[NewPerson]) -> list[Person]:
    out = []
    for item in items:
        person = person_create(actor=actor, org_unit=item.org_unit, **item.data)
        for ev in item.events:
            membership_event_add(actor=actor, person=person, source="s", today=TODAY, **ev)
        out.append(person)
    return out


PERSON_SKIP = {"id", "uid", "created_at", "updated_at"}


def _state(people: list[Person]) -> list[dict[str, Any]]:
    out = []
    for p in people:
        p = Person.objects.get(pk=p.pk)
        row = {f.attname: getattr(p, f.attname) for f in Person._meta.fields}
        row = {k: v for k, v in row.items() if k not in PERSON_SKIP}
        if row["citizen_id"]:
            row["citizen_id"] = row["citizen_id"][-4:]
        row["events"] = list(
            MembershipEvent.objects.filter(person=p)
            .order_by("id")
            .values_list(
                "kind", "date", "org_unit_id", "card_number", "source", "arrives_as", "created_by"
            )
        )
        row["periods"] = list(
            MembershipPeriod.objects.filter(person=p)
            .order_by("start", "id")
            .values_list("org_unit_id", "status", "start", "end")
        )
        row["audit"] = list(
            AuditEntry.objects.filter(target_type="people.person", target_id=p.pk)
            .order_by("id")
            .values_list("action", "actor_id", "org_unit_id", "target_repr", "data")
        )
        out.append(row)
    return out


def test_bulk_writes_what_the_services_write(tree: Any, personas: Any) -> None:
    actor = personas.district_officer
    one = _state(_one_by_one(actor, _items(tree)))
    Person.objects.all().update(citizen_id=None)  # free the CCCD for the second run
    created = people_create_many(actor=actor, items=_items(tree), source="s", today=TODAY)
    bulk = _state([p for p, _ in created])
    for a, b in zip(one, bulk, strict=True):
        assert a.pop("citizen_id") == b.pop("citizen_id")
        assert a == b
    assert bulk[1]["status"] == "official" and bulk[1]["org_unit_id"] == tree.cell.pk
    assert bulk[2]["status"] == "probationary"
    assert [len(ids) for _, ids in created] == [0, 3, 1]
    assert set(created[1][1]) == set(
        MembershipEvent.objects.filter(person=created[1][0]).values_list("pk", flat=True)
    )


BAD: list[tuple[str, dict[str, Any], list[dict[str, Any]], str, str]] = [
    ("no name", {"full_name": "  "}, [], "full_name", "The full name is required."),
    (
        "born in the future",
        {"date_of_birth": D(2030, 1, 1)},
        [],
        "date_of_birth",
        "The date of birth cannot be in the future.",
    ),
    ("unknown ethnicity", {"ethnicity": "99"}, [], "ethnicity", "Unknown ethnicity: 99."),
    ("bad CCCD", {"citizen_id": "00630101234"}, [], "citizen_id", ""),
    (
        "event before birth",
        {},
        [{"kind": "admitted", "date": D(1989, 1, 1), "org_unit": "cell"}],
        "date",
        "The event cannot be before the date of birth.",
    ),
    (
        "event in the future",
        {},
        [{"kind": "admitted", "date": D(2027, 1, 1), "org_unit": "cell"}],
        "date",
        "The date of the event cannot be in the future.",
    ),
    (
        "admitted outside a cell",
        {},
        [{"kind": "admitted", "date": D(2015, 1, 1), "org_unit": "grassroots"}],
        "org_unit",
        "A member must be placed in a party cell.",
    ),
    (
        "recognized before admitted",
        {},
        [{"kind": "recognized", "date": D(2015, 1, 1)}],
        "kind",
        "",
    ),
    (
        "events out of order",
        {},
        [
            {"kind": "admitted", "date": D(2015, 1, 1), "org_unit": "cell"},
            {"kind": "recognized", "date": D(2014, 1, 1)},
        ],
        "date",
        "The date cannot be before the previous event (01/01/2015).",
    ),
]


@pytest.mark.parametrize(
    ("label", "data", "events", "field", "message"), BAD, ids=[b[0] for b in BAD]
)
def test_bulk_refuses_what_the_services_refuse(
    tree: Any,
    personas: Any,
    label: str,
    data: dict[str, Any],
    events: list[dict[str, Any]],
    field: str,
    message: str,
) -> None:
    units = {"cell": tree.cell, "grassroots": tree.grassroots}
    base = {"full_name": "Lò Văn Tú", "date_of_birth": D(1990, 5, 1), "gender": "male"}
    evs = [{**e, "org_unit": units[e["org_unit"]]} if "org_unit" in e else e for e in events]
    good = NewPerson(tree.cell, dict(base))
    bad = NewPerson(tree.cell, base | data, evs)
    with pytest.raises(DomainError) as one:
        _one_by_one(personas.district_officer, [bad])
    created, problems = people_create_valid(
        actor=personas.district_officer, items=[good, bad], today=TODAY
    )
    assert list(created) == [0] and list(problems) == [1]
    before = (Person.objects.count(), MembershipEvent.objects.count(), AuditEntry.objects.count())
    assert problems[1].field == field == one.value.field
    assert problems[1].message == one.value.message
    if message:
        assert problems[1].message == message
    with pytest.raises(DomainError) as many:
        people_create_many(actor=personas.district_officer, items=[good, bad], today=TODAY)
    assert many.value.message == one.value.message
    after = (Person.objects.count(), MembershipEvent.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_bulk_cccd_taken_or_twice(tree: Any, personas: Any) -> None:
    base = {"date_of_birth": D(2001, 4, 3), "gender": "female", "citizen_id": "006301012345"}
    person_create(actor=None, org_unit=tree.cell, full_name="Hà Thị Mùi", **base)
    items = [
        NewPerson(tree.cell, {"full_name": "A", **base}),
        NewPerson(tree.cell, {"full_name": "B", **base | {"citizen_id": "006301099999"}}),
        NewPerson(tree.cell, {"full_name": "C", **base | {"citizen_id": "006301099999"}}),
    ]
    _created, problems = people_create_valid(actor=None, items=items)
    assert sorted(problems) == [0, 2]
    assert {p.code for p in problems.values()} == {"duplicate_citizen_id"}
    assert problems[0].message == "Another person already has the citizen ID 006301012345."


def test_bulk_refuses_a_closed_unit(tree: Any) -> None:
    from ptdv.organizations.models import OrgUnit

    OrgUnit.objects.filter(pk=tree.other_cell.pk).update(valid_to=D(2020, 1, 1))
    tree.other_cell.refresh_from_db()
    item = NewPerson(tree.other_cell, {"full_name": "A", "date_of_birth": D(1990, 1, 1)})
    item.data["gender"] = "male"
    assert people_create_valid(actor=None, items=[item])[1][0].code == "unit_not_valid"


def test_create_valid_creates_the_valid_and_returns_the_rest(tree: Any, personas: Any) -> None:
    good = {"full_name": "Lò Văn Tú", "date_of_birth": D(1990, 5, 1), "gender": "male"}
    items = [
        NewPerson(tree.cell, good),
        NewPerson(tree.cell, good | {"date_of_birth": D(2030, 1, 1)}),
        NewPerson(tree.cell, good | {"full_name": "Lò Thị Yến", "gender": "female"}),
    ]
    created, problems = people_create_valid(actor=personas.district_officer, items=items)
    assert sorted(created) == [0, 2] and sorted(problems) == [1]
    assert created[2][0].full_name == "Lò Thị Yến"
    assert Person.objects.count() == 2
    assert AuditEntry.objects.filter(action="people.person.created").count() == 2
