"""Key ``targets`` of ``ptdv report summary``: target, actual and percent per year."""

from __future__ import annotations

from typing import Any

from ptdv.core.summary import SummaryContext
from ptdv.targets.selectors import yearly_series


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    years = list(range(ctx.date_from.year, ctx.date_to.year + 1))
    return {
        "targets": [
            {k: row[k] for k in ("year", "target", "actual", "percent")}
            for row in yearly_series(ctx.org, years)
        ]
    }
