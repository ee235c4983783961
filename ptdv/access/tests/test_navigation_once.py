"""The menu is built once per request, however many panels the page renders with it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ptdv.access import context_processors

pytestmark = pytest.mark.django_db


def test_the_menu_is_built_once_per_request(personas: Any, tree: Any, monkeypatch: Any) -> None:
    from ptdv.people.tests.conftest import make_member

    person = make_member(tree.cell, "Lò Văn Một")
    calls: list[str] = []
    real = context_processors._navigation

    def counting(request: Any, user: Any) -> Any:
        calls.append(request.path)
        return real(request, user)

    monkeypatch.setattr(context_processors, "_navigation", counting)
    c = Client()
    c.force_login(personas.district_officer)
    r = c.get(reverse("people:detail", args=[person.uid]))
    assert r.status_code == 200
    assert calls == [r.wsgi_request.path]  # the page and its panels: one menu
    labels = [item["label"] for item in r.context["nav_items"]]
    assert labels and len(labels) == len(set(labels))
    c.get(reverse("people:list"))
    assert len(calls) == 2  # a new request builds its own
