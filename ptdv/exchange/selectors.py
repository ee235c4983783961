"""Reads of the exchange app, scoped to the user's subtrees."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ptdv.access.scope import scope_q
from ptdv.exchange.models import ImportBatch
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import units_visible_to


def batches_visible_to(user: Any) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(scope_q(user, field="org_unit", perm="exchange.import"))


def batch_get_for(*, user: Any, uid: Any) -> ImportBatch:
    batch = batches_visible_to(user).select_related("org_unit", "user").filter(uid=uid).first()
    if batch is None:
        raise Http404
    return batch


def import_units_for(user: Any) -> QuerySet[OrgUnit]:
    return units_visible_to(user, perm="exchange.import").filter(valid_to__isnull=True)


def export_units_for(user: Any) -> QuerySet[OrgUnit]:
    return units_visible_to(user, perm="exchange.export")


def org_codes() -> dict[int, str]:
    """pk → code of every unit (to name a parent without a query per row)."""
    return dict(OrgUnit.objects.values_list("id", "code"))


def events_visible_to(user: Any) -> QuerySet[Any]:
    from ptdv.people.models import MembershipEvent

    return (
        MembershipEvent.objects.filter(scope_q(user, field="person__org_unit"))
        .filter(person__merged_into__isnull=True)
        .select_related("person", "org_unit")
        .order_by("date", "id")
    )


def value_aliases() -> dict[tuple[str, str], str]:
    """The spellings of list values users added: (field, folded text) → value. A small
    table, read once per import."""
    from ptdv.exchange.models import ValueAlias

    return {(a.field, a.folded): a.value for a in ValueAlias.objects.all()}
