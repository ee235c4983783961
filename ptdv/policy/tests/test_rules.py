"""Rule tables at every boundary of issue 4 (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ptdv.policy import rules
from ptdv.policy.loader import policy_by_code, policy_on
from ptdv.policy.types import (
    AdmissionFacts,
    ApplicantFacts,
    DocumentFacts,
    Finding,
    Introducer,
    VoteFacts,
)

D = dt.date
P16 = policy_by_code("2016")
P21 = policy_by_code("2021")
P25 = policy_by_code("2025-07")


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def error_codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings if f.severity == "error"]


# ---------------------------------------------------------------- date arithmetic


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day → end of February
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 9, 15), 12, D(2025, 9, 15)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert rules.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2007, 3, 10), D(2025, 3, 9), 215),
        (D(2007, 3, 10), D(2025, 3, 10), 216),
        (D(2004, 2, 29), D(2022, 2, 27), 215),
        (D(2004, 2, 29), D(2022, 2, 28), 216),
        (D(2025, 1, 31), D(2025, 2, 28), 1),
        (D(2025, 1, 31), D(2025, 2, 27), 0),
        (D(2025, 3, 10), D(2025, 3, 9), -1),
    ],
)
def test_completed_months(start: dt.date, end: dt.date, expected: int) -> None:
    assert rules.completed_months(start, end) == expected


# ---------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("born", "vote_on", "consent", "expected"),
    [
        (D(2007, 3, 10), D(2025, 3, 9), False, ["age.too_young"]),  # day before 18th birthday
        (D(2007, 3, 10), D(2025, 3, 10), False, []),  # on the 18th birthday: 216 months
        (D(2004, 2, 29), D(2022, 2, 27), False, ["age.too_young"]),  # born on 29 February
        (D(2004, 2, 29), D(2022, 2, 28), False, []),  # 216 months on 28/02 (clamped)
        (D(2004, 2, 29), D(2022, 3, 1), False, []),
        (D(1965, 3, 10), D(2025, 3, 10), False, []),  # exactly 60 years = 720 months
        (D(1965, 3, 10), D(2025, 4, 9), False, []),  # 60 y 0 m 30 d: still 720 months
        (D(1965, 3, 10), D(2025, 4, 10), False, ["age.over_max"]),  # 60 years and one month
        (D(1965, 3, 10), D(2025, 4, 10), True, ["age.over_max_with_consent"]),  # warning only
    ],
)
def test_age(born: dt.date, vote_on: dt.date, consent: bool, expected: list[str]) -> None:
    assert codes(rules.check_age(born, vote_on, P25, over_max_consent=consent)) == expected


def test_age_over_max_with_consent_is_only_a_warning() -> None:
    found = rules.check_age(D(1960, 1, 1), D(2025, 8, 1), P25, over_max_consent=True)
    assert [f.severity for f in found] == ["warning"]
    assert rules.errors(found) == []


def test_age_boundary_is_configurable() -> None:
    from dataclasses import replace

    strict = replace(P25, extra={**P25.extra, "age.max_inclusive": False})
    assert codes(rules.check_age(D(1965, 3, 10), D(2025, 3, 10), strict)) == ["age.over_max"]


# ---------------------------------------------------------------- education


@pytest.mark.parametrize(
    ("level", "flags", "expected"),
    [
        ("upper_secondary", {}, []),
        ("lower_secondary", {}, []),
        ("primary", {}, ["education.too_low"]),
        ("primary", {"special_area": True}, ["education.special_area_exception"]),
        ("primary", {"fisherman": True}, ["education.special_area_exception"]),
        ("literate", {"special_area": True}, ["education.too_low"]),
        ("literate", {"village_elder": True}, ["education.too_low"]),  # not in a special area
        (
            "literate",
            {"special_area": True, "village_elder": True},
            ["education.village_elder_needs_consent"],
        ),
        (
            "literate",
            {"special_area": True, "village_elder": True, "provincial_consent": True},
            ["education.village_elder_exception"],
        ),
        (
            "literate",
            {"fisherman": True, "village_elder": True, "provincial_consent": True},
            ["education.village_elder_exception"],
        ),
        (
            "none",
            {"special_area": True, "village_elder": True, "provincial_consent": True},
            ["education.too_low"],
        ),
        ("", {}, ["education.unknown_level"]),
    ],
)
def test_education(level: str, flags: dict, expected: list[str]) -> None:
    assert codes(rules.check_education(level, P25, **flags)) == expected


def test_education_exceptions_are_warnings() -> None:
    found = rules.check_education("primary", P25, special_area=True)
    assert rules.errors(found) == []


# ---------------------------------------------------------------- awareness certificate


@pytest.mark.parametrize(
    ("issued", "vote_on", "expected"),
    [
        (D(2020, 1, 15), D(2025, 1, 14), []),  # last valid day
        (D(2020, 1, 15), D(2025, 1, 15), ["cert.expired"]),  # the reference's example
        (D(2020, 1, 15), D(2025, 2, 3), ["cert.expired"]),
        (D(2020, 2, 29), D(2025, 2, 27), []),
        (D(2020, 2, 29), D(2025, 2, 28), ["cert.expired"]),
        (D(2025, 3, 1), D(2025, 2, 28), ["cert.issued_after_vote"]),
        (None, D(2025, 2, 28), ["cert.missing"]),
    ],
)
def test_awareness_certificate(
    issued: dt.date | None, vote_on: dt.date, expected: list[str]
) -> None:
    assert codes(rules.check_awareness_certificate(issued, vote_on, P25)) == expected


def test_certificate_checked_with_the_policy_of_the_vote_date() -> None:
    vote_on = D(2025, 1, 14)
    assert rules.check_awareness_certificate(D(2020, 1, 15), vote_on, policy_on(vote_on)) == []


# ---------------------------------------------------------------- introducers

VOTE = D(2025, 3, 10)
ADULT = ApplicantFacts(
    born=D(1985, 1, 1),  # 40: past youth age
    youth_union_member=False,
    unit_has_youth_union=True,
    trade_union_member=True,
    unit_has_trade_union=True,
)
YOUNG = ApplicantFacts(
    born=D(2000, 1, 1),  # 25
    youth_union_member=True,
    unit_has_youth_union=True,
    trade_union_member=False,
    unit_has_trade_union=False,
)
NO_YOUTH_UNION = ApplicantFacts(
    born=D(2000, 1, 1),
    youth_union_member=False,
    unit_has_youth_union=False,
    trade_union_member=True,
    unit_has_trade_union=True,
)


LONG_AGO = D(2020, 1, 1)


def member(pid: int, since: dt.date | None = LONG_AGO, **kw: object) -> Introducer:
    return Introducer(
        person_id=pid,
        kind="member",
        status_on_vote=kw.pop("status", "official"),  # type: ignore[arg-type]
        cowork_since=since,
        **kw,  # type: ignore[arg-type]
    )


YU = Introducer(person_id=0, kind="youth_union", status_on_vote="", cowork_since=None)
TU = Introducer(person_id=0, kind="trade_union", status_on_vote="", cowork_since=None)


@pytest.mark.parametrize(
    ("intros", "applicant", "expected"),
    [
        ([member(1), member(2)], ADULT, []),
        ([member(1)], ADULT, ["introducers.too_few"]),
        ([member(1), member(1)], ADULT, ["introducers.duplicate", "introducers.too_few"]),
        ([member(1), member(2, status="probationary")], ADULT, ["introducers.not_official"]),
        # 11 vs 12 months of co-working at the vote date
        ([member(1), member(2, since=D(2024, 3, 11))], ADULT, ["introducers.cowork_too_short"]),
        ([member(1), member(2, since=D(2024, 3, 10))], ADULT, []),
        ([member(1), member(2, since=None)], ADULT, ["introducers.cowork_unknown"]),
        # a replacement introducer is exempt from the 12 months
        ([member(1), member(2, since=D(2025, 2, 1), replacement=True)], ADULT, []),
        # youth age in a unit with a Youth Union: resolution + one member
        ([YU, member(1)], YOUNG, []),
        ([member(1), member(2)], YOUNG, ["introducers.youth_union_resolution_missing"]),
        ([YU], YOUNG, ["introducers.too_few"]),
        # unit without a Youth Union: trade union resolution + one member
        ([TU, member(1)], NO_YOUTH_UNION, []),
        ([member(1), member(2)], NO_YOUTH_UNION, ["introducers.trade_union_resolution_missing"]),
    ],
)
def test_introducers(
    intros: list[Introducer], applicant: ApplicantFacts, expected: list[str]
) -> None:
    assert codes(rules.check_introducers(intros, applicant, VOTE, P25)) == expected


def test_youth_path_requires_youth_union_membership() -> None:
    from dataclasses import replace

    applicant = replace(YOUNG, youth_union_member=False)
    found = rules.check_introducers([YU, member(1)], applicant, VOTE, P25)
    assert codes(found) == ["introducers.youth_union_membership_required"]


@pytest.mark.parametrize(
    ("born", "path"),
    [
        (D(1994, 3, 11), rules.PATH_YOUTH_UNION),  # 30 years 11 months: still 30
        (D(1994, 3, 10), rules.PATH_MEMBERS),  # 31 on the vote date
    ],
)
def test_youth_age_boundary(born: dt.date, path: str) -> None:
    from dataclasses import replace

    assert rules.introduction_path(replace(YOUNG, born=born), VOTE, P25) == path


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (DocumentFacts("application", "verified", D(2025, 1, 5)), []),
        (DocumentFacts("application", "missing", None), ["documents.missing"]),
        (DocumentFacts("health", "missing", None, required=False), []),
        (DocumentFacts("background", "returned", D(2025, 1, 5)), ["documents.returned"]),
        (DocumentFacts("background", "received", D(2025, 1, 5)), ["documents.not_verified"]),
        (DocumentFacts("introduction", "verified", D(2025, 4, 1)), ["documents.issued_after_vote"]),
        # stale: more than 12 months before the vote
        (DocumentFacts("introduction", "verified", D(2024, 3, 10)), []),
        (DocumentFacts("introduction", "verified", D(2024, 3, 9)), ["documents.stale"]),
        (DocumentFacts("application", "verified", D(2023, 1, 1)), []),  # kind never stale
    ],
)
def test_documents(doc: DocumentFacts, expected: list[str]) -> None:
    assert codes(rules.check_documents([doc], VOTE, P25)) == expected


# ---------------------------------------------------------------- votes


@pytest.mark.parametrize(
    ("vote", "expected"),
    [
        # ≥ 2/3 of the official members of the cell; absentees do not reduce the denominator
        (VoteFacts("cell", 3, 3, 2, 1), []),
        (VoteFacts("cell", 3, 3, 1, 2), ["vote.below_threshold"]),
        (VoteFacts("cell", 3, 2, 2, 0), []),  # one absent, 2 of 3
        (VoteFacts("cell", 7, 7, 5, 2), []),
        (VoteFacts("cell", 7, 7, 4, 3), ["vote.below_threshold"]),
        (VoteFacts("cell", 7, 5, 4, 1), ["vote.below_threshold"]),  # 4/5 present but 4/7
        (VoteFacts("cell", 20, 20, 14, 6), []),
        (VoteFacts("cell", 20, 20, 13, 7), ["vote.below_threshold"]),
        (VoteFacts("cell", 20, 17, 14, 3), []),  # 3 absent on business: still out of 20
        (VoteFacts("cell", 20, 17, 13, 4), ["vote.below_threshold"]),
        (VoteFacts("cell", 2, 2, 2, 0), ["vote.cell_too_small"]),
        (VoteFacts("cell", 7, 8, 5, 0), ["vote.present_exceeds_expected"]),
        (VoteFacts("cell", 7, 5, 4, 2), ["vote.counts_inconsistent"]),
        (VoteFacts("cell", 7, -1, 0, 0), ["vote.counts_invalid"]),
        (VoteFacts("cell", 0, 0, 0, 0), ["vote.counts_invalid"]),
        # grassroots committee ≥ 2/3
        (VoteFacts("grassroots", 9, 9, 6, 3), []),
        (VoteFacts("grassroots", 9, 9, 5, 4), ["vote.below_threshold"]),
        (VoteFacts("grassroots_decide", 9, 8, 6, 2), []),
        # upper standing committee > 1/2
        (VoteFacts("upper", 7, 7, 4, 3), []),
        (VoteFacts("upper", 7, 7, 3, 4), ["vote.below_threshold"]),
        (VoteFacts("upper", 8, 8, 4, 4), ["vote.below_threshold"]),  # exactly half: fails
        (VoteFacts("upper", 8, 6, 5, 1), []),
        (VoteFacts("council", 8, 6, 5, 1), ["vote.unknown_body"]),
        # attempts
        (VoteFacts("cell", 7, 7, 4, 3, attempt=3), ["vote.below_threshold", "vote.escalate"]),
        (VoteFacts("cell", 7, 7, 5, 2, attempt=4), ["vote.attempts_exhausted"]),
    ],
)
def test_vote(vote: VoteFacts, expected: list[str]) -> None:
    assert codes(rules.check_vote(vote, P25)) == expected


@pytest.mark.parametrize(
    ("body", "expected_members", "required"),
    [("cell", 3, 2), ("cell", 7, 5), ("cell", 20, 14), ("upper", 7, 4), ("upper", 8, 5)],
)
def test_required_in_favour(body: str, expected_members: int, required: int) -> None:
    assert rules.required_in_favour(body, expected_members, P25) == required
    assert rules.vote_passes(body, expected_members, required, P25)
    assert not rules.vote_passes(body, expected_members, required - 1, P25)


# ---------------------------------------------------------------- probation, party age


@pytest.mark.parametrize(
    ("ceremony", "end"),
    [
        (D(2024, 2, 29), D(2025, 2, 28)),  # across a leap year: clamped to 28/02
        (D(2023, 3, 1), D(2024, 3, 1)),
        (D(2024, 9, 15), D(2025, 9, 15)),  # the reference's example
        (D(2025, 1, 31), D(2026, 1, 31)),
    ],
)
def test_probation_end(ceremony: dt.date, end: dt.date) -> None:
    assert rules.probation_end(ceremony, P25) == end
    assert rules.official_date(ceremony, P25) == end
    assert codes(rules.can_recognize(ceremony, end - dt.timedelta(days=1), P25)) == [
        "probation.not_ended"
    ]
    assert rules.can_recognize(ceremony, end, P25) == []


def test_official_date_when_the_meeting_is_late() -> None:
    ceremony = D(2024, 9, 15)
    late_vote = D(2025, 12, 20)  # the cell met three months late
    assert rules.can_recognize(ceremony, late_vote, P25) == []
    assert rules.official_date(ceremony, P25) == D(2025, 9, 15)


def test_party_age_from_the_decision_date() -> None:
    assert rules.party_age_start(D(2024, 8, 25), P21) == D(2024, 8, 25)


# ---------------------------------------------------------------- deadlines (with Tết)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 20), 30, D(2025, 3, 10)),  # Tết Ất Tỵ 27/01–31/01 skipped
        (D(2026, 2, 5), 30, D(2026, 3, 26)),  # Tết Bính Ngọ 16/02–20/02 skipped
    ],
)
def test_deadline_spanning_tet(start: dt.date, n: int, expected: dt.date) -> None:
    p = policy_on(start)
    assert p.deadline_ceremony_wd == n
    assert rules.deadline_ceremony(start, p) == expected
    assert rules.deadline_member_record(start, p) == expected
    assert rules.deadline_recognition_review(start, p) == expected


def test_deadline_decision() -> None:
    # 60 working days after a cell resolution of 20/01/2025 (Tết + 30/4, 1/5, 2/5 off)
    assert rules.deadline_decision(D(2025, 1, 20), P21) == D(2025, 4, 22)
    assert rules.deadline_decision(D(2025, 1, 20), P21, recognition=True) == D(2025, 3, 10)
    extended = rules.deadline_decision(D(2025, 1, 20), P21, recognition=True, extension_wd=30)
    assert extended == rules.deadline_decision(D(2025, 1, 20), P21)
    with pytest.raises(ValueError):
        rules.deadline_decision(D(2025, 1, 20), P21, extension_wd=31)
    assert codes(rules.check_extension(31, P21)) == ["deadline.extension_too_long"]
    assert rules.check_extension(30, P21) == []


def test_deadline_with_swapped_days() -> None:
    start = D(2025, 3, 6)  # Thursday
    assert rules.deadline_ceremony(start, P21) == D(2025, 4, 18)
    # an extra day off pushes it by one, an extra working Saturday pulls it back
    assert rules.deadline_ceremony(start, P21, extra_off={D(2025, 3, 7)}) == D(2025, 4, 21)
    assert rules.deadline_ceremony(start, P21, extra_work={D(2025, 3, 8)}) == D(2025, 4, 17)


# ---------------------------------------------------------------- the whole case


def full_case(**kw: object) -> AdmissionFacts:
    base = {
        "applicant": ADULT,
        "vote_on": VOTE,
        "education_level": "upper_secondary",
        "awareness_cert_issued_on": D(2024, 6, 1),
        "introducers": (member(1), member(2)),
        "documents": (DocumentFacts("application", "verified", D(2025, 1, 5)),),
        "votes": (VoteFacts("cell", 7, 7, 6, 1),),
    }
    base.update(kw)
    return AdmissionFacts(**base)  # type: ignore[arg-type]


def test_check_admission_passes() -> None:
    assert rules.check_admission(full_case(), P25) == []


def test_check_admission_checks_the_cell_size_before_the_vote() -> None:
    case = full_case(votes=(), cell_official_members=2)
    assert codes(rules.check_admission(case, P25)) == ["vote.cell_too_small"]
    assert rules.check_admission(full_case(votes=(), cell_official_members=3), P25) == []


def test_check_admission_collects_every_failure() -> None:
    case = full_case(
        applicant=ApplicantFacts(D(2008, 1, 1), False, False, False, False),
        education_level="primary",
        awareness_cert_issued_on=D(2019, 1, 1),
        introducers=(member(1),),
        documents=(DocumentFacts("application", "missing", None),),
        votes=(VoteFacts("cell", 7, 7, 4, 3),),
    )
    assert error_codes(rules.check_admission(case, P25)) == [
        "age.too_young",
        "education.too_low",
        "cert.expired",
        "introducers.too_few",
        "documents.missing",
        "vote.below_threshold",
    ]


# ---------------------------------------------------------------- every finding explained

ALL_FAILURES = [
    lambda p: rules.check_age(D(2010, 1, 1), VOTE, p),
    lambda p: rules.check_age(D(1950, 1, 1), VOTE, p),
    lambda p: rules.check_age(D(1950, 1, 1), VOTE, p, over_max_consent=True),
    lambda p: rules.check_education("", p),
    lambda p: rules.check_education("none", p),
    lambda p: rules.check_education("none", p, special_area=True),
    lambda p: rules.check_education("primary", p, fisherman=True),
    lambda p: rules.check_education("literate", p, special_area=True, village_elder=True),
    lambda p: rules.check_education(
        "literate", p, special_area=True, village_elder=True, provincial_consent=True
    ),
    lambda p: rules.check_awareness_certificate(None, VOTE, p),
    lambda p: rules.check_awareness_certificate(D(2026, 1, 1), VOTE, p),
    lambda p: rules.check_awareness_certificate(D(2015, 1, 1), VOTE, p),
    lambda p: rules.check_introducers(
        [member(1, status="probationary", since=None)], ADULT, VOTE, p
    ),
    lambda p: rules.check_introducers([member(1), member(1, since=D(2025, 1, 1))], ADULT, VOTE, p),
    lambda p: rules.check_introducers([YU, TU], ADULT, VOTE, p),
    lambda p: rules.check_introducers(
        [], YOUNG.__class__(D(2000, 1, 1), False, True, False, False), VOTE, p
    ),
    lambda p: rules.check_introducers(
        [], NO_YOUTH_UNION.__class__(D(2000, 1, 1), False, False, False, True), VOTE, p
    ),
    lambda p: rules.check_introducers(
        [Introducer(1, "friend", "official", D(2020, 1, 1))], ADULT, VOTE, p
    ),
    lambda p: rules.check_documents(
        [
            DocumentFacts("application", "missing", None),
            DocumentFacts("background", "returned", None),
            DocumentFacts("comments", "received", D(2020, 1, 1)),
            DocumentFacts("introduction", "verified", D(2026, 1, 1)),
        ],
        VOTE,
        p,
    ),
    lambda p: rules.check_vote(VoteFacts("cell", 2, 2, 1, 1, attempt=4), p),
    lambda p: rules.check_vote(VoteFacts("upper", 8, 8, 4, 4, attempt=3), p),
    lambda p: rules.check_vote(VoteFacts("cell", 7, 9, 9, 9), p),
    lambda p: rules.check_vote(VoteFacts("cell", 0, 0, 0, 0), p),
    lambda p: rules.check_vote(VoteFacts("nobody", 1, 1, 1, 0), p),
    lambda p: rules.can_recognize(D(2025, 1, 1), D(2025, 6, 1), p),
    lambda p: rules.check_extension(99, p),
]


@pytest.mark.parametrize(
    "policy", [P16, P21, policy_by_code("2025-01"), P25], ids=["2016", "2021", "2025-01", "2025-07"]
)
def test_every_finding_has_code_vietnamese_message_and_source(policy: object) -> None:
    seen: set[str] = set()
    for check in ALL_FAILURES:
        with translation.override("vi"):
            found_vi = check(policy)
        with translation.override("en"):
            found_en = check(policy)
        assert found_vi, check
        for vi, en in zip(found_vi, found_en, strict=True):
            assert vi.code and "." in vi.code
            assert vi.source.strip()
            assert vi.severity in {"error", "warning"}
            assert vi.message and vi.message != en.message, vi.code  # translated
            seen.add(vi.code)
    assert len(seen) >= 35


# ---------------------------------------------------------------- properties

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DAYS = st.dates(min_value=D(1950, 1, 1), max_value=D(2030, 12, 31))


@given(DAYS, st.integers(min_value=0, max_value=800))
def test_completed_months_inverts_add_months(day: dt.date, months: int) -> None:
    later = rules.add_months(day, months)
    assert rules.completed_months(day, later) == months
    assert rules.completed_months(day, later - dt.timedelta(days=1)) == months - 1


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=200))
def test_vote_threshold_matches_the_required_count(expected: int, in_favour: int) -> None:
    for body in ("cell", "grassroots", "upper"):
        passes = rules.vote_passes(body, expected, in_favour, P25)
        assert passes == (in_favour >= rules.required_in_favour(body, expected, P25))
