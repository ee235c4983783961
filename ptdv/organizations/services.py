"""Every change of the tree: one function per action, one transaction, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import check_perm
from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces, text_sort_key
from ptdv.organizations import history
from ptdv.organizations.history import DAY
from ptdv.organizations.models import (
    PATH_STEP,
    OrgUnit,
    OrgUnitChange,
    OrgUnitLineage,
    OrgUnitVersion,
    ResidentialUnit,
    Restructuring,
)

# Sent after the tree changed from ``since`` for ``unit_ids`` (and after an undo): the
# people app cuts its membership periods again (organizations sits below people).
tree_changed = Signal()

# Checks other apps add, run before a unit closes (``check(unit, last_day)`` raises a
# DomainError when the unit still keeps members, open cases …) and before an undo
# (``check(op, unit_ids)`` returns a reason or None). Registered in their AppConfig.ready.
closing_checks: list[Callable[[OrgUnit, dt.date], None]] = []
undo_checks: list[Callable[[Restructuring, list[int]], str | None]] = []


def _segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(PATH_STEP, "0") + "."


def _check_dates(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end date cannot be before the start date."), field="valid_to")


@transaction.atomic
def org_unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    sector: str = "other",
    authorised_to_admit: bool = False,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    audit: bool = True,
    **flags: Any,
) -> OrgUnit:
    if parent is not None:
        check_perm(actor, "orgs.edit", parent)
    elif actor is not None and not getattr(actor, "is_superuser", False):
        raise DomainError(_("Only an administrator can create a top-level organization."))
    code = normalize_spaces(code)
    name = normalize_spaces(name)
    if not code or not name:
        raise DomainError(_("Code and name are required."), field="code")
    if OrgUnit.objects.filter(code=code).exists():
        raise DomainError(
            _("The code %(code)s is already used by another organization.") % {"code": code},
            field="code",
            code="duplicate_code",
        )
    valid_from = valid_from or (parent.valid_from if parent else dt.date(1930, 2, 3))
    _check_dates(valid_from, valid_to)
    parent_version = history.version_on(parent, valid_from) if parent is not None else None
    if parent is not None and parent_version is None:
        raise DomainError(
            _("The parent organization is not valid on %(date)s.")
            % {"date": valid_from.strftime("%d/%m/%Y")},
            field="parent",
        )
    unit = OrgUnit(
        code=code,
        name=name,
        sort_key=text_sort_key(name),
        kind=kind,
        sector=sector,
        parent=parent,
        authorised_to_admit=authorised_to_admit,
        valid_from=valid_from,
        valid_to=valid_to,
        **flags,
    )
    unit.save()
    unit.path = (parent_version.path if parent_version else "") + _segment(unit.pk)
    unit.depth = (parent_version.depth + 1) if parent_version else 0
    unit.save(update_fields=["path", "depth"])
    OrgUnitVersion.objects.create(
        unit=unit,
        name=unit.name,
        parent=parent,
        path=unit.path,
        depth=unit.depth,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if audit:
        OrgUnitChange.objects.create(
            org_unit=unit,
            kind=OrgUnitChange.Kind.CREATED,
            date=valid_from,
            new_name=name,
            new_parent=parent,
        )
        record(
            action="organizations.unit.created",
            actor=actor,
            target=unit,
            org_unit=unit,
            data={"code": code, "name": name, "kind": kind, "parent": parent},
        )
    return unit


@transaction.atomic
def org_unit_update(*, actor: Any, unit: OrgUnit, **changes: Any) -> OrgUnit:
    """Edit attributes that do not change the tree's shape or its dates: a name change is
    a dated rename, an end is a dated closing (``org_unit_close``)."""
    allowed = {
        "sector",
        "authorised_to_admit",
        "address",
        "mountainous",
        "border",
        "island",
        "ethnic_minority_area",
        "especially_difficult",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    changed = apply_changes(unit, changes)
    if changed:
        record(
            action="organizations.unit.updated",
            actor=actor,
            target=unit,
            org_unit=unit,
            data=changed,
        )
    return unit


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _op(
    *,
    actor: Any,
    kind: str,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    summary: str = "",
    op: Restructuring | None = None,
) -> Restructuring:
    """The record of one dated operation (a step of ``op`` when given)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Restructuring.objects.create(
        kind=kind,
        date=date,
        decision_number=decision or (op.decision_number if op else ""),
        decision_date=decision_date or (op.decision_date if op else None),
        decision_body=decision_body or (op.decision_body if op else ""),
        summary=summary[:500],
        parent_op=op,
        created_by=user,
        payload={"created_versions": [], "ended_versions": [], "edited_versions": []},
    )


def _version_valid_on(unit: OrgUnit, day: dt.date, *, field: str = "date") -> OrgUnitVersion:
    v = history.version_on(unit, day)
    if v is None:
        raise DomainError(
            _("%(unit)s does not exist on %(date)s (valid %(from)s – %(to)s).")
            % {
                "unit": unit.name,
                "date": _date_text(day),
                "from": _date_text(unit.valid_from),
                "to": _date_text(unit.valid_to) if unit.valid_to else "…",
            },
            field=field,
        )
    return v


def _refuse_later_changes(paths: list[str], day: dt.date, *, field: str = "date") -> None:
    """A change may not be dated before a change already recorded in the same subtree:
    it would rewrite what that later change established."""
    units = history.versions_on(day).filter(history.prefix_q("path", paths)).values("unit_id")
    later = (
        OrgUnitVersion.objects.filter(unit_id__in=units, valid_from__gt=day)
        .select_related("unit")
        .order_by("valid_from")
        .first()
    )
    if later is not None:
        raise DomainError(
            _(
                "A later change of %(unit)s is already recorded from %(date)s; record changes "
                "in the order of their dates (or undo the later one first)."
            )
            % {"unit": later.unit.name, "date": _date_text(later.valid_from)},
            field=field,
        )


def _cut(
    op: Restructuring, version: OrgUnitVersion, day: dt.date, **changes: Any
) -> OrgUnitVersion:
    """End ``version`` the day before ``day`` and start one with ``changes`` from ``day``
    (or, for a version starting that very day, change it and remember how it was)."""
    if version.valid_from == day:
        before = {k: getattr(version, k) for k in ("name", "parent_id", "path", "depth")}
        op.payload["edited_versions"].append([version.pk, _jsonable(before)])
        for key, value in changes.items():
            setattr(version, key, value)
        version.restructuring = version.restructuring or op
        version.save()
        return version
    old_to = version.valid_to
    op.payload["ended_versions"].append([version.pk, old_to.isoformat() if old_to else None])
    OrgUnitVersion.objects.filter(pk=version.pk).update(valid_to=day - DAY)
    fields = {
        "unit_id": version.unit_id,
        "name": version.name,
        "parent_id": version.parent_id,
        "path": version.path,
        "depth": version.depth,
    }
    fields.update(changes)
    new = OrgUnitVersion.objects.create(**fields, valid_from=day, valid_to=old_to, restructuring=op)
    op.payload["created_versions"].append(new.pk)
    return new


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in d.items()}


def sync_current(unit_ids: list[int]) -> None:
    """Mirror each unit's latest version into ``OrgUnit.name/parent/path/depth``."""
    latest: dict[int, OrgUnitVersion] = {}
    for v in OrgUnitVersion.objects.filter(unit_id__in=unit_ids).order_by("unit_id", "valid_from"):
        latest[v.unit_id] = v
    units = list(OrgUnit.objects.filter(pk__in=list(latest)))
    for u in units:
        v = latest[u.pk]
        u.name, u.parent_id, u.path, u.depth = v.name, v.parent_id, v.path, v.depth
        u.sort_key = text_sort_key(v.name)
    OrgUnit.objects.bulk_update(units, ["name", "parent", "path", "depth", "sort_key"])


def _finish(op: Restructuring, unit_ids: list[int], since: dt.date) -> None:
    op.save(update_fields=["payload"])
    sync_current(unit_ids)
    tree_changed.send(sender=Restructuring, unit_ids=unit_ids, since=since, op=op)


@transaction.atomic
def org_unit_rename(
    *,
    actor: Any,
    unit: OrgUnit,
    new_name: str,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> OrgUnit:
    """The unit carries ``new_name`` from ``date``; before it, its old name."""
    new_name = normalize_spaces(new_name)
    if not new_name:
        raise DomainError(_("The new name is required."), field="new_name")
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    version = _version_valid_on(unit, date)
    _refuse_later_changes([version.path], date)
    old = version.name
    step = _op(
        actor=actor,
        kind=Restructuring.Kind.RENAME,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=f"{old} → {new_name}",
        op=op,
    )
    _cut(step, version, date, name=new_name)
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=OrgUnitChange.Kind.RENAMED,
        date=date,
        old_name=old,
        new_name=new_name,
        decision=step.decision_number,
        restructuring=step,
    )
    _finish(step, [unit.pk], date)
    unit.refresh_from_db()
    record(
        action="organizations.unit.renamed",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"name": {"old": old, "new": new_name}, "date": date, "decision": decision},
    )
    return unit


@transaction.atomic
def org_unit_move(
    *,
    actor: Any,
    unit: OrgUnit,
    new_parent: OrgUnit,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> OrgUnit:
    """Attach the unit (and its whole subtree) to ``new_parent`` from ``date``. Versions
    that ended before stay as they were: reports of earlier periods do not change."""
    check_perm(actor, "orgs.edit", unit)
    check_perm(actor, "orgs.edit", new_parent)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    version = _version_valid_on(unit, date)
    parent_version = history.version_on(new_parent, date)
    if parent_version is None:
        raise DomainError(
            _("The new parent organization is not valid on %(date)s.") % {"date": _date_text(date)},
            field="new_parent",
        )
    if parent_version.path.startswith(version.path):
        raise DomainError(_("An organization cannot be moved under itself."), field="new_parent")
    if version.parent_id == new_parent.pk:
        raise DomainError(
            _("%(unit)s is already under %(parent)s on %(date)s.")
            % {"unit": unit.name, "parent": new_parent.name, "date": _date_text(date)},
            field="new_parent",
        )
    _refuse_later_changes([version.path], date)
    old_parent_id = version.parent_id
    old_prefix = version.path
    new_prefix = parent_version.path + _segment(unit.pk)
    delta = parent_version.depth + 1 - version.depth
    step = _op(
        actor=actor,
        kind=Restructuring.Kind.MOVE,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=f"{unit.name} → {new_parent.name}",
        op=op,
    )
    affected = list(history.versions_on(date).filter(path__startswith=old_prefix).order_by("path"))
    for v in affected:
        changes: dict[str, Any] = {
            "path": new_prefix + v.path[len(old_prefix) :],
            "depth": v.depth + delta,
        }
        if v.unit_id == unit.pk:
            changes["parent_id"] = new_parent.pk
        _cut(step, v, date, **changes)
    old_parent = OrgUnit.objects.filter(pk=old_parent_id).first()
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=OrgUnitChange.Kind.MOVED,
        date=date,
        old_parent=old_parent,
        new_parent=new_parent,
        decision=step.decision_number,
        restructuring=step,
    )
    _finish(step, [v.unit_id for v in affected], date)
    unit.refresh_from_db()
    record(
        action="organizations.unit.moved",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"parent": {"old": str(old_parent), "new": str(new_parent)}, "date": date},
    )
    return unit


@transaction.atomic
def org_unit_close(
    *,
    actor: Any,
    unit: OrgUnit,
    date: dt.date,
    merged_into: OrgUnit | None = None,
    successors: list[OrgUnit] | None = None,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> OrgUnit:
    """The unit's last day is ``date`` (dissolved, merged into one successor or split
    into several). Its subordinate organizations must be attached elsewhere from the day
    after; what it was before stays."""
    check_perm(actor, "orgs.edit", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if date < unit.valid_from:
        raise DomainError(
            _("%(unit)s only exists from %(from)s: it cannot end on %(date)s.")
            % {"unit": unit.name, "from": _date_text(unit.valid_from), "date": _date_text(date)},
            field="date",
        )
    if unit.valid_to is not None:
        raise DomainError(
            _("This organization is already closed (last day %(date)s).")
            % {"date": _date_text(unit.valid_to)},
            field="date",
        )
    heirs = [*([merged_into] if merged_into else []), *(successors or [])]
    for heir in heirs:
        if heir.pk == unit.pk or history.version_on(heir, date + DAY) is None:
            raise DomainError(
                _("The organization it merges into must be another one, valid on %(date)s.")
                % {"date": _date_text(date + DAY)},
                field="merged_into",
            )
    version = _version_valid_on(unit, date)
    _refuse_later_changes([version.path], date + DAY)
    children = list(
        history.versions_on(date + DAY).filter(parent_id=unit.pk).select_related("unit")
    )
    if children:
        raise DomainError(
            _(
                "Close or move its subordinate organizations first: %(names)s still belong "
                "to it on %(date)s."
            )
            % {
                "names": ", ".join(c.name for c in children[:5])
                + ("…" if len(children) > 5 else ""),
                "date": _date_text(date + DAY),
            },
            field="date",
        )
    for check in closing_checks:
        check(unit, date)
    if heirs:
        kind = Restructuring.Kind.SPLIT if len(heirs) > 1 else Restructuring.Kind.MERGE
        change_kind = OrgUnitChange.Kind.SPLIT if len(heirs) > 1 else OrgUnitChange.Kind.MERGED
    else:
        kind, change_kind = Restructuring.Kind.DISSOLVE, OrgUnitChange.Kind.DISSOLVED
    step = _op(
        actor=actor,
        kind=kind,
        date=date + DAY,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=unit.name + (" → " + ", ".join(h.name for h in heirs) if heirs else ""),
        op=op,
    )
    step.payload["closed"] = [unit.pk, unit.successor_id]
    step.payload["ended_versions"].append([version.pk, None])
    OrgUnitVersion.objects.filter(pk=version.pk).update(valid_to=date)
    OrgUnitChange.objects.create(
        org_unit=unit,
        kind=change_kind,
        date=date,
        other=heirs[0] if heirs else None,
        decision=step.decision_number,
        restructuring=step,
    )
    for heir in heirs:
        OrgUnitLineage.objects.create(
            predecessor=unit, successor=heir, date=date + DAY, kind=kind, restructuring=step
        )
    apply_changes(unit, {"valid_to": date, "successor": heirs[0] if len(heirs) == 1 else None})
    _finish(step, [unit.pk], date + DAY)
    record(
        action="organizations.unit.merged" if heirs else "organizations.unit.dissolved",
        actor=actor,
        target=unit,
        org_unit=unit,
        data={"date": date, "merged_into": ", ".join(h.name for h in heirs), "decision": decision},
    )
    return unit


@transaction.atomic
def org_unit_merge(
    *,
    actor: Any,
    units: list[OrgUnit],
    into: OrgUnit,
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> Restructuring:
    """Merge ``units`` into ``into`` from ``date`` (their last day is the day before):
    their subordinate organizations are attached to ``into``; the units end, with
    ``into`` as their successor. Members kept directly by a merged unit must have been
    moved first (the restructuring services do it for the user)."""
    if not units:
        raise DomainError(_("Choose the organizations to merge."), field="units")
    if len({u.pk for u in units}) != len(units) or any(u.pk == into.pk for u in units):
        raise DomainError(
            _("An organization is named twice, or merged into itself."), field="units"
        )
    step = _op(
        actor=actor,
        kind=Restructuring.Kind.MERGE,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=", ".join(u.name for u in units) + f" → {into.name}",
        op=op,
    )
    for u in units:
        for child in list(history.versions_on(date).filter(parent_id=u.pk).select_related("unit")):
            org_unit_move(actor=actor, unit=child.unit, new_parent=into, date=date, op=step)
        org_unit_close(actor=actor, unit=u, date=date - DAY, merged_into=into, op=step)
    return step


@transaction.atomic
def org_unit_split(
    *,
    actor: Any,
    unit: OrgUnit,
    parts: list[tuple[OrgUnit, list[OrgUnit]]],
    date: dt.date,
    decision: str = "",
    decision_date: dt.date | None = None,
    decision_body: str = "",
    op: Restructuring | None = None,
) -> Restructuring:
    """Split ``unit`` from ``date`` into the successors of ``parts``, each taking the
    subordinate organizations listed with it. Every subordinate organization valid on
    ``date`` must be given to exactly one successor."""
    if len(parts) < 2:
        raise DomainError(_("A split needs at least two successor organizations."), field="parts")
    children = {
        v.unit_id: v.unit
        for v in history.versions_on(date).filter(parent_id=unit.pk).select_related("unit")
    }
    given: dict[int, str] = {}
    for heir, kids in parts:
        for k in kids:
            if k.pk in given:
                raise DomainError(
                    _("%(unit)s is given to two successors.") % {"unit": k.name}, field="parts"
                )
            if k.pk not in children:
                raise DomainError(
                    _("%(unit)s is not a subordinate organization of %(parent)s on %(date)s.")
                    % {"unit": k.name, "parent": unit.name, "date": _date_text(date)},
                    field="parts",
                )
            given[k.pk] = heir.name
    missing = [c.name for pk, c in children.items() if pk not in given]
    if missing:
        raise DomainError(
            _("Every subordinate organization must go to a successor; not assigned: %(names)s.")
            % {"names": ", ".join(sorted(missing))},
            field="parts",
        )
    step = _op(
        actor=actor,
        kind=Restructuring.Kind.SPLIT,
        date=date,
        decision=decision,
        decision_date=decision_date,
        decision_body=decision_body,
        summary=f"{unit.name} → " + ", ".join(h.name for h, _k in parts),
        op=op,
    )
    for heir, kids in parts:
        for k in kids:
            org_unit_move(actor=actor, unit=k, new_parent=heir, date=date, op=step)
    org_unit_close(
        actor=actor, unit=unit, date=date - DAY, successors=[h for h, _k in parts], op=step
    )
    return step


def _steps_of(op: Restructuring) -> list[Restructuring]:
    out = [op]
    for child in op.steps.all().order_by("id"):
        out.extend(_steps_of(child))
    return out


def restructuring_undo_problem(op: Restructuring) -> str | None:
    """Why ``op`` cannot be undone now, or None: something recorded later builds on it."""
    if op.undone_at is not None:
        return _("This change was already undone.")
    if op.parent_op_id is not None:
        return _("This change is a step of a larger one: undo that one.")
    steps = _steps_of(op)
    ids = [s.pk for s in steps]
    created = [v for s in steps for v in s.payload.get("created_versions", [])]
    units = set(
        OrgUnitVersion.objects.filter(restructuring_id__in=ids).values_list("unit_id", flat=True)
    ) | {s.payload["closed"][0] for s in steps if s.payload.get("closed")}
    later = (
        OrgUnitVersion.objects.filter(unit_id__in=units, valid_from__gt=op.date)
        .exclude(pk__in=created)
        .exclude(restructuring_id__in=ids)
        .select_related("unit")
        .first()
    )
    if later is not None:
        return _("A later change of %(unit)s (from %(date)s) depends on it: undo that first.") % {
            "unit": later.unit.name,
            "date": _date_text(later.valid_from),
        }
    reopened = OrgUnit.objects.filter(
        pk__in=[s.payload["closed"][0] for s in steps if s.payload.get("closed")]
    ).filter(valid_to__isnull=True)
    if reopened.exists():
        return _("An organization this change closed was reopened since.")
    for check in undo_checks:
        problem = check(op, sorted(units))
        if problem:
            return problem
    return None


@transaction.atomic
def restructuring_undo(*, actor: Any, op: Restructuring) -> None:
    """Put the tree back exactly as it was before ``op`` (and its steps)."""
    op = Restructuring.objects.select_for_update().get(pk=op.pk)
    problem = restructuring_undo_problem(op)
    if problem:
        raise DomainError(problem)
    steps = _steps_of(op)
    units: set[int] = set()
    for s in reversed(steps):
        p = s.payload
        created = p.get("created_versions", [])
        units |= set(
            OrgUnitVersion.objects.filter(pk__in=created).values_list("unit_id", flat=True)
        )
        OrgUnitVersion.objects.filter(pk__in=created).delete()
        for pk, before in p.get("edited_versions", []):
            OrgUnitVersion.objects.filter(pk=pk).update(**before)
            units |= set(OrgUnitVersion.objects.filter(pk=pk).values_list("unit_id", flat=True))
        for pk, old_to in reversed(p.get("ended_versions", [])):
            OrgUnitVersion.objects.filter(pk=pk).update(
                valid_to=dt.date.fromisoformat(old_to) if old_to else None
            )
            units |= set(OrgUnitVersion.objects.filter(pk=pk).values_list("unit_id", flat=True))
        if p.get("closed"):
            unit_id, successor_id = p["closed"]
            OrgUnit.objects.filter(pk=unit_id).update(valid_to=None, successor_id=successor_id)
            units.add(unit_id)
        OrgUnitLineage.objects.filter(restructuring=s).delete()
        OrgUnitChange.objects.filter(restructuring=s).delete()
    Restructuring.objects.filter(pk__in=[s.pk for s in steps]).update(undone_at=timezone.now())
    sync_current(sorted(units))
    tree_changed.send(sender=Restructuring, unit_ids=sorted(units), since=op.date, op=op)
    record(
        action="organizations.restructuring.undone",
        actor=actor,
        target=op,
        data={"kind": op.kind, "date": op.date, "summary": op.summary},
    )


@transaction.atomic
def residential_unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    org_unit: OrgUnit,
    own_cell: OrgUnit | None = None,
    audit: bool = True,
    **flags: Any,
) -> ResidentialUnit:
    if ResidentialUnit.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code")
    ru = ResidentialUnit.objects.create(
        code=code,
        name=normalize_spaces(name),
        kind=kind,
        org_unit=org_unit,
        own_cell=own_cell,
        **flags,
    )
    if audit:
        record(
            action="organizations.residential.created",
            actor=actor,
            target=ru,
            org_unit=org_unit,
            data={"code": code, "name": name},
        )
    return ru
