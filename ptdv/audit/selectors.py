"""Reads of the audit log, scoped to the user's subtrees through ``AuditEntry.org_unit``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet

from ptdv.access.scope import scope_q
from ptdv.audit.labels import label
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


def _show(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if value is None or value == "":
        return "—"
    return value


def _changes(data: Any) -> list[Change]:
    out: list[Change] = []
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            out.append(
                Change(key=key, old=_show(value["old"]), new=_show(value["new"]), is_diff=True)
            )
        else:
            out.append(Change(key=key, value=_show(value)))
    return out


def history_rows(entries: Any) -> list[HistoryRow]:
    return [
        HistoryRow(
            at=e.at,
            action=e.action,
            label=label(e.action),
            actor=(e.actor.get_full_name() or e.actor.get_username()) if e.actor else "—",
            target=e.target_repr,
            changes=_changes(e.data),
        )
        for e in entries
    ]
