"""A minimal stand-in for ``ptdv.policy`` (loader, rules, workdays) used only while the
policy app is not merged. Same names and signatures as ``ptdv/policy/types.py``; the
defaults are those of the rules reference §8. ``checks.py`` prefers the real app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

from django.utils.translation import gettext as _

from ptdv.people.rules import age_in_months
from ptdv.policy.types import (
    ApplicantFacts,
    DocumentFacts,
    Finding,
    Introducer,
    Policy,
    VoteFacts,
)


def _months_after(day: dt.date, months: int) -> dt.date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_COMMON = {
    "age_min_months": 216,
    "age_max_months": 720,
    "cert_awareness_validity_months": 60,
    "dossier_stale_after_months": 12,
    "introducers_default_count": 2,
    "introducers_youth_age_max": 30,
    "introducers_min_cowork_months": 12,
    "vote_cell_ratio": (2, 3),
    "vote_grassroots_ratio": (2, 3),
    "vote_upper_ratio": (1, 2),
    "vote_upper_strict": True,
    "vote_max_attempts": 3,
    "probation_months": 12,
    "deadline_decide_admission_wd": 60,
    "deadline_decide_recognition_wd": 30,
    "deadline_extension_max_wd": 30,
    "deadline_ceremony_wd": 30,
    "deadline_recognition_review_wd": 30,
    "deadline_member_record_wd": 30,
    "min_cell_official_members": 3,
    "education_min_default": "lower_secondary",
    "education_min_special_area": "primary",
    "education_min_village_elder": "literate",
}

_POLICIES = [
    Policy(
        code="2021",
        title="Quy định 24-QĐ/TW, Hướng dẫn 01-HD/TW (2021)",
        effective_from=dt.date(2021, 7, 30),
        sources={
            "age": "Quy định 24-QĐ/TW, điểm 1.1.1",
            "education": "Quy định 24-QĐ/TW, điểm 1.2; Hướng dẫn 01-HD/TW, điểm 1.2",
            "certificate": "Hướng dẫn 01-HD/TW, điểm 5.4",
            "introducers": "Điều lệ Đảng, Điều 4.1; Quy định 24-QĐ/TW, điểm 3.2.1",
            "documents": "Hướng dẫn 01-HD/TW, điểm 3",
            "vote": "Điều lệ Đảng, Điều 4.3; Hướng dẫn 01-HD/TW, điểm 3.6",
            "probation": "Điều lệ Đảng, Điều 5.1; Quy định 24-QĐ/TW, điểm 4.2.2",
        },
        **_COMMON,  # type: ignore[arg-type]
    ),
    Policy(
        code="2025-07",
        title="Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW (2025)",
        effective_from=dt.date(2025, 7, 1),
        sources={
            "age": "Quy định 294-QĐ/TW, điểm 1.1.1",
            "education": "Quy định 294-QĐ/TW, điểm 1.2",
            "certificate": "Hướng dẫn 06-HD/TW, điểm 5.4",
            "introducers": "Điều lệ Đảng, Điều 4.1; Quy định 294-QĐ/TW, điểm 3.2.1",
            "documents": "Hướng dẫn 06-HD/TW, điểm 3",
            "vote": "Điều lệ Đảng, Điều 4.3; Hướng dẫn 06-HD/TW, điểm 3.6",
            "probation": "Điều lệ Đảng, Điều 5.1; Quy định 294-QĐ/TW, điểm 4.2",
        },
        **_COMMON,  # type: ignore[arg-type]
    ),
]


def all_policies() -> list[Policy]:
    return list(_POLICIES)


def policy_on(day: dt.date) -> Policy:
    current = _POLICIES[0]
    for p in _POLICIES:
        if p.effective_from <= day:
            current = p
    return current


def policy_by_code(code: str) -> Policy:
    for p in _POLICIES:
        if p.code == code:
            return p
    raise KeyError(code)


def _src(p: Policy, key: str) -> str:
    return p.sources.get(key, p.title)


def check_age(
    born: dt.date, vote_on: dt.date, p: Policy, *, over_max_consent: bool = False
) -> list[Finding]:
    months = age_in_months(born, vote_on)
    if months < p.age_min_months:
        return [
            Finding(
                "age.too_young",
                _("At the cell's vote the applicant is %(months)s months old; at least %(min)s.")
                % {"months": months, "min": p.age_min_months},
                _src(p, "age"),
            )
        ]
    if months > p.age_max_months and not over_max_consent:
        return [
            Finding(
                "age.over_max",
                _(
                    "At the cell's vote the applicant is over %(years)s years old: the written "
                    "consent of the provincial standing committee is required."
                )
                % {"years": p.age_max_months // 12},
                _src(p, "age"),
            )
        ]
    return []


_EDU_RANK = {"none": 0, "literate": 1, "primary": 2, "lower_secondary": 3, "upper_secondary": 4}


def check_education(
    level: str,
    p: Policy,
    *,
    special_area: bool = False,
    fisherman: bool = False,
    village_elder: bool = False,
    provincial_consent: bool = False,
) -> list[Finding]:
    need = p.education_min_default
    if (special_area or fisherman) and village_elder and provincial_consent:
        need = p.education_min_village_elder
    elif special_area or fisherman:
        need = p.education_min_special_area
    if _EDU_RANK.get(level, 0) < _EDU_RANK.get(need, 3):
        return [
            Finding(
                "education.below_minimum",
                _("The applicant's education is below the minimum required here."),
                _src(p, "education"),
            )
        ]
    return []


def check_awareness_certificate(
    issued_on: dt.date | None, vote_on: dt.date, p: Policy
) -> list[Finding]:
    if issued_on is None:
        return [
            Finding(
                "certificate.missing",
                _("There is no awareness class certificate."),
                _src(p, "certificate"),
            )
        ]
    if issued_on > vote_on:
        return [
            Finding(
                "certificate.after_vote",
                _("The certificate is dated after the cell's vote."),
                _src(p, "certificate"),
            )
        ]
    expires = _months_after(issued_on, p.cert_awareness_validity_months)
    if vote_on >= expires:
        return [
            Finding(
                "certificate.expired",
                _("The awareness class certificate expired on %(date)s (valid %(months)s months).")
                % {
                    "date": expires.strftime("%d/%m/%Y"),
                    "months": p.cert_awareness_validity_months,
                },
                _src(p, "certificate"),
            )
        ]
    return []


def _cowork_months(since: dt.date, on: dt.date) -> int:
    months = (on.year - since.year) * 12 + on.month - since.month
    if on.day < since.day:
        months -= 1
    return months


def check_introducers(
    introducers: Sequence[Introducer], applicant: ApplicantFacts, vote_on: dt.date, p: Policy
) -> list[Finding]:
    out: list[Finding] = []
    src = _src(p, "introducers")
    youth = age_in_months(applicant.born, vote_on) <= p.introducers_youth_age_max * 12 + 11
    kinds = [i.kind for i in introducers]
    members = [i for i in introducers if i.kind == "member"]
    if youth and applicant.unit_has_youth_union and applicant.youth_union_member:
        need_members, union = 1, "youth_union"
    elif (
        not applicant.unit_has_youth_union
        and applicant.unit_has_trade_union
        and (applicant.trade_union_member)
    ):
        need_members, union = 1, "trade_union"
    else:
        need_members, union = p.introducers_default_count, ""
    if union and union not in kinds:
        out.append(
            Finding(
                f"introducers.{union}_missing",
                _("The introduction resolution of the union is missing."),
                src,
            )
        )
    if len(members) < need_members:
        out.append(
            Finding(
                "introducers.too_few",
                _("%(need)s official member(s) must introduce the applicant; %(have)s given.")
                % {"need": need_members, "have": len(members)},
                src,
            )
        )
    for i in members:
        if i.status_on_vote != "official":
            out.append(
                Finding(
                    "introducers.not_official",
                    _("An introducer is not an official member on the date of the vote."),
                    src,
                )
            )
        elif not i.replacement and (
            i.cowork_since is None
            or _cowork_months(i.cowork_since, vote_on) < p.introducers_min_cowork_months
        ):
            out.append(
                Finding(
                    "introducers.cowork_too_short",
                    _(
                        "An introducer has worked with the applicant for less than %(months)s months."
                    )
                    % {"months": p.introducers_min_cowork_months},
                    src,
                )
            )
    return out


STALE_KINDS = frozenset({"introduction", "youth_union_resolution", "trade_union_resolution"})


def check_documents(docs: Sequence[DocumentFacts], vote_on: dt.date, p: Policy) -> list[Finding]:
    out: list[Finding] = []
    for d in docs:
        if not d.required:
            continue
        if d.status not in {"received", "verified"}:
            out.append(
                Finding(
                    f"documents.{d.kind}.missing",
                    _("A required document is missing or was returned: %(kind)s.")
                    % {"kind": d.kind},
                    _src(p, "documents"),
                )
            )
        elif (
            d.kind in STALE_KINDS
            and d.issued_on is not None
            and vote_on >= _months_after(d.issued_on, p.dossier_stale_after_months)
        ):
            out.append(
                Finding(
                    f"documents.{d.kind}.stale",
                    _("The document %(kind)s is older than %(months)s months and must be redone.")
                    % {"kind": d.kind, "months": p.dossier_stale_after_months},
                    _src(p, "documents"),
                )
            )
    return out


def check_vote(vote: VoteFacts, p: Policy) -> list[Finding]:
    src = _src(p, "vote")
    if vote.present > vote.expected or vote.in_favour + vote.against > vote.present:
        return [Finding("vote.inconsistent", _("The vote counts are inconsistent."), src)]
    if vote.body == "cell" and vote.expected < p.min_cell_official_members:
        return [
            Finding(
                "vote.cell_too_small",
                _("A cell with fewer than %(n)s official members cannot vote an admission.")
                % {"n": p.min_cell_official_members},
                src,
            )
        ]
    num, den = {
        "cell": p.vote_cell_ratio,
        "grassroots": p.vote_grassroots_ratio,
        "sub_committee": p.vote_grassroots_ratio,
    }.get(vote.body, p.vote_upper_ratio)
    strict = vote.body == "upper" and p.vote_upper_strict
    ok = (
        vote.in_favour * den > num * vote.expected
        if strict
        else vote.in_favour * den >= num * vote.expected
    )
    if not ok:
        return [
            Finding(
                "vote.below_threshold",
                _(
                    "%(favour)s of %(expected)s in favour: the threshold of %(num)s/%(den)s of "
                    "the members counted is not reached."
                )
                % {"favour": vote.in_favour, "expected": vote.expected, "num": num, "den": den},
                src,
            )
        ]
    return []


def probation_end(ceremony_on: dt.date, p: Policy) -> dt.date:
    return _months_after(ceremony_on, p.probation_months)


def can_recognize(ceremony_on: dt.date, vote_on: dt.date, p: Policy) -> list[Finding]:
    end = probation_end(ceremony_on, p)
    if vote_on < end:
        return [
            Finding(
                "probation.not_over",
                _("The probation ends on %(date)s; recognition can be voted only after it.")
                % {"date": end.strftime("%d/%m/%Y")},
                _src(p, "probation"),
            )
        ]
    return []


def party_age_start(decision_on: dt.date, p: Policy) -> dt.date:
    return decision_on


@cache
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def is_working_day(
    day: dt.date, *, extra_off: set[dt.date] | None = None, extra_work: set[dt.date] | None = None
) -> bool:
    if extra_work and day in extra_work:
        return True
    if extra_off and day in extra_off:
        return False
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(
    start: dt.date,
    n: int,
    *,
    extra_off: set[dt.date] | None = None,
    extra_work: set[dt.date] | None = None,
) -> dt.date:
    day = start
    left = n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra_off=extra_off, extra_work=extra_work):
            left -= 1
    return day
