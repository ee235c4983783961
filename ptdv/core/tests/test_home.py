"""The start page: each role lands where its work is."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_leader_lands_on_the_overview(personas: Any) -> None:
    r = _client(personas.viewer).get(reverse("home"))
    assert r.status_code == 302 and r.url == reverse("reports:dashboard")


@pytest.mark.parametrize("name", ["district_officer", "cell_secretary", "centre_staff"])
def test_officers_get_the_start_page(personas: Any, name: str) -> None:
    html = _client(getattr(personas, name)).get(reverse("home")).content.decode()
    assert 'id="home-search"' in html and 'id="home-figures"' in html
    assert reverse("people:list") in html and reverse("reports:dashboard") in html


def test_links_follow_permissions(personas: Any) -> None:
    officer = _client(personas.district_officer).get(reverse("home")).content.decode()
    centre = _client(personas.centre_staff).get(reverse("home")).content.decode()
    assert reverse("access:positions") in officer
    assert reverse("access:positions") not in centre
    assert reverse("training:list") in centre
    assert reverse("admissions:todo") in officer  # "To do" for those who handle cases
    assert reverse("admissions:todo") not in centre


def test_links_to_apps_not_built_yet_are_skipped(personas: Any) -> None:
    from ptdv.reports.home import QUICK_LINKS, quick_links

    names = [link.url_name for link in QUICK_LINKS]
    assert "admissions:todo" in names  # shown as soon as the admissions app names it
    links = quick_links(personas.district_officer)
    assert links and all(link["url"].startswith("/") for link in links)


def test_user_without_position_is_told_what_to_do(db: Any) -> None:
    user = get_user_model().objects.create_user("newcomer", password="x")
    html = _client(user).get(reverse("home")).content.decode()
    assert "Ban Tổ chức" in html and 'id="home-figures"' not in html
