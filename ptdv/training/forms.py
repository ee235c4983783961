"""Parsing only: the services validate the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.training.models import ClassStatus, CourseType


class ClassFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    course_type = forms.ChoiceField(label=_("Course type"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(ClassStatus.choices)
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course_type"].choices = [("", _("All"))] + [
            (t.code, t.name) for t in CourseType.objects.all()
        ]


class ClassForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    course_type = forms.ModelChoiceField(label=_("Course type"), queryset=CourseType.objects.all())
    code = forms.CharField(label=_("Class code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    start_on = VNDateField(label=_("Start date"))
    end_on = VNDateField(label=_("End date"))
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, initial=80)
    lecturers = forms.CharField(label=_("Lecturers"), max_length=500, required=False)
    served_units = forms.ModelMultipleChoiceField(
        label=_("Organizations served"), queryset=None, required=False
    )

    def __init__(self, *args: Any, institutions: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].empty_label = None
        self.fields["course_type"].empty_label = None
        self.fields["served_units"].queryset = units
        self.fields["served_units"].widget.attrs["size"] = 6


class ResultFields:
    """Names of the per-row inputs of the results form."""

    @staticmethod
    def passed(eid: int) -> str:
        return f"passed-{eid}"

    @staticmethod
    def score(eid: int) -> str:
        return f"score-{eid}"

    @staticmethod
    def grade(eid: int) -> str:
        return f"grade-{eid}"


class IssueForm(forms.Form):
    issued_on = VNDateField(label=_("Issue date"))
    signer = forms.CharField(label=_("Signed by"), max_length=120, required=False)
