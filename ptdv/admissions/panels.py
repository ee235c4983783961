"""The admission panel of the person page: the person's cases and their deadlines."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from ptdv.access.permissions import has_perm, has_perm_anywhere


def person_cases_panel(request: HttpRequest, person: Any) -> str | None:
    from ptdv.admissions import selectors
    from ptdv.admissions.services import case_deadlines
    from ptdv.admissions.steps import DEADLINE_LABELS

    if not has_perm_anywhere(request.user, "admissions.view"):
        return None
    cases = list(
        selectors.cases_of_person(user=request.user, person=person).select_related("org_unit")
    )
    can_open = (
        not person.is_member
        and person.org_unit.is_cell
        and has_perm(request.user, "admissions.act", person.org_unit)
        and not any(c.is_open for c in cases)
    )
    if not cases and not can_open:
        return None
    rows = [{"case": c, "deadlines": case_deadlines(c) if c.is_open else []} for c in cases]
    return render_to_string(
        "admissions/_person_panel.html",
        {"rows": rows, "person": person, "can_open": can_open, "labels": DEADLINE_LABELS},
        request=request,
    )


PERSON_PANELS = [(40, person_cases_panel)]


def todo_vetting_panel(request: HttpRequest, today: Any) -> str | None:
    """Vetting requests whose reply is overdue, on the to-do page."""
    from ptdv.admissions import vetting

    if not has_perm_anywhere(request.user, "admissions.view"):
        return None
    rows = list(vetting.overdue_for(user=request.user, today=today)[:200])
    if not rows:
        return None
    return render_to_string(
        "admissions/_todo_vetting.html", {"rows": rows, "today": today}, request=request
    )


TODO_PANELS = [(20, todo_vetting_panel)]
