"""What the admissions API returns: the case list and the case in full (dates, votes,
decisions, introducers, checklist, deadlines, history, the steps offered now)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ptdv.admissions import checks, selectors
from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
    Decision,
    Introduction,
    Stage,
    StageChange,
    Vote,
)
from ptdv.admissions.steps import DEADLINE_LABELS, STEP_LABELS, next_steps_of

DOSSIER_STEP = "dossier"


class CaseListSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid")
    full_name = serializers.CharField(source="person.full_name")
    org_code = serializers.CharField(source="org_unit.code")
    stage = serializers.CharField(help_text=", ".join(Stage.values))
    stage_label = serializers.CharField(source="get_stage_display")

    class Meta:
        model = AdmissionCase
        fields = [
            "uid",
            "person",
            "full_name",
            "org_code",
            "stage",
            "stage_label",
            "stage_on",
            "opened_on",
            "decision_on",
            "ceremony_on",
            "official_on",
            "closed_on",
            "due_on",
            "due_kind",
        ]


class PersonRefSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()


class DatesSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdmissionCase
        fields = [
            "opened_on",
            "stage_on",
            "cell_vote_on",
            "grassroots_vote_on",
            "decision_on",
            "decision_received_on",
            "ceremony_on",
            "official_on",
            "recognition_cell_vote_on",
            "recognition_decision_on",
            "member_record_on",
            "closed_on",
        ]


class VoteSerializer(serializers.ModelSerializer):
    body = serializers.CharField(help_text="cell, sub_committee, grassroots, upper")
    purpose = serializers.CharField(help_text="admission, recognition")

    class Meta:
        model = Vote
        fields = [
            "body",
            "purpose",
            "date",
            "expected",
            "present",
            "in_favour",
            "against",
            "attempt",
            "passed",
            "resolution_number",
            "policy_code",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="admission, recognition, removal, rejection")
    deciding_unit = serializers.CharField(
        source="deciding_unit.code", allow_null=True, default=None
    )

    class Meta:
        model = Decision
        fields = [
            "kind",
            "number",
            "date",
            "received_on",
            "signer",
            "deciding_unit",
            "policy_code",
            "legal_basis",
            "reason",
        ]


class IntroductionSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="introducer.uid", allow_null=True, default=None)
    full_name = serializers.CharField(source="introducer.full_name", allow_null=True, default=None)
    kind = serializers.CharField(help_text="member, youth_union, trade_union")

    class Meta:
        model = Introduction
        fields = ["person", "full_name", "kind", "cowork_since", "replacement", "issued_on"]


class ChecklistRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API's name; Field.label in the stubs
    status = serializers.CharField(help_text="missing, received, verified, returned")
    number = serializers.CharField(source="item.number", allow_null=True, default=None)
    issued_on = serializers.DateField(source="item.issued_on", allow_null=True, default=None)
    received_on = serializers.DateField(source="item.received_on", allow_null=True, default=None)
    valid_until = serializers.DateField(source="item.valid_until", allow_null=True, default=None)
    returned_reason = serializers.CharField(
        source="item.returned_reason", allow_null=True, default=None
    )


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API's name; Field.label in the stubs
    due_on = serializers.DateField()
    extended_until = serializers.DateField(allow_null=True)


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = serializers.CharField(help_text="Empty for the opening of the case")
    to_stage = serializers.CharField()

    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "on", "reason", "legal_basis", "policy_code"]


class StepSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API's name; Field.label in the stubs
    allowed = serializers.BooleanField(help_text="Whether the token's user may take it")


class PolicySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class CaseDetailSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    org_code = serializers.CharField(source="org_unit.code")
    grassroots_code = serializers.CharField(source="grassroots.code", allow_null=True, default=None)
    deciding_unit_code = serializers.CharField(
        source="deciding_unit.code", allow_null=True, default=None
    )
    stage = serializers.CharField(help_text=", ".join(Stage.values))
    stage_label = serializers.CharField(source="get_stage_display")
    is_open = serializers.BooleanField()
    dates = serializers.SerializerMethodField()
    policy = serializers.SerializerMethodField()
    votes = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    introducers = serializers.SerializerMethodField()
    dossier = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    class Meta:
        model = AdmissionCase
        fields = [
            "uid",
            "person",
            "org_code",
            "grassroots_code",
            "deciding_unit_code",
            "stage",
            "stage_label",
            "is_open",
            "dates",
            "failed_votes",
            "due_on",
            "due_kind",
            "over_max_age_consent",
            "special_area",
            "village_elder",
            "unit_has_youth_union",
            "unit_has_trade_union",
            "policy",
            "votes",
            "decisions",
            "introducers",
            "dossier",
            "deadlines",
            "history",
            "next_steps",
        ]

    @extend_schema_field(PersonRefSerializer)
    def get_person(self, case: AdmissionCase) -> Any:
        return PersonRefSerializer(case.person).data

    @extend_schema_field(DatesSerializer)
    def get_dates(self, case: AdmissionCase) -> Any:
        return DatesSerializer(case).data

    @extend_schema_field(PolicySerializer(allow_null=True))
    def get_policy(self, case: AdmissionCase) -> Any:
        if not case.policy_code:
            return None
        try:
            title = checks.policy_by_code(case.policy_code).title
        except KeyError:
            title = case.policy_code
        return {"code": case.policy_code, "title": title}

    @extend_schema_field(VoteSerializer(many=True))
    def get_votes(self, case: AdmissionCase) -> Any:
        return VoteSerializer(case.votes.order_by("date", "id"), many=True).data

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, case: AdmissionCase) -> Any:
        rows = case.decisions.select_related("deciding_unit").order_by("date", "id")
        return DecisionSerializer(rows, many=True).data

    @extend_schema_field(IntroductionSerializer(many=True))
    def get_introducers(self, case: AdmissionCase) -> Any:
        rows = case.introductions.filter(active=True).select_related("introducer")
        return IntroductionSerializer(rows.order_by("id"), many=True).data

    @extend_schema_field(ChecklistRowSerializer(many=True))
    def get_dossier(self, case: AdmissionCase) -> Any:
        return ChecklistRowSerializer(selectors.checklist(case), many=True).data

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case: AdmissionCase) -> Any:
        if not case.is_open:
            return []
        cert_on = checks.awareness_certificate_issued_on(case, timezone.localdate())
        return [
            {
                "kind": d.kind,
                "label": str(DEADLINE_LABELS.get(d.kind, d.kind)),
                "due_on": d.due_on,
                "extended_until": d.extended_until,
            }
            for d in S.case_deadlines(case, certificate_on=cert_on)
        ]

    @extend_schema_field(StageChangeSerializer(many=True))
    def get_history(self, case: AdmissionCase) -> Any:
        return StageChangeSerializer(case.changes.order_by("on", "id"), many=True).data

    @extend_schema_field(StepSerializer(many=True))
    def get_next_steps(self, case: AdmissionCase) -> Any:
        return steps_for(self.context["request"].user, case)


def steps_for(user: Any, case: AdmissionCase) -> list[dict[str, Any]]:
    """The steps the case page offers now, and whether ``user`` may take each; recording a
    dossier document is always offered."""
    steps = [*next_steps_of(case), DOSSIER_STEP]
    labels = {**STEP_LABELS, DOSSIER_STEP: _("Record a dossier document")}
    return [
        {"step": s, "label": str(labels[s]), "allowed": S.can_take(user, s, case)} for s in steps
    ]
