"""The contract between the policy app (pure rules) and its callers (admissions, training).

The policy helper implements ``ptdv/policy/loader.py`` and ``ptdv/policy/rules.py`` against
these types; callers code against them. Numbers never appear in code: they come from the
TOML files under ``ptdv/policy/policies/`` (one per effective date).

Functions the policy app provides (all pure, no ORM, ``today``/dates as parameters):

loader.py
    policy_on(day: date) -> Policy            # the rule set in force on ``day``
    policy_by_code(code: str) -> Policy
    all_policies() -> list[Policy]

rules.py  (each returns a list of Finding; empty list = passes)
    check_age(born: date, vote_on: date, p: Policy, *, over_max_consent: bool) -> list[Finding]
    check_education(level: str, p: Policy, *, special_area: bool, fisherman: bool,
                    village_elder: bool, provincial_consent: bool) -> list[Finding]
    check_awareness_certificate(issued_on: date | None, vote_on: date, p: Policy) -> list[Finding]
    check_introducers(introducers: Sequence[Introducer], applicant: ApplicantFacts,
                      vote_on: date, p: Policy) -> list[Finding]
    check_documents(docs: Sequence[DocumentFacts], vote_on: date, p: Policy) -> list[Finding]
    check_vote(vote: VoteFacts, p: Policy) -> list[Finding]
    check_admission(case: AdmissionFacts, p: Policy) -> list[Finding]   # all of the above
    probation_end(ceremony_on: date, p: Policy) -> date    # = official date
    can_recognize(ceremony_on: date, vote_on: date, p: Policy) -> list[Finding]
    party_age_start(decision_on: date, p: Policy) -> date

workdays.py
    add_working_days(start: date, n: int, *, extra_off: set[date], extra_work: set[date]) -> date
    is_working_day(day: date, ...) -> bool
    (the model SwappedDay holds administrator-maintained swaps; a selector loads them)

Added by the policy app (see ptdv/policy/README.md):
    rules.official_date, rules.check_cell_size, rules.check_extension, rules.errors,
    rules.add_months, rules.completed_months, rules.introduction_path,
    rules.required_in_favour, rules.vote_passes (bodies: "cell", "grassroots",
    "grassroots_decide" = grassroots committee authorised to admit, "upper"),
    rules.deadline_decision(resolution_on, p, *, recognition=False, extension_wd=0, extra_off,
    extra_work), rules.deadline_ceremony(received_on, p, ...),
    rules.deadline_recognition_review(probation_end_on, p, ...),
    rules.deadline_member_record(ceremony_on, p, ...);
    workdays.working_days_between(start, end, ...);
    selectors.swapped_days(start, end) -> (extra_off, extra_work),
    selectors.swapped_days_from(start, n) -> {"extra_off": ..., "extra_work": ...},
    selectors.add_working_days(start, n), selectors.is_working_day(day) (table applied);
    AdmissionFacts (below), DocumentFacts.label, Policy.values/labels/notes/source()/
    is_uncertain(); loader.PolicyFileError, loader.parse_policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One failed (or warning) check, explained: shown on the case page before acting."""

    code: str  # stable, e.g. "age.too_young"
    message: str  # Vietnamese sentence (already translated)
    source: str  # legal basis, e.g. "Quy định 294-QĐ/TW, điểm 1.1.1"
    severity: str = "error"  # "error" blocks the step; "warning" informs


@dataclass(frozen=True)
class Policy:
    code: str  # e.g. "2021" (24-QĐ/TW, 01-HD/TW) or "2025-07" (294-QĐ/TW, 06-HD/TW)
    title: str
    effective_from: dt.date
    sources: dict[str, str]  # rule key → legal citation
    age_min_months: int
    age_max_months: int
    cert_awareness_validity_months: int
    dossier_stale_after_months: int
    introducers_default_count: int
    introducers_youth_age_max: int
    introducers_min_cowork_months: int
    vote_cell_ratio: tuple[int, int]  # (2, 3) means ≥ 2/3
    vote_grassroots_ratio: tuple[int, int]
    vote_upper_ratio: tuple[int, int]  # > 1/2 expressed with strict=True below
    vote_upper_strict: bool
    vote_max_attempts: int
    probation_months: int
    deadline_decide_admission_wd: int
    deadline_decide_recognition_wd: int
    deadline_extension_max_wd: int
    deadline_ceremony_wd: int
    deadline_recognition_review_wd: int
    deadline_member_record_wd: int
    min_cell_official_members: int
    education_min_default: str
    education_min_special_area: str
    education_min_village_elder: str
    extra: dict[str, object] = field(default_factory=dict)
    # Added by the policy app (display and audit): every key of the file with its value,
    # its label (VERIFIED / VERIFIED (secondary) / UNCERTAIN) and its note.
    values: dict[str, object] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def source(self, key: str) -> str:
        """The legal citation of ``key``; never empty (falls back to the rule set title)."""
        return self.sources.get(key) or self.title

    def is_uncertain(self, key: str) -> bool:
        return "UNCERTAIN" in self.labels.get(key, "")


@dataclass(frozen=True)
class Introducer:
    person_id: int
    kind: str  # "member" | "youth_union" | "trade_union"
    status_on_vote: str  # membership status at the vote date ("official", …)
    cowork_since: dt.date | None  # worked/studied/lived with the applicant since
    replacement: bool = False  # a replacement introducer (12-month rule does not apply)


@dataclass(frozen=True)
class ApplicantFacts:
    born: dt.date
    youth_union_member: bool
    unit_has_youth_union: bool
    trade_union_member: bool
    unit_has_trade_union: bool


@dataclass(frozen=True)
class DocumentFacts:
    kind: str  # DocumentKind value, e.g. "application", "background", "introduction"
    status: str  # "missing" | "received" | "verified" | "returned"
    issued_on: dt.date | None
    required: bool = True
    label: str = ""  # added: display name used in findings (defaults to a known kind's name)


@dataclass(frozen=True)
class VoteFacts:
    body: str  # "cell" | "grassroots" | "upper"
    expected: int  # the denominator (official members / committee members)
    present: int
    in_favour: int
    against: int
    attempt: int = 1


@dataclass(frozen=True)
class AdmissionFacts:
    """Everything ``check_admission`` needs, gathered by the caller at the cell's vote date.

    Added by the policy app (the contract named it without fields)."""

    applicant: ApplicantFacts
    vote_on: dt.date  # the cell (chi bộ) meeting date: reference date of every check
    education_level: str  # GeneralEducation value: none/literate/primary/lower_secondary/…
    awareness_cert_issued_on: dt.date | None
    introducers: tuple[Introducer, ...] = ()
    documents: tuple[DocumentFacts, ...] = ()
    votes: tuple[VoteFacts, ...] = ()  # votes already held (cell, grassroots, upper)
    over_max_consent: bool = False  # provincial standing committee agreed (over 60)
    special_area: bool = False  # mountain/border/island/ethnic-minority/especially difficult
    fisherman: bool = False  # fisherman regularly working at sea
    village_elder: bool = False  # village elder / hamlet head / prestigious person
    provincial_consent: bool = False  # written consent for the village-elder path
    cell_official_members: int | None = None  # checked against chi_bo.min_official_members
