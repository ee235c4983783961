"""The subtree scope as a query filter: the single choke point for reads."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ptdv.access.permissions import scope_paths


def scope_q(user: Any, *, field: str = "org_unit", perm: str = "people.view") -> Q:
    """A filter keeping rows whose ``field`` (an OrgUnit relation) lies in the user's
    subtrees. ``field="self"`` filters OrgUnits themselves."""
    paths = scope_paths(user, perm)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    lookup = "path__startswith" if field == "self" else f"{field}__path__startswith"
    q = Q()
    for path in paths:
        q |= Q(**{lookup: path})
    return q


def scoped(
    qs: QuerySet[Any], user: Any, *, field: str = "org_unit", perm: str = "people.view"
) -> QuerySet[Any]:
    return qs.filter(scope_q(user, field=field, perm=perm))
