"""Key ``classes`` of ``ptdv report summary``: per course type, classes and attendees.

The counting rules are those of ``ptdv.training.selectors.class_counts`` (the one
definition; also in ptdv/training/README.md).
"""

from __future__ import annotations

from typing import Any

from ptdv.core.summary import SummaryContext
from ptdv.training.selectors import class_counts


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    return {"classes": class_counts(ctx.org, ctx.date_from, ctx.date_to, restated=ctx.restated)}
