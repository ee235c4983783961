"""The receiving side: confirm receipt (the member changes side on that day, never
before), record an arrival from outside the installation."""

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
    EventKind,
    MembershipStatus,
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)
from ptdv.people.services import membership_event_add
from ptdv.people.transfers.services.common import (
    check_day,
    check_open_unit,
    clean_letter,
    confirming_unit,
    day_text,
    lock_transfer,
    open_transfer_of,
    refuse_unless_open,
)


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
    t = lock_transfer(transfer)
    refuse_unless_open(t)
    unit = confirming_unit(t)
    assert unit is not None
    check_perm(actor, "people.edit", unit)
    received_on = check_day(
        received_on, field="received_on", label=_("The receipt date"), today=today
    )
    if received_on < t.issued_on:
        raise DomainError(
            _("The receipt date cannot be before the issue date %(date)s.")
            % {"date": day_text(t.issued_on)},
            field="received_on",
            code="before_issue",
        )
    if t.to_unit is not None:
        check_open_unit(t.to_unit, received_on, "to_unit")
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
        check_open_unit(cell, received_on, "cell")
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
    letter_number = clean_letter(letter_number)
    letter_date = check_day(
        letter_date, field="letter_date", label=_("The date of the letter"), today=today
    )
    received_on = check_day(
        received_on, field="received_on", label=_("The receipt date"), today=today
    )
    if received_on < letter_date:
        raise DomainError(
            _("The receipt date cannot be before the issue date %(date)s.")
            % {"date": day_text(letter_date)},
            field="received_on",
            code="before_issue",
        )
    if not cell.is_cell:
        raise DomainError(_("A member must be placed in a party cell."), field="cell")
    check_open_unit(cell, received_on, "cell")
    if kind not in TransferKind.values:
        raise DomainError(_("Choose official transfer or temporary activity."), field="kind")
    if temporary_until is not None and (
        kind != TransferKind.TEMPORARY or temporary_until <= received_on
    ):
        raise DomainError(
            _("The temporary activity must end after the receipt date %(date)s.")
            % {"date": day_text(received_on)},
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
        open_one = open_transfer_of(person)
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
