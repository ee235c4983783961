"""What every training service shares: the audit labels of its actions, the permission
check (``actor=None`` is the system), today, and the locked class row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.audit import labels
from ptdv.core.errors import BulkError, PermissionDeniedError, RowError
from ptdv.organizations.models import OrgUnit
from ptdv.training.models import (
    EnrolmentStatus,
    TrainingClass,
)

labels.register(
    {
        "training.institution.created": gettext_lazy("Training institution created"),
        "training.class.created": gettext_lazy("Class created"),
        "training.class.updated": gettext_lazy("Class updated"),
        "training.class.status_changed": gettext_lazy("Class status changed"),
        "training.class.deleted": gettext_lazy("Class deleted"),
        "training.session.added": gettext_lazy("Class session added"),
        "training.session.updated": gettext_lazy("Class session updated"),
        "training.session.removed": gettext_lazy("Class session removed"),
        "training.course_type.updated": gettext_lazy("Course type updated"),
        "training.enrolment.enrolled": gettext_lazy("Trainees enrolled"),
        "training.enrolment.nominated": gettext_lazy("Trainees nominated"),
        "training.enrolment.accepted": gettext_lazy("Nominations accepted"),
        "training.enrolment.withdrawn": gettext_lazy("Enrolment withdrawn"),
        "training.enrolment.deleted": gettext_lazy("Enrolment deleted"),
        "training.attendance.recorded": gettext_lazy("Attendance recorded"),
        "training.result.recorded": gettext_lazy("Results recorded"),
        "training.result.restored": gettext_lazy("Result restored"),
        "training.certificate.issued": gettext_lazy("Certificates issued"),
    }
)

ACTIVE_ENROLMENT = (EnrolmentStatus.NOMINATED, EnrolmentStatus.ACCEPTED)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(actor: Any, perm: str, unit: OrgUnit) -> None:
    """Services stay safe when called from elsewhere: ``actor=None`` is the system."""
    if actor is None:
        return
    if not has_perm(actor, perm, unit):
        raise PermissionDeniedError(
            _("You do not have permission to do this for %(org)s.") % {"org": unit}
        )


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _locked_class(klass: TrainingClass) -> TrainingClass:
    return (
        TrainingClass.objects.select_for_update()
        .select_related("institution__org_unit", "course_type")
        .get(pk=klass.pk)
    )


def _raise_rows(errors: list[RowError], message: str) -> None:
    if errors:
        raise BulkError(message, rows=errors)
