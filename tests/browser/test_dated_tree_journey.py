"""Real browser: the tree as of a date — pick the date, open branches one by one (HTMX),
see the district before 01/07/2025 and the new commune committee after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login
from ptdv.access.models import Position, Role
from ptdv.organizations import services

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CUT = dt.date(2025, 7, 1)


def test_tree_on_the_eve_and_the_day_of_the_restructuring(
    page: Any, live_server: Any, tree: Any
) -> None:
    commune = services.org_unit_create(
        actor=None, code="C", name="Đảng bộ xã Xuân Mới", kind="commune",
        parent=tree.province, valid_from=CUT,
    )  # fmt: skip
    services.org_unit_move(actor=None, unit=tree.grassroots, new_parent=commune, date=CUT)
    services.org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=commune, date=CUT)
    services.org_unit_close(actor=None, unit=tree.district, date=CUT - dt.timedelta(days=1))
    user = get_user_model().objects.create_user("tinh", password=PASSWORD)
    Position.objects.create(user=user, org_unit=tree.province, role=Role.ORG_BOARD)
    browser_login(page, live_server, "tinh")

    page.goto(f"{live_server.url}/orgs/")
    page.fill("#id_as_of", "2025-06-30")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**as_of=2025-06-30**")
    box = page.locator("#org-tree")
    district = box.locator("summary", has=page.get_by_role("link", name="Đảng bộ huyện An"))
    expect(district).to_be_visible()
    expect(box.get_by_text("Đảng bộ xã Xuân Mới")).to_have_count(0)
    district.click(position={"x": 4, "y": 8})  # opens the branch: its children load
    commune_committee = box.locator(
        "summary", has=page.get_by_role("link", name="Đảng bộ xã Xuân", exact=True)
    )
    commune_committee.click(position={"x": 4, "y": 8})
    expect(box.get_by_role("link", name="Chi bộ thôn Nà Pậu")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dated-tree-2025-06-30.png"), full_page=True)

    page.fill("#id_as_of", "2025-07-01")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**as_of=2025-07-01**")
    box = page.locator("#org-tree")
    expect(box.get_by_role("link", name="Đảng bộ xã Xuân Mới")).to_be_visible()
    expect(box.get_by_text("Đảng bộ huyện An")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "dated-tree-2025-07-01.png"), full_page=True)


def test_a_long_level_comes_one_page_at_a_time(page: Any, live_server: Any, tree: Any) -> None:
    """A unit with more children than a page: the branch shows the first page and a
    "more" line; clicking it brings the rest in place (HTMX), each child once."""
    from ptdv.organizations.selectors import CHILDREN_PAGE

    extra = CHILDREN_PAGE + 5
    for i in range(extra):
        services.org_unit_create(
            actor=None, code=f"A-X-{i + 10}", name=f"Chi bộ thôn số {i:03d}", kind="cell",
            parent=tree.grassroots,
        )  # fmt: skip
    user = get_user_model().objects.create_user("huyen", password=PASSWORD)
    Position.objects.create(user=user, org_unit=tree.district, role=Role.ORG_BOARD)
    browser_login(page, live_server, "huyen")
    page.goto(f"{live_server.url}/orgs/")
    box = page.locator("#org-tree")
    commune = box.locator("summary", has=page.get_by_role("link", name="Đảng bộ xã Xuân"))
    commune.click(position={"x": 4, "y": 8})
    cells = box.locator('a[data-code^="A-X-"]')
    expect(cells).to_have_count(CHILDREN_PAGE)
    more = box.get_by_role("link", name=f"Xem thêm {extra + 2 - CHILDREN_PAGE} tổ chức nữa")
    more.click()
    expect(cells).to_have_count(extra + 2)  # the two cells of the fixture and the new ones
    expect(box.get_by_role("link", name="Xem thêm", exact=False)).to_have_count(0)
