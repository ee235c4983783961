"""Helpers shared by the management commands of several apps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def resolve_user(username: str | None) -> Any:
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named “%(name)s”.") % {"name": username})
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if user is None:
        raise CommandError(_("Give --user USERNAME: the change is recorded under a user."))
    return user
