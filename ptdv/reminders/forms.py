from __future__ import annotations

from django import forms

from ptdv.reminders.models import Preference


class PreferenceForm(forms.ModelForm):
    """One required choice per kind of reminder (an empty form changes nothing)."""

    class Meta:
        model = Preference
        fields = ["approaching", "overdue", "escalated"]
        widgets = {
            "approaching": forms.RadioSelect,
            "overdue": forms.RadioSelect,
            "escalated": forms.RadioSelect,
        }
