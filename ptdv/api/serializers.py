from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ptdv.access.permissions import has_perm
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import EventKind, MembershipEvent, Person


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(required=False)


class OrganizationSerializer(serializers.ModelSerializer):
    parent_code = serializers.SerializerMethodField()
    kind = serializers.CharField(
        help_text="province, commune, district, grassroots_committee, grassroots_cell, "
        "sub_committee, cell, group"
    )

    class Meta:
        model = OrgUnit
        fields = [
            "uid",
            "code",
            "name",
            "kind",
            "sector",
            "parent_code",
            "depth",
            "authorised_to_admit",
            "valid_from",
            "valid_to",
        ]

    def get_parent_code(self, obj: OrgUnit) -> str | None:
        codes = self.context.get("codes") or {}
        return codes.get(obj.parent_id) if obj.parent_id else None


class PersonSerializer(serializers.ModelSerializer):
    org_code = serializers.CharField(source="org_unit.code")
    citizen_id = serializers.SerializerMethodField(
        help_text="Masked (last 4 digits) unless the user may reveal citizen IDs."
    )

    class Meta:
        model = Person
        fields = [
            "uid",
            "full_name",
            "date_of_birth",
            "gender",
            "ethnicity",
            "religion",
            "citizen_id",
            "org_code",
            "status",
            "admitted_on",
            "official_on",
            "party_age_from",
            "card_number",
            "updated_at",
        ]

    def get_citizen_id(self, obj: Person) -> str | None:
        if not obj.citizen_id:
            return None
        user = self.context["request"].user
        if has_perm(user, "people.reveal_citizen_id", obj.org_unit):
            return obj.citizen_id
        return obj.masked_citizen_id


class MembershipEventSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid")
    org_code = serializers.CharField(source="org_unit.code", allow_null=True, default=None)

    class Meta:
        model = MembershipEvent
        fields = [
            "uid",
            "person",
            "kind",
            "date",
            "org_code",
            "decision_number",
            "decision_date",
            "card_number",
        ]


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("A JSON object is expected.")]}
            )
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class EventCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    date = serializers.DateField()
    org_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    decision_date = serializers.DateField(required=False, allow_null=True)
    card_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
