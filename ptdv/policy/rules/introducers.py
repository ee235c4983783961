"""Who introduces the applicant (rules-reference §3; Charter Art. 4.1): two official
members, or a Youth Union / trade union resolution and one official member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

from django.utils.translation import gettext as _

from ptdv.policy.rules.common import (
    WARNING,
    age_in_months,
    completed_months,
    fmt,
)
from ptdv.policy.types import (
    ApplicantFacts,
    Finding,
    Introducer,
    Policy,
)

# ---------------------------------------------------------------- introducers (§3)

PATH_MEMBERS = "members"
PATH_YOUTH_UNION = "youth_union"
PATH_TRADE_UNION = "trade_union"


def in_youth_age(born: dt.date, on: dt.date, p: Policy) -> bool:
    """Youth age: completed years at ``on`` not above ``introducers.youth_age_max``."""
    return age_in_months(born, on) // 12 <= p.introducers_youth_age_max


def introduction_path(applicant: ApplicantFacts, vote_on: dt.date, p: Policy) -> str:
    """Which introduction the Charter (Art. 4.1) requires for this applicant."""
    if applicant.unit_has_youth_union and in_youth_age(applicant.born, vote_on, p):
        return PATH_YOUTH_UNION
    if not applicant.unit_has_youth_union and applicant.unit_has_trade_union:
        return PATH_TRADE_UNION
    return PATH_MEMBERS


def required_member_introducers(path: str, p: Policy) -> int:
    if path == PATH_MEMBERS:
        return p.introducers_default_count
    return int(cast(int, p.extra.get("introducers.union_path_members", 1)))


def check_introducers(
    introducers: Sequence[Introducer], applicant: ApplicantFacts, vote_on: dt.date, p: Policy
) -> list[Finding]:
    """Two official members, or the Youth Union / trade union resolution + one official
    member; each member official at the vote and co-working ≥ 12 months (replacement
    introducers exempt from the 12 months)."""
    charter = p.source("introducers.default_count")
    union_src = p.source("introducers.union_path_members")
    path = introduction_path(applicant, vote_on, p)
    members = [i for i in introducers if i.kind == "member"]
    needed = required_member_introducers(path, p)
    findings = _recorded_findings(introducers, members, charter)
    findings += _path_findings(path, introducers, applicant, needed, p)
    distinct = len({i.person_id for i in members})
    if distinct < needed:
        findings.append(
            Finding(
                "introducers.too_few",
                _("%(needed)s official member introducer(s) required, %(have)s recorded.")
                % {"needed": needed, "have": distinct},
                union_src if path != PATH_MEMBERS else charter,
            )
        )
    for intro in members:
        findings += _member_findings(intro, vote_on, p)
    return findings


def _recorded_findings(
    introducers: Sequence[Introducer], members: Sequence[Introducer], charter: str
) -> list[Finding]:
    """What was recorded is well formed: known kinds, no member recorded twice."""
    findings: list[Finding] = []
    unknown = [i for i in introducers if i.kind not in {"member", "youth_union", "trade_union"}]
    for _i in unknown:
        findings.append(
            Finding(
                "introducers.unknown_kind",
                _("An introducer of unknown kind (%(kind)s) was recorded.") % {"kind": _i.kind},
                charter,
            )
        )
    ids = [i.person_id for i in members]
    if len(set(ids)) != len(ids):
        findings.append(
            Finding(
                "introducers.duplicate",
                _("The same party member is recorded twice as introducer."),
                charter,
            )
        )
    return findings


def _path_findings(
    path: str,
    introducers: Sequence[Introducer],
    applicant: ApplicantFacts,
    needed: int,
    p: Policy,
) -> list[Finding]:
    """The union membership and resolution the applicant's introduction path requires
    (or a warning for a resolution on the members' path)."""
    union_src = p.source("introducers.union_path_members")
    youth = [i for i in introducers if i.kind == "youth_union"]
    trade = [i for i in introducers if i.kind == "trade_union"]
    findings: list[Finding] = []
    if path == PATH_YOUTH_UNION:
        if not applicant.youth_union_member:
            findings.append(
                Finding(
                    "introducers.youth_union_membership_required",
                    _(
                        "The applicant is of youth age in a unit with a Youth Union "
                        "organization and must be a Youth Union member."
                    ),
                    union_src,
                )
            )
        if not youth:
            findings.append(
                Finding(
                    "introducers.youth_union_resolution_missing",
                    _(
                        "An applicant of youth age (up to %(age)s) in a unit with a Youth Union "
                        "organization is introduced by the resolution of the grassroots Youth "
                        "Union executive committee and %(count)s official member(s); the "
                        "resolution is missing."
                    )
                    % {"age": p.introducers_youth_age_max, "count": needed},
                    union_src,
                )
            )
    elif path == PATH_TRADE_UNION:
        if not applicant.trade_union_member:
            findings.append(
                Finding(
                    "introducers.trade_union_membership_required",
                    _(
                        "In a unit without a Youth Union organization the applicant must be a "
                        "trade union member."
                    ),
                    union_src,
                )
            )
        if not trade:
            findings.append(
                Finding(
                    "introducers.trade_union_resolution_missing",
                    _(
                        "In a unit without a Youth Union organization the applicant is "
                        "introduced by the resolution of the grassroots trade union executive "
                        "committee and %(count)s official member(s); the resolution is missing."
                    )
                    % {"count": needed},
                    union_src,
                )
            )
    elif youth or trade:
        findings.append(
            Finding(
                "introducers.union_path_not_applicable",
                _(
                    "A union resolution was recorded, but this applicant is introduced by "
                    "%(count)s official members."
                )
                % {"count": needed},
                p.source("introducers.default_count"),
                WARNING,
            )
        )
    return findings


def _member_findings(intro: Introducer, vote_on: dt.date, p: Policy) -> list[Finding]:
    """One member introducer: official at the vote, and co-working long enough (a
    replacement introducer is exempt from the co-working time if the rule set says so)."""
    findings: list[Finding] = []
    if intro.status_on_vote != "official":
        findings.append(
            Finding(
                "introducers.not_official",
                _(
                    "Introducer no. %(id)s is not an official party member on %(vote_on)s "
                    "(probationary members cannot introduce)."
                )
                % {"id": intro.person_id, "vote_on": fmt(vote_on)},
                p.source("introducers.default_count"),
            )
        )
    if intro.replacement and bool(p.extra.get("introducers.replacement_exempt", True)):
        return findings
    if intro.cowork_since is None:
        findings.append(
            Finding(
                "introducers.cowork_unknown",
                _(
                    "The date since which introducer no. %(id)s has worked, studied or "
                    "lived with the applicant is not recorded."
                )
                % {"id": intro.person_id},
                p.source("introducers.min_cowork_months"),
            )
        )
        return findings
    min_months = p.introducers_min_cowork_months
    months = completed_months(intro.cowork_since, vote_on)
    if months < min_months:
        findings.append(
            Finding(
                "introducers.cowork_too_short",
                _(
                    "Introducer no. %(id)s has worked, studied or lived with the applicant "
                    "since %(since)s: %(months)s months at the cell's meeting, fewer than "
                    "%(min)s."
                )
                % {
                    "id": intro.person_id,
                    "since": fmt(intro.cowork_since),
                    "months": max(months, 0),
                    "min": min_months,
                },
                p.source("introducers.min_cowork_months"),
            )
        )
    return findings
