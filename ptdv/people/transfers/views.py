"""Pages of transfers and exemptions: the list (each side sees its own), the forms to
issue, confirm, cancel and end, the arrival from outside, the letter, exemptions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.access.permissions import has_perm
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error, paginate
from ptdv.documents.render import document_response
from ptdv.people.models import TransferKind, TransferStatus
from ptdv.people.selectors import person_get_for
from ptdv.people.transfers import selectors as sel
from ptdv.people.transfers import services
from ptdv.people.transfers.forms import (
    ArrivalForm,
    ExemptionEndForm,
    ExemptionForm,
    TransferCancelForm,
    TransferConfirmForm,
    TransferEndForm,
    TransferIssueForm,
)
from ptdv.people.transfers.letter import CODE, letter_context

TABS = {
    "transit": gettext_lazy("In transit"),
    "overdue": gettext_lazy("Overdue"),
    "history": gettext_lazy("History"),
}


@gate("people.view")
@require_GET
def transfer_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    tab = request.GET.get("tab", "transit")
    if tab not in TABS:
        tab = "transit"
    base = sel.transfers_visible_to(request.user)
    qs = {
        "transit": sel.in_transit(base),
        "overdue": sel.overdue(base, today),
        "history": sel.history(base),
    }[tab]
    counts = {
        "transit": sel.in_transit(base).count(),
        "overdue": sel.overdue(base, today).count(),
    }
    return render(
        request,
        "people/transfers/list.html",
        {
            "page": paginate(request, qs),
            "tab": tab,
            "query": f"tab={tab}",
            "tabs": [(k, str(label), counts.get(k)) for k, label in TABS.items()],
            "today": today,
        },
    )


def _can_confirm(user: Any, t: Any) -> bool:
    unit = services.confirming_unit(t)
    return (
        t.status == TransferStatus.ISSUED
        and unit is not None
        and has_perm(user, "people.edit", unit)
    )


def _can_send(user: Any, t: Any) -> bool:
    return t.from_unit is not None and has_perm(user, "people.edit", t.from_unit)


def _detail_context(request: AuthenticatedRequest, t: Any, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    cells = sel.cells_under(t.to_unit, today) if t.to_unit is not None else None
    needs_cell = t.kind == TransferKind.OFFICIAL and t.to_unit is not None and not t.to_unit.is_cell
    confirm = forms.get("confirm") or TransferConfirmForm(
        initial={"received_on": today}, cells=cells
    )
    if not needs_cell:
        confirm.fields.pop("cell", None)
    return {
        "t": t,
        "today": today,
        "can_confirm": _can_confirm(request.user, t),
        "can_cancel": t.status == TransferStatus.ISSUED and _can_send(request.user, t),
        "can_end": t.kind == TransferKind.TEMPORARY
        and t.status == TransferStatus.RECEIVED
        and _can_send(request.user, t),
        "can_letter": t.from_unit is not None,
        "confirm_form": confirm,
        "cancel_form": forms.get("cancel") or TransferCancelForm(),
        "end_form": forms.get("end") or TransferEndForm(initial={"ended_on": today}),
        "overdue": t.status == TransferStatus.ISSUED and t.due_on and t.due_on < today,
    }


@require_GET
def transfer_detail(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    t = sel.transfer_get_for(user=request.user, uid=uid)
    return render(request, "people/transfers/detail.html", _detail_context(request, t))


@require_http_methods(["GET", "POST"])
def transfer_issue(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    today = timezone.localdate()
    form = TransferIssueForm(
        request.POST or None,
        units=sel.destination_units(today),
        initial={"letter_date": today, "kind": TransferKind.OFFICIAL},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.transfer_issue(actor=request.user, person=person, **d)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The introduction letter was issued."))
            return redirect("people:transfer_detail", uid=t.uid)
    return render(
        request,
        "people/transfers/form.html",
        {"form": form, "person": person, "title": _("Issue an introduction letter")},
    )


@require_POST
def transfer_confirm(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    t = sel.transfer_get_for(user=request.user, uid=uid)
    if not _can_confirm(request.user, t):
        raise PermissionDenied
    today = timezone.localdate()
    cells = sel.cells_under(t.to_unit, today) if t.to_unit is not None else None
    form = TransferConfirmForm(request.POST, cells=cells)
    if form.is_valid():
        try:
            services.transfer_confirm(
                actor=request.user,
                transfer=t,
                received_on=form.cleaned_data["received_on"],
                cell=form.cleaned_data.get("cell"),
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The receipt was confirmed."))
            return redirect("people:transfer_detail", uid=t.uid)
    ctx = _detail_context(request, t, confirm=form)
    return render(request, "people/transfers/detail.html", ctx, status=400)


@require_POST
def transfer_cancel(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    t = sel.transfer_get_for(user=request.user, uid=uid)
    if not _can_send(request.user, t):
        raise PermissionDenied
    form = TransferCancelForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_cancel(
                actor=request.user, transfer=t, reason=form.cleaned_data["reason"]
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The transfer was cancelled."))
            return redirect("people:transfer_detail", uid=t.uid)
    ctx = _detail_context(request, t, cancel=form)
    return render(request, "people/transfers/detail.html", ctx, status=400)


@require_POST
def transfer_end(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    t = sel.transfer_get_for(user=request.user, uid=uid)
    if not _can_send(request.user, t):
        raise PermissionDenied
    form = TransferEndForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_end_temporary(
                actor=request.user, transfer=t, ended_on=form.cleaned_data["ended_on"]
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The temporary activity was ended."))
            return redirect("people:transfer_detail", uid=t.uid)
    ctx = _detail_context(request, t, end=form)
    return render(request, "people/transfers/detail.html", ctx, status=400)


@require_GET
def transfer_letter(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    t = sel.transfer_get_for(user=request.user, uid=uid)
    if t.from_unit is None:
        raise PermissionDenied
    fmt = request.GET.get("fmt", "pdf")
    if fmt not in {"pdf", "docx"}:
        fmt = "pdf"
    return document_response(CODE, letter_context(t), fmt, inline=fmt == "pdf")


@require_http_methods(["GET", "POST"])
def arrival_new(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    today = timezone.localdate()
    cells = sel.cells_under(person.org_unit, today)
    if not cells.exists():
        cells = sel.cells_under(person.org_unit.parent or person.org_unit, today)
    form = ArrivalForm(
        request.POST or None,
        cells=cells,
        initial={
            "received_on": today,
            "cell": person.org_unit if person.org_unit.is_cell else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_perm(request.user, "people.edit", d["cell"])
        try:
            t = services.transfer_arrival(actor=request.user, person=person, **d)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The arrival from outside was recorded."))
            return redirect("people:transfer_detail", uid=t.uid)
    return render(
        request,
        "people/transfers/form.html",
        {"form": form, "person": person, "title": _("Record an arrival from outside")},
    )


@require_http_methods(["GET", "POST"])
def exemption_new(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    form = ExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_add(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The exemption was recorded."))
            return redirect("people:detail", uid=person.uid)
    return render(
        request,
        "people/transfers/form.html",
        {"form": form, "person": person, "title": _("Exemption from party activity")},
    )


@require_POST
def exemption_end(request: AuthenticatedRequest, uid: Any, ex: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    exemption = sel.exemptions_of(person).filter(uid=ex).first()
    if exemption is None:
        raise PermissionDenied
    form = ExemptionEndForm(request.POST)
    if form.is_valid():
        try:
            services.exemption_end(
                actor=request.user, exemption=exemption, end=form.cleaned_data["end"]
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The exemption was ended."))
    else:
        messages.error(request, _("Enter the last day of the exemption."))
    return redirect("people:detail", uid=person.uid)
