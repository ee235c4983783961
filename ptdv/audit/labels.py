"""Human labels of action codes. Each app adds its own codes with ``register``."""

from __future__ import annotations

from collections.abc import Mapping

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


# How the keys of ``AuditEntry.data`` and their coded values are shown. Keys that are
# fields of the target's model use the field's verbose name and choices automatically.
_KEYS: dict[str, Promise | str] = {
    "event": _("event"),
    "date": _("date"),
    "decision": _("decision"),
    "org_unit": _("organization"),
    "parent": _("parent organization"),
    "merged_into": _("merged into"),
    "user": _("user"),
    "user_created": _("new account"),
    "role": _("role"),
    "term_start": _("term start"),
    "term_end": _("term end"),
    "title": _("title"),
    "status": _("status"),
    "period": _("period"),
    "document": _("document"),
    "values": _("values"),
    "note": _("note"),
}
_VALUES: dict[str, dict[str, Promise | str]] = {}


def register(labels: Mapping[str, Promise | str]) -> None:
    _LABELS.update(labels)


def register_keys(
    keys: dict[str, Promise | str], values: dict[str, dict[str, Promise | str]] | None = None
) -> None:
    """Names of data keys, and displays of coded values per key (e.g. event kinds)."""
    _KEYS.update(keys)
    for key, mapping in (values or {}).items():
        _VALUES.setdefault(key, {}).update(mapping)


def key_label(key: str) -> str | None:
    value = _KEYS.get(key)
    return str(value) if value is not None else None


def value_label(key: str, value: object) -> str | None:
    found = _VALUES.get(key, {}).get(str(value)) if isinstance(value, str | int) else None
    return str(found) if found is not None else None


def all_labels() -> dict[str, Promise | str]:
    return dict(_LABELS)


def label(action: str) -> str:
    return str(_LABELS.get(action, action))
