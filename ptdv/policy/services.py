"""Writes of the policy app: the administrator's table of swapped days (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import ROLE_PERMISSIONS, active_positions, has_perm_anywhere
from ptdv.audit import labels
from ptdv.audit.services import record
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.policy import workdays
from ptdv.policy.models import SwapKind, SwappedDay

CONFIGURE = "admissions.configure"

labels.register(
    {
        "policy.swapped_day.created": gettext_lazy("Swapped day added to the calendar"),
        "policy.swapped_day.deleted": gettext_lazy("Swapped day removed from the calendar"),
    }
)


def _require(actor: Any) -> Any:
    """The actor must be allowed to configure admissions somewhere (organization board);
    returns the unit the audit entry is filed under."""
    if not has_perm_anywhere(actor, CONFIGURE):
        raise PermissionDeniedError(
            _("Only the organization board may change the working-day calendar.")
        )
    for pos in active_positions(actor):
        if CONFIGURE in ROLE_PERMISSIONS.get(pos.role, frozenset()):
            return pos.org_unit
    return None


def _snapshot(swap: SwappedDay) -> dict[str, Any]:
    return {
        "day": swap.day.isoformat(),
        "kind": swap.kind,
        "reason": swap.reason,
        "decision": swap.decision,
        "uncertain": swap.uncertain,
    }


@transaction.atomic
def swapped_day_create(
    *,
    actor: Any,
    day: dt.date,
    kind: str,
    reason: str,
    decision: str = "",
    uncertain: bool = False,
) -> SwappedDay:
    unit = _require(actor)
    reason = (reason or "").strip()
    decision = (decision or "").strip()
    if kind not in SwapKind.values:
        raise DomainError(_("Choose whether the day is a day off or a working day."), field="kind")
    if not reason:
        raise DomainError(_("Give the reason for the swap (e.g. the Tết break)."), field="reason")
    if SwappedDay.objects.filter(day=day).exists():
        raise DomainError(
            _("%(day)s is already in the calendar; delete it first to change it.")
            % {"day": day.strftime("%d/%m/%Y")},
            code="duplicate",
            field="day",
        )
    normally_working = workdays.is_working_day(day)
    if kind == SwapKind.WORKING_DAY and normally_working:
        raise DomainError(
            _("%(day)s is already a working day.") % {"day": day.strftime("%d/%m/%Y")},
            code="already_working",
            field="day",
        )
    if kind == SwapKind.DAY_OFF and day.weekday() >= 5 and not normally_working:
        raise DomainError(
            _("%(day)s is a Saturday or Sunday: it is already a day off.")
            % {"day": day.strftime("%d/%m/%Y")},
            code="already_off",
            field="day",
        )
    try:
        with transaction.atomic():
            swap = SwappedDay.objects.create(
                day=day,
                kind=kind,
                reason=reason,
                decision=decision,
                uncertain=uncertain,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(day)s is already in the calendar; delete it first to change it.")
            % {"day": day.strftime("%d/%m/%Y")},
            code="duplicate",
            field="day",
        ) from exc
    record(
        action="policy.swapped_day.created",
        actor=actor,
        target=swap,
        org_unit=unit,
        data={"new": _snapshot(swap)},
    )
    return swap


@transaction.atomic
def swapped_day_delete(*, actor: Any, swap: SwappedDay) -> None:
    unit = _require(actor)
    old = _snapshot(swap)
    record(
        action="policy.swapped_day.deleted",
        actor=actor,
        target=swap,
        org_unit=unit,
        data={"old": old},
    )
    swap.delete()
