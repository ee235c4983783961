"""A restructuring plan through the import wizard (kind "restructuring"): .csv or .xlsx,
checked as a whole, previewed with counts per unit, committed in one transaction and
undone as a whole; the template is downloadable."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ptdv.exchange import services
from ptdv.exchange.models import BatchStatus
from ptdv.organizations.models import OrgUnit, Restructuring
from ptdv.restructuring.tests.helpers import MERGE_PLAN, D, member, plan_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.PTDV_JOBS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"


def _admin() -> Any:
    return get_user_model().objects.create_superuser("admin", password="x" * 10)


def _batch(user: Any, tree: Any, path: Path) -> Any:
    return services.batch_create_from_path(
        actor=user, kind="restructuring", org_unit=tree.province, path=path, file_name=path.name
    )


def test_csv_plan_preview_commit_undo(tree: Any, tmp_path: Path) -> None:
    user = _admin()
    member(tree.cell, "Hoàng Thị Mai")
    batch = _batch(user, tree, plan_file(tmp_path, MERGE_PLAN))
    preview = services.batch_preview(actor=user, batch=batch)
    assert preview.problem_count == 0, preview.problems
    lines = {x["code"]: x for x in preview.details["restructuring"]}
    assert lines["A"]["before"]["members"] == 1 and lines["A"]["after"]["members"] == 0
    assert lines["N"]["after"] == {"members": 1, "cases": 0, "sources": 0, "villages": 1}
    assert not OrgUnit.objects.filter(code="N").exists()  # the preview changed nothing

    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.committed
    assert OrgUnit.objects.get(code="A").valid_to == D(2025, 6, 30)
    assert Restructuring.objects.filter(kind="plan", undone_at__isnull=True).count() == 1

    services.batch_undo(actor=user, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE
    assert OrgUnit.objects.get(code="A").valid_to is None
    assert not OrgUnit.objects.filter(code="N").exists()


def test_bad_plan_is_refused_as_a_whole_naming_rows(tree: Any, tmp_path: Path) -> None:
    user = _admin()
    lines = [
        "A-X,B-Y,,,01/07/2025,QĐ 1,,,,",
        "A-X,B,,,01/07/2025,QĐ 1,,,,",
        "ZZ,B,,,01/07/2025,QĐ 1,,,,",
        "A-T,A-T,,P,31/02/2025,QĐ 1,,,,",
    ]
    batch = _batch(user, tree, plan_file(tmp_path, lines))
    outcome = services.batch_commit(actor=user, batch=batch)
    assert not outcome.committed
    found = {(p["row"], p["column"]) for p in outcome.problems}
    assert (3, "Mã đơn vị cũ") in found and (4, "Mã đơn vị cũ") in found
    assert (5, "Ngày hiệu lực") in found
    assert not Restructuring.objects.exists()
    assert OrgUnit.objects.get(code="A-X").valid_to is None


def test_xlsx_plan_and_template(tree: Any, tmp_path: Path, client: Any) -> None:
    user = _admin()
    client.force_login(user)
    response = client.get(reverse("exchange:template", args=["restructuring"]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["Danh sách"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["STT", "Mã đơn vị cũ", "Mã đơn vị mới", "Tên đơn vị mới"]
    ws.append([1, "A-T", "A-T", None, "P", D(2025, 7, 1), "QĐ 1", D(2025, 6, 16), "Tỉnh ủy"])
    path = tmp_path / "sap-xep.xlsx"
    wb.save(path)
    batch = _batch(user, tree, path)
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.committed, outcome.problems
    op = Restructuring.objects.get(kind="plan")
    assert op.decision_body == "Tỉnh ủy" and op.date == D(2025, 7, 1)
    assert OrgUnit.objects.get(code="A-T").parent_id == tree.province.pk
