from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ptdv.access.models import Role
from ptdv.core.forms import VNDateField
from ptdv.organizations.forms import UnitChoiceField
from ptdv.organizations.models import OrgUnit


class PositionAssignForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Password (only to create a new account)"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    org_unit = UnitChoiceField(
        label=_("organization"), queryset=OrgUnit.objects.none(), to_field_name="uid"
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    title = forms.CharField(label=_("title"), max_length=120, required=False)
    term_start = VNDateField(label=_("term start"))

    def __init__(self, *args: Any, units: QuerySet[OrgUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]


class PositionEndForm(forms.Form):
    term_end = VNDateField(label=_("term end"))


class LoginForm(AuthenticationForm):
    """Django's log-in form behind the lock: a locked account or address gets the lockout
    message (with the minutes left) instead of a password check."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password."),
        "inactive": _("This account has been deactivated."),
    }

    def clean(self) -> dict[str, Any]:
        from ptdv.access.auth import locked_until, lockout_message

        until = locked_until(self.request, self.data.get("username"))
        if until is not None:
            raise forms.ValidationError(lockout_message(until), code="locked")
        try:
            return super().clean()
        except forms.ValidationError as exc:
            until = locked_until(self.request, self.data.get("username"))
            if until is not None and getattr(exc, "code", "") == "invalid_login":
                # this failure was the last one allowed: say so now, not on the next try
                raise forms.ValidationError(lockout_message(until), code="locked")
            raise


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class UserCreateForm(PositionAssignForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    field_order = ["username", "full_name", "email", "org_unit", "role", "title", "term_start"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["password"]  # a temporary password is generated and shown once
