"""Journey (issue 15 point 8): an organization-board officer finds people by name without
diacritics, checks two and adds them to the yearly source list at once, sees a refusal
named for a person already on the list, assigns a helping member to one of them, then
changes the helper: the old assignment ends on the date given and stays in the history.
Each entry shows what it still lacks for admission."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = pytest.mark.browser

D = dt.date


@pytest.mark.django_db(transaction=True)
def test_search_add_and_helpers(page: Any, live_server: Any, personas: Any, tree: Any) -> None:
    from ptdv.admissions import services as S
    from ptdv.admissions.models import SourceEntry
    from ptdv.admissions.source_models import SourceHelper
    from ptdv.admissions.tests.conftest import make_member
    from ptdv.people.services import person_create

    m1 = make_member(tree, "Vi Văn Đoàn")
    m2 = make_member(tree, "Lục Thị Hằng")
    people = [
        person_create(
            actor=None,
            org_unit=unit,
            full_name=name,
            date_of_birth=D(1999, 4, 2),
            gender="female",
            education_general="upper_secondary",
            audit=False,
        )
        for unit, name in [
            (tree.cell, "Nông Thị Ưng"),
            (tree.other_cell, "Nông Thị Uyên"),
            (tree.sibling_cell, "Nông Thị Út"),  # another district: never offered
        ]
    ]
    sl = S.source_list_get_or_create(
        actor=personas.district_officer, org_unit=tree.grassroots, year=2026
    )
    browser_login(page, live_server, personas.district_officer.username)
    page.goto(f"{live_server.url}/admissions/sources/{sl.uid}/")
    assert (
        "Chưa có ai" in page.inner_text("#entries")
        or page.locator("#entries tbody tr").count() == 1
    )

    # the search (HTMX fragment) finds both masses of the district, typed without diacritics
    page.fill("#id_q", "nong thi u")
    expect(page.locator("#candidates tbody input[type=checkbox]")).to_have_count(2)
    results = page.inner_text("#candidates")
    assert "Nông Thị Ưng" in results and "Nông Thị Uyên" in results
    assert "Nông Thị Út" not in results
    page.check("input[aria-label='Nông Thị Ưng']")
    page.check("input[aria-label='Nông Thị Uyên']")
    page.fill("#add-form [name=added_on]", "05/01/2026")
    page.click("#add-btn")
    page.wait_for_load_state("networkidle")
    assert "Đã đưa vào danh sách" in page.inner_text(".messages")
    table = page.inner_text("#entries")
    assert "Nông Thị Ưng" in table and "Nông Thị Uyên" in table
    assert SourceEntry.objects.filter(source_list=sl).count() == 2
    # at a glance: no certificate, no introducers, no vetting yet
    row = page.locator(f"#entry-{SourceEntry.objects.get(person=people[0]).uid}")
    lacks = row.locator(".lacks").inner_text()
    assert "Giấy chứng nhận" in lacks and "Người giới thiệu" in lacks and "Thẩm tra" in lacks

    # searched again: already on the list, no checkbox
    page.fill("#id_q", "nong thi ung")
    expect(page.locator("#candidates")).to_contain_text("đã có trong danh sách")
    assert page.locator("#candidates input[type=checkbox]").count() == 0

    # assign a helper
    row.locator("a", has_text="Phân công hoặc thay đổi").click()
    page.wait_for_load_state("networkidle")
    assert "Nông Thị Ưng" in page.inner_text("h1")
    page.check(f"input[name=helper][value='{m1.uid}']")
    page.fill("#helpers-form [name=on]", "01/02/2026")
    page.click("#helpers-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Vi Văn Đoàn" in row.locator(".helpers").inner_text()

    # change it without a reason: refused in Vietnamese, nothing changed
    row.locator("a", has_text="Phân công hoặc thay đổi").click()
    page.wait_for_load_state("networkidle")
    page.uncheck(f"input[name=helper][value='{m1.uid}']")
    page.check(f"input[name=helper][value='{m2.uid}']")
    page.fill("#helpers-form [name=on]", "01/06/2026")
    page.click("#helpers-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Nhập lý do thay đổi" in page.inner_text("[role=alert]")
    assert SourceHelper.objects.filter(helper=m2).count() == 0
    page.uncheck(f"input[name=helper][value='{m1.uid}']")
    page.check(f"input[name=helper][value='{m2.uid}']")
    page.fill("#helpers-form [name=on]", "01/06/2026")
    page.fill("#helpers-form [name=reason]", "Đồng chí Đoàn chuyển công tác")
    page.click("#helpers-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    helpers = row.locator(".helpers").inner_text()
    assert "Lục Thị Hằng" in helpers and "Vi Văn Đoàn" not in helpers
    # the history keeps the first assignment, ended on the day of the change
    row.locator("a", has_text="Phân công hoặc thay đổi").click()
    page.wait_for_load_state("networkidle")
    history = page.inner_text("#helper-history")
    assert "Vi Văn Đoàn" in history and "01/02/2026" in history and "01/06/2026" in history
    assert "Đồng chí Đoàn chuyển công tác" in history and "đang giúp đỡ" in history
