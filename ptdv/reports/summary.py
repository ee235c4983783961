"""Builds ``ptdv report summary``: every app's ``summary.py`` adds its own keys."""

from __future__ import annotations

from typing import Any

from ptdv.core.registry import app_modules
from ptdv.core.summary import SummaryContext


def build_summary(ctx: SummaryContext) -> dict[str, Any]:
    result: dict[str, Any] = {
        "organization": {"code": ctx.org.code, "name": ctx.org.name},
        "period": {"from": ctx.date_from.isoformat(), "to": ctx.date_to.isoformat()},
    }
    for module in app_modules("summary"):
        section = getattr(module, "summary_section", None)
        if section is not None:
            result.update(section(ctx))
    return result
