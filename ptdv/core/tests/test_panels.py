"""Other apps' panels appear on the person and organization pages, in order."""

from __future__ import annotations

import types
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ptdv.core import http


def fake_panels() -> types.ModuleType:
    module = types.ModuleType("ptdv.fake.panels")
    module.PERSON_PANELS = [  # type: ignore[attr-defined]
        (20, lambda request, obj: f"<section id='second'>{obj.full_name}</section>"),
        (10, lambda request, obj: "<section id='first'>một</section>"),
        (30, lambda request, obj: None),  # hidden for this user
    ]
    module.ORG_PANELS = [(10, lambda request, obj: f"<section id='org-panel'>{obj.code}</section>")]  # type: ignore[attr-defined]
    return module


@pytest.fixture
def with_fake_panels(monkeypatch: pytest.MonkeyPatch) -> None:
    module = fake_panels()
    monkeypatch.setattr(
        http, "app_modules", lambda name: iter([module]) if name == "panels" else iter([])
    )


def test_panels_render_in_order(with_fake_panels: None, personas: Any, tree: Any) -> None:
    from ptdv.people.tests.conftest import make_person

    p = make_person(tree.cell, "Bế Văn Panel")
    c = Client()
    c.force_login(personas.district_officer)
    html = c.get(reverse("people:detail", args=[p.uid])).content.decode()
    assert html.index("id='first'") < html.index("id='second'")
    assert "<section id='second'>Bế Văn Panel</section>" in html
    html = c.get(reverse("organizations:detail", args=[tree.cell.uid])).content.decode()
    assert "<section id='org-panel'>A-X-1</section>" in html


def test_vietnamese_by_default_even_for_an_english_browser(personas: Any) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    c.force_login(personas.district_officer)
    assert "Danh sách người" in c.get(reverse("home")).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "People" in c.get(reverse("home")).content.decode()
