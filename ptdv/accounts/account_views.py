"""The owner's own account: log-in (with the lock and the second factor), password change,
second-factor set-up, password reset by e-mail where an SMTP server is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ptdv.access.auth import (
    locked_until,
    lockout_message,
    profile_for,
    record_attempt,
    totp_required,
    totp_verify,
)
from ptdv.access.middleware import remember
from ptdv.accounts import services
from ptdv.accounts.forms import LoginForm, TotpForm

PENDING = "ptdv_totp_pending"  # session: the user who gave the right password, waiting for a code
NEW_SECRET = "ptdv_totp_new_secret"  # noqa: S105 - a session key, not a secret


def email_reset_enabled() -> bool:
    return bool(settings.EMAIL_HOST)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email_reset"] = email_reset_enabled()
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if profile_for(user).totp_enabled:
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
            }
            return redirect("login_totp")
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def login_totp(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = locked_until(request, user.get_username())
        if until is not None:
            request.session.pop(PENDING, None)
            messages.error(request, lockout_message(until))
            return redirect("login")
        profile = profile_for(user)
        step = totp_verify(
            profile.totp_secret, form.cleaned_data["code"], last_step=profile.totp_last_step
        )
        if step is not None and services.totp_step_used(user=user, step=step):
            request.session.pop(PENDING, None)
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        record_attempt(request, user.get_username(), succeeded=False, step="totp")
        form.add_error("code", _("Wrong or already used code."))
    return render(request, "accounts/login_totp.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        remember(self.request, self.request.user)
        messages.success(self.request, _("Your new password is saved."))
        return response


@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    import pyotp

    user = request.user
    profile = profile_for(user)
    required = totp_required(user)
    form = TotpForm(request.POST or None)
    if profile.totp_enabled:
        if request.method == "POST" and request.POST.get("action") == "disable":
            if required:
                messages.error(
                    request, _("Organization board accounts must keep the second factor.")
                )
            elif form.is_valid() and totp_verify(profile.totp_secret, form.cleaned_data["code"]):
                services.totp_disable(user=user)
                remember(request, user)
                messages.success(request, _("The second factor was turned off."))
                return redirect("account_totp")
            else:
                form.add_error("code", _("Wrong code."))
        return render(
            request,
            "accounts/totp_setup.html",
            {"enabled": True, "required": required, "form": form},
        )
    secret = request.session.get(NEW_SECRET) or pyotp.random_base32()
    request.session[NEW_SECRET] = secret
    if request.method == "POST" and form.is_valid():
        step = totp_verify(secret, form.cleaned_data["code"])
        if step is not None:
            services.totp_enable(user=user, secret=secret, step=step)
            remember(request, user)
            request.session.pop(NEW_SECRET, None)
            messages.success(request, _("The second factor is on: log-ins now ask for a code."))
            return redirect("home")
        form.add_error("code", _("Wrong code: check the phone's clock and try the next code."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="PTĐV")
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "enabled": False,
            "required": required,
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": _qr_svg(uri),
        },
    )


def _qr_svg(uri: str) -> str:
    """The provisioning address as an inline SVG QR code (no script, no style attribute)."""
    import io

    import segno
    from django.utils.safestring import mark_safe

    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title=_("QR code for the app")
    )
    return mark_safe(out.getvalue().decode())  # noqa: S308 - generated by segno from our URI


@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    return render(
        request,
        "accounts/account.html",
        {"profile": profile, "totp_required": totp_required(request.user)},
    )


# --- password reset by e-mail (only with EMAIL_HOST) ---------------------------------------


def _email_only(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not email_reset_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/reset_confirm.html"
    success_url = reverse_lazy("account_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response


reset_request = _email_only(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/reset_request.html",
        email_template_name="accounts/reset_email.txt",
        subject_template_name="accounts/reset_subject.txt",
        success_url=reverse_lazy("account_reset_done"),
    )
)
reset_done = _email_only(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_done.html")
)
reset_confirm = _email_only(PasswordResetConfirmView.as_view())
reset_complete = _email_only(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/reset_complete.html")
)
