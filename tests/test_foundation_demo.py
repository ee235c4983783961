"""``ptdv loaddemo`` builds the Chợ Đồn district as the article describes it in 2022."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from ptdv.access.models import Position
from ptdv.access.permissions import active_positions
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MEMBER_STATUSES, MembershipPeriod
from ptdv.people.selectors import members_on


def _summary(date_from: str, date_to: str) -> dict:
    out = io.StringIO()
    call_command(
        "report", "summary", "--org", "CD", "--from", date_from, "--to", date_to, stdout=out
    )
    return json.loads(out.getvalue())


# The whole demo, with the cases before 2024 written by the bulk path (``--fast``, about
# 3.5 min on the shared 2-core machine; ``ptdv/admissions/tests/test_demo_equivalence.py``
# proves the bulk path writes what the services write). ``make demo`` runs every case
# through the services. Marked ``demo`` so that it can be deselected with ``-m "not demo"``.
@pytest.mark.demo
@pytest.mark.django_db(transaction=False)
def test_loaddemo_gives_the_articles_figures() -> None:
    out = io.StringIO()
    call_command("loaddemo", "--fast", stdout=out)
    printed = out.getvalue()
    assert "bantochuc" in printed and "Ban Tổ chức" in printed  # Vietnamese role names

    end_2022 = _summary("2022-01-01", "2022-12-31")
    assert end_2022["grassroots_organizations"] == 48
    assert end_2022["members"]["total"] > 4700
    assert end_2022["members"]["total"] == (
        end_2022["members"]["official"] + end_2022["members"]["probationary"]
    )

    article = _summary("2010-01-01", "2020-12-31")
    assert article["grassroots_organizations"] == 48
    classes = {code: (v["classes"], v["attendees"]) for code, v in article["classes"].items()}
    assert classes["awareness"] == (30, 2365)
    assert classes["new_member"] == (21, 1681)
    assert classes["cadre_skills"] == (4, 556)
    assert article["admitted"] == 1574
    assert article["recognized"] == 1719
    assert Position.objects.filter(user__username="chibo.to1").exists()
    _the_2025_restructuring_holds_every_member_once(printed)
    # idempotent: a second run changes nothing
    n = OrgUnit.objects.count()
    again = io.StringIO()
    call_command("loaddemo", stdout=again)
    assert "đã có sẵn" in again.getvalue()
    assert OrgUnit.objects.count() == n


def _the_2025_restructuring_holds_every_member_once(printed: str) -> None:
    """After the demo's plan (ptdv/demo/data/sap-xep-2025.csv): Bắc Kạn and Chợ Đồn end on
    30/06/2025 and hold nobody after; on 31/12/2026 every member is in exactly one unit
    valid then, and the units at the top of the tree then hold them all."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    assert "sắp xếp 2025" in printed
    last, first = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    district, province = OrgUnit.objects.get(code="CD"), OrgUnit.objects.get(code="BK")
    assert district.valid_to == last and province.valid_to == last
    for unit in (district, province):
        assert members_on(unit, last).count() > 4000
        for day in (first, dt.date(2026, 12, 31)):
            assert not members_on(unit, day).exists()
    day = dt.date(2026, 12, 31)
    spans = MembershipPeriod.objects.filter(
        status__in=list(MEMBER_STATUSES), start__lte=day
    ).filter(models.Q(end__isnull=True) | models.Q(end__gt=day))
    rows = list(spans.values_list("person_id", "org_unit_id", "path"))
    people = {r[0] for r in rows}
    assert len(rows) == len(people) > 4000  # each member exactly once
    valid_paths = dict(history.versions_on(day).values_list("unit_id", "path"))
    assert all(valid_paths.get(unit_id) == path for _p, unit_id, path in rows)
    tops = [
        v.unit for v in history.versions_on(day).filter(parent__isnull=True).select_related("unit")
    ]
    assert [u.code for u in tops] == ["TN"]
    assert sum(members_on(u, day).count() for u in tops) == len(people)
    # the demo users of the ended committees keep working at the successors
    User = get_user_model()
    for username in ("bantochuc", "tinh.btc", "dangbo.ngocphai"):
        positions = active_positions(User.objects.get(username=username), on=first)
        assert positions and all(p.org_unit.is_valid_on(first) for p in positions), username
    print(
        f"members on {day}: {len(people)} people in {len(rows)} periods; "
        f"under TN: {members_on(tops[0], day).count()}"
    )


@pytest.mark.django_db
def test_report_unknown_org_is_a_clear_error(tree: object) -> None:
    with pytest.raises(CommandError, match="Không có tổ chức đảng"):
        call_command("report", "summary", "--org", "KHONG", stdout=io.StringIO())
