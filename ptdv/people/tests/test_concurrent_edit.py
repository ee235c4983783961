"""Two people saving the same person form: the second save is refused with what the first
changed, and nothing of it is written (optimistic locking on ``updated_at``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ptdv.people.models import Person
from ptdv.people.tests.test_views import person_post_data

pytestmark = pytest.mark.django_db


def _opened_form(client: Client, url: str) -> str:
    """The version hidden in the form as the browser received it."""
    page = client.get(url).content.decode()
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


def test_the_second_save_of_the_same_person_is_refused_with_what_changed(
    personas: Any, registry: Any
) -> None:
    person = registry.member
    url = reverse("people:edit", args=[person.uid])
    first, second = Client(), Client()
    first.force_login(personas.district_officer)
    second.force_login(personas.cell_secretary)
    version_first = _opened_form(first, url)
    version_second = _opened_form(second, url)  # both open the form on the same record

    r = first.post(url, person_post_data(person, phone="0912000111") | {"version": version_first})
    assert r.status_code == 302

    r = second.post(
        url, person_post_data(person, workplace="Trường Mầm non") | {"version": version_second}
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "bantochuc" in page  # who saved in between
    assert "0912000111" in page  # what they changed
    assert "không được lưu" in page
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.phone == "0912000111" and fresh.workplace == ""  # nothing overwritten
    # the form keeps what the second editor typed, on the new version: saving again is a
    # deliberate decision and goes through
    assert 'value="Trường Mầm non"' in page
    new_version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    assert new_version != version_second
    r = second.post(
        url,
        # having read the message, the second editor keeps the other's phone number
        person_post_data(fresh, workplace="Trường Mầm non", phone=fresh.phone)
        | {"version": new_version},
    )
    assert r.status_code == 302
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.phone == "0912000111" and fresh.workplace == "Trường Mầm non"


def test_a_save_without_a_newer_version_in_between_goes_through(
    personas: Any, registry: Any
) -> None:
    url = reverse("people:edit", args=[registry.member.uid])
    c = Client()
    c.force_login(personas.district_officer)
    version = _opened_form(c, url)
    r = c.post(url, person_post_data(registry.member, phone="0988") | {"version": version})
    assert r.status_code == 302
    assert Person.objects.get(pk=registry.member.pk).phone == "0988"
