"""Relatives of a person (background form 2-KNĐ; read by vetting)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.text import normalize_spaces
from ptdv.people.models import (
    Person,
)

register(
    {
        "people.relative.added": gettext_lazy("Relative added"),
        "people.relative.removed": gettext_lazy("Relative removed"),
    }
)


# --- relatives (background form 2-KNĐ; vetting) -----------------------------------------

RELATIVE_FIELDS = (
    "relation",
    "full_name",
    "birth_year",
    "deceased",
    "hometown",
    "residence",
    "occupation",
    "political_history",
    "party_member",
    "abroad",
)


def _clean_relative(data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    from ptdv.people.models import Relation

    unknown = set(data) - set(RELATIVE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    out = dict(data)
    if out.get("relation") not in Relation.values:
        raise DomainError(_("Choose the relation."), field="relation", code="invalid")
    out["full_name"] = normalize_spaces(str(out.get("full_name") or ""))
    if not out["full_name"]:
        raise DomainError(_("Enter the relative's full name."), field="full_name", code="required")
    year = out.get("birth_year")
    if year is not None and not (1880 <= int(year) <= today.year):
        raise DomainError(
            _("The year of birth must be between 1880 and %(year)s.") % {"year": today.year},
            field="birth_year",
            code="invalid",
        )
    for key in ("hometown", "residence", "occupation", "political_history"):
        out[key] = str(out.get(key) or "").strip()
    return out


@transaction.atomic
def relative_add(*, actor: Any, person: Person, today: dt.date | None = None, **data: Any) -> Any:
    """Add a relative of ``person`` (the fields the background form asks), audited."""
    from ptdv.people.models import Relative

    data = _clean_relative(data, today or timezone.localdate())
    relative = Relative.objects.create(person=person, **data)
    record(
        action="people.relative.added",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"relative": str(relative), **{k: v for k, v in data.items() if k != "relation"}},
    )
    return relative


@transaction.atomic
def relative_remove(*, actor: Any, relative: Any) -> None:
    from django.db.models import ProtectedError

    person = relative.person
    try:
        with transaction.atomic():
            relative.delete()
    except ProtectedError:
        raise DomainError(
            _("This relative is named in a vetting request; it cannot be removed."),
            code="relative_in_use",
        ) from None
    record(
        action="people.relative.removed",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"relative": str(relative)},
    )
