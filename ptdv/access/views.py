"""The organization board's positions page: who holds which role where."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptdv.access import services
from ptdv.access.forms import PositionAssignForm, PositionEndForm
from ptdv.access.gate import gate
from ptdv.access.selectors import position_get_for, positions_managed_by
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, add_domain_error, require_perm
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
        "access/positions.html",
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
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("access:positions")
