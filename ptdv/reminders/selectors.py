"""Reads of the inbox: always the signed-in user's own reminders."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ptdv.reminders.models import Notification, Preference


def inbox_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).select_related("org_unit")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("read_at", "-created_on", "due_on", "id")


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preference_of(user: Any) -> Preference:
    """The user's choice, or the default (everything, inbox and e-mail) unsaved."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
