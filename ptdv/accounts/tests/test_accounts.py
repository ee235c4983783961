"""Accounts and log-in: throttling with a Vietnamese lockout message, Argon2, password change,
forced change for accounts made by someone else, the board's account pages (scoped), reset by
the board and by e-mail, the second factor, idle sessions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from ptdv.access.auth import profile_for
from ptdv.access.models import AccountProfile, Position, Role
from ptdv.accounts import services
from ptdv.audit.models import AuditEntry

LOCKED = "Đăng nhập sai quá nhiều lần"


def _login(client: Any, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in_as(client: Any) -> str | None:
    r = client.get(reverse("home"))
    if r.status_code != 200:
        return None
    found = re.search(rb'id="current-user"[^>]*>([^<]+)<', r.content)
    return found.group(1).decode() if found else None


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def test_argon2_is_the_first_hasher() -> None:
    import argon2  # noqa: F401 - argon2-cffi is installed

    from ptdv.config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_failed_logins_lock_the_account_with_a_vietnamese_message(
    client: Any, personas: Any, clock: Any, settings: Any
) -> None:
    settings.PTDV_LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.PTDV_LOGIN_LOCKOUT_MINUTES = 15
    for _ in range(2):
        r = _login(client, "bithu", "sai")
        assert "Sai tên đăng nhập hoặc mật khẩu" in r.content.decode()
    r = _login(client, "BiThu", "sai")  # the third failure (names are not case-sensitive)
    assert LOCKED in r.content.decode() and "15 phút" in r.content.decode()
    # locked: even the right password is refused, and the refusal does not extend the lock
    clock.shift(dt.timedelta(minutes=10))
    r = _login(client, "bithu", PASSWORD)
    assert LOCKED in r.content.decode() and "5 phút" in r.content.decode()
    assert _logged_in_as(client) is None
    # another account from elsewhere is not affected
    assert _login(client, "lanhdao", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302
    client.logout()
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert _login(client, "bithu", PASSWORD).status_code == 302
    assert _logged_in_as(client) == "bithu"
    # a success clears the count, and attempts older than 90 days are dropped
    from ptdv.access.models import LoginAttempt

    old = LoginAttempt.objects.create(username="x", at=timezone.now() - dt.timedelta(days=91))
    client.logout()
    for _ in range(2):
        _login(client, "bithu", "sai")
    assert _login(client, "bithu", PASSWORD).status_code == 302
    assert not LoginAttempt.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_failed_logins_lock_the_address(
    client: Any, personas: Any, clock: Any, settings: Any
) -> None:
    settings.PTDV_LOGIN_FAILURES_PER_ACCOUNT = 10
    settings.PTDV_LOGIN_FAILURES_PER_ADDRESS = 4
    for name in ["a1", "a2", "a3", "a4"]:  # guessing names from one address
        _login(client, name, "sai", REMOTE_ADDR="203.0.113.7")
    r = _login(client, "bithu", PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert LOCKED in r.content.decode()
    assert _login(client, "bithu", PASSWORD, REMOTE_ADDR="203.0.113.8").status_code == 302


@pytest.mark.django_db
def test_password_change_page(client: Any, personas: Any) -> None:
    client.force_login(personas.cell_secretary)
    url = reverse("account_password")
    r = client.post(
        url,
        {
            "old_password": "sai",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    r = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert r.status_code == 302
    personas.cell_secretary.refresh_from_db()
    assert personas.cell_secretary.check_password("Mat-khau-moi-2026")
    assert AuditEntry.objects.filter(action="access.user.password_changed").count() == 1
    assert _logged_in_as(client) == "bithu"  # the session survives the change


@pytest.mark.django_db
def test_account_made_by_the_board_must_change_its_password_first(
    client: Any, tree: Any, personas: Any
) -> None:
    user, password = services.user_create(
        actor=personas.district_officer,
        username="bithu2",
        full_name="Lò Văn Hai",
        org_unit=tree.other_cell,
        role=Role.COMMITTEE,
        term_start=dt.date(2026, 1, 1),
    )
    assert len(password) == 12 and user.check_password(password)
    assert _login(client, "bithu2", password).status_code == 302
    r = client.get(reverse("people:list"))
    assert r.status_code == 302 and r["Location"] == reverse("account_password")
    # a fragment the page asks for by itself (the inbox badge) gets nothing, not the
    # password page (whose own badge would ask again, without end)
    r = client.get(reverse("reminders:badge"), HTTP_HX_REQUEST="true")
    assert r.status_code == 204
    r = client.get(reverse("account_password"))
    assert "chọn mật khẩu của riêng mình" in r.content.decode()
    client.post(
        reverse("account_password"),
        {
            "old_password": password,
            "new_password1": "Rieng-toi-2026",
            "new_password2": "Rieng-toi-2026",
        },
    )
    assert client.get(reverse("people:list")).status_code == 200
    assert not AccountProfile.objects.get(user=user).must_change_password
    # accounts the system makes (demo, commands) do not have to
    services.position_assign(
        actor=None,
        username="hethong",
        org_unit=tree.cell,
        role=Role.LEADER,
        term_start=dt.date(2026, 1, 1),
        password="mat-khau-he-thong",
    )
    assert not AccountProfile.objects.filter(user__username="hethong").exists()


@pytest.mark.django_db
def test_the_board_manages_the_accounts_of_its_subtree_only(
    client: Any, tree: Any, personas: Any
) -> None:
    client.force_login(personas.district_officer)
    page = client.get(reverse("access:users")).content.decode()
    assert "bithu" in page and "lanhdao" in page and "huyenkhac" not in page

    r = client.post(
        reverse("access:user_create"),
        {
            "username": "moi",
            "full_name": "Hà Thị Mới",
            "email": "",
            "org_unit": str(tree.sibling_cell.uid),  # not in the district's subtree
            "role": Role.COMMITTEE,
            "term_start": "01/01/2026",
        },
    )
    assert r.status_code == 200 and not get_user_model().objects.filter(username="moi").exists()
    r = client.post(
        reverse("access:user_create"),
        {
            "username": "moi",
            "full_name": "Hà Thị Mới",
            "org_unit": str(tree.cell.uid),
            "role": Role.COMMITTEE,
            "term_start": "01/01/2026",
        },
    )
    shown = re.search(r'id="temporary-password">([^<]+)<', r.content.decode()).group(1)
    new = get_user_model().objects.get(username="moi")
    assert new.check_password(shown) and new.first_name == "Hà Thị Mới"

    # assign and end a position from the account page
    detail = reverse("access:user_detail", args=[new.pk])
    client.post(
        detail,
        {"org_unit": str(tree.other_cell.uid), "role": Role.LEADER, "term_start": "01/02/2026"},
    )
    assert Position.objects.filter(user=new).count() == 2
    position = Position.objects.get(user=new, org_unit=tree.other_cell)
    client.post(
        reverse("access:position_end", args=[position.uid]),
        {"term_end": "02/02/2026", "back": "user"},
    )
    position.refresh_from_db()
    assert position.term_end == dt.date(2026, 2, 2)

    # reset by the board: a new temporary password, to be changed at the next log-in
    r = client.post(reverse("access:user_reset_password", args=[personas.cell_secretary.pk]))
    temporary = re.search(r'id="temporary-password">([^<]+)<', r.content.decode()).group(1)
    personas.cell_secretary.refresh_from_db()
    assert personas.cell_secretary.check_password(temporary)
    assert AccountProfile.objects.get(user=personas.cell_secretary).must_change_password

    # deactivate: the account cannot log in any more
    client.post(reverse("access:user_set_active", args=[new.pk]), {"active": "0"})
    new.refresh_from_db()
    assert not new.is_active
    other = client.__class__()
    assert _login(other, "moi", shown).status_code == 200

    # another district's board: 404 on these accounts; a cell secretary: 403
    client.force_login(personas.sibling_officer)
    assert client.get(reverse("access:user_detail", args=[new.pk])).status_code == 404
    r = client.post(reverse("access:user_reset_password", args=[personas.cell_secretary.pk]))
    assert r.status_code == 404
    client.force_login(personas.viewer)
    assert client.get(reverse("access:users")).status_code == 403
    assert AuditEntry.objects.filter(action__startswith="access.user.").count() >= 3


@pytest.mark.django_db
def test_the_board_cannot_reset_an_account_that_also_sits_higher(tree: Any, personas: Any) -> None:
    from ptdv.core.errors import PermissionDeniedError

    Position.objects.create(
        user=personas.viewer,
        org_unit=tree.province,
        role=Role.LEADER,
        term_start=dt.date(2020, 1, 1),
    )
    with pytest.raises(PermissionDeniedError):
        services.user_reset_password(actor=personas.district_officer, user=personas.viewer)
    with pytest.raises(PermissionDeniedError):
        services.user_set_active(
            actor=personas.district_officer, user=personas.viewer, active=False
        )


@pytest.mark.django_db
def test_sessions_end_after_inactivity(
    client: Any, personas: Any, clock: Any, settings: Any
) -> None:
    settings.PTDV_SESSION_IDLE_MINUTES = 30
    assert _login(client, "bithu", PASSWORD).status_code == 302
    clock.shift(dt.timedelta(minutes=29))
    assert _logged_in_as(client) == "bithu"  # activity moves the deadline
    clock.shift(dt.timedelta(minutes=29))
    assert _logged_in_as(client) == "bithu"
    clock.shift(dt.timedelta(minutes=31))
    r = client.get(reverse("people:list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    r = client.get(r["Location"])
    assert "30 phút" in r.content.decode()
    assert _logged_in_as(client) is None


@pytest.mark.django_db
def test_second_factor(client: Any, personas: Any, clock: Any, settings: Any) -> None:
    client.force_login(personas.cell_secretary)
    r = client.get(reverse("account_totp"))
    assert "<svg" in r.content.decode()
    secret = client.session["ptdv_totp_new_secret"]
    totp = pyotp.TOTP(secret)
    r = client.post(
        reverse("account_totp"), {"code": "000000" if totp.now() != "000000" else "111111"}
    )
    assert not profile_for(personas.cell_secretary).totp_enabled
    client.post(reverse("account_totp"), {"code": totp.now()})
    assert AccountProfile.objects.get(user=personas.cell_secretary).totp_enabled
    client.logout()

    clock.shift(dt.timedelta(seconds=30))
    r = _login(client, "bithu", PASSWORD)
    assert r["Location"] == reverse("login_totp")
    assert _logged_in_as(client) is None
    r = client.post(reverse("login_totp"), {"code": "12345"})
    assert _logged_in_as(client) is None
    code = totp.now()
    r = client.post(reverse("login_totp"), {"code": code})
    assert r.status_code == 302 and _logged_in_as(client) == "bithu"
    client.logout()
    _login(client, "bithu", PASSWORD)
    client.post(reverse("login_totp"), {"code": code})  # the same code again: refused
    assert _logged_in_as(client) is None


@pytest.mark.django_db
def test_second_factor_required_for_the_board_where_configured(
    client: Any, personas: Any, settings: Any
) -> None:
    settings.PTDV_REQUIRE_TOTP_FOR_BOARD = True
    client.force_login(personas.district_officer)
    r = client.get(reverse("people:list"))
    assert r.status_code == 302 and r["Location"] == reverse("account_totp")
    client.force_login(personas.cell_secretary)
    assert client.get(reverse("people:list")).status_code == 200


@pytest.mark.django_db
def test_reset_by_email_only_where_smtp_is_configured(
    client: Any, personas: Any, settings: Any
) -> None:
    settings.EMAIL_HOST = ""
    assert client.get(reverse("account_reset")).status_code == 404
    assert "Ban Tổ chức" in client.get(reverse("login")).content.decode()

    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    personas.cell_secretary.email = "bithu@example.org"
    personas.cell_secretary.save()
    assert reverse("account_reset") in client.get(reverse("login")).content.decode()
    client.post(reverse("account_reset"), {"email": "bithu@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/reset/\S+)", mail.outbox[0].body).group(1)
    r = client.get(link, follow=True)
    form_url = r.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Qua-thu-2026", "new_password2": "Qua-thu-2026"})
    personas.cell_secretary.refresh_from_db()
    assert personas.cell_secretary.check_password("Qua-thu-2026")
