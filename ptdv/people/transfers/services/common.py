"""What every transfer write shares: the audit labels, the deadline of a transfer
(``due_date``, from the policy and the working-day calendar), the checks of a date and a
unit, the lock on an open transfer."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.audit.labels import register, register_keys
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import (
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)
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


def day_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_date(kind: str, issued_on: dt.date) -> tuple[dt.date, str]:
    """The day by which the receiving side should confirm, and the rule set used."""
    policy = loader.policy_on(issued_on)
    days = int(policy.values[POLICY_KEYS[TransferKind(kind)]])  # type: ignore[call-overload]
    return calendar.add_working_days(issued_on, days), policy.code


def check_day(value: dt.date | None, *, field: str, label: str, today: dt.date) -> dt.date:
    if value is None:
        raise DomainError(_("%(field)s is required.") % {"field": label}, field=field)
    if value > today:
        raise DomainError(
            _("%(field)s cannot be in the future.") % {"field": label},
            field=field,
            code="future_date",
        )
    return value


def check_open_unit(unit: OrgUnit, day: dt.date, field: str) -> None:
    if not unit.is_valid_on(day):
        raise DomainError(
            _("The organization %(org)s is closed or not yet founded on %(date)s.")
            % {"org": unit.name, "date": day_text(day)},
            field=field,
            code="unit_closed",
        )


def clean_letter(number: str) -> str:
    number = normalize_spaces(number or "")
    if not number:
        raise DomainError(
            _("The number of the introduction letter is required."), field="letter_number"
        )
    return number


def open_transfer_of(person: Person) -> Transfer | None:
    return (
        Transfer.objects.filter(person=person).filter(status=TransferStatus.ISSUED).first()
        or Transfer.objects.filter(
            person=person, kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED
        ).first()
    )


def lock_transfer(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )


def refuse_unless_open(t: Transfer) -> None:
    if t.status == TransferStatus.RECEIVED or t.status == TransferStatus.ENDED:
        raise DomainError(
            _("The transfer (letter %(letter)s) was already received on %(date)s.")
            % {
                "letter": t.letter_number,
                "date": day_text(t.received_on) if t.received_on else "?",
            },
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
