"""The reporting window and the period rows behind every people indicator: members on a
date, admitted, re-admitted, recognized, removed (each defined ONCE in
``ptdv.people.selectors``) and sources added; the organizations a user may report on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    F,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext

from ptdv.admissions.selectors import sources_added
from ptdv.core.errors import DomainError
from ptdv.organizations.models import (
    OrgUnit,
)
from ptdv.people import selectors as figures
from ptdv.people.choices import ProfessionalEducation
from ptdv.people.models import (
    MembershipPeriod,
)

HIGHER_EDUCATION = [
    ProfessionalEducation.COLLEGE,
    ProfessionalEducation.UNIVERSITY,
    ProfessionalEducation.MASTER,
    ProfessionalEducation.DOCTOR,
]


@dataclass(frozen=True)
class Period:
    """A reporting window, both ends inclusive; ``date_to`` is also the as-of date."""

    date_from: dt.date
    date_to: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))


def check_period(period: Period, *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if period.date_to < period.date_from:
        raise DomainError(
            gettext("The end of the period cannot be before its start."), field="date_to"
        )
    if period.date_to > today:
        raise DomainError(
            gettext("The as-of date cannot be in the future (today is %(today)s).")
            % {"today": today.strftime("%d/%m/%Y")},
            field="date_to",
        )


# --- scope -------------------------------------------------------------------


def report_units_for(user: Any, perm: str = "reports.view") -> list[OrgUnit]:
    """The organizations a user may choose for a report: those in scope above the cells
    (cells are reached through the "by organization" links)."""
    from ptdv.access.scope import scope_q
    from ptdv.organizations.models import CELL_KINDS

    return list(
        OrgUnit.objects.filter(scope_q(user, field="self", perm=perm))
        .exclude(kind__in=[k for k in CELL_KINDS if k != "grassroots_cell"])
        .filter(valid_to__isnull=True)
        .only("uid", "name", "depth", "path")
        .order_by("path")[:500]
    )


# --- the period rows behind every people indicator ---------------------------


def admitted_periods(
    org: OrgUnit, period: Period, *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    return figures.admitted_periods(org, period.date_from, period.date_to, restated=restated)


def readmitted_periods(
    org: OrgUnit, period: Period, *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    return figures.readmitted_periods(org, period.date_from, period.date_to, restated=restated)


def recognized_periods(
    org: OrgUnit, period: Period, *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    return figures.recognized_periods(org, period.date_from, period.date_to, restated=restated)


def removed_periods(
    org: OrgUnit, period: Period, *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    return figures.removed_periods(org, period.date_from, period.date_to, restated=restated)


def sources_added_rows(org: OrgUnit, period: Period, *, restated: bool = False) -> QuerySet[Any]:
    """The source entries behind "sources.added" (``admissions.selectors.sources_added``),
    with the ``path`` of their list's unit for the per-child counts."""
    return sources_added(org, period.date_from, period.date_to, restated=restated).annotate(
        path=F("source_list__org_unit__path")
    )


def member_periods(
    org: OrgUnit, day: dt.date, statuses: list[str], *, restated: bool = False
) -> QuerySet[MembershipPeriod]:
    return figures.member_periods_on(day, under=org, statuses=statuses, restated=restated)
