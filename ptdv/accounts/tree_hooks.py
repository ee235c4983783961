"""Positions end with their unit (organizations sits below access's hooks: it announces
tree changes with ``tree_changed``; this module listens, organizations never imports it).

When a unit closes — dissolved, merged or split — the positions still open at it end on
its last day; the operation's record keeps which ones (``payload["positions_ended"]``)
so that undoing the operation gives them back their term as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ptdv.access.models import Position
from ptdv.access.permissions import clear_cache
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.organizations.models import OrgUnit, Restructuring

register(
    {
        "access.position.ended_with_unit": gettext_lazy("Position ended with its organization"),
        "access.position.restored": gettext_lazy("Position restored (change undone)"),
    }
)


def positions_follow_units(*, op: Restructuring | None = None, **_kw: Any) -> None:
    if op is None:
        return
    if Restructuring.objects.filter(pk=op.pk, undone_at__isnull=False).exists():
        _restore(op)
    elif op.payload.get("closed"):
        _end_with_unit(op, op.payload["closed"][0])


def _end_with_unit(op: Restructuring, unit_id: int) -> None:
    unit = OrgUnit.objects.get(pk=unit_id)
    last_day = unit.valid_to
    if last_day is None:
        return
    positions = list(
        Position.objects.filter(org_unit=unit, term_start__lte=last_day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gt=last_day))
        .select_related("user")
    )
    if not positions:
        return
    ended = op.payload.setdefault("positions_ended", [])
    for p in positions:
        ended.append([p.pk, p.term_end.isoformat() if p.term_end else None])
        Position.objects.filter(pk=p.pk).update(term_end=last_day)
        clear_cache(p.user)
        record(
            action="access.position.ended_with_unit",
            target=p,
            org_unit=unit,
            data={
                "term_end": {"old": p.term_end, "new": last_day},
                "user": p.user.get_username(),
            },
        )
    op.save(update_fields=["payload"])


def _steps(op: Restructuring) -> list[Restructuring]:
    out, frontier = [], [op.pk]
    while frontier:
        rows = list(Restructuring.objects.filter(pk__in=frontier))
        out.extend(rows)
        frontier = list(
            Restructuring.objects.filter(parent_op_id__in=frontier).values_list("pk", flat=True)
        )
    return out


def _restore(op: Restructuring) -> None:
    for step in _steps(op):
        for pk, old_end in step.payload.get("positions_ended", []):
            p = Position.objects.select_related("user", "org_unit").filter(pk=pk).first()
            if p is None:
                continue
            term_end = dt.date.fromisoformat(old_end) if old_end else None
            Position.objects.filter(pk=pk).update(term_end=term_end)
            clear_cache(p.user)
            record(
                action="access.position.restored",
                target=p,
                org_unit=p.org_unit,
                data={"term_end": {"old": p.term_end, "new": term_end}},
            )
