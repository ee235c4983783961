"""Pages: rule sets (list, detail) and the calendar, tried by every persona."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ptdv.policy.models import SwappedDay

pytestmark = pytest.mark.django_db

READERS = {"cell_secretary", "district_officer", "sibling_officer", "viewer"}
EDITORS = {"district_officer", "sibling_officer"}


@pytest.mark.parametrize(
    "url",
    [
        reverse("policy:list"),
        reverse("policy:detail", args=["2025-07"]),
        reverse("policy:detail", args=["2021"]),
        reverse("policy:calendar") + "?year=2025",
    ],
)
def test_pages_by_persona(client: Any, personas: Any, url: str) -> None:
    for name, user in personas.all().items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == (200 if name in READERS else 403), (name, url)


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("policy:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_shows_rule_sets_and_the_one_in_force(client: Any, personas: Any) -> None:
    client.force_login(personas.viewer)
    html = client.get(reverse("policy:list")).content.decode()
    assert "294-QĐ/TW" in html and "24-QĐ/TW" in html
    assert "01/07/2025" in html and "30/07/2021" in html
    assert "đang có hiệu lực" in html


def test_detail_shows_every_value_source_and_uncertain_label(client: Any, personas: Any) -> None:
    client.force_login(personas.viewer)
    html = client.get(reverse("policy:detail", args=["2025-07"])).content.decode()
    assert "Tuổi tối thiểu của người vào Đảng" in html and "216 tháng (18 tuổi)" in html
    assert "Quy định 294-QĐ/TW ngày 26/5/2025, điểm 1.1.1" in html
    assert "Tuổi tối đa được Đoàn Thanh niên giới thiệu" in html and "30 tuổi" in html
    assert "cần xác minh" in html and "đã xác minh" in html
    assert "60 ngày làm việc" in html and "60 tháng (5 năm)" in html
    assert "2/3" in html and ">Có<" in html and ">Không<" in html
    assert "già làng; trưởng thôn, trưởng bản; người có uy tín" in html
    # the file's own keys and words are not shown (only in the row's anchor)
    assert ">age.min_months<" not in html and "lower_secondary" not in html
    assert "VERIFIED" not in html
    assert client.get(reverse("policy:detail", args=["1999"])).status_code == 404


def test_calendar_lists_swaps_and_holidays(client: Any, personas: Any) -> None:
    client.force_login(personas.viewer)
    html = client.get(reverse("policy:calendar") + "?year=2025").content.decode()
    assert "27/01/2025" in html and "Tết Ất Tỵ" in html and "Tết Nguyên Đán" in html
    assert "26/04/2025" in html
    assert "swap-form" not in html  # a leader cannot edit


def test_calendar_add_and_delete(client: Any, personas: Any) -> None:
    add = reverse("policy:calendar_add")
    data = {"day": "2027-03-06", "kind": "working_day", "reason": "Làm bù", "decision": ""}
    for name, user in personas.all().items():
        client.force_login(user)
        if name in EDITORS:
            continue
        assert client.post(add, data).status_code == 403
    assert not SwappedDay.objects.filter(day=dt.date(2027, 3, 6)).exists()

    client.force_login(personas.district_officer)
    assert "swap-form" in client.get(reverse("policy:calendar")).content.decode()
    response = client.post(add, data)
    assert response.status_code == 302
    swap = SwappedDay.objects.get(day=dt.date(2027, 3, 6))
    assert swap.created_by == personas.district_officer

    # refused: same day again → the form shows the Vietnamese reason, nothing changes
    response = client.post(add, data)
    assert response.status_code == 400
    assert "đã có trong lịch" in response.content.decode()
    response = client.post(add, {**data, "day": "06/03"})
    assert response.status_code == 400

    delete = reverse("policy:calendar_delete", args=[swap.uid])
    client.force_login(personas.viewer)
    assert client.post(delete).status_code == 403
    client.force_login(personas.district_officer)
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not SwappedDay.objects.filter(day=dt.date(2027, 3, 6)).exists()


def test_calendar_queries_are_bounded(
    client: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.district_officer)
    for day in range(1, 28):
        SwappedDay.objects.create(day=dt.date(2028, 2, day), kind="day_off", reason="x")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("policy:calendar") + "?year=2028").status_code == 200


def test_nav_item(client: Any, personas: Any) -> None:
    from ptdv.policy.nav import NAV

    assert NAV[0].url_name == "policy:list" and NAV[0].perm == "admissions.view"
    assert NAV[0].order == 60


def test_calendar_calculator_spans_tet(client: Any, personas: Any) -> None:
    client.force_login(personas.cell_secretary)
    url = reverse("policy:calendar") + "?year=2025&start=2025-01-20&n=30"
    html = client.get(url).content.decode()
    assert "<strong>10/03/2025</strong>" in html
    html = client.get(reverse("policy:calendar") + "?start=2026-02-05&n=30").content.decode()
    assert "<strong>26/03/2026</strong>" in html
    assert client.get(reverse("policy:calendar") + "?start=x&n=0").status_code == 200
