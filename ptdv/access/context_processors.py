from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from ptdv.access.permissions import has_perm_anywhere
from ptdv.core.registry import app_modules


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu of the user's permissions, built once per request (a page rendering its
    panels with the request runs the context processors once per panel)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    built: dict[str, Any] | None = request.__dict__.get("_ptdv_navigation")
    if built is None:
        built = request.__dict__["_ptdv_navigation"] = _navigation(request, user)
    return built


def _navigation(request: HttpRequest, user: Any) -> dict[str, Any]:
    items = []
    for module in app_modules("nav"):
        for item in getattr(module, "NAV", []):
            if item.perm and not has_perm_anywhere(user, item.perm):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append((item.order, str(item.label), url))
    items.sort()
    current = request.path
    # the longest matching entry is the active one (/people/transfers/ is not /people/)
    matches = [url for _, _label, url in items if url != "/" and current.startswith(url)]
    active = max(matches, key=len) if matches else None
    return {
        "nav_items": [
            {"label": label, "url": url, "active": url == active} for _, label, url in items
        ]
    }
