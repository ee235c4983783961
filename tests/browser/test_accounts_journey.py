"""Real-browser journey of accounts: the board creates an account, its owner must choose a
password at the first log-in; failed log-ins end in the Vietnamese lockout message."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login

pytestmark = pytest.mark.browser


def test_board_creates_an_account_and_the_owner_changes_the_password_first(
    page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    browser_login(page, live_server, "bantochuc")
    page.get_by_role("link", name="Tài khoản").first.click()
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.fill("#id_username", "bithu.moi")
    page.fill("#id_full_name", "Lò Thị Mới")
    page.select_option("#id_org_unit", str(tree.other_cell.uid))
    page.select_option("#id_role", "committee")
    page.get_by_role("button", name="Tạo tài khoản", exact=True).click()
    temporary = page.locator("#temporary-password").inner_text().strip()
    assert len(temporary) == 12
    page.context.clear_cookies()  # another person, another session

    browser_login(page, live_server, "bithu.moi", temporary)
    expect(page).to_have_url(f"{live_server.url}/account/password/")
    expect(page.locator(".messages")).to_contain_text("chọn mật khẩu của riêng mình")
    page.goto(f"{live_server.url}/people/")  # nothing else opens before the change
    expect(page).to_have_url(f"{live_server.url}/account/password/")
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", "Chi-bo-truong-2026")
    page.fill("#id_new_password2", "Chi-bo-truong-2026")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.locator(".messages")).to_contain_text("Đã đổi mật khẩu")
    page.goto(f"{live_server.url}/people/")
    expect(page).to_have_url(f"{live_server.url}/people/")


def test_failed_logins_end_in_the_lockout_message(
    page: Any, live_server: Any, personas: Any, settings: Any
) -> None:
    settings.PTDV_LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        browser_login(page, live_server, "bithu", "mat-khau-sai")
        expect(page.locator("#login-error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    browser_login(page, live_server, "bithu", "mat-khau-sai")
    expect(page.locator("#login-error")).to_contain_text("Đăng nhập sai quá nhiều lần")
    browser_login(page, live_server, "bithu", PASSWORD)  # the right password, still locked
    expect(page.locator("#login-error")).to_contain_text("thử lại sau 15 phút")
    expect(page.locator("#current-user")).to_have_count(0)
