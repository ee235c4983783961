"""What the registry does when the organization tree changes (organizations sits below
people, so it announces changes and asks for checks; it never imports this module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgUnit
from ptdv.people.selectors import member_periods_on


def recut_periods(*, unit_ids: list[int], since: dt.date, **_kw: Any) -> None:
    from ptdv.people.services import periods_recut

    periods_recut(unit_ids, since)


def no_members_left(unit: OrgUnit, last_day: dt.date) -> None:
    """A unit may not end while members are still kept directly by it after its last day:
    they would be left without a unit."""
    day = last_day + dt.timedelta(days=1)
    n = member_periods_on(day, kept_by=unit).values("person_id").distinct().count()
    if n:
        raise DomainError(
            _(
                "%(unit)s still keeps %(n)s member(s) on %(date)s: move them to another cell "
                "first, or choose where they go in the merge."
            )
            % {"unit": unit.name, "n": n, "date": day.strftime("%d/%m/%Y")},
            field="date",
        )


def no_transfer_awaiting(unit: OrgUnit, last_day: dt.date) -> None:
    """A unit may not end while an introduction letter addressed to it awaits receipt: the
    member would arrive at a closed unit. Confirm or cancel the transfer first."""
    from ptdv.people.models import Transfer, TransferStatus

    waiting = (
        Transfer.objects.filter(to_unit=unit, status=TransferStatus.ISSUED)
        .select_related("person")
        .order_by("issued_on", "id")
        .first()
    )
    if waiting is not None:
        raise DomainError(
            _(
                "A transfer of party activity to %(unit)s awaits receipt (%(name)s, letter "
                "%(letter)s): confirm or cancel it before the organization ends."
            )
            % {
                "unit": unit.name,
                "name": waiting.person.full_name,
                "letter": waiting.letter_number,
            },
            field="date",
            code="transfer_awaiting",
        )
