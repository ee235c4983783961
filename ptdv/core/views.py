from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ptdv.access.selectors import positions_for


def home(request: HttpRequest) -> HttpResponse:
    """Landing page: the user's positions and the menu. The reports app may take it over
    with the dashboard."""
    return render(request, "core/home.html", {"positions": positions_for(request.user)})


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})
