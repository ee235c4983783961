"""Everything the reports read from the admissions and training apps, isolated here.

Those apps are built in parallel; until their models exist this module answers "not
available" (None) or zeros, and the rest of the reports keeps working. Reads go through
the other apps' selectors when they offer them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import statistics as stats
from dataclasses import dataclass, field
from typing import Any

from ptdv.organizations.models import OrgUnit
from ptdv.targets.rules import Pipeline


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def admissions_available() -> bool:
    models = _module("ptdv.admissions.models")
    return models is not None and hasattr(models, "AdmissionCase")


def training_available() -> bool:
    models = _module("ptdv.training.models")
    return models is not None and hasattr(models, "Enrolment")


def live_pipeline(org: OrgUnit, children: list[OrgUnit]) -> dict[int, Pipeline]:
    """Per child (by pk) and for ``org`` itself: people in an awareness class, dossiers
    at the cell's vote, decisions pending — from the live admissions cases."""
    empty = {c.pk: Pipeline() for c in [org, *children]}
    selectors = _module("ptdv.admissions.selectors")
    fn = getattr(selectors, "pipeline_counts_by_path", None) if selectors else None
    if fn is None:
        return empty
    # contract: fn(org) -> list[(org_path, stage, count)] with stage in
    # {"in_class", "at_vote", "decision_pending"}
    out: dict[int, dict[str, int]] = {pk: {} for pk in empty}
    for path, stage, n in fn(org):
        for unit in [org, *children]:
            if path.startswith(unit.path):
                out[unit.pk][stage] = out[unit.pk].get(stage, 0) + n
    return {
        pk: Pipeline(
            in_class=d.get("in_class", 0),
            at_vote=d.get("at_vote", 0),
            decision_pending=d.get("decision_pending", 0),
        )
        for pk, d in out.items()
    }


@dataclass
class FunnelStage:
    key: str
    label: str
    count: int | None  # None: not available yet
    median_days: float | None = None
    conversion: float | None = None  # % of the previous stage
    link_key: str = ""  # indicator key of the drill-down, when there is one


@dataclass
class Funnel:
    stages: list[FunnelStage] = field(default_factory=list)
    source: str = ""  # "admissions" or "membership"


def median(values: list[int]) -> float | None:
    return float(stats.median(values)) if values else None


def overdue_items(org: OrgUnit, today: dt.date) -> list[dict[str, Any]] | None:
    selectors = _module("ptdv.admissions.selectors")
    fn = getattr(selectors, "overdue_in_subtree", None) if selectors else None
    if fn is None:
        return None
    return list(fn(org, today))
