"""Journey: the organization board applies a merge plan through the import wizard, reads
the preview (members, villages before and after per unit), applies it, and looks at the
tree as it was on 30/06/2025 and as it is from 01/07/2025; then undoes one operation of the
wizard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import browser_login
from ptdv.restructuring.tests.helpers import member, plan_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = [
    ",A-N,Đảng bộ xã Nam Mới,A,01/07/2025,1683/NQ-UBTVQH15,16/06/2025,UBTVQH,minh họa,có",
    "A-X,A-N,,,01/07/2025,1683/NQ-UBTVQH15,16/06/2025,UBTVQH,,",
]


def test_merge_plan_preview_apply_and_the_tree_on_both_dates(
    page: Any, live_server: Any, tree: Any, personas: Any, tmp_path: Path, settings: Any
) -> None:
    from ptdv.organizations.models import OrgUnit

    settings.MEDIA_ROOT = tmp_path / "media"
    member(tree.cell, "Hoàng Thị Mai")
    path = plan_file(tmp_path, PLAN, name="sap-xep.csv")
    browser_login(page, live_server, personas.district_officer.username)
    page.goto(f"{live_server.url}/exchange/")
    page.select_option("#id_kind", "restructuring")
    page.select_option("#id_org", str(tree.district.uid))
    page.set_input_files("#id_file", str(path))
    page.click("#upload-submit")
    page.wait_for_selector("#mapping")
    page.click("#check")
    page.wait_for_selector("#ready", timeout=30_000)
    preview = page.inner_text("#restructuring-preview")
    assert "Đảng bộ xã Nam Mới" in preview and "1 → 0" in preview and "0 → 1" in preview
    assert not OrgUnit.objects.filter(code="A-N").exists()
    page.click("#commit")
    page.wait_for_selector("#batch-result", timeout=30_000)
    assert OrgUnit.objects.get(code="A-N").valid_from.isoformat() == "2025-07-01"

    page.goto(f"{live_server.url}/orgs/?as_of=2025-06-30")
    before = page.inner_text("main")
    assert "Đảng bộ xã Xuân" in before and "Đảng bộ xã Nam Mới" not in before
    page.goto(f"{live_server.url}/orgs/?as_of=2025-07-01")
    after = page.inner_text("main")
    assert "Đảng bộ xã Nam Mới" in after and "Đảng bộ xã Xuân" not in after


def test_wizard_rename_preview_apply_undo(
    page: Any, live_server: Any, tree: Any, personas: Any
) -> None:
    from ptdv.organizations.models import OrgUnit

    browser_login(page, live_server, personas.district_officer.username)
    page.goto(f"{live_server.url}/restructuring/")
    page.click("text=Đổi tên tổ chức đảng")
    page.select_option("#id_unit", str(tree.grassroots.uid))
    page.fill("#id_new_name", "Đảng bộ xã Xuân Hòa")
    page.fill("#id_date", "01/07/2025")
    page.fill("#id_decision_number", "45-QĐ/HU")
    page.click("button[value=preview]")
    page.wait_for_selector("#preview")
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).name == "Đảng bộ xã Xuân"
    page.click("button[value=apply]")
    page.wait_for_selector("#operations")
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).name == "Đảng bộ xã Xuân Hòa"
    page.click("#operations button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).name == "Đảng bộ xã Xuân"
