"""Excel workbooks with typed cells: numbers as numbers, dates as real dates shown
dd/mm/yyyy, identifiers (CCCD, card numbers) as text so leading zeros stay."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
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
    rows: list[Sequence[Any]] = field(default_factory=list)
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
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F4")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        start = 1
        if sheet.heading:
            safe_cell(ws.cell(row=1, column=1), sheet.heading).font = Font(bold=True, size=12)
            start = 3
        for c, col in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=start, column=c, value=col.header)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(c)].width = col.width
        for r, row in enumerate(sheet.rows, start=start + 1):
            for c, (col, value) in enumerate(zip(sheet.columns, row, strict=True), start=1):
                cell = safe_cell(ws.cell(row=r, column=c), _cell_value(value, col.kind))
                if col.kind == DATE:
                    cell.number_format = "dd/mm/yyyy"
                elif col.kind == TEXT:
                    cell.number_format = "@"
                elif col.kind == PERCENT:
                    cell.number_format = "0.0"
                elif col.kind == NUMBER:
                    cell.number_format = "#,##0"
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
