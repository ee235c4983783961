"""Forms of transfers and exemptions: parsing only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.organizations.forms import UnitChoiceField
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import TransferKind


def _units(field: forms.Field, qs: QuerySet[OrgUnit] | None) -> None:
    if qs is not None:
        field.queryset = qs  # type: ignore[attr-defined]


class TransferIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=TransferKind.choices)
    to_unit = UnitChoiceField(
        label=_("receiving organization"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        required=False,
    )
    to_outside = forms.CharField(
        label=_("or an organization outside the system"),
        max_length=255,
        required=False,
        help_text=_("For example: Đảng ủy phường Phan Đình Phùng, tỉnh Thái Nguyên."),
    )
    letter_number = forms.CharField(label=_("letter number"), max_length=60)
    letter_date = VNDateField(label=_("letter date"))
    issued_on = VNDateField(
        label=_("issued on"), required=False, help_text=_("Empty: the date of the letter.")
    )
    temporary_until = VNDateField(label=_("temporary until"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=255, required=False)
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _units(self.fields["to_unit"], units)


class TransferConfirmForm(forms.Form):
    received_on = VNDateField(label=_("received on"))
    cell = UnitChoiceField(
        label=_("party cell the member joins"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        required=False,
    )

    def __init__(self, *args: Any, cells: QuerySet[OrgUnit] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _units(self.fields["cell"], cells)


class TransferCancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=255, required=False)


class TransferEndForm(forms.Form):
    ended_on = VNDateField(label=_("ended on"))


class ArrivalForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=TransferKind.choices)
    from_outside = forms.CharField(label=_("sending organization (outside)"), max_length=255)
    cell = UnitChoiceField(
        label=_("party cell the member joins"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
    )
    letter_number = forms.CharField(label=_("letter number"), max_length=60)
    letter_date = VNDateField(label=_("letter date"))
    received_on = VNDateField(label=_("received on"))
    arrives_as = forms.ChoiceField(
        label=_("Arrives as (transfer in)"),
        choices=[("official", _("Official member")), ("probationary", _("Probationary member"))],
    )
    temporary_until = VNDateField(label=_("temporary until"), required=False)
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, cells: QuerySet[OrgUnit] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _units(self.fields["cell"], cells)


class ExemptionForm(forms.Form):
    decision_number = forms.CharField(label=_("decision number"), max_length=60)
    decision_date = VNDateField(label=_("decision date"))
    decision_body = forms.CharField(label=_("deciding body"), max_length=255)
    reason = forms.CharField(label=_("reason"), max_length=255)
    start = VNDateField(label=_("from"))
    end = VNDateField(label=_("to"), required=False, help_text=_("Empty: until further notice."))


class ExemptionEndForm(forms.Form):
    end = VNDateField(label=_("to"))
