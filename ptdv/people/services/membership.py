"""Membership history: dated events (admission, official, moved, left, …) checked against
the rules, and the periods derived from them (``refresh_membership``, ``periods_recut``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.audit.labels import register_keys
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit
from ptdv.people import rules
from ptdv.people.models import (
    EventKind,
    MembershipEvent,
    MembershipPeriod,
    Person,
)

register_keys({}, {"event": dict(EventKind.choices)})


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


def check_event(
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
    check_event(
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
