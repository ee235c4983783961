"""The streamed scans of a sheet's XML (``sheetxml``): the same sizes as openpyxl's own
reading, rows counted across chunk boundaries, formulas found or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ptdv.exchange import reader, sheetxml


def _streamed(path: Path, rows: int, formula: bool = False) -> Path:
    """A workbook written in streaming mode: no <dimension> element."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["Họ và tên", "Ngày sinh", "Số CCCD"])
    for i in range(rows):
        ws.append([f"Nguyễn Văn {i}", "01/01/1990", f"{i:012d}"])
    if formula:
        ws.append(["=A2", None, None])
    wb.save(path)
    return path


def _normal(path: Path, rows: int, formula: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Số CCCD"])
    for i in range(rows):
        ws.append([f"Nguyễn Văn {i}", "01/01/1990", f"{i:012d}"])
    if formula:
        ws["D2"] = "=1+1"
    wb.save(path)
    return path


def _sheet(path: Path) -> Any:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return wb, wb.worksheets[0]


def test_size_from_the_head_is_openpyxls(tmp_path: Path) -> None:
    wb, ws = _sheet(_normal(tmp_path / "n.xlsx", 250))
    try:
        assert (ws.min_row, ws.max_row, ws.min_column, ws.max_column) == (1, 251, 1, 3)
        mine = (ws._min_column, ws._min_row, ws._max_column, ws._max_row)
        sheetxml._openpyxl_get_size(ws)  # openpyxl's full reading
        assert (ws._min_column, ws._min_row, ws._max_column, ws._max_row) == mine
    finally:
        wb.close()


def test_streamed_sheet_has_no_size_and_its_rows_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb, ws = _sheet(_streamed(tmp_path / "s.xlsx", 1234))
    try:
        assert ws.max_row is None  # as openpyxl says for such a file
        assert sheetxml.row_count(ws) == 1235
        for size in (97, 100, 256, 4096):  # tags cut at every place by the chunks
            monkeypatch.setattr(sheetxml, "CHUNK_BYTES", size)
            assert sheetxml.row_count(ws) == 1235
    finally:
        wb.close()


@pytest.mark.parametrize("make", [_normal, _streamed])
def test_formulas_found_only_where_there_are(tmp_path: Path, make: Any) -> None:
    for formula in (False, True):
        wb, ws = _sheet(make(tmp_path / f"f{formula}.xlsx", 300, formula=formula))
        try:
            assert sheetxml.has_formulas(ws) is formula
        finally:
            wb.close()


def test_streamed_file_gets_its_estimated_rows(tmp_path: Path) -> None:
    """The progress bar of a file written in streaming mode (or a CSV) moves: its rows are
    estimated although the file does not record its size."""
    layout = reader.inspect(_streamed(tmp_path / "s.xlsx", 500), "people")
    assert layout.first_data_row == 2
    assert layout.estimated_rows == 500
    assert len(list(reader.iter_rows(tmp_path / "s.xlsx", layout))) == 500
