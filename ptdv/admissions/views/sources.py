"""The source lists: the page of lists, a new list, notes and removal of an entry (the
list's own page is ``source_views``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate
from ptdv.admissions import forms, selectors
from ptdv.admissions import services as S
from ptdv.admissions.models import SourceEntry
from ptdv.core.errors import DomainError
from ptdv.organizations.selectors import units_visible_to


@gate("admissions.view")
def sources(request: HttpRequest) -> HttpResponse:
    unit = None
    code = request.GET.get("org", "").strip()
    if code:
        unit = units_visible_to(request.user, perm="admissions.view").filter(code=code).first()
        if unit is None:
            raise Http404
    lists = selectors.source_lists_for(user=request.user, unit=unit).order_by(
        "org_unit__path", "-year", "-term"
    )
    page = Paginator(lists, 50).get_page(request.GET.get("page"))
    form = forms.SourceListForm(initial={"org": code, "year": timezone.localdate().year})
    return render(request, "admissions/sources.html", {"page": page, "form": form, "org": code})


@gate("admissions.act")
@require_POST
def source_list_create(request: HttpRequest) -> HttpResponse:
    form = forms.SourceListForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the form."))
        return redirect("admissions:sources")
    unit = (
        units_visible_to(request.user, perm="admissions.act")
        .filter(code=form.cleaned_data["org"].strip())
        .first()
    )
    if unit is None:
        raise Http404
    try:
        sl = S.source_list_get_or_create(
            actor=request.user,
            org_unit=unit,
            year=form.cleaned_data["year"],
            term=form.cleaned_data["term"] or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("admissions:sources")
    return redirect("admissions:source_list", uid=sl.uid)


def _entry_for(request: HttpRequest, uid: Any) -> SourceEntry:
    return selectors.source_entry_get_for(user=request.user, uid=uid)


@gate("admissions.view")
@require_POST
def source_note_add(request: HttpRequest, uid: Any) -> HttpResponse:
    entry = _entry_for(request, uid)
    form = forms.SourceNoteForm(request.POST)
    if form.is_valid():
        try:
            S.source_note_add(
                actor=request.user,
                entry=entry,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("admissions:source_list", uid=entry.source_list.uid)


@gate("admissions.view")
@require_POST
def source_entry_remove(request: HttpRequest, uid: Any) -> HttpResponse:
    entry = _entry_for(request, uid)
    form = forms.SourceRemoveForm(request.POST)
    if form.is_valid():
        try:
            S.source_entry_remove(
                actor=request.user,
                entry=entry,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("admissions:source_list", uid=entry.source_list.uid)
