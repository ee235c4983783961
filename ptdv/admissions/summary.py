"""Keys of ``ptdv report summary`` owned by the admission app.

The membership figures are the registry's single definitions (``ptdv.people.selectors``),
over the tree as it stood on each date:

- ``admitted``: admitted in the period (re-admissions included);
- ``recognized``: recognized as official members in the period;
- ``removed_probationary``: removed from the probationary list in the period, counted
  where the person was then;
- ``sources_added``: people put on a source list in the period
  (``admissions.selectors.sources_added``);
- ``open_cases_by_stage``: cases open at the end date, from the stage change history.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from ptdv.admissions.models import OPEN_STAGES, StageChange
from ptdv.admissions.selectors import sources_added
from ptdv.core.summary import SummaryContext
from ptdv.people import selectors as figures
from ptdv.people.models import EventKind


def _open_by_stage(ctx: SummaryContext) -> dict[str, int]:
    """Each case's last stage change on or before the end date (one window over the
    subtree's changes, numbered per case latest first), counted by stage when open.

    Counted in SQL over the window's rows (``SELECT … FROM (window) GROUP BY``), not as
    ``StageChange WHERE id IN (window)``: PostgreSQL may run such a semi-join as a nested
    loop that recomputes the window for each row when its statistics are stale (minutes on
    the demo's 40,000 changes)."""
    last = (
        StageChange.objects.filter(
            on__lte=ctx.date_to, case__org_unit__path__startswith=ctx.org.path
        )
        .annotate(
            latest=Window(
                RowNumber(), partition_by=[F("case_id")], order_by=[F("on").desc(), F("id").desc()]
            )
        )
        .filter(latest=1)
        .values("to_stage")
    )
    # the inner SQL is Django's own, its values passed apart as parameters
    sql, params = last.query.sql_with_params()
    with connections[last.db].cursor() as cursor:
        cursor.execute(
            f'SELECT "last"."to_stage", COUNT(*) FROM ({sql}) "last" GROUP BY "last"."to_stage"',  # noqa: S608
            params,
        )
        counts = dict(cursor.fetchall())
    return {stage: counts[stage] for stage in sorted(counts) if stage in OPEN_STAGES}


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    span = (ctx.org, ctx.date_from, ctx.date_to)
    restated = ctx.restated
    return {
        "admitted": figures.people_count(figures.admitted_periods(*span, restated=restated)),
        "readmitted": figures.people_count(figures.readmitted_periods(*span, restated=restated)),
        "recognized": figures.people_count(figures.recognized_periods(*span, restated=restated)),
        "removed_probationary": figures.people_count(
            figures.removed_periods(
                *span, kinds=[EventKind.REMOVED_PROBATIONARY], restated=restated
            )
        ),
        "sources_added": sources_added(*span, restated=restated)
        .values("person_id")
        .distinct()
        .count(),
        "open_cases_by_stage": _open_by_stage(ctx),
    }
