from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ptdv.access.models import Position
from ptdv.access.permissions import active_positions
from ptdv.access.scope import scope_q


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
