"""The duplicate-merging pages (routed under /exchange/duplicates/, names ``exchange:…``,
as before the tool moved beside people). Thin views: access → parse → act → respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.access.scope import scope_q
from ptdv.core.errors import DomainError
from ptdv.people.merging.selectors import duplicate_pairs
from ptdv.people.merging.services import duplicate_dismiss as dismiss
from ptdv.people.merging.services import person_merge, person_unmerge
from ptdv.people.models import MergeRecord
from ptdv.people.selectors import person_get_for


@gate("exchange.merge")
def duplicates(request: HttpRequest) -> HttpResponse:
    merges = (
        MergeRecord.objects.filter(
            scope_q(request.user, field="kept__org_unit", perm="exchange.merge")
        )
        .select_related("kept", "duplicate", "user")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "people/duplicates.html",
        {"pairs": duplicate_pairs(user=request.user), "merges": merges},
    )


def _two_people(request: HttpRequest) -> tuple[Any, Any]:
    a = person_get_for(user=request.user, uid=request.POST.get("a", ""), perm="exchange.merge")
    b = person_get_for(user=request.user, uid=request.POST.get("b", ""), perm="exchange.merge")
    return a, b


@gate("exchange.merge")
@require_POST
def duplicate_merge(request: HttpRequest) -> HttpResponse:
    try:
        a, b = _two_people(request)
    except (ValidationError, ValueError):
        raise Http404
    kept, dup = (b, a) if request.POST.get("keep") == "b" else (a, b)
    try:
        person_merge(
            actor=request.user, kept=kept, duplicate=dup, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Merged: %(dup)s into %(kept)s.") % {"dup": dup, "kept": kept})
    return redirect("exchange:duplicates")


@gate("exchange.merge")
@require_POST
def duplicate_dismiss(request: HttpRequest) -> HttpResponse:
    try:
        a, b = _two_people(request)
    except (ValidationError, ValueError):
        raise Http404
    try:
        dismiss(actor=request.user, a=a, b=b)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("exchange:duplicates")


@gate("exchange.merge")
@require_POST
def merge_undo(request: HttpRequest, uid: str) -> HttpResponse:
    merge = (
        MergeRecord.objects.filter(
            scope_q(request.user, field="kept__org_unit", perm="exchange.merge")
        )
        .filter(uid=uid)
        .first()
    )
    if merge is None:
        raise Http404
    try:
        person_unmerge(actor=request.user, merge=merge)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The merge was undone."))
    return redirect("exchange:duplicates")
