"""Keys of ``ptdv report summary`` owned by the registry."""

from __future__ import annotations

from typing import Any

from ptdv.core.summary import SummaryContext
from ptdv.organizations.selectors import grassroots_in
from ptdv.people.selectors import member_counts_on


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    counts = member_counts_on(ctx.org, ctx.date_to, restated=ctx.restated)
    probationary = counts.get("probationary", 0)
    official = counts.get("official", 0)
    return {
        "grassroots_organizations": grassroots_in(ctx.org, on=ctx.date_to).count(),
        "members": {
            "as_of": ctx.date_to.isoformat(),
            "total": probationary + official,
            "official": official,
            "probationary": probationary,
        },
    }
