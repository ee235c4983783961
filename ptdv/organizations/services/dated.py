"""The machinery every change of the tree shares: the signal and the checks other apps
plug in, the dated operation (``Restructuring``) a change records, the version valid on a
date, cutting versions on the effective date, refreshing today's columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.dispatch import Signal
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.core.text import text_sort_key
from ptdv.organizations import history
from ptdv.organizations.history import DAY
from ptdv.organizations.models import (
    PATH_STEP,
    OrgUnit,
    OrgUnitVersion,
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


def path_segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(PATH_STEP, "0") + "."


def check_dates(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end date cannot be before the start date."), field="valid_to")


def date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def operation_record(
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


def version_valid_on(unit: OrgUnit, day: dt.date, *, field: str = "date") -> OrgUnitVersion:
    v = history.version_on(unit, day)
    if v is None:
        raise DomainError(
            _("%(unit)s does not exist on %(date)s (valid %(from)s – %(to)s).")
            % {
                "unit": unit.name,
                "date": date_text(day),
                "from": date_text(unit.valid_from),
                "to": date_text(unit.valid_to) if unit.valid_to else "…",
            },
            field=field,
        )
    return v


def refuse_later_changes(paths: list[str], day: dt.date, *, field: str = "date") -> None:
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
            % {"unit": later.unit.name, "date": date_text(later.valid_from)},
            field=field,
        )


def cut_version(
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


def finish_change(op: Restructuring, unit_ids: list[int], since: dt.date) -> None:
    op.save(update_fields=["payload"])
    sync_current(unit_ids)
    tree_changed.send(sender=Restructuring, unit_ids=unit_ids, since=since, op=op)
