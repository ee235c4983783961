"""Journey: the organization board reads the rule sets and records a swapped working day;
a deadline then follows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import browser_login

pytestmark = pytest.mark.browser


def test_board_reads_rules_and_adds_a_make_up_day(
    page: Any, live_server: Any, personas: Any
) -> None:
    from ptdv.policy import selectors
    from ptdv.policy.models import SwappedDay

    browser_login(page, live_server, personas.district_officer.username)
    page.goto(f"{live_server.url}/policy/")
    page.click("text=01/07/2025")  # the rule set in force from 01/07/2025 (no code shown)
    rule = page.locator("#rule-agemin_months")
    assert "216" in rule.inner_text()
    assert "294-QĐ/TW" in rule.inner_text()
    assert "cần xác minh" in page.locator("#rule-introducersyouth_age_max").inner_text()

    page.goto(f"{live_server.url}/policy/calendar/?year=2027")
    before = selectors.add_working_days(dt.date(2027, 3, 5), 1)
    assert before == dt.date(2027, 3, 8)
    # the date field takes typing (dd/mm/yyyy, tidied when left) and has a calendar beside it
    page.fill("#id_day", "6/3/2027")
    page.locator("#id_kind").focus()
    assert page.input_value("#id_day") == "06/03/2027"
    page.locator("#swap-form .datepicker-toggle").click()
    pop = page.locator("#swap-form .datepicker-pop")
    assert "Tháng 3 / 2027" in pop.inner_text()
    pop.locator(".datepicker-next").click()
    pop.locator("button[data-day='10/04/2027']").click()
    assert page.input_value("#id_day") == "10/04/2027" and pop.is_hidden()
    page.fill("#id_day", "06/03/2027")
    page.select_option("#id_kind", "working_day")
    page.fill("#id_reason", "Làm bù cho ngày nghỉ thêm")
    page.click("#swap-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã thêm ngày 06/03/2027" in page.inner_text("main")
    assert SwappedDay.objects.filter(day=dt.date(2027, 3, 6)).exists()
    assert selectors.add_working_days(dt.date(2027, 3, 5), 1) == dt.date(2027, 3, 6)

    page.click("#swaps tr:has-text('06/03/2027') button")
    page.wait_for_load_state("networkidle")
    assert "Đã xóa ngày 06/03/2027" in page.inner_text("main")
    page.screenshot(path="/tmp/policy_calendar.png", full_page=True)


def test_phone_can_read_the_rule_set(phone_page: Any, live_server: Any, personas: Any) -> None:
    browser_login(phone_page, live_server, personas.viewer.username)
    phone_page.goto(f"{live_server.url}/policy/2021/")
    assert "24-QĐ/TW" in phone_page.inner_text("main")
    phone_page.screenshot(path="/tmp/policy_phone.png", full_page=True)
