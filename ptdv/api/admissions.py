"""API of the admission cases: read (scoped like the case pages) and the steps the case
page offers, each through the same ``admissions.services`` call as the page. A step the
Charter's rules refuse answers 400 with the findings that explain why; the case is then
unchanged (every service runs in one transaction)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from ptdv.access.gate import require_perm
from ptdv.admissions import checks, selectors, steps
from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
    Decision,
    DocumentKind,
    DocumentStatus,
    Introduction,
    Stage,
    StageChange,
    Vote,
)
from ptdv.admissions.steps import DEADLINE_LABELS, STEP_LABELS, next_steps_of
from ptdv.api.serializers import ErrorSerializer, StrictSerializer
from ptdv.api.views import (
    ApiMixin,
    _date_param,
    _org_param,
    _text_param,
    _uid,
    api_exception_handler,
)
from ptdv.core.errors import DomainError
from ptdv.people.selectors import people_visible_to

# Dates outside this range are a typing error, not a fact of the procedure.
DATE_MIN = dt.date(1930, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
COUNT_MAX = 100_000

DOSSIER_STEP = "dossier"


# --- errors ------------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code of the rule, e.g. vote.below_threshold")
    message = serializers.CharField()
    source = serializers.CharField(help_text="Legal basis (may be empty)")
    severity = serializers.CharField(help_text="error or warning")


class RefusalSerializer(ErrorSerializer):
    findings = FindingSerializer(
        many=True, required=False, help_text="Why the rules refused the step (case unchanged)."
    )


STEP_ERRORS = {
    400: RefusalSerializer,
    401: ErrorSerializer,
    403: RefusalSerializer,
    404: ErrorSerializer,
}
READ_ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
}


def _error_path(detail: Any, prefix: str = "") -> tuple[str, str] | None:
    """The first error of a (nested) DRF error structure, as ("a.0.b", message)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            found = _error_path(value, f"{prefix}.{name}" if prefix and name else prefix or name)
            if found:
                return found
        return None
    if isinstance(detail, list):
        if detail and not isinstance(detail[0], dict | list):
            return prefix, str(detail[0])
        for index, value in enumerate(detail):
            found = _error_path(value, f"{prefix}.{index}" if prefix else str(index))
            if found:
                return found
        return None
    return prefix, str(detail)


def _finding(f: Any) -> dict[str, str]:
    return {
        "code": f.code,
        "message": str(f.message),
        "source": f.source or "",
        "severity": getattr(f, "severity", "error"),
    }


def admissions_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, S.StepRefusedError):
        findings = [_finding(f) for f in exc.findings]
        denied = any(f["code"] == "permission.denied" for f in findings)
        body = {
            "code": "forbidden" if denied else "step_refused",
            "message": exc.message,
            "findings": findings,
        }
        return Response(body, status=403 if denied else 400)
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, str):
        found = _error_path(exc.detail)
        if found:
            field, message = found
            body = {"code": "invalid", "message": f"{field}: {message}" if field else message}
            if field:
                body["field"] = field
            return Response(body, status=400)
    return api_exception_handler(exc, context)


class AdmissionsApiMixin(ApiMixin):
    gate_perm = "admissions.view"  # the gate: 403 for who holds it nowhere, as the pages

    def get_exception_handler(self) -> Any:
        return admissions_exception_handler


# --- input fields ------------------------------------------------------------------------


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
    introducers = IntroducerSerializer(many=True, required=False, max_length=2)
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


# --- output ------------------------------------------------------------------------------


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
    label = serializers.CharField()
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
    label = serializers.CharField()
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
    label = serializers.CharField()
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


# --- reads -------------------------------------------------------------------------------


def _case_for(request: Any, uid: str) -> AdmissionCase:
    return selectors.case_get_for(user=request.user, uid=_uid(uid))


def _detail(request: Any, case: AdmissionCase, code: int = 200) -> Response:
    case = _case_for(request, str(case.uid))
    return Response(CaseDetailSerializer(case, context={"request": request}).data, status=code)


def _bool_param(request: Any, name: str) -> bool | None:
    raw = _text_param(request, name, 5).lower()
    if not raw:
        return None
    if raw not in {"true", "false"}:
        raise DomainError(
            _("%(name)s must be true or false.") % {"name": name}, code="invalid", field=name
        )
    return raw == "true"


def _date_range(request: Any, prefix: str) -> tuple[dt.date | None, dt.date | None]:
    start = _date_param(request, f"{prefix}_from")
    end = _date_param(request, f"{prefix}_to")
    if start and end and start > end:
        raise DomainError(
            _("%(name)s is after %(other)s.") % {"name": f"{prefix}_from", "other": f"{prefix}_to"},
            code="invalid",
            field=f"{prefix}_from",
        )
    return start, end


LIST_PARAMS = [
    OpenApiParameter("org", str, description="Organization code: cases of its whole subtree"),
    OpenApiParameter("stage", str, enum=Stage.values),
    OpenApiParameter("open", str, enum=["true", "false"], description="Open (or closed) cases"),
    OpenApiParameter("person", OpenApiTypes.UUID, description="uid of the person"),
    OpenApiParameter("q", str, description="Name (with or without diacritics)"),
    OpenApiParameter(
        "opened_from", OpenApiTypes.DATE, description="Opened on or after (opened_on)"
    ),
    OpenApiParameter("opened_to", OpenApiTypes.DATE, description="Opened on or before"),
    OpenApiParameter(
        "decided_from",
        OpenApiTypes.DATE,
        description="Admission decision (9-KNĐ) dated on or after (decision_on)",
    ),
    OpenApiParameter(
        "decided_to", OpenApiTypes.DATE, description="Admission decision dated on or before"
    ),
]


class CaseList(AdmissionsApiMixin, ListAPIView):
    serializer_class = CaseListSerializer

    @extend_schema(
        tags=["admissions"],
        parameters=LIST_PARAMS,
        responses={200: CaseListSerializer(many=True), **READ_ERRORS},
        description="Admission cases in your scope, the most recently moved first.",
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        request = self.request
        stage = _text_param(request, "stage", 40)
        if stage and stage not in Stage.values:
            raise DomainError(_("Unknown stage."), code="invalid", field="stage")
        open_only = _bool_param(request, "open")
        filters = selectors.CaseFilters(
            stage=stage,
            org_unit=_org_param(request, perm="admissions.view"),
            q=_text_param(request, "q", 100),
            open_only=bool(open_only),
        )
        qs = selectors.case_list_for(user=request.user, filters=filters)
        if open_only is False:
            qs = qs.exclude(stage__in=list(selectors.OPEN_STAGES))
        person = _text_param(request, "person", 40)
        if person:
            try:
                qs = qs.filter(person__uid=uuid.UUID(person))
            except ValueError:
                raise DomainError(
                    _("%(name)s is not a valid value.") % {"name": "person"},
                    code="invalid",
                    field="person",
                )
        for prefix, field in (("opened", "opened_on"), ("decided", "decision_on")):
            start, end = _date_range(request, prefix)
            if start:
                qs = qs.filter(**{f"{field}__gte": start})
            if end:
                qs = qs.filter(**{f"{field}__lte": end})
        return qs

    @extend_schema(
        tags=["admissions"],
        request=CaseOpenSerializer,
        responses={201: CaseDetailSerializer, **STEP_ERRORS},
        description="Open the admission case of a person of your scope kept by a party cell "
        "(the same service as the person page). The case is kept by the person's cell.",
    )
    def post(self, request: Any) -> Response:
        ser = CaseOpenSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        person = (
            people_visible_to(request.user)
            .select_related("org_unit")
            .filter(uid=d["person"])
            .first()
        )
        if person is None:
            raise DomainError(
                _("There is no person with this identifier in your scope."),
                code="invalid",
                field="person",
            )
        require_perm(request.user, "admissions.act", person.org_unit)
        case = S.case_open(
            actor=request.user,
            person=person,
            cell=person.org_unit,
            opened_on=d["opened_on"],
            unit_has_youth_union=d["unit_has_youth_union"],
            unit_has_trade_union=d["unit_has_trade_union"],
            source_entry=selectors.latest_source_entry(person),
        )
        return _detail(request, case, status.HTTP_201_CREATED)


class CaseDetail(AdmissionsApiMixin, APIView):
    @extend_schema(
        tags=["admissions"],
        responses={200: CaseDetailSerializer, **READ_ERRORS},
        description="The case: person, cell, stage, dates of each step, votes, decisions, "
        "introducers, dossier checklist, pending deadlines, history and next steps.",
    )
    def get(self, request: Any, uid: str) -> Response:
        return _detail(request, _case_for(request, uid))


class CaseSteps(AdmissionsApiMixin, APIView):
    pagination_class = None

    @extend_schema(
        tags=["admissions"],
        responses={200: StepSerializer(many=True), **READ_ERRORS},
        description="The steps the case page offers now; `allowed` tells whether the "
        "token's user holds the role the step needs.",
    )
    def get(self, request: Any, uid: str) -> Response:
        return Response(steps_for(request.user, _case_for(request, uid)))


# --- steps -------------------------------------------------------------------------------


def _counts(d: dict[str, Any], number: str = "") -> S.VoteCounts:
    return S.VoteCounts(d["expected"], d["present"], d["in_favour"], d["against"], number)


def _committee_vote(d: dict[str, Any]) -> S.VoteCounts | None:
    vote = d.get("vote")
    return None if vote is None else _counts(vote, d["number"])


def _introducers(case: AdmissionCase, d: dict[str, Any]) -> list[Any]:
    rows = d.get("introducers") or []
    wanted = [r["person"] for r in rows]
    found = {
        p.uid: p
        for p in selectors.introducer_choices(case, timezone.localdate()).filter(uid__in=wanted)
    }
    intros = []
    for index, row in enumerate(rows):
        person = found.get(row["person"])
        if person is None:
            raise DomainError(
                _("This person is not an official member of the grassroots organization."),
                code="invalid",
                field=f"introducers.{index}.person",
            )
        intros.append(S.IntroducerInput(person, cowork_since=row.get("cowork_since")))
    if d["union"]:
        intros.append(S.IntroducerInput(None, kind=d["union"]))
    return intros


def _act(request: Any, step: str, case: AdmissionCase, d: dict[str, Any]) -> Any:
    """The serializer's fields as a ``steps.StepInput``; the service call is the one of
    the steps table (``ptdv.admissions.steps``), which the case page uses too."""
    user = request.user
    if step == DOSSIER_STEP:
        return S.dossier_item_record(
            actor=user,
            case=case,
            kind=d["kind"],
            status=d["status"],
            issued_on=d.get("issued_on"),
            received_on=d.get("received_on"),
            number=d["number"],
            returned_reason=d["returned_reason"],
        )
    if step not in steps.STEPS:
        raise Http404
    counts = None
    if step in steps.VOTE_STEPS:
        counts = _counts(d, d["resolution_number"])
    elif step in {"decide", "recognize"}:
        counts = _committee_vote(d)
    return steps.take(
        step,
        actor=user,
        case=case,
        data=steps.StepInput(
            on=d["on"],
            number=d.get("number", ""),
            note=d.get("note", ""),
            introducers=_introducers(case, d) if step == "introductions" else [],
            comments_on=d.get("comments_on"),
            counts=counts,
            record_failure=d.get("record_failure", False),
            signer=d.get("signer", ""),
            received_on=d.get("received_on"),
            reason=d.get("reason", ""),
            reason_late=d.get("reason_late", ""),
        ),
    )


STEP_SERIALIZERS: dict[str, type[StrictSerializer]] = {
    "certificate": CertificateStepSerializer,
    "application": DatedStepSerializer,
    "background": DatedStepSerializer,
    "vetting": DatedStepSerializer,
    "introductions": IntroductionsStepSerializer,
    "cell_vote": VoteStepSerializer,
    "sub_committee": SubCommitteeStepSerializer,
    "grassroots_vote": VoteStepSerializer,
    "decide": DecideStepSerializer,
    "reject": RejectStepSerializer,
    "ceremony": CeremonyStepSerializer,
    "member_record": MemberRecordStepSerializer,
    "recognition_cell_vote": VoteStepSerializer,
    "recognition_grassroots_vote": VoteStepSerializer,
    "recognize": RecognizeStepSerializer,
    "remove": RemoveStepSerializer,
    DOSSIER_STEP: DossierStepSerializer,
}

STEP_DESCRIPTIONS = {
    "certificate": "Record the awareness class certificate (source_list → awareness_class).",
    "application": "Record the application, 1-KNĐ (→ application).",
    "background": "Record the background form, 2-KNĐ (→ background_declared).",
    "vetting": "Record the vetting results (→ vetting).",
    "introductions": "Record the introducers (3-KNĐ), or one member and the union's "
    "resolution (4-KNĐ/4A-KNĐ), and the summary of comments (→ introductions_collected).",
    "cell_vote": "Record the cell's resolution (6-KNĐ): every eligibility rule is checked "
    "with the policy in force on the vote date (→ cell_voted).",
    "sub_committee": "Record the sub-committee's appraisal, 7-KNĐ (→ partial_committee_appraised).",
    "grassroots_vote": "Record the grassroots committee's resolution, 8-KNĐ (→ grassroots_voted).",
    "decide": "Record the competent committee's admission decision, 9-KNĐ (→ decided).",
    "reject": "Reject / stop the case (→ rejected).",
    "ceremony": "Record the admission ceremony: the person becomes a probationary member "
    "(→ probation).",
    "member_record": "The new member's party record is completed (stage unchanged).",
    "recognition_cell_vote": "Record the cell's resolution on recognition, 13-KNĐ "
    "(→ recognition_cell_voted).",
    "recognition_grassroots_vote": "Record the grassroots resolution on recognition, 15-KNĐ "
    "(→ recognition_grassroots_voted).",
    "recognize": "Record the recognition as official member (→ recognized).",
    "remove": "Remove from the probationary list (→ removed).",
    DOSSIER_STEP: "Record a document of the dossier (received, verified, or returned with "
    "a reason); the stage is unchanged.",
}


class CaseStep(AdmissionsApiMixin, APIView):
    """One step of the case page; ``step`` is set per URL (see ``step_view``)."""

    step = ""

    def post(self, request: Any, uid: str) -> Response:
        case = _case_for(request, uid)
        if not S.can_take(request.user, self.step, case):
            raise exceptions.PermissionDenied
        ser = STEP_SERIALIZERS[self.step](data=request.data)
        ser.is_valid(raise_exception=True)
        _act(request, self.step, case, dict(ser.validated_data))
        return _detail(request, case)


def step_view(step: str) -> Any:
    """A view class per step, so that the OpenAPI document gives each its own body."""
    serializer = STEP_SERIALIZERS[step]

    @extend_schema(
        tags=["admissions"],
        operation_id=f"admission_case_step_{step}",
        request=serializer,
        responses={200: CaseDetailSerializer, **STEP_ERRORS},
        description=STEP_DESCRIPTIONS[step]
        + " Through the same service as the case page; a refusal (400) carries the "
        "findings and leaves the case unchanged.",
    )
    def post(self: Any, request: Any, uid: str) -> Response:
        return CaseStep.post(self, request, uid)

    name = "".join(part.title() for part in step.split("_")) + "Step"
    return type(name, (CaseStep,), {"step": step, "post": post})


STEP_VIEWS = {step: step_view(step) for step in STEP_SERIALIZERS}
