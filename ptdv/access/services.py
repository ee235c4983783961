"""Writes of positions: assign and end, each audited on the position's organization."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.access.models import Position, Role
from ptdv.access.permissions import check_perm, clear_cache
from ptdv.audit.services import record
from ptdv.core.errors import DomainError


@transaction.atomic
def position_assign(
    *,
    actor: Any,
    username: str,
    org_unit: Any,
    role: str,
    term_start: dt.date,
    title: str = "",
    password: str = "",
) -> Position:
    """Give a user a position (creating the user when a password is given)."""
    check_perm(actor, "access.manage", org_unit)
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if not org_unit.is_valid_on(term_start):
        raise DomainError(
            _("The organization %(org)s is not valid on %(date)s.")
            % {"org": org_unit, "date": term_start.strftime("%d/%m/%Y")},
            field="org_unit",
        )
    User = get_user_model()
    username = (username or "").strip()
    user = User.objects.filter(username=username).first()
    created = False
    if user is None:
        if not password:
            raise DomainError(
                _("There is no user %(name)s; give a password to create the account.")
                % {"name": username},
                field="username",
                code="unknown_user",
            )
        if len(password) < 8:
            raise DomainError(_("The password needs at least 8 characters."), field="password")
        user = User.objects.create_user(username=username, password=password)
        created = True
    if Position.objects.filter(
        user=user, org_unit=org_unit, role=role, term_end__isnull=True
    ).exists():
        raise DomainError(
            _("%(name)s already holds this position.") % {"name": username},
            field="role",
            code="duplicate_position",
        )
    position = Position.objects.create(
        user=user, org_unit=org_unit, role=role, title=title.strip(), term_start=term_start
    )
    clear_cache(user)
    record(
        action="access.position.created",
        actor=actor,
        target=position,
        org_unit=org_unit,
        data={
            "user": username,
            "role": role,
            "org_unit": org_unit,
            "term_start": term_start,
            "title": title,
            "user_created": created,
        },
    )
    return position


@transaction.atomic
def position_end(*, actor: Any, position: Position, term_end: dt.date) -> Position:
    position = Position.objects.select_for_update().select_related("org_unit").get(pk=position.pk)
    check_perm(actor, "access.manage", position.org_unit)
    if position.term_end is not None:
        raise DomainError(_("This position has already ended."), code="already_ended")
    if term_end < position.term_start:
        raise DomainError(_("The end of the term cannot be before its start."), field="term_end")
    position.term_end = term_end
    position.save(update_fields=["term_end", "updated_at"])
    clear_cache(position.user)
    record(
        action="access.position.ended",
        actor=actor,
        target=position,
        org_unit=position.org_unit,
        data={"term_end": {"old": None, "new": term_end}, "user": position.user.get_username()},
    )
    return position
