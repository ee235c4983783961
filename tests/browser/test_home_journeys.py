"""Issue 16 point 2: every role goes from its home page to its next action in a browser
(one journey per role), and the cell secretary's reminder leads there from the inbox."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from conftest import PASSWORD, browser_login
from ptdv.access.models import Position, Role
from ptdv.admissions.tests.conftest import World, drive, make_member

pytestmark = pytest.mark.browser
D = dt.date


def _world(tree: Any, personas: Any) -> dict[str, Any]:
    from ptdv.people.services import person_create
    from ptdv.training import services as T
    from ptdv.training.models import CourseType

    w = World(tree, personas, [make_member(tree, f"Đảng Viên {i}") for i in range(6)], None)

    def applicant(name: str) -> Any:
        return person_create(
            actor=None,
            org_unit=tree.cell,
            full_name=name,
            date_of_birth=D(2000, 1, 15),
            gender="male",
            education_general="upper_secondary",
            audit=False,
        )

    w.applicant = applicant("Hoàng Văn Quyết")
    deciding = drive(w, "grassroots_voted")  # the district decides
    w.applicant = applicant("Lò Văn Lễ")
    ceremony = drive(w, "decided")  # the cell holds the ceremony
    centre = T.institution_create(
        actor=None, code="TTCT-A", name="Trung tâm Chính trị huyện An", org_unit=tree.district
    )
    if not CourseType.objects.filter(code="awareness").exists():
        # a transactional test flushes the seeded rows; put them back
        from django.apps import apps

        importlib.import_module("ptdv.training.migrations.0002_seed_course_types").seed(apps, None)
    awareness = CourseType.objects.get(code="awareness")
    klass = T.class_create(
        actor=None,
        institution=centre,
        course_type=awareness,
        code="NT-01/2024",
        start_on=D(2024, 3, 4),
        end_on=D(2024, 3, 8),
        served_units=[tree.district],
    )
    u = get_user_model().objects.create_user(username="dangbo", password=PASSWORD)
    Position.objects.create(user=u, org_unit=tree.grassroots, role=Role.COMMITTEE)
    return {"deciding": deciding, "ceremony": ceremony, "klass": klass}


# role → (username, the home table or list to read, what to click, where it leads, the step)
ROLES = {
    "cell_secretary": ("bithu", "#home-todo", "ceremony", "step-ceremony"),
    "grassroots_secretary": ("dangbo", "#home-todo", "ceremony", "step-ceremony"),
    "org_board": ("bantochuc", "#home-todo", "deciding", "step-decide"),
    "political_centre": ("ttct", "#home-training", "klass", None),
    "leader": ("lanhdao", "#overdue-card", "deciding", None),
}


def _journey(page: Any, live_server: Any, tree: Any, objs: dict[str, Any], role: str) -> None:
    username, box, target, step = ROLES[role]
    obj = objs[target]
    browser_login(page, live_server, username)
    listing = page.locator(box)
    listing.wait_for()
    if role == "leader":  # a leader lands on the overview; its overdue card lists the cases
        assert "/reports/" in page.url
    listing.locator(f"a[href*='{obj.uid}']").first.click()
    page.wait_for_url(re.compile(str(obj.uid)))
    if role == "political_centre":
        assert "NT-01/2024" in page.locator("h1").inner_text()
        return
    assert obj.person.full_name in page.locator("h1").inner_text()
    if step is None:  # read-only: no form to fill
        assert page.locator("#next-steps form").count() == 0
        return
    assert page.locator(f"#{step} form").count() == 1, role
    if role == "cell_secretary":  # the unit column reads "cell — its grassroots committee"
        page.goto(f"{live_server.url}/admissions/todo/?sort=unit")
        assert f"{tree.cell.name} — {tree.grassroots.name}" in page.locator("#todo").inner_text()


def test_home_to_the_next_action_for_every_role(
    browser: Any, live_server: Any, tree: Any, personas: Any
) -> None:
    """One world, one fresh browser session per role (each logs in as itself)."""
    objs = _world(tree, personas)
    for role in ROLES:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            _journey(page, live_server, tree, objs, role)
        finally:
            context.close()


def test_reminder_from_the_inbox_to_the_case(
    page: Any, live_server: Any, tree: Any, personas: Any
) -> None:
    from ptdv.reminders.services import remind

    objs = _world(tree, personas)
    remind(timezone.localdate())
    browser_login(page, live_server, "bithu")
    page.locator("#inbox-unread").wait_for()  # the menu's count, loaded after the page
    page.locator("#inbox-link").click()
    page.wait_for_url("**/inbox/")
    row = page.locator("#inbox tr", has_text="Lò Văn Lễ")
    assert "Đã quá hạn" in row.inner_text()
    row.get_by_role("link", name="Lò Văn Lễ").click()
    page.wait_for_url(re.compile(str(objs["ceremony"].uid)))
    assert page.locator("#step-ceremony form").count() == 1
