"""Per-request account rules: idle sessions end, a forced password change comes first, and
organization-board accounts set up their second factor first where it is required."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ptdv.access.auth import totp_required
from ptdv.access.models import AccountProfile

SEEN_KEY = "ptdv_seen"
STATE_KEY = "ptdv_account"  # what the account must do first, kept in the session


def remember(request: HttpRequest, user: Any) -> dict[str, bool]:
    """Read the account's state once (at log-in, after a change) instead of on every
    request. A board's reset ends the account's sessions, so a stale state never lasts."""
    profile = AccountProfile.objects.filter(user=user).first()
    state = {
        "must_change": bool(profile and profile.must_change_password),
        "totp": bool(profile and profile.totp_enabled),
    }
    request.session[STATE_KEY] = state
    return state


_EXEMPT = ("/static/", "/api/", "/i18n/", "/healthz", "/logout/", "/login/")


class AccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return self.get_response(request)
        now = int(time.time())
        seen = request.session.get(SEEN_KEY)
        idle = settings.PTDV_SESSION_IDLE_MINUTES * 60
        if seen is not None and now - int(seen) > idle:
            logout(request)
            messages.info(
                request,
                _("Your session ended after %(minutes)s minutes without activity; log in again.")
                % {"minutes": settings.PTDV_SESSION_IDLE_MINUTES},
            )
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if seen is None or now - int(seen) >= 60:  # one session write a minute at most
            request.session[SEEN_KEY] = now
        if request.path.startswith(_EXEMPT):
            return self.get_response(request)
        state = request.session.get(STATE_KEY) or remember(request, user)
        password_url = reverse("account_password")
        totp_url = reverse("account_totp")
        first = state["must_change"] and request.path != password_url
        first = first or (
            not state["must_change"]
            and not state["totp"]
            and request.path != totp_url
            and totp_required(user)
        )
        if first and request.headers.get("HX-Request"):
            # a fragment the page asks for by itself (the inbox badge): nothing to swap in,
            # never the redirect page, whose own fragments would ask again, without end
            return HttpResponse(status=204)
        if state["must_change"]:
            if request.path != password_url:
                messages.warning(
                    request,
                    _(
                        "Your account was created or reset by someone else: choose your own password first."
                    ),
                )
                return redirect(password_url)
        elif not state["totp"] and request.path != totp_url and totp_required(user):
            messages.warning(
                request,
                _("Organization board accounts need a second factor: set it up first."),
            )
            return redirect(totp_url)
        return self.get_response(request)
