"""Services that take back what was recorded by mistake — today, what an import added
(``exchange.services.batch_undo``): membership events withdrawn, a person deleted. One
transaction each, audited with the reason given by the caller (the batch and its row).

A person can be deleted only while nothing else refers to them (an admission case, a
class enrolment, a source entry…): the database's PROTECT says so, and the deletion is
refused with a message instead."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.audit.labels import register, register_keys
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.people.models import MembershipEvent, Person
from ptdv.people.services.membership import refresh_membership

register(
    {
        "people.events.withdrawn": gettext_lazy("Membership events withdrawn"),
        "people.person.deleted": gettext_lazy("Record deleted"),
    }
)
register_keys(
    {
        "events": gettext_lazy("events"),
        "reason": gettext_lazy("reason"),
        "batch": gettext_lazy("import batch"),
        "row": gettext_lazy("row"),
    }
)


@transaction.atomic
def membership_events_withdraw(
    *, actor: Any, person: Person, event_ids: Iterable[int], reason: str, data: dict[str, Any]
) -> int:
    """Delete these events of the person, recompute the derived status and periods; the
    number deleted. ``data`` (e.g. the batch and row) goes into the audit entry."""
    events = MembershipEvent.objects.filter(pk__in=list(event_ids), person=person)
    withdrawn = [f"{e.get_kind_display()} {e.date:%d/%m/%Y}" for e in events.order_by("date")]
    count, _by_model = events.delete()
    if not count:
        return 0
    refresh_membership(person)
    record(
        action="people.events.withdrawn",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"events": withdrawn, "reason": reason, **data},
    )
    return int(count)


@transaction.atomic
def person_delete(*, actor: Any, person: Person, reason: str, data: dict[str, Any]) -> None:
    """Delete a person with their derived periods (their events must be withdrawn first).
    Refused when another record refers to them."""
    org = person.org_unit
    label = str(person)
    try:
        with transaction.atomic():
            person.periods.all().delete()
            person.delete()
    except ProtectedError:
        raise DomainError(
            _("%(name)s is already used elsewhere; it cannot be removed.") % {"name": label},
            code="in_use",
        )
    record(
        action="people.person.deleted",
        actor=actor,
        org_unit=org,
        data={"person": label, "reason": reason, **data},
    )
