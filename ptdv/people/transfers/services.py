"""Writes of transfers and exemptions. Every function: one transaction, validated, audited.

The counting rule (README): a member in transit is counted by the sending unit until the
receiving side confirms receipt; confirming an official transfer records a ``moved`` (or,
towards a unit outside the installation, a ``transferred_out``) membership event on the
receipt date, so the membership periods — and every "members on date" figure — change
side on that day and never before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import check_perm
from ptdv.audit.labels import register, register_keys
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import (
    MEMBER_STATUSES,
    EventKind,
    Exemption,
    MembershipStatus,
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)
from ptdv.people.services import membership_event_add
from ptdv.policy import loader
from ptdv.policy import selectors as calendar

register(
    {
        "people.transfer.issued": gettext_lazy("Transfer of party activity issued"),
        "people.transfer.received": gettext_lazy("Transfer of party activity received"),
        "people.transfer.cancelled": gettext_lazy("Transfer of party activity cancelled"),
        "people.transfer.ended": gettext_lazy("Temporary party activity ended"),
        "people.transfer.arrived": gettext_lazy("Arrival from outside recorded"),
        "people.exemption.added": gettext_lazy("Exemption from party activity recorded"),
        "people.exemption.ended": gettext_lazy("Exemption from party activity ended"),
    }
)
register_keys(
    {
        "letter": gettext_lazy("introduction letter"),
        "destination": gettext_lazy("destination"),
        "origin": gettext_lazy("origin"),
    },
    {"kind": dict(TransferKind.choices)},
)

POLICY_KEYS = {
    TransferKind.OFFICIAL: "deadline.transfer_official_wd",
    TransferKind.TEMPORARY: "deadline.transfer_temporary_wd",
}


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_date(kind: str, issued_on: dt.date) -> tuple[dt.date, str]:
    """The day by which the receiving side should confirm, and the rule set used."""
    policy = loader.policy_on(issued_on)
    days = int(policy.values[POLICY_KEYS[TransferKind(kind)]])  # type: ignore[call-overload]
    return calendar.add_working_days(issued_on, days), policy.code


def _check_day(value: dt.date | None, *, field: str, label: str, today: dt.date) -> dt.date:
    if value is None:
        raise DomainError(_("%(field)s is required.") % {"field": label}, field=field)
    if value > today:
        raise DomainError(
            _("%(field)s cannot be in the future.") % {"field": label},
            field=field,
            code="future_date",
        )
    return value


def _check_open_unit(unit: OrgUnit, day: dt.date, field: str) -> None:
    if not unit.is_valid_on(day):
        raise DomainError(
            _("The organization %(org)s is closed or not yet founded on %(date)s.")
            % {"org": unit.name, "date": _d(day)},
            field=field,
            code="unit_closed",
        )


def _letter(number: str) -> str:
    number = normalize_spaces(number or "")
    if not number:
        raise DomainError(
            _("The number of the introduction letter is required."), field="letter_number"
        )
    return number


def _open_transfer(person: Person) -> Transfer | None:
    return (
        Transfer.objects.filter(person=person).filter(status=TransferStatus.ISSUED).first()
        or Transfer.objects.filter(
            person=person, kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED
        ).first()
    )


@transaction.atomic
def transfer_issue(
    *,
    actor: Any,
    person: Person,
    kind: str,
    letter_number: str,
    letter_date: dt.date | None,
    issued_on: dt.date | None = None,
    to_unit: OrgUnit | None = None,
    to_outside: str = "",
    temporary_until: dt.date | None = None,
    reason: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Transfer:
    """The sending side issues the introduction letter: the member leaves ``person.org_unit``
    for ``to_unit`` (inside) or ``to_outside`` (a unit outside the installation)."""
    today = today or timezone.localdate()
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=person.pk)
    )
    if kind not in TransferKind.values:
        raise DomainError(_("Choose official transfer or temporary activity."), field="kind")
    if person.status not in MEMBER_STATUSES:
        raise DomainError(
            _("%(name)s is not a party member (status: %(status)s); only members transfer.")
            % {"name": person.full_name, "status": person.get_status_display()},
            field="person",
            code="not_a_member",
        )
    from_unit = person.org_unit
    check_perm(actor, "people.edit", from_unit)
    letter_number = _letter(letter_number)
    letter_date = _check_day(
        letter_date, field="letter_date", label=_("The date of the letter"), today=today
    )
    issued_on = _check_day(
        issued_on or letter_date, field="issued_on", label=_("The issue date"), today=today
    )
    if letter_date > issued_on:
        raise DomainError(
            _("The letter is dated %(letter)s, after the issue date %(issued)s.")
            % {"letter": _d(letter_date), "issued": _d(issued_on)},
            field="letter_date",
        )
    to_outside = normalize_spaces(to_outside or "")
    if (to_unit is None) == (not to_outside):
        raise DomainError(
            _(
                "Choose the receiving organization in the system, or name one outside it "
                "(not both)."
            ),
            field="to_unit",
            code="destination",
        )
    if to_unit is not None:
        _check_open_unit(to_unit, issued_on, "to_unit")
        if to_unit.pk == from_unit.pk or from_unit.path.startswith(to_unit.path):
            raise DomainError(
                _("The member already belongs to %(org)s; choose another organization.")
                % {"org": to_unit.name},
                field="to_unit",
                code="same_unit",
            )
    last = person.events.order_by("-date", "-id").first()
    if last is not None and issued_on < last.date:
        raise DomainError(
            _("The issue date cannot be before the member's last event (%(date)s).")
            % {"date": _d(last.date)},
            field="issued_on",
            code="date_before_previous",
        )
    if not from_unit.is_valid_on(issued_on):
        _check_open_unit(from_unit, issued_on, "issued_on")
    if temporary_until is not None:
        if kind != TransferKind.TEMPORARY:
            raise DomainError(
                _("Only temporary activity has an end date."), field="temporary_until"
            )
        if temporary_until <= issued_on:
            raise DomainError(
                _("The temporary activity must end after the issue date %(date)s.")
                % {"date": _d(issued_on)},
                field="temporary_until",
            )
    open_one = _open_transfer(person)
    if open_one is not None:
        raise DomainError(
            _("%(name)s already has a transfer under way (letter %(letter)s).")
            % {"name": person.full_name, "letter": open_one.letter_number},
            field="person",
            code="already_in_transit",
        )
    due_on, policy_code = due_date(kind, issued_on)
    transfer = Transfer.objects.create(
        person=person,
        kind=kind,
        status=TransferStatus.ISSUED,
        from_unit=from_unit,
        to_unit=to_unit,
        to_outside=to_outside if to_unit is None else "",
        letter_number=letter_number,
        letter_date=letter_date,
        issued_on=issued_on,
        due_on=due_on,
        temporary_until=temporary_until,
        reason=normalize_spaces(reason or ""),
        note=note or "",
        policy_code=policy_code,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        action="people.transfer.issued",
        actor=actor,
        target=person,
        org_unit=from_unit,
        data={
            "kind": kind,
            "letter": letter_number,
            "date": issued_on,
            "destination": transfer.to_name,
        },
    )
    return transfer


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )


def _refuse_unless_open(t: Transfer) -> None:
    if t.status == TransferStatus.RECEIVED or t.status == TransferStatus.ENDED:
        raise DomainError(
            _("The transfer (letter %(letter)s) was already received on %(date)s.")
            % {"letter": t.letter_number, "date": _d(t.received_on) if t.received_on else "?"},
            code="already_received",
        )
    if t.status == TransferStatus.CANCELLED:
        raise DomainError(
            _("The transfer (letter %(letter)s) was cancelled.") % {"letter": t.letter_number},
            code="cancelled",
        )


def confirming_unit(t: Transfer) -> OrgUnit | None:
    """Who confirms receipt: the receiving unit, or the sending one for a departure outside
    (it records the date on the receipt slip returned by the outside organization)."""
    return t.to_unit if t.to_unit_id else t.from_unit


@transaction.atomic
def transfer_confirm(
    *,
    actor: Any,
    transfer: Transfer,
    received_on: dt.date | None,
    cell: OrgUnit | None = None,
    today: dt.date | None = None,
) -> Transfer:
    """Confirm receipt on ``received_on``. An official transfer moves the member into
    ``cell`` (a cell of the receiving organization) from that day; towards outside, the
    member is transferred out that day; a temporary one keeps the member at home."""
    today = today or timezone.localdate()
    t = _lock(transfer)
    _refuse_unless_open(t)
    unit = confirming_unit(t)
    assert unit is not None
    check_perm(actor, "people.edit", unit)
    received_on = _check_day(
        received_on, field="received_on", label=_("The receipt date"), today=today
    )
    if received_on < t.issued_on:
        raise DomainError(
            _("The receipt date cannot be before the issue date %(date)s.")
            % {"date": _d(t.issued_on)},
            field="received_on",
            code="before_issue",
        )
    if t.to_unit is not None:
        _check_open_unit(t.to_unit, received_on, "to_unit")
    if t.kind == TransferKind.OFFICIAL and t.to_unit is not None:
        if cell is None and t.to_unit.is_cell:
            cell = t.to_unit
        if cell is None or not cell.is_cell or not cell.path.startswith(t.to_unit.path):
            raise DomainError(
                _("Choose the party cell of %(org)s that the member joins.")
                % {"org": t.to_unit.name},
                field="cell",
                code="cell_required",
            )
        _check_open_unit(cell, received_on, "cell")
        membership_event_add(
            actor=actor,
            person=t.person,
            kind=EventKind.MOVED,
            date=received_on,
            org_unit=cell,
            decision_number=t.letter_number,
            decision_date=t.letter_date,
            source=f"people.transfer:{t.uid}",
            today=today,
            audit=False,
        )
        t.received_in = cell
    elif t.kind == TransferKind.OFFICIAL:
        membership_event_add(
            actor=actor,
            person=t.person,
            kind=EventKind.TRANSFERRED_OUT,
            date=received_on,
            org_unit=t.from_unit,
            decision_number=t.letter_number,
            decision_date=t.letter_date,
            note=t.to_outside,
            source=f"people.transfer:{t.uid}",
            today=today,
            audit=False,
        )
    t.status = TransferStatus.RECEIVED
    t.received_on = received_on
    t.received_by = actor if getattr(actor, "is_authenticated", False) else None
    t.save(update_fields=["status", "received_on", "received_by", "received_in", "updated_at"])
    record(
        action="people.transfer.received",
        actor=actor,
        target=t.person,
        org_unit=unit,
        data={"letter": t.letter_number, "date": received_on, "org_unit": t.received_in},
    )
    return t


@transaction.atomic
def transfer_cancel(
    *, actor: Any, transfer: Transfer, reason: str = "", today: dt.date | None = None
) -> Transfer:
    """The sending side withdraws a letter not yet received: nothing was counted elsewhere."""
    today = today or timezone.localdate()
    t = _lock(transfer)
    _refuse_unless_open(t)
    if t.from_unit is None:
        raise DomainError(_("An arrival from outside cannot be cancelled."), code="arrival")
    check_perm(actor, "people.edit", t.from_unit)
    t.status = TransferStatus.CANCELLED
    t.cancelled_on = today
    t.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    if reason:
        t.note = (t.note + "\n" if t.note else "") + normalize_spaces(reason)
    t.save(update_fields=["status", "cancelled_on", "closed_by", "note", "updated_at"])
    record(
        action="people.transfer.cancelled",
        actor=actor,
        target=t.person,
        org_unit=t.from_unit,
        data={"letter": t.letter_number, "note": reason},
    )
    return t


@transaction.atomic
def transfer_end_temporary(
    *, actor: Any, transfer: Transfer, ended_on: dt.date | None, today: dt.date | None = None
) -> Transfer:
    """Temporary activity ends (the member returns to the home cell's activity)."""
    today = today or timezone.localdate()
    t = _lock(transfer)
    if t.kind != TransferKind.TEMPORARY or t.status != TransferStatus.RECEIVED:
        raise DomainError(
            _("Only a received temporary activity can be ended."), code="not_temporary"
        )
    side = t.from_unit or t.to_unit  # the host ends a temporary stay from outside
    assert side is not None
    check_perm(actor, "people.edit", side)
    ended_on = _check_day(ended_on, field="ended_on", label=_("The end date"), today=today)
    assert t.received_on is not None
    if ended_on < t.received_on:
        raise DomainError(
            _("The end date cannot be before the receipt date %(date)s.")
            % {"date": _d(t.received_on)},
            field="ended_on",
        )
    t.status = TransferStatus.ENDED
    t.ended_on = ended_on
    t.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    t.save(update_fields=["status", "ended_on", "closed_by", "updated_at"])
    record(
        action="people.transfer.ended",
        actor=actor,
        target=t.person,
        org_unit=side,
        data={"letter": t.letter_number, "date": ended_on},
    )
    return t


@transaction.atomic
def transfer_arrival(
    *,
    actor: Any,
    person: Person,
    from_outside: str,
    cell: OrgUnit,
    letter_number: str,
    letter_date: dt.date | None,
    received_on: dt.date | None,
    arrives_as: str = "official",
    kind: str = TransferKind.OFFICIAL,
    temporary_until: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Transfer:
    """The receiving side records a member arriving from an organization outside the
    installation. Official: a ``transferred_in`` event on the receipt date (counted here
    from then). Temporary: no event — the member stays counted by the home organization
    outside; the host lists them (``temporary_hosted_on``)."""
    today = today or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_perm(actor, "people.edit", cell)
    from_outside = normalize_spaces(from_outside or "")
    if not from_outside:
        raise DomainError(
            _("Name the sending organization outside the system."), field="from_outside"
        )
    letter_number = _letter(letter_number)
    letter_date = _check_day(
        letter_date, field="letter_date", label=_("The date of the letter"), today=today
    )
    received_on = _check_day(
        received_on, field="received_on", label=_("The receipt date"), today=today
    )
    if received_on < letter_date:
        raise DomainError(
            _("The receipt date cannot be before the issue date %(date)s.")
            % {"date": _d(letter_date)},
            field="received_on",
            code="before_issue",
        )
    if not cell.is_cell:
        raise DomainError(_("A member must be placed in a party cell."), field="cell")
    _check_open_unit(cell, received_on, "cell")
    if kind not in TransferKind.values:
        raise DomainError(_("Choose official transfer or temporary activity."), field="kind")
    if temporary_until is not None and (
        kind != TransferKind.TEMPORARY or temporary_until <= received_on
    ):
        raise DomainError(
            _("The temporary activity must end after the receipt date %(date)s.")
            % {"date": _d(received_on)},
            field="temporary_until",
        )
    if person.status not in {MembershipStatus.NONE, MembershipStatus.TRANSFERRED_OUT}:
        raise DomainError(
            _("%(name)s is already recorded with status “%(status)s”; an arrival is not possible.")
            % {"name": person.full_name, "status": person.get_status_display()},
            field="person",
            code="invalid_event_order",
        )
    if arrives_as not in {"official", "probationary"}:
        raise DomainError(_("Choose official or probationary member."), field="arrives_as")
    if kind == TransferKind.TEMPORARY:
        open_one = _open_transfer(person)
        if open_one is not None:
            raise DomainError(
                _("%(name)s already has a transfer under way (letter %(letter)s).")
                % {"name": person.full_name, "letter": open_one.letter_number},
                field="person",
                code="already_in_transit",
            )
    t = Transfer.objects.create(
        person=person,
        kind=kind,
        status=TransferStatus.RECEIVED,
        temporary_until=temporary_until,
        from_outside=from_outside,
        to_unit=cell,
        received_in=cell,
        letter_number=letter_number,
        letter_date=letter_date,
        issued_on=letter_date,
        received_on=received_on,
        note=note or "",
        issued_by=None,
        received_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if kind == TransferKind.OFFICIAL:
        membership_event_add(
            actor=actor,
            person=person,
            kind=EventKind.TRANSFERRED_IN,
            date=received_on,
            org_unit=cell,
            decision_number=letter_number,
            decision_date=letter_date,
            note=from_outside,
            source=f"people.transfer:{t.uid}",
            arrives_as=arrives_as,
            today=today,
            audit=False,
        )
    record(
        action="people.transfer.arrived",
        actor=actor,
        target=person,
        org_unit=cell,
        data={"letter": letter_number, "origin": from_outside, "date": received_on},
    )
    return t


# --- exemption from activity ------------------------------------------------------------


@transaction.atomic
def exemption_add(
    *,
    actor: Any,
    person: Person,
    decision_number: str,
    decision_date: dt.date | None,
    decision_body: str,
    reason: str,
    start: dt.date | None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Exemption:
    """Record an exemption from work and party activity with its decision."""
    today = today or timezone.localdate()
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=person.pk)
    )
    check_perm(actor, "people.edit", person.org_unit)
    if person.status not in MEMBER_STATUSES:
        raise DomainError(
            _("%(name)s is not a party member; only members are exempted from activity.")
            % {"name": person.full_name},
            field="person",
            code="not_a_member",
        )
    decision_number = normalize_spaces(decision_number or "")
    if not decision_number:
        raise DomainError(_("The decision number is required."), field="decision_number")
    decision_body = normalize_spaces(decision_body or "")
    if not decision_body:
        raise DomainError(_("Name the body that decided."), field="decision_body")
    reason = normalize_spaces(reason or "")
    if not reason:
        raise DomainError(_("The reason is required."), field="reason")
    decision_date = _check_day(
        decision_date, field="decision_date", label=_("The decision date"), today=today
    )
    if start is None:
        raise DomainError(_("The start date is required."), field="start")
    if start < decision_date:
        raise DomainError(
            _("The exemption cannot start before its decision (%(date)s).")
            % {"date": _d(decision_date)},
            field="start",
        )
    if end is not None and end < start:
        raise DomainError(_("The end date cannot be before the start date."), field="end")
    if person.admitted_on and start < person.admitted_on:
        raise DomainError(
            _("The exemption cannot start before the member joined (%(date)s).")
            % {"date": _d(person.admitted_on)},
            field="start",
        )
    for other in person.exemptions.all():
        if other.start <= (end or dt.date.max) and start <= (other.end or dt.date.max):
            raise DomainError(
                _("This exemption overlaps the one decided by %(number)s.")
                % {"number": other.decision_number},
                field="start",
                code="overlap",
            )
    ex = Exemption.objects.create(
        person=person,
        decision_number=decision_number,
        decision_date=decision_date,
        decision_body=decision_body,
        reason=reason,
        start=start,
        end=end,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        action="people.exemption.added",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"decision": decision_number, "date": start, "note": reason},
    )
    return ex


@transaction.atomic
def exemption_end(
    *, actor: Any, exemption: Exemption, end: dt.date | None, today: dt.date | None = None
) -> Exemption:
    """Close an open exemption on ``end`` (its last exempted day)."""
    today = today or timezone.localdate()
    ex = (
        Exemption.objects.select_for_update(of=("self",))
        .select_related("person__org_unit")
        .get(pk=exemption.pk)
    )
    check_perm(actor, "people.edit", ex.person.org_unit)
    if ex.end is not None:
        raise DomainError(
            _("This exemption already ends on %(date)s.") % {"date": _d(ex.end)}, code="ended"
        )
    end = _check_day(end, field="end", label=_("The end date"), today=today)
    if end < ex.start:
        raise DomainError(_("The end date cannot be before the start date."), field="end")
    ex.end = end
    ex.save(update_fields=["end", "updated_at"])
    record(
        action="people.exemption.ended",
        actor=actor,
        target=ex.person,
        org_unit=ex.person.org_unit,
        data={"decision": ex.decision_number, "date": end},
    )
    return ex
