"""The one adapter between admissions and the policy app: builds the facts dataclasses of
``ptdv.policy.types`` from a case and calls the pure rules of the policy in force.

Everything that reads the policy, the working-day calendar or the awareness certificate
goes through here, so the services and views never import the policy app directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ptdv.admissions.areas import area_verdict, explain
from ptdv.admissions.models import (
    AdmissionCase,
    Consent,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    Introduction,
    PaperException,
)
from ptdv.policy import loader as _loader
from ptdv.policy import rules as _rules
from ptdv.policy import selectors as _policy_selectors
from ptdv.policy import workdays as _workdays
from ptdv.policy.types import (
    ApplicantFacts,
    DocumentFacts,
    Finding,
    Introducer,
    Policy,
    VoteFacts,
)
from ptdv.training.selectors import valid_awareness_certificate


def policy_on(day: dt.date) -> Policy:
    """The rule set in force on ``day``; the oldest one for dates before every policy."""
    try:
        return _loader.policy_on(day)
    except Exception:  # noqa: BLE001 - a day before the first policy: use the oldest
        return min(_loader.all_policies(), key=lambda p: p.effective_from)


def policy_by_code(code: str) -> Policy:
    return _loader.policy_by_code(code)


def all_policies() -> list[Policy]:
    return list(_loader.all_policies())


_CALENDAR: ContextVar[dict[str, frozenset[dt.date]] | None] = ContextVar(
    "admissions_calendar", default=None
)


@contextmanager
def calendar_snapshot() -> Iterator[None]:
    """Read the swapped days once for a batch of steps (the demo), instead of per call."""
    off, work = _policy_selectors.swapped_days()
    token = _CALENDAR.set({"extra_off": off, "extra_work": work})
    try:
        yield
    finally:
        _CALENDAR.reset(token)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """Working days of the Vietnamese calendar, with the administrator's swapped days."""
    snapshot = _CALENDAR.get()
    if snapshot is not None:
        return _workdays.add_working_days(start, n, **snapshot)
    return _policy_selectors.add_working_days(start, n)


def add_months(day: dt.date, months: int) -> dt.date:
    return _rules.add_months(day, months)


def certificate_expires_on(issued_on: dt.date) -> dt.date:
    return _rules.awareness_certificate_expires_on(issued_on, policy_on(issued_on))


def certificate_valid_until(issued_on: dt.date) -> dt.date:
    """The last valid day of an awareness certificate (policy in force on its issue)."""
    return _rules.awareness_certificate_valid_until(issued_on, policy_on(issued_on))


def probation_end(ceremony_on: dt.date) -> dt.date:
    return _rules.probation_end(ceremony_on, policy_on(ceremony_on))


def party_age_start(decision_on: dt.date) -> dt.date:
    return _rules.party_age_start(decision_on, policy_on(decision_on))


# --- facts -------------------------------------------------------------------------


def awareness_certificate_issued_on(case: AdmissionCase, on: dt.date) -> dt.date | None:
    """The awareness certificate: the training app's record if any, else the dossier."""
    cert = valid_awareness_certificate(case.person_id, on)
    if cert is not None:
        return cert.issued_on
    item = (
        DossierItem.objects.filter(
            case=case,
            kind=DocumentKind.AWARENESS_CERTIFICATE,
            status__in=[DocumentStatus.RECEIVED, DocumentStatus.VERIFIED],
            issued_on__lte=on,
        )
        .order_by("-issued_on")
        .values_list("issued_on", flat=True)
        .first()
    )
    return item


def applicant_facts(case: AdmissionCase) -> ApplicantFacts:
    return person_facts(case.person, case.unit_has_youth_union, case.unit_has_trade_union)


def person_facts(
    person: Any, youth_union: bool = True, trade_union: bool = False
) -> ApplicantFacts:
    """The applicant's facts; a source without a case takes the case's defaults."""
    return ApplicantFacts(
        born=person.date_of_birth,
        youth_union_member=person.youth_union_member,
        unit_has_youth_union=youth_union,
        trade_union_member=trade_union and not youth_union,
        unit_has_trade_union=trade_union,
    )


def official_in(person_ids: Iterable[int], on: dt.date, unit: Any = None) -> set[int]:
    """Which of these people were official members (of ``unit``'s subtree) on ``on``."""
    from ptdv.people.selectors import member_periods_on

    qs = member_periods_on(on, under=unit, statuses=["official"]).filter(
        person_id__in=list(person_ids)
    )
    return set(qs.values_list("person_id", flat=True))


def introducer_facts(
    case: AdmissionCase,
    on: dt.date,
    intros: list[Introduction] | None = None,
    official: set[int] | None = None,
) -> list[Introducer]:
    """``intros``/``official``: already read for many cases at once (the source lists)."""
    if intros is None:
        intros = list(Introduction.objects.filter(case=case, active=True))
    if official is None:
        ids = [i.introducer_id for i in intros if i.introducer_id]
        official = official_in(ids, on) if ids else set()
    return [
        Introducer(
            person_id=i.introducer_id or 0,
            kind=i.kind,
            status_on_vote="official" if i.introducer_id in official else "other",
            cowork_since=i.cowork_since,
            replacement=i.replacement,
        )
        for i in intros
    ]


ADMISSION_REQUIRED = (
    DocumentKind.APPLICATION,
    DocumentKind.BACKGROUND,
    DocumentKind.VETTING,
    DocumentKind.COMMENTS,
)


def document_facts(case: AdmissionCase, kinds: Iterable[str]) -> list[DocumentFacts]:
    wanted = list(kinds)
    items: dict[str, DossierItem] = {}
    for row in DossierItem.objects.filter(case=case, kind__in=wanted).order_by("id"):
        items[row.kind] = row  # the latest of each kind
    union_kinds = {
        DocumentKind.INTRODUCTION,
        DocumentKind.YOUTH_UNION_RESOLUTION,
        DocumentKind.TRADE_UNION_RESOLUTION,
    }
    out = []
    for kind in wanted:
        item = items.get(kind)
        out.append(
            DocumentFacts(
                kind=str(kind),
                status=item.status if item else DocumentStatus.MISSING,
                issued_on=item.issued_on if item else None,
                required=item is not None or kind not in union_kinds,
            )
        )
    return out


# --- findings per step ---------------------------------------------------------------


def vote_findings(
    *, body: str, expected: int, present: int, in_favour: int, against: int, attempt: int, p: Policy
) -> list[Finding]:
    facts = VoteFacts(
        body=body,
        expected=expected,
        present=present,
        in_favour=in_favour,
        against=against,
        attempt=attempt,
    )
    return list(_rules.check_vote(facts, p))


def consents_recorded(case: AdmissionCase) -> dict[str, Consent]:
    """The latest recorded consent of each kind."""
    out: dict[str, Consent] = {}
    for c in Consent.objects.filter(case=case).order_by("date", "id"):
        out[c.kind] = c
    return out


def required_consents(case: AdmissionCase, on: dt.date) -> list[str]:
    """The consents the applicant's path needs, judged at the cell's vote ``on``."""
    person = case.person
    return _rules.required_consents(
        person.date_of_birth,
        person.education_general,
        on,
        policy_on(on),
        special_area=area_verdict(case, on).applies,
        fisherman=person.occupation == "fisherman",
        village_elder=case.village_elder,
    )


def consent_rows(case: AdmissionCase, on: dt.date) -> list[dict[str, Any]]:
    """For the case page: each consent the path needs (at the cell's vote, else ``on``),
    with the recorded document or None (missing), and its legal source."""
    ref = case.cell_vote_on or on
    p = policy_on(ref)
    recorded = consents_recorded(case)
    return [
        {
            "kind": kind,
            "label": _rules.consent_label(kind),
            "consent": recorded.get(kind),
            "source": _rules.consent_source(kind, p),
        }
        for kind in required_consents(case, ref)
    ]


def consent_findings(case: AdmissionCase, decide_on: dt.date) -> list[Finding]:
    """At the decision: every consent the path needs is recorded and dated no later."""
    ref = case.cell_vote_on or decide_on  # the age is judged at the cell's vote
    recorded: dict[str, dt.date | None] = {k: c.date for k, c in consents_recorded(case).items()}
    return list(
        _rules.check_consents(
            required_consents(case, ref), recorded, decide_on, policy_on(decide_on)
        )
    )


def village_elder_roles(on: dt.date) -> list[str]:
    return list(policy_on(on).extra.get("education.village_elder_roles", ()))  # type: ignore[call-overload]


def denominator_findings(
    *, roll: int, excluded: list[str], expected: int, on: dt.date
) -> list[Finding]:
    return list(_rules.check_denominator(roll, excluded, expected, on, policy_on(on)))


def admission_findings(case: AdmissionCase, vote_on: dt.date) -> list[Finding]:
    """Everything checked at the cell's vote (rules reference §1–§3), with the policy in
    force on the vote date. A special path's consent recorded by then passes; one still
    missing is a warning (it must be recorded before the decision)."""
    p = policy_on(vote_on)
    person = case.person
    recorded = consents_recorded(case)
    over = recorded.get(Consent.Kind.OVER_MAX_AGE)
    elder = recorded.get(Consent.Kind.VILLAGE_ELDER)
    findings: list[Finding] = []
    findings += _rules.check_age(
        person.date_of_birth,
        vote_on,
        p,
        over_max_consent=over is not None and over.date <= vote_on,
        consent_pending=True,
    )
    # the special area from the residence on the vote's date (ptdv.admissions.areas)
    area = area_verdict(case, vote_on)
    findings += explain(
        _rules.check_education(
            person.education_general,
            p,
            special_area=area.applies,
            fisherman=person.occupation == "fisherman",
            village_elder=case.village_elder,
            provincial_consent=elder is not None and elder.date <= vote_on,
            consent_pending=True,
        ),
        area,
    )
    findings += _rules.check_awareness_certificate(
        awareness_certificate_issued_on(case, vote_on), vote_on, p
    )
    findings += _rules.check_introducers(
        introducer_facts(case, vote_on), applicant_facts(case), vote_on, p
    )
    kinds = [
        *ADMISSION_REQUIRED,
        DocumentKind.INTRODUCTION,
        DocumentKind.YOUTH_UNION_RESOLUTION,
        DocumentKind.TRADE_UNION_RESOLUTION,
    ]
    findings += _rules.check_documents(document_facts(case, kinds), vote_on, p)
    return findings


def introducer_findings(case: AdmissionCase, on: dt.date) -> list[Finding]:
    p = policy_on(on)
    return list(_rules.check_introducers(introducer_facts(case, on), applicant_facts(case), on, p))


def recognition_findings(case: AdmissionCase, vote_on: dt.date) -> list[Finding]:
    if case.ceremony_on is None:
        return []
    p = policy_on(vote_on)  # the rule set in force on the step's date (its citation)
    return list(_rules.can_recognize(case.ceremony_on, vote_on, p))


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# --- papers before a decision (issue 15 point 7) ------------------------------------------

_RESOLUTIONS = {
    "admission": ("cell_resolution", "grassroots_resolution"),
    "recognition": ("recognition_cell_resolution", "recognition_grassroots_resolution"),
}


def decision_papers(case: AdmissionCase, purpose: str, on: dt.date) -> list[str]:
    """The papers the decision needs (policy in force at the cell's vote of this purpose):
    no grassroots resolution for a grassroots cell; no resolutions when the case was
    escalated after failed votes (the competent committee decides on the report)."""
    kinds = _rules.papers_required_for(purpose, policy_on(on))  # in force on the decision
    cell_res, grassroots_res = _RESOLUTIONS[purpose]
    if case.org_unit.kind == "grassroots_cell":
        kinds = [k for k in kinds if k != grassroots_res]
    if case.stage == "escalated":
        kinds = [k for k in kinds if k not in (cell_res, grassroots_res)]
    return kinds


def papers_waived(case: AdmissionCase, purpose: str) -> dict[str, str]:
    return {
        e.kind: e.reason
        for e in PaperException.objects.filter(case=case, purpose=purpose).order_by("id")
    }


def decision_paper_findings(case: AdmissionCase, purpose: str, on: dt.date) -> list[Finding]:
    """Missing required papers (errors) or recorded exceptions (warnings) at a decision."""
    docs = [
        DocumentFacts(kind=d.kind, status=d.status, issued_on=d.issued_on, required=True)
        for d in document_facts(case, decision_papers(case, purpose, on))
    ]
    return list(
        _rules.check_decision_papers(purpose, docs, papers_waived(case, purpose), policy_on(on))
    )


# --- what a source still lacks (issue 15 point 8) -------------------------------------


def source_findings(
    *,
    person: Any,
    on: dt.date,
    certificate_issued_on: dt.date | None,
    introducers: list[Introducer],
    applicant: ApplicantFacts,
    over_max_consent: bool,
    vetting: list[Finding],
) -> list[Finding]:
    """What a person on a source list would still lack if the cell voted on ``on``: the
    same rules as ``admission_findings`` (certificate, age, introducers) with the policy in
    force that day, and the vetting conclusion's findings given by ``vetting``."""
    p = policy_on(on)
    findings: list[Finding] = []
    findings += _rules.check_awareness_certificate(certificate_issued_on, on, p)
    findings += _rules.check_age(
        person.date_of_birth, on, p, over_max_consent=over_max_consent, consent_pending=True
    )
    findings += _rules.check_introducers(introducers, applicant, on, p)
    findings += vetting
    return findings
