"""Where a person lives, dated (issue 15 point 2): a move is recorded with its date, so a
check made for a past date (the cell's vote) finds the residence of that day.
``Person.residential_unit`` stays the current one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations.models import ResidentialUnit
from ptdv.people.models import Person, Residence

DAY = dt.timedelta(days=1)


@transaction.atomic
def residence_move(
    *,
    actor: Any,
    person: Person,
    village: ResidentialUnit,
    since: dt.date,
    reason: str = "",
    today: dt.date | None = None,
) -> Residence:
    """The person lives in ``village`` from ``since``: the residence before it ends the day
    before (kept, dated); the current residence follows when the move is not in the future.
    The village must exist on ``since`` (the dated tree)."""
    check_perm(actor, "people.edit", person.org_unit)
    today = today or timezone.localdate()
    if since > today:
        raise DomainError(_("The date cannot be in the future."), field="since")
    if since < person.date_of_birth:
        raise DomainError(_("The move cannot be dated before the person's birth."), field="since")
    if since < village.valid_from or (village.valid_to is not None and since > village.valid_to):
        raise DomainError(
            _("%(village)s did not exist on %(day)s.")
            % {"village": village.name, "day": since.strftime("%d/%m/%Y")},
            field="village",
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    rows = list(Residence.objects.filter(person=person).order_by("since"))
    if not rows and person.residential_unit_id is not None:
        rows = [
            Residence.objects.create(
                person=person, residential_unit_id=person.residential_unit_id, since=None
            )
        ]
    current = rows[-1] if rows else None
    if current is not None and current.since is not None and since <= current.since:
        raise DomainError(
            _("The move must be dated after the current residence began (%(day)s).")
            % {"day": current.since.strftime("%d/%m/%Y")},
            field="since",
        )
    if current is not None:
        if current.residential_unit_id == village.pk:
            raise DomainError(_("The person already lives there."), field="village")
        Residence.objects.filter(pk=current.pk).update(until=since - DAY)
    new = Residence.objects.create(
        person=person, residential_unit=village, since=since, reason=reason.strip()
    )
    Person.objects.filter(pk=person.pk).update(residential_unit=village)
    record(
        action="people.residence.moved",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={
            "from": current.residential_unit.name if current else "",
            "to": village.name,
            "date": since,
            "reason": reason.strip(),
        },
    )
    return new


def residence_rows(person: Person) -> list[tuple[int | None, str, dt.date | None, dt.date | None]]:
    """``(village id, village name, since, until)`` of every residence, oldest first; a
    person without dated rows lives in their current village since an unknown date."""
    rows = list(
        Residence.objects.filter(person=person)
        .select_related("residential_unit__org_unit")
        .order_by("id")
    )
    if rows:
        return [(r.residential_unit_id, place(r.residential_unit), r.since, r.until) for r in rows]
    unit = person.residential_unit
    if unit is None:
        return []
    return [(unit.pk, place(unit), None, None)]


def place(unit: ResidentialUnit) -> str:
    """ "Thôn Nà Pậu, xã Ngọc Phái": the village and (today's) commune."""
    commune = unit.org_unit.name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")
    return f"{unit.name}, {commune}"
