"""Statistics as of any date and over any period, from the membership history.

Every number is the ``.count()`` of a queryset returned by ONE function,
``indicator_queryset(key, org, period)``; the drill-down list shows that same queryset.
The facts are the ``MembershipEvent`` rows and the derived ``MembershipPeriod`` rows, so
a past report gives the same answer tomorrow: a later transfer, removal or a later event
does not change the periods that cover a past date.

The figures themselves (members on a date, admitted, re-admitted, recognized, removed)
are defined ONCE in ``ptdv.people.selectors``; the indicators here add only the
breakdowns of the people admitted (age, gender, sector…).

One module per family: ``periods`` (the window, the period rows, the units a user may
report on), ``indicators`` (the people indicators and their counts), ``orgs`` (organization
indicators), ``statistics`` (the statistics page). Callers import from
``ptdv.reports.selectors`` (its ``__all__``).
"""

from ptdv.accounts.selectors import default_org_for, org_for  # re-exported
from ptdv.reports.selectors.indicators import (
    INDICATORS,
    Indicator,
    PeriodsFn,
    admitted_counts_in,
    average_age_at_admission,
    counts_by_child,
    days_to_recognition,
    indicator,
    indicator_count,
    indicator_counts,
    indicator_queryset,
)
from ptdv.reports.selectors.orgs import (
    ORG_LISTS,
    grassroots_units,
    grassroots_without_admission,
    org_list,
    org_list_count,
    unit_paths,
    villages_without_cell,
    villages_without_member,
)
from ptdv.reports.selectors.periods import (
    HIGHER_EDUCATION,
    Period,
    admitted_periods,
    check_period,
    member_periods,
    readmitted_periods,
    recognized_periods,
    removed_periods,
    report_units_for,
    sources_added_rows,
)
from ptdv.reports.selectors.statistics import (
    AGE_KEYS,
    BY_ORG_KEYS,
    MAIN_KEYS,
    QUALITY_KEYS,
    SECTOR_KEYS,
    Row,
    statistics,
)

__all__ = [
    "default_org_for",
    "org_for",
    "HIGHER_EDUCATION",
    "Period",
    "check_period",
    "report_units_for",
    "admitted_periods",
    "readmitted_periods",
    "recognized_periods",
    "removed_periods",
    "sources_added_rows",
    "member_periods",
    "PeriodsFn",
    "Indicator",
    "INDICATORS",
    "indicator",
    "indicator_queryset",
    "admitted_counts_in",
    "indicator_count",
    "indicator_counts",
    "counts_by_child",
    "days_to_recognition",
    "average_age_at_admission",
    "ORG_LISTS",
    "unit_paths",
    "grassroots_without_admission",
    "villages_without_member",
    "villages_without_cell",
    "grassroots_units",
    "org_list",
    "org_list_count",
    "MAIN_KEYS",
    "QUALITY_KEYS",
    "SECTOR_KEYS",
    "AGE_KEYS",
    "BY_ORG_KEYS",
    "Row",
    "statistics",
]
