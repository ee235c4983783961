"""The case page: its steps with their forms and what each waits for, deadlines, votes,
decisions, dossier and papers, the special paths and consents, the scans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ptdv.access.gate import gate
from ptdv.admissions import checks, forms, rules, selectors, vetting
from ptdv.admissions import services as S
from ptdv.admissions.area_views import case_area_context
from ptdv.admissions.models import AdmissionCase, Stage
from ptdv.admissions.steps import DEADLINE_LABELS, STEP_LABELS, next_steps_of
from ptdv.admissions.vetting_views import case_vetting_context
from ptdv.admissions.views.documents import DOCUMENTS, document_context
from ptdv.organizations.models import OrgKind

STEP_FORMS: dict[str, type] = {
    "certificate": forms.CertificateForm,
    "application": forms.DatedStepForm,
    "background": forms.DatedStepForm,
    "vetting": forms.VettingConclusionForm,
    "introductions": forms.IntroductionsForm,
    "cell_vote": forms.CellVoteForm,
    "sub_committee": forms.DatedStepForm,
    "grassroots_vote": forms.VoteForm,
    "decide": forms.DecisionForm,
    "reject": forms.RejectForm,
    "ceremony": forms.CeremonyForm,
    "member_record": forms.MemberRecordForm,
    "recognition_cell_vote": forms.CellVoteForm,
    "recognition_grassroots_vote": forms.VoteForm,
    "recognize": forms.DecisionForm,
    "remove": forms.RemovalForm,
}


def form_for(step: str, case: AdmissionCase, data: Any = None, files: Any = None) -> Any:
    cls = STEP_FORMS[step]
    today = timezone.localdate()
    initial: dict[str, Any] = {"on": today}
    if step in {"cell_vote", "recognition_cell_vote"}:
        initial["expected"] = S.official_members_count(case.org_unit, today)
    if cls is forms.IntroductionsForm:
        return cls(data, files, introducers=_introducer_choices(case), initial=initial)
    if cls is forms.CellVoteForm:
        roll, exempted = selectors.roll_choices(case.org_unit, today)
        return cls(data, files, initial=initial, roll=roll, exempted=exempted)
    return cls(data, files, initial=initial)


def _introducer_choices(case: AdmissionCase) -> Any:
    return selectors.introducer_choices(case, timezone.localdate())


def _preview(case: AdmissionCase, step: str) -> list[Any]:
    """The findings of a step on today's date, shown before the user acts."""
    today = timezone.localdate()
    if step == "cell_vote":
        return [*vetting.vote_findings(case), *checks.admission_findings(case, today)]
    if step == "recognition_cell_vote":
        return checks.recognition_findings(case, today)
    if step == "decide":
        return checks.consent_findings(case, today) + checks.decision_paper_findings(
            case, "admission", today
        )
    if step == "recognize":
        return checks.decision_paper_findings(case, "recognition", today)
    return []


WAITING_CODES = frozenset(
    {
        "probation.not_ended",
        "documents.missing",
        "documents.returned",
        "introducers.too_few",
        "cert.missing",
    }
)


def _step_context(case: AdmissionCase, step: str, allowed: bool) -> dict[str, Any]:
    findings = _preview(case, step)
    waiting = [f for f in findings if f.code in WAITING_CODES and f.severity == "error"]
    return {
        "name": step,
        "label": STEP_LABELS[step],
        "form": form_for(step, case),
        "findings": [f for f in findings if f not in waiting],
        "waiting": waiting,
        "allowed": allowed and not waiting,
    }


def case_context(request: HttpRequest, case: AdmissionCase) -> dict[str, Any]:
    steps = next_steps_of(case)
    user = request.user
    allowed = [s for s in steps if S.can_take(user, s, case)]
    cert_on = checks.awareness_certificate_issued_on(case, timezone.localdate())
    reached = set(case.changes.values_list("to_stage", flat=True))
    return {
        "case": case,
        "deciding_now": S.committees_on(case, timezone.localdate()).deciding,
        "person": case.person,
        "checklist": selectors.checklist(case),
        "deadlines": S.case_deadlines(case, certificate_on=cert_on) if case.is_open else [],
        "deadline_labels": DEADLINE_LABELS,
        "steps": [_step_context(case, s, s in allowed) for s in steps],
        "changes": case.changes.select_related("actor").order_by("on", "id"),
        "votes": case.votes.prefetch_related("exclusions__person"),
        "decisions": case.decisions.all(),
        "introductions": case.introductions.filter(active=True).select_related("introducer"),
        "documents": _documents_with_blanks(case, reached),
        "dossier_form": forms.DossierForm(initial={"status": "received"}),
        "can_record_dossier": S.can_take(user, "dossier", case),
        "policy": _policy_title(case.policy_code),
        "today": timezone.localdate(),
        "vetting": case_vetting_context(request, case),
        "area": case_area_context(request, case),
        **_special_paths_context(case, user),
    }


SIDE_FORMS: dict[str, type] = {
    "consent": forms.ConsentForm,
    "special_path": forms.SpecialPathForm,
    "paper_exception": forms.PaperExceptionForm,
}


def side_form(step: str, case: AdmissionCase, data: Any = None) -> Any:
    today = timezone.localdate()
    if step == "paper_exception":
        purpose = S.decision_purpose(case)
        kinds = checks.decision_papers(case, purpose, today) if purpose else []
        return forms.PaperExceptionForm(data, kinds=kinds)
    if step == "special_path":
        return forms.SpecialPathForm(
            data,
            initial={"role": case.village_elder_role},
            roles=checks.village_elder_roles(case.cell_vote_on or today),
        )
    rows = checks.consent_rows(case, today)
    missing = [r["kind"] for r in rows if r["consent"] is None]
    initial = {"on": today, "body": _consent_body(case)}
    if missing:
        initial["kind"] = missing[0]
    return forms.ConsentForm(data, initial=initial)


def _consent_body(case: AdmissionCase) -> str:
    """The standing committee of the province above the cell (the usual issuing body)."""
    from ptdv.documents import rules as doc_rules
    from ptdv.organizations.selectors import ancestors

    province = ancestors(case.org_unit).filter(kind=OrgKind.PROVINCE).first()
    if province is None:
        return ""
    return f"Ban Thường vụ {doc_rules.committee_name(province.name)}"


def _special_paths_context(case: AdmissionCase, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    open_before_decision = case.is_open and (
        case.stage in rules.BEFORE_DECISION
        or (case.stage == Stage.ESCALATED and case.ceremony_on is None)
    )
    return {
        "consent_rows": checks.consent_rows(case, today),
        "consents": case.consents.order_by("date", "id"),
        "can_special": open_before_decision and S.can_take(user, "consent", case),
        "consent_form": side_form("consent", case),
        "paper_exception_form": side_form("paper_exception", case),
        "paper_exceptions": case.paper_exceptions.order_by("id"),
        "can_waive": S.decision_purpose(case) is not None
        and S.can_take(user, "paper_exception", case),
        "special_path_form": side_form("special_path", case),
    }


def _documents_with_blanks(case: AdmissionCase, reached: set[str]) -> list[Any]:
    """The papers of the case so far, each with what it leaves for the hand."""
    from ptdv.admissions import papers

    return [
        (c, label, [_in_words(b) for b in papers.blanks(c, document_context(case, c))])
        for c, label, stage in DOCUMENTS
        if stage in reached
    ]


def _in_words(description: str) -> str:
    """A template key's description as the case page shows it: without the template editor's
    technical notes (types in brackets, aliases, list element keys)."""
    import re

    text = description.split("; bí danh")[0]
    text = re.sub(r"^list\[\w+\]\s*", "", text)
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" ;,")
    if not text or re.search(r"\b[a-z]+_[a-z_]+\b", text):
        return str(gettext_lazy("a table of rows"))
    return text


def _policy_title(code: str) -> str:
    if not code:
        return ""
    try:
        return checks.policy_by_code(code).title
    except Exception:  # noqa: BLE001 - an unknown code is shown as is
        return code


@gate("admissions.view")
def dossier_scan(request: HttpRequest, uid: Any, item_uid: Any) -> FileResponse:
    """The scan of a dossier paper: only for who may see the case (else 404), audited."""
    from ptdv.audit.files import file_response
    from ptdv.documents.rules import filename

    case = selectors.case_get_for(user=request.user, uid=uid)
    item = case.dossier.filter(uid=item_uid).first()
    if item is None or not item.scan:
        raise Http404
    ext = Path(item.scan.name or "").suffix.lstrip(".") or "bin"
    name = filename([item.get_kind_display(), case.person.full_name], ext)
    return file_response(
        actor=request.user, file=item.scan, target=item, filename=name, org_unit=case.org_unit
    )


@gate("admissions.view")
def case_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    return render(request, "admissions/case_detail.html", case_context(request, case))
