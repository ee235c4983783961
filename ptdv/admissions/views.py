"""Thin views: access (scoped selector) → parse (form) → act (service) → respond."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm, has_perm_anywhere
from ptdv.admissions import checks, forms, rules, selectors, steps, vetting
from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase, SourceEntry, Stage
from ptdv.admissions.steps import DEADLINE_LABELS, STEP_LABELS, next_steps_of
from ptdv.admissions.vetting_views import case_vetting_context
from ptdv.core.errors import DomainError
from ptdv.core.http import render_panels
from ptdv.organizations.models import OrgKind
from ptdv.organizations.selectors import units_visible_to
from ptdv.people.selectors import person_get_for

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


def _today() -> dt.date:
    return timezone.localdate()


def _form_for(step: str, case: AdmissionCase, data: Any = None, files: Any = None) -> Any:
    cls = STEP_FORMS[step]
    today = _today()
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
    return selectors.introducer_choices(case, _today())


def _preview(case: AdmissionCase, step: str) -> list[Any]:
    """The findings of a step on today's date, shown before the user acts."""
    today = _today()
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


@gate("admissions.view")
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        unit = None
        if form.cleaned_data["org"]:
            unit = (
                units_visible_to(request.user, perm="admissions.view")
                .filter(code=form.cleaned_data["org"].strip())
                .first()
            )
            if unit is None:
                raise Http404
        filters = selectors.CaseFilters(
            stage=form.cleaned_data["stage"], org_unit=unit, q=form.cleaned_data["q"]
        )
    page = Paginator(selectors.case_list_for(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "admissions/case_list.html",
        {
            "form": form,
            "page": page,
            "stage_counts": selectors.stage_counts_for(user=request.user),
            "stages": Stage,
            "can_act": has_perm_anywhere(request.user, "admissions.act"),
        },
    )


def todo_rows(cases: list[AdmissionCase], today: dt.date) -> list[dict[str, Any]]:
    """The to-do rows: the case, its cell and the cell's parent, who must act (the
    responsible committee) and whether it is late — the to-do page and the home page."""
    return [
        {
            "case": c,
            "unit": c.org_unit,
            "parent": c.org_unit.parent,
            "owner": selectors.responsible_unit(c, today),
            "what": DEADLINE_LABELS.get(c.due_kind, ""),
            "overdue": c.due_on < today,
        }
        for c in cases
    ]


@gate("admissions.view")
def todo(request: HttpRequest) -> HttpResponse:
    today = _today()
    everything = list(selectors.todo_for(user=request.user, today=today)[:300])
    units: dict[int, Any] = {}
    for c in everything:
        for u in (c.org_unit.parent, c.org_unit):
            if u is not None:
                units.setdefault(u.pk, u)
    form = forms.TodoFilterForm(
        request.GET or None,
        units=sorted(units.values(), key=lambda u: u.path),
        kinds=list(DEADLINE_LABELS.items()),
    )
    cases = everything
    if form.is_valid():
        d = form.cleaned_data
        unit = next((u for u in units.values() if str(u.uid) == d["unit"]), None)
        filters = selectors.TodoFilters(
            org_unit=unit, kind=d["kind"], overdue_only=d["overdue"], sort=d["sort"] or "due"
        )
        cases = list(selectors.todo_for(user=request.user, today=today, filters=filters)[:300])
    return render(
        request,
        "admissions/todo.html",
        {
            "rows": todo_rows(cases, today),
            "form": form,
            "today": today,
            # other apps' overdue items (panels.TODO_PANELS), e.g. transfers
            "panels": render_panels(request, "TODO_PANELS", today),
        },
    )


# Findings that no entry in the step's form can answer: the step waits for something else
# (the end of probation, a document, introducers, the certificate). Its form stays closed
# and says what it waits for.
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
        "form": _form_for(step, case),
        "findings": [f for f in findings if f not in waiting],
        "waiting": waiting,
        "allowed": allowed and not waiting,
    }


def _case_context(request: HttpRequest, case: AdmissionCase) -> dict[str, Any]:
    steps = next_steps_of(case)
    user = request.user
    allowed = [s for s in steps if S.can_take(user, s, case)]
    cert_on = checks.awareness_certificate_issued_on(case, _today())
    reached = set(case.changes.values_list("to_stage", flat=True))
    return {
        "case": case,
        "deciding_now": S.committees_on(case, _today()).deciding,
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
        "today": _today(),
        "vetting": case_vetting_context(request, case),
        **_special_paths_context(case, user),
    }


SIDE_FORMS: dict[str, type] = {
    "consent": forms.ConsentForm,
    "special_path": forms.SpecialPathForm,
    "paper_exception": forms.PaperExceptionForm,
}


def _side_form(step: str, case: AdmissionCase, data: Any = None) -> Any:
    today = _today()
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
    today = _today()
    open_before_decision = case.is_open and (
        case.stage in rules.BEFORE_DECISION
        or (case.stage == Stage.ESCALATED and case.ceremony_on is None)
    )
    return {
        "consent_rows": checks.consent_rows(case, today),
        "consents": case.consents.order_by("date", "id"),
        "can_special": open_before_decision and S.can_take(user, "consent", case),
        "consent_form": _side_form("consent", case),
        "paper_exception_form": _side_form("paper_exception", case),
        "paper_exceptions": case.paper_exceptions.order_by("id"),
        "can_waive": S.decision_purpose(case) is not None
        and S.can_take(user, "paper_exception", case),
        "special_path_form": _side_form("special_path", case),
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
    ext = Path(item.scan.name).suffix.lstrip(".") or "bin"
    name = filename([item.get_kind_display(), case.person.full_name], ext)
    return file_response(
        actor=request.user, file=item.scan, target=item, filename=name, org_unit=case.org_unit
    )


@gate("admissions.view")
def case_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    return render(request, "admissions/case_detail.html", _case_context(request, case))


def _act(step: str, case: AdmissionCase, form: Any, files: Any, user: Any) -> None:
    """The form's fields as a ``steps.StepInput``; the service call is the steps table's."""
    d = form.cleaned_data
    introducers = [
        S.IntroducerInput(d[f"introducer{i}"], cowork_since=d[f"cowork_since{i}"])
        for i in (1, 2)
        if d.get(f"introducer{i}") is not None
    ]
    if d.get("union"):
        introducers.append(S.IntroducerInput(None, kind=d["union"]))
    counts = None
    if step in steps.VOTE_STEPS:
        counts = S.VoteCounts(
            d["expected"],
            d["present"],
            d["in_favour"],
            d["against"],
            d["resolution_number"],
            exclusions=form.exclusions() if isinstance(form, forms.CellVoteForm) else (),
        )
    elif step in {"decide", "recognize"}:
        counts = _deciding_vote(d)
    steps.take(
        step,
        actor=user,
        case=case,
        data=steps.StepInput(
            on=d["on"],
            number=d.get("number", ""),
            note=d.get("note", ""),
            scan=files.get("scan") if step in steps.SCAN_STEPS else None,
            satisfactory=d.get("satisfactory", True),
            introducers=introducers,
            comments_on=d.get("comments_on"),
            counts=counts,
            record_failure=d.get("record_failure", False),
            signer=d.get("signer", ""),
            received_on=d.get("received_on"),
            reason=d.get("reason", ""),
            reason_late=d.get("reason_late", ""),
        ),
    )


def _deciding_vote(d: dict[str, Any]) -> S.VoteCounts | None:
    """The deciding committee's vote when the user entered it (all four counts)."""
    if d.get("vote_expected") is None:
        return None
    return S.VoteCounts(
        d["vote_expected"], d["vote_present"], d["vote_in_favour"], d["vote_against"], d["number"]
    )


@gate("admissions.view")
@require_POST
def case_step(request: HttpRequest, uid: Any, step: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    if step in SIDE_FORMS:
        return _side_step(request, case, step)
    if step not in STEP_FORMS:
        raise Http404
    form = _form_for(step, case, request.POST, request.FILES)
    error: DomainError | None = None
    if form.is_valid():
        try:
            _act(step, case, form, request.FILES, request.user)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Saved."))
            return redirect("admissions:case_detail", uid=case.uid)
    ctx = _case_context(request, selectors.case_get_for(user=request.user, uid=uid))
    shown = False
    for s in ctx["steps"]:
        if s["name"] == step:
            s["form"] = form
            s["open"] = True
            if error is not None:
                s["refusal"] = getattr(error, "findings", None) or [error]
                shown = True
    if error is not None and not shown:
        # the step is gone from the page (someone else took it a moment ago): say why here
        messages.error(request, error.message)
    ctx["refused"] = error
    return render(request, "admissions/case_detail.html", ctx, status=400)


def _side_step(request: HttpRequest, case: AdmissionCase, step: str) -> HttpResponse:
    """The forms beside the steps (the village-elder path, a written consent)."""
    form = _side_form(step, case, request.POST)
    error: DomainError | None = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            if step == "special_path":
                S.special_path_set(actor=request.user, case=case, role=d["role"])
            elif step == "paper_exception":
                S.paper_exception_record(
                    actor=request.user, case=case, kind=d["kind"], reason=d["reason"]
                )
            else:
                S.consent_record(
                    actor=request.user,
                    case=case,
                    kind=d["kind"],
                    number=d["number"],
                    on=d["on"],
                    body=d["body"],
                    note=d["note"],
                )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Saved."))
            return redirect("admissions:case_detail", uid=case.uid)
    ctx = _case_context(request, selectors.case_get_for(user=request.user, uid=case.uid))
    ctx[f"{step}_form"] = form
    if error is not None:
        key = "paper_exception_refusal" if step == "paper_exception" else "special_refusal"
        ctx[key] = getattr(error, "findings", None) or [error]
    return render(request, "admissions/case_detail.html", ctx, status=400)


@gate("admissions.view")
@require_POST
def dossier_record(request: HttpRequest, uid: Any) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    form = forms.DossierForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            S.dossier_item_record(
                actor=request.user,
                case=case,
                kind=d["kind"],
                status=d["status"],
                issued_on=d["issued_on"],
                received_on=d["received_on"],
                number=d["number"],
                returned_reason=d["returned_reason"],
                scan=request.FILES.get("scan"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the document form."))
    return redirect("admissions:case_detail", uid=case.uid)


@gate("admissions.view")
def case_document(request: HttpRequest, uid: Any, code: str, fmt: str) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, uid=uid)
    if fmt not in {"pdf", "docx"}:
        raise Http404
    from ptdv.documents.render import document_response

    if code == "admissions.vetting_letter":
        from ptdv.admissions import papers

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
    import uuid

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
    from ptdv.admissions import papers

    if code == "admissions.background_form":
        return papers.background_context(case, _common_context(case))
    extra = papers.extra_context(case, code, _common_context(case))
    if extra is not None:
        return extra
    ctx, issuer = _document_context(case, code)
    return papers.finish(case, code, ctx, issuer)


def _document_context(case: AdmissionCase, code: str) -> tuple[dict[str, Any], Any]:
    """The context of an admission paper and the unit that issues it."""
    from ptdv.admissions.models import Decision, Vote
    from ptdv.documents.headers import header_context

    person = case.person
    votes = {(v.body, v.purpose): v for v in Vote.objects.filter(case=case, passed=True)}
    decisions = {d.kind: d for d in Decision.objects.filter(case=case).order_by("date", "id")}
    cell = case.org_unit
    # the committees of the date of the paper: a step after a restructuring is decided
    # by the committee the cell belonged to then, and the paper names that body
    now = S.committees_on(case, _today())
    grassroots, deciding = now.grassroots, now.deciding
    recognition = {"admissions.recognition_decision", "admissions.recognition_cell_resolution"}
    purpose = "recognition" if code in recognition else "admission"
    cv = votes.get(("cell", purpose))
    gv = votes.get(("grassroots", purpose))
    admission = decisions.get("admission")
    common: dict[str, Any] = {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "hometown": person.hometown,
        "ethnicity": person.get_ethnicity_display(),
        "religion": person.get_religion_display(),
        "occupation": person.get_occupation_display(),
        "education": person.get_education_general_display(),
        "residence": str(person.residential_unit or ""),
        "cell": cell.name,
        "grassroots": grassroots.name if grassroots and grassroots.pk != cell.pk else "",
        "cell_resolution_number": cv.resolution_number if cv else "",
        "cell_resolution_date": cv.date if cv else None,
        "grassroots_resolution_number": gv.resolution_number if gv else "",
        "grassroots_resolution_date": gv.date if gv else None,
    }
    if code in {"admissions.cell_resolution", "admissions.recognition_cell_resolution"}:
        if cv is not None:
            grassroots = S.committees_on(case, cv.date).grassroots
        ctx = {
            **common,
            **header_context(cell, doc_abbrev="NQ"),
            "number": cv.resolution_number if cv else "",
            "date": cv.date if cv else None,
            "meeting_date": cv.date if cv else None,
            "upper_committee": grassroots.name if grassroots else "",
            "members_official": cv.expected if cv else None,
            "present_official": cv.present if cv else None,
            "votes_for": cv.in_favour if cv else None,
            "votes_against": cv.against if cv else None,
            "certificate_date": checks.awareness_certificate_issued_on(case, _today()),
        }
        if purpose == "recognition":
            from ptdv.admissions import papers

            ctx.update(papers.probation_context(case))
        return ctx, cell
    if code == "admissions.ceremony_minutes":
        ctx = {
            **common,
            **header_context(cell, doc_abbrev="BB"),
            "date": case.ceremony_on,
            "ceremony_date": case.ceremony_on,
            "decision_number": admission.number if admission else "",
            "decision_date": admission.date if admission else None,
            "deciding_body": _deciding_body(
                admission.deciding_unit if admission and admission.deciding_unit else deciding
            ),
            "helpers": [h.full_name for h in case.helpers.all()],
        }
        return ctx, cell
    kind = {
        "admissions.admission_decision": "admission",
        "admissions.recognition_decision": "recognition",
        "admissions.removal_decision": "removal",
    }[code]
    decision = decisions.get(kind)
    if decision is not None and decision.deciding_unit is not None:
        deciding = decision.deciding_unit  # the body that decided, on its date
    ctx = {
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
    return ctx, deciding


def _deciding_body(unit: Any) -> str:
    if unit is None:
        return ""
    from ptdv.documents import rules as doc_rules

    return f"Ban Thường vụ {doc_rules.committee_name(unit.name)}"


# --- opening a case, sources, backlog ---------------------------------------------------


@gate("admissions.act")
def case_open(request: HttpRequest, person_uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=person_uid)
    form = forms.CaseOpenForm(request.POST or None, initial={"opened_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            case = S.case_open(
                actor=request.user,
                person=person,
                cell=person.org_unit,
                opened_on=form.cleaned_data["opened_on"],
                unit_has_youth_union=form.cleaned_data["unit_has_youth_union"],
                unit_has_trade_union=form.cleaned_data["unit_has_trade_union"],
                source_entry=selectors.latest_source_entry(person),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("admissions:case_detail", uid=case.uid)
    return render(request, "admissions/case_open.html", {"person": person, "form": form})


@gate("admissions.view")
def sources(request: HttpRequest) -> HttpResponse:
    unit = None
    code = request.GET.get("org", "").strip()
    if code:
        unit = units_visible_to(request.user, perm="admissions.view").filter(code=code).first()
        if unit is None:
            raise Http404
    lists = selectors.source_lists_for(user=request.user, unit=unit).order_by(
        "org_unit__path", "-year", "-term"
    )
    page = Paginator(lists, 50).get_page(request.GET.get("page"))
    form = forms.SourceListForm(initial={"org": code, "year": _today().year})
    return render(request, "admissions/sources.html", {"page": page, "form": form, "org": code})


@gate("admissions.act")
@require_POST
def source_list_create(request: HttpRequest) -> HttpResponse:
    form = forms.SourceListForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the form."))
        return redirect("admissions:sources")
    unit = (
        units_visible_to(request.user, perm="admissions.act")
        .filter(code=form.cleaned_data["org"].strip())
        .first()
    )
    if unit is None:
        raise Http404
    try:
        sl = S.source_list_get_or_create(
            actor=request.user,
            org_unit=unit,
            year=form.cleaned_data["year"],
            term=form.cleaned_data["term"] or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("admissions:sources")
    return redirect("admissions:source_list", uid=sl.uid)


@gate("admissions.view")
def source_list(request: HttpRequest, uid: Any) -> HttpResponse:
    sl = selectors.source_list_get_for(user=request.user, uid=uid)
    return render(
        request,
        "admissions/source_list.html",
        {
            "sl": sl,
            "entries": selectors.source_entries_of(sl),
            "entry_form": forms.SourceEntryForm(initial={"added_on": _today()}),
            "note_form": forms.SourceNoteForm(initial={"date": _today()}),
            "remove_form": forms.SourceRemoveForm(initial={"on": _today()}),
            "can_act": has_perm(request.user, "admissions.act", sl.org_unit),
        },
    )


@gate("admissions.act")
@require_POST
def source_entry_add(request: HttpRequest, uid: Any) -> HttpResponse:
    sl = selectors.source_list_get_for(user=request.user, uid=uid)
    form = forms.SourceEntryForm(request.POST)
    if form.is_valid():
        try:
            person = person_get_for(user=request.user, uid=form.cleaned_data["person"])
            S.source_entry_add(
                actor=request.user,
                source_list=sl,
                person=person,
                added_on=form.cleaned_data["added_on"],
                note=form.cleaned_data["note"],
            )
        except (DomainError, Http404) as exc:
            messages.error(request, getattr(exc, "message", _("Person not found.")))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the form."))
    return redirect("admissions:source_list", uid=sl.uid)


def _entry_for(request: HttpRequest, uid: Any) -> SourceEntry:
    return selectors.source_entry_get_for(user=request.user, uid=uid)


@gate("admissions.view")
@require_POST
def source_note_add(request: HttpRequest, uid: Any) -> HttpResponse:
    entry = _entry_for(request, uid)
    form = forms.SourceNoteForm(request.POST)
    if form.is_valid():
        try:
            S.source_note_add(
                actor=request.user,
                entry=entry,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("admissions:source_list", uid=entry.source_list.uid)


@gate("admissions.view")
@require_POST
def source_entry_remove(request: HttpRequest, uid: Any) -> HttpResponse:
    entry = _entry_for(request, uid)
    form = forms.SourceRemoveForm(request.POST)
    if form.is_valid():
        try:
            S.source_entry_remove(
                actor=request.user,
                entry=entry,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("admissions:source_list", uid=entry.source_list.uid)


@gate("admissions.view")
def backlog(request: HttpRequest) -> HttpResponse:
    unit = None
    code = request.GET.get("org", "").strip()
    if code:
        unit = units_visible_to(request.user, perm="admissions.view").filter(code=code).first()
        if unit is None:
            raise Http404
    rows = selectors.dossier_backlog_for(user=request.user, unit=unit)
    kinds = selectors.REQUIRED_BEFORE_VOTE
    return render(
        request,
        "admissions/backlog.html",
        {
            "rows": [
                {
                    "unit": r["unit"],
                    "cases": r["cases"],
                    "missing": [r["missing"][k] for k in kinds],
                }
                for r in rows
            ],
            "kinds": [k.label for k in kinds],
            "org": code,
        },
    )
