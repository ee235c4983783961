from __future__ import annotations

from typing import Any

from django import forms
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
