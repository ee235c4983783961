"""Eligibility and procedure rules, explained (rules-reference §1–5).

Pure functions over plain data (``ptdv.policy.types``): no ORM, every date passed in, every
number read from the ``Policy`` in force (``loader.policy_on(vote_on)``). Each check returns
a list of ``Finding`` (empty = passes); an ``error`` blocks the step, a ``warning`` only
informs (e.g. an exception path that was used). Every finding carries a Vietnamese
sentence and the legal citation of the rule from the policy file.

Date arithmetic: "N months after D" is the same day-of-month N months later, clamped to
the last day of a shorter month (Bộ luật Dân sự 2015, Điều 148: "nếu tháng kết thúc thời
hạn không có ngày tương ứng thì thời hạn kết thúc vào ngày cuối cùng của tháng đó"). So
12 months after 29/02/2024 is 28/02/2025, and someone born on 29/02/2004 completes 216
months (18 years) on 28/02/2022.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Sequence

from django.utils.translation import gettext as _

from ptdv.policy import workdays
from ptdv.policy.types import (
    AdmissionFacts,
    ApplicantFacts,
    DocumentFacts,
    Finding,
    Introducer,
    Policy,
    VoteFacts,
)

ERROR = "error"
WARNING = "warning"

# General education, lowest first (same values as ptdv.people.choices.GeneralEducation).
EDUCATION_RANK = {
    "none": 0,
    "literate": 1,
    "primary": 2,
    "lower_secondary": 3,
    "upper_secondary": 4,
}

_EMPTY: frozenset[dt.date] = frozenset()


def education_label(level: str) -> str:
    labels = {
        "none": _("no schooling"),
        "literate": _("literate in Quốc ngữ"),
        "primary": _("primary school completed"),
        "lower_secondary": _("lower-secondary diploma"),
        "upper_secondary": _("upper-secondary diploma"),
    }
    return labels.get(level, level)


def document_label(doc: DocumentFacts) -> str:
    """The name of a dossier document in messages: the caller's label, else a known kind."""
    if getattr(doc, "label", ""):
        return doc.label
    labels = {
        "awareness_certificate": _("awareness class certificate"),
        "application": _("application for admission (1-KNĐ)"),
        "background": _("background form (2-KNĐ)"),
        "vetting": _("vetting results"),
        "introduction": _("introducer's letter (3-KNĐ / 3A-KNĐ)"),
        "youth_union_resolution": _("Youth Union introduction resolution (4-KNĐ)"),
        "trade_union_resolution": _("trade union introduction resolution (4A-KNĐ)"),
        "comments": _("summary of comments (5-KNĐ)"),
        "cell_resolution": _("cell resolution proposing admission (6-KNĐ)"),
        "grassroots_resolution": _("grassroots committee resolution (8-KNĐ)"),
        "provincial_consent": _("written consent of the provincial standing committee"),
        "self_review": _("probationer's self-review (10-KNĐ)"),
        "helper_comment": _("helping member's comments (11-KNĐ)"),
        "recognition_comments": _("summary of comments on recognition (12-KNĐ)"),
        "recognition_cell_resolution": _("cell resolution on recognition (13-KNĐ)"),
        "recognition_grassroots_resolution": _("grassroots resolution on recognition (15-KNĐ)"),
    }
    return str(labels.get(doc.kind, doc.kind))


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


# ---------------------------------------------------------------- date arithmetic


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` + ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def completed_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``: the largest k with add_months(start, k) <= end
    (negative when ``end`` is before ``start``)."""
    k = (end.year - start.year) * 12 + (end.month - start.month)
    while add_months(start, k) > end:
        k -= 1
    return k


def age_in_months(born: dt.date, on: dt.date) -> int:
    return completed_months(born, on)


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


# ---------------------------------------------------------------- certificate (§1.3)


def awareness_certificate_expires_on(issued_on: dt.date, p: Policy) -> dt.date:
    """The first day the awareness certificate is no longer valid."""
    end = add_months(issued_on, p.cert_awareness_validity_months)
    if p.extra.get("cert.awareness.valid_on_anniversary", False):
        end += dt.timedelta(days=1)
    return end


def awareness_certificate_valid_until(issued_on: dt.date, p: Policy) -> dt.date:
    """The last day the awareness certificate is valid (shown as "valid until")."""
    return awareness_certificate_expires_on(issued_on, p) - dt.timedelta(days=1)


def check_awareness_certificate(
    issued_on: dt.date | None, vote_on: dt.date, p: Policy
) -> list[Finding]:
    """The certificate must exist, predate the vote and still be valid on the vote date."""
    key = "cert.awareness.validity_months"
    if issued_on is None:
        return [
            Finding(
                "cert.missing",
                _("No certificate of the class on awareness of the Party is recorded."),
                p.source(key),
            )
        ]
    if issued_on > vote_on:
        return [
            Finding(
                "cert.issued_after_vote",
                _(
                    "The awareness certificate (%(issued)s) is dated after the cell's meeting "
                    "(%(vote_on)s)."
                )
                % {"issued": fmt(issued_on), "vote_on": fmt(vote_on)},
                p.source(key),
            )
        ]
    expires = awareness_certificate_expires_on(issued_on, p)
    if vote_on >= expires:
        return [
            Finding(
                "cert.expired",
                _(
                    "The awareness certificate issued on %(issued)s is valid for %(months)s "
                    "months, until %(valid_until)s: it cannot be used at the cell's meeting on "
                    "%(vote_on)s; the applicant must take the class again."
                )
                % {
                    "issued": fmt(issued_on),
                    "months": p.cert_awareness_validity_months,
                    "valid_until": fmt(expires - dt.timedelta(days=1)),
                    "vote_on": fmt(vote_on),
                },
                p.source(key),
            )
        ]
    return []


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
    return int(p.extra.get("introducers.union_path_members", 1))  # type: ignore[call-overload]


def check_introducers(
    introducers: Sequence[Introducer], applicant: ApplicantFacts, vote_on: dt.date, p: Policy
) -> list[Finding]:
    """Two official members, or the Youth Union / trade union resolution + one official
    member; each member official at the vote and co-working ≥ 12 months (replacement
    introducers exempt from the 12 months)."""
    findings: list[Finding] = []
    charter = p.source("introducers.default_count")
    union_src = p.source("introducers.union_path_members")
    path = introduction_path(applicant, vote_on, p)
    members = [i for i in introducers if i.kind == "member"]
    youth = [i for i in introducers if i.kind == "youth_union"]
    trade = [i for i in introducers if i.kind == "trade_union"]
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
    needed = required_member_introducers(path, p)
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
    else:
        if youth or trade:
            findings.append(
                Finding(
                    "introducers.union_path_not_applicable",
                    _(
                        "A union resolution was recorded, but this applicant is introduced by "
                        "%(count)s official members."
                    )
                    % {"count": needed},
                    charter,
                    WARNING,
                )
            )
    distinct = len(set(ids))
    if distinct < needed:
        findings.append(
            Finding(
                "introducers.too_few",
                _("%(needed)s official member introducer(s) required, %(have)s recorded.")
                % {"needed": needed, "have": distinct},
                union_src if path != PATH_MEMBERS else charter,
            )
        )
    min_months = p.introducers_min_cowork_months
    exempt = bool(p.extra.get("introducers.replacement_exempt", True))
    for intro in members:
        if intro.status_on_vote != "official":
            findings.append(
                Finding(
                    "introducers.not_official",
                    _(
                        "Introducer no. %(id)s is not an official party member on %(vote_on)s "
                        "(probationary members cannot introduce)."
                    )
                    % {"id": intro.person_id, "vote_on": fmt(vote_on)},
                    charter,
                )
            )
        if intro.replacement and exempt:
            continue
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
            continue
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


# ---------------------------------------------------------------- documents (§2)


def check_documents(docs: Sequence[DocumentFacts], vote_on: dt.date, p: Policy) -> list[Finding]:
    """Required documents present (not missing/returned), dated no later than the vote,
    verified (warning otherwise) and, for the kinds that go stale, not older than
    ``dossier.stale_after_months`` at the vote."""
    findings: list[Finding] = []
    src = p.source("dossier.stale_after_months")
    stale_kinds = set(p.extra.get("dossier.stale_kinds", ()))  # type: ignore[call-overload]
    for doc in docs:
        ctx = {"kind": document_label(doc), "issued": fmt(doc.issued_on), "vote_on": fmt(vote_on)}
        if doc.status == "missing":
            if doc.required:
                findings.append(
                    Finding(
                        "documents.missing",
                        _("The required document “%(kind)s” is missing.") % ctx,
                        src,
                    )
                )
            continue
        if doc.status == "returned":
            if doc.required:
                findings.append(
                    Finding(
                        "documents.returned",
                        _("The document “%(kind)s” was returned and must be submitted again.")
                        % ctx,
                        src,
                    )
                )
            continue
        if doc.status == "received":
            findings.append(
                Finding(
                    "documents.not_verified",
                    _("The document “%(kind)s” has been received but not yet verified.") % ctx,
                    src,
                    WARNING,
                )
            )
        if doc.issued_on is None:
            continue
        if doc.issued_on > vote_on:
            findings.append(
                Finding(
                    "documents.issued_after_vote",
                    _(
                        "The document “%(kind)s” is dated %(issued)s, after the cell's meeting "
                        "(%(vote_on)s)."
                    )
                    % ctx,
                    src,
                )
            )
            continue
        if doc.kind in stale_kinds:
            limit = add_months(doc.issued_on, p.dossier_stale_after_months)
            if vote_on > limit:
                findings.append(
                    Finding(
                        "documents.stale",
                        _(
                            "The document “%(kind)s” of %(issued)s is more than %(months)s "
                            "months old at the cell's meeting (%(vote_on)s) and must be redone."
                        )
                        % {**ctx, "months": p.dossier_stale_after_months},
                        src,
                    )
                )
    return findings


# ---------------------------------------------------------------- papers before a decision

DECISION_PAPERS_KEYS = {
    "admission": "dossier.required_for_admission_decision",
    "recognition": "dossier.required_for_recognition_decision",
}


def papers_required_for(purpose: str, p: Policy) -> list[str]:
    return list(p.extra.get(DECISION_PAPERS_KEYS[purpose], ()))  # type: ignore[call-overload]


def check_decision_papers(
    purpose: str,
    docs: Sequence[DocumentFacts],
    waived: dict[str, str],
    p: Policy,
) -> list[Finding]:
    """A decision (admission / recognition) is recorded only when every required paper
    (``dossier.required_for_<purpose>_decision``, as given in ``docs``) is received or
    verified, unless an exception with its reason (``waived``: kind → reason) is recorded:
    then a warning naming the exception."""
    src = p.source(DECISION_PAPERS_KEYS[purpose])
    findings: list[Finding] = []
    for doc in docs:
        if not doc.required or doc.status in ("received", "verified"):
            continue
        ctx = {"kind": document_label(doc), "reason": waived.get(doc.kind, "")}
        if doc.kind in waived:
            findings.append(
                Finding(
                    "papers.waived",
                    _("“%(kind)s” is missing; decided under a recorded exception: %(reason)s")
                    % ctx,
                    src,
                    WARNING,
                )
            )
        else:
            findings.append(
                Finding(
                    "papers.missing",
                    _(
                        "The decision cannot be recorded: the required paper “%(kind)s” is "
                        "missing or was returned (record it, or record an exception with its "
                        "reason)."
                    )
                    % ctx,
                    src,
                )
            )
    return findings


# ---------------------------------------------------------------- votes (§4.2)

BODY_CELL = "cell"
BODY_GRASSROOTS = "grassroots"
BODY_GRASSROOTS_DECIDE = "grassroots_decide"  # grassroots committee authorised to admit
BODY_UPPER = "upper"


def vote_rule(body: str, p: Policy) -> tuple[tuple[int, int], bool, str] | None:
    """(ratio, strict, policy key) for a voting body, None for an unknown body."""
    if body == BODY_CELL:
        return p.vote_cell_ratio, False, "vote.chi_bo.admission"
    if body == BODY_GRASSROOTS:
        return p.vote_grassroots_ratio, False, "vote.grassroots.propose"
    if body == BODY_GRASSROOTS_DECIDE:
        ratio = p.extra.get("vote.grassroots.authorised_decide", p.vote_grassroots_ratio)
        return tuple(ratio), False, "vote.grassroots.authorised_decide"  # type: ignore[arg-type,return-value]
    if body == BODY_UPPER:
        return p.vote_upper_ratio, p.vote_upper_strict, "vote.upper_btv.decide"
    return None


def required_in_favour(body: str, expected: int, p: Policy) -> int:
    """The smallest number of votes in favour that passes, out of ``expected``."""
    rule = vote_rule(body, p)
    if rule is None:
        raise ValueError(f"unknown voting body {body!r}")
    (num, den), strict, _key = rule
    if strict:
        return num * expected // den + 1
    return -(-num * expected // den)


def vote_passes(body: str, expected: int, in_favour: int, p: Policy) -> bool:
    rule = vote_rule(body, p)
    if rule is None:
        return False
    (num, den), strict, _key = rule
    if strict:
        return in_favour * den > num * expected
    return in_favour * den >= num * expected


def check_vote(vote: VoteFacts, p: Policy) -> list[Finding]:
    """Counts consistent, denominator = official members of the cell (or incumbent
    committee members) — absentees do not reduce it — and the threshold of the body."""
    rule = vote_rule(vote.body, p)
    if rule is None:
        return [
            Finding(
                "vote.unknown_body",
                _("Unknown voting body: %(body)s.") % {"body": vote.body},
                p.source("vote.chi_bo.admission"),
            )
        ]
    (num, den), strict, key = rule
    src = p.source(key)
    ctx = {
        "expected": vote.expected,
        "present": vote.present,
        "in_favour": vote.in_favour,
        "against": vote.against,
    }
    counts = (vote.expected, vote.present, vote.in_favour, vote.against)
    if any(c < 0 for c in counts) or vote.expected == 0:
        return [
            Finding(
                "vote.counts_invalid",
                _(
                    "Vote counts are invalid (expected %(expected)s, present %(present)s, in "
                    "favour %(in_favour)s, against %(against)s)."
                )
                % ctx,
                src,
            )
        ]
    findings: list[Finding] = []
    if vote.present > vote.expected:
        findings.append(
            Finding(
                "vote.present_exceeds_expected",
                _("%(present)s present is more than the %(expected)s members entitled to vote.")
                % ctx,
                src,
            )
        )
    if vote.in_favour + vote.against > vote.present:
        findings.append(
            Finding(
                "vote.counts_inconsistent",
                _(
                    "%(in_favour)s in favour and %(against)s against is more than the "
                    "%(present)s present."
                )
                % ctx,
                src,
            )
        )
    if findings:
        return findings
    if vote.body == BODY_CELL:
        findings += check_cell_size(vote.expected, p)
    max_attempts = p.vote_max_attempts
    escalate_src = p.source("vote.max_attempts_then_escalate")
    if vote.attempt > max_attempts:
        findings.append(
            Finding(
                "vote.attempts_exhausted",
                _(
                    "This would be vote no. %(attempt)s; after %(max)s votes without the "
                    "required majority the case goes to the upper committee, which decides."
                )
                % {"attempt": vote.attempt, "max": max_attempts},
                escalate_src,
            )
        )
    passes = (
        vote.in_favour * den > num * vote.expected
        if strict
        else vote.in_favour * den >= num * vote.expected
    )
    if not passes:
        required = required_in_favour(vote.body, vote.expected, p)
        if strict:
            message = _(
                "%(in_favour)s in favour out of %(expected)s members: more than %(num)s/%(den)s "
                "is required, i.e. at least %(required)s."
            )
        else:
            message = _(
                "%(in_favour)s in favour out of %(expected)s members: at least %(num)s/%(den)s "
                "of all %(expected)s (absentees included) is required, i.e. %(required)s."
            )
        findings.append(
            Finding(
                "vote.below_threshold",
                message % {**ctx, "num": num, "den": den, "required": required},
                src,
            )
        )
        if vote.attempt == max_attempts:
            findings.append(
                Finding(
                    "vote.escalate",
                    _(
                        "This was vote no. %(attempt)s without the required majority: report "
                        "the full result to the upper committee, which decides."
                    )
                    % {"attempt": vote.attempt},
                    escalate_src,
                    WARNING,
                )
            )
    return findings


# ---------------------------------------------------------------- the cell's denominator

EXCLUSION_TEMPORARY = "temporary_elsewhere"
EXCLUSION_EXEMPTED_ABSENT = "exempted_absent"


def exclusion_label(category: str) -> str:
    labels = {
        EXCLUSION_TEMPORARY: _("in temporary party activity elsewhere"),
        EXCLUSION_EXEMPTED_ABSENT: _("exempted from work and party activity, absent"),
        "suspended": _("suspended from party activity"),
        "prosecuted_detained": _("prosecuted, indicted or detained"),
    }
    return str(labels.get(category, category))


def denominator_from(roll: int, excluded: Sequence[str]) -> int:
    """Official members on the roll minus the members excluded by a legal category."""
    return roll - len(excluded)


def check_denominator(
    roll: int, excluded: Sequence[str], expected: int, on: dt.date, p: Policy
) -> list[Finding]:
    """The denominator of a cell's vote: the official members on the cell's roll on the
    vote date, minus those excluded by a category of ``vote.denominator_exclusions``
    (recorded by name). Fewer without recorded exclusions is refused; more than the
    registry knows is a warning (the registry may lag)."""
    src = p.source("vote.denominator_exclusions")
    allowed = set(p.extra.get("vote.denominator_exclusions", ()))  # type: ignore[call-overload]
    unknown = sorted({c for c in excluded if c not in allowed})
    if unknown:
        return [
            Finding(
                "vote.exclusion_unknown_category",
                _("%(category)s is not a legal reason to leave a member out of the denominator.")
                % {"category": ", ".join(unknown)},
                src,
            )
        ]
    computed = denominator_from(roll, excluded)
    ctx = {
        "expected": expected,
        "roll": roll,
        "excluded": len(excluded),
        "computed": computed,
        "date": fmt(on),
    }
    if expected < computed:
        return [
            Finding(
                "vote.denominator_below_roll",
                _(
                    "The vote counts %(expected)s official members, but the cell's roll has "
                    "%(roll)s on %(date)s and %(excluded)s are excluded by a recorded legal "
                    "category: the denominator is %(computed)s. Record by name each member "
                    "left out (temporary activity elsewhere, exempted and absent, …); ordinary "
                    "absence does not reduce the denominator."
                )
                % ctx,
                src,
            )
        ]
    if expected > computed:
        return [
            Finding(
                "vote.denominator_over_registry",
                _(
                    "The cell had %(roll)s official members on %(date)s in the registry "
                    "(%(excluded)s excluded); the vote counts %(expected)s."
                )
                % ctx,
                src,
                WARNING,
            )
        ]
    return []


# ---------------------------------------------------------------- whole case


def check_admission(case: AdmissionFacts, p: Policy) -> list[Finding]:
    """Every eligibility check at the cell's vote date, in the order of the procedure."""
    a = case.applicant
    findings: list[Finding] = []
    findings += check_age(a.born, case.vote_on, p, over_max_consent=case.over_max_consent)
    findings += check_education(
        case.education_level,
        p,
        special_area=case.special_area,
        fisherman=case.fisherman,
        village_elder=case.village_elder,
        provincial_consent=case.provincial_consent,
    )
    findings += check_awareness_certificate(case.awareness_cert_issued_on, case.vote_on, p)
    findings += check_introducers(case.introducers, a, case.vote_on, p)
    findings += check_documents(case.documents, case.vote_on, p)
    if case.cell_official_members is not None and not any(v.body == BODY_CELL for v in case.votes):
        findings += check_cell_size(case.cell_official_members, p)
    for vote in case.votes:
        findings += check_vote(vote, p)
    return findings


def check_cell_size(official_members: int, p: Policy) -> list[Finding]:
    """A cell needs at least ``chi_bo.min_official_members`` official members to vote."""
    if official_members >= p.min_cell_official_members:
        return []
    return [
        Finding(
            "vote.cell_too_small",
            _(
                "The cell has %(expected)s official members, fewer than %(min)s: it cannot "
                "vote on an admission; the upper committee must reinforce or merge it."
            )
            % {"expected": official_members, "min": p.min_cell_official_members},
            p.source("chi_bo.min_official_members"),
        )
    ]


def errors(findings: Sequence[Finding]) -> list[Finding]:
    """The blocking findings only."""
    return [f for f in findings if f.severity == ERROR]


# ---------------------------------------------------------------- probation (§5)


def probation_end(ceremony_on: dt.date, p: Policy) -> dt.date:
    """Ceremony + ``probation.months`` (end-of-month clamping): also the official date."""
    return add_months(ceremony_on, p.probation_months)


def official_date(ceremony_on: dt.date, p: Policy) -> dt.date:
    """Official membership dates from the end of probation, however late the vote or the
    decision (24-QĐ/TW 4.2.2)."""
    return probation_end(ceremony_on, p)


def can_recognize(ceremony_on: dt.date, vote_on: dt.date, p: Policy) -> list[Finding]:
    """The recognition vote may be held from the day the probation ends."""
    end = probation_end(ceremony_on, p)
    if vote_on < end:
        return [
            Finding(
                "probation.not_ended",
                _(
                    "The probation that began with the ceremony of %(ceremony)s ends on "
                    "%(end)s: the cell cannot vote on recognition on %(vote_on)s."
                )
                % {"ceremony": fmt(ceremony_on), "end": fmt(end), "vote_on": fmt(vote_on)},
                p.source("probation.months"),
            )
        ]
    return []


def party_age_start(decision_on: dt.date, p: Policy) -> dt.date:
    """Party age counts from the date of the admission decision (Charter Art. 5.4)."""
    return decision_on


# ---------------------------------------------------------------- deadlines (§4.4)


def deadline_decision(
    cell_resolution_on: dt.date,
    p: Policy,
    *,
    recognition: bool = False,
    extension_wd: int = 0,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """Last day for the competent committee to decide: 60 working days after the cell's
    resolution for an admission, 30 for a recognition, plus an extension of at most 30."""
    if extension_wd < 0 or extension_wd > p.deadline_extension_max_wd:
        raise ValueError(
            f"extension must be between 0 and {p.deadline_extension_max_wd} working days"
        )
    days = p.deadline_decide_recognition_wd if recognition else p.deadline_decide_admission_wd
    return workdays.add_working_days(
        cell_resolution_on, days + extension_wd, extra_off=extra_off, extra_work=extra_work
    )


def check_extension(extension_wd: int, p: Policy) -> list[Finding]:
    if 0 <= extension_wd <= p.deadline_extension_max_wd:
        return []
    return [
        Finding(
            "deadline.extension_too_long",
            _("The extension may not exceed %(max)s working days.")
            % {"max": p.deadline_extension_max_wd},
            p.source("deadline.upper_extension_max_wd"),
        )
    ]


def deadline_ceremony(
    decision_received_on: dt.date,
    p: Policy,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """Ceremony within 30 working days of the day the cell receives the decision."""
    return workdays.add_working_days(
        decision_received_on, p.deadline_ceremony_wd, extra_off=extra_off, extra_work=extra_work
    )


def deadline_recognition_review(
    probation_end_on: dt.date,
    p: Policy,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """The cell reviews recognition within 30 working days of the end of probation."""
    return workdays.add_working_days(
        probation_end_on,
        p.deadline_recognition_review_wd,
        extra_off=extra_off,
        extra_work=extra_work,
    )


def deadline_member_record(
    ceremony_on: dt.date,
    p: Policy,
    *,
    extra_off: Collection[dt.date] = _EMPTY,
    extra_work: Collection[dt.date] = _EMPTY,
) -> dt.date:
    """The new member's party-member record (lý lịch đảng viên) within 30 working days."""
    return workdays.add_working_days(
        ceremony_on, p.deadline_member_record_wd, extra_off=extra_off, extra_work=extra_work
    )
