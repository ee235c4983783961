"""Statistics as of any date and over any period, from the membership history.

Every number is the ``.count()`` of a queryset returned by ONE function,
``indicator_queryset(key, org, period)``; the drill-down list shows that same queryset.
The facts are the ``MembershipEvent`` rows and the derived ``MembershipPeriod`` rows, so
a past report gives the same answer tomorrow: a later transfer, removal or a later event
does not change the periods that cover a past date.

The figures themselves (members on a date, admitted, re-admitted, recognized, removed)
are defined ONCE in ``ptdv.people.selectors``; the indicators here add only the
breakdowns of the people admitted (age, gender, sector…).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ptdv.accounts.selectors import default_org_for as default_org_for  # re-exported
from ptdv.accounts.selectors import org_for as org_for  # re-exported
from ptdv.admissions.selectors import sources_added
from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations.models import (
    PATH_STEP,
    OrgUnit,
    ResidentialUnit,
    Sector,
    villages_on_q,
)
from ptdv.organizations.selectors import children_on, grassroots_in
from ptdv.people import selectors as figures
from ptdv.people.choices import KINH, GeneralEducation, Occupation, ProfessionalEducation
from ptdv.people.models import (
    MEMBER_STATUSES,
    EventKind,
    MembershipEvent,
    MembershipPeriod,
    MembershipStatus,
    Person,
)
from ptdv.reports import case_rows

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


# --- indicators ---------------------------------------------------------------

PeriodsFn = Callable[..., QuerySet[MembershipPeriod]]  # (org, period, restated=False)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise | str
    periods: PeriodsFn  # the period rows; people = their distinct persons
    group: str = ""


def _admitted_with(q: Q | Callable[[], Q]) -> PeriodsFn:
    def fn(org: OrgUnit, period: Period, restated: bool = False) -> QuerySet[MembershipPeriod]:
        return admitted_periods(org, period, restated=restated).filter(q() if callable(q) else q)

    return fn


_NON_STATE = Q(org_unit__sector=Sector.NON_STATE_ENTERPRISE) | Q(
    person__occupation=Occupation.PRIVATE_ENTERPRISE
)
_NON_PUBLIC = Q(org_unit__sector=Sector.NON_PUBLIC_SERVICE) | Q(
    person__occupation=Occupation.NON_PUBLIC_SERVICE
)


def _build_indicators() -> dict[str, Indicator]:
    items: list[Indicator] = [
        Indicator(
            "members",
            _("Members (probationary and official)"),
            lambda o, p, restated=False: member_periods(
                o, p.date_to, list(MEMBER_STATUSES), restated=restated
            ),
            "members",
        ),
        Indicator(
            "members.official",
            _("Official members"),
            lambda o, p, restated=False: member_periods(
                o, p.date_to, [MembershipStatus.OFFICIAL], restated=restated
            ),
            "members",
        ),
        Indicator(
            "members.probationary",
            _("Probationary members"),
            lambda o, p, restated=False: member_periods(
                o, p.date_to, [MembershipStatus.PROBATIONARY], restated=restated
            ),
            "members",
        ),
        Indicator("admitted", _("Admitted in the period"), admitted_periods, "admitted"),
        Indicator("readmitted", _("of whom re-admitted"), readmitted_periods, "admitted"),
        Indicator(
            "admitted.youth",
            _("of whom Youth Union members"),
            _admitted_with(Q(person__youth_union_member=True)),
            "quality",
        ),
        Indicator(
            "admitted.age_18_30",
            _("of whom aged 18–30 at admission"),
            _admitted_with(Q(age_diff__gte=180000, age_diff__lt=310000)),
            "quality",
        ),
        Indicator(
            "admitted.age_under_18",
            _("of whom under 18 at admission"),
            _admitted_with(Q(age_diff__lt=180000)),
            "age",
        ),
        Indicator(
            "admitted.age_31_45",
            _("of whom aged 31–45 at admission"),
            _admitted_with(Q(age_diff__gte=310000, age_diff__lt=460000)),
            "age",
        ),
        Indicator(
            "admitted.age_over_45",
            _("of whom over 45 at admission"),
            _admitted_with(Q(age_diff__gte=460000)),
            "age",
        ),
        Indicator(
            "admitted.women",
            _("of whom women"),
            _admitted_with(Q(person__gender="female")),
            "quality",
        ),
        Indicator(
            "admitted.minority",
            _("of whom ethnic minorities"),
            _admitted_with(~Q(person__ethnicity=KINH)),
            "quality",
        ),
        Indicator(
            "admitted.religious",
            _("of whom religious followers"),
            _admitted_with(~Q(person__religion="none")),
            "quality",
        ),
        Indicator(
            "admitted.edu_upper_secondary",
            _("of whom with upper secondary education"),
            _admitted_with(Q(person__education_general=GeneralEducation.UPPER_SECONDARY)),
            "quality",
        ),
        Indicator(
            "admitted.edu_higher",
            _("of whom with college, university or postgraduate degrees"),
            _admitted_with(Q(person__education_professional__in=HIGHER_EDUCATION)),
            "quality",
        ),
        Indicator(
            "admitted.non_state_enterprise",
            _("of whom in non-state enterprises"),
            _admitted_with(_NON_STATE),
            "sector",
        ),
        Indicator(
            "admitted.non_public_service",
            _("of whom in non-public service units"),
            _admitted_with(_NON_PUBLIC),
            "sector",
        ),
    ]
    for value, label in Occupation.choices:
        items.append(
            Indicator(
                f"admitted.occupation.{value}",
                label,
                _admitted_with(Q(person__occupation=value)),
                "occupation",
            )
        )
    for value, label in Sector.choices:
        items.append(
            Indicator(
                f"admitted.sector.{value}",
                label,
                _admitted_with(Q(org_unit__sector=value)),
                "cell_sector",
            )
        )
    items += [
        Indicator(
            "admitted.recognized_since",
            _("of whom recognized as official members since"),
            _admitted_with(
                lambda: Q(
                    Exists(
                        MembershipEvent.objects.filter(
                            person_id=OuterRef("person_id"),
                            kind=EventKind.RECOGNIZED,
                            date__gt=OuterRef("start"),
                        )
                    )
                )
            ),
            "funnel",
        ),
        Indicator("recognized", _("Recognized as official members"), recognized_periods, "flow"),
        Indicator(
            "sources.added",
            _("Put on a source list (outstanding masses)"),
            sources_added_rows,
            "flow",
        ),
        Indicator("removed", _("Removed, expelled or left"), removed_periods, "flow"),
    ]
    items.append(
        Indicator(
            "class.awareness",
            _("Attended an awareness class"),
            case_rows.awareness_enrolments,  # type: ignore[arg-type]
            "funnel",
        )
    )
    case_labels = {
        "source": _("Cases put on the source list"),
        "class": _("Cases reaching the awareness class stage"),
        "dossier": _("Cases with an application submitted"),
        "decision": _("Cases with an admission decision"),
    }
    for key, stage in case_rows.FUNNEL_CASE_STAGES.items():
        items.append(
            Indicator(
                f"case.{key}", case_labels[key], case_rows.case_stage_changes(stage), "funnel"
            )
        )
    for key, label in case_rows.cohort_labels().items():
        items.append(
            Indicator(
                f"cohort.{key}",
                label,
                case_rows.cohort_cases(case_rows.COHORT_STAGES[key]),
                "cohort",
            )
        )
    return {i.key: i for i in items}


INDICATORS = _build_indicators()


def indicator(key: str) -> Indicator:
    try:
        return INDICATORS[key]
    except KeyError:
        raise Http404 from None


def indicator_queryset(
    key: str, org: OrgUnit, period: Period, *, restated: bool = False
) -> QuerySet[Person]:
    """THE people behind an indicator — the count is ``.count()`` of this queryset."""
    rows = indicator(key).periods(org, period, restated=restated)
    return Person.objects.filter(pk__in=rows.values("person_id")).order_by(
        "sort_key", "date_of_birth", "id"
    )


def indicator_counts(
    keys: list[str], org: OrgUnit, period: Period, *, restated: bool = False
) -> dict[str, int]:
    """Counts of several indicators — one query each, whatever the size of the tree."""
    return {key: indicator_queryset(key, org, period, restated=restated).count() for key in keys}


def counts_by_child(
    keys: list[str],
    org: OrgUnit,
    period: Period,
    children: list[OrgUnit],
    *,
    restated: bool = False,
) -> dict[str, dict[int, int]]:
    """For each indicator, the count in each child's subtree: ONE grouped query per
    indicator — each row goes to the first child one of whose paths prefixes it (a
    ``CASE`` in the children's order), distinct people counted per child in the
    database — equal to ``indicator_queryset(key, child, …).count()``."""
    child_paths = unit_paths(children, restated=restated)
    whens = [
        When(path__startswith=p, then=Value(c.pk))
        for c in children
        for p in sorted(child_paths[c.pk])
    ]
    out: dict[str, dict[int, int]] = {}
    for key in keys:
        counts = {c.pk: 0 for c in children}
        if whens:
            rows = (
                indicator(key)
                .periods(org, period, restated=restated)
                .annotate(child=Case(*whens, default=None, output_field=IntegerField()))
                .filter(child__isnull=False)
                .values("child")
                .annotate(n=Count("person_id", distinct=True))
                .order_by()
            )
            counts.update({r["child"]: r["n"] for r in rows})
        out[key] = counts
    return out


def days_to_recognition(org: OrgUnit, period: Period, *, restated: bool = False) -> list[int]:
    """Days from admission to recognition of the people admitted in the period."""
    admitted = dict(
        admitted_periods(org, period, restated=restated).values_list("person_id", "start")
    )
    recognized = MembershipEvent.objects.filter(
        kind=EventKind.RECOGNIZED, person_id__in=list(admitted)
    ).values_list("person_id", "date")
    return [(day - admitted[pid]).days for pid, day in recognized if day > admitted[pid]]


def average_age_at_admission(
    org: OrgUnit, period: Period, *, restated: bool = False
) -> float | None:
    rows = list(
        admitted_periods(org, period, restated=restated).values_list("person_id", "age_diff")
    )
    ages = {pid: diff // 10000 for pid, diff in rows}
    if not ages:
        return None
    return round(sum(ages.values()) / len(ages), 1)


# --- organization indicators ----------------------------------------------------

ORG_LISTS = {
    "orgs.grassroots": _("Grassroots party organizations"),
    "orgs.no_admission": _("Grassroots organizations that admitted nobody"),
    "villages.no_member": _("Residential units with no party member"),
    "villages.no_cell": _("Residential units with no party cell of their own"),
}


def unit_paths(units: list[OrgUnit], *, restated: bool = False) -> dict[int, set[str]]:
    """Every path each unit ever had (restated: with its predecessors'): one query."""
    from ptdv.organizations.history import paths_of
    from ptdv.organizations.models import OrgUnitVersion

    if restated:  # predecessors followed back: a few queries per unit
        return {u.pk: set(paths_of(u, restated=True)) for u in units}
    out: dict[int, set[str]] = {u.pk: {u.path} for u in units}
    for unit_id, path in OrgUnitVersion.objects.filter(unit_id__in=list(out)).values_list(
        "unit_id", "path"
    ):
        out[unit_id].add(path)
    return out


def grassroots_without_admission(org: OrgUnit, period: Period) -> list[OrgUnit]:
    """Grassroots organizations of the tree valid at the end of the period (their
    subtree as the tree stood then) with nobody admitted in the period: the distinct
    paths of the admissions, every prefix of them, and the units none of whose paths is
    such a prefix (linear in the rows, whatever the number of units)."""
    units = list(grassroots_units(org, period))
    own = unit_paths(units)
    step = PATH_STEP + 1
    reached: set[str] = set()
    for path in admitted_periods(org, period).values_list("path", flat=True).distinct():
        reached.update(path[: i + step] for i in range(0, len(path), step))
    return [u for u in units if not own[u.pk] & reached]


def _villages(org: OrgUnit, day: dt.date) -> QuerySet[ResidentialUnit]:
    """The villages of the subtree on ``day``: by the tree and the villages' attachments
    as they stood that day (a restructuring that moved a village later changes nothing)."""
    root_path = history.path_on(org, day)
    if root_path is None:
        return ResidentialUnit.objects.none()
    units = history.versions_on(day).filter(path__startswith=root_path).values("unit_id")
    return ResidentialUnit.objects.filter(villages_on_q(day, units)).select_related("org_unit")


def villages_without_member(org: OrgUnit, period: Period) -> QuerySet[ResidentialUnit]:
    """An anti-join (NOT EXISTS), never ``NOT IN``: a ``NOT IN`` subquery that outgrows
    ``work_mem`` is rescanned for every village."""
    members = member_periods(org, period.date_to, list(MEMBER_STATUSES)).filter(
        person__residential_unit_id=OuterRef("pk")
    )
    return _villages(org, period.date_to).filter(~Exists(members))


def villages_without_cell(org: OrgUnit, period: Period) -> QuerySet[ResidentialUnit]:
    day = period.date_to
    return _villages(org, day).filter(
        Q(own_cell__isnull=True) | Q(own_cell__valid_to__lt=day) | Q(own_cell__valid_from__gt=day)
    )


def grassroots_units(org: OrgUnit, period: Period) -> QuerySet[OrgUnit]:
    """The grassroots organizations of the subtree as the tree stood at the end of the
    period (``organizations.selectors.grassroots_in``, the one definition)."""
    return grassroots_in(org, on=period.date_to).select_related("parent").order_by("path")


def org_list(key: str, org: OrgUnit, period: Period) -> list[Any]:
    if key == "orgs.grassroots":
        return list(grassroots_units(org, period))
    if key == "orgs.no_admission":
        return grassroots_without_admission(org, period)
    if key == "villages.no_member":
        return list(villages_without_member(org, period))
    if key == "villages.no_cell":
        return list(villages_without_cell(org, period))
    raise Http404


def org_list_count(key: str, org: OrgUnit, period: Period) -> int:
    if key == "orgs.grassroots":
        return grassroots_units(org, period).count()
    if key == "orgs.no_admission":
        return len(grassroots_without_admission(org, period))
    if key == "villages.no_member":
        return villages_without_member(org, period).count()
    if key == "villages.no_cell":
        return villages_without_cell(org, period).count()
    raise Http404


# --- the statistics page ----------------------------------------------------------

MAIN_KEYS = ["members", "members.official", "members.probationary", "admitted", "readmitted",
             "recognized", "removed", "sources.added"]  # fmt: skip
QUALITY_KEYS = [k for k, i in INDICATORS.items() if i.group == "quality"]
SECTOR_KEYS = ["admitted.non_state_enterprise", "admitted.non_public_service"]
AGE_KEYS = ["admitted.age_under_18", "admitted.age_18_30", "admitted.age_31_45",
            "admitted.age_over_45"]  # fmt: skip
BY_ORG_KEYS = ["members", "admitted", "recognized", "removed"]


@dataclass
class Row:
    key: str
    label: str
    count: int
    percent: float | None = None  # of the admitted total
    href: str = ""  # the drill-down, filled in by the view


def _rows(keys: list[str], counts: dict[str, int], total: int | None) -> list[Row]:
    rows = []
    for k in keys:
        n = counts[k]
        pct = round(100 * n / total, 1) if total else None
        rows.append(Row(k, str(INDICATORS[k].label), n, pct))
    return rows


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def statistics(org: OrgUnit, period: Period, *, restated: bool = False) -> dict[str, Any]:
    """Every §7 indicator for a subtree and a period. Query count is fixed. ``restated``:
    "restated to today's units" — predecessors' history attributed to their successors."""
    occupation_keys = [f"admitted.occupation.{v}" for v in Occupation.values]
    cell_sector_keys = [f"admitted.sector.{v}" for v in Sector.values]
    keys = MAIN_KEYS + QUALITY_KEYS + SECTOR_KEYS + AGE_KEYS + occupation_keys + cell_sector_keys
    counts = indicator_counts(list(dict.fromkeys(keys)), org, period, restated=restated)
    admitted = counts["admitted"]
    children = children_on(org, period.date_to)  # the tree as it stood then
    by_child = counts_by_child(BY_ORG_KEYS, org, period, children, restated=restated)
    previous = Period(_year_before(period.date_from), _year_before(period.date_to))
    return {
        "previous": Row(
            "admitted",
            str(_("Admitted in the same period a year earlier")),
            indicator_queryset("admitted", org, previous, restated=restated).count(),
        ),
        "previous_period": previous,
        "main": _rows(MAIN_KEYS, counts, None),
        "quality": _rows(QUALITY_KEYS, counts, admitted),
        "sector": _rows(SECTOR_KEYS, counts, admitted),
        "ages": _rows(AGE_KEYS, counts, admitted),
        "occupations": [r for r in _rows(occupation_keys, counts, admitted) if r.count],
        "cell_sectors": [r for r in _rows(cell_sector_keys, counts, admitted) if r.count],
        "average_age": average_age_at_admission(org, period, restated=restated),
        "admitted": admitted,
        "restated": restated,
        "org_lists": [
            Row(k, str(label), org_list_count(k, org, period)) for k, label in ORG_LISTS.items()
        ],
        "grassroots_total": grassroots_units(org, period).count(),
        "children": [
            {"org": c, "counts": {k: by_child[k][c.pk] for k in BY_ORG_KEYS}} for c in children
        ],
        "by_org_keys": [(k, str(INDICATORS[k].label)) for k in BY_ORG_KEYS],
    }
