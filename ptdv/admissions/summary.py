"""Keys of ``ptdv report summary`` owned by the admission app — computed from records.

- ``admitted``: ADMITTED membership events (ceremonies) dated in the period, in the subtree;
- ``recognized``: RECOGNIZED events whose date (the official date) is in the period;
- ``removed_probationary``: REMOVED_PROBATIONARY events in the period (the person's
  organization at the time: the event carries none, so the person's cell is used);
- ``open_cases_by_stage``: cases open at the end date, from the stage change history.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from ptdv.admissions.models import OPEN_STAGES, StageChange
from ptdv.core.summary import SummaryContext
from ptdv.people.models import EventKind, MembershipEvent, MembershipPeriod


def _events(ctx: SummaryContext, kind: str) -> int:
    return MembershipEvent.objects.filter(
        kind=kind,
        date__gte=ctx.date_from,
        date__lte=ctx.date_to,
        org_unit__path__startswith=ctx.org.path,
    ).count()


def _events_in_period_cell(ctx: SummaryContext, kind: str) -> int:
    """Events without an organization: counted where the person was the day before."""
    before = MembershipPeriod.objects.filter(
        person_id=OuterRef("person_id"), start__lt=OuterRef("date")
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("date")))
    return (
        MembershipEvent.objects.filter(kind=kind, date__gte=ctx.date_from, date__lte=ctx.date_to)
        .annotate(unit_path=Subquery(before.order_by("-start").values("org_unit__path")[:1]))
        .filter(
            Q(org_unit__path__startswith=ctx.org.path)
            | Q(org_unit__isnull=True, unit_path__startswith=ctx.org.path)
        )
        .count()
    )


def _open_by_stage(ctx: SummaryContext) -> dict[str, int]:
    last = (
        StageChange.objects.filter(case_id=OuterRef("case_id"), on__lte=ctx.date_to)
        .order_by("-on", "-id")
        .values("id")[:1]
    )
    rows = (
        StageChange.objects.filter(
            on__lte=ctx.date_to, case__org_unit__path__startswith=ctx.org.path
        )
        .filter(id=Subquery(last))
        .filter(to_stage__in=list(OPEN_STAGES))
        .values("to_stage")
        .annotate(n=Count("case_id"))
        .order_by("to_stage")
    )
    return {r["to_stage"]: r["n"] for r in rows}


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    return {
        "admitted": _events(ctx, EventKind.ADMITTED),
        "recognized": _events_in_period_cell(ctx, EventKind.RECOGNIZED),
        "removed_probationary": _events_in_period_cell(ctx, EventKind.REMOVED_PROBATIONARY),
        "open_cases_by_stage": _open_by_stage(ctx),
    }
