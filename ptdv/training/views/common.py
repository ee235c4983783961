"""What the training pages share: the managed class (404 outside scope, 403 without the
right), messages of a bulk error, ids from a form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.utils.translation import gettext as _

from ptdv.access.gate import require_perm
from ptdv.core.errors import BulkError, DomainError
from ptdv.core.http import AuthenticatedRequest
from ptdv.training import selectors as Q_
from ptdv.training.models import TrainingClass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bulk_message(request: AuthenticatedRequest, error: DomainError) -> None:
    messages.error(request, error.message)
    if isinstance(error, BulkError):
        for row in error.rows:
            messages.error(
                request, _("Row %(row)s: %(message)s") % {"row": row.row, "message": row.message}
            )


def _ints(values: list[str]) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except ValueError:
            continue
    return out


def _managed_class(request: AuthenticatedRequest, uid: Any) -> TrainingClass:
    klass = Q_.class_get_for(user=request.user, uid=uid)
    require_perm(request.user, "training.manage", klass.institution.org_unit)
    return klass
