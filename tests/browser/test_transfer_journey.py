"""Journey: a cell secretary issues the introduction letter transferring a member to
another commune; the receiving commune's secretary sees it arriving, confirms receipt
into one of its cells; the member is then counted there from the receipt date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD, browser_login

pytestmark = pytest.mark.browser


def test_transfer_between_two_communes_confirmed_by_the_receiver(
    browser: Any, page: Any, live_server: Any, tree: Any, personas: Any
) -> None:
    from django.contrib.auth import get_user_model

    from ptdv.access.models import Position, Role
    from ptdv.people.models import Transfer
    from ptdv.people.selectors import members_on
    from ptdv.people.services import membership_event_add, person_create

    member = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Nông Văn Chiến",
        date_of_birth=dt.date(1985, 6, 1),
        gender="male",
    )
    membership_event_add(
        actor=None, person=member, kind="admitted", date=dt.date(2012, 5, 1), org_unit=tree.cell
    )
    membership_event_add(actor=None, person=member, kind="recognized", date=dt.date(2013, 5, 1))
    receiver = get_user_model().objects.create_user(username="bithu.yen", password=PASSWORD)
    Position.objects.create(
        user=receiver,
        org_unit=tree.sibling_grassroots,
        role=Role.COMMITTEE,
        term_start=dt.date(2020, 1, 1),
    )
    today = timezone.localdate()

    # the sending cell's secretary issues the letter from the person page
    browser_login(page, live_server, personas.cell_secretary.username)
    page.goto(f"{live_server.url}/people/{member.uid}/")
    page.click("#issue-transfer")
    page.select_option("#id_kind", "official")
    page.select_option("#id_to_unit", str(tree.sibling_grassroots.uid))
    page.fill("#id_letter_number", "07-GGT/CB")
    page.fill("#id_letter_date", today.isoformat())
    page.fill("#id_reason", "Chuyển nơi cư trú")
    page.click("#transfer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đang chuyển" in page.inner_text("#transfer-status")
    assert page.locator("#letter-pdf").count() == 1
    assert page.locator("#confirm-form").count() == 0  # the sender does not confirm
    page.screenshot(path="/tmp/transfer_issued.png", full_page=True)
    assert member in members_on(tree.cell, today)

    # the receiving commune's secretary confirms receipt into one of its cells
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.set_default_timeout(10_000)
    browser_login(other, live_server, receiver.username)
    other.goto(f"{live_server.url}/people/transfers/")
    assert "Nông Văn Chiến" in other.inner_text("main")
    other.click("text=Nông Văn Chiến")
    other.wait_for_load_state("networkidle")
    other.fill("#id_received_on", (today - dt.timedelta(days=1)).isoformat())  # before issue
    other.select_option("#id_cell", str(tree.sibling_cell.uid))
    other.click("#confirm-form button[type=submit]")
    other.wait_for_load_state("networkidle")
    assert "không được trước ngày giới thiệu đi" in other.inner_text("#confirm")
    assert Transfer.objects.get().status == "issued"
    other.fill("#id_received_on", today.isoformat())
    other.select_option("#id_cell", str(tree.sibling_cell.uid))
    other.click("#confirm-form button[type=submit]")
    other.wait_for_load_state("networkidle")
    assert "Đã tiếp nhận" in other.inner_text("#transfer-status")
    other.screenshot(path="/tmp/transfer_received.png", full_page=True)
    context.close()

    member.refresh_from_db()
    assert member.org_unit == tree.sibling_cell
    assert member in members_on(tree.sibling_grassroots, today)
    assert member not in members_on(tree.district, today)
    assert member in members_on(tree.district, today - dt.timedelta(days=1))
