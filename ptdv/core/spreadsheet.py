"""Formula-safe spreadsheet cells, for every Excel and CSV export.

A name typed or imported as ``=HYPERLINK("http://…")``, ``+84…``, ``-1+2``, ``@SUM(…)`` or
starting with a tab or carriage return must reach the user's spreadsheet as the text it
is, never as a formula that Excel or LibreOffice runs ("CSV/formula injection").

- Excel (openpyxl): ``safe_cell(cell, value)`` sets a value; a string is stored as a
  string cell (openpyxl would otherwise store ``=…`` as a formula) and a risky one gets
  the "quote prefix" style, Excel's own mark of "typed as text" (the text stays
  unchanged, so an export re-imports as it was). ``safe_row(ws, values)`` prepares a row
  for ``ws.append`` (normal or write-only sheets).
- CSV: ``safe_csv(value)`` prefixes a risky string with an apostrophe (OWASP advice), as
  CSV has no cell types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """Whether a spreadsheet could read ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(cell: Any, value: Any) -> Any:
    """Put ``value`` into the openpyxl ``cell``; strings always as text. Returns the cell."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes "=…" a formula ("f")
        if is_risky(value):
            cell.quotePrefix = True
    return cell


def safe_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """``values`` for ``ws.append``: risky strings wrapped in text cells of ``ws``; cells
    already built (styled) are made safe in place."""
    from openpyxl.cell import Cell, WriteOnlyCell

    out: list[Any] = []
    for value in values:
        if isinstance(value, Cell):
            if isinstance(value.value, str):
                safe_cell(value, value.value)
            out.append(value)
        elif is_risky(value):
            out.append(safe_cell(WriteOnlyCell(ws), value))  # append() places it
        else:
            out.append(value)
    return out


def safe_csv(value: Any) -> Any:
    """A CSV field: a risky string gets a leading apostrophe."""
    return "'" + value if is_risky(value) else value
