"""Writes to the registry. Every function: one transaction, validated, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.audit.labels import register, register_keys
from ptdv.audit.services import apply_changes, record, record_many
from ptdv.audit.services import entry as audit_entry
from ptdv.core.errors import DomainError
from ptdv.core.text import fold, name_sort_key, normalize_spaces
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit
from ptdv.people import rules
from ptdv.people.choices import ETHNICITY_CODES, Gender
from ptdv.people.models import (
    EventKind,
    MembershipEvent,
    MembershipPeriod,
    MembershipStatus,
    Person,
)

register_keys({}, {"event": dict(EventKind.choices)})
register(
    {
        "people.relative.added": gettext_lazy("Relative added"),
        "people.relative.removed": gettext_lazy("Relative removed"),
    }
)

PERSON_FIELDS = {
    "full_name",
    "other_names",
    "date_of_birth",
    "gender",
    "ethnicity",
    "religion",
    "citizen_id",
    "hometown",
    "education_general",
    "education_professional",
    "political_theory",
    "occupation",
    "workplace",
    "residential_unit",
    "phone",
    "youth_union_member",
    "org_unit",
}


def _clean_person(
    data: dict[str, Any],
    *,
    instance: Person | None = None,
    today: dt.date | None = None,
    check_unique: bool = True,
) -> dict[str, Any]:
    """Normalise and validate person fields; raises DomainError on the first problem.
    ``check_unique=False`` leaves the CCCD uniqueness to the caller (``_prepare_many``
    asks once for many people)."""
    today = today or timezone.localdate()
    out = dict(data)
    if "full_name" in out:
        out["full_name"] = normalize_spaces(out["full_name"])
        if not out["full_name"]:
            raise DomainError(_("The full name is required."), field="full_name")
    dob = out.get("date_of_birth", instance.date_of_birth if instance else None)
    if dob is None:
        raise DomainError(_("The date of birth is required."), field="date_of_birth")
    if dob > today:
        raise DomainError(_("The date of birth cannot be in the future."), field="date_of_birth")
    if dob.year < 1900:
        raise DomainError(_("The date of birth is not plausible."), field="date_of_birth")
    if "ethnicity" in out and out["ethnicity"] not in ETHNICITY_CODES:
        raise DomainError(
            _("Unknown ethnicity: %(value)s.") % {"value": out["ethnicity"]}, field="ethnicity"
        )
    gender = out.get("gender", instance.gender if instance else None)
    if gender not in Gender.values:
        raise DomainError(_("The gender is required."), field="gender")
    if "citizen_id" in out or instance is None:
        cid = rules.normalize_citizen_id(out.get("citizen_id"))
        if cid:
            problem = rules.citizen_id_problem(cid, date_of_birth=dob, gender=gender)
            if problem:
                raise DomainError(problem, field="citizen_id", code="invalid_citizen_id")
            if check_unique:
                clash = Person.objects.filter(citizen_id=cid)
                if instance is not None:
                    clash = clash.exclude(pk=instance.pk)
                if clash.exists():
                    raise _duplicate_citizen_id(cid)
        out["citizen_id"] = cid or None
    for key in ("phone", "workplace", "hometown", "other_names"):
        if key in out:
            out[key] = normalize_spaces(out[key] or "")
    return out


def _duplicate_citizen_id(cid: str) -> DomainError:
    return DomainError(
        _("Another person already has the citizen ID %(cid)s.") % {"cid": cid},
        field="citizen_id",
        code="duplicate_citizen_id",
    )


def _check_unit_open(org_unit: OrgUnit) -> None:
    if not org_unit.is_valid_on(timezone.localdate()):
        raise DomainError(
            _("The organization %(org)s is not valid today.") % {"org": org_unit},
            field="org_unit",
            code="unit_not_valid",
        )


def _name_fields(full_name: str) -> dict[str, str]:
    return {"name_folded": fold(full_name)[:120], "sort_key": name_sort_key(full_name)}


@transaction.atomic
def person_create(*, actor: Any, org_unit: OrgUnit, audit: bool = True, **data: Any) -> Person:
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    data = _clean_person(data)
    _check_unit_open(org_unit)
    person = Person(org_unit=org_unit, **data, **_name_fields(data["full_name"]))
    person.save()
    if audit:
        record(
            action="people.person.created",
            actor=actor,
            target=person,
            org_unit=org_unit,
            data={k: v for k, v in data.items() if k != "citizen_id"}
            | {"citizen_id": person.masked_citizen_id},
        )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, expected_version: dt.datetime | None = None, **changes: Any
) -> Person:
    """Change a person's fields. With ``expected_version`` (the ``updated_at`` the editor's
    form was built from), a record saved by someone else since is not overwritten: the save
    is refused with what the other save changed (optimistic locking)."""
    unknown = set(changes) - PERSON_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and person.updated_at != expected_version:
        raise _stale_edit(person, expected_version)
    changes = _clean_person(changes, instance=person)
    if "org_unit" in changes and changes["org_unit"] != person.org_unit:
        if person.is_member:
            raise DomainError(
                _("A member changes cell through a membership event (moved or transferred)."),
                field="org_unit",
                code="member_unit_by_event",
            )
        _check_unit_open(changes["org_unit"])
    if "full_name" in changes:
        changes |= _name_fields(changes["full_name"])
    changed = apply_changes(person, changes)
    if changed:
        if "citizen_id" in changed:
            changed["citizen_id"] = {"old": "…", "new": person.masked_citizen_id}
        changed.pop("name_folded", None)
        changed.pop("sort_key", None)
        record(
            action="people.person.updated",
            actor=actor,
            target=person,
            org_unit=person.org_unit,
            data=changed,
        )
    return person


class StaleEditError(DomainError):
    """Someone else saved the record after the form was opened; ``current_version`` is the
    version to build the next attempt on."""

    def __init__(self, message: str, *, current_version: dt.datetime) -> None:
        super().__init__(message, code="stale_edit")
        self.current_version = current_version


def _stale_edit(person: Person, since: dt.datetime) -> StaleEditError:
    from ptdv.audit.selectors import entries_for, history_rows

    rows = history_rows(entries_for(person).filter(at__gt=since).order_by("at"))
    changes: list[str] = []
    for row in rows:
        for change in row.changes:
            if change.is_diff:
                changes.append(f"{change.key}: “{change.old}” → “{change.new}”")
            else:
                changes.append(f"{row.label}: {change.key} {change.value}")
        if not row.changes:
            changes.append(str(row.label))
    who = ", ".join(dict.fromkeys(row.actor for row in rows)) or _("another user")
    when = timezone.localtime(person.updated_at).strftime("%H:%M %d/%m/%Y")
    message = _(
        "%(who)s saved this person at %(when)s, after you opened the form; your changes were "
        "not saved, so as not to overwrite theirs. They changed: %(changes)s. The form keeps "
        "what you typed: check it against these changes and save again."
    ) % {"who": who, "when": when, "changes": "; ".join(changes) or "—"}
    return StaleEditError(message, current_version=person.updated_at)


def _event_tuple(ev: MembershipEvent) -> rules.Event:
    return rules.Event(
        kind=ev.kind,
        date=ev.date,
        org_unit_id=ev.org_unit_id,
        decision_date=ev.decision_date,
        card_number=ev.card_number,
        order=ev.pk or 0,
        arrives_as=ev.arrives_as or "official",
    )


def refresh_membership(person: Person) -> rules.Derived:
    """Recompute the derived status fields and periods of a person from their events."""
    events = [_event_tuple(e) for e in person.events.order_by("date", "id")]
    derived = rules.derive(events)
    updates: dict[str, Any] = {
        "status": derived.status,
        "admitted_on": derived.admitted_on,
        "official_on": derived.official_on,
        "party_age_from": derived.party_age_from,
        "card_number": derived.card_number,
    }
    if derived.org_unit_id is not None:
        updates["org_unit_id"] = derived.org_unit_id
    for key, value in updates.items():
        setattr(person, key, value)
    person.save(update_fields=[*updates.keys(), "updated_at"])
    MembershipPeriod.objects.filter(person=person).delete()
    MembershipPeriod.objects.bulk_create(build_periods([(person.pk, derived.periods)]))
    return derived


def build_periods(items: Iterable[tuple[int, Iterable[rules.Period]]]) -> list[MembershipPeriod]:
    """The period rows of ``(person_id, derived periods)`` pairs, cut where a unit's place
    in the tree changed and carrying the unit's path of each piece (one query for the
    units' versions). Every writer of periods goes through here."""
    pairs = [(pid, list(periods)) for pid, periods in items]
    lines = history.timelines(p.org_unit_id for _pid, periods in pairs for p in periods)
    rows = [
        (pid, p.org_unit_id, p.status, p.start, p.end) for pid, periods in pairs for p in periods
    ]
    return [
        MembershipPeriod(
            person_id=pid, org_unit_id=unit_id, status=status, start=start, end=end, path=path
        )
        for pid, unit_id, status, start, end, path in history.cut_periods(rows, lines)
    ]


def periods_recut(unit_ids: Iterable[int], since: dt.date) -> int:
    """Cut again, after the tree changed on ``since``, the periods of these units that
    reach that date: pieces of one stay are joined, then cut at the versions now in force.
    Periods that ended before ``since`` are history and stay as they are. Returns the
    number of period rows rewritten."""
    ids = list(unit_ids)
    touched = 0
    for i in range(0, len(ids), 200):
        chunk = ids[i : i + 200]
        qs = MembershipPeriod.objects.filter(org_unit_id__in=chunk).filter(
            Q(end__isnull=True) | Q(end__gt=since)
        )
        person_ids = set(qs.values_list("person_id", flat=True))
        if not person_ids:
            continue
        rows = list(
            MembershipPeriod.objects.filter(person_id__in=person_ids, org_unit_id__in=chunk)
            .order_by("person_id", "start")
            .values_list("pk", "person_id", "org_unit_id", "status", "start", "end")
        )
        joined: list[list[Any]] = []
        for pk, pid, unit_id, status, start, end in rows:
            last = joined[-1] if joined else None
            if (
                last is not None
                and last[1] == pid
                and last[2] == unit_id
                and last[3] == status
                and last[5] == start
            ):
                last[0].append(pk)
                last[5] = end
            else:
                joined.append([[pk], pid, unit_id, status, start, end])
        stale = [j for j in joined if j[5] is None or j[5] > since]
        old_pks = [pk for j in stale for pk in j[0]]
        lines = history.timelines(chunk)
        new_rows = history.cut_periods(((j[1], j[2], j[3], j[4], j[5]) for j in stale), lines)
        MembershipPeriod.objects.filter(pk__in=old_pks).delete()
        MembershipPeriod.objects.bulk_create(
            [
                MembershipPeriod(person_id=pid, org_unit_id=u, status=st, start=a, end=b, path=path)
                for pid, u, st, a, b, path in new_rows
            ],
            batch_size=1000,
        )
        touched += len(new_rows)
    return touched


def _check_event(
    *,
    status: str,
    status_label: str,
    date_of_birth: dt.date,
    last_date: dt.date | None,
    kind: str,
    date: dt.date,
    org_unit: OrgUnit | None,
    today: dt.date,
) -> None:
    """Whether an event may follow a person's history; raises DomainError if not."""
    if kind not in EventKind.values:
        raise DomainError(_("Unknown membership event."), field="kind")
    if date > today:
        raise DomainError(_("The date of the event cannot be in the future."), field="date")
    if date < date_of_birth:
        raise DomainError(_("The event cannot be before the date of birth."), field="date")
    if last_date is not None and date < last_date:
        raise DomainError(
            _("The date cannot be before the previous event (%(date)s).")
            % {"date": last_date.strftime("%d/%m/%Y")},
            field="date",
            code="date_before_previous",
        )
    if org_unit is not None:
        if not org_unit.is_valid_on(date):
            raise DomainError(
                _("The organization %(org)s is not valid on %(date)s.")
                % {"org": org_unit, "date": date.strftime("%d/%m/%Y")},
                field="org_unit",
                code="unit_not_valid",
            )
        if not org_unit.is_cell and kind in {"admitted", "readmitted", "transferred_in", "moved"}:
            raise DomainError(
                _("A member must be placed in a party cell."), field="org_unit", code="not_a_cell"
            )
    if not rules.can_apply(status, kind):
        raise DomainError(
            _("“%(event)s” is not possible for a person whose status is “%(status)s”.")
            % {"event": EventKind(kind).label, "status": status_label},
            field="kind",
            code="invalid_event_order",
        )


@transaction.atomic
def membership_event_add(
    *,
    actor: Any,
    person: Person,
    kind: str,
    date: dt.date,
    org_unit: OrgUnit | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    card_number: str = "",
    note: str = "",
    source: str = "",
    arrives_as: str = "",
    audit: bool = True,
    today: dt.date | None = None,
) -> MembershipEvent:
    """Record a dated membership event and bring the person's status in step."""
    today = today or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    last = person.events.order_by("-date", "-id").first()
    _check_event(
        status=person.status,
        status_label=person.get_status_display(),
        date_of_birth=person.date_of_birth,
        last_date=last.date if last else None,
        kind=kind,
        date=date,
        org_unit=org_unit,
        today=today,
    )
    event = MembershipEvent.objects.create(
        person=person,
        kind=kind,
        date=date,
        org_unit=org_unit,
        decision_number=decision_number,
        decision_date=decision_date,
        card_number=card_number,
        note=note,
        source=source,
        arrives_as=arrives_as,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    old_status = person.status
    refresh_membership(person)
    if audit:
        record(
            action="people.membership.event_added",
            actor=actor,
            target=person,
            org_unit=org_unit or person.org_unit,
            data={
                "event": kind,
                "date": date,
                "org_unit": org_unit,
                "decision": decision_number,
                "status": {"old": old_status, "new": person.status},
            },
        )
    return event


EVENT_FIELDS = {
    "kind",
    "date",
    "org_unit",
    "decision_number",
    "decision_date",
    "card_number",
    "note",
    "arrives_as",
}


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
    data = _clean_person(item.data, today=today, check_unique=False)
    if item.org_unit.pk not in open_units:
        _check_unit_open(item.org_unit)
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
        _check_event(
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
                problems[i] = _duplicate_citizen_id(cid)
            by_cid.setdefault(cid, i)
    taken = set(
        Person.objects.filter(citizen_id__in=list(by_cid)).values_list("citizen_id", flat=True)
    )
    for cid in taken:
        problems[by_cid[cid]] = _duplicate_citizen_id(cid)
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
            org_unit=prep.item.org_unit, **prep.data, **_name_fields(prep.data["full_name"])
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


def person_reveal_citizen_id(*, actor: Any, person: Person) -> str:
    """Show a full CCCD number to a user; every reveal is written to the audit log."""
    record(
        action="people.person.citizen_id_revealed",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"citizen_id": person.masked_citizen_id},
    )
    return person.citizen_id or ""


# --- relatives (background form 2-KNĐ; vetting) -----------------------------------------

RELATIVE_FIELDS = (
    "relation",
    "full_name",
    "birth_year",
    "deceased",
    "hometown",
    "residence",
    "occupation",
    "political_history",
    "party_member",
    "abroad",
)


def _clean_relative(data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    from ptdv.people.models import Relation

    unknown = set(data) - set(RELATIVE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    out = dict(data)
    if out.get("relation") not in Relation.values:
        raise DomainError(_("Choose the relation."), field="relation", code="invalid")
    out["full_name"] = normalize_spaces(str(out.get("full_name") or ""))
    if not out["full_name"]:
        raise DomainError(_("Enter the relative's full name."), field="full_name", code="required")
    year = out.get("birth_year")
    if year is not None and not (1880 <= int(year) <= today.year):
        raise DomainError(
            _("The year of birth must be between 1880 and %(year)s.") % {"year": today.year},
            field="birth_year",
            code="invalid",
        )
    for key in ("hometown", "residence", "occupation", "political_history"):
        out[key] = str(out.get(key) or "").strip()
    return out


@transaction.atomic
def relative_add(*, actor: Any, person: Person, today: dt.date | None = None, **data: Any) -> Any:
    """Add a relative of ``person`` (the fields the background form asks), audited."""
    from ptdv.people.models import Relative

    data = _clean_relative(data, today or timezone.localdate())
    relative = Relative.objects.create(person=person, **data)
    record(
        action="people.relative.added",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"relative": str(relative), **{k: v for k, v in data.items() if k != "relation"}},
    )
    return relative


@transaction.atomic
def relative_remove(*, actor: Any, relative: Any) -> None:
    from django.db.models import ProtectedError

    person = relative.person
    try:
        with transaction.atomic():
            relative.delete()
    except ProtectedError:
        raise DomainError(
            _("This relative is named in a vetting request; it cannot be removed."),
            code="relative_in_use",
        ) from None
    record(
        action="people.relative.removed",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"relative": str(relative)},
    )
