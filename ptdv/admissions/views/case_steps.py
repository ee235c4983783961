"""Taking a step of a case (the steps table's service), the forms beside the steps, a
dossier paper, and opening a case from a person's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.admissions import forms, selectors, steps
from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase
from ptdv.admissions.views.case_page import (
    SIDE_FORMS,
    STEP_FORMS,
    case_context,
    form_for,
    side_form,
)
from ptdv.core.errors import DomainError
from ptdv.people.selectors import person_get_for


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
    form = form_for(step, case, request.POST, request.FILES)
    error: DomainError | None = None
    if form.is_valid():
        try:
            _act(step, case, form, request.FILES, request.user)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Saved."))
            return redirect("admissions:case_detail", uid=case.uid)
    ctx = case_context(request, selectors.case_get_for(user=request.user, uid=uid))
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
    form = side_form(step, case, request.POST)
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
    ctx = case_context(request, selectors.case_get_for(user=request.user, uid=case.uid))
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


@gate("admissions.act")
def case_open(request: HttpRequest, person_uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=person_uid)
    form = forms.CaseOpenForm(request.POST or None, initial={"opened_on": timezone.localdate()})
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
