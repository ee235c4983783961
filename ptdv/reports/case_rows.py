"""The rows behind the admission-funnel indicators (``reports.selectors.INDICATORS``):
awareness-class attendees, cases entering a stage, the cohort of cases opened in a period.

They read the admissions and training apps directly; the indicator registry and the
funnel computations (``reports.pipeline``) both build on them, so neither imports the
other back.
"""

from __future__ import annotations

from typing import Any

from ptdv.admissions import models as _admissions
from ptdv.organizations.history import at_date_q
from ptdv.organizations.models import OrgUnit
from ptdv.training import selectors as _training_selectors

AWARENESS_CODE = "awareness"  # the training app's course type of the awareness class


def awareness_enrolments(org: OrgUnit, period: Any, *, restated: bool = False) -> Any:
    """The attendees of awareness classes starting in the period (the training app's one
    definition, ``attendee_enrolments``). The rows carry ``person_id`` like the membership
    periods, so the indicator machinery applies unchanged."""
    return _training_selectors.attendee_enrolments(
        org, period.date_from, period.date_to, course_type=AWARENESS_CODE, restated=restated
    )


# Funnel stage → the admission case stage whose entry marks it (StageChange.to_stage).
FUNNEL_CASE_STAGES = {
    "source": "source_list",
    "class": "awareness_class",
    "dossier": "application",
    "decision": "decided",
}


def case_stage_changes(stage: str) -> Any:
    """Indicator rows: cases of the subtree entering ``stage`` in the period (StageChange
    history), carrying ``person_id`` for the drill-down."""
    from django.db.models import F

    def rows(org: OrgUnit, period: Any, restated: bool = False) -> Any:
        models = _admissions
        return models.StageChange.objects.filter(
            at_date_q(org, unit_field="org_unit", date_field="on", restated=restated),
            to_stage=stage,
            on__gte=period.date_from,
            on__lte=period.date_to,
        ).annotate(person_id=F("case__person_id"), org_path=F("org_unit__path"))

    return rows


# The cohort view: the cases opened in the period, and how far each has got since.
# A case "reached" a stage when its history enters that stage or any later one (a case
# may skip a stage: a valid certificate at opening skips the class).
NOT_PROGRESS = {"rejected", "removed", "escalated"}  # ends or detours, not steps forward


COHORT_STAGES = {  # key → the first case stage that shows the case got this far
    "opened": "",
    "class": "awareness_class",
    "dossier": "application",
    "cell_vote": "cell_voted",
    "decision": "decided",
    "probation": "probation",
    "official": "recognized",
}


class CohortCases:
    """Indicator rows: the subtree's cases opened in the period that have reached
    ``stage`` (or a later one) by now; all of them for ``stage == ""``.

    ``base`` (the opened cases) narrowed by ``where()``: ``indicator_counts`` reads every
    stage of the cohort in ONE query over the opened cases (one ``COUNT(DISTINCT
    person_id) FILTER (WHERE …)`` each), the same rows as each stage's own."""

    def __init__(self, stage: str) -> None:
        self.stage = stage

    @staticmethod
    def base(org: OrgUnit, period: Any, restated: bool = False) -> Any:
        from django.db.models import Exists, OuterRef

        models = _admissions
        # attributed to the cell that held the case when it opened (its first step's
        # cell): a case carried to a successor cell later stays in its cohort
        opened_under = models.StageChange.objects.filter(
            at_date_q(org, unit_field="org_unit", date_field="on", restated=restated),
            case_id=OuterRef("pk"),
            from_stage="",
        )
        return models.AdmissionCase.objects.filter(
            Exists(opened_under),
            opened_on__gte=period.date_from,
            opened_on__lte=period.date_to,
        )

    def where(self) -> Any:
        """The condition "reached the stage or a later one" (None: every opened case)."""
        from django.db.models import Exists, OuterRef, Q

        if not self.stage:
            return None
        models = _admissions
        progress = [v for v in models.Stage.values if v not in NOT_PROGRESS]
        reached = progress[progress.index(self.stage) :]
        return Q(
            Exists(models.StageChange.objects.filter(case_id=OuterRef("pk"), to_stage__in=reached))
        )

    def __call__(self, org: OrgUnit, period: Any, restated: bool = False) -> Any:
        cases = self.base(org, period, restated=restated)
        where = self.where()
        return cases if where is None else cases.filter(where)


def cohort_cases(stage: str) -> CohortCases:
    return CohortCases(stage)


def cohort_labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    return {
        "opened": _("People whose admission case was opened in the period"),
        "class": _("of which reached the awareness class"),
        "dossier": _("of which submitted an application"),
        "cell_vote": _("of which voted by the cell"),
        "decision": _("of which decided for admission"),
        "probation": _("of which admitted (ceremony held)"),
        "official": _("of which recognized as official members"),
    }
