"""Parsing of the organization board's forms; the services validate the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.organizations.models import OrgKind, OrgUnit, Sector

FLAG_FIELDS = ["mountainous", "border", "island", "ethnic_minority_area", "especially_difficult"]


class TreeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    as_of = VNDateField(
        label=_("Tree as of"),
        required=False,
        error_messages={
            "invalid": _("Enter the date of the tree as dd/mm/yyyy (for example 30/06/2025).")
        },
    )


class AsOfForm(forms.Form):
    as_of = TreeSearchForm.base_fields["as_of"]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'· ' * obj.depth}{obj.name} ({obj.code})"


class ChildUnitForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=255)
    kind = forms.ChoiceField(label=_("kind"), choices=OrgKind.choices)
    sector = forms.ChoiceField(label=_("sector"), choices=Sector.choices, initial=Sector.OTHER)
    authorised_to_admit = forms.BooleanField(label=_("authorised to admit"), required=False)
    valid_from = VNDateField(label=_("valid from"))
    mountainous = forms.BooleanField(label=_("mountainous area"), required=False)
    ethnic_minority_area = forms.BooleanField(label=_("ethnic minority area"), required=False)


class UnitEditForm(forms.Form):
    sector = forms.ChoiceField(label=_("sector"), choices=Sector.choices)
    authorised_to_admit = forms.BooleanField(label=_("authorised to admit"), required=False)
    address = forms.CharField(label=_("address"), max_length=255, required=False)
    mountainous = forms.BooleanField(label=_("mountainous area"), required=False)
    border = forms.BooleanField(label=_("border area"), required=False)
    island = forms.BooleanField(label=_("island"), required=False)
    ethnic_minority_area = forms.BooleanField(label=_("ethnic minority area"), required=False)
    especially_difficult = forms.BooleanField(label=_("especially difficult area"), required=False)


class DecisionForm(forms.Form):
    """The decision of a dated change: number, date and issuing body."""

    decision = forms.CharField(label=_("Decision number"), max_length=120, required=False)
    decision_date = VNDateField(label=_("Decision date"), required=False)
    decision_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)


class RenameForm(DecisionForm):
    new_name = forms.CharField(label=_("New name"), max_length=255)
    date = VNDateField(label=_("Effective date"))

    field_order = ["new_name", "date", "decision", "decision_date", "decision_body"]


class MoveForm(DecisionForm):
    new_parent = UnitChoiceField(
        label=_("New parent organization"), queryset=OrgUnit.objects.none(), to_field_name="uid"
    )
    date = VNDateField(label=_("Effective date"))

    field_order = ["new_parent", "date", "decision", "decision_date", "decision_body"]

    def __init__(self, *args: object, parents: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if parents is not None:
            self.fields["new_parent"].queryset = parents  # type: ignore[attr-defined]


class CloseForm(DecisionForm):
    date = VNDateField(label=_("Closing date"))
    merged_into = UnitChoiceField(
        label=_("Merged into (leave empty if dissolved)"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        required=False,
    )

    field_order = ["date", "merged_into", "decision", "decision_date", "decision_body"]

    def __init__(self, *args: object, targets: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if targets is not None:
            self.fields["merged_into"].queryset = targets  # type: ignore[attr-defined]


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj.name} ({obj.code})"


class MergeForm(DecisionForm):
    """Merge other organizations into this one from a date: their subordinate
    organizations come under it, they end the day before."""

    units = UnitsChoiceField(
        label=_("Organizations merged into this one"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    date = VNDateField(label=_("Effective date (first day of the merged organization)"))

    field_order = ["units", "date", "decision", "decision_date", "decision_body"]

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["units"].queryset = candidates  # type: ignore[attr-defined]


class SplitForm(DecisionForm):
    """Split this organization from a date into successors, each subordinate
    organization going to exactly one of them."""

    successors = UnitsChoiceField(
        label=_("Successor organizations (at least two)"),
        queryset=OrgUnit.objects.none(),
        to_field_name="uid",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    date = VNDateField(label=_("Effective date (first day of the successors)"))

    def __init__(
        self, *args: Any, candidates: Any = None, children: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.children = list(children)
        if candidates is not None:
            self.fields["successors"].queryset = candidates  # type: ignore[attr-defined]
        for child in self.children:
            self.fields[f"child_{child.code}"] = UnitChoiceField(
                label=_("%(unit)s goes to") % {"unit": child.name},
                queryset=candidates if candidates is not None else OrgUnit.objects.none(),
                to_field_name="uid",
            )
        self.order_fields(["successors", "date", *(f"child_{c.code}" for c in self.children)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        heirs = list(data.get("successors") or [])
        for child in self.children:
            chosen = data.get(f"child_{child.code}")
            if chosen is not None and chosen not in heirs:
                self.add_error(
                    f"child_{child.code}",
                    _("Choose one of the successor organizations selected above."),
                )
        data["parts"] = [
            (h, [c for c in self.children if data.get(f"child_{c.code}") == h]) for h in heirs
        ]
        return data
