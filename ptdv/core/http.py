"""Small helpers shared by the thin views: pagination, form errors,
the panels other apps contribute to the person and organization pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from ptdv.core.errors import DomainError
from ptdv.core.registry import app_modules

PER_PAGE = 50


class AuthenticatedRequest(HttpRequest):
    """What the permission gate (ptdv.access.gate) and django-htmx guarantee to every view."""

    user: User  # the gate lets no anonymous user through
    htmx: Any


def paginate(request: HttpRequest, qs: Any, per_page: int = PER_PAGE) -> Page:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form field it concerns (or on the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def form_error_messages(form: forms.Form) -> list[str]:
    """Every error message of a bound form, field by field (for ``messages.error``)."""
    return [str(error) for errors in form.errors.values() for error in errors]


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def render_panels(request: HttpRequest, name: str, obj: Any) -> list[SafeString]:
    """HTML of every app's ``panels.<name>`` entries, in order (None means hidden)."""
    found: list[tuple[int, str, Any]] = []
    for module in app_modules("panels"):
        for order, func in getattr(module, name, []):
            found.append((order, module.__name__, func))
    out: list[SafeString] = []
    for _order, _name, func in sorted(found, key=lambda t: (t[0], t[1])):
        html = func(request, obj)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - rendered by the app's template
    return out
