"""``loaddemo --reset`` empties only a database that holds the demo (or an empty one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.demo.management.commands.loaddemo import Command
from ptdv.demo.steps.people import DEMO_USERS
from ptdv.organizations.models import OrgKind, OrgUnit


@pytest.fixture
def empty_build(monkeypatch: Any) -> list[bool]:
    """The full load takes minutes and is tested elsewhere: an empty build stands in."""
    built: list[bool] = []
    monkeypatch.setattr(Command, "_build", lambda self, fast=False: built.append(True) or [])
    monkeypatch.setattr(Command, "_print_logins", lambda self, logins=None: None)
    monkeypatch.setattr(Command, "_restore_shipped", lambda self: False)  # test_shipped.py
    return built


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.create(code=code, name=f"Đảng bộ {code}", kind=OrgKind.DISTRICT)


@pytest.mark.django_db(transaction=True)
def test_reset_refuses_a_database_without_the_demo(empty_build: list[bool]) -> None:
    _unit("BK")
    get_user_model().objects.create_user("canbo", password="x")
    with pytest.raises(CommandError, match="--reset"):
        call_command("loaddemo", "--reset", verbosity=0)
    assert OrgUnit.objects.filter(code="BK").exists()  # nothing erased
    assert get_user_model().objects.filter(username="canbo").exists()
    assert not empty_build


@pytest.mark.django_db(transaction=True)
def test_reset_refuses_a_district_named_like_the_demo_without_its_accounts(
    empty_build: list[bool],
) -> None:
    _unit("CD")  # a real Chợ Đồn registry is not the demo
    with pytest.raises(CommandError):
        call_command("loaddemo", "--reset", verbosity=0)
    assert OrgUnit.objects.filter(code="CD").exists()


@pytest.mark.django_db(transaction=True)
def test_reset_rebuilds_the_demo(empty_build: list[bool]) -> None:
    _unit("CD")
    User = get_user_model()
    User.objects.create_user("admin", password="x")
    for username, *_rest in DEMO_USERS:
        User.objects.create_user(username, password="x")
    call_command("loaddemo", "--reset", verbosity=0)
    assert not OrgUnit.objects.exists()  # flushed, then the (empty) build ran
    assert empty_build == [True]


@pytest.mark.django_db(transaction=True)
def test_reset_of_an_empty_database_builds(empty_build: list[bool]) -> None:
    call_command("loaddemo", "--reset", verbosity=0)
    assert empty_build == [True]
