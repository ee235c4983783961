"""Form fields shared by the apps: dates typed the Vietnamese way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (ISO accepted too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y",
                attrs={
                    "placeholder": "dd/mm/yyyy",
                    "inputmode": "numeric",
                    "size": 10,
                    "autocomplete": "off",
                    "data-datepicker": _("Choose a date"),
                },
            ),
        )
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a date as dd/mm/yyyy (for example 02/09/2022).")}
        )
        super().__init__(**kwargs)
