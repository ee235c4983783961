"""Per-request account rules: idle sessions end, a forced password change comes first, and
organization-board accounts set up their second factor first where it is required."""

from __future__ import annotations

import time
from collections.abc import Callable

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
        profile = AccountProfile.objects.filter(user=user).first()
        password_url = reverse("account_password")
        totp_url = reverse("account_totp")
        if profile is not None and profile.must_change_password:
            if request.path != password_url:
                messages.warning(
                    request,
                    _(
                        "Your account was created or reset by someone else: choose your own password first."
                    ),
                )
                return redirect(password_url)
        elif (
            totp_required(user)
            and not (profile is not None and profile.totp_enabled)
            and request.path != totp_url
        ):
            messages.warning(
                request,
                _("Organization board accounts need a second factor: set it up first."),
            )
            return redirect(totp_url)
        return self.get_response(request)
