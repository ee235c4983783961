"""Registry pages: the list, the person page, the forms, and the audited CCCD reveal."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.access.permissions import has_perm, has_perm_anywhere
from ptdv.audit.selectors import entries_for, history_rows
from ptdv.core.errors import DomainError
from ptdv.core.http import (
    AuthenticatedRequest,
    add_domain_error,
    render_panels,
)
from ptdv.core.keyset import keyset_page, query_without_cursor
from ptdv.organizations.models import CELL_KINDS
from ptdv.organizations.selectors import (
    residential_units_visible_to,
    units_visible_to,
    valid_on,
)
from ptdv.people import rules, services
from ptdv.people.forms import MembershipEventForm, PersonFilterForm, PersonForm
from ptdv.people.models import EventKind, Person
from ptdv.people.residence_views import residence_history
from ptdv.people.selectors import (
    PERSON_LIST_ORDER,
    PersonFilters,
    person_get_for,
    person_list_for,
    unit_filter_units,
)


def _edit_units(request: AuthenticatedRequest) -> Any:
    return valid_on(units_visible_to(request.user, perm="people.edit"), timezone.localdate())


@require_GET
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    units = units_visible_to(request.user).order_by("path")
    data = request.GET.copy()
    if "status" not in data and not data.get("q"):
        # The list opens on the people still in the work (masses and members), page after
        # page; a search by name or number looks at everyone unless a status is chosen.
        data["status"] = "current"
    form = PersonFilterForm(data, units=units)
    filters = PersonFilters()
    valid = form.is_valid()
    form.show_units(unit_filter_units(request.user, chosen=form.cleaned_data.get("org")))
    if valid:
        d = form.cleaned_data
        filters = PersonFilters(
            q=d["q"],
            status=d["status"],
            org_unit=d["org"],
            ethnicity=d["ethnicity"],
            gender=d["gender"],
        )
    page = keyset_page(
        request, person_list_for(user=request.user, filters=filters), PERSON_LIST_ORDER
    )
    ctx = {
        "form": form,
        "page": page,
        "query": query_without_cursor(request),
        "can_create": has_perm_anywhere(request.user, "people.edit"),
    }
    if request.htmx and request.htmx.target == "people-results":
        return render(request, "people/_results.html", ctx)
    return render(request, "people/list.html", ctx)


@require_GET
def unit_options(request: AuthenticatedRequest) -> HttpResponse:
    """The options of the people list's organization filter: the units whose name or
    code holds every word typed (diacritics optional), or the default short list."""
    from ptdv.organizations.selectors import dated_search

    query = request.GET.get("unit_q", "").strip()[:120]
    form = PersonFilterForm(request.GET, units=units_visible_to(request.user))
    chosen = form.cleaned_data.get("org") if form.is_valid() else None
    if query:
        found = dated_search(request.user, timezone.localdate(), query, size=30)
        units = [n.unit for n in found.nodes]
        if chosen is not None and all(u.pk != chosen.pk for u in units):
            units.insert(0, chosen)  # the current choice stays
    else:
        units = unit_filter_units(request.user, chosen=chosen)
    form.show_units(units)
    return render(request, "people/_unit_options.html", {"field": form["org"]})


@require_GET
def person_detail(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    today = timezone.localdate()
    events = person.events.select_related("org_unit", "created_by").order_by("date", "id")
    ctx = {
        "person": person,
        "events": events,
        "party_age": rules.party_age(person.party_age_from, today) if person.is_member else None,
        "age_years": rules.age_in_months(person.date_of_birth, today) // 12,
        "history": history_rows(entries_for(person)[:100]),
        "rows": residence_history(person),
        "panels": render_panels(request, "PERSON_PANELS", person),
        "can_edit": has_perm(request.user, "people.edit", person.org_unit),
        "can_reveal": bool(person.citizen_id)
        and has_perm(request.user, "people.reveal_citizen_id", person.org_unit),
    }
    return render(request, "people/detail.html", ctx)


def _version(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _person_data(cleaned: dict[str, Any]) -> dict[str, Any]:
    data = dict(cleaned)
    data.pop("org_unit", None)
    return data


@gate("people.edit")
@require_http_methods(["GET", "POST"])
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    units = _edit_units(request).order_by("path")
    initial: dict[str, Any] = {"ethnicity": "01"}
    if request.GET.get("org"):
        initial["org_unit"] = units.filter(uid=request.GET["org"]).first()
    form = PersonForm(
        request.POST or None,
        units=units,
        villages=residential_units_visible_to(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["org_unit"]
        try:
            require_perm(request.user, "people.edit", unit)
            person = services.person_create(
                actor=request.user, org_unit=unit, **_person_data(form.cleaned_data)
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The person was added."))
            return redirect("people:detail", uid=person.uid)
    return render(request, "people/form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_edit(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    initial = {name: getattr(person, name) for name in PersonForm.base_fields}
    # the version the form is built from: a save over someone else's newer save is refused
    initial["version"] = person.updated_at.isoformat()
    form = PersonForm(
        request.POST.copy() if request.method == "POST" else None,
        units=units_visible_to(request.user, perm="people.edit").order_by("path"),
        villages=residential_units_visible_to(request.user),
        with_unit=not person.is_member,
        initial=initial,
    )
    form.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
    # the current village changes only through a dated move (residence_views): no silent edit
    del form.fields["residential_unit"]
    if request.method == "POST" and form.is_valid():
        changes = _person_data(form.cleaned_data)
        version = _version(changes.pop("version", ""))
        if "org_unit" in form.cleaned_data:
            require_perm(request.user, "people.edit", form.cleaned_data["org_unit"])
            changes["org_unit"] = form.cleaned_data["org_unit"]
        try:
            services.person_update(
                actor=request.user, person=person, expected_version=version, **changes
            )
        except services.StaleEditError as e:
            add_domain_error(form, e)
            # the next save is deliberate (the form's data is the POST's mutable copy)
            cast(QueryDict, form.data)["version"] = e.current_version.isoformat()
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("people:detail", uid=person.uid)
    return render(request, "people/form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def event_add(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.edit", person.org_unit)
    decide = has_perm(request.user, "people.decide", person.org_unit)
    kinds = [
        (k, label) for k, label in EventKind.choices if decide or k not in rules.DECISION_EVENTS
    ]
    cells = _edit_units(request).filter(kind__in=list(CELL_KINDS)).order_by("path")
    form = MembershipEventForm(
        request.POST or None,
        cells=cells,
        kinds=kinds,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.membership_event_add(
                actor=request.user,
                person=person,
                kind=d["kind"],
                date=d["date"],
                org_unit=d["org_unit"],
                decision_number=d["decision_number"],
                decision_date=d["decision_date"],
                card_number=d["card_number"],
                arrives_as=d["arrives_as"],
                note=d["note"],
            )
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("The membership event was recorded."))
            return redirect("people:detail", uid=person.uid)
    return render(request, "people/event_form.html", {"form": form, "person": person})


@require_POST
def citizen_id_reveal(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    person: Person = person_get_for(user=request.user, uid=uid)
    require_perm(request.user, "people.reveal_citizen_id", person.org_unit)
    value = services.person_reveal_citizen_id(actor=request.user, person=person)
    return render(request, "people/_citizen_id.html", {"person": person, "revealed": value})


@gate("people.view")
@require_http_methods(["GET", "POST"])
def relatives(request: AuthenticatedRequest, uid: Any) -> HttpResponse:
    """The relatives of a person (background form 2-KNĐ, vetting): the list and the form
    to add one."""
    from ptdv.people.forms import RelativeForm

    person = person_get_for(user=request.user, uid=uid)
    can_edit = has_perm(request.user, "people.edit", person.org_unit)
    form = RelativeForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "people.edit", person.org_unit)
        if "remove" in request.POST:
            rel = person.relatives.filter(uid=request.POST["remove"]).first()
            if rel is not None:
                try:
                    services.relative_remove(actor=request.user, relative=rel)
                except DomainError as e:
                    messages.error(request, e.message)
                else:
                    messages.success(request, _("The relative was removed."))
            return redirect("people:relatives", uid=person.uid)
        if form.is_valid():
            try:
                services.relative_add(actor=request.user, person=person, **form.cleaned_data)
            except DomainError as e:
                add_domain_error(form, e)
            else:
                messages.success(request, _("The relative was added."))
                return redirect("people:relatives", uid=person.uid)
    return render(
        request,
        "people/relatives.html",
        {
            "person": person,
            "relatives": person.relatives.all(),
            "form": form,
            "can_edit": can_edit,
        },
    )
