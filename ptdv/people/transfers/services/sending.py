"""The sending side: issue a transfer (with its introduction letter), cancel it, end a
temporary one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import (
    MEMBER_STATUSES,
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)
from ptdv.people.transfers.services.common import (
    check_day,
    check_open_unit,
    clean_letter,
    day_text,
    due_date,
    lock_transfer,
    open_transfer_of,
    refuse_unless_open,
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
    letter_number = clean_letter(letter_number)
    letter_date = check_day(
        letter_date, field="letter_date", label=_("The date of the letter"), today=today
    )
    issued_on = check_day(
        issued_on or letter_date, field="issued_on", label=_("The issue date"), today=today
    )
    if letter_date > issued_on:
        raise DomainError(
            _("The letter is dated %(letter)s, after the issue date %(issued)s.")
            % {"letter": day_text(letter_date), "issued": day_text(issued_on)},
            field="letter_date",
        )
    to_outside = normalize_spaces(to_outside or "")
    _check_destination(from_unit, to_unit, to_outside, issued_on)
    last = person.events.order_by("-date", "-id").first()
    if last is not None and issued_on < last.date:
        raise DomainError(
            _("The issue date cannot be before the member's last event (%(date)s).")
            % {"date": day_text(last.date)},
            field="issued_on",
            code="date_before_previous",
        )
    if not from_unit.is_valid_on(issued_on):
        check_open_unit(from_unit, issued_on, "issued_on")
    if temporary_until is not None:
        _check_temporary_until(kind, temporary_until, issued_on)
    open_one = open_transfer_of(person)
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


def _check_destination(
    from_unit: OrgUnit, to_unit: OrgUnit | None, to_outside: str, issued_on: dt.date
) -> None:
    """One destination: a unit of the system open on the issue date and not the member's
    own (or above it), or a unit outside named."""
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
        check_open_unit(to_unit, issued_on, "to_unit")
        if to_unit.pk == from_unit.pk or from_unit.path.startswith(to_unit.path):
            raise DomainError(
                _("The member already belongs to %(org)s; choose another organization.")
                % {"org": to_unit.name},
                field="to_unit",
                code="same_unit",
            )


def _check_temporary_until(kind: str, temporary_until: dt.date, issued_on: dt.date) -> None:
    if kind != TransferKind.TEMPORARY:
        raise DomainError(_("Only temporary activity has an end date."), field="temporary_until")
    if temporary_until <= issued_on:
        raise DomainError(
            _("The temporary activity must end after the issue date %(date)s.")
            % {"date": day_text(issued_on)},
            field="temporary_until",
        )


@transaction.atomic
def transfer_cancel(
    *, actor: Any, transfer: Transfer, reason: str = "", today: dt.date | None = None
) -> Transfer:
    """The sending side withdraws a letter not yet received: nothing was counted elsewhere."""
    today = today or timezone.localdate()
    t = lock_transfer(transfer)
    refuse_unless_open(t)
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
    t = lock_transfer(transfer)
    if t.kind != TransferKind.TEMPORARY or t.status != TransferStatus.RECEIVED:
        raise DomainError(
            _("Only a received temporary activity can be ended."), code="not_temporary"
        )
    side = t.from_unit or t.to_unit  # the host ends a temporary stay from outside
    assert side is not None
    check_perm(actor, "people.edit", side)
    ended_on = check_day(ended_on, field="ended_on", label=_("The end date"), today=today)
    assert t.received_on is not None
    if ended_on < t.received_on:
        raise DomainError(
            _("The end date cannot be before the receipt date %(date)s.")
            % {"date": day_text(t.received_on)},
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
