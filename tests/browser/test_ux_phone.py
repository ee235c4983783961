"""A cell secretary on a 390px phone: the start page, the folded menu, the people cards."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = pytest.mark.browser


def test_phone_start_page_and_folded_menu(phone_page: Any, live_server: Any, personas: Any) -> None:
    page = phone_page
    browser_login(page, live_server, personas.cell_secretary.username)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#home-search")).to_be_visible()
    nav = page.locator("#main-nav")
    expect(nav).to_be_hidden()
    page.click(".menu-toggle")
    expect(nav).to_be_visible()
    page.click("#main-nav >> text=Danh sách người")
    expect(page.locator("h1")).to_contain_text("Danh sách người")
    page.fill("#id_q", "zzzz")
    page.press("#id_q", "Enter")
    expect(page.locator("#people-empty")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def test_desktop_menu_is_always_open(page: Any, live_server: Any, personas: Any) -> None:
    browser_login(page, live_server, personas.district_officer.username)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
