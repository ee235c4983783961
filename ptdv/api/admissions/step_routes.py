"""The steps: one route per step of the steps table (and the dossier), each with its own
body in the OpenAPI document, through the same service call as the case page."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from ptdv.admissions import selectors, steps
from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
)
from ptdv.api.admissions.cases import case_for, detail_response
from ptdv.api.admissions.errors import STEP_ERRORS, AdmissionsApiMixin
from ptdv.api.admissions.inputs import (
    CeremonyStepSerializer,
    CertificateStepSerializer,
    DatedStepSerializer,
    DecideStepSerializer,
    DossierStepSerializer,
    IntroductionsStepSerializer,
    MemberRecordStepSerializer,
    RecognizeStepSerializer,
    RejectStepSerializer,
    RemoveStepSerializer,
    SubCommitteeStepSerializer,
    VoteStepSerializer,
)
from ptdv.api.admissions.outputs import DOSSIER_STEP, CaseDetailSerializer
from ptdv.api.serializers import StrictSerializer
from ptdv.core.errors import DomainError


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
        case = case_for(request, uid)
        if not S.can_take(request.user, self.step, case):
            raise exceptions.PermissionDenied
        ser = STEP_SERIALIZERS[self.step](data=request.data)
        ser.is_valid(raise_exception=True)
        _act(request, self.step, case, dict(ser.validated_data))
        return detail_response(request, case)


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
