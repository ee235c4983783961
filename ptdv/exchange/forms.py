from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.exchange.exporter import EXPORTABLE
from ptdv.exchange.models import ImportKind
from ptdv.exchange.vocab import HEADERS, IGNORE


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Data"), choices=ImportKind.choices)
    org = UnitChoiceField(label=_("Into the organization"), queryset=None, to_field_name="uid")
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UnitChoiceField, self.fields["org"]).queryset = units


STAT_FORM_CHOICES = [
    ("stat_admitted", _("Statistical form: members admitted (11-HD/BTCTW)")),
    ("stat_members", _("Statistical form: number and quality of members (11-HD/BTCTW)")),
]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Data"),
        choices=[(k, v) for k, v in ImportKind.choices if k in EXPORTABLE] + STAT_FORM_CHOICES,
    )
    org = UnitChoiceField(label=_("Organization"), queryset=None, to_field_name="uid")
    date_from = VNDateField(
        label=_("From (statistical forms)"),
        required=False,
        help_text=_("Empty: 1 January of this year."),
    )
    date_to = VNDateField(
        label=_("To / as of (statistical forms)"), required=False, help_text=_("Empty: today.")
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UnitChoiceField, self.fields["org"]).queryset = units

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        today = timezone.localdate()
        data["date_to"] = data.get("date_to") or today
        data["date_from"] = data.get("date_from") or data["date_to"].replace(month=1, day=1)
        if data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        elif data["date_to"] > today:
            self.add_error("date_to", _("The as-of date cannot be in the future."))
        return data


ENCODING_CHOICES = [
    ("", _("Detected")),
    ("unicode", _("Unicode (keep as typed)")),
    ("tcvn3", _("TCVN3 (ABC, .VnTime fonts)")),
    ("vni", _("VNI (VNI-Times fonts)")),
]


def mapping_form(
    kind: str,
    headers: list[str],
    initial: dict[str, str],
    data: Any = None,
    encodings: dict[str, Any] | None = None,
    override: dict[str, str] | None = None,
) -> Any:
    """One choice of field per column, and one choice of text encoding per column that
    holds non-ASCII text (``encodings``: what the detection found)."""
    choices = [(IGNORE, _("— do not import —"))] + [
        (f, label) for f, (label, _aliases) in HEADERS[kind].items() if f != IGNORE
    ]
    fields = {}
    for i, header in enumerate(headers):
        fields[f"col_{i}"] = forms.ChoiceField(
            label=header or _("(column %(n)s without title)") % {"n": i + 1},
            choices=choices,
            required=False,
            initial=initial.get(str(i), IGNORE),
        )
        if encodings and str(i) in encodings:
            fields[f"enc_{i}"] = forms.ChoiceField(
                label=_("Text encoding"),
                choices=ENCODING_CHOICES,
                required=False,
                initial=(override or {}).get(str(i), ""),
            )
    form_class = type("MappingForm", (forms.Form,), fields)
    return form_class(data=data)
