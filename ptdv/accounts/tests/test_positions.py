"""Positions page and services, and the language switch / login basics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ptdv.access.models import Position
from ptdv.access.permissions import has_perm
from ptdv.accounts.services import position_assign, position_end
from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError, PermissionDeniedError

PERSONAS = ["cell_secretary", "district_officer", "sibling_officer", "viewer", "centre_staff"]


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("persona", PERSONAS)
def test_positions_page(personas: Any, persona: str) -> None:
    r = client_for(personas.all()[persona]).get(reverse("access:positions"))
    ok = persona in {"district_officer", "sibling_officer"}
    assert r.status_code == (200 if ok else 403)
    if ok:
        html = r.content.decode()
        assert ("bithu" in html) is (persona == "district_officer")
        assert ("huyenkhac" in html) is (persona == "sibling_officer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_assign_by_post(personas: Any, tree: Any, persona: str) -> None:
    r = client_for(personas.all()[persona]).post(
        reverse("access:positions"),
        {
            "username": "moi",
            "password": "mat-khau-moi-123",
            "org_unit": str(tree.other_cell.uid),
            "role": "committee",
            "term_start": "01/01/2024",
        },
    )
    created = Position.objects.filter(user__username="moi").exists()
    if persona == "district_officer":
        assert r.status_code == 302 and created
    elif persona == "sibling_officer":
        assert r.status_code == 200 and not created  # the cell is not offered
        assert "org_unit" in r.context["form"].errors
    else:
        assert r.status_code == 403 and not created


def test_assign_and_end_are_audited(personas: Any, tree: Any) -> None:
    officer = personas.district_officer
    p = position_assign(
        actor=officer,
        username="bithu",
        org_unit=tree.other_cell,
        role="committee",
        term_start=dt.date(2024, 1, 1),
    )
    e = AuditEntry.objects.get(action="access.position.created")
    assert (e.actor, e.org_unit, e.data["user"]) == (officer, tree.other_cell, "bithu")
    u = get_user_model().objects.get(username="bithu")
    assert has_perm(u, "people.edit", tree.other_cell)
    r = client_for(officer).post(
        reverse("access:position_end", args=[p.uid]), {"term_end": "31/01/2024"}
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.term_end == dt.date(2024, 1, 31)
    e = AuditEntry.objects.get(action="access.position.ended")
    assert e.data["term_end"] == {"old": None, "new": "2024-01-31"}


def test_assign_refusals(personas: Any, tree: Any) -> None:
    with pytest.raises(DomainError) as exc:
        position_assign(
            actor=personas.district_officer,
            username="khong-co",
            org_unit=tree.cell,
            role="committee",
            term_start=dt.date(2024, 1, 1),
        )
    assert exc.value.code == "unknown_user"
    with pytest.raises(PermissionDeniedError):
        position_assign(
            actor=personas.sibling_officer,
            username="bithu",
            org_unit=tree.cell,
            role="leader",
            term_start=dt.date(2024, 1, 1),
        )
    assert not AuditEntry.objects.filter(action__startswith="access.").exists()


def test_end_other_subtree_position_is_404(personas: Any, tree: Any) -> None:
    p = Position.objects.get(user=personas.cell_secretary)
    r = client_for(personas.sibling_officer).post(
        reverse("access:position_end", args=[p.uid]), {"term_end": "31/01/2024"}
    )
    assert r.status_code == 404
    with pytest.raises(PermissionDeniedError):
        position_end(actor=personas.sibling_officer, position=p, term_end=dt.date(2024, 1, 31))


def test_argon2_is_the_production_hasher() -> None:
    from ptdv.config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_page_and_language_switch(personas: Any) -> None:
    from conftest import PASSWORD

    c = Client()
    assert c.get("/people/").status_code == 302  # login required
    r = c.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD})
    assert r.status_code == 302
    html = c.get(reverse("home")).content.decode()
    assert "Nhật ký thay đổi" in html and 'name="language"' in html
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in c.get(reverse("home")).content.decode()
