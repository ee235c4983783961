"""Everything the reports read from the admissions and training apps, gathered here.

Reports sit above both apps and import them directly (imports point one way:
reports → admissions, training → people → organizations). The figures come from their
selectors: attendees from ``ptdv.training.selectors.attendee_enrolments``.
"""

from __future__ import annotations

import datetime as dt
import statistics as stats
from dataclasses import dataclass, field
from typing import Any

from ptdv.admissions import models as _admissions
from ptdv.organizations.history import at_date_q
from ptdv.organizations.models import OrgUnit
from ptdv.reports.case_rows import (  # the rows of the funnel indicators, re-exported
    AWARENESS_CODE as AWARENESS_CODE,
)
from ptdv.reports.case_rows import COHORT_STAGES as COHORT_STAGES
from ptdv.reports.case_rows import FUNNEL_CASE_STAGES as FUNNEL_CASE_STAGES
from ptdv.reports.case_rows import NOT_PROGRESS as NOT_PROGRESS
from ptdv.reports.case_rows import awareness_enrolments as awareness_enrolments
from ptdv.reports.case_rows import case_stage_changes as case_stage_changes
from ptdv.reports.case_rows import cohort_cases as cohort_cases
from ptdv.reports.case_rows import cohort_labels as cohort_labels
from ptdv.reports.selectors import admitted_periods, days_to_recognition, indicator_counts
from ptdv.targets.rules import Pipeline
from ptdv.training import models as _training


def _open_case_counts(org: OrgUnit) -> list[tuple[str, str, int]]:
    from django.db.models import Count

    models = _admissions
    bucket = {stage: key for key, stages in FORECAST_STAGES.items() for stage in stages}
    rows = (
        models.AdmissionCase.objects.filter(
            org_unit__path__startswith=org.path, stage__in=list(bucket)
        )
        .values("org_unit__path", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(r["org_unit__path"], bucket[r["stage"]], r["n"]) for r in rows]


def case_stage_labels() -> dict[str, str]:
    return {value: str(label) for value, label in _admissions.Stage.choices}


def course_type_names() -> dict[str, str]:
    """Names of the political centre's course types, by code."""
    return dict(_training.CourseType.objects.values_list("code", "name"))


def class_to_admission_days(org: OrgUnit, period: Any) -> list[int]:
    """For the people admitted in the period: days from the end of their last awareness
    class before the ceremony to the ceremony."""
    models = _training
    periods = admitted_periods(org, period)
    admitted = dict(periods.values_list("person_id", "start"))
    last_class: dict[int, dt.date] = {}
    rows = models.Enrolment.objects.filter(
        person_id__in=periods.values("person_id"),  # a subquery, not a list of ids
        klass__course_type__code=AWARENESS_CODE,
        status="accepted",
    ).values_list("person_id", "klass__end_on")
    for pid, end in rows:
        if (
            pid in admitted
            and end <= admitted[pid]
            and (pid not in last_class or end > last_class[pid])
        ):
            last_class[pid] = end
    return [(admitted[pid] - end).days for pid, end in last_class.items()]


# Forecast buckets → the current stages of open cases.
FORECAST_STAGES = {
    "in_class": ["source_list", "awareness_class"],
    "at_vote": [
        "application",
        "background_declared",
        "vetting",
        "introductions_collected",
        "cell_voted",
        "partial_committee_appraised",
    ],
    "decision_pending": ["grassroots_voted", "escalated", "decided"],
}


def case_funnel(org: OrgUnit, period: Any) -> list[dict[str, Any]]:
    """From the StageChange history: per funnel stage, the cases entering it in the
    period, and the median days they stayed (entry → their next stage change)."""
    models = _admissions
    case_ids = models.StageChange.objects.filter(
        on__gte=period.date_from,
        on__lte=period.date_to,
        org_unit__path__startswith=org.path,
        to_stage__in=list(FUNNEL_CASE_STAGES.values()),
    ).values("case_id")
    history: dict[int, list[tuple[dt.date, int, str, str]]] = {}
    for case_id, on, pk, src, dst in models.StageChange.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "on", "id", "from_stage", "to_stage"):
        history.setdefault(case_id, []).append((on, pk, src, dst))
    out = []
    for key, stage in FUNNEL_CASE_STAGES.items():
        entered = 0
        stays: list[int] = []
        for changes in history.values():
            changes.sort()
            for i, (on, _pk, _src, dst) in enumerate(changes):
                if dst != stage or not (period.date_from <= on <= period.date_to):
                    continue
                entered += 1
                if i + 1 < len(changes):
                    stays.append((changes[i + 1][0] - on).days)
                break
        out.append({"stage": key, "count": entered, "median_days": median(stays)})
    return out


def cohort(org: OrgUnit, period: Any) -> list[FunnelStage]:
    """The cases opened in the period and how many of them reached each stage by now,
    as a share of the cohort (so no stage exceeds 100 %)."""
    from django.utils.translation import gettext as _

    labels = cohort_labels()
    keys = [f"cohort.{k}" for k in COHORT_STAGES]
    counts = indicator_counts(keys, org, period)
    opened = counts["cohort.opened"]
    stages = []
    for key in COHORT_STAGES:
        n = counts[f"cohort.{key}"]
        stage = FunnelStage(key, labels[key], n, link_key=f"cohort.{key}")
        if opened and key != "opened":
            stage.conversion = round(100 * n / opened, 1)
        stages.append(stage)
    stages[0].label = _("Case opened")
    return stages


# The funnel as cohorts: for each stage, the cases that ENTERED it in the period and what
# became of them by now — reached the next stage (or a later one: a skipped stage counts),
# stopped (rejected, removed from the probationary list), or still on their way. Each
# share is of the people who entered that stage, so it never exceeds 100 %.
OUTCOME_STAGES = {  # funnel key → the case stage whose entry marks it
    "source": "source_list",
    "class": "awareness_class",
    "dossier": "application",
    "decision": "decided",
    "probation": "probation",
    "official": "recognized",
}
STOPPED = ("rejected", "removed")


@dataclass
class StageOutcome:
    key: str
    entered: int
    moved_on: int | None  # None for the last stage (nothing comes after it)
    stopped: int
    still: int

    @property
    def share(self) -> float | None:
        """Of the people who entered the stage, the share that reached the next one."""
        if self.moved_on is None or not self.entered:
            return None
        return round(100 * self.moved_on / self.entered, 1)


def stage_outcomes(org: OrgUnit, period: Any, *, restated: bool = False) -> list[StageOutcome]:
    from django.db.models import Count, Exists, OuterRef, Q

    models = _admissions
    progress = [v for v in models.Stage.values if v not in NOT_PROGRESS]
    keys = list(OUTCOME_STAGES)
    out = []
    for i, key in enumerate(keys):
        stage = OUTCOME_STAGES[key]
        entries = models.StageChange.objects.filter(
            at_date_q(org, unit_field="org_unit", date_field="on", restated=restated),
            to_stage=stage,
            on__gte=period.date_from,
            on__lte=period.date_to,
        )
        cases = models.AdmissionCase.objects.filter(pk__in=entries.values("case_id"))
        stopped_q = Q(stage__in=STOPPED)
        # the three counts of a stage read together: one query per stage, not three
        if i + 1 < len(keys):
            later = progress[progress.index(OUTCOME_STAGES[keys[i + 1]]) :]
            reached = Exists(
                models.StageChange.objects.filter(case_id=OuterRef("pk"), to_stage__in=later)
            )
            row = cases.aggregate(
                entered=Count("pk"),
                moved_on=Count("pk", filter=Q(reached)),
                stopped=Count("pk", filter=~Q(reached) & stopped_q),
            )
            moved_on: int | None = int(row["moved_on"])
        else:
            row = cases.aggregate(entered=Count("pk"), stopped=Count("pk", filter=stopped_q))
            moved_on = None
        entered, stopped = int(row["entered"]), int(row["stopped"])
        still = entered - (moved_on or 0) - stopped
        out.append(StageOutcome(key, entered, moved_on, stopped, still))
    return out


def live_pipeline(org: OrgUnit, children: list[OrgUnit]) -> dict[int, Pipeline]:
    """Per child (by pk) and for ``org`` itself: people in an awareness class, dossiers
    at the cell's vote, decisions pending — from the live admissions cases."""
    empty = {c.pk: Pipeline() for c in [org, *children]}
    # (org_path, stage, count) with stage in {"in_class", "at_vote", "decision_pending"}
    out: dict[int, dict[str, int]] = {pk: {} for pk in empty}
    for path, stage, n in _open_case_counts(org):
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


def funnel(
    org: OrgUnit,
    period: Any,
    *,
    restated: bool = False,
    outcomes: list[StageOutcome] | None = None,
) -> list[FunnelStage]:
    """source → class → dossier → decision → probation → official.

    Source, dossier and decision come from the admission cases' StageChange history
    (``case_funnel``: cases entering the stage in the period, median days until their
    next stage change). The class stage is the
    training app's attendance record (accepted awareness enrolments; median days from the
    class's end to the ceremony). Probation and official come from the membership
    history: people admitted in the period, and those of them recognized since.
    """
    from django.utils.translation import gettext as _

    labels = {
        # cases opened (every case opens at the source-list stage); the number of people
        # put on source lists is the separate figure "sources.added"
        "source": _("Admission cases opened"),
        "class": _("Awareness class"),
        "dossier": _("Dossier"),
        "decision": _("Admission decision"),
        "probation": _("Probation"),
        "official": _("Official member"),
    }
    upstream = {row["stage"]: row for row in case_funnel(org, period)}
    keys = ["admitted", "admitted.recognized_since", "class.awareness"]
    counts = indicator_counts(keys, org, period, restated=restated)
    stages = [
        FunnelStage(
            key,
            labels[key],
            upstream.get(key, {}).get("count"),
            upstream.get(key, {}).get("median_days"),
        )
        for key in ("source", "class", "dossier", "decision")
    ]
    for stage in stages:
        stage.link_key = f"case.{stage.key}"
    # attendance is the training app's record, whatever the cases say
    stages[1].count = counts["class.awareness"]
    stages[1].link_key = "class.awareness"
    stages[1].median_days = median(class_to_admission_days(org, period))
    stages.append(
        FunnelStage(
            "probation",
            labels["probation"],
            counts["admitted"],
            median(days_to_recognition(org, period, restated=restated)),
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
    # conversion: of the people who entered the previous stage in the period, the share
    # that has reached this one by now (a cohort, never above 100 %)
    if outcomes is None:
        outcomes = stage_outcomes(org, period, restated=restated)
    by_key = {o.key: o for o in outcomes}
    for before, stage in zip(stages, stages[1:], strict=False):
        o = by_key.get(before.key)
        stage.conversion = o.share if o is not None else None
    return stages


OVERDUE_SHOWN = 20


def overdue_items(org: OrgUnit, today: dt.date) -> list[dict[str, Any]]:
    """Open admission cases of the subtree whose deadline has passed (nearest first)."""
    from django.urls import NoReverseMatch, reverse

    models = _admissions
    cases = (
        models.AdmissionCase.objects.filter(
            org_unit__path__startswith=org.path,
            stage__in=list(models.OPEN_STAGES),
            due_on__lt=today,
        )
        .select_related("person", "org_unit")
        .order_by("due_on", "id")[:OVERDUE_SHOWN]
    )
    items = []
    for case in cases:
        try:
            url = reverse("admissions:case_detail", args=[case.uid])
        except NoReverseMatch:
            url = ""
        items.append(
            {
                "label": f"{case.person.full_name} — {case.get_stage_display()} "
                f"({case.org_unit.name})",
                "url": url,
                "due": case.due_on,
            }
        )
    return items
