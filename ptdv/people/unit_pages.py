"""The organization tree and a unit's page (routes ``organizations:tree``, ``children``,
``detail``, mounted by ``config.urls`` in the organizations' namespace).

They show the member totals of each unit and the unit's members, so they live here, in
the lowest layer that reads both the tree and the people; the board's forms on the tree
are ``organizations.views``. Each view: access (selector, 404 outside scope) → read →
respond."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ptdv.access.permissions import has_perm
from ptdv.audit.selectors import entries_for, history_rows
from ptdv.core.http import AuthenticatedRequest, paginate, render_panels
from ptdv.organizations import forms as f
from ptdv.organizations import history
from ptdv.organizations import selectors as sel
from ptdv.people.selectors import (
    PersonFilters,
    member_counts_by_unit,
    member_totals_on,
    person_list_for,
)


def _as_of(form: forms.Form) -> Any:
    """The date of the tree asked for (today when none); None when the input is bad."""
    if not form.is_valid():
        return None
    return form.cleaned_data["as_of"] or timezone.localdate()


def _with_totals(nodes: list[sel.DatedNode], day: Any) -> None:
    every = list(nodes) + [c for n in nodes for c in n.children]
    totals = member_totals_on([n.version.path for n in every], day)
    for n in every:
        n.total = totals.get(n.version.path, 0)


def _page_number(request: AuthenticatedRequest, name: str = "page") -> int:
    with contextlib.suppress(TypeError, ValueError):
        return max(1, min(int(request.GET.get(name, "1")), 100_000))
    return 1


@require_GET
def tree(request: AuthenticatedRequest) -> HttpResponse:
    """The tree valid on ``as_of`` (default today): one page of the top of the user's
    tree (``roots``: page number) and the first page of the direct children of its first
    tops; deeper levels and further pages load one at a time (``children``). A search
    shows one page of matches."""
    form = f.TreeSearchForm(request.GET or None)
    day = _as_of(form) if request.GET else timezone.localdate()
    if day is None:
        ctx = {"form": form, "roots": [], "roots_page": None, "matches": [], "query": ""}
        ctx["as_of"] = None
        return render(request, "organizations/tree.html", ctx, status=400)
    query = form.cleaned_data["q"] if form.is_bound else ""
    roots = sel.dated_roots(request.user, day, page=_page_number(request, "roots"))
    found = sel.dated_search(request.user, day, query, page=_page_number(request))
    _with_totals(roots.nodes + found.nodes, day)
    ctx = {
        "form": form,
        "roots": roots.nodes,
        "roots_page": roots,
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
    if node is not None and version is not None:
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
