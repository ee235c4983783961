"""REST API v1. Every read goes through the same scoped selectors as the pages, every
write through the same services; errors are ``{"code", "message"}`` in Vietnamese."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ptdv.access.gate import GatePermission, require_perm
from ptdv.api.auth import TokenAuthentication
from ptdv.api.serializers import (
    ErrorSerializer,
    EventCreateSerializer,
    MembershipEventSerializer,
    OrganizationSerializer,
    PersonSerializer,
)
from ptdv.core.errors import DomainError
from ptdv.exchange.selectors import events_visible_to, org_codes
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import units_visible_to
from ptdv.people.models import MembershipStatus, Person
from ptdv.people.selectors import people_visible_to

if TYPE_CHECKING:
    from rest_framework.authentication import BaseAuthentication
    from rest_framework.pagination import BasePagination
    from rest_framework.parsers import BaseParser
    from rest_framework.permissions import _PermissionClass
    from rest_framework.renderers import BaseRenderer

ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
}


def _first_message(detail: Any) -> tuple[str | None, str]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            field, message = _first_message(value)
            return (None if key == "non_field_errors" else str(key)), message
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return None, str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        status_code = 403 if exc.code == "forbidden" else 400
        return Response(body, status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):  # access.gate.require_perm, as in the pages
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ParseError):
        body = {"code": "bad_json", "message": _("The request body is not valid JSON.")}
    elif isinstance(exc, exceptions.ValidationError):
        field, message = _first_message(exc.detail)
        body = {"code": "invalid", "message": message}
        if field:
            body["field"] = field
            body["message"] = f"{field}: {message}"
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        body = {
            "code": "not_authenticated",
            "message": _("A valid API token is required (header “Authorization: Token …”)."),
        }
    elif isinstance(exc, exceptions.PermissionDenied):
        told = str(exc.detail) != str(exceptions.PermissionDenied.default_detail)
        message = str(exc.detail) if told else _("You do not have permission for this.")
        body = {"code": "forbidden", "message": message}
    elif isinstance(exc, exceptions.NotFound):
        body = {"code": "not_found", "message": _("Not found (or outside your scope).")}
    elif isinstance(exc, exceptions.MethodNotAllowed):
        body = {"code": "method_not_allowed", "message": _("This method is not allowed here.")}
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        body = {"code": "unsupported_media_type", "message": _("Send the body as JSON.")}
    elif isinstance(exc, exceptions.NotAcceptable):
        body = {"code": "not_acceptable", "message": _("Only JSON responses are available.")}
    else:
        body = {"code": getattr(exc, "default_code", "error"), "message": str(exc)}
    response.data = body
    return response


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ApiMixin:
    authentication_classes: Sequence[type[BaseAuthentication]] = [TokenAuthentication]
    # the one gate: 401 anonymous, 403 read-only writes
    permission_classes: Sequence[_PermissionClass] = [GatePermission]
    renderer_classes: Sequence[type[BaseRenderer]] = [JSONRenderer]
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    pagination_class: type[BasePagination] | None = Pagination

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        translation.activate("vi")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


def _text_param(request: Any, name: str, max_length: int = 60) -> str:
    raw = request.query_params.get(name) or ""
    if len(raw) > max_length or any(ord(ch) < 32 for ch in raw):
        raise DomainError(
            _("%(name)s is not a valid value.") % {"name": name}, code="invalid", field=name
        )
    return raw


def _date_param(request: Any, name: str) -> dt.date | None:
    raw = _text_param(request, name, 10)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(
            _("%(name)s must be a date YYYY-MM-DD.") % {"name": name}, code="invalid", field=name
        )


def _org_param(request: Any, name: str = "org", perm: str = "orgs.view") -> OrgUnit | None:
    code = _text_param(request, name)
    if not code:
        return None
    unit = units_visible_to(request.user, perm=perm).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def _uid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404


ORG_PARAM = OpenApiParameter("org", str, description="Organization code: its whole subtree")
FROM_PARAM = OpenApiParameter("from", OpenApiTypes.DATE, description="From date (inclusive)")
TO_PARAM = OpenApiParameter("to", OpenApiTypes.DATE, description="To date (inclusive)")


@extend_schema(
    tags=["organizations"],
    parameters=[ORG_PARAM, OpenApiParameter("code", str, description="Exact code")],
    responses={200: OrganizationSerializer(many=True), **ERRORS},
)
class OrganizationList(ApiMixin, ListAPIView):
    gate_perm = "orgs.view"
    serializer_class = OrganizationSerializer

    def get_queryset(self) -> Any:
        qs = units_visible_to(self.request.user).order_by("path")
        unit = _org_param(self.request)
        if unit is not None:
            qs = qs.filter(path__startswith=unit.path)
        code = _text_param(self.request, "code")
        if code:
            qs = qs.filter(code=code)
        return qs

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "codes": org_codes()}


@extend_schema(tags=["organizations"], responses={200: OrganizationSerializer, **ERRORS})
class OrganizationDetail(ApiMixin, RetrieveAPIView):
    gate_perm = "orgs.view"
    serializer_class = OrganizationSerializer

    def get_object(self) -> OrgUnit:
        unit = units_visible_to(self.request.user).filter(uid=_uid(self.kwargs["uid"])).first()
        if unit is None:
            raise Http404
        return unit

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "codes": org_codes()}


@extend_schema(
    tags=["people"],
    parameters=[
        ORG_PARAM,
        OpenApiParameter("status", str, enum=MembershipStatus.values + ["member"]),
        OpenApiParameter("updated_since", OpenApiTypes.DATE),
    ],
    responses={200: PersonSerializer(many=True), **ERRORS},
)
class PersonList(ApiMixin, ListAPIView):
    gate_perm = "people.view"
    serializer_class = PersonSerializer

    def get_queryset(self) -> Any:
        qs = people_visible_to(self.request.user).select_related("org_unit")
        unit = _org_param(self.request)
        if unit is not None:
            qs = qs.filter(org_unit__path__startswith=unit.path)
        status_value = _text_param(self.request, "status")
        if status_value == "member":
            qs = qs.filter(status__in=["probationary", "official"])
        elif status_value:
            if status_value not in MembershipStatus.values:
                raise DomainError(_("Unknown status."), code="invalid", field="status")
            qs = qs.filter(status=status_value)
        since = _date_param(self.request, "updated_since")
        if since:
            qs = qs.filter(updated_at__date__gte=since)
        return qs.order_by("sort_key", "date_of_birth", "id")


@extend_schema(tags=["people"], responses={200: PersonSerializer, **ERRORS})
class PersonDetail(ApiMixin, RetrieveAPIView):
    gate_perm = "people.view"
    serializer_class = PersonSerializer

    def get_object(self) -> Person:
        person = (
            people_visible_to(self.request.user)
            .select_related("org_unit")
            .filter(uid=_uid(self.kwargs["uid"]))
            .first()
        )
        if person is None:
            raise Http404
        return person


@extend_schema(
    tags=["membership"],
    parameters=[ORG_PARAM, FROM_PARAM, TO_PARAM, OpenApiParameter("kind", str)],
    responses={200: MembershipEventSerializer(many=True), **ERRORS},
)
class EventList(ApiMixin, ListAPIView):
    gate_perm = "people.view"
    serializer_class = MembershipEventSerializer

    def get_queryset(self) -> Any:
        qs = events_visible_to(self.request.user)
        unit = _org_param(self.request)
        if unit is not None:
            qs = qs.filter(person__org_unit__path__startswith=unit.path)
        start, end = _date_param(self.request, "from"), _date_param(self.request, "to")
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        kind = _text_param(self.request, "kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs


class PersonEvents(ApiMixin, APIView):
    gate_perm = "people.view"

    @extend_schema(
        tags=["membership"],
        responses={200: MembershipEventSerializer(many=True), **ERRORS},
    )
    def get(self, request: Any, uid: str) -> Response:
        person = _person_for(request, uid)
        events = person.events.select_related("person", "org_unit").order_by("date", "id")
        return Response(MembershipEventSerializer(events, many=True).data)

    @extend_schema(
        tags=["membership"],
        request=EventCreateSerializer,
        responses={201: MembershipEventSerializer, **ERRORS},
        description="Record a membership event (the same service as the person page).",
    )
    def post(self, request: Any, uid: str) -> Response:
        from ptdv.people.services import membership_event_add

        person = _person_for(request, uid)
        require_perm(request.user, "people.edit", person.org_unit)
        ser = EventCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        code = data.pop("org_code", "")
        org = None
        if code:
            org = units_visible_to(request.user).filter(code=code).first()
            if org is None:
                raise DomainError(
                    _("There is no party organization with code “%(code)s” in your scope.")
                    % {"code": code},
                    code="invalid",
                    field="org_code",
                )
        event = membership_event_add(actor=request.user, person=person, org_unit=org, **data)
        return Response(MembershipEventSerializer(event).data, status=status.HTTP_201_CREATED)


def _person_for(request: Any, uid: str) -> Person:
    person = people_visible_to(request.user).filter(uid=_uid(uid)).first()
    if person is None:
        raise Http404
    return person


class Statistics(ApiMixin, APIView):
    gate_perm = "reports.view"

    @extend_schema(
        tags=["statistics"],
        parameters=[
            OpenApiParameter("org", str, required=True, description="Organization code"),
            FROM_PARAM,
            TO_PARAM,
            OpenApiParameter(
                "restated",
                bool,
                description="Quy đổi theo tổ chức hiện nay: restated to today's units "
                "(the history of the organization's predecessors counted for it)",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="The figures of `ptdv report summary` for an organization and period.",
    )
    def get(self, request: Any) -> Response:
        from django.utils import timezone

        from ptdv.core.summary import SummaryContext
        from ptdv.reports.summary import build_summary

        unit = _org_param(request, perm="reports.view")  # None: no org given
        if unit is None:
            raise DomainError(_("org is required."), code="invalid", field="org")
        today = timezone.localdate()
        end = _date_param(request, "to") or today
        start = _date_param(request, "from") or end.replace(month=1, day=1)
        if start > end:
            raise DomainError(_("from is after to."), code="invalid", field="from")
        restated = (_text_param(request, "restated") or "").lower() in {"1", "true", "yes"}
        ctx = SummaryContext(org=unit, date_from=start, date_to=end, restated=restated)
        return Response(build_summary(ctx))


def not_found(request: Any, rest: str = "") -> JsonResponse:
    with translation.override("vi"):
        return JsonResponse(
            {"code": "not_found", "message": _("Not found (or outside your scope).")}, status=404
        )
