"""Excel workbooks with typed cells: numbers as numbers, dates as real dates shown
dd/mm/yyyy, identifiers (CCCD, card numbers) as text so leading zeros stay."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ptdv.core.spreadsheet import safe_cell

TEXT = "text"
DATE = "date"
NUMBER = "number"
PERCENT = "percent"


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: int = 14


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)  # may be a generator
    heading: str = ""  # a line above the table (organization, period)


def _cell_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == TEXT:
        return str(value)
    if kind == DATE:
        return value if isinstance(value, dt.date) else None
    return value


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook, written row by row (openpyxl's write-only mode): the rows may be a
    generator over a queryset's ``iterator()``, so a 100,000-row export holds one row at
    a time, not every cell."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F4")
    formats = {DATE: "dd/mm/yyyy", TEXT: "@", PERCENT: "0.0", NUMBER: "#,##0"}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        for c, col in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = col.width
        start = 3 if sheet.heading else 1
        ws.freeze_panes = f"A{start + 1}"  # before the first row: written with it
        if sheet.heading:
            heading = safe_cell(WriteOnlyCell(ws), sheet.heading)
            heading.font = Font(bold=True, size=12)
            ws.append([heading])
            ws.append([])
        headers = []
        for col in sheet.columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            headers.append(cell)
        ws.append(headers)
        for row in sheet.rows:
            cells = []
            for col, value in zip(sheet.columns, row, strict=True):
                cell = safe_cell(WriteOnlyCell(ws), _cell_value(value, col.kind))
                if col.kind in formats:
                    cell.number_format = formats[col.kind]
                cells.append(cell)
            ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
