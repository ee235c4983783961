"""The one permission gate every page and API route passes (issue 12 point 5, issue 14 point 2).

One function, :func:`decide`, answers "may this request go on?" before a view runs:

- anonymous never passes (pages redirect to the login page, the API answers 401);
- a read-only role never writes: any method other than GET/HEAD/OPTIONS is refused (403)
  to a user whose positions grant nothing but reading, by session or by API token;
- a route may name a permission the user must hold somewhere (403 otherwise).

Scope is the selectors' business: an object outside the user's subtree is not found (404),
a visible object the user may not act on is forbidden (403, :func:`require_perm`).

Three ways in, all built on :func:`decide`:

- :func:`gate` (a decorator for function views; :class:`GateMixin` for class-based ones)
  and :func:`public` / :func:`account`
  (declare a route open to anonymous, or open to any signed-in user for their own account);
- :class:`GatePermission`, the DRF permission of every API view (its twin);
- :class:`GateMiddleware`, the fail-closed backstop: every resolved route passes
  :func:`decide` with the rule its view declares, and a route that declares nothing gets the
  strictest default (signed in, read-only may not write). An API view without
  :class:`GatePermission` is refused outright.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework.permissions import BasePermission

from ptdv.access.models import Role
from ptdv.access.permissions import ROLE_PERMISSIONS, active_positions, has_perm, has_perm_anywhere

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Permissions that only read (an export reads too: it writes nothing in the registry).
READ_PERMISSIONS = frozenset(
    {p for perms in ROLE_PERMISSIONS.values() for p in perms if p.endswith(".view")}
    | {"reports.export"}
)
READ_ONLY_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if perms <= READ_PERMISSIONS
)
assert Role.LEADER in READ_ONLY_ROLES  # noqa: S101 - the leader reads, never writes

ATTR = "ptdv_gate"


class Kind(enum.Enum):
    PUBLIC = "public"  # anonymous may use it (login, health, language switch)
    ACCOUNT = "account"  # any signed-in user, writes included: their own account only
    GATED = "gated"  # signed in; read-only roles only read; ``perm`` held somewhere


@dataclass(frozen=True)
class Rule:
    kind: Kind = Kind.GATED
    perm: str | tuple[str, ...] | None = None  # a tuple: any one of them

    @property
    def perms(self) -> tuple[str, ...]:
        if self.perm is None:
            return ()
        return (self.perm,) if isinstance(self.perm, str) else self.perm


DEFAULT = Rule()


class Outcome(enum.Enum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    LOGIN = "login"  # anonymous: sign in first (401 for the API)
    FORBIDDEN = "forbidden"  # 403


def is_read_only(user: Any) -> bool:
    """True when no active position of the user grants anything but reading."""
    if getattr(user, "is_superuser", False):
        return False
    return all(p.role in READ_ONLY_ROLES for p in active_positions(user))


def may_write(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not is_read_only(user)


def decide(user: Any, method: str, rule: Rule = DEFAULT) -> Outcome:
    """The gate: whether a request with this user and method may reach a view with ``rule``."""
    if rule.kind is Kind.PUBLIC:
        return Outcome.PASS
    if user is None or not getattr(user, "is_authenticated", False):
        return Outcome.LOGIN
    if not getattr(user, "is_active", True):
        return Outcome.LOGIN
    if rule.kind is Kind.ACCOUNT:
        return Outcome.PASS
    if method.upper() not in READ_METHODS and is_read_only(user):
        return Outcome.FORBIDDEN
    if rule.perms and not any(has_perm_anywhere(user, p) for p in rule.perms):
        return Outcome.FORBIDDEN
    return Outcome.PASS


def require_perm(user: Any, perm: str, unit: Any) -> None:
    """403 when the user may see the record (the selector found it) but not act on it."""
    if not has_perm(user, perm, unit):
        raise PermissionDenied


# --- declaring a view's rule ----------------------------------------------------------------


def _mark(view: Any, rule: Rule) -> Any:
    """A new function carrying ``rule`` (a shared third-party view is never changed)."""

    @functools.wraps(view)
    def marked(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    setattr(marked, ATTR, rule)
    return marked


def public(view: Any) -> Any:
    """Anonymous may use this route (login, health check, language switch)."""
    return _mark(view, Rule(Kind.PUBLIC))


def account(view: Any) -> Any:
    """Any signed-in user, read-only roles included, for their own account (log out,
    password change)."""
    return _mark(view, Rule(Kind.ACCOUNT))


def gate(*perms: str) -> Callable[[Any], Any]:
    """A function view behind the gate; one of ``perms`` (if any are named) must be held
    somewhere in the user's positions (the object's own unit is checked by the view with
    :func:`require_perm`)."""
    rule = Rule(Kind.GATED, perms[0] if len(perms) == 1 else (perms or None))

    def decorator(view: Callable[..., HttpResponse]) -> Any:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refused = page_refusal(request, rule)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        setattr(wrapped, ATTR, rule)
        return wrapped

    return decorator


class GateMixin:
    """The class-based twin of :func:`gate`: set ``gate_perm`` on the view class."""

    gate_perm: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        setattr(cls, ATTR, Rule(Kind.GATED, cls.gate_perm))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = page_refusal(request, Rule(Kind.GATED, self.gate_perm))
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


def rule_of(view: Any) -> Rule | None:
    """The rule a view declares (function view, ``as_view()`` of a class, DRF view)."""
    rule = getattr(view, ATTR, None)
    if rule is None:
        cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
        rule = getattr(cls, ATTR, None)
    return rule


# --- pages ------------------------------------------------------------------------------------


def page_refusal(request: HttpRequest, rule: Rule) -> HttpResponse | None:
    outcome = decide(getattr(request, "user", None), request.method or "GET", rule)
    if outcome is Outcome.LOGIN:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if outcome is Outcome.FORBIDDEN:
        raise PermissionDenied
    return None


# --- API ----------------------------------------------------------------------------------------


class GatePermission(BasePermission):
    """The API twin of :func:`gate`: the same :func:`decide`, DRF's 401/403.

    A view names its permission with the class attribute ``gate_perm``."""

    def has_permission(self, request: Any, view: Any) -> bool:
        rule = Rule(Kind.GATED, getattr(view, "gate_perm", None))
        outcome = decide(request.user, request.method, rule)
        if outcome is Outcome.LOGIN:
            raise drf_exceptions.NotAuthenticated
        if outcome is Outcome.FORBIDDEN:
            if request.method.upper() not in READ_METHODS and is_read_only(request.user):
                raise drf_exceptions.PermissionDenied(_("A read-only role cannot change data."))
            raise drf_exceptions.PermissionDenied
        return True


def _is_drf(view: Any) -> bool:
    cls = getattr(view, "cls", None)
    return cls is not None and hasattr(cls, "permission_classes")


def json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


class GateMiddleware:
    """Every resolved route passes :func:`decide` before its view runs (fail closed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        rule = rule_of(view)
        if _is_drf(view):
            if rule is not None and rule.kind is Kind.PUBLIC:
                return None
            if GatePermission not in view.cls.permission_classes:
                # an API view that does not pass the gate is refused, whoever asks
                return json_error(403, "forbidden", _("You do not have permission for this."))
            return None  # DRF authenticates the token, then GatePermission decides
        if rule is None and request.path == resolve_url(settings.LOGIN_URL):
            return None  # the login page is public by nature (never a redirect to itself)
        return page_refusal(request, rule or DEFAULT)
