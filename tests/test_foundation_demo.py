"""``ptdv loaddemo`` builds the Chợ Đồn district as the article describes it in 2022."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.access.models import Position
from ptdv.organizations.models import OrgUnit


# The whole demo: every admission case since 2009 goes through the admission services
# (about 6.5 min wall, 4.5 min CPU on the shared 2-core machine; ``loaddemo --fast``, which
# writes the cases before 2024 in bulk, about 3.5 min). Marked ``demo`` so that it can be
# deselected with ``-m "not demo"``.
@pytest.mark.demo
@pytest.mark.django_db(transaction=False)
def test_loaddemo_gives_48_grassroots_and_over_4700_members_end_2022() -> None:
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    printed = out.getvalue()
    assert "bantochuc" in printed and "Ban Tổ chức" in printed  # Vietnamese role names
    report = io.StringIO()
    call_command(
        "report",
        "summary",
        "--org",
        "CD",
        "--from",
        "2022-01-01",
        "--to",
        "2022-12-31",
        stdout=report,
    )
    data = json.loads(report.getvalue())
    assert data["grassroots_organizations"] == 48
    assert data["members"]["total"] > 4700
    assert data["members"]["total"] == data["members"]["official"] + data["members"]["probationary"]
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
