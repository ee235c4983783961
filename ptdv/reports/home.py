"""The start page (``/``): what to do, where to find a person, the user's figures.

It composes every app (quick links to each, figures of the reports, overdue cases of
admissions), so it lives in the top domain layer (reports), not in core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ptdv.access.models import Role
from ptdv.access.permissions import has_perm_anywhere
from ptdv.accounts.selectors import positions_for
from ptdv.reports import pipeline
from ptdv.reports.forms import Params, drill_url
from ptdv.reports.selectors import Period, default_org_for, indicator_counts


@dataclass(frozen=True)
class QuickLink:
    url_name: str
    label: Promise
    hint: Promise
    perm: str
    primary: bool = False


# The start page's tiles, in the order an officer reaches for them. A link whose URL name
# does not exist (an app still being built) or whose permission the user lacks is skipped.
QUICK_LINKS = [
    QuickLink(
        "admissions:todo",
        _("To do"),
        _("Admission cases waiting for you, nearest deadline first"),
        "admissions.view",
        primary=True,
    ),
    QuickLink(
        "admissions:case_list",
        _("Admission cases"),
        _("Every case from the source list to the decision"),
        "admissions.view",
    ),
    QuickLink("training:list", _("Classes"), _("Classes of the political centre"), "training.view"),
    QuickLink(
        "organizations:tree",
        _("Party organizations"),
        _("The tree down to every cell, with member counts"),
        "orgs.view",
    ),
    QuickLink(
        "reports:dashboard",
        _("Overview"),
        _("Charts: members, pipeline, targets, gaps"),
        "reports.view",
    ),
    QuickLink(
        "reports:statistics",
        _("Statistics"),
        _("Every figure with the list of people behind it; Excel export"),
        "reports.view",
    ),
    QuickLink("reports:article", _("Report"), _("The written report, as PDF"), "reports.view"),
    QuickLink(
        "targets:index", _("Targets"), _("Admission targets per term and year"), "targets.view"
    ),
    QuickLink(
        "exchange:index",
        _("Data import/export"),
        _("Bring in an Excel list, export the registry"),
        "exchange.import",
    ),
    QuickLink("access:positions", _("Positions"), _("Who may do what, and where"), "access.manage"),
]


def quick_links(user: Any) -> list[dict[str, Any]]:
    links = []
    for link in QUICK_LINKS:
        if not has_perm_anywhere(user, link.perm):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        primary = link.primary or (  # the political centre's own work
            link.url_name == "training:list"
            and has_perm_anywhere(user, "training.manage")
            and not has_perm_anywhere(user, "admissions.view")
        )
        links.append({"url": url, "label": link.label, "hint": link.hint, "primary": primary})
    return links


def _figures(user: Any, today: dt.date) -> dict[str, Any] | None:
    """Three numbers of the user's own organization, each opening its list of people."""
    if not has_perm_anywhere(user, "reports.view"):
        return None
    org = default_org_for(user)
    if org is None:
        return None
    year = Period(dt.date(today.year, 1, 1), today)
    params = Params(org, year, today)
    now = Period(today, today)
    members = indicator_counts(["members.official", "members.probationary"], org, now)
    admitted = indicator_counts(["admitted"], org, year)["admitted"]
    return {
        "org": org,
        "year": today.year,
        "official": members["members.official"],
        "official_href": drill_url("members.official", params, period=now),
        "probationary": members["members.probationary"],
        "probationary_href": drill_url("members.probationary", params, period=now),
        "admitted": admitted,
        "admitted_href": drill_url("admitted", params),
        "overdue": (
            pipeline.overdue_items(org, today)
            if has_perm_anywhere(user, "admissions.view")
            else None
        ),
    }


TRAINING_ACTIONS = {
    "accept": _("Accept the nominations"),
    "start": _("The class opens: check the roster"),
    "attendance": _("Take attendance"),
    "results": _("Record the results and close the class"),
}


def _next_actions(user: Any, today: dt.date) -> dict[str, Any]:
    """What the user should do next: the admission deadlines of their subtree (cells,
    grassroots committees, the organization board), the political centre's classes."""
    out: dict[str, Any] = {}
    if has_perm_anywhere(user, "admissions.view"):
        from ptdv.admissions import selectors as adm
        from ptdv.admissions.views import todo_rows

        cases = list(adm.todo_for(user=user, today=today)[:11])
        out["todo"] = todo_rows(cases[:10], today)
        out["todo_more"] = len(cases) > 10
    if has_perm_anywhere(user, "training.manage"):
        from ptdv.training.home_selectors import next_actions_for

        actions = next_actions_for(user=user, today=today)
        out["training"] = [
            {"action": a, "label": TRAINING_ACTIONS[a.what], "overdue": a.due < today}
            for a in actions[:10]
        ]
    return out


def home(request: HttpRequest) -> HttpResponse:
    """The start page: what to do, where to find a person, the user's figures. A leader
    (read-only) lands on the overview charts, which is what they open the system for."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    positions = positions_for(user)
    if positions and all(p.role == Role.LEADER for p in positions):
        return redirect("reports:dashboard")
    today = timezone.localdate()
    ctx = {
        "positions": positions,
        "links": quick_links(user),
        "can_search": has_perm_anywhere(user, "people.view"),
        "figures": _figures(user, today),
        "next": _next_actions(user, today),
        "today": today,
    }
    try:
        ctx["overdue_url"] = reverse("admissions:todo")
    except NoReverseMatch:
        ctx["overdue_url"] = reverse("reports:dashboard") + "#overdue-card"
    return render(request, "core/home.html", ctx)
