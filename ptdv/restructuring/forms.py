"""Forms of the restructuring wizard: one operation at a time, with its decision and the
explicit choices of where members, open cases, sources, targets, villages and positions
go. A split adds one choice per subordinate organization, member, case and village once
the unit and its successors are known."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.organizations.models import OrgUnit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'· ' * obj.depth}{obj.name} ({obj.code})"


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'· ' * obj.depth}{obj.name} ({obj.code})"


CARRY_FIELDS = ("members", "cases", "sources", "targets", "villages", "positions")
CARRY_LABELS = {
    "members": _("Members kept directly go to (a party cell)"),
    "cases": _("Open admission cases go to (a party cell)"),
    "sources": _("Source lists go to"),
    "targets": _("Targets of the later years go to"),
    "villages": _("Villages go to"),
    "positions": _("Positions go to"),
}


class OperationForm(forms.Form):
    """The decision and the effective date, common to every operation."""

    date = VNDateField(label=_("Effective date (first day of the new arrangement)"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=120)
    decision_date = VNDateField(label=_("Decision date"), required=False)
    decision_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for f in self.fields.values():
            if isinstance(f, forms.ModelChoiceField):
                f.queryset = units


def _carry_fields(form: forms.Form, units: Any) -> None:
    for name in CARRY_FIELDS:
        form.fields[f"{name}_to"] = UnitChoiceField(
            label=CARRY_LABELS[name],
            queryset=units,
            to_field_name="uid",
            required=False,
            help_text=_("Empty: the unit they merge into."),
        )


class MergeForm(OperationForm):
    units_field = "units"

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["units"] = UnitsChoiceField(
            label=_("Organizations merged"), queryset=units, to_field_name="uid"
        )
        self.fields["into"] = UnitChoiceField(
            label=_("Into the existing organization"),
            queryset=units,
            to_field_name="uid",
            required=False,
        )
        self.fields["new_code"] = forms.CharField(
            label=_("or into a new organization: code"), max_length=40, required=False
        )
        self.fields["new_name"] = forms.CharField(
            label=_("name of the new organization"), max_length=255, required=False
        )
        self.fields["new_parent"] = UnitChoiceField(
            label=_("parent of the new organization"),
            queryset=units,
            to_field_name="uid",
            required=False,
        )
        _carry_fields(self, units)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("into") and not (data.get("new_code") and data.get("new_name")):
            raise forms.ValidationError(
                _(
                    "Choose the organization they merge into, or give the code and name of a new one."
                )
            )
        if data.get("into") and data.get("new_code"):
            raise forms.ValidationError(
                _("Choose an existing organization or a new one, not both.")
            )
        return data


class DissolveForm(OperationForm):
    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            label=_("Organization dissolved"), queryset=units, to_field_name="uid"
        )
        _carry_fields(self, units)
        for name in CARRY_FIELDS:
            self.fields[f"{name}_to"].help_text = _("Required when it has any.")


class MoveForm(OperationForm):
    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            label=_("Organization moved (with its subtree)"), queryset=units, to_field_name="uid"
        )
        self.fields["new_parent"] = UnitChoiceField(
            label=_("New parent organization"), queryset=units, to_field_name="uid"
        )


class RenameForm(OperationForm):
    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            label=_("Organization renamed"), queryset=units, to_field_name="uid"
        )
        self.fields["new_name"] = forms.CharField(label=_("New name"), max_length=255)


class SplitForm(OperationForm):
    """Step 1: the unit, its existing successors and the new ones (one per line
    "CODE; Name"). Step 2 (``add_assignments``): one choice per subordinate
    organization, member, open case and village, among the successors."""

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            label=_("Organization split"), queryset=units, to_field_name="uid"
        )
        self.fields["successors"] = UnitsChoiceField(
            label=_("Existing successor organizations"),
            queryset=units,
            to_field_name="uid",
            required=False,
        )
        self.fields["new_successors"] = forms.CharField(
            label=_("New successor organizations"),
            help_text=_("One per line: code; name. Created under the same parent."),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )
        self.assignment_groups: list[tuple[str, list[str]]] = []

    def clean_new_successors(self) -> list[tuple[str, str]]:
        out = []
        for n, line in enumerate(self.cleaned_data["new_successors"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, name = line.partition(";")
            if not sep or not code.strip() or not name.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write the code, a semicolon, then the name.") % {"n": n}
                )
            out.append((code.strip(), name.strip()))
        return out

    def add_assignments(
        self, choices: list[tuple[str, str]], groups: list[tuple[str, str, list[tuple[str, str]]]]
    ) -> None:
        """``groups``: (prefix, title, [(key, label)]) — one select per record."""
        options = [("", "—"), *choices]
        for prefix, title, records in groups:
            names = []
            for key, label in records:
                name = f"{prefix}_{key}"
                self.fields[name] = forms.ChoiceField(label=label, choices=options, required=False)
                names.append(name)
            self.assignment_groups.append((title, names))
        for name in ("sources", "targets", "positions"):
            self.fields[f"{name}_to"] = forms.ChoiceField(
                label=CARRY_LABELS[name], choices=options, required=False
            )
