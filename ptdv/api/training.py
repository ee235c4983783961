"""API of the political centre's classes: read, and the class status transitions the UI
offers (through ``training.services.class_transition``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from ptdv.api.serializers import StrictSerializer
from ptdv.api.views import ERRORS, ApiMixin, _text_param, _uid
from ptdv.core.errors import DomainError
from ptdv.training.models import ClassStatus, Enrolment, TrainingClass


class ClassSerializer(serializers.ModelSerializer):
    course_type = serializers.CharField(source="course_type.code")
    institution = serializers.CharField(source="institution.code")
    status = serializers.CharField(help_text="planned, open, running, finished, cancelled")

    class Meta:
        model = TrainingClass
        fields = [
            "uid",
            "code",
            "name",
            "course_type",
            "institution",
            "start_on",
            "end_on",
            "capacity",
            "status",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid")
    full_name = serializers.CharField(source="person.full_name")
    status = serializers.CharField(help_text="nominated, accepted, withdrawn")
    passed = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["uid", "person", "full_name", "status", "passed"]

    def get_passed(self, obj: Enrolment) -> bool | None:
        result = getattr(obj, "result", None)
        return None if result is None else bool(result.passed)


class TransitionSerializer(StrictSerializer):
    to = serializers.ChoiceField(choices=ClassStatus.choices)


def _class_for(request: Any, uid: str) -> TrainingClass:
    from ptdv.training.selectors import classes_visible_to

    klass = (
        classes_visible_to(request.user)
        .select_related("course_type", "institution__org_unit")
        .filter(uid=_uid(uid))
        .first()
    )
    if klass is None:
        raise Http404
    return klass


@extend_schema(
    tags=["training"],
    parameters=[
        OpenApiParameter("year", int),
        OpenApiParameter("status", str, enum=ClassStatus.values),
        OpenApiParameter("course_type", str),
    ],
    responses={200: ClassSerializer(many=True), **ERRORS},
)
class ClassList(ApiMixin, ListAPIView):
    gate_perm = "training.view"
    serializer_class = ClassSerializer

    def get_queryset(self) -> Any:
        from ptdv.training.selectors import classes_visible_to

        qs = classes_visible_to(self.request.user).select_related("course_type", "institution")
        year = _text_param(self.request, "year", 4)
        if year:
            if not year.isdigit():
                raise DomainError(
                    _("%(name)s is not a valid value.") % {"name": "year"},
                    code="invalid",
                    field="year",
                )
            qs = qs.filter(start_on__year=int(year))
        status_value = _text_param(self.request, "status")
        if status_value:
            qs = qs.filter(status=status_value)
        course = _text_param(self.request, "course_type")
        if course:
            qs = qs.filter(course_type__code=course)
        return qs.order_by("-start_on", "code")


@extend_schema(tags=["training"], responses={200: ClassSerializer, **ERRORS})
class ClassDetail(ApiMixin, RetrieveAPIView):
    gate_perm = "training.view"
    serializer_class = ClassSerializer

    def get_object(self) -> TrainingClass:
        return _class_for(self.request, self.kwargs["uid"])


@extend_schema(tags=["training"], responses={200: EnrolmentSerializer(many=True), **ERRORS})
class ClassEnrolments(ApiMixin, ListAPIView):
    gate_perm = "training.view"
    """The roster: everyone for the class's managers, else the people in your scope."""

    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> Any:
        from ptdv.people.selectors import people_visible_to
        from ptdv.training.selectors import can_manage

        klass = _class_for(self.request, self.kwargs["uid"])
        qs = Enrolment.objects.filter(klass=klass).select_related("person", "result")
        if not can_manage(self.request.user, klass):
            qs = qs.filter(person__in=people_visible_to(self.request.user))
        return qs.order_by("person__sort_key", "id")


class ClassTransition(ApiMixin, APIView):
    gate_perm = "training.view"

    @extend_schema(
        tags=["training"],
        request=TransitionSerializer,
        responses={200: ClassSerializer, **ERRORS},
        description="Change the class status (planned → open → running → finished, or "
        "cancelled) through the same service as the class page.",
    )
    def post(self, request: Any, uid: str) -> Response:
        from ptdv.training.services import class_transition

        klass = _class_for(request, uid)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        klass = class_transition(actor=request.user, klass=klass, to=ser.validated_data["to"])
        return Response(ClassSerializer(klass).data)
