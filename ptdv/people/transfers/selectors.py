"""Reads of transfers and exemptions, scoped to the user's subtrees.

Each side sees its own: a transfer is visible to a user whose subtree holds its sending
unit, its receiving unit or the cell it was received in. The date selectors
(``in_transit_on``, ``temporary_away_on``, ``temporary_hosted_on``, ``exempted_on``) are
built on ``people.selectors.members_on`` so they follow the same dated tree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Exemption, Person, Transfer, TransferKind, TransferStatus
from ptdv.people.selectors import members_on


def transfers_visible_to(user: Any) -> QuerySet[Transfer]:
    q = (
        scope_q(user, field="from_unit")
        | scope_q(user, field="to_unit")
        | scope_q(user, field="received_in")
    )
    # every relation of the filter is a foreign key (one row each): no DISTINCT, whose
    # sort over every selected column cost more to plan than the query took to run
    return Transfer.objects.filter(q).select_related(
        "person", "from_unit", "to_unit", "received_in"
    )


def transfer_get_for(*, user: Any, uid: Any) -> Transfer:
    t = transfers_visible_to(user).filter(uid=uid).first()
    if t is None:
        raise Http404
    return t


def in_transit(qs: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return qs.filter(status=TransferStatus.ISSUED).order_by("due_on", "id")


def due_by(qs: QuerySet[Transfer], until: dt.date) -> QuerySet[Transfer]:
    """Letters not yet received whose allowed working days (``due_on``) end on or before
    ``until``: the one definition the to-do page and the reminders share."""
    return in_transit(qs).filter(due_on__isnull=False, due_on__lte=until)


def overdue(qs: QuerySet[Transfer], today: dt.date) -> QuerySet[Transfer]:
    """Letters not yet received past their allowed working days (``due_on``)."""
    return due_by(qs, today - dt.timedelta(days=1))


def history(qs: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return qs.exclude(status=TransferStatus.ISSUED).order_by("-issued_on", "-id")


def transfers_of(*, user: Any, person: Person) -> QuerySet[Transfer]:
    return transfers_visible_to(user).filter(person=person).order_by("-issued_on", "-id")


def transfers_touching(*, user: Any, unit: OrgUnit) -> QuerySet[Transfer]:
    """Transfers leaving or reaching ``unit``'s subtree (as the tree stands today)."""
    return transfers_visible_to(user).filter(
        Q(from_unit__path__startswith=unit.path)
        | Q(to_unit__path__startswith=unit.path)
        | Q(received_in__path__startswith=unit.path)
    )


def _transit_q(day: dt.date) -> Q:
    return Q(transfers__issued_on__lte=day, transfers__from_unit__isnull=False) & (
        Q(transfers__status=TransferStatus.ISSUED)
        | Q(
            transfers__status__in=[TransferStatus.RECEIVED, TransferStatus.ENDED],
            transfers__received_on__gt=day,
        )
    )


def in_transit_on(unit: OrgUnit, day: dt.date) -> QuerySet[Person]:
    """Members of ``unit``'s subtree on ``day`` whose introduction letter was issued and
    not yet received that day: counted here, by the sending side (the counting rule)."""
    return (
        members_on(unit, day)
        .filter(_transit_q(day) & Q(transfers__kind=TransferKind.OFFICIAL))
        .distinct()
    )


def _temporary_q(day: dt.date) -> Q:
    return Q(
        transfers__kind=TransferKind.TEMPORARY,
        transfers__received_on__lte=day,
        transfers__status__in=[TransferStatus.RECEIVED, TransferStatus.ENDED],
    ) & (Q(transfers__ended_on__isnull=True) | Q(transfers__ended_on__gt=day))


def temporary_away_on(unit: OrgUnit, day: dt.date) -> QuerySet[Person]:
    """Members of ``unit``'s subtree on ``day`` in temporary activity elsewhere that day
    (still counted at home; left out of a meeting's denominator, 294-QĐ/TW 9.3.2)."""
    return members_on(unit, day).filter(_temporary_q(day)).distinct()


def temporary_hosted_on(unit: OrgUnit, day: dt.date) -> QuerySet[Person]:
    """People in temporary activity in ``unit``'s subtree on ``day`` (counted at home)."""
    return (
        Person.objects.filter(_temporary_q(day))
        .filter(transfers__to_unit__path__startswith=unit.path)
        .distinct()
    )


def exempted_on(unit: OrgUnit, day: dt.date) -> QuerySet[Person]:
    """Members of ``unit``'s subtree on ``day`` exempted from work and party activity that
    day (a decision in force: ``start <= day <= end``). For vote denominators: an exempted
    member who is absent is left out; one who attends counts (294-QĐ/TW 9.3.2)."""
    return (
        members_on(unit, day)
        .filter(exemptions__start__lte=day)
        .filter(Q(exemptions__end__isnull=True) | Q(exemptions__end__gte=day))
        .distinct()
    )


def exemptions_of(person: Person) -> QuerySet[Exemption]:
    return person.exemptions.order_by("-start")


def exemption_active(ex: Exemption, day: dt.date) -> bool:
    return ex.start <= day and (ex.end is None or day <= ex.end)


def destination_units(day: dt.date) -> QuerySet[OrgUnit]:
    """Every organization open on ``day``: a transfer may go to any of them, also outside
    the sender's subtree (the receiving side then confirms it)."""
    return (
        OrgUnit.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("path")
    )


def cells_under(unit: OrgUnit, day: dt.date) -> QuerySet[OrgUnit]:
    from ptdv.organizations.models import CELL_KINDS

    return destination_units(day).filter(path__startswith=unit.path, kind__in=list(CELL_KINDS))
