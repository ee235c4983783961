"""Course types: the list and the edit form of a configuring officer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ptdv.access.gate import gate
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error
from ptdv.training import selectors as Q_
from ptdv.training import services as S
from ptdv.training.forms import (
    CourseTypeForm,
)

# --- course types ------------------------------------------------------------------------------


def _configurer(request: AuthenticatedRequest) -> None:
    if not S.can_configure_course_types(request.user):
        raise PermissionDenied


@gate("training.view")
@require_GET
def course_type_list(request: AuthenticatedRequest) -> HttpResponse:
    _configurer(request)
    return render(request, "training/course_types.html", {"course_types": list(Q_.course_types())})


@gate("training.view")
@require_http_methods(["GET", "POST"])
def course_type_edit(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    _configurer(request)
    course_type = Q_.course_type_get(uid)
    initial = {name: getattr(course_type, name) for name in CourseTypeForm.base_fields}
    form = CourseTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            S.course_type_update(actor=request.user, course_type=course_type, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(
                request, _("The course type %(name)s was saved.") % {"name": course_type.name}
            )
            return redirect("training:course_types")
    return render(
        request, "training/course_type_form.html", {"course_type": course_type, "form": form}
    )
