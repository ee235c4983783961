"""``ptdv restructure plan FILE [--dry-run]`` and ``ptdv restructure undo ID``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.organizations.models import OrgUnit, Restructuring
from ptdv.restructuring.tests.helpers import MERGE_PLAN, D, member, plan_file

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("restructure", *args, stdout=out)
    return out.getvalue()


def test_dry_run_then_apply_then_undo(tree: Any, tmp_path: Path) -> None:
    get_user_model().objects.create_superuser("admin", password="x" * 10)
    member(tree.cell, "Hoàng Thị Mai")
    path = plan_file(tmp_path, MERGE_PLAN)
    printed = _run("plan", str(path), "--dry-run")
    assert "Không thay đổi gì" in printed or "không thay đổi" in printed.lower()
    line_a = next(x for x in printed.splitlines() if x.startswith("A "))
    assert "1 → 0" in line_a  # A's member leaves on 01/07/2025
    assert not OrgUnit.objects.filter(code="N").exists()

    printed = _run("plan", str(path))
    op = Restructuring.objects.get(kind="plan", undone_at__isnull=True)
    assert f"#{op.pk}" in printed
    assert OrgUnit.objects.get(code="A").valid_to == D(2025, 6, 30)
    assert f"#{op.pk}" in _run("list")

    _run("undo", str(op.pk))
    assert OrgUnit.objects.get(code="A").valid_to is None
    assert not OrgUnit.objects.filter(code="N").exists()
    with pytest.raises(CommandError, match="hoàn tác"):
        _run("undo", str(op.pk))


def test_refused_plan_names_row_and_changes_nothing(tree: Any, tmp_path: Path) -> None:
    get_user_model().objects.create_superuser("admin", password="x" * 10)
    path = plan_file(tmp_path, ["A-X,ZZ9,,,01/07/2025,QĐ 1,,,,"])
    with pytest.raises(CommandError) as exc:
        _run("plan", str(path))
    assert "Dòng 2" in str(exc.value) and "Tên đơn vị mới" in str(exc.value)
    assert not Restructuring.objects.exists()
