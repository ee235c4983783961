"""Writes of positions (assign, end) and of accounts (create, deactivate, password reset by
the organization board, password changed, second factor), each audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.models import AccountProfile, Position, Role
from ptdv.access.permissions import check_perm, clear_cache
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError

register(
    {
        "access.user.created": gettext_lazy("Account created"),
        "access.user.deactivated": gettext_lazy("Account deactivated"),
        "access.user.activated": gettext_lazy("Account reactivated"),
        "access.user.password_reset": gettext_lazy("Password reset by the organization board"),
        "access.user.password_changed": gettext_lazy("Password changed"),
        "access.user.totp_enabled": gettext_lazy("Second factor (TOTP) turned on"),
        "access.user.totp_disabled": gettext_lazy("Second factor (TOTP) turned off"),
    }
)


def _real(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


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
        if actor is not None:  # created by someone else: the owner chooses a password first
            AccountProfile.objects.create(
                user=user, must_change_password=True, created_by=_real(actor)
            )
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


# --- accounts ------------------------------------------------------------------------------


def temporary_password() -> str:
    """Twelve characters from an alphabet without look-alikes, to be read out or written."""
    alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def _managed_unit(actor: Any, user: Any) -> Any:
    """The organization under which ``actor`` manages ``user``'s account, or a refusal.

    Every position the user holds now (or, with none, ever held) must lie in a subtree
    where the actor manages access: a district board cannot reset the password of someone
    who also sits on the province board. Superusers and one's own account are refused."""
    from ptdv.core.errors import PermissionDeniedError

    if user.is_superuser or user.is_staff:
        raise PermissionDeniedError(_("Administrator accounts are managed by an administrator."))
    if actor is not None and user.pk == actor.pk:
        raise PermissionDeniedError(_("Change your own password on the password page."))
    today = timezone.localdate()
    positions = list(Position.objects.filter(user=user).select_related("org_unit"))
    current = [p for p in positions if p.term_end is None or p.term_end >= today] or positions
    if not current:
        raise PermissionDeniedError(_("This account holds no position you manage."))
    for position in current:
        check_perm(actor, "access.manage", position.org_unit)
    return min((p.org_unit for p in current), key=lambda u: len(u.path))


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    email: str = "",
    org_unit: Any,
    role: str,
    term_start: dt.date,
    title: str = "",
) -> tuple[Any, str]:
    """A new account with its first position and a temporary password that the owner must
    change at the first log-in; returns the user and that password (shown once)."""
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise DomainError(_("Give a user name."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The user name %(name)s is taken.") % {"name": username}, field="username"
        )
    check_perm(actor, "access.manage", org_unit)
    password = temporary_password()
    position = position_assign(
        actor=actor,
        username=username,
        org_unit=org_unit,
        role=role,
        term_start=term_start,
        title=title,
        password=password,
    )
    user = position.user
    user.first_name = " ".join((full_name or "").split())[:150]
    user.email = (email or "").strip()
    user.save(update_fields=["first_name", "email"])
    AccountProfile.objects.update_or_create(
        user=user, defaults={"must_change_password": True, "created_by": _real(actor)}
    )
    record(
        action="access.user.created",
        actor=actor,
        target=user,
        org_unit=org_unit,
        data={"user": username, "full_name": user.first_name, "email": user.email},
    )
    return user, password


@transaction.atomic
def user_set_active(*, actor: Any, user: Any, active: bool) -> Any:
    unit = _managed_unit(actor, user)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        from ptdv.access.models import ApiToken

        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _end_sessions(user)
    record(
        action="access.user.activated" if active else "access.user.deactivated",
        actor=actor,
        target=user,
        org_unit=unit,
        data={"user": user.get_username()},
    )
    return user


def _end_sessions(user: Any) -> None:
    """Log the user out everywhere (database sessions)."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def user_reset_password(*, actor: Any, user: Any) -> str:
    """A temporary password set by the organization board; the owner must change it at the
    next log-in. Returns the password (shown once)."""
    unit = _managed_unit(actor, user)
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    AccountProfile.objects.update_or_create(user=user, defaults={"must_change_password": True})
    _end_sessions(user)
    record(
        action="access.user.password_reset",
        actor=actor,
        target=user,
        org_unit=unit,
        data={"user": user.get_username()},
    )
    return password


@transaction.atomic
def password_changed(*, user: Any) -> None:
    """After the owner set a new password (change page or e-mail reset)."""
    AccountProfile.objects.update_or_create(user=user, defaults={"must_change_password": False})
    record(
        action="access.user.password_changed",
        actor=user,
        target=user,
        data={"user": user.get_username()},
    )


@transaction.atomic
def totp_enable(*, user: Any, secret: str, step: int) -> None:
    AccountProfile.objects.update_or_create(
        user=user,
        defaults={
            "totp_secret": secret,
            "totp_enabled_at": timezone.now(),
            "totp_last_step": step,
        },
    )
    record(action="access.user.totp_enabled", actor=user, target=user, data={})


@transaction.atomic
def totp_disable(*, user: Any) -> None:
    AccountProfile.objects.update_or_create(
        user=user, defaults={"totp_secret": "", "totp_enabled_at": None, "totp_last_step": None}
    )
    record(action="access.user.totp_disabled", actor=user, target=user, data={})


@transaction.atomic
def totp_step_used(*, user: Any, step: int) -> bool:
    """Mark a code's time step as used; False when it was used already (replay)."""
    updated = (
        AccountProfile.objects.filter(user=user)
        .filter(models.Q(totp_last_step__isnull=True) | models.Q(totp_last_step__lt=step))
        .update(totp_last_step=step)
    )
    return updated == 1
