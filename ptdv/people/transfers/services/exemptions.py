"""Exemption from party activity: recorded and ended, dated."""

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
from ptdv.people.models import (
    MEMBER_STATUSES,
    Exemption,
    Person,
)
from ptdv.people.transfers.services.common import check_day, day_text

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
    decision_date = check_day(
        decision_date, field="decision_date", label=_("The decision date"), today=today
    )
    if start is None:
        raise DomainError(_("The start date is required."), field="start")
    if start < decision_date:
        raise DomainError(
            _("The exemption cannot start before its decision (%(date)s).")
            % {"date": day_text(decision_date)},
            field="start",
        )
    if end is not None and end < start:
        raise DomainError(_("The end date cannot be before the start date."), field="end")
    if person.admitted_on and start < person.admitted_on:
        raise DomainError(
            _("The exemption cannot start before the member joined (%(date)s).")
            % {"date": day_text(person.admitted_on)},
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
            _("This exemption already ends on %(date)s.") % {"date": day_text(ex.end)}, code="ended"
        )
    end = check_day(end, field="end", label=_("The end date"), today=today)
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
