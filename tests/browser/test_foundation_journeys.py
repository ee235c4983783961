"""Real-browser journeys of the foundation (Playwright on Debian's Chromium)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from ptdv.people.services import membership_event_add, person_create

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def person(unit: Any, name: str, *, member: bool = True, **kw: Any) -> Any:
    p = person_create(
        actor=None,
        org_unit=unit,
        full_name=name,
        date_of_birth=dt.date(1990, 5, 1),
        gender="male",
        ethnicity="02",
        **kw,
    )
    if member:
        membership_event_add(
            actor=None, person=p, kind="admitted", date=dt.date(2015, 3, 1), org_unit=unit
        )
    return p


def test_officer_walks_the_tree_and_finds_a_member_without_diacritics(
    page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    target = person(tree.cell, "Nguyễn Văn Ánh", citizen_id="006090001234")
    person(tree.other_cell, "Hoàng Thị Đào", member=False)
    browser_login(page, live_server, "bantochuc")
    assert page.locator("#current-user").inner_text() == "bantochuc"

    page.get_by_role("link", name="Tổ chức đảng").first.click()
    tree_box = page.locator("#org-tree")
    branch = tree_box.locator("summary", has=page.get_by_role("link", name="Đảng bộ xã Xuân"))
    branch.click(position={"x": 4, "y": 8})  # the disclosure marker opens the branch
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "foundation-tree.png"), full_page=True)
    tree_box.get_by_role("link", name="Chi bộ thôn Nà Pậu").click()
    page.wait_for_url(re.compile(r"/orgs/[0-9a-f-]+/$"))
    assert page.locator("h1").inner_text().startswith("Chi bộ thôn Nà Pậu")
    assert page.locator("#org-members").get_by_text("Nguyễn Văn Ánh").is_visible()

    page.get_by_role("link", name="Danh sách người").first.click()
    page.fill("#id_q", "nguyen van")
    page.keyboard.press("Enter")
    expect(page.locator("#people-count")).to_have_text("1 người")  # HTMX swapped the results
    results = page.locator("#people-table")
    assert "Hoàng Thị Đào" not in results.inner_text()
    assert "006090001234" not in page.content()
    results.get_by_role("link", name="Nguyễn Văn Ánh").click()
    page.wait_for_url(f"**/people/{target.uid}/")
    assert "Nguyễn Văn Ánh" in page.locator("h1").inner_text()
    assert "Kết nạp (dự bị)" in page.locator("#person-events").inner_text()

    page.click("#reveal-cccd")  # HTMX: audited reveal swaps the masked number
    page.locator("#cccd-value", has_text="006090001234").wait_for()


def test_cell_secretary_gets_404_for_another_grassroots_person(
    page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    other = person(tree.grassroots_cell, "Đinh Văn Khác")
    own = person(tree.cell, "Ma Văn Mình")
    browser_login(page, live_server, "bithu")
    response = page.goto(f"{live_server.url}/people/{other.uid}/")
    assert response is not None and response.status == 404
    assert "Đinh Văn Khác" not in page.content()
    response = page.goto(f"{live_server.url}/people/{own.uid}/")
    assert response is not None and response.status == 200


def test_people_list_is_usable_on_a_phone(
    phone_page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    for i, name in enumerate(["Nguyễn Văn Ánh", "Lường Thị Bích", "Hoàng Văn Chiến"]):
        person(tree.cell, name, citizen_id=f"00609000123{i}")
    page = phone_page
    browser_login(page, live_server, "bantochuc")
    page.goto(f"{live_server.url}/people/")
    table = page.locator("#people-table")
    table.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page scrolls sideways on a phone: {width}px"
    assert page.locator("thead").first.is_hidden()  # rows become cards with labels
    first_link = table.get_by_role("link", name="Hoàng Văn Chiến")
    assert first_link.is_visible()
    box = first_link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "foundation-people-phone.png"), full_page=True)
    first_link.click()
    page.wait_for_url("**/people/*/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"person page scrolls sideways on a phone: {width}px"
    page.screenshot(path=str(ARTIFACTS / "foundation-person-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/orgs/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
