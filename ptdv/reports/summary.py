"""Builds ``ptdv report summary``: every app's ``summary.py`` adds its own keys.

The reports app itself adds ``targets`` (target, actual and percent per year),
``statistics`` (admitted, recognized, removed in the period)
and ``quality`` (the §7 breakdown of the people admitted in the period)."""

from __future__ import annotations

from typing import Any

from ptdv.core.registry import app_modules
from ptdv.core.summary import SummaryContext


def build_summary(ctx: SummaryContext) -> dict[str, Any]:
    result: dict[str, Any] = {
        "organization": {"code": ctx.org.code, "name": ctx.org.name},
        "period": {"from": ctx.date_from.isoformat(), "to": ctx.date_to.isoformat()},
        "restated": ctx.restated,
    }
    for module in app_modules("summary"):
        section = getattr(module, "summary_section", None)
        if section is not None:
            result.update(section(ctx))
    return result


def summary_section(ctx: SummaryContext) -> dict[str, Any]:
    from ptdv.people.choices import Occupation
    from ptdv.reports.selectors import (
        AGE_KEYS,
        Period,
        average_age_at_admission,
        grassroots_without_admission,
        indicator_counts,
    )
    from ptdv.reports.targets import yearly_series

    period = Period(ctx.date_from, ctx.date_to)
    years = list(range(ctx.date_from.year, ctx.date_to.year + 1))
    occupation_keys = [f"admitted.occupation.{v}" for v in Occupation.values]
    keys = [
        "admitted",
        "readmitted",
        "recognized",
        "removed",
        *AGE_KEYS,
        "admitted.women",
        "admitted.minority",
        "admitted.religious",
        "admitted.youth",
        "admitted.edu_upper_secondary",
        "admitted.edu_higher",
        "admitted.non_state_enterprise",
        "admitted.non_public_service",
        *occupation_keys,
    ]
    c = indicator_counts(keys, ctx.org, period, restated=ctx.restated)
    return {
        "targets": [  # target, actual and percent per year
            {k: row[k] for k in ("year", "target", "actual", "percent")}
            for row in yearly_series(ctx.org, years)
        ],
        "statistics": {
            "admitted": c["admitted"],
            "readmitted": c["readmitted"],
            "recognized": c["recognized"],
            "removed": c["removed"],
            "grassroots_without_admission": len(grassroots_without_admission(ctx.org, period)),
        },
        "quality": {
            "admitted": c["admitted"],
            "average_age": average_age_at_admission(ctx.org, period, restated=ctx.restated),
            "age": {k.removeprefix("admitted.age_"): c[k] for k in AGE_KEYS},
            "gender": {"female": c["admitted.women"], "male": c["admitted"] - c["admitted.women"]},
            "ethnicity": {
                "minority": c["admitted.minority"],
                "kinh": c["admitted"] - c["admitted.minority"],
            },
            "religious": c["admitted.religious"],
            "youth_union": c["admitted.youth"],
            "education": {
                "upper_secondary": c["admitted.edu_upper_secondary"],
                "college_university_postgraduate": c["admitted.edu_higher"],
            },
            "sector": {
                "non_state_enterprise": c["admitted.non_state_enterprise"],
                "non_public_service": c["admitted.non_public_service"],
                **{k.removeprefix("admitted.occupation."): c[k] for k in occupation_keys if c[k]},
            },
        },
    }
