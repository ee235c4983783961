"""Reads of the registry — always scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.core.text import fold
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit
from ptdv.people import flows
from ptdv.people.models import (
    MEMBER_STATUSES,
    EventKind,
    MembershipEvent,
    MembershipPeriod,
    MembershipStatus,
    Person,
)


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    # a MembershipStatus value, "member" (probationary + official) or "current" (masses and
    # members: not transferred out, removed or deceased); "" for everyone
    status: str = ""
    org_unit: OrgUnit | None = None
    ethnicity: str = ""
    gender: str = ""


def people_visible_to(user: Any, *, perm: str = "people.view") -> QuerySet[Person]:
    return Person.objects.filter(scope_q(user, field="org_unit", perm=perm)).filter(
        merged_into__isnull=True
    )


PERSON_LIST_ORDER = ("sort_key", "date_of_birth", "id")  # unique: pages are read by keyset


def person_list_for(*, user: Any, filters: PersonFilters | None = None) -> QuerySet[Person]:
    f = filters or PersonFilters()
    qs = people_visible_to(user).select_related("org_unit")
    if f.q:
        text = f.q.strip()
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) >= 6:
            qs = qs.filter(Q(citizen_id=digits) | Q(card_number=digits) | Q(phone__contains=digits))
        else:
            for word in fold(text).split(" "):
                qs = qs.filter(name_folded__contains=word)
    if f.status == "member":
        qs = qs.filter(status__in=list(MEMBER_STATUSES))
    elif f.status == "current":
        qs = qs.filter(status__in=[MembershipStatus.NONE, *MEMBER_STATUSES])
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.org_unit is not None:
        qs = qs.filter(org_unit__path__startswith=f.org_unit.path)
    if f.ethnicity:
        qs = qs.filter(ethnicity=f.ethnicity)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    return qs.order_by(*PERSON_LIST_ORDER)


UNIT_FILTER_SHOWN = 100  # units the people list's filter lists before a search


def unit_filter_units(
    user: Any, *, chosen: OrgUnit | None = None, limit: int = UNIT_FILTER_SHOWN
) -> list[OrgUnit]:
    """The organizations the people list's filter offers without a search: the top of the
    user's scope and the level below it (valid today), at most ``limit``, and the chosen
    one. Any other unit is found by name (``people:unit_options``), so the page does not
    grow with the tree."""
    from ptdv.organizations.selectors import units_visible_to

    units = units_visible_to(user)
    top = units.order_by("depth").values_list("depth", flat=True).first()
    shown: list[OrgUnit] = []
    if top is not None:
        shown = list(
            units.filter(depth__lte=top + 1, valid_to__isnull=True).order_by("path")[:limit]
        )
    if chosen is not None and all(u.pk != chosen.pk for u in shown):
        shown = sorted([*shown, chosen], key=lambda u: u.path)
    return shown


def person_get_for(*, user: Any, uid: Any, perm: str = "people.view") -> Person:
    person = (
        people_visible_to(user, perm=perm)
        .select_related("org_unit", "residential_unit")
        .filter(uid=uid)
        .first()
    )
    if person is None:
        raise Http404
    return person


def periods_under_q(unit: OrgUnit, *, restated: bool = False) -> Q:
    """Membership periods inside ``unit``'s subtree as the tree stood during each period
    (``restated``: also its predecessors' subtrees). The one subtree filter of periods."""
    return history.prefix_q("path", history.paths_of(unit, restated=restated))


# --- the figures of the registry: each defined ONCE -----------------------------
#
# Every page, export, API and command that shows one of these numbers reads it from here
# (ptdv/reports/README.md, "One definition per figure"). ``restated`` adds the history
# of ``unit``'s predecessors (merged or split into it): the explicit "restated to
# today's units" view, never the default.

ADMIT_KINDS = (EventKind.ADMITTED, EventKind.READMITTED)
REMOVAL_KINDS = (
    EventKind.REMOVED,
    EventKind.REMOVED_PROBATIONARY,
    EventKind.EXPELLED,
    EventKind.LEFT,
)


def member_periods_on(
    day: dt.date,
    *,
    under: OrgUnit | None = None,
    kept_by: OrgUnit | None = None,
    statuses: Iterable[str] = MEMBER_STATUSES,
    restated: bool = False,
) -> QuerySet[MembershipPeriod]:
    """THE definition of "member on date D": a membership period in one of ``statuses``
    (probationary, official) that covers ``day`` (start ≤ D < end), inside ``under``'s
    subtree as the tree stood then (or kept directly by ``kept_by``). A later transfer,
    removal or restructuring does not change the answer for a past date. Periods of one
    person do not overlap, so each person counts once. A member in transit (transfer of
    party activity) is counted by the sending unit until the receiving side confirms
    receipt: the confirmation moves the period on the receipt date, never before
    (ptdv/people/README.md, "the counting rule"; ``people.transfers.selectors``)."""
    qs = MembershipPeriod.objects.filter(status__in=list(statuses), start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gt=day)
    )
    if under is not None:
        qs = qs.filter(periods_under_q(under, restated=restated))
    if kept_by is not None:
        qs = qs.filter(org_unit=kept_by)
    return qs


def members_on(
    unit: OrgUnit,
    day: dt.date,
    *,
    statuses: Iterable[str] = MEMBER_STATUSES,
    restated: bool = False,
) -> QuerySet[Person]:
    """People who were members (in ``statuses``) of ``unit``'s subtree on ``day``."""
    periods = member_periods_on(day, under=unit, statuses=statuses, restated=restated)
    return Person.objects.filter(pk__in=periods.values("person_id"))


def member_counts_on(unit: OrgUnit, day: dt.date, *, restated: bool = False) -> dict[str, int]:
    """Members of ``unit``'s subtree on ``day`` by status (distinct people). A subtree at
    the top two levels of the tree (a province, a district or commune under it) is
    counted from the member flows (``people.flows``: the same number, by the identity
    explained there, in one small statement instead of a pass over every member period of
    the subtree); a deeper one from its periods."""
    paths = history.paths_of(unit, restated=restated)
    if flows.serves(paths):
        counted = flows.counts_on(paths, day, MEMBER_STATUSES)
        return {status: n for status, n in counted.items() if n}
    rows = (
        member_periods_on(day, under=unit, restated=restated)
        .values("status")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {r["status"]: r["n"] for r in rows}


# the names of the first version, kept for their callers: the same functions
members_as_of = members_on
member_counts_as_of = member_counts_on


def _age_key(date_field: str, dob_field: str) -> Any:
    def key(prefix: str) -> Any:
        return ExtractYear(prefix) * 10000 + ExtractMonth(prefix) * 100 + ExtractDay(prefix)

    return key(date_field) - key(dob_field)


def admitted_periods(
    unit: OrgUnit,
    date_from: dt.date,
    date_to: dt.date,
    *,
    kinds: Iterable[str] = ADMIT_KINDS,
    restated: bool = False,
) -> QuerySet[MembershipPeriod]:
    """THE definition of "admitted in the period": a probationary period in the subtree
    (as the tree stood then) starting in the period on the day of an ``admitted`` or
    ``readmitted`` event (the ceremony). Admitted INCLUDES re-admissions; a transfer in
    is not an admission. Annotated with ``age_diff`` (yyyymmdd difference: age at the
    ceremony = age_diff // 10000)."""
    ceremony = MembershipEvent.objects.filter(
        person_id=OuterRef("person_id"), kind__in=list(kinds), date=OuterRef("start")
    )
    return (
        MembershipPeriod.objects.filter(
            periods_under_q(unit, restated=restated),
            status=MembershipStatus.PROBATIONARY,
            start__gte=date_from,
            start__lte=date_to,
        )
        .filter(Exists(ceremony))
        .annotate(age_diff=_age_key("start", "person__date_of_birth"))
    )


def readmitted_periods(
    unit: OrgUnit, date_from: dt.date, date_to: dt.date, *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    """Re-admitted in the period: the admitted whose ceremony is a ``readmitted`` event
    (a separate figure, and a part of "admitted")."""
    return admitted_periods(
        unit, date_from, date_to, kinds=[EventKind.READMITTED], restated=restated
    )


def recognized_periods(
    unit: OrgUnit, date_from: dt.date, date_to: dt.date, *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    """Recognized as official members in the period: an official period in the subtree
    starting in the period on the day of a ``recognized`` event (the official date)."""
    recognition = MembershipEvent.objects.filter(
        person_id=OuterRef("person_id"), kind=EventKind.RECOGNIZED, date=OuterRef("start")
    )
    return MembershipPeriod.objects.filter(
        periods_under_q(unit, restated=restated),
        status=MembershipStatus.OFFICIAL,
        start__gte=date_from,
        start__lte=date_to,
    ).filter(Exists(recognition))


def removed_periods(
    unit: OrgUnit,
    date_from: dt.date,
    date_to: dt.date,
    *,
    kinds: Iterable[str] = REMOVAL_KINDS,
    restated: bool = False,
) -> QuerySet[MembershipPeriod]:
    """Removed in the period: a member period in the subtree ending in the period on the
    day of a removal, removal from the probationary list, expulsion or leaving (``kinds``
    narrows it, e.g. to ``removed_probationary``). Counted where the person was then."""
    removal = MembershipEvent.objects.filter(
        person_id=OuterRef("person_id"), kind__in=list(kinds), date=OuterRef("end")
    )
    return MembershipPeriod.objects.filter(
        periods_under_q(unit, restated=restated),
        status__in=list(MEMBER_STATUSES),
        end__gte=date_from,
        end__lte=date_to,
    ).filter(Exists(removal))


def people_of(periods: QuerySet[Any]) -> QuerySet[Person]:
    """The distinct people behind figure rows (anything with a ``person_id``)."""
    return Person.objects.filter(pk__in=periods.values("person_id"))


def people_count(rows: QuerySet[Any]) -> int:
    """``people_of(rows).count()`` from the rows alone (``COUNT(DISTINCT person_id)``):
    the people table is not scanned, so the cost follows the rows (the subtree), not the
    number of people in the database."""
    return int(rows.aggregate(n=Count("person_id", distinct=True))["n"] or 0)


def member_counts_by_unit(
    user: Any, *, under: OrgUnit | None = None, day: dt.date | None = None
) -> dict[int, int]:
    """Members on ``day`` (default today) kept directly by each unit — ONE aggregated query
    for a whole tree, by the one definition of a member on a date."""
    from django.utils import timezone

    rows = (
        member_periods_on(day or timezone.localdate(), under=under)
        .filter(scope_q(user, field="org_unit", perm="people.view"))
        .values("org_unit_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {r["org_unit_id"]: r["n"] for r in rows}


def member_totals_on(paths: list[str], day: dt.date) -> dict[str, int]:
    """Members on ``day`` of each subtree named by its path on that day (the dated tree's
    nodes), ONE query whatever the number of nodes. The nodes at the top two levels of
    the tree are counted from the member flows (``people.flows.totals_parts``: a
    province's root without a pass over its periods), the others from their periods — an
    aggregate per path length (a row's prefix of that length names its node); every part
    joined by UNION ALL."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    served = [p for p in set(paths) if flows.serves([p])]
    parts = flows.totals_parts(served, day, MEMBER_STATUSES) if served else []
    by_len: dict[int, list[str]] = {}
    for p in set(paths) - set(served):
        by_len.setdefault(len(p), []).append(p)
    parts += [
        member_periods_on(day)
        .filter(history.prefix_q("path", group))
        .annotate(prefix=Substr("path", 1, length))
        .values("prefix")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
        for length, group in sorted(by_len.items())
    ]
    return flows.add_up(parts)
