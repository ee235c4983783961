"""Parsing of the registry's forms. Identity rules (CCCD, dates, ethnicity, unit
validity) are checked by the services so that the command line and the import get the
same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.organizations.forms import UnitChoiceField
from ptdv.organizations.models import OrgUnit, ResidentialUnit
from ptdv.people.choices import (
    ETHNIC_GROUPS,
    Gender,
    GeneralEducation,
    Occupation,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
)
from ptdv.people.models import EventKind, MembershipStatus

STATUS_FILTER_CHOICES = [
    ("current", _("Current (masses and members)")),
    ("", _("All, including transferred out, removed and deceased")),
    ("member", _("Members (probationary and official)")),
    *MembershipStatus.choices,
]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120)
    status = forms.ChoiceField(label=_("status"), choices=STATUS_FILTER_CHOICES, required=False)
    org = UnitChoiceField(
        label=_("party organization"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        required=False,
        empty_label=_("All"),
    )
    ethnicity = forms.ChoiceField(
        label=_("ethnicity"), choices=[("", _("All")), *ETHNIC_GROUPS], required=False
    )
    gender = forms.ChoiceField(
        label=_("gender"), choices=[("", _("All")), *Gender.choices], required=False
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org"].queryset = units  # type: ignore[attr-defined]

    def show_units(self, units: list[OrgUnit]) -> None:
        """List only ``units`` in the organization filter (the field still accepts any
        unit of its queryset: others are found by name)."""
        field = self.fields["org"]
        field.widget.choices = [  # type: ignore[attr-defined]
            ("", field.empty_label),  # type: ignore[attr-defined]
            *((str(u.uid), field.label_from_instance(u)) for u in units),  # type: ignore[attr-defined]
        ]


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("full name"), max_length=120)
    other_names = forms.CharField(label=_("other names"), max_length=120, required=False)
    date_of_birth = VNDateField(label=_("date of birth"))
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices)
    # A free value checked by the service, so an unknown code gets the registry's message.
    ethnicity = forms.CharField(
        label=_("ethnicity"), widget=forms.Select(choices=ETHNIC_GROUPS), initial="01"
    )
    religion = forms.ChoiceField(label=_("religion"), choices=Religion.choices)
    citizen_id = forms.CharField(
        label=_("citizen ID (CCCD)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    hometown = forms.CharField(label=_("home town"), max_length=255, required=False)
    education_general = forms.ChoiceField(
        label=_("general education"), choices=GeneralEducation.choices
    )
    education_professional = forms.ChoiceField(
        label=_("professional qualification"), choices=ProfessionalEducation.choices
    )
    political_theory = forms.ChoiceField(
        label=_("political theory"), choices=PoliticalTheory.choices
    )
    occupation = forms.ChoiceField(label=_("occupation"), choices=Occupation.choices)
    workplace = forms.CharField(label=_("workplace"), max_length=255, required=False)
    residential_unit = forms.ModelChoiceField(
        label=_("residential unit"),
        queryset=ResidentialUnit.objects.none(),
        to_field_name="uid",
        required=False,
    )
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    youth_union_member = forms.BooleanField(label=_("Youth Union member"), required=False)
    org_unit = UnitChoiceField(
        label=_("party organization"), queryset=OrgUnit.objects.none(), to_field_name="uid"
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit] | None = None,
        villages: QuerySet[ResidentialUnit] | None = None,
        with_unit: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]
        if villages is not None:
            self.fields["residential_unit"].queryset = villages  # type: ignore[attr-defined]
        if not with_unit:
            del self.fields["org_unit"]


class MembershipEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("event"), choices=EventKind.choices)
    date = VNDateField(label=_("date"))
    org_unit = UnitChoiceField(
        label=_("party cell"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("For an admission, readmission, transfer in or move: the new cell."),
    )
    decision_number = forms.CharField(label=_("decision number"), max_length=60, required=False)
    decision_date = VNDateField(label=_("decision date"), required=False)
    card_number = forms.CharField(label=_("party card number"), max_length=20, required=False)
    arrives_as = forms.ChoiceField(
        label=_("Arrives as (transfer in)"),
        choices=[
            ("", "—"),
            ("official", _("Official member")),
            ("probationary", _("Probationary member")),
        ],
        required=False,
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(
        self,
        *args: Any,
        cells: QuerySet[OrgUnit] | None = None,
        kinds: list[tuple[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if cells is not None:
            self.fields["org_unit"].queryset = cells  # type: ignore[attr-defined]
        if kinds is not None:
            self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class RelativeForm(forms.Form):
    """A relative as the background form (2-KNĐ) asks."""

    relation = forms.ChoiceField(label=_("relation"), choices=())
    full_name = forms.CharField(label=_("full name"), max_length=120)
    birth_year = forms.IntegerField(label=_("year of birth"), required=False)
    deceased = forms.BooleanField(label=_("deceased"), required=False)
    hometown = forms.CharField(label=_("home town"), max_length=255, required=False)
    residence = forms.CharField(label=_("place of residence"), max_length=255, required=False)
    occupation = forms.CharField(label=_("occupation"), max_length=255, required=False)
    political_history = forms.CharField(
        label=_("political history"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    party_member = forms.BooleanField(label=_("party member"), required=False)
    abroad = forms.BooleanField(label=_("lives abroad"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ptdv.people.models import Relation

        self.fields["relation"].choices = Relation.choices  # type: ignore[attr-defined]
