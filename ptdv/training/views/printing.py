"""The class workbook (Excel) and printed certificates."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ptdv.access.gate import gate
from ptdv.core.http import AuthenticatedRequest
from ptdv.training import selectors as Q_
from ptdv.training.exports import class_workbook
from ptdv.training.views.common import XLSX

# --- exports and printing ---------------------------------------------------------------------


@gate("training.view")
@require_GET
def class_export(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    klass = Q_.class_get_for(user=request.user, uid=uid)
    data = class_workbook(
        klass,
        Q_.class_roster(klass, user=request.user),
        Q_.class_sessions(klass),
        Q_.attendance_grid(klass),
        Q_.class_certificates(klass, user=request.user),
    )
    response = HttpResponse(data, content_type=XLSX)
    safe = klass.code.replace("/", "-").encode("ascii", "ignore").decode() or "lop"
    response["Content-Disposition"] = f'attachment; filename="lop-{safe}.xlsx"'
    return response


def _fmt(fmt: str) -> str:
    if fmt not in {"pdf", "docx"}:
        raise Http404
    return fmt


@gate("training.view")
@require_GET
def certificate_print(request: AuthenticatedRequest, uid: Any, fmt: str) -> HttpResponse:
    from ptdv.training.certificates import certificates_response

    cert = Q_.certificate_get_for(user=request.user, uid=uid)
    return certificates_response([cert], _fmt(fmt))


@gate("training.view")
@require_GET
def class_certificates_print(request: AuthenticatedRequest, uid: Any, fmt: str) -> HttpResponse:
    from ptdv.training.certificates import certificates_response

    klass = Q_.class_get_for(user=request.user, uid=uid)
    certs = Q_.class_certificates(klass, user=request.user)
    wanted = request.GET.getlist("c")
    if wanted:
        certs = [c for c in certs if str(c.uid) in wanted]
    if not certs:
        raise Http404
    safe = klass.code.replace("/", "-").encode("ascii", "ignore").decode() or "lop"
    return certificates_response(certs, _fmt(fmt), filename=f"GCN_lop-{safe}.{fmt}")
