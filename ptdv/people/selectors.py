"""Reads of the registry — always scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.core.text import fold
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MEMBER_STATUSES, MembershipPeriod, MembershipStatus, Person


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
    return qs.order_by("sort_key", "date_of_birth", "id")


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


def members_as_of(
    unit: OrgUnit, day: dt.date, *, statuses: frozenset[str] = MEMBER_STATUSES
) -> QuerySet[Person]:
    """People who were members (in ``statuses``) of ``unit``'s subtree on ``day``.

    One indexed query over the derived periods; a later transfer or removal does not
    change the answer for a past date."""
    periods = MembershipPeriod.objects.filter(
        periods_under_q(unit),
        status__in=list(statuses),
        start__lte=day,
    ).filter(Q(end__isnull=True) | Q(end__gt=day))
    return Person.objects.filter(pk__in=periods.values("person_id"))


def member_counts_as_of(unit: OrgUnit, day: dt.date) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        MembershipPeriod.objects.filter(periods_under_q(unit), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values("status")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {r["status"]: r["n"] for r in rows}


def member_counts_by_unit(user: Any, *, under: OrgUnit | None = None) -> dict[int, int]:
    """Current members kept directly by each unit — ONE aggregated query for a whole tree."""
    from django.db.models import Count

    qs = people_visible_to(user).filter(status__in=list(MEMBER_STATUSES))
    if under is not None:
        qs = qs.filter(org_unit__path__startswith=under.path)
    rows = qs.values("org_unit_id").annotate(n=Count("id")).order_by()
    return {r["org_unit_id"]: r["n"] for r in rows}


def member_totals_on(paths: list[str], day: dt.date) -> dict[str, int]:
    """Members on ``day`` of each subtree named by its path on that day (the dated tree's
    nodes); one aggregated query per path length, whatever the number of nodes."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    out: dict[str, int] = {}
    by_len: dict[int, list[str]] = {}
    for p in set(paths):
        by_len.setdefault(len(p), []).append(p)
    for length, group in by_len.items():
        rows = (
            MembershipPeriod.objects.filter(
                history.prefix_q("path", group),
                status__in=list(MEMBER_STATUSES),
                start__lte=day,
            )
            .filter(Q(end__isnull=True) | Q(end__gt=day))
            .annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(n=Count("person_id", distinct=True))
            .order_by()
        )
        out.update({r["prefix"]: r["n"] for r in rows})
    return out
