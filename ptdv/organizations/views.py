"""The board's forms on the organization tree: new unit, edit, rename, move, close, merge,
split. (The tree and unit pages show member totals and lists: ``people.unit_pages``.)

Each view: access (selector, 404 outside scope; permission, 403) → parse (form) →
act (service; a DomainError lands on the form) → respond."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ptdv.access.gate import require_perm
from ptdv.core.errors import DomainError
from ptdv.core.http import (
    AuthenticatedRequest,
    add_domain_error,
)
from ptdv.organizations import forms as f
from ptdv.organizations import selectors as sel
from ptdv.organizations import services
from ptdv.organizations.models import OrgUnit


def _action(
    request: AuthenticatedRequest,
    uid: Any,
    *,
    form_factory: Callable[..., forms.Form],
    act: Callable[[OrgUnit, dict[str, Any]], OrgUnit],
    title: str,
    done: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    require_perm(request.user, "orgs.edit", unit)
    form = form_factory(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            result = act(unit, form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, done)
            return redirect("organizations:detail", uid=result.uid)
    return render(
        request, "organizations/action_form.html", {"unit": unit, "form": form, "title": title}
    )


@require_http_methods(["GET", "POST"])
def child_create(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        return services.org_unit_create(actor=request.user, parent=unit, **data)

    return _action(
        request,
        uid,
        form_factory=f.ChildUnitForm,
        act=act,
        title=_("New subordinate organization"),
        done=_("The organization was created."),
        initial={"valid_from": timezone.localdate(), "kind": "cell"},
    )


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    initial = {name: getattr(unit, name) for name in f.UnitEditForm.base_fields}

    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        return services.org_unit_update(actor=request.user, unit=unit, **data)

    return _action(
        request,
        uid,
        form_factory=f.UnitEditForm,
        act=act,
        title=_("Edit organization"),
        done=_("The organization was updated."),
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
def rename(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        return services.org_unit_rename(actor=request.user, unit=unit, **data)

    return _action(
        request,
        uid,
        form_factory=f.RenameForm,
        act=act,
        title=_("Rename organization"),
        done=_("The organization was renamed."),
        initial={"date": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def move(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    parents = sel.units_editable_by(request.user, on=timezone.localdate()).exclude(
        path__startswith=unit.path
    )

    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        return services.org_unit_move(actor=request.user, unit=unit, **data)

    return _action(
        request,
        uid,
        form_factory=lambda *a, **kw: f.MoveForm(*a, parents=parents, **kw),
        act=act,
        title=_("Move organization"),
        done=_("The organization was moved."),
        initial={"date": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    targets = sel.units_editable_by(request.user, on=timezone.localdate()).exclude(pk=unit.pk)

    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        return services.org_unit_close(actor=request.user, unit=unit, **data)

    return _action(
        request,
        uid,
        form_factory=lambda *a, **kw: f.CloseForm(*a, targets=targets, **kw),
        act=act,
        title=_("Close or merge organization"),
        done=_("The organization was closed."),
        initial={"date": timezone.localdate()},
    )


def _decision(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "decision": data.get("decision") or "",
        "decision_date": data.get("decision_date"),
        "decision_body": data.get("decision_body") or "",
    }


@require_http_methods(["GET", "POST"])
def merge(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """Merge other organizations into this one (hợp nhất, sáp nhập) from a date."""
    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    candidates = sel.merge_candidates_for(request.user, unit, on=timezone.localdate())

    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        services.org_unit_merge(
            actor=request.user,
            units=list(data["units"]),
            into=unit,
            date=data["date"],
            **_decision(data),
        )
        return unit

    return _action(
        request,
        uid,
        form_factory=lambda *a, **kw: f.MergeForm(*a, candidates=candidates, **kw),
        act=act,
        title=_("Merge organizations into this one"),
        done=_("The organizations were merged."),
        initial={"date": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def split(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """Split this organization (chia tách) into successors from a date."""
    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    day = timezone.localdate()
    if request.method == "POST":  # the children are those of the effective date
        with contextlib.suppress(forms.ValidationError):
            day = f.SplitForm.base_fields["date"].clean(request.POST.get("date", "")) or day
    children = sel.children_on(unit, day)
    candidates = sel.merge_candidates_for(request.user, unit, on=day)

    def act(unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
        services.org_unit_split(
            actor=request.user, unit=unit, parts=data["parts"], date=data["date"], **_decision(data)
        )
        return unit

    return _action(
        request,
        uid,
        form_factory=lambda *a, **kw: f.SplitForm(
            *a, candidates=candidates, children=children, **kw
        ),
        act=act,
        title=_("Split organization"),
        done=_("The organization was split."),
        initial={"date": day},
    )
