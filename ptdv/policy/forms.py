from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.policy.models import SwapKind


class SwappedDayForm(forms.Form):
    day = VNDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SwapKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=255)
    decision = forms.CharField(label=_("Decision or notice"), max_length=255, required=False)
    uncertain = forms.BooleanField(label=_("To be confirmed (UNCERTAIN)"), required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1990, max_value=2100, required=False)


class DeadlineForm(forms.Form):
    """The calendar page's calculator: ``start`` + ``n`` working days."""

    start = VNDateField(label=_("From"))
    n = forms.IntegerField(label=_("Working days"), min_value=1, max_value=400, initial=30)
