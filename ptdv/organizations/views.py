"""Organization pages: the tree, one unit's page, and the board's forms.

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
from django.views.decorators.http import require_GET, require_http_methods

from ptdv.access.gate import require_perm
from ptdv.access.permissions import has_perm
from ptdv.audit.selectors import entries_for, history_rows
from ptdv.core.errors import DomainError
from ptdv.core.http import (
    AuthenticatedRequest,
    add_domain_error,
    paginate,
    render_panels,
)
from ptdv.organizations import forms as f
from ptdv.organizations import history, services
from ptdv.organizations import selectors as sel
from ptdv.organizations.models import OrgUnit


def _as_of(form: forms.Form) -> Any:
    """The date of the tree asked for (today when none); None when the input is bad."""
    if not form.is_valid():
        return None
    return form.cleaned_data["as_of"] or timezone.localdate()


def _with_totals(nodes: list[sel.DatedNode], day: Any) -> None:
    from ptdv.people.selectors import member_totals_on

    every = list(nodes) + [c for n in nodes for c in n.children]
    totals = member_totals_on([n.version.path for n in every], day)
    for n in every:
        n.total = totals.get(n.version.path, 0)


def _page_number(request: AuthenticatedRequest) -> int:
    with contextlib.suppress(TypeError, ValueError):
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    return 1


@require_GET
def tree(request: AuthenticatedRequest) -> HttpResponse:
    """The tree valid on ``as_of`` (default today): the top of the user's tree and the
    first page of its direct children; deeper levels and further pages load one at a
    time (``children``). A search shows one page of matches."""
    form = f.TreeSearchForm(request.GET or None)
    day = _as_of(form) if request.GET else timezone.localdate()
    if day is None:
        ctx = {"form": form, "roots": [], "matches": [], "query": "", "as_of": None}
        return render(request, "organizations/tree.html", ctx, status=400)
    query = form.cleaned_data["q"] if form.is_bound else ""
    roots = sel.dated_roots(request.user, day)
    found = sel.dated_search(request.user, day, query, page=_page_number(request))
    _with_totals(roots + found.nodes, day)
    ctx = {
        "form": form,
        "roots": roots,
        "matches": found.nodes,
        "search": found,
        "query": query,
        "as_of": day,
        "as_of_iso": day.isoformat(),
    }
    return render(request, "organizations/tree.html", ctx)


@require_GET
def children(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """One level of the dated tree, one page at a time: the organizations directly under
    a unit on ``as_of`` (a fragment for the tree page — the next page replaces its "more"
    line; a page of its own without JavaScript)."""
    form = f.AsOfForm(request.GET)
    day = _as_of(form)
    if day is None:
        return HttpResponse(
            form.errors["as_of"][0], status=400, content_type="text/plain; charset=utf-8"
        )
    version = sel.dated_version_for(user=request.user, uid=uid, day=day)
    page = sel.dated_children_page(request.user, version, day, page=_page_number(request))
    _with_totals(page.nodes, day)
    ctx = {
        "version": version,
        "nodes": page.nodes,
        "children_page": page,
        "as_of": day,
        "as_of_iso": day.isoformat(),
    }
    if request.htmx:
        return render(request, "organizations/_children.html", ctx)
    return render(request, "organizations/children.html", ctx)


@require_GET
def detail(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    from ptdv.people.selectors import (
        PersonFilters,
        member_counts_by_unit,
        member_totals_on,
        person_list_for,
    )

    unit = sel.org_unit_get_for(user=request.user, uid=uid)
    today = timezone.localdate()
    visible = sel.units_visible_to(request.user)
    breadcrumb = list(visible.filter(path__in=unit.ancestor_paths[:-1]).order_by("depth"))
    # the unit as it stands today (a closed unit: on its last day), its direct children
    # only: deeper branches load when opened, so the page does not grow with the subtree
    version = history.version_on(unit, today) or history.latest_version(unit)
    day = today if unit.is_valid_on(today) or version is None else version.valid_to or today
    node = sel.DatedNode(version=version) if version is not None else None
    children: list[sel.DatedNode] = []
    children_page = None
    if node is not None:
        children_page = sel.dated_children_page(request.user, version, day)
        children = children_page.nodes
        node.total = member_totals_on([version.path], day).get(version.path, 0)
        node.members = member_counts_by_unit(request.user, under=unit).get(unit.pk, 0)
        _with_totals(children, day)
    members = paginate(
        request,
        person_list_for(user=request.user, filters=PersonFilters(org_unit=unit, status="member")),
    )
    predecessors, successors = sel.lineage_of(request.user, unit)
    ctx = {
        "unit": unit,
        "breadcrumb": breadcrumb,
        "node": node,
        "children": children,
        "children_page": children_page,
        "as_of_iso": day.isoformat(),
        "members": members,
        "residential_units": unit.residential_units.select_related("own_cell").order_by("name"),
        "changes": sel.changes_of(unit),
        "predecessors": predecessors,
        "successors": successors,
        "versions": sel.versions_of(unit),
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
