"""The request bodies of the steps, with plausible dates and counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ptdv.admissions.models import (
    DocumentKind,
    DocumentStatus,
    Introduction,
)
from ptdv.api.serializers import StrictSerializer

# Dates outside this range are a typing error, not a fact of the procedure.
DATE_MIN = dt.date(1930, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
COUNT_MAX = 100_000


class PlausibleDateField(serializers.DateField):
    """A date between 1930 and 2100 (whether it is in the future is the service's rule)."""

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            raise serializers.ValidationError(_("Enter a date between 1930 and 2100."))
        return day


def _date(required: bool = True, **kwargs: Any) -> PlausibleDateField:
    if not required:
        kwargs.setdefault("allow_null", True)
    return PlausibleDateField(required=required, **kwargs)


def _text(max_length: int, required: bool = False, **kwargs: Any) -> serializers.CharField:
    if not required:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
    return serializers.CharField(max_length=max_length, required=required, **kwargs)


def _count(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=COUNT_MAX, **kwargs)


# --- step request bodies -----------------------------------------------------------------


class CaseOpenSerializer(StrictSerializer):
    person = serializers.UUIDField(help_text="uid of the person (among the masses, in a cell)")
    opened_on = _date(help_text="On the source list since")
    unit_has_youth_union = serializers.BooleanField(default=True)
    unit_has_trade_union = serializers.BooleanField(default=False)


class CertificateStepSerializer(StrictSerializer):
    on = _date(help_text="Issued on")
    number = _text(60, help_text="Certificate number")


class DatedStepSerializer(StrictSerializer):
    on = _date()
    number = _text(60, help_text="Document number")
    note = _text(2000)


class SubCommitteeStepSerializer(StrictSerializer):
    on = _date()
    number = _text(60, help_text="Number of the appraisal (7-KNĐ)")


class IntroducerSerializer(StrictSerializer):
    person = serializers.UUIDField(
        help_text="uid of an official member of the case's grassroots organization"
    )
    cowork_since = _date(required=False, help_text="Has worked with the applicant since")


class IntroductionsStepSerializer(StrictSerializer):
    on = _date(help_text="Date of the introductions")
    # with many=True, max_length goes to the ListSerializer (the stubs do not say so)
    introducers = IntroducerSerializer(many=True, required=False, max_length=2)  # type: ignore[call-arg]
    union = serializers.ChoiceField(
        choices=[("", "none"), Introduction.Kind.YOUTH_UNION, Introduction.Kind.TRADE_UNION],
        required=False,
        default="",
        help_text="The union's resolution introducing the applicant (4-KNĐ / 4A-KNĐ)",
    )
    comments_on = _date(required=False, help_text="Summary of comments (5-KNĐ) dated")


class VoteStepSerializer(StrictSerializer):
    on = _date(help_text="Date of the meeting")
    expected = _count(help_text="Members counted (denominator)")
    present = _count()
    in_favour = _count()
    against = _count()
    resolution_number = _text(60)
    record_failure = serializers.BooleanField(
        default=False,
        help_text="Record the vote even if it fails (counts towards escalation)",
    )


class CommitteeVoteSerializer(StrictSerializer):
    expected = _count(help_text="Committee members counted (denominator)")
    present = _count()
    in_favour = _count()
    against = _count()


class DecideStepSerializer(StrictSerializer):
    on = _date(help_text="Date of the decision")
    number = _text(60, required=True, help_text="Decision number")
    signer = _text(120)
    received_on = _date(required=False, help_text="Received by the cell on")
    vote = CommitteeVoteSerializer(
        required=False, allow_null=True, help_text="The deciding committee's own vote"
    )


class RecognizeStepSerializer(StrictSerializer):
    on = _date(help_text="Date of the decision")
    number = _text(60, required=True, help_text="Decision number")
    signer = _text(120)
    vote = CommitteeVoteSerializer(
        required=False, allow_null=True, help_text="The deciding committee's own vote"
    )


class RejectStepSerializer(StrictSerializer):
    on = _date()
    reason = _text(2000, required=True)
    number = _text(60, help_text="Document number")


class CeremonyStepSerializer(StrictSerializer):
    on = _date(help_text="Date of the ceremony")
    received_on = _date(required=False, help_text="Decision received on")
    reason_late = _text(255, help_text="Reason if late (the upper committee's agreement)")


class MemberRecordStepSerializer(StrictSerializer):
    on = _date(help_text="Party member record completed on")


class RemoveStepSerializer(StrictSerializer):
    on = _date(help_text="Date of the decision")
    number = _text(60, required=True, help_text="Decision number")
    reason = _text(2000, required=True)


class DossierStepSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    issued_on = _date(required=False)
    received_on = _date(required=False)
    number = _text(60)
    returned_reason = _text(255, help_text="Required when the status is returned")
