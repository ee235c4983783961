"""The inbox (/inbox/) and the reminder preferences (/account/reminders/): the user's own."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptdv.access.gate import account
from ptdv.reminders import selectors, services
from ptdv.reminders.forms import PreferenceForm


def _labels() -> dict[str, Promise | str]:
    from ptdv.admissions.steps import DEADLINE_LABELS

    return {**DEADLINE_LABELS, "transfer": _("Transfer letter to be received")}


@account
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.inbox_of(request.user, unread_only=unread_only), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reminders/inbox.html",
        {
            "page": page,
            "labels": _labels(),
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@account
@require_http_methods(["GET"])
def badge(request: HttpRequest) -> HttpResponse:
    """The menu's inbox link with the unread count (loaded by HTMX after the page)."""
    return render(
        request, "reminders/_badge.html", {"unread": selectors.unread_count(request.user)}
    )


@account
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    if request.POST.get("all") == "1":
        n = services.mark_read(request.user)
    elif ids:
        n = services.mark_read(request.user, ids)
    else:
        messages.error(request, _("Choose the reminders to mark as read."))
        return redirect("reminders:inbox")
    messages.success(request, _("Marked as read: %(n)d.") % {"n": n})
    return redirect("reminders:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preference_of(request.user)
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.preference_set(request.user, form.cleaned_data)
        messages.success(request, _("Your reminder choices were saved."))
        return redirect("account")
    return render(request, "reminders/preferences.html", {"form": form})
