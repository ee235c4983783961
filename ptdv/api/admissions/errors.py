"""How the admissions API answers a refusal: the findings of the rules (400, or 403 for a
missing role) and the first error of a request body, named by its path."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.response import Response

from ptdv.admissions import services as S
from ptdv.api.serializers import ErrorSerializer
from ptdv.api.views import (
    ApiMixin,
    api_exception_handler,
)


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code of the rule, e.g. vote.below_threshold")
    message = serializers.CharField()
    # the API's name; Field.source in the stubs
    source = serializers.CharField(help_text="Legal basis (may be empty)")  # type: ignore[assignment]
    severity = serializers.CharField(help_text="error or warning")


class RefusalSerializer(ErrorSerializer):
    findings = FindingSerializer(
        many=True, required=False, help_text="Why the rules refused the step (case unchanged)."
    )


STEP_ERRORS = {
    400: RefusalSerializer,
    401: ErrorSerializer,
    403: RefusalSerializer,
    404: ErrorSerializer,
}
READ_ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
}


def _error_path(detail: Any, prefix: str = "") -> tuple[str, str] | None:
    """The first error of a (nested) DRF error structure, as ("a.0.b", message)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            found = _error_path(value, f"{prefix}.{name}" if prefix and name else prefix or name)
            if found:
                return found
        return None
    if isinstance(detail, list):
        if detail and not isinstance(detail[0], dict | list):
            return prefix, str(detail[0])
        for index, value in enumerate(detail):
            found = _error_path(value, f"{prefix}.{index}" if prefix else str(index))
            if found:
                return found
        return None
    return prefix, str(detail)


def _finding(f: Any) -> dict[str, str]:
    return {
        "code": f.code,
        "message": str(f.message),
        "source": f.source or "",
        "severity": getattr(f, "severity", "error"),
    }


def admissions_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, S.StepRefusedError):
        findings = [_finding(f) for f in exc.findings]
        denied = any(f["code"] == "permission.denied" for f in findings)
        body = {
            "code": "forbidden" if denied else "step_refused",
            "message": exc.message,
            "findings": findings,
        }
        return Response(body, status=403 if denied else 400)
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, str):
        found = _error_path(exc.detail)
        if found:
            field, message = found
            body = {"code": "invalid", "message": f"{field}: {message}" if field else message}
            if field:
                body["field"] = field
            return Response(body, status=400)
    return api_exception_handler(exc, context)


class AdmissionsApiMixin(ApiMixin):
    gate_perm = "admissions.view"  # the gate: 403 for who holds it nowhere, as the pages

    def get_exception_handler(self) -> Any:
        return admissions_exception_handler
