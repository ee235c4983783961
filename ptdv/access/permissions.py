"""Named permissions and the one function that answers every permission question.

``has_perm(user, perm, unit)`` is true when the user holds, today, a position whose role
grants ``perm`` at ``unit`` or at one of its ancestors (a position covers its subtree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ptdv.access.models import Position, Role

VIEW = "view"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ORG_BOARD: frozenset(
        {
            "orgs.view",
            "orgs.edit",
            "people.view",
            "people.edit",
            "people.reveal_citizen_id",
            "people.decide",
            "training.view",
            "training.nominate",
            "training.manage",
            "admissions.view",
            "admissions.act",
            "admissions.decide",
            "admissions.configure",
            "targets.view",
            "targets.edit",
            "reports.view",
            "reports.export",
            "exchange.import",
            "exchange.export",
            "exchange.merge",
            "audit.view",
            "access.manage",
            "exchange.api_token",
        }
    ),
    Role.TRAINING_CENTRE: frozenset(
        {
            "orgs.view",
            "people.view",
            "training.view",
            "training.manage",
            "training.nominate",
            "reports.view",
            "exchange.export",
            "exchange.import",
            "exchange.api_token",
        }
    ),
    Role.COMMITTEE: frozenset(
        {
            "orgs.view",
            "people.view",
            "people.edit",
            "training.view",
            "training.nominate",
            "admissions.view",
            "admissions.act",
            "targets.view",
            "reports.view",
            "reports.export",
            "exchange.export",
            "audit.view",
            "exchange.api_token",
        }
    ),
    Role.LEADER: frozenset(
        {
            "orgs.view",
            "people.view",
            "training.view",
            "admissions.view",
            "targets.view",
            "reports.view",
            "reports.export",
            "audit.view",
        }
    ),
}


def today() -> dt.date:
    return timezone.localdate()


def active_positions(user: Any, *, on: dt.date | None = None) -> list[Position]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cache_attr = "_ptdv_positions"
    day = on or today()
    cached = getattr(user, cache_attr, None)
    if cached is not None and cached[0] == day:
        return cached[1]
    positions = [
        p
        for p in Position.objects.filter(user=user).select_related("org_unit")
        if p.is_active_on(day) and p.org_unit.is_valid_on(day)
    ]
    setattr(user, cache_attr, (day, positions))
    return positions


def has_perm(user: Any, perm: str, unit: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(
        perm in ROLE_PERMISSIONS.get(p.role, frozenset()) and unit.path.startswith(p.org_unit.path)
        for p in active_positions(user)
    )


def has_perm_anywhere(user: Any, perm: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(perm in ROLE_PERMISSIONS.get(p.role, frozenset()) for p in active_positions(user))


def scope_paths(user: Any, perm: str = "people.view") -> list[str] | None:
    """Paths of the subtree roots where the user holds ``perm``; None means everything
    (superuser); an empty list means nothing."""
    if getattr(user, "is_superuser", False):
        return None
    paths = sorted(
        {
            p.org_unit.path
            for p in active_positions(user)
            if perm in ROLE_PERMISSIONS.get(p.role, frozenset())
        }
    )
    # drop paths covered by another one
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def clear_cache(user: Any) -> None:
    if hasattr(user, "_ptdv_positions"):
        delattr(user, "_ptdv_positions")


def check_perm(actor: Any, perm: str, unit: Any) -> None:
    """For services: refuse an actor without ``perm`` at ``unit``. System calls
    (``actor=None``: demo, commands) are not restricted; an anonymous user is refused
    (it used to pass as if it were the system)."""
    if actor is None:
        return
    if not has_perm(actor, perm, unit):
        from django.utils.translation import gettext as _

        from ptdv.core.errors import PermissionDeniedError

        raise PermissionDeniedError(_("You may not do this in this organization."))
