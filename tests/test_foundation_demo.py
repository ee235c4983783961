"""``ptdv loaddemo`` builds the Chợ Đồn district as the article describes it in 2022."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.access.models import Position
from ptdv.organizations.models import OrgUnit


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
    # idempotent: a second run changes nothing
    n = OrgUnit.objects.count()
    again = io.StringIO()
    call_command("loaddemo", stdout=again)
    assert "đã có sẵn" in again.getvalue()
    assert OrgUnit.objects.count() == n


@pytest.mark.django_db
def test_report_unknown_org_is_a_clear_error(tree: object) -> None:
    with pytest.raises(CommandError, match="Không có tổ chức đảng"):
        call_command("report", "summary", "--org", "KHONG", stdout=io.StringIO())
