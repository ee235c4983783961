"""The rows of a plan file: its columns, reading .csv/.xlsx, parsing each row (dates,
yes/no) into a ``PlanRow`` or a ``Problem`` that names the row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.core.text import fold, normalize_spaces
from ptdv.restructuring.columns import HEADERS

DAY = dt.timedelta(days=1)

REQUIRED = ("date", "decision_number")
COLUMNS = list(HEADERS)


def header_label(field_name: str) -> str:
    return HEADERS[field_name][0]


def _header_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for f, (main, aliases) in HEADERS.items():
        for text in (main, *aliases):
            out[fold(text)] = f
    return out


@dataclass
class PlanRow:
    row: int
    old_code: str = ""
    new_code: str = ""
    new_name: str = ""
    new_parent: str = ""
    date: dt.date | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    decision_body: str = ""
    note: str = ""
    authorised: bool | None = None


@dataclass
class Problem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": header_label(self.field) if self.field in HEADERS else self.field,
            "message": self.message,
        }


class PlanError(DomainError):
    """The plan is refused as a whole; ``problems`` names each row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "\n".join(str(p) for p in problems[:50]), code="plan_invalid", field="file"
        )


_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(text)


_YES = {"co", "x", "yes", "true", "1", "duoc"}
_NO = {"khong", "no", "false", "0", ""}


def parse_rows(raw: list[tuple[int, dict[str, Any]]]) -> tuple[list[PlanRow], list[Problem]]:
    """Plan rows from ``(row number, {field: cell value})`` pairs, with the cell problems."""
    rows: list[PlanRow] = []
    problems: list[Problem] = []
    for rownum, values in raw:
        r = PlanRow(row=rownum)
        ok = True
        for f in ("old_code", "new_code", "new_parent"):
            setattr(r, f, normalize_spaces(str(values.get(f) or "")).upper())
        for f in ("new_name", "decision_number", "decision_body", "note"):
            setattr(r, f, normalize_spaces(str(values.get(f) or "")))
        for f in ("date", "decision_date"):
            try:
                setattr(r, f, _date(values.get(f)))
            except ValueError as exc:
                problems.append(
                    Problem(
                        rownum,
                        f,
                        _("“%(value)s” is not a date (write dd/mm/yyyy).") % {"value": exc},
                    )
                )
                ok = False
        auth = fold(str(values.get("authorised") or "")).strip()
        if auth in _YES:
            r.authorised = True
        elif auth in _NO:
            r.authorised = None if not auth else False
        else:
            problems.append(Problem(rownum, "authorised", _("Write “có” or “không”.")))
            ok = False
        if not (r.old_code or r.new_code or r.new_name or r.new_parent):
            continue  # an empty line
        if ok:
            rows.append(r)
    return rows, problems


def read_file(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a plan file (.csv or .xlsx): the first row whose cells name columns of
    the plan is the header; rows are numbered as the user sees them."""
    index = _header_index()
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        table = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        for candidate in wb.worksheets:
            if candidate.title.lower() not in {"hướng dẫn", "danh mục"}:
                ws = candidate
                break
        table = [list(r) for r in ws.iter_rows(values_only=True)]
    else:
        raise DomainError(_("A restructuring plan is a .csv or .xlsx file."), field="file")
    for i, line in enumerate(table):
        fields = [index.get(fold(str(c or "")).strip()) for c in line]
        if "old_code" in fields and "new_code" in fields:
            out = []
            for j, data in enumerate(table[i + 1 :], start=i + 2):
                values = {f: data[k] for k, f in enumerate(fields) if f and k < len(data)}
                out.append((j, values))
            return out
    raise DomainError(
        _("No header row with the columns “%(old)s” and “%(new)s” was found.")
        % {"old": header_label("old_code"), "new": header_label("new_code")},
        field="file",
    )
