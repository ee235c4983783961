"""Thin views: access → parse → act → respond."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.access.permissions import has_perm
from ptdv.core.errors import BulkError, DomainError
from ptdv.core.http import form_error_messages
from ptdv.organizations.models import OrgUnit
from ptdv.targets import selectors, services
from ptdv.targets.forms import DocumentForm, TargetForm, TermForm
from ptdv.targets.models import Term
from ptdv.targets.selectors import period_choice


def _back(org: OrgUnit, year: int | None, term: Term | None) -> str:
    q = {"org": str(org.uid)}
    if term is not None:
        q["term"] = str(term.uid)
    else:
        q["year"] = str(year)
    return reverse("targets:index") + "?" + urlencode(q)


@gate("targets.edit")
@require_POST
def target_set_view(request: HttpRequest) -> HttpResponse:
    org = selectors.org_get_for(request.user, request.POST.get("org"))
    year, term = period_choice(request.POST)
    require_perm(request.user, "targets.edit", org)  # visible but not editable: 403
    form = TargetForm(request.POST)
    if not form.is_valid():
        for e in form_error_messages(form):
            messages.error(request, e)
        return redirect(_back(org, year, term))
    try:
        services.target_set(
            actor=request.user,
            org_unit=org,
            year=year,
            term=term,
            value=form.cleaned_data["value"],
            document_number=form.cleaned_data["document_number"],
            document_date=form.cleaned_data["document_date"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The target has been saved."))
    return redirect(_back(org, year, term))


@gate("targets.edit")
@require_POST
def allocate_view(request: HttpRequest) -> HttpResponse:
    org = selectors.org_get_for(request.user, request.POST.get("org"))
    year, term = period_choice(request.POST)
    require_perm(request.user, "targets.edit", org)  # visible but not editable: 403
    form = DocumentForm(request.POST)
    values: dict[OrgUnit, int] = {}
    bad: list[str] = []
    for child in selectors.children_of(request.user, org):
        raw = (request.POST.get(f"value_{child.uid}") or "").strip()
        if raw == "":
            continue
        try:
            values[child] = int(raw)
        except ValueError:
            bad.append(_("%(org)s: “%(value)s” is not a whole number.")
                       % {"org": child.name, "value": raw})  # fmt: skip
    if not form.is_valid() or bad:
        for e in form_error_messages(form):
            messages.error(request, e)
        for b in bad:
            messages.error(request, b)
        messages.error(request, _("Nothing was saved."))
        return redirect(_back(org, year, term))
    try:
        services.targets_allocate(
            actor=request.user,
            parent=org,
            year=year,
            term=term,
            values=values,
            document_number=form.cleaned_data["document_number"],
            document_date=form.cleaned_data["document_date"],
        )
    except BulkError as exc:
        messages.error(request, exc.message)
        for row in exc.rows:
            messages.error(request, row.message)
    except DomainError as exc:
        messages.error(request, exc.message + " " + _("Nothing was saved."))
    else:
        messages.success(request, _("The allocation has been saved."))
    return redirect(_back(org, year, term))


@gate("targets.edit")
@require_POST
def term_create_view(request: HttpRequest) -> HttpResponse:
    org = selectors.org_get_for(request.user, request.POST.get("org"))
    require_perm(request.user, "targets.edit", org)  # visible but not editable: 403
    form = TermForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the first and last year of the term."))
        return redirect(_back(org, timezone.localdate().year, None))
    try:
        term = services.term_create(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(org, timezone.localdate().year, None))
    messages.success(request, _("The term has been created."))
    return redirect(_back(org, None, term))


@gate("targets.view")
def carry_over_view(request: HttpRequest) -> HttpResponse:
    """Carry a closed organization's target over to its successors: a preview of the
    target, what was admitted before its end and what remains, the successors with their
    current target and a proposed share each; saved only when confirmed."""
    params = request.POST if request.method == "POST" else request.GET
    org = selectors.org_get_for(request.user, params.get("org"))
    year, term = period_choice(params)
    if request.method == "POST":
        form = DocumentForm(request.POST)
        preview = services.carry_over_preview(org, year=year, term=term)
        values: dict[OrgUnit, int] = {}
        bad: list[str] = []
        for row in preview.successors:
            raw = (request.POST.get(f"value_{row['unit'].uid}") or "").strip()
            if raw == "":
                continue
            try:
                values[row["unit"]] = int(raw)
            except ValueError:
                bad.append(_("%(org)s: “%(value)s” is not a whole number.")
                           % {"org": row["unit"].name, "value": raw})  # fmt: skip
        if form.is_valid() and not bad:
            try:
                services.targets_carry_over(
                    actor=request.user,
                    unit=org,
                    values=values,
                    year=year,
                    term=term,
                    document_number=form.cleaned_data["document_number"],
                    document_date=form.cleaned_data["document_date"],
                )
            except BulkError as exc:
                bad += [exc.message, *(r.message for r in exc.rows)]
            except DomainError as exc:
                bad.append(exc.message)
            else:
                messages.success(request, _("The target has been carried over."))
                return redirect(_back(org, year, term))
        bad += form_error_messages(form)
        for b in bad:
            messages.error(request, b)
        messages.error(request, _("Nothing was saved."))
    preview = services.carry_over_preview(org, year=year, term=term)
    return render(
        request,
        "targets/carry_over.html",
        {
            "org": org,
            "year": year,
            "term": term,
            "preview": preview,
            "closed": org.valid_to is not None,
            "years": list(range(timezone.localdate().year - 5, timezone.localdate().year + 3)),
            "terms": selectors.terms(),
            "can_edit": any(
                has_perm(request.user, "targets.edit", r["unit"]) for r in preview.successors
            ),
        },
    )
