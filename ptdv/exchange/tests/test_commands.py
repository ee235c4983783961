from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.exchange.tests import corpus
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Person

pytestmark = pytest.mark.django_db


def _rows() -> list[list[Any]]:
    return [
        corpus.person_row(
            "Nguyễn Văn An", "17/05/1990", "Nam", "001090012345", religion="Phật giáo"
        ),
        corpus.person_row(
            "Lê Thị Bình",
            "03/02/1985",
            "Nữ",
            "001185001111",
            status="Đảng viên chính thức",
            admitted="01/01/2010",
            official="01/01/2011",
            card="00123456",
            org="A-X-2",
        ),
        corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", None, ethnicity="Tày", org="A-T"),
        corpus.person_row(
            "Vàng Thị Dự",
            "09/09/2001",
            "Nữ",
            "002301000001",
            status="Đảng viên dự bị",
            admitted="01/02/2025",
            org="A-X-1",
        ),
    ]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_dry_run_changes_nothing_then_import(tree: Any, personas: Any, tmp_path: Path) -> None:
    path = corpus.write(tmp_path / "a.xlsx", _rows())
    out = _run(
        "import", str(path), "--kind", "people", "--org", "A", "--user", "bantochuc", "--dry-run"
    )
    assert "Kiểm tra" in out or "4" in out
    assert Person.objects.count() == 0
    out = _run("import", str(path), "--kind", "people", "--org", "A", "--user", "bantochuc")
    assert Person.objects.count() == 4
    out = _run(
        "import",
        str(path),
        "--kind",
        "people",
        "--org",
        "A",
        "--user",
        "bantochuc",
        "--confirm-name-matches",
    )
    assert "0 thay đổi" in out
    assert Person.objects.count() == 4


def test_problems_exit_non_zero_in_vietnamese(tree: Any, personas: Any, tmp_path: Path) -> None:
    path = corpus.write(tmp_path / "a.xlsx", [corpus.person_row("X", "31/02/2020", "Nam")])
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import",
            str(path),
            "--kind",
            "people",
            "--org",
            "A",
            "--user",
            "bantochuc",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "Không" in str(exc.value) or "không" in str(exc.value)
    assert "31/02/2020" in err.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "import", str(tmp_path / "missing.xlsx"), "--kind", "people", "--user", "bantochuc"
        )


def test_export_reimports_to_the_same_state(tree: Any, personas: Any, tmp_path: Path) -> None:
    path = corpus.write(tmp_path / "a.xlsx", _rows())
    _run("import", str(path), "--kind", "people", "--org", "A", "--user", "bantochuc")
    before = list(Person.objects.order_by("id").values())
    out_file = tmp_path / "export.xlsx"
    _run("export", "--kind", "people", "--org", "A", "--user", "bantochuc", str(out_file))
    ws = openpyxl.load_workbook(out_file)["Danh sách"]
    assert ws.max_row == 5
    out = _run(
        "import",
        str(out_file),
        "--kind",
        "people",
        "--org",
        "A",
        "--user",
        "bantochuc",
        "--confirm-name-matches",
    )
    assert "0 thay đổi" in out
    assert list(Person.objects.order_by("id").values()) == before
    orgs_file = tmp_path / "orgs.xlsx"
    _run("export", "--kind", "organizations", "--org", "A", "--user", "bantochuc", str(orgs_file))
    units_before = list(OrgUnit.objects.order_by("id").values())
    out = _run(
        "import", str(orgs_file), "--kind", "organizations", "--org", "A", "--user", "bantochuc"
    )
    assert "0 thay đổi" in out
    assert list(OrgUnit.objects.order_by("id").values()) == units_before


def test_export_into_an_empty_database_rebuilds_the_people(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    from ptdv.exchange import services
    from ptdv.exchange.models import ImportBatch

    path = corpus.write(tmp_path / "a.xlsx", _rows())
    _run("import", str(path), "--kind", "people", "--org", "A", "--user", "bantochuc")
    fields = [
        "full_name",
        "date_of_birth",
        "citizen_id",
        "status",
        "admitted_on",
        "official_on",
        "card_number",
        "org_unit_id",
        "ethnicity",
        "religion",
    ]
    before = sorted(Person.objects.values_list(*fields), key=str)
    out_file = tmp_path / "export.xlsx"
    _run("export", "--kind", "people", "--org", "A", "--user", "bantochuc", str(out_file))
    services.batch_undo(actor=personas.district_officer, batch=ImportBatch.objects.get())
    assert Person.objects.count() == 0
    _run("import", str(out_file), "--kind", "people", "--org", "A", "--user", "bantochuc")
    assert sorted(Person.objects.values_list(*fields), key=str) == before


def test_export_refused_outside_scope(tree: Any, personas: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command(
            "export",
            "--kind",
            "people",
            "--org",
            "A",
            "--user",
            "huyenkhac",
            str(tmp_path / "x.xlsx"),
            stdout=io.StringIO(),
        )
