"""API tokens: created once (the key is shown once, only its hash is stored), revocable.
A token authenticates as its user, so the user's positions — and their subtree scope —
apply to every API request."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.models import ApiToken
from ptdv.audit.services import record
from ptdv.core.errors import DomainError

PREFIX = "ptdv_"
MAX_ACTIVE = 10


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    name = " ".join((name or "").split())[:120]
    if not name:
        raise DomainError(_("Give the token a name (what it is used for)."), field="name")
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE:
        raise DomainError(_("You have too many active tokens; revoke one first."))
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, key_hash=hash_key(key), prefix=key[:12])
    record(action="exchange.token.created", actor=actor, target=token, data={"name": name})
    return token, key


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError(_("This token is not yours."), code="forbidden")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        record(
            action="exchange.token.revoked", actor=actor, target=token, data={"name": token.name}
        )
    token.refresh_from_db()
    return token


def user_for_key(key: str) -> Any | None:
    token = (
        ApiToken.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
