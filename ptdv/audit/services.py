"""``record`` is the only writer of the audit log. Services call it inside their
transaction, so a change and its audit entry commit or roll back together."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from ptdv.audit.models import AuditEntry

SENSITIVE_KEYS = frozenset({"password", "secret", "token", "api_key"})
MASKED = "***"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Mapping):
        return {
            str(k): (MASKED if str(k) in SENSITIVE_KEYS else _plain(v)) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def entry(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    org_unit: Any = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """The audit entry ``record`` would write, unsaved (for ``record_many``)."""
    if data is not None and not isinstance(data, Mapping):
        raise TypeError("audit data must be a mapping")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry(
        action=action,
        actor=actor,
        org_unit=org_unit,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        target_repr=str(target)[:255] if target is not None else "",
        data=_plain(dict(data or {})),
    )


def record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    org_unit: Any = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    new = entry(action=action, actor=actor, target=target, org_unit=org_unit, data=data)
    new.save()
    return new


def record_many(entries: Iterable[AuditEntry]) -> None:
    """Write many new entries (built by ``entry``) in a few statements."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def diff(instance: models.Model, changes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"old": …, "new": …}}`` for the fields whose value changes."""
    out: dict[str, dict[str, Any]] = {}
    for name, new in changes.items():
        old = getattr(instance, name)
        if old != new:
            out[name] = {"old": _plain(old), "new": _plain(new)}
    return out


def apply_changes(instance: models.Model, changes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the changed fields, save only them, and return the diff for the audit."""
    changed = diff(instance, changes)
    for name in changed:
        setattr(instance, name, changes[name])
    if changed and instance.pk is not None:
        fields: Iterable[str] = list(changed)
        if any(f.name == "updated_at" for f in instance._meta.fields):
            fields = [*fields, "updated_at"]
        instance.save(update_fields=list(fields))
    return changed
