"""The applicant's own conditions (rules-reference §1.1–1.2): age in completed months at
the cell's vote, general education and its special-area exceptions, and the provincial
standing committee's written consents those special paths need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ptdv.policy.rules.common import (
    EDUCATION_RANK,
    WARNING,
    age_in_months,
    education_label,
    fmt,
)
from ptdv.policy.types import (
    Finding,
    Policy,
)

# ---------------------------------------------------------------- age (§1.1)


def is_over_max_age(born: dt.date, on: dt.date, p: Policy) -> bool:
    """Above ``age.max_months_normal`` (inclusive or not per ``age.max_inclusive``)."""
    months = age_in_months(born, on)
    if bool(p.extra.get("age.max_inclusive", True)):
        return months > p.age_max_months
    return months >= p.age_max_months


def check_age(
    born: dt.date,
    vote_on: dt.date,
    p: Policy,
    *,
    over_max_consent: bool = False,
    consent_pending: bool = False,
) -> list[Finding]:
    """Age in completed months at the cell's vote: at least ``age.min_months``; above
    ``age.max_months_normal`` only with the provincial standing committee's consent.
    ``consent_pending``: the consent may still come before the decision
    (``consent.required_before = "decision"``): a warning instead of an error."""
    months = age_in_months(born, vote_on)
    ctx = {
        "years": months // 12 if months > 0 else 0,
        "months": months % 12 if months > 0 else 0,
        "vote_on": fmt(vote_on),
        "min_years": p.age_min_months // 12,
        "max_years": p.age_max_months // 12,
    }
    if months < p.age_min_months:
        return [
            Finding(
                "age.too_young",
                _(
                    "On %(vote_on)s, the date of the cell's meeting, the applicant is "
                    "%(years)s years %(months)s months old: not yet %(min_years)s full years "
                    "(counted in months)."
                )
                % ctx,
                p.source("age.min_months"),
            )
        ]
    if not is_over_max_age(born, vote_on, p):
        return []
    if over_max_consent:
        return [
            Finding(
                "age.over_max_with_consent",
                _(
                    "The applicant is %(years)s years %(months)s months old, over %(max_years)s: "
                    "admitted on the special path with the written consent of the provincial "
                    "standing committee."
                )
                % ctx,
                p.source("age.over_max_requires"),
                WARNING,
            )
        ]
    if consent_pending and consent_may_follow_cell_vote(p):
        return [
            Finding(
                "age.over_max_consent_pending",
                _(
                    "On %(vote_on)s the applicant is %(years)s years %(months)s months old, "
                    "over %(max_years)s: the written consent of the provincial standing "
                    "committee (number, date, issuing body) must be recorded before the "
                    "admission decision."
                )
                % ctx,
                p.source("age.over_max_requires"),
                WARNING,
            )
        ]
    return [
        Finding(
            "age.over_max",
            _(
                "On %(vote_on)s the applicant is %(years)s years %(months)s months old, over "
                "%(max_years)s: admission needs the written consent of the provincial "
                "standing committee before the decision."
            )
            % ctx,
            p.source("age.max_months_normal"),
        )
    ]


# ---------------------------------------------------------------- education (§1.2)


def check_education(
    level: str,
    p: Policy,
    *,
    special_area: bool = False,
    fisherman: bool = False,
    village_elder: bool = False,
    provincial_consent: bool = False,
    consent_pending: bool = False,
) -> list[Finding]:
    """Lower-secondary by default; primary in special areas and for fishermen; literacy
    for village elders of those areas (or such fishermen) with provincial consent
    (``consent_pending``: the consent may still come before the decision, a warning)."""
    if level not in EDUCATION_RANK:
        return [
            Finding(
                "education.unknown_level",
                _("The applicant's general education (%(level)s) is not recorded or not known.")
                % {"level": level or "—"},
                p.source("education.min_default"),
            )
        ]
    rank = EDUCATION_RANK[level]
    if rank >= EDUCATION_RANK[p.education_min_default]:
        return []
    ctx = {
        "level": education_label(level),
        "required": education_label(p.education_min_default),
        "special": education_label(p.education_min_special_area),
        "elder": education_label(p.education_min_village_elder),
    }
    exception_area = special_area or fisherman
    if exception_area and rank >= EDUCATION_RANK[p.education_min_special_area]:
        return [
            Finding(
                "education.special_area_exception",
                _(
                    "Education %(level)s is below %(required)s; accepted under the exception "
                    "for mountain, border, island, ethnic-minority or especially difficult "
                    "areas and fishermen (minimum: %(special)s)."
                )
                % ctx,
                p.source("education.min_special_area"),
                WARNING,
            )
        ]
    if exception_area and village_elder and rank >= EDUCATION_RANK[p.education_min_village_elder]:
        return _village_elder_findings(
            ctx, p, provincial_consent=provincial_consent, consent_pending=consent_pending
        )
    if exception_area:
        message = _(
            "Education %(level)s is below the minimum even for special areas and fishermen "
            "(%(special)s; %(elder)s only for village elders with provincial consent)."
        )
        source = p.source("education.min_special_area")
    else:
        message = _("Education %(level)s is below the required minimum: %(required)s.")
        source = p.source("education.min_default")
    return [Finding("education.too_low", message % ctx, source)]


def _village_elder_findings(
    ctx: dict[str, str], p: Policy, *, provincial_consent: bool, consent_pending: bool
) -> list[Finding]:
    """Education admissible only on the path of village elders, hamlet heads and prestigious
    persons: with the provincial consent (a warning), consent still to come before the
    decision (a warning), or refused."""
    if provincial_consent:
        return [
            Finding(
                "education.village_elder_exception",
                _(
                    "Education %(level)s accepted on the path for village elders, hamlet "
                    "heads and prestigious persons, with the written consent of the "
                    "provincial standing committee."
                )
                % ctx,
                p.source("education.min_village_elder"),
                WARNING,
            )
        ]
    if consent_pending and consent_may_follow_cell_vote(p):
        return [
            Finding(
                "education.village_elder_consent_pending",
                _(
                    "Education %(level)s is accepted for a village elder, hamlet head or "
                    "prestigious person: the written consent of the provincial standing "
                    "committee must be recorded before the admission decision."
                )
                % ctx,
                p.source("education.village_elder_requires"),
                WARNING,
            )
        ]
    return [
        Finding(
            "education.village_elder_needs_consent",
            _(
                "Education %(level)s is accepted for a village elder, hamlet head or "
                "prestigious person only with the written consent of the provincial "
                "standing committee, which is not recorded."
            )
            % ctx,
            p.source("education.min_village_elder"),
        )
    ]


# ---------------------------------------------------------------- special paths' consents

CONSENT_OVER_MAX_AGE = "over_max_age"
CONSENT_VILLAGE_ELDER = "village_elder"


def consent_may_follow_cell_vote(p: Policy) -> bool:
    """``consent.required_before``: "decision" lets the cell vote before the consent."""
    return p.extra.get("consent.required_before", "decision") == "decision"


def uses_village_elder_path(
    level: str, p: Policy, *, special_area: bool, fisherman: bool, village_elder: bool
) -> bool:
    """The applicant's education is admissible only on the village-elder path: a village
    elder / hamlet head / prestigious person of a special area (or a fisherman), below the
    special-area minimum but at least ``education.min_village_elder``."""
    rank = EDUCATION_RANK.get(level)
    if rank is None or not village_elder or not (special_area or fisherman):
        return False
    return (
        EDUCATION_RANK[p.education_min_village_elder]
        <= rank
        < min(EDUCATION_RANK[p.education_min_special_area], EDUCATION_RANK[p.education_min_default])
    )


def required_consents(
    born: dt.date,
    level: str,
    on: dt.date,
    p: Policy,
    *,
    special_area: bool = False,
    fisherman: bool = False,
    village_elder: bool = False,
) -> list[str]:
    """The written consents this applicant's path needs, judged at the cell's vote ``on``:
    over 60 (``age.over_max_requires``), the village-elder path
    (``education.village_elder_requires``)."""
    kinds = []
    if is_over_max_age(born, on, p):
        kinds.append(CONSENT_OVER_MAX_AGE)
    if uses_village_elder_path(
        level, p, special_area=special_area, fisherman=fisherman, village_elder=village_elder
    ):
        kinds.append(CONSENT_VILLAGE_ELDER)
    return kinds


def consent_label(kind: str) -> str:
    labels = {
        CONSENT_OVER_MAX_AGE: _("consent to admit an applicant over 60"),
        CONSENT_VILLAGE_ELDER: _(
            "consent for the path of village elders, hamlet heads and prestigious persons"
        ),
    }
    return str(labels.get(kind, kind))


def consent_source(kind: str, p: Policy) -> str:
    if kind == CONSENT_VILLAGE_ELDER:
        return p.source("education.village_elder_requires")
    return p.source("age.over_max_requires")


def check_consents(
    required: Sequence[str],
    recorded: dict[str, dt.date | None],
    decide_on: dt.date,
    p: Policy,
) -> list[Finding]:
    """Every required consent recorded and dated no later than the decision ``decide_on``
    (``recorded``: kind → date of the consent)."""
    findings = []
    for kind in required:
        day = recorded.get(kind)
        ctx = {"consent": consent_label(kind), "date": fmt(day), "decide_on": fmt(decide_on)}
        if day is None:
            findings.append(
                Finding(
                    "consent.missing",
                    _(
                        "The written %(consent)s of the provincial standing committee is not "
                        "recorded (number, date, issuing body): the admission cannot be decided."
                    )
                    % ctx,
                    consent_source(kind, p),
                )
            )
        elif day > decide_on:
            findings.append(
                Finding(
                    "consent.after_decision",
                    _(
                        "The %(consent)s is dated %(date)s, after the decision of %(decide_on)s: "
                        "the consent must come before the decision."
                    )
                    % ctx,
                    consent_source(kind, p),
                )
            )
    return findings
