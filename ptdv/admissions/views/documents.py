"""The admission papers of a case (PDF or DOCX) and the context each is filled from."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ptdv.access.gate import gate
from ptdv.admissions import checks, papers, selectors, vetting
from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase, Decision, Stage, Vote
from ptdv.documents import rules as doc_rules
from ptdv.documents.headers import header_context

DOCUMENTS = [
    (
        "admissions.cell_resolution",
        gettext_lazy("Cell resolution proposing admission"),
        Stage.CELL_VOTED,
    ),
    (
        "admissions.background_form",
        gettext_lazy("Background form (2-KNĐ)"),
        Stage.BACKGROUND_DECLARED,
    ),
    ("admissions.application", gettext_lazy("Application (1-KNĐ)"), Stage.APPLICATION),
    (
        "admissions.introduction",
        gettext_lazy("Introductions by official members (3-KNĐ)"),
        Stage.INTRODUCTIONS_COLLECTED,
    ),
    (
        "admissions.union_introduction",
        gettext_lazy("Union resolution introducing the applicant (4-KNĐ / 4A-KNĐ)"),
        Stage.INTRODUCTIONS_COLLECTED,
    ),
    (
        "admissions.comments",
        gettext_lazy("Summary of comments (5-KNĐ)"),
        Stage.INTRODUCTIONS_COLLECTED,
    ),
    (
        "admissions.grassroots_resolution",
        gettext_lazy("Grassroots committee resolution (8-KNĐ)"),
        Stage.GRASSROOTS_VOTED,
    ),
    ("admissions.admission_decision", gettext_lazy("Admission decision"), Stage.DECIDED),
    ("admissions.self_review", gettext_lazy("Self-review (10-KNĐ)"), Stage.PROBATION),
    (
        "admissions.helper_comment",
        gettext_lazy("Helper's assessment (11-KNĐ)"),
        Stage.PROBATION,
    ),
    (
        "admissions.recognition_cell_resolution",
        gettext_lazy("Cell resolution on recognition (13-KNĐ)"),
        Stage.RECOGNITION_CELL_VOTED,
    ),
    (
        "admissions.recognition_grassroots_resolution",
        gettext_lazy("Grassroots resolution on recognition (15-KNĐ)"),
        Stage.RECOGNITION_GRASSROOTS_VOTED,
    ),
    ("admissions.ceremony_minutes", gettext_lazy("Ceremony minutes"), Stage.PROBATION),
    (
        "admissions.recognition_decision",
        gettext_lazy("Recognition decision (16-KNĐ)"),
        Stage.RECOGNIZED,
    ),
    ("admissions.removal_decision", gettext_lazy("Removal decision"), Stage.REMOVED),
]


@gate("admissions.view")
def case_document(request: HttpRequest, uid: Any, code: str, fmt: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    if fmt not in {"pdf", "docx"}:
        raise Http404
    from ptdv.documents.render import document_response

    if code == "admissions.vetting_letter":
        req = vetting.requests_of(case).filter(uid=_uuid_or_none(request.GET.get("request")))
        row = req.first()
        if row is None:
            raise Http404
        ctx = papers.vetting_letter_context(case, row, _common_context(case))
        return document_response(code, ctx, fmt)
    if code not in {c for c, _l, _s in DOCUMENTS}:
        raise Http404
    return document_response(code, document_context(case, code), fmt)


def _uuid_or_none(value: Any) -> Any:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _common_context(case: AdmissionCase) -> dict[str, Any]:
    person = case.person
    return {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "hometown": person.hometown,
        "ethnicity": person.get_ethnicity_display(),
        "religion": person.get_religion_display(),
        "occupation": person.get_occupation_display(),
        "education": person.get_education_general_display(),
        "residence": str(person.residential_unit or ""),
        "cell": case.org_unit.name,
    }


def document_context(case: AdmissionCase, code: str) -> Any:
    """The context of an admission paper (keys: ``ptdv/documents/README.md``), with the
    signature block, "Nơi nhận" and the totals the system knows (``papers.finish``)."""
    if code == "admissions.background_form":
        return papers.background_context(case, _common_context(case))
    extra = papers.extra_context(case, code, _common_context(case))
    if extra is not None:
        return extra
    ctx, issuer = _document_context(case, code)
    return papers.finish(case, code, ctx, issuer)


def _document_context(case: AdmissionCase, code: str) -> tuple[dict[str, Any], Any]:
    """The context of an admission paper and the unit that issues it."""
    votes = {(v.body, v.purpose): v for v in Vote.objects.filter(case=case, passed=True)}
    decisions = {d.kind: d for d in Decision.objects.filter(case=case).order_by("date", "id")}
    cell = case.org_unit
    # the committees of the date of the paper: a step after a restructuring is decided
    # by the committee the cell belonged to then, and the paper names that body
    now = S.committees_on(case, timezone.localdate())
    purpose = "recognition" if code in _RECOGNITION_PAPERS else "admission"
    cv = votes.get(("cell", purpose))
    gv = votes.get(("grassroots", purpose))
    common: dict[str, Any] = {
        **_common_context(case),
        "grassroots": now.grassroots.name
        if now.grassroots and now.grassroots.pk != cell.pk
        else "",
        "cell_resolution_number": cv.resolution_number if cv else "",
        "cell_resolution_date": cv.date if cv else None,
        "grassroots_resolution_number": gv.resolution_number if gv else "",
        "grassroots_resolution_date": gv.date if gv else None,
    }
    if code in {"admissions.cell_resolution", "admissions.recognition_cell_resolution"}:
        grassroots = S.committees_on(case, cv.date).grassroots if cv else now.grassroots
        return _cell_resolution_context(case, common, cv, grassroots, purpose), cell
    admission = decisions.get("admission")
    if code == "admissions.ceremony_minutes":
        return _ceremony_context(case, common, admission, now.deciding), cell
    decision = decisions.get(_DECISION_KINDS[code])
    deciding = now.deciding
    if decision is not None and decision.deciding_unit is not None:
        deciding = decision.deciding_unit  # the body that decided, on its date
    return _decision_context(case, common, decision, admission, deciding), deciding


_RECOGNITION_PAPERS = {"admissions.recognition_decision", "admissions.recognition_cell_resolution"}
_DECISION_KINDS = {
    "admissions.admission_decision": "admission",
    "admissions.recognition_decision": "recognition",
    "admissions.removal_decision": "removal",
}


def _cell_resolution_context(
    case: AdmissionCase, common: dict[str, Any], cv: Vote | None, grassroots: Any, purpose: str
) -> dict[str, Any]:
    """The cell's resolution (6-KNĐ, 13-KNĐ): its vote, the committee above it that day."""
    ctx = {
        **common,
        **header_context(case.org_unit, doc_abbrev="NQ"),
        "number": cv.resolution_number if cv else "",
        "date": cv.date if cv else None,
        "meeting_date": cv.date if cv else None,
        "upper_committee": grassroots.name if grassroots else "",
        "members_official": cv.expected if cv else None,
        "present_official": cv.present if cv else None,
        "votes_for": cv.in_favour if cv else None,
        "votes_against": cv.against if cv else None,
        "certificate_date": checks.awareness_certificate_issued_on(case, timezone.localdate()),
    }
    if purpose == "recognition":
        ctx.update(papers.probation_context(case))
    return ctx


def _ceremony_context(
    case: AdmissionCase, common: dict[str, Any], admission: Decision | None, deciding: Any
) -> dict[str, Any]:
    """The ceremony's minutes: the admission decision and the body that took it."""
    return {
        **common,
        **header_context(case.org_unit, doc_abbrev="BB"),
        "date": case.ceremony_on,
        "ceremony_date": case.ceremony_on,
        "decision_number": admission.number if admission else "",
        "decision_date": admission.date if admission else None,
        "deciding_body": _deciding_body(
            admission.deciding_unit if admission and admission.deciding_unit else deciding
        ),
        "helpers": [h.full_name for h in case.helpers.all()],
    }


def _decision_context(
    case: AdmissionCase,
    common: dict[str, Any],
    decision: Decision | None,
    admission: Decision | None,
    deciding: Any,
) -> dict[str, Any]:
    """A decision (admission, recognition, removal) under the deciding body's header."""
    return {
        **common,
        **(header_context(deciding, doc_abbrev="QĐ") if deciding else {}),
        "number": decision.number if decision else "",
        "date": decision.date if decision else None,
        "deciding_body": _deciding_body(deciding),
        "signer_name": decision.signer if decision else "",
        "admission_decision_number": admission.number if admission else "",
        "admission_decision_date": admission.date if admission else None,
        "ceremony_date": case.ceremony_on,
        "official_date": case.official_on,
        "reason": decision.reason if decision else "",
    }


def _deciding_body(unit: Any) -> str:
    if unit is None:
        return ""
    return f"Ban Thường vụ {doc_rules.committee_name(unit.name)}"
