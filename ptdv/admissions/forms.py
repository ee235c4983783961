"""Parsing of the step forms (no rule here: the services check and explain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.admissions.models import (
    CommunityRole,
    Consent,
    DocumentKind,
    DocumentStatus,
    Introduction,
    Stage,
)
from ptdv.core.forms import VNDateField

if TYPE_CHECKING:
    from ptdv.people.models import Person, Relative


def _date(label: Any, required: bool = True) -> forms.DateField:
    return VNDateField(label=label, required=required)


class DatedStepForm(forms.Form):
    on = _date(_("Date"))
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scan = forms.FileField(label=_("Scan"), required=False)


class CertificateForm(forms.Form):
    on = _date(_("Issued on"))
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    scan = forms.FileField(label=_("Scan"), required=False)


class IntroductionsForm(forms.Form):
    on = _date(_("Date of the introductions"))
    introducer1: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("First introducer"), queryset=None, required=False
    )
    cowork_since1 = _date(_("Has worked with the applicant since"), required=False)
    introducer2: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Second introducer"), queryset=None, required=False
    )
    cowork_since2 = _date(_("Has worked with the applicant since"), required=False)
    union = forms.ChoiceField(
        label=_("Union resolution"),
        required=False,
        choices=[
            ("", _("None")),
            (Introduction.Kind.YOUTH_UNION, _("Youth Union resolution (4-KNĐ)")),
            (Introduction.Kind.TRADE_UNION, _("Trade union resolution (4A-KNĐ)")),
        ],
    )
    comments_on = _date(_("Summary of comments (5-KNĐ) dated"), required=False)

    def __init__(self, *args: Any, introducers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ptdv.people.models import Person

        qs = introducers if introducers is not None else Person.objects.none()
        cast("forms.ModelChoiceField[Person]", self.fields["introducer1"]).queryset = qs
        cast("forms.ModelChoiceField[Person]", self.fields["introducer2"]).queryset = qs


class VoteForm(forms.Form):
    on = _date(_("Date of the meeting"))
    expected = forms.IntegerField(label=_("Members counted (denominator)"), min_value=0)
    present = forms.IntegerField(label=_("Present"), min_value=0)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0)
    against = forms.IntegerField(label=_("Against"), min_value=0)
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=60, required=False)
    record_failure = forms.BooleanField(
        label=_("Record the vote even if it fails (counts towards escalation)"), required=False
    )


class CellVoteForm(VoteForm):
    """A cell's vote with the members of the roll left out of the denominator, by legal
    category (members in temporary activity elsewhere are left out by the registry)."""

    excluded_exempted: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("Left out: exempted from activity and absent"), queryset=None, required=False
    )
    excluded_suspended: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("Left out: suspended from party activity"), queryset=None, required=False
    )
    excluded_detained: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("Left out: prosecuted, indicted or detained"), queryset=None, required=False
    )

    CATEGORIES = {
        "excluded_exempted": "exempted_absent",
        "excluded_suspended": "suspended",
        "excluded_detained": "prosecuted_detained",
    }

    def __init__(self, *args: Any, roll: Any = None, exempted: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ptdv.people.models import Person

        roll = roll if roll is not None else Person.objects.none()
        cast(
            "forms.ModelMultipleChoiceField[Person]", self.fields["excluded_exempted"]
        ).queryset = exempted if exempted is not None else Person.objects.none()
        cast(
            "forms.ModelMultipleChoiceField[Person]", self.fields["excluded_suspended"]
        ).queryset = roll
        cast(
            "forms.ModelMultipleChoiceField[Person]", self.fields["excluded_detained"]
        ).queryset = roll

    def exclusions(self) -> tuple[tuple[Any, str], ...]:
        return tuple(
            (person, category)
            for field, category in self.CATEGORIES.items()
            for person in self.cleaned_data.get(field) or ()
        )


class DecidingVoteFields(forms.Form):
    """The deciding committee's own vote (optional): members counted, present, for, against."""

    vote_expected = forms.IntegerField(
        label=_("Committee members counted (denominator)"), min_value=0, required=False
    )
    vote_present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    vote_in_favour = forms.IntegerField(label=_("In favour"), min_value=0, required=False)
    vote_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)

    VOTE_FIELDS = ("vote_expected", "vote_present", "vote_in_favour", "vote_against")

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        given = [data.get(f) is not None for f in self.VOTE_FIELDS]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Enter all four vote counts of the committee, or none of them.")
            )
        return data


class DecisionForm(DecidingVoteFields):
    on = _date(_("Date of the decision"))
    number = forms.CharField(label=_("Decision number"), max_length=60)
    signer = forms.CharField(label=_("Signed by"), max_length=120, required=False)
    received_on = _date(_("Received by the cell on"), required=False)

    field_order = ["on", "number", "signer", "received_on", *DecidingVoteFields.VOTE_FIELDS]


class CeremonyForm(forms.Form):
    on = _date(_("Date of the ceremony"))
    received_on = _date(_("Decision received on"), required=False)
    reason_late = forms.CharField(label=_("Reason if late"), max_length=255, required=False)


class MemberRecordForm(forms.Form):
    on = _date(_("Party member record completed on"))


class RejectForm(forms.Form):
    on = _date(_("Date"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)


class RemovalForm(forms.Form):
    on = _date(_("Date of the decision"))
    number = forms.CharField(label=_("Decision number"), max_length=60)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DossierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=DocumentStatus.choices)
    issued_on = _date(_("Issued on"), required=False)
    received_on = _date(_("Received on"), required=False)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    returned_reason = forms.CharField(label=_("Reason for return"), max_length=255, required=False)
    scan = forms.FileField(label=_("Scan"), required=False)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    org = forms.CharField(label=_("Organization code"), required=False)


class TodoFilterForm(forms.Form):
    """The to-do page's filters: a unit (its subtree), a kind of deadline, overdue only, and
    the order. ``units`` are the units the user's to-do list touches."""

    unit = forms.ChoiceField(label=_("Organization"), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("due", _("Nearest deadline first")),
            ("-due", _("Latest deadline first")),
            ("unit", _("By party cell")),
            ("person", _("By name")),
            ("stage", _("By stage")),
        ],
    )

    def __init__(self, *args: Any, units: Any = (), kinds: Any = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", "—"),
            *((str(u.uid), u.name) for u in units),
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "—"), *kinds]


class CaseOpenForm(forms.Form):
    opened_on = _date(_("On the source list since"))
    unit_has_youth_union = forms.BooleanField(
        label=_("The unit has a Youth Union organization"), required=False, initial=True
    )
    unit_has_trade_union = forms.BooleanField(
        label=_("The unit has a trade union organization"), required=False
    )


class SourceListForm(forms.Form):
    org = forms.CharField(label=_("Organization code"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    term = forms.CharField(label=_("Term (e.g. 2025-2030)"), required=False, max_length=9)


class SourceNoteForm(forms.Form):
    date = _date(_("Date"))
    text = forms.CharField(label=_("Fostering note"), widget=forms.Textarea(attrs={"rows": 2}))


class SourceRemoveForm(forms.Form):
    on = _date(_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=255)


class VettingConclusionForm(DatedStepForm):
    """The step ``vetting``: the grassroots committee's conclusion."""

    satisfactory = forms.BooleanField(
        label=_("The background meets the standard"), required=False, initial=True
    )


class VettingRequestForm(forms.Form):
    relative: forms.ModelChoiceField[Relative] = forms.ModelChoiceField(
        label=_("Whose background"),
        queryset=None,
        required=False,
        empty_label=_("The applicant"),
    )
    addressee = forms.CharField(label=_("Sent to"), max_length=255)
    place = forms.CharField(label=_("Place to verify"), max_length=255)
    number = forms.CharField(label=_("Letter number"), max_length=60, required=False)
    sent_on = _date(_("Sent on"))
    due_on = _date(_("Reply due on"))

    def __init__(self, *args: Any, relatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ptdv.people.models import Relative

        qs = relatives if relatives is not None else Relative.objects.none()
        cast("forms.ModelChoiceField[Relative]", self.fields["relative"]).queryset = qs


class VettingReplyForm(forms.Form):
    replied_on = _date(_("Replied on"))
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("clear", _("Nothing found against")),
            ("concern", _("Problems found")),
        ],
    )
    note = forms.CharField(
        label=_("What the reply says"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Path"), choices=Consent.Kind.choices)
    number = forms.CharField(label=_("Document number"), max_length=60)
    on = _date(_("Date of the document"))
    body = forms.CharField(label=_("Issuing body"), max_length=255)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class SpecialPathForm(forms.Form):
    role = forms.ChoiceField(
        label=_("The applicant is"),
        required=False,
        choices=[("", _("not on the village elder path")), *CommunityRole.choices],
    )

    def __init__(self, *args: Any, roles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            allowed = set(roles)
            role = cast(forms.ChoiceField, self.fields["role"])
            # the getter gives the normalized list of pairs (the stubs allow any choices input)
            current = cast("list[tuple[str, Any]]", role.choices)
            role.choices = [(k, v) for k, v in current if not k or k in allowed]


class PaperExceptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Missing paper"), choices=DocumentKind.choices)
    reason = forms.CharField(
        label=_("Reason for deciding without it"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, kinds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            wanted = set(kinds)
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (k, v) for k, v in DocumentKind.choices if k in wanted
            ]
