"""Reads of targets: target, actual (computed), attainment, status, forecast."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ptdv.access.scope import scope_q
from ptdv.accounts.selectors import org_for
from ptdv.organizations.models import OrgUnit
from ptdv.targets.models import Target, Term


def targets_visible_to(user: Any) -> Any:
    return Target.objects.filter(scope_q(user, field="org_unit", perm="targets.view"))


def term_by_uid(uid: str) -> Term | None:
    try:
        return Term.objects.filter(uid=uuid.UUID(uid)).first()
    except ValueError:
        return None


def terms() -> QuerySet[Term]:
    return Term.objects.all()


def org_get_for(user: Any, uid: Any, *, perm: str = "targets.view") -> OrgUnit:
    """The chosen organization (the user's own when none is given); outside the scope or
    a malformed id → 404."""
    return org_for(user, uid, perm=perm)


def children_of(user: Any, org: OrgUnit, *, perm: str = "targets.edit") -> QuerySet[OrgUnit]:
    """The direct subordinates of ``org`` that ``user`` holds ``perm`` on."""
    return OrgUnit.objects.filter(parent=org).filter(scope_q(user, field="self", perm=perm))


def ancestors_in_scope(user: Any, org: OrgUnit) -> QuerySet[OrgUnit]:
    """The breadcrumb above ``org`` that the user may open."""
    return (
        OrgUnit.objects.filter(path__in=org.ancestor_paths[:-1])
        .filter(scope_q(user, field="self", perm="targets.view"))
        .order_by("depth")
        .only("uid", "name", "path")
    )


def period_choice(params: Any) -> tuple[int | None, Term | None]:
    """The year or term asked for (default: this year)."""
    term_uid = params.get("term") or ""
    if term_uid:
        term = term_by_uid(term_uid)
        if term is None:
            raise Http404
        return None, term
    raw = params.get("year") or ""
    try:
        year = int(raw) if raw else timezone.localdate().year
    except ValueError:
        year = timezone.localdate().year
    return year, None
