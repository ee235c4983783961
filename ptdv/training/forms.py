"""Parsing only: the services validate the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField
from ptdv.training.models import Audience, ClassStatus, CourseType, TrainingInstitution

if TYPE_CHECKING:
    from ptdv.organizations.models import OrgUnit


class ClassFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    course_type = forms.ChoiceField(label=_("Course type"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(ClassStatus.choices)
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["course_type"]).choices = [("", _("All"))] + [
            (t.code, t.name) for t in CourseType.objects.all()
        ]


class ClassForm(forms.Form):
    institution: forms.ModelChoiceField[TrainingInstitution] = forms.ModelChoiceField(
        label=_("Institution"), queryset=None
    )
    course_type = forms.ModelChoiceField(label=_("Course type"), queryset=CourseType.objects.all())
    code = forms.CharField(label=_("Class code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    start_on = VNDateField(label=_("Start date"))
    end_on = VNDateField(label=_("End date"))
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, initial=80)
    lecturers = forms.CharField(label=_("Lecturers"), max_length=500, required=False)
    served_units: forms.ModelMultipleChoiceField[OrgUnit] = forms.ModelMultipleChoiceField(
        label=_("Organizations served"), queryset=None, required=False
    )

    def __init__(self, *args: Any, institutions: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = cast(
            "forms.ModelChoiceField[TrainingInstitution]", self.fields["institution"]
        )
        institution.queryset = institutions
        institution.empty_label = None
        cast("forms.ModelChoiceField[CourseType]", self.fields["course_type"]).empty_label = None
        served_units = cast("forms.ModelMultipleChoiceField[OrgUnit]", self.fields["served_units"])
        served_units.queryset = units
        served_units.widget.attrs["size"] = 6


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


class ClassEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    start_on = VNDateField(label=_("Start date"))
    end_on = VNDateField(label=_("End date"))
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)
    lecturers = forms.CharField(label=_("Lecturers"), max_length=500, required=False)
    served_units: forms.ModelMultipleChoiceField[OrgUnit] = forms.ModelMultipleChoiceField(
        label=_("Organizations served"), queryset=None, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        served_units = cast("forms.ModelMultipleChoiceField[OrgUnit]", self.fields["served_units"])
        served_units.queryset = units
        served_units.widget.attrs["size"] = 6


class SessionForm(forms.Form):
    date = VNDateField(label=_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=255, required=False)
    lecturer = forms.CharField(label=_("Lecturer"), max_length=120, required=False)


class CourseTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    audience = forms.ChoiceField(label=_("Who may enrol"), choices=Audience.choices)
    certificate_validity_months = forms.IntegerField(
        label=_("Certificate validity (months)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("Empty: the certificate does not expire."),
    )
    usual_sessions = forms.IntegerField(
        label=_("Usual number of sessions"), min_value=1, max_value=365
    )
    usual_days = forms.IntegerField(label=_("Usual length (days)"), min_value=1, max_value=365)
    min_attendance_ratio = forms.DecimalField(
        label=_("Minimum attendance ratio"),
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        help_text=_("A share of the sessions between 0 and 1, for example 0.80."),
    )
    order = forms.IntegerField(label=_("Order in lists"), min_value=0, max_value=32000)
