"""Reads of the tree, scoped to the user's subtrees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.core.text import text_sort_key
from ptdv.organizations import history
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitVersion,
    ResidentialUnit,
)


def units_visible_to(user: Any, *, perm: str = "orgs.view") -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(user, field="self", perm=perm))


def org_unit_get_for(*, user: Any, uid: Any, perm: str = "orgs.view") -> OrgUnit:
    """A unit in the user's subtrees today — or, to read, one that lay inside them or
    inside their predecessors at some time (a closed commune merged into the user's)."""
    unit = units_visible_to(user, perm=perm).filter(uid=uid).first()
    if unit is None and perm == "orgs.view":
        ids = OrgUnitVersion.objects.filter(dated_scope_q(user), unit__uid=uid).values("unit_id")
        unit = OrgUnit.objects.filter(pk__in=ids).first()
    if unit is None:
        raise Http404
    return unit


def visible_unit_ids(user: Any, ids: Any) -> set[int]:
    """Which of ``ids`` the user may open (see ``org_unit_get_for``)."""
    ids = set(ids)
    seen = set(units_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    rest = ids - seen
    if rest:
        seen |= set(
            OrgUnitVersion.objects.filter(dated_scope_q(user), unit_id__in=rest).values_list(
                "unit_id", flat=True
            )
        )
    return seen


def org_unit_by_code_for(*, user: Any, code: str, perm: str = "orgs.view") -> OrgUnit:
    unit = units_visible_to(user, perm=perm).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def subtree(unit: OrgUnit, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """The unit and everything below it — today's tree, or the tree as it stood ``on``
    that date (one indexed query at any depth)."""
    if on is None:
        return OrgUnit.objects.filter(path__startswith=unit.path)
    return OrgUnit.objects.filter(history.in_subtree_on_q(unit, on, unit_field="pk"))


def valid_on(qs: QuerySet[OrgUnit], day: dt.date) -> QuerySet[OrgUnit]:
    return qs.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def grassroots_in(unit: OrgUnit, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    from ptdv.organizations.models import GRASSROOTS_KINDS

    return subtree(unit, on=on).filter(kind__in=list(GRASSROOTS_KINDS))


def ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__in=unit.ancestor_paths).order_by("depth")


def _chain(unit: OrgUnit, on: dt.date | None) -> list[OrgUnit]:
    """``unit`` and its ancestors, root first, in the tree valid ``on`` (None: today, or
    the unit's last place when it is not valid today)."""
    if on is not None:
        return history.ancestors_on(unit, on)
    from django.utils import timezone

    chain = history.ancestors_on(unit, timezone.localdate())
    return chain or list(ancestors(OrgUnit.objects.get(pk=unit.pk)))


@dataclass(frozen=True)
class Committees:
    """The committees of a cell on a date: its grassroots organization and the committee
    competent to decide admissions (None when the cell did not exist then)."""

    grassroots: OrgUnit | None
    deciding: OrgUnit | None


def committees_of(unit: OrgUnit, *, on: dt.date | None = None) -> Committees:
    """The grassroots organization of ``unit`` and the committee competent to decide for
    it (29/232/294-QĐ/TW 4.3.2) in the tree valid ``on`` (today's tree when None): the
    grassroots committee itself when it is authorised to admit, otherwise the upper
    committee directly above it — a commune/ward committee since 07/2025, a former
    district before, or the province when the grassroots organization sits directly under
    it. Committees higher up never decide, whatever their flag says."""
    chain = _chain(unit, on)
    idx = next((i for i in range(len(chain) - 1, -1, -1) if chain[i].is_grassroots), None)
    if idx is None:
        return Committees(None, None)
    grassroots = chain[idx]
    if grassroots.authorised_to_admit:
        return Committees(grassroots, grassroots)
    return Committees(grassroots, chain[idx - 1] if idx > 0 else None)


def grassroots_of(unit: OrgUnit, *, on: dt.date | None = None) -> OrgUnit | None:
    """The grassroots organization a unit belonged to on ``on`` (itself if it is one)."""
    return committees_of(unit, on=on).grassroots


def deciding_unit(unit: OrgUnit, *, on: dt.date | None = None) -> OrgUnit | None:
    """The committee competent to decide admissions for a cell on ``on`` (see
    ``committees_of``)."""
    return committees_of(unit, on=on).deciding


def residential_units_visible_to(user: Any) -> QuerySet[ResidentialUnit]:
    return ResidentialUnit.objects.filter(scope_q(user, field="org_unit", perm="orgs.view"))


def top_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent__isnull=True)


def changes_of(unit: OrgUnit) -> QuerySet[OrgUnitChange]:
    return unit.changes.select_related(
        "old_parent", "new_parent", "other", "restructuring"
    ).order_by("-date", "-id")


def units_editable_by(user: Any, *, on: dt.date) -> QuerySet[OrgUnit]:
    return valid_on(units_visible_to(user, perm="orgs.edit"), on).order_by("path")


_BRANCH_KINDS = frozenset({"province", "commune", "district", "grassroots_committee"})


# --- the tree as of a date, read lazily (one level at a time) ------------------------


@dataclass
class DatedNode:
    """A unit as it stood on a date: its version then (name, parent, path, interval)."""

    version: OrgUnitVersion
    children: list[DatedNode] = field(default_factory=list)
    n_children: int = 0  # subordinate organizations on that date
    total: int = 0  # members of the subtree on that date (filled by the view)
    members: int = 0  # members kept directly (the unit's own page)
    match: bool = False
    children_page: NodePage | None = None  # the page ``children`` is (when opened)

    @property
    def unit(self) -> OrgUnit:
        return self.version.unit

    @property
    def name(self) -> str:
        return self.version.name


def dated_scope_q(user: Any, day: dt.date | None = None, *, perm: str = "orgs.view") -> Q:
    """Versions inside the user's subtrees as they stood then: a version whose path starts
    with a path that the unit of one of the user's positions — or one of its predecessors
    through merges and splits — ever had was inside it. A committee answers for the
    history of the units it continues, so it sees them on the dates they were valid."""
    from ptdv.access.permissions import scope_paths

    cache: dict[str, Q] = (
        user.__dict__.setdefault("_ptdv_dated_scope", {}) if user is not None else {}
    )
    if perm not in cache:
        paths = scope_paths(user, perm)
        if paths is None:
            cache[perm] = Q()
        elif not paths:
            cache[perm] = Q(pk__in=[])
        else:
            roots = OrgUnit.objects.filter(path__in=paths)
            cache[perm] = history.prefix_q(
                "path", [p for r in roots for p in history.paths_of(r, restated=True)]
            )
    return cache[perm]


def _dated_versions(user: Any, day: dt.date) -> QuerySet[OrgUnitVersion]:
    return (
        history.versions_on(day)
        .filter(dated_scope_q(user, day))
        .select_related("unit", "parent")
        .order_by("path")
    )


CHILDREN_PAGE = 50  # organizations shown per level before "more" (the page stays small)
ROOTS_PAGE = 50  # tops of the tree per page (an administrator of many provinces)
OPEN_BUDGET = 2 * CHILDREN_PAGE  # children shown open under one page of tops


@dataclass
class NodePage:
    """One page of the organizations under a unit on a date, in the tree's order."""

    nodes: list[DatedNode]
    count: int  # every child on that date
    page: int
    size: int = CHILDREN_PAGE

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page * self.size < self.count else None

    @property
    def first(self) -> int:
        """The position of the page's first node among every node (1-based)."""
        return (self.page - 1) * self.size + 1

    @property
    def last(self) -> int:
        return (self.page - 1) * self.size + len(self.nodes)

    @property
    def remaining(self) -> int:
        return max(0, self.count - self.page * self.size)


def _order(kind: str, name: str) -> tuple[bool, str]:
    return (kind not in _BRANCH_KINDS, text_sort_key(name))


def _counted(qs: QuerySet[OrgUnitVersion], day: dt.date) -> QuerySet[OrgUnitVersion]:
    """``qs`` with each version's number of children on ``day`` (``n_children``), in the
    same query."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery

    kids = (
        history.versions_on(day)
        .filter(parent_id=OuterRef("unit_id"))
        .order_by()
        .values("parent_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(n_children=Subquery(kids, output_field=IntegerField()))


def _nodes(versions: list[OrgUnitVersion]) -> list[DatedNode]:
    """Nodes for versions read through ``_counted``, in the tree's order."""
    nodes = [DatedNode(version=v, n_children=v.n_children or 0) for v in versions]  # type: ignore[attr-defined]
    nodes.sort(key=lambda n: _order(n.unit.kind, n.name))
    return nodes


def _child_keys(
    parent_ids: list[int], day: dt.date, page: int = 1, size: int = CHILDREN_PAGE
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """The version ids of page ``page`` of the children on ``day`` of each unit of
    ``parent_ids`` and each parent's number of children: one query reading (id, name,
    kind) of the children only (none when there is no parent)."""
    keys: dict[int, list[tuple[tuple[bool, str], int]]] = {p: [] for p in parent_ids}
    if parent_ids:
        rows = (
            history.versions_on(day)
            .filter(parent_id__in=parent_ids)
            .values_list("parent_id", "id", "name", "unit__kind")
        )
        for parent_id, vid, name, kind in rows:
            keys[parent_id].append((_order(kind, name), vid))
    wanted: dict[int, list[int]] = {}
    for parent_id, ks in keys.items():
        ks.sort()
        wanted[parent_id] = [vid for _, vid in ks[(page - 1) * size : page * size]]
    return wanted, {p: len(ks) for p, ks in keys.items()}


def _fetch_nodes(version_ids: list[int], day: dt.date) -> dict[int, DatedNode]:
    """The nodes of ``version_ids`` in full (unit, parent, number of children): one query
    (none when there is nothing to show)."""
    if not version_ids:
        return {}
    versions = OrgUnitVersion.objects.filter(pk__in=version_ids).select_related("unit", "parent")
    return {n.version.pk: n for n in _nodes(list(_counted(versions, day)))}


def _children_pages(
    parent_ids: list[int], day: dt.date, page: int = 1, size: int = CHILDREN_PAGE
) -> dict[int, NodePage]:
    """Page ``page`` of the children on ``day`` of each unit of ``parent_ids``: the
    order is read from (id, name, kind) of the children only, the page's rows in full —
    two queries whatever the number of parents, children or rows in the database."""
    wanted, counts = _child_keys(parent_ids, day, page, size)
    nodes = _fetch_nodes([v for vs in wanted.values() for v in vs], day)
    return {p: NodePage([nodes[v] for v in wanted[p]], counts[p], page, size) for p in parent_ids}


def dated_roots(user: Any, day: dt.date, *, page: int = 1, size: int = ROOTS_PAGE) -> NodePage:
    """Page ``page`` of the top of the user's tree on ``day`` (the units of their
    positions, or the roots of the whole tree for an administrator), in the tree's order.
    The first tops of the page open with the first page of their children while the
    children shown stay within ``OPEN_BUDGET``, so the page stays small with one root as
    with the 34 provinces of a nation. Three queries whatever the number of tops,
    children or rows: the tops' order keys, their children's keys, the rows shown. In
    SQL, a top is a version in scope whose parent that day is not."""
    from django.db.models import Exists, OuterRef

    scope = dated_scope_q(user, day)
    parent_inside = history.versions_on(day).filter(scope, unit_id=OuterRef("parent_id"))
    tops = _counted(history.versions_on(day).filter(scope).filter(~Exists(parent_inside)), day)
    keys = sorted(
        (_order(kind, name), vid, unit_id, n or 0)
        for vid, unit_id, name, kind, n in tops.values_list(
            "id",
            "unit_id",
            "name",
            "unit__kind",
            "n_children",  # type: ignore[misc]
        )
    )
    shown = keys[(page - 1) * size : page * size]
    opened: list[int] = []  # unit ids
    budget = OPEN_BUDGET
    for _, _, unit_id, n in shown:
        if opened and min(n, CHILDREN_PAGE) > budget:
            break
        opened.append(unit_id)
        budget -= min(n, CHILDREN_PAGE)
    wanted, counts = _child_keys(opened, day)
    nodes = _fetch_nodes([k[1] for k in shown] + [v for vs in wanted.values() for v in vs], day)
    roots = [nodes[k[1]] for k in shown]
    for r in roots:
        if r.unit.pk in wanted:
            r.children = [nodes[v] for v in wanted[r.unit.pk]]
            r.children_page = NodePage(r.children, counts[r.unit.pk], 1)
    return NodePage(roots, len(keys), page, size)


def dated_version_for(*, user: Any, uid: Any, day: dt.date) -> OrgUnitVersion:
    """The version valid on ``day`` of a unit inside the user's subtrees then (404 if
    the unit did not exist that day or lay outside)."""
    v = _dated_versions(user, day).filter(unit__uid=uid).first()
    if v is None:
        raise Http404
    return v


def dated_children_page(
    user: Any, version: OrgUnitVersion, day: dt.date, *, page: int = 1
) -> NodePage:
    """Page ``page`` of the organizations directly under ``version``'s unit on ``day``
    (the caller read ``version`` through the user's scope: its children are inside it)."""
    return _children_pages([version.unit_id], day, page)[version.unit_id]


def dated_children(
    user: Any, version: OrgUnitVersion, day: dt.date, *, parent_visible: bool = False
) -> list[DatedNode]:
    """The first page of the organizations directly under ``version``'s unit on ``day``."""
    return dated_children_page(user, version, day).nodes


SEARCH_PAGE = 50


@dataclass
class SearchPage:
    nodes: list[DatedNode]
    page: int
    has_next: bool


def dated_search(
    user: Any, day: dt.date, query: str, *, page: int = 1, size: int = SEARCH_PAGE
) -> SearchPage:
    """Units valid on ``day`` whose name then or code holds every word (diacritics
    ignored), in tree order, one page of ``size``: a filter in SQL on the folded text
    (``ptdv.core.foldsql.Fold``), so the work does not pass through Python."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Lower

    from ptdv.core.foldsql import Fold
    from ptdv.core.text import fold

    words = fold(query).split()
    if not words:
        return SearchPage([], 1, False)
    qs = _dated_versions(user, day).annotate(  # codes are ASCII: lower() is their fold
        folded=Concat(Fold("name"), Value(" "), Lower("unit__code"), output_field=CharField())
    )
    for w in words:
        qs = qs.filter(folded__contains=w)
    rows = list(qs.order_by("path", "id")[(page - 1) * size : page * size + 1])
    found = [DatedNode(version=v, match=True) for v in rows[:size]]
    return SearchPage(found, page, len(rows) > size)


def tree_on(day: dt.date, *, root: OrgUnit | None = None) -> list[OrgUnitVersion]:
    """Every unit valid on ``day`` (or ``root``'s subtree then) with its version of that
    day, in tree order. For commands run by the administrator: not scoped. A ``root``
    that did not exist on ``day`` gives an empty list."""
    qs = history.versions_on(day)
    if root is not None:
        root_path = history.path_on(root, day)
        if root_path is None:
            return []
        qs = qs.filter(path__startswith=root_path)
    return list(qs.select_related("unit", "parent").order_by("path"))


@dataclass
class LineageRow:
    """A predecessor or successor of a unit, with the decision of the change."""

    unit: OrgUnit
    date: dt.date
    kind: str
    restructuring: Any
    visible: bool


def lineage_of(user: Any, unit: OrgUnit) -> tuple[list[LineageRow], list[LineageRow]]:
    """(predecessors, successors) of ``unit`` through merges and splits, each with the
    decision; ``visible`` says whether the user may open the other unit's page."""
    from ptdv.organizations.models import OrgUnitLineage

    rows = list(
        OrgUnitLineage.objects.filter(Q(successor=unit) | Q(predecessor=unit))
        .select_related("predecessor", "successor", "restructuring")
        .order_by("date", "id")
    )
    others = {r.predecessor_id if r.successor_id == unit.pk else r.successor_id for r in rows}
    visible = visible_unit_ids(user, others)
    before: list[LineageRow] = []
    after: list[LineageRow] = []
    for r in rows:
        other = r.predecessor if r.successor_id == unit.pk else r.successor
        row = LineageRow(other, r.date, r.kind, r.restructuring, other.pk in visible)
        (before if r.successor_id == unit.pk else after).append(row)
    return before, after


def versions_of(unit: OrgUnit) -> QuerySet[OrgUnitVersion]:
    """The unit's life, interval by interval: name, parent, dates and the decision."""
    return unit.versions.select_related("parent", "restructuring").order_by("valid_from")


def children_on(unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """The organizations directly under ``unit`` on ``day`` (with their name then)."""
    out = []
    for v in history.versions_on(day).filter(parent_id=unit.pk).select_related("unit"):
        u = v.unit
        u.name = v.name
        out.append(u)
    return sorted(out, key=lambda u: u.sort_key)


def merge_candidates_for(user: Any, unit: OrgUnit, *, on: dt.date) -> QuerySet[OrgUnit]:
    """Organizations the user may merge into ``unit`` or give ``unit``'s children to:
    editable, valid on ``on``, neither ``unit`` itself nor one of its ancestors."""
    return units_editable_by(user, on=on).exclude(pk=unit.pk).exclude(path__in=unit.ancestor_paths)
