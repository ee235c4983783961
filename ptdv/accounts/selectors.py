from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ptdv.access.models import Position
from ptdv.access.permissions import active_positions, has_perm, scope_paths
from ptdv.access.scope import scope_q
from ptdv.organizations.models import OrgUnit


def positions_for(user: Any) -> list[Position]:
    return active_positions(user)


def positions_managed_by(user: Any) -> QuerySet[Position]:
    """Positions held in the subtrees where the user manages access."""
    return (
        Position.objects.filter(scope_q(user, field="org_unit", perm="access.manage"))
        .select_related("user", "org_unit")
        .order_by("org_unit__path", "user__username")
    )


def position_get_for(*, user: Any, uid: Any) -> Position:
    position = positions_managed_by(user).filter(uid=uid).first()
    if position is None:
        raise Http404
    return position


def users_managed_by(user: Any) -> QuerySet[Any]:
    """Accounts holding (or having held) a position in the subtrees where ``user`` manages
    access; staff and superusers are never listed."""
    from django.contrib.auth import get_user_model

    ids = positions_managed_by(user).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_superuser=False, is_staff=False)
        .order_by("username")
    )


def user_get_managed(*, user: Any, pk: int) -> Any:
    found = users_managed_by(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def default_org_for(user: Any, perm: str = "reports.view") -> OrgUnit | None:
    """The user's own organization for ``perm``: the first of their scope (the root for
    a whole-tree scope); None without any."""
    paths = scope_paths(user, perm)
    if paths is None:
        return OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    if not paths:
        return None
    return OrgUnit.objects.filter(path=paths[0]).first()


def org_for(user: Any, uid: Any, perm: str = "reports.view") -> OrgUnit:
    """The chosen organization, or the user's own; outside the scope → 404."""
    if not uid:
        unit = default_org_for(user, perm)
        if unit is None:
            raise Http404
        return unit
    try:
        unit = OrgUnit.objects.filter(uid=uuid.UUID(str(uid))).first()
    except ValueError:  # malformed UUID
        unit = None
    if unit is None or not has_perm(user, perm, unit):
        raise Http404
    return unit
