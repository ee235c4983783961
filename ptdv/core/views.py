"""Site-wide pages of the kernel: health check and the styled refusals (400/403/404/CSRF).

The start page composes every app and lives at the top: ``ptdv.reports.home``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _refusal(
    request: HttpRequest, status: int, code: str, message: Any, heading: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": str(message)}, status=status)
    template = "404.html" if status == 404 else "403.html"
    ctx = {"message": message, "heading": heading}
    return render(request, template, ctx, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: a forbidden action, styled and in Vietnamese (JSON under /api/)."""
    return _refusal(request, 403, "forbidden", _("You do not have permission for this."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: missing or outside the user's scope, the two answered alike."""
    return _refusal(request, 404, "not_found", _("Not found (or outside your scope)."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its security token (expired page, another
    site), refused like any forbidden action, styled and in Vietnamese."""
    return _refusal(
        request,
        403,
        "csrf",
        _("The form has expired or did not come from this site. Reload the page and try again."),
        heading=_("The form was not accepted"),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400."""
    return _refusal(
        request,
        400,
        "bad_request",
        _("The request could not be understood."),
        heading=_("Bad request"),
    )
