"""Panels of the people app on other pages: transfers and exemptions on the person page,
transfers in transit on the unit page, overdue transfers on the to-do page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from ptdv.access.permissions import has_perm, has_perm_anywhere
from ptdv.people.models import MEMBER_STATUSES, MembershipStatus, TransferStatus


def person_transfers_panel(request: HttpRequest, person: Any) -> str | None:
    from ptdv.people.transfers import selectors as sel

    today = timezone.localdate()
    transfers = list(sel.transfers_of(user=request.user, person=person))
    exemptions = list(sel.exemptions_of(person))
    can_edit = has_perm(request.user, "people.edit", person.org_unit)
    is_member = person.status in MEMBER_STATUSES
    open_transfer = any(
        t.status == TransferStatus.ISSUED
        or (t.kind == "temporary" and t.status == TransferStatus.RECEIVED)
        for t in transfers
    )
    can_issue = can_edit and is_member and not open_transfer
    can_arrive = can_edit and person.status in {
        MembershipStatus.NONE,
        MembershipStatus.TRANSFERRED_OUT,
    }
    if not (transfers or exemptions or can_issue or can_arrive):
        return None
    return render_to_string(
        "people/transfers/_person_panel.html",
        {
            "person": person,
            "transfers": transfers,
            "exemptions": [(e, sel.exemption_active(e, today)) for e in exemptions],
            "can_issue": can_issue,
            "can_arrive": can_arrive,
            "can_exempt": can_edit and is_member,
            "can_edit": can_edit,
            "today": today,
        },
        request=request,
    )


def org_transfers_panel(request: HttpRequest, unit: Any) -> str | None:
    from ptdv.people.transfers import selectors as sel

    if not has_perm(request.user, "people.view", unit):
        return None
    today = timezone.localdate()
    touching = sel.transfers_touching(user=request.user, unit=unit)
    transit = list(sel.in_transit(touching)[:50])
    hosted = list(sel.temporary_hosted_on(unit, today)[:50])
    exempted = list(sel.exempted_on(unit, today)[:50])
    if not (transit or hosted or exempted):
        return None
    outgoing = [t for t in transit if t.from_unit and t.from_unit.path.startswith(unit.path)]
    incoming = [t for t in transit if t not in outgoing]
    return render_to_string(
        "people/transfers/_org_panel.html",
        {
            "unit": unit,
            "outgoing": outgoing,
            "incoming": incoming,
            "hosted": hosted,
            "exempted": exempted,
            "today": today,
        },
        request=request,
    )


def todo_transfers_panel(request: HttpRequest, today: dt.date) -> str | None:
    """Overdue transfers on the to-do page of both sides (each sees its own)."""
    from ptdv.people.transfers import selectors as sel

    if not has_perm_anywhere(request.user, "people.view"):
        return None
    rows = list(sel.overdue(sel.transfers_visible_to(request.user), today)[:200])
    if not rows:
        return None
    return render_to_string(
        "people/transfers/_todo_panel.html",
        {"transfers": rows, "today": today},
        request=request,
    )


def person_relatives_panel(request: HttpRequest, person: Any) -> str | None:
    """The relatives (background form 2-KNĐ) with a link to their page."""
    rows = list(person.relatives.all()[:30])
    can_edit = has_perm(request.user, "people.edit", person.org_unit)
    if not rows and not can_edit:
        return None
    return render_to_string(
        "people/_relatives_panel.html",
        {"person": person, "relatives": rows, "can_edit": can_edit},
        request=request,
    )


PERSON_PANELS = [(35, person_transfers_panel), (36, person_relatives_panel)]
ORG_PANELS = [(30, org_transfers_panel)]
TODO_PANELS = [(10, todo_transfers_panel)]
