"""Log-in hardening: throttling of failed log-ins per account and per address, the second
factor (TOTP), and the authentication backend that applies the lock.

An account is locked when it had ``PTDV_LOGIN_FAILURES_PER_ACCOUNT`` failures within the
last ``PTDV_LOGIN_LOCKOUT_MINUTES`` and since its last successful log-in; an address when it
had ``PTDV_LOGIN_FAILURES_PER_ADDRESS`` failures in that window (a success does not clear an
address: one valid account must not unlock guessing at the others). The lock ends
``PTDV_LOGIN_LOCKOUT_MINUTES`` after the last failure; attempts refused by the lock are not
counted, so waiting is enough.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from ptdv.access.models import AccountProfile, LoginAttempt


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _norm(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def record_attempt(
    request: HttpRequest | None, username: str | None, *, succeeded: bool, step: str = "password"
) -> None:
    LoginAttempt.objects.create(
        username=_norm(username),
        address=client_address(request),
        at=timezone.now(),
        succeeded=succeeded,
        step=step,
    )


def locked_until(request: HttpRequest | None, username: str | None) -> dt.datetime | None:
    """When the lock on this account or this address ends; None when not locked."""
    now = timezone.now()
    window = dt.timedelta(minutes=settings.PTDV_LOGIN_LOCKOUT_MINUTES)
    since = now - window
    ends: list[dt.datetime] = []
    name = _norm(username)
    if name:
        last_ok = (
            LoginAttempt.objects.filter(username=name, succeeded=True)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        failures = LoginAttempt.objects.filter(
            username=name, succeeded=False, at__gt=max(since, last_ok) if last_ok else since
        )
        if failures.count() >= settings.PTDV_LOGIN_FAILURES_PER_ACCOUNT:
            ends.append(failures.order_by("-at").values_list("at", flat=True)[0] + window)
    address = client_address(request)
    if address:
        failures = LoginAttempt.objects.filter(address=address, succeeded=False, at__gt=since)
        if failures.count() >= settings.PTDV_LOGIN_FAILURES_PER_ADDRESS:
            ends.append(failures.order_by("-at").values_list("at", flat=True)[0] + window)
    return max(ends) if ends else None


def lockout_message(until: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed log-ins for this account or from this address. "
        "Log-in is locked; try again in %(minutes)s minute.",
        "Too many failed log-ins for this account or from this address. "
        "Log-in is locked; try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's backend behind the lock: a locked account or address is refused even with
    the right password, and every failure is recorded."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get("username")
        if locked_until(request, username) is not None:
            raise PermissionDenied  # stops every backend; the log-in form tells why
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_attempt(request, username, succeeded=False)
        return user


# --- second factor (TOTP) -----------------------------------------------------------------


def profile_for(user: Any) -> AccountProfile:
    """The account's profile; an unsaved default when it has none (reading writes nothing)."""
    return AccountProfile.objects.filter(user=user).first() or AccountProfile(user=user)


def totp_required(user: Any) -> bool:
    """Whether this account must use a second factor (board accounts, where configured)."""
    if not settings.PTDV_REQUIRE_TOTP_FOR_BOARD:
        return False
    from ptdv.access.models import Role
    from ptdv.access.permissions import active_positions

    return any(p.role == Role.ORG_BOARD for p in active_positions(user))


def totp_verify(secret: str, code: str, *, last_step: int | None = None) -> int | None:
    """The time step the code belongs to (this one or the one before/after, for clock
    drift), or None. A step already used (``last_step``) is refused: a code works once."""
    import pyotp

    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6) or not secret:
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    step_now = totp.timecode(now)
    for drift in (0, -1, 1):
        step = step_now + drift
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None
