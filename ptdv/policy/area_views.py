"""The board's page of special-area lists (issue 15 point 2): every decision loaded, its
validity and the communes and villages it lists; the organization board loads a new list
from a CSV/XLSX file (all or nothing, each refused row named in Vietnamese)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ptdv.access.gate import gate
from ptdv.access.permissions import has_perm
from ptdv.core.errors import BulkError, DomainError
from ptdv.core.forms import VNDateField
from ptdv.core.http import AuthenticatedRequest
from ptdv.organizations import area_lists
from ptdv.organizations.models import AreaCategory, OrgUnit
from ptdv.policy.area_services import decision_load


class AreaListForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=60)
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=160)
    signed_on = VNDateField(label=gettext_lazy("Date signed"))
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=AreaCategory.choices)
    valid_from = VNDateField(label=gettext_lazy("Valid from"))
    valid_to = VNDateField(label=gettext_lazy("Valid to (last day)"), required=False)
    title = forms.CharField(label=gettext_lazy("Subject"), max_length=500, required=False)
    source_note = forms.CharField(label=gettext_lazy("Source note"), max_length=500, required=False)
    file = forms.FileField(label=gettext_lazy("List file (CSV or XLSX: Loại, Tên, Xã, Mã)"))


def _top_units(user: Any) -> list[OrgUnit]:
    return [p.org_unit for p in user.positions.select_related("org_unit")]


def _may_load(user: Any) -> OrgUnit | None:
    for unit in _top_units(user):
        if has_perm(user, "orgs.edit", unit):
            return unit
    return None


@gate("orgs.view")
@require_http_methods(["GET", "POST"])
def area_lists_page(request: AuthenticatedRequest) -> HttpResponse:
    top = _may_load(request.user)
    form = AreaListForm(request.POST or None, request.FILES or None) if top else None
    row_errors: list[Any] = []
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                list_rows = area_lists.read_rows(d["file"].read(), d["file"].name)
                decision = decision_load(
                    actor=request.user,
                    number=d["number"],
                    issuer=d["issuer"],
                    signed_on=d["signed_on"],
                    category=d["category"],
                    valid_from=d["valid_from"],
                    valid_to=d["valid_to"],
                    rows=list_rows,
                    title=d["title"],
                    source_note=d["source_note"],
                    top=top,
                )
            except BulkError as e:
                form.add_error(None, e.message)
                row_errors = e.rows
            except DomainError as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(
                    request,
                    _("Loaded %(decision)s: %(n)s places.")
                    % {"decision": decision, "n": decision.listings.count()},
                )
                return redirect("policy:areas")
    rows = [{"decision": d, "listings": list(d.listings.all())} for d in area_lists.decisions()]
    return render(
        request,
        "policy/areas.html",
        {"rows": rows, "form": form, "row_errors": row_errors},
        status=400 if form is not None and form.errors else 200,
    )
