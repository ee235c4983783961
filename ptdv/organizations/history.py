"""The tree as of a date: reads over ``OrgUnitVersion`` and the pure cutting of periods.

Every figure for a date or a period is computed over the tree valid then. Two ways to ask
"was this row's unit inside ``root``'s subtree at the row's date?":

- rows that carry the unit's path of their time (``MembershipPeriod.path``): a prefix
  filter over the paths ``root`` ever had — ``prefix_q("path", paths_of(root))``. A path
  names every ancestor of its time, so a row whose path starts with one of ``root``'s
  paths was inside ``root`` when it was true;
- rows with a unit and a date (classes, cases, events): ``at_date_q`` — an ``EXISTS`` over
  the versions of the row's unit valid on the row's date.

``restated=True`` adds the paths of ``root``'s predecessors (merges and splits, followed
back), for the clearly labelled "restated to today's units" view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ptdv.organizations.models import PATH_STEP, OrgUnit, OrgUnitLineage, OrgUnitVersion

DAY = dt.timedelta(days=1)


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def versions_on(day: dt.date) -> QuerySet[OrgUnitVersion]:
    """The versions valid on ``day``: one per unit that existed then."""
    return OrgUnitVersion.objects.filter(valid_on_q(day))


def version_on(unit: OrgUnit | int, day: dt.date) -> OrgUnitVersion | None:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return versions_on(day).filter(unit_id=unit_id).first()


def latest_version(unit: OrgUnit | int) -> OrgUnitVersion | None:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return OrgUnitVersion.objects.filter(unit_id=unit_id).order_by("-valid_from").first()


def path_on(unit: OrgUnit, day: dt.date) -> str | None:
    v = version_on(unit, day)
    return v.path if v else None


def predecessors(unit: OrgUnit | int) -> list[int]:
    """Ids of the units ``unit`` continues (merged or split into it), followed back."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    seen: set[int] = set()
    frontier = {unit_id}
    while frontier:
        rows = set(
            OrgUnitLineage.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        frontier = rows - seen - {unit_id}
        seen |= frontier
    return sorted(seen)


def successors(unit: OrgUnit | int) -> list[int]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return list(
        OrgUnitLineage.objects.filter(predecessor_id=unit_id).values_list("successor_id", flat=True)
    )


def paths_of(unit: OrgUnit, *, restated: bool = False) -> list[str]:
    """Every path ``unit`` had (and, restated, every path of its predecessors), shortest
    first, without one that another already covers. Remembered on the instance (one
    query per unit and request)."""
    cache = unit.__dict__.setdefault("_paths_of", {})
    if restated not in cache:
        cache[restated] = _paths_of(unit, restated)
    return list(cache[restated])


def _paths_of(unit: OrgUnit, restated: bool) -> list[str]:
    ids = [unit.pk, *(predecessors(unit) if restated else [])]
    paths = set(
        OrgUnitVersion.objects.filter(unit_id__in=ids).values_list("path", flat=True).distinct()
    )
    if not paths and unit.path:
        paths = {unit.path}
    kept: list[str] = []
    for p in sorted(paths, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def prefix_q(field: str, paths: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def in_subtree_on_q(root: OrgUnit, day: dt.date, *, unit_field: str = "org_unit") -> Q:
    """Rows whose unit was inside ``root``'s subtree on the fixed date ``day``."""
    root_path = path_on(root, day)
    if root_path is None:
        return Q(pk__in=[])
    ids = versions_on(day).filter(path__startswith=root_path).values("unit_id")
    return Q(**{f"{unit_field}__in": ids})


def at_date_q(root: OrgUnit, *, unit_field: str, date_field: str, restated: bool = False) -> Q:
    """Rows whose unit (``unit_field``, an OrgUnit relation or its ``_id``) was inside
    ``root``'s subtree on the row's own date (``date_field``)."""
    unit_ref = unit_field if unit_field.endswith("_id") else f"{unit_field}_id"
    inside = prefix_q("path", paths_of(root, restated=restated))
    versions = OrgUnitVersion.objects.filter(
        inside,
        unit_id=OuterRef(unit_ref),
        valid_from__lte=OuterRef(date_field),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(date_field)))
    # The units that were ever inside (implied by the EXISTS, so the same rows): the work
    # starts from the subtree's units, not from every row of the table in the period.
    ever_inside = OrgUnitVersion.objects.filter(inside).values("unit_id")
    return Q(**{f"{unit_ref}__in": ever_inside}) & Q(Exists(versions))


def ancestors_on(unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """``unit`` and its ancestors as the tree stood on ``day``, root first (empty when the
    unit did not exist then)."""
    v = version_on(unit, day)
    if v is None:
        return []
    step = PATH_STEP + 1
    prefixes = [v.path[: i + step] for i in range(0, len(v.path), step)]
    rows = versions_on(day).filter(path__in=prefixes).select_related("unit")
    by_path = {r.path: r for r in rows}
    out: list[OrgUnit] = []
    for p in prefixes:
        r = by_path.get(p)
        if r is not None:
            u = r.unit
            u.name_then = r.name  # type: ignore[attr-defined]
            out.append(u)
    return out


def parent_on(unit: OrgUnit, day: dt.date) -> OrgUnit | None:
    v = version_on(unit, day)
    if v is None or v.parent_id is None:
        return None
    return OrgUnit.objects.get(pk=v.parent_id)


def name_on(unit: OrgUnit, day: dt.date) -> str:
    v = version_on(unit, day)
    return v.name if v else unit.name


# --- periods cut where the unit's place changes (pure) ---------------------------------


@dataclass(frozen=True)
class Slice:
    """One version of a unit: valid ``start``..``end`` inclusive (None = still)."""

    start: dt.date
    end: dt.date | None
    path: str


def timelines(unit_ids: Iterable[int | None]) -> dict[int, list[Slice]]:
    ids = sorted({i for i in unit_ids if i is not None})
    out: dict[int, list[Slice]] = {i: [] for i in ids}
    for i in range(0, len(ids), 500):
        rows = OrgUnitVersion.objects.filter(unit_id__in=ids[i : i + 500]).values_list(
            "unit_id", "valid_from", "valid_to", "path"
        )
        for uid, f, t, p in rows:
            out[uid].append(Slice(f, t, p))
    for slices in out.values():
        slices.sort(key=lambda s: s.start)
    return out


def cut_span(
    start: dt.date, end: dt.date | None, slices: Sequence[Slice], fallback: str = ""
) -> list[tuple[dt.date, dt.date | None, str]]:
    """Cut the span ``start`` .. ``end`` (end exclusive, None = open) where the unit's
    versions change, each piece with the path of its version. A piece outside every
    version (data recorded before the unit's validity) takes the nearest version's path."""
    if not slices:
        return [(start, end, fallback)]
    cuts = sorted({s.start for s in slices if s.start > start and (end is None or s.start < end)})
    bounds = [start, *cuts]
    pieces: list[tuple[dt.date, dt.date | None, str]] = []
    for i, b in enumerate(bounds):
        e = bounds[i + 1] if i + 1 < len(bounds) else end
        pieces.append((b, e, _path_at(slices, b)))
    return pieces


def _path_at(slices: Sequence[Slice], day: dt.date) -> str:
    for s in slices:
        if s.start <= day and (s.end is None or day <= s.end):
            return s.path
    earlier = [s for s in slices if s.start <= day]
    return (earlier[-1] if earlier else slices[0]).path


def cut_periods(
    rows: Iterable[tuple[Any, int | None, str, dt.date, dt.date | None]],
    lines: dict[int, list[Slice]],
) -> list[tuple[Any, int | None, str, dt.date, dt.date | None, str]]:
    """``(person, unit_id, status, start, end)`` rows → the same rows cut at the unit's
    version boundaries, each with its path: ``(person, unit_id, status, start, end, path)``."""
    out = []
    for person, unit_id, status, start, end in rows:
        slices = lines.get(unit_id, []) if unit_id is not None else []
        for s, e, path in cut_span(start, end, slices):
            out.append((person, unit_id, status, s, e, path))
    return out
