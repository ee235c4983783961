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
    href: str = ""


@dataclass
class Funnel:
    stages: list[FunnelStage] = field(default_factory=list)
    source: str = ""  # "admissions" or "membership"


def median(values: list[int]) -> float | None:
    return float(stats.median(values)) if values else None


def funnel_source() -> str:
    return "admissions" if _admissions_funnel_fn() is not None else "membership"


def _admissions_funnel_fn() -> Any | None:
    selectors = _module("ptdv.admissions.selectors")
    return getattr(selectors, "funnel_stages", None) if selectors else None


def funnel(org: OrgUnit, period: Any) -> list[FunnelStage]:
    """source → class → dossier → decision → probation → official.

    The first four stages come from the admissions cases (StageChange history) when that
    app offers ``funnel_stages(org, date_from, date_to)`` returning, per stage key, the
    number of cases that reached it in the period and the median days spent in it; until
    then they are shown as "not available". Probation and official come from the
    membership history: people admitted in the period, and those of them recognized since.
    """
    from django.utils.translation import gettext as _

    from ptdv.reports.selectors import days_to_recognition, indicator_counts

    labels = {
        "source": _("Source (outstanding masses)"),
        "class": _("Awareness class"),
        "dossier": _("Dossier"),
        "decision": _("Admission decision"),
        "probation": _("Probation"),
        "official": _("Official member"),
    }
    upstream: dict[str, dict[str, Any]] = {}
    fn = _admissions_funnel_fn()
    if fn is not None:
        upstream = {row["stage"]: row for row in fn(org, period.date_from, period.date_to)}
    counts = indicator_counts(["admitted", "admitted.recognized_since"], org, period)
    stages = [
        FunnelStage(
            key,
            labels[key],
            upstream.get(key, {}).get("count") if fn is not None else None,
            upstream.get(key, {}).get("median_days"),
        )
        for key in ("source", "class", "dossier", "decision")
    ]
    stages.append(
        FunnelStage(
            "probation",
            labels["probation"],
            counts["admitted"],
            median(days_to_recognition(org, period)),
            link_key="admitted",
        )
    )
    stages.append(
        FunnelStage(
            "official",
            labels["official"],
            counts["admitted.recognized_since"],
            None,
            link_key="admitted.recognized_since",
        )
    )
    previous: int | None = None
    for s in stages:
        if s.count is not None and previous:
            s.conversion = round(100 * s.count / previous, 1)
        previous = s.count if s.count is not None else previous
    return stages


def overdue_items(org: OrgUnit, today: dt.date) -> list[dict[str, Any]] | None:
    selectors = _module("ptdv.admissions.selectors")
    fn = getattr(selectors, "overdue_in_subtree", None) if selectors else None
    if fn is None:
        return None
    return list(fn(org, today))
