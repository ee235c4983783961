"""Many people at once (the import, generated data): checked one by one, then written in
bulk with their events and one audit entry each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.audit.services import entry as audit_entry
from ptdv.audit.services import record_many
from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgUnit
from ptdv.people import rules
from ptdv.people.models import (
    MembershipEvent,
    MembershipPeriod,
    MembershipStatus,
    Person,
)
from ptdv.people.services.membership import EVENT_FIELDS, build_periods, check_event
from ptdv.people.services.persons import (
    PERSON_FIELDS,
    check_unit_open,
    clean_person,
    duplicate_citizen_id,
    name_fields,
)


@dataclass
class NewPerson:
    """One person for ``people_create_many``: what ``person_create`` takes, and the
    membership events ``membership_event_add`` would then record, in order."""

    org_unit: OrgUnit
    data: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Prepared:
    item: NewPerson
    data: dict[str, Any]
    steps: list[tuple[rules.Event, str, str, int | None]]  # event, status before, after, org
    derived: rules.Derived


def _prepare(item: NewPerson, today: dt.date, open_units: dict[int, bool]) -> _Prepared:
    unknown = set(item.data) - PERSON_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    data = clean_person(item.data, today=today, check_unique=False)
    if item.org_unit.pk not in open_units:
        check_unit_open(item.org_unit)
        open_units[item.org_unit.pk] = True
    steps: list[tuple[rules.Event, str, str, int | None]] = []
    derived = rules.Derived()
    for order, ev in enumerate(item.events):
        unknown = set(ev) - EVENT_FIELDS
        if unknown:
            raise DomainError(
                _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
            )
        before = derived.status
        check_event(
            status=before,
            status_label=str(MembershipStatus(before).label),
            date_of_birth=data["date_of_birth"],
            last_date=steps[-1][0].date if steps else None,
            kind=ev["kind"],
            date=ev["date"],
            org_unit=ev.get("org_unit"),
            today=today,
        )
        org = ev.get("org_unit")
        event = rules.Event(
            kind=ev["kind"],
            date=ev["date"],
            org_unit_id=org.pk if org is not None else None,
            decision_date=ev.get("decision_date"),
            card_number=ev.get("card_number", ""),
            order=order,
            arrives_as=ev.get("arrives_as") or "official",
        )
        derived = rules.derive([s[0] for s in steps] + [event])
        unit_after = derived.org_unit_id or item.org_unit.pk
        steps.append((event, before, derived.status, org.pk if org is not None else unit_after))
    return _Prepared(item=item, data=data, steps=steps, derived=derived)


def _prepare_many(
    items: list[NewPerson], today: dt.date
) -> tuple[dict[int, _Prepared], dict[int, DomainError]]:
    prepared: dict[int, _Prepared] = {}
    problems: dict[int, DomainError] = {}
    open_units: dict[int, bool] = {}
    for i, item in enumerate(items):
        try:
            prepared[i] = _prepare(item, today, open_units)
        except DomainError as exc:
            problems[i] = exc
    by_cid: dict[str, int] = {}
    for i, prep in prepared.items():
        cid = prep.data.get("citizen_id")
        if cid:
            if cid in by_cid:
                problems[i] = duplicate_citizen_id(cid)
            by_cid.setdefault(cid, i)
    taken = {
        cid
        for cid in Person.objects.filter(citizen_id__in=list(by_cid)).values_list(
            "citizen_id", flat=True
        )
        if cid  # never None: filtered on the given IDs
    }
    for cid in taken:
        problems[by_cid[cid]] = duplicate_citizen_id(cid)
    for i in problems:
        prepared.pop(i, None)
    return prepared, problems


@transaction.atomic
def people_create_many(
    *,
    actor: Any,
    items: list[NewPerson],
    source: str = "",
    today: dt.date | None = None,
) -> list[tuple[Person, list[int]]]:
    """Create many people with their membership events in a few statements: the same
    validation, derived status, periods and audit entries as ``person_create`` followed by
    ``membership_event_add`` for each event (tested equal). All or nothing: any problem
    raises it (the first, by item) and writes nothing. Returns (person, event ids) per item."""
    prepared, problems = _prepare_many(items, today or timezone.localdate())
    if problems:
        raise problems[min(problems)]
    return _write_many(actor, [prepared[i] for i in range(len(items))], source)


@transaction.atomic
def people_create_valid(
    *,
    actor: Any,
    items: list[NewPerson],
    source: str = "",
    today: dt.date | None = None,
) -> tuple[dict[int, tuple[Person, list[int]]], dict[int, DomainError]]:
    """Like ``people_create_many``, but creates the valid items and returns the problems
    of the others by index: for an import, which reports every row's problem and rolls
    the whole file back itself when there is any."""
    prepared, problems = _prepare_many(items, today or timezone.localdate())
    order = sorted(prepared)
    created = _write_many(actor, [prepared[i] for i in order], source)
    return dict(zip(order, created, strict=True)), problems


def _write_many(actor: Any, preps: list[_Prepared], source: str) -> list[tuple[Person, list[int]]]:
    people = []
    for prep in preps:
        d = prep.derived
        person = Person(
            org_unit=prep.item.org_unit, **prep.data, **name_fields(prep.data["full_name"])
        )
        person.status = d.status
        person.admitted_on = d.admitted_on
        person.official_on = d.official_on
        person.party_age_from = d.party_age_from
        person.card_number = d.card_number
        if d.org_unit_id is not None:
            person.org_unit_id = d.org_unit_id
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    user = actor if getattr(actor, "is_authenticated", False) else None
    events: list[MembershipEvent] = []
    derived_periods: list[tuple[int, list[rules.Period]]] = []
    entries = []
    for prep, person in zip(preps, people, strict=True):
        if person.pk is None:  # pragma: no cover - SQLite < 3.35
            raise RuntimeError("bulk_create did not return primary keys")
        entries.append(
            audit_entry(
                action="people.person.created",
                actor=actor,
                target=person,
                org_unit=prep.item.org_unit,
                data={k: v for k, v in prep.data.items() if k != "citizen_id"}
                | {"citizen_id": person.masked_citizen_id},
            )
        )
        for ev, (_event, before, after, unit_id) in zip(prep.item.events, prep.steps, strict=True):
            events.append(
                MembershipEvent(
                    person=person,
                    kind=ev["kind"],
                    date=ev["date"],
                    org_unit=ev.get("org_unit"),
                    decision_number=ev.get("decision_number", ""),
                    decision_date=ev.get("decision_date"),
                    card_number=ev.get("card_number", ""),
                    note=ev.get("note", ""),
                    source=source,
                    arrives_as=ev.get("arrives_as", ""),
                    created_by=user,
                )
            )
            entries.append(
                audit_entry(
                    action="people.membership.event_added",
                    actor=actor,
                    target=person,
                    org_unit=ev.get("org_unit") or OrgUnit(pk=unit_id),
                    data={
                        "event": ev["kind"],
                        "date": ev["date"],
                        "org_unit": ev.get("org_unit"),
                        "decision": ev.get("decision_number", ""),
                        "status": {"old": before, "new": after},
                    },
                )
            )
        derived_periods.append((person.pk, prep.derived.periods))
    MembershipEvent.objects.bulk_create(events, batch_size=1000)
    MembershipPeriod.objects.bulk_create(build_periods(derived_periods), batch_size=1000)
    record_many(entries)
    out: list[tuple[Person, list[int]]] = []
    it = iter(events)
    for prep, person in zip(preps, people, strict=True):
        out.append((person, [next(it).pk for _ in prep.item.events]))
    return out
