"""Course types: the few fields a configuring officer may change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm_anywhere
from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.core.text import normalize_spaces
from ptdv.training.models import (
    Audience,
    CourseType,
)

# --- course types -----------------------------------------------------------------------

COURSE_TYPE_EDITABLE = {
    "name",
    "audience",
    "certificate_validity_months",
    "usual_sessions",
    "usual_days",
    "min_attendance_ratio",
    "order",
}


def can_configure_course_types(user: Any) -> bool:
    """Course types are shared by every institution: whoever manages training at the top
    of their scope may configure them."""
    return user is not None and has_perm_anywhere(user, "training.manage")


@transaction.atomic
def course_type_update(*, actor: Any, course_type: CourseType, **changes: Any) -> CourseType:
    unknown = set(changes) - COURSE_TYPE_EDITABLE
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if actor is not None and not can_configure_course_types(actor):
        raise PermissionDeniedError(_("You do not have permission to configure course types."))
    course_type = CourseType.objects.select_for_update().get(pk=course_type.pk)
    if "name" in changes:
        changes["name"] = normalize_spaces(changes["name"] or "")
        if not changes["name"]:
            raise DomainError(_("The name of the course type is required."), field="name")
    if "audience" in changes and changes["audience"] not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    months = changes.get("certificate_validity_months", course_type.certificate_validity_months)
    if months is not None and not 1 <= months <= 600:
        raise DomainError(
            _("The certificate validity must be between 1 and 600 months, or empty."),
            field="certificate_validity_months",
        )
    for key in ("usual_sessions", "usual_days"):
        if key in changes and not 1 <= changes[key] <= 365:
            raise DomainError(_("The value must be between 1 and 365."), field=key)
    ratio = changes.get("min_attendance_ratio", course_type.min_attendance_ratio)
    if not Decimal("0") <= Decimal(ratio) <= Decimal("1"):
        raise DomainError(
            _("The minimum attendance ratio must be between 0 and 1."),
            field="min_attendance_ratio",
        )
    changed = apply_changes(course_type, changes)
    if changed:
        record(
            action="training.course_type.updated",
            actor=actor,
            target=course_type,
            data={"code": course_type.code, **changed},
        )
    return course_type
