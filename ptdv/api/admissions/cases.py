"""Reads: the case list with its filters, a case, the steps it offers now."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from ptdv.access.gate import require_perm
from ptdv.admissions import selectors
from ptdv.admissions import services as S
from ptdv.admissions.models import (
    OPEN_STAGES,
    AdmissionCase,
    Stage,
)
from ptdv.api.admissions.errors import READ_ERRORS, STEP_ERRORS, AdmissionsApiMixin
from ptdv.api.admissions.inputs import CaseOpenSerializer
from ptdv.api.admissions.outputs import (
    CaseDetailSerializer,
    CaseListSerializer,
    StepSerializer,
    steps_for,
)
from ptdv.api.views import (
    _date_param,
    _org_param,
    _text_param,
    _uid,
)
from ptdv.core.errors import DomainError
from ptdv.people.selectors import people_visible_to


def case_for(request: Any, uid: str) -> AdmissionCase:
    return selectors.case_get_for(user=request.user, uid=_uid(uid))


def detail_response(request: Any, case: AdmissionCase, code: int = 200) -> Response:
    case = case_for(request, str(case.uid))
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
            qs = qs.exclude(stage__in=list(OPEN_STAGES))
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
        return detail_response(request, case, status.HTTP_201_CREATED)


class CaseDetail(AdmissionsApiMixin, APIView):
    @extend_schema(
        tags=["admissions"],
        responses={200: CaseDetailSerializer, **READ_ERRORS},
        description="The case: person, cell, stage, dates of each step, votes, decisions, "
        "introducers, dossier checklist, pending deadlines, history and next steps.",
    )
    def get(self, request: Any, uid: str) -> Response:
        return detail_response(request, case_for(request, uid))


class CaseSteps(AdmissionsApiMixin, APIView):
    pagination_class = None

    @extend_schema(
        tags=["admissions"],
        responses={200: StepSerializer(many=True), **READ_ERRORS},
        description="The steps the case page offers now; `allowed` tells whether the "
        "token's user holds the role the step needs.",
    )
    def get(self, request: Any, uid: str) -> Response:
        return Response(steps_for(request.user, case_for(request, uid)))
