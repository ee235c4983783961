"""The whole admission case at the cell's vote: every eligibility check in procedure order."""

from __future__ import annotations

from ptdv.policy.rules.dossier import check_awareness_certificate, check_documents
from ptdv.policy.rules.eligibility import check_age, check_education
from ptdv.policy.rules.introducers import check_introducers
from ptdv.policy.rules.votes import BODY_CELL, check_cell_size, check_vote
from ptdv.policy.types import (
    AdmissionFacts,
    Finding,
    Policy,
)


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
