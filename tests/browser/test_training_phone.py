"""On a 390px phone the political centre opens its class calendar and list without
horizontal scrolling, edits a session of a class and cancels another with a reason."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.utils import timezone

from conftest import browser_login

pytestmark = pytest.mark.browser

NO_OVERFLOW = """() => Array.from(document.querySelectorAll('main *')).filter(
  e => e.getBoundingClientRect().right > window.innerWidth + 1
    && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className)"""


def _seed_course_types() -> None:
    from django.apps import apps

    seed = importlib.import_module("ptdv.training.migrations.0002_seed_course_types").seed
    seed(apps, None)


@pytest.mark.django_db(transaction=True)
def test_phone_calendar_list_and_session_edit(
    phone_page: Any, live_server: Any, personas: Any, tree: Any
) -> None:
    from ptdv.training.models import ClassSession, CourseType, TrainingClass
    from ptdv.training.services import class_create, institution_create

    _seed_course_types()
    centre = institution_create(
        actor=None, code="TTCT-A", name="Trung tâm Chính trị huyện An", org_unit=tree.district
    )
    today = timezone.localdate()
    first = today.replace(day=1)
    for i, code in enumerate(["awareness", "new_member", "cadre_skills"]):
        class_create(
            actor=None,
            institution=centre,
            course_type=CourseType.objects.get(code=code),
            code=f"ĐVM-{i + 1:02d}/{today.year}",
            start_on=first + dt.timedelta(days=2 * i),
            end_on=first + dt.timedelta(days=2 * i + 4),
            served_units=[tree.district],
        )
    page = phone_page
    browser_login(page, live_server, personas.centre_staff.username)

    for url in ("/training/calendar/", "/training/"):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        assert page.evaluate(NO_OVERFLOW) == [], url
    assert page.locator("#class-table").is_visible()
    page.goto(live_server.url + "/training/calendar/")
    width = page.evaluate("document.querySelector('#calendar').getBoundingClientRect().right")
    assert width <= 390  # the whole week fits, no sideways scrolling inside the table

    klass = TrainingClass.objects.get(code=f"ĐVM-01/{today.year}")
    session = klass.sessions.order_by("date").first()
    page.goto(f"{live_server.url}/training/{klass.uid}/")
    page.click("#sessions-link")
    page.click(f"a[href$='/sessions/{session.pk}/edit/']")
    page.fill("#id_date", (klass.end_on + dt.timedelta(days=5)).strftime("%d/%m/%Y"))
    page.fill("#id_topic", "Lịch sử Đảng Cộng sản Việt Nam")
    page.click("#save-session")
    assert page.locator(".errorlist").first.is_visible()  # outside the class dates
    assert ClassSession.objects.get(pk=session.pk).date == session.date
    page.fill("#id_date", klass.start_on.strftime("%d/%m/%Y"))
    page.click("#save-session")
    page.wait_for_url(f"**/training/{klass.uid}/sessions/")
    assert "Lịch sử Đảng Cộng sản Việt Nam" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/training/{klass.uid}/")
    page.click("#cancel-box summary")
    page.fill("#cancel-reason", "Giảng viên bận công tác")
    page.click("#cancel-form button")
    page.wait_for_load_state("networkidle")
    klass.refresh_from_db()
    assert klass.status == "cancelled"
    assert "Giảng viên bận công tác" in page.locator("#class-note").inner_text()
