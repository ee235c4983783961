"""The organization board's pages: positions (who holds which role where) and the accounts
of its subtree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.accounts import services
from ptdv.accounts.forms import PositionAssignForm, PositionEndForm, UserCreateForm
from ptdv.accounts.selectors import (
    position_get_for,
    positions_managed_by,
    user_get_managed,
    users_managed_by,
)
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error, form_error_messages
from ptdv.organizations.selectors import units_visible_to, valid_on


@gate("access.manage")
@require_http_methods(["GET", "POST"])
def positions(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    units = valid_on(units_visible_to(request.user, perm="access.manage"), today).order_by("path")
    form = PositionAssignForm(request.POST or None, units=units, initial={"term_start": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.position_assign(actor=request.user, **d)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The position was assigned."))
            return redirect("access:positions")
    show_ended = request.GET.get("ended") == "1"
    qs = positions_managed_by(request.user)
    if not show_ended:
        qs = qs.filter(term_end__isnull=True)
    return render(
        request,
        "accounts/positions.html",
        {"form": form, "positions": qs, "show_ended": show_ended, "today": today},
    )


@gate("access.manage")
@require_POST
def position_end(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    position = position_get_for(user=request.user, uid=uid)
    require_perm(request.user, "access.manage", position.org_unit)
    form = PositionEndForm(request.POST)
    if form.is_valid():
        try:
            services.position_end(
                actor=request.user, position=position, term_end=form.cleaned_data["term_end"]
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The position was ended."))
    else:
        for error in form_error_messages(form):
            messages.error(request, error)
    if request.POST.get("back") == "user":
        return redirect("access:user_detail", pk=position.user_id)
    return redirect("access:positions")


# --- accounts of the subtree ----------------------------------------------------------------


@gate("access.manage")
@require_http_methods(["GET"])
def users(request: AuthenticatedRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    qs = users_managed_by(request.user).select_related("account_profile")
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    return render(request, "accounts/users.html", {"users": qs, "q": query})


@gate("access.manage")
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    units = valid_on(units_visible_to(request.user, perm="access.manage"), today).order_by("path")
    form = UserCreateForm(request.POST or None, units=units, initial={"term_start": today})
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            # rendered, not redirected: the password is shown once and kept nowhere
            return render(
                request,
                "accounts/user_password.html",
                {"account": user, "password": password, "created": True},
            )
    return render(request, "accounts/user_create.html", {"form": form})


@gate("access.manage")
@require_http_methods(["GET", "POST"])
def user_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get_managed(user=request.user, pk=pk)
    today = timezone.localdate()
    units = valid_on(units_visible_to(request.user, perm="access.manage"), today).order_by("path")
    form = PositionAssignForm(
        request.POST or None,
        units=units,
        initial={"term_start": today},
    )
    del form.fields["password"], form.fields["username"]  # this account
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "username": account.get_username()}
        try:
            services.position_assign(actor=request.user, **data)
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The position was assigned."))
            return redirect("access:user_detail", pk=account.pk)
    positions = positions_managed_by(request.user).filter(user=account)
    return render(
        request,
        "accounts/user_detail.html",
        {"account": account, "positions": positions, "form": form, "today": today},
    )


@gate("access.manage")
@require_POST
def user_set_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get_managed(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("The account was reactivated.") if active else _("The account was deactivated."),
        )
    return redirect("access:user_detail", pk=account.pk)


@gate("access.manage")
@require_POST
def user_reset_password(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = user_get_managed(user=request.user, pk=pk)
    try:
        password = services.user_reset_password(actor=request.user, user=account)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("access:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/user_password.html",
        {"account": account, "password": password, "created": False},
    )
