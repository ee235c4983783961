"""The political centre's next actions (home page): accept nominations, open, take
attendance, record results — by date, only for classes the user manages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.training.home_selectors import next_actions_for
from ptdv.training.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db
D = dt.date


def _whats(user: Any, today: dt.date) -> list[tuple[str, dt.date]]:
    return [(a.what, a.due) for a in next_actions_for(user=user, today=today)]


def test_next_actions_by_date(world: Any, personas: Any) -> None:
    staff = personas.centre_staff
    k = world.klass  # open, 02/03/2020–06/03/2020
    assert _whats(staff, D(2020, 1, 1)) == []  # more than 30 days ahead
    assert _whats(staff, D(2020, 2, 20)) == [("start", D(2020, 3, 2))]
    Enrolment.objects.create(klass=k, person=world.mass, status=EnrolmentStatus.NOMINATED)
    actions = next_actions_for(user=staff, today=D(2020, 2, 20))
    assert [(a.what, a.count) for a in actions] == [("accept", 1), ("start", 0)]
    assert ("attendance", D(2020, 3, 4)) in _whats(staff, D(2020, 3, 4))
    assert _whats(staff, D(2020, 3, 9)) == [("results", D(2020, 3, 6))]
    # a cell secretary manages no class; the leader neither
    assert _whats(personas.cell_secretary, D(2020, 3, 9)) == []
    assert _whats(personas.viewer, D(2020, 3, 9)) == []


def test_home_of_the_political_centre(client: Any, world: Any, personas: Any) -> None:
    client.force_login(personas.centre_staff)
    body = client.get("/").content.decode()
    assert 'id="home-training"' in body
    assert "Ghi kết quả và kết thúc lớp" in body and f"/training/{world.klass.uid}/" in body
