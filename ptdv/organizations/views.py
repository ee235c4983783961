"""Organization pages: the tree, one unit's page, and the board's forms.

Each view: access (selector, 404 outside scope; permission, 403) → parse (form) →
act (service; a DomainError lands on the form) → respond."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ptdv.access.permissions import has_perm
from ptdv.audit.selectors import entries_for, history_rows
from ptdv.core.errors import DomainError
from ptdv.core.http import (
    AuthenticatedRequest,
    add_domain_error,
    paginate,
    render_panels,
    require_perm,
)
from ptdv.organizations import forms as f
from ptdv.organizations import selectors as sel
from ptdv.organizations import services
from ptdv.organizations.models import OrgUnit


@require_GET
def tree(request: AuthenticatedRequest) -> HttpResponse:
    from ptdv.people.selectors import member_counts_by_unit

    form = f.TreeSearchForm(request.GET or None)
    query = ""
    include_closed = False
    if form.is_valid():
        query = form.cleaned_data["q"]
        include_closed = form.cleaned_data["closed"]
    today = timezone.localdate()
    units = sel.tree_units_for(request.user, on=today, include_closed=include_closed)
    counts = member_counts_by_unit(request.user)
    roots, matches = sel.build_tree(units, counts, query=query)
    return render(
        request,
        "organizations/tree.html",
        {"form": form, "roots": roots, "matches": matches, "query": query, "n_units": len(units)},
    )


@require_GET
def detail(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    from ptdv.people.selectors import PersonFilters, member_counts_by_unit, person_list_for

    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    today = timezone.localdate()
    visible = sel.units_visible_to(request.user)
    breadcrumb = list(visible.filter(path__in=unit.ancestor_paths[:-1]).order_by("depth"))
    sub_units = list(sel.subtree_units_for(request.user, unit, on=today).order_by("path"))
    counts = member_counts_by_unit(request.user, under=unit)
    roots, _matches = sel.build_tree(sub_units, counts, open_depth=0)
    node = roots[0] if roots and roots[0].unit.pk == unit.pk else None
    members = paginate(
        request,
        person_list_for(user=request.user, filters=PersonFilters(org_unit=unit, status="member")),
    )
    ctx = {
        "unit": unit,
        "breadcrumb": breadcrumb,
        "node": node,
        "children": node.children if node else [],
        "members": members,
        "residential_units": unit.residential_units.select_related("own_cell").order_by("name"),
        "changes": sel.changes_of(unit),
        "history": history_rows(entries_for(unit)[:100]),
        "panels": render_panels(request, "ORG_PANELS", unit),
        "can_edit": has_perm(request.user, "orgs.edit", unit),
        "is_valid": unit.is_valid_on(today),
    }
    return render(request, "organizations/detail.html", ctx)


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
