"""Human labels of action codes. Each app adds its own codes with ``register``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Promise | str] = {
    "organizations.unit.created": _("Organization created"),
    "organizations.unit.updated": _("Organization updated"),
    "organizations.unit.renamed": _("Organization renamed"),
    "organizations.unit.moved": _("Organization moved"),
    "organizations.unit.merged": _("Organization merged"),
    "organizations.unit.dissolved": _("Organization dissolved"),
    "organizations.residential.created": _("Residential unit created"),
    "organizations.residential.updated": _("Residential unit updated"),
    "people.person.created": _("Person created"),
    "people.person.updated": _("Person updated"),
    "people.membership.event_added": _("Membership event recorded"),
    "people.person.citizen_id_revealed": _("Citizen ID revealed"),
    "access.position.created": _("Position assigned"),
    "access.position.ended": _("Position ended"),
}


def register(labels: dict[str, Promise | str]) -> None:
    _LABELS.update(labels)


def label(action: str) -> str:
    return str(_LABELS.get(action, action))
