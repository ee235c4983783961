"""Reads of the audit log, scoped to the user's subtrees through ``AuditEntry.org_unit``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ptdv.access.scope import scope_q
from ptdv.audit.labels import key_label, label, value_label
from ptdv.audit.models import AuditEntry


@dataclass(frozen=True)
class Change:
    key: str
    old: Any = None
    new: Any = None
    value: Any = None
    is_diff: bool = False


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    action: str
    label: str
    actor: str
    target: str
    changes: list[Change]


def entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(scope_q(user, field="org_unit", perm="audit.view"))


def entries_for(target: models.Model) -> QuerySet[AuditEntry]:
    """The history of one object (the caller has already checked access to it)."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).select_related("actor")


def _field(target_type: str, key: str) -> models.Field[Any, Any] | None:
    try:
        model = apps.get_model(target_type)
        field = model._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if isinstance(field, models.Field) else None


def _value(target_type: str, key: str, value: Any) -> Any:
    shown = value_label(key, value)
    if shown is not None:
        return shown
    field = _field(target_type, key)
    if field is not None and field.choices and isinstance(value, str | int):
        choices = {str(k): v for k, v in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return _show(value, key)


def _key(target_type: str, key: str) -> str:
    field = _field(target_type, key)
    if field is not None and field.verbose_name and field.verbose_name != key.replace("_", " "):
        return str(field.verbose_name)
    return key_label(key) or (str(field.verbose_name) if field is not None else key)


def _show(value: Any, key: str = "") -> Any:
    if key:
        shown = value_label(key, value)
        if shown is not None:
            return shown
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):  # e.g. {"CD-BL": 2, …} → "CD-BL: 2; …"; known keys in words
        return (
            "; ".join(f"{key_label(str(k)) or k}: {_show(v, str(k))}" for k, v in value.items())
            or "—"
        )
    if isinstance(value, list | tuple):
        return ", ".join(str(_show(v, key)) for v in value) or "—"
    return value


def _changes(target_type: str, data: Any) -> list[Change]:
    out: list[Change] = []
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        name = _key(target_type, key)
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            old = _value(target_type, key, value["old"])
            new = _value(target_type, key, value["new"])
            out.append(Change(key=name, old=old, new=new, is_diff=True))
        elif value not in (None, "", [], {}):
            out.append(Change(key=name, value=_value(target_type, key, value)))
    return out


def _actor(user: Any) -> str:
    if user is None:
        return _("System")
    name = user.get_full_name() or ""
    return f"{user.get_username()} ({name})" if name else user.get_username()


def history_rows(entries: Any) -> list[HistoryRow]:
    return [
        HistoryRow(
            at=e.at,
            action=e.action,
            label=label(e.action),
            actor=_actor(e.actor),
            target=e.target_repr,
            changes=_changes(e.target_type, e.data),
        )
        for e in entries
    ]
