"""Reading committees' Excel files: checks, header detection, streamed rows.

Memory stays bounded: openpyxl in read-only mode streams the sheet; nothing holds all
rows. A header may span two rows (merged cells: in read-only mode the merged area is the
top-left value and blanks), may sit under a title, and may be followed by a row of
column numbers "(1) (2) …". Formulas: the cached value is read; a formula without a
cached value (a file written by a program that does not compute) is reported per cell.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.core.spreadsheet import safe_row
from ptdv.core.text import fold, normalize_spaces
from ptdv.exchange import legacy, sheetxml
from ptdv.exchange.vocab import guess_field

MAX_ROWS = 100_000
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # a zip bomb is refused before parsing
HEADER_SCAN_ROWS = 15
MAX_COLUMNS = 256  # a list wider than this is not a list of people: refused, not scanned


class FileRefusedError(DomainError):
    """The whole file is refused; nothing is imported."""


def max_bytes() -> int:
    return int(getattr(settings, "PTDV_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def check_file(path: Path, *, name: str = "") -> str:
    """Refuse what is not a readable .xlsx workbook; return its SHA-256."""
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise FileRefusedError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            code="file_too_large",
        )
    if size == 0:
        raise FileRefusedError(_("The file is empty."), code="file_empty")
    with path.open("rb") as fh:
        head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            fh.seek(0)
            blob = fh.read(min(size, 4 * 1024 * 1024))
            if "EncryptionInfo".encode("utf-16-le") in blob:
                raise FileRefusedError(
                    _(
                        "The workbook is protected by a password. Open it in Excel, remove "
                        "the password (File → Info → Protect Workbook) and save it again."
                    ),
                    code="file_encrypted",
                )
            raise FileRefusedError(
                _(
                    "This is an old Excel 97–2003 file (.xls). Open it in Excel or LibreOffice "
                    "and save it as an Excel workbook (.xlsx)."
                ),
                code="file_xls",
            )
        if not head.startswith(b"PK"):
            raise FileRefusedError(
                _("The file is not an Excel workbook (.xlsx): %(name)s.")
                % {"name": name or path.name},
                code="file_not_excel",
            )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            total = sum(info.file_size for info in zf.infolist())
            if "xl/workbook.xml" not in names:
                raise FileRefusedError(
                    _("The file is a ZIP archive but not an Excel workbook (.xlsx)."),
                    code="file_not_excel",
                )
            if total > MAX_UNCOMPRESSED:
                raise FileRefusedError(
                    _("The workbook is too large once uncompressed."), code="file_too_large"
                )
            bad = zf.testzip()
            if bad is not None:
                raise FileRefusedError(
                    _("The workbook is damaged (part %(part)s). Save it again in Excel.")
                    % {"part": bad},
                    code="file_corrupt",
                )
    except zipfile.BadZipFile:
        raise FileRefusedError(
            _("The workbook is damaged and cannot be read. Save it again in Excel."),
            code="file_corrupt",
        )
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def csv_to_xlsx(path: Path, out: Path) -> Path:
    """A .csv file (UTF-8, comma, semicolon or tab separated) as a one-sheet workbook, so
    that it goes through the same reading as an Excel file. Cells stay text."""
    import csv
    import io

    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if path.stat().st_size > max_bytes():
        raise FileRefusedError(_("The file is too large."), code="file_too_large")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefusedError(
            _("The .csv file is not in UTF-8; save it again as “CSV UTF-8”."), code="file_corrupt"
        )
    if not text.strip():
        raise FileRefusedError(_("The file is empty."), code="file_empty")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    for row in csv.reader(io.StringIO(text), dialect):
        # control characters (invisible; a workbook cannot hold them) are dropped
        row = [ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row]
        ws.append(safe_row(ws, row))  # CSV has no formulas: "=…" stays the text it was
    wb.save(out)
    return out


def _open(path: Path, *, data_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception:
        raise FileRefusedError(
            _("The workbook is damaged and cannot be read. Save it again in Excel."),
            code="file_corrupt",
        )


def text_of(value: Any, encoding: str | None = None) -> str:
    """A cell as clean Unicode text (legacy encodings converted, spaces normalised).
    Text already converted by its column (``legacy.Decoded``) is taken as it is; with an
    ``encoding`` the text is read in it (``legacy.convert``), else cell by cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, legacy.Decoded):
        return normalize_spaces(value)
    text = str(value)
    if not text.isascii():
        text = legacy.convert(text, encoding or legacy.AUTO)
    return normalize_spaces(text)


@dataclass
class Layout:
    sheet: str
    header_rows: list[int]  # 1-based
    headers: list[str]
    first_data_row: int
    estimated_rows: int
    guessed: dict[str, str] = field(default_factory=dict)  # column index → field
    # the encoding the header rows were read in: "" (cell by cell), "tcvn3" or "vni" —
    # a sheet typed in a legacy font has legacy headers whose words may look like Unicode
    header_encoding: str = ""

    @property
    def signature(self) -> str:
        key = "\x1f".join(fold(h) for h in self.headers)
        return hashlib.sha256(key.encode()).hexdigest()


def _combine(top: list[str], bottom: list[str]) -> list[str]:
    """Headers from two rows; a top cell merged across columns spreads to the right over
    the columns that have a sub-header."""
    width = max(len(top), len(bottom))
    top = top + [""] * (width - len(top))
    bottom = bottom + [""] * (width - len(bottom))
    out = []
    carry = ""
    for t, b in zip(top, bottom, strict=True):
        if t:
            carry = t
        elif not b:
            carry = ""
        upper = t or (carry if b else "")
        out.append(" ".join(x for x in (upper, b) if x))
    return out


def _score(kind: str, headers: list[str]) -> int:
    fields = {guess_field(kind, h) for h in headers if h}
    fields.discard(None)
    return len(fields)


def _is_numbering_row(values: list[str]) -> bool:
    cells = [v.strip("()[] ") for v in values if v]
    return bool(cells) and all(c.isdigit() for c in cells) and len(cells) >= 3


def _best_header(
    kind: str,
    ws: Any,
    rows: list[list[str]],
    encoding: str,
    best: tuple[int, Layout] | None,
    max_row: int,
) -> tuple[int, Layout] | None:
    """The best header found so far, compared with the rows of this sheet read in this
    encoding (a tie keeps the earlier: the cell-by-cell reading first)."""
    for i in range(len(rows)):
        candidates = [([i], rows[i])]
        if i + 1 < len(rows) and any(rows[i]) and any(rows[i + 1]):
            candidates.append(([i, i + 1], _combine(rows[i], rows[i + 1])))
        for idx, headers in candidates:
            score = _score(kind, headers)
            if best is None or score > best[0]:
                nxt = idx[-1] + 1
                if nxt < len(rows) and _is_numbering_row(rows[nxt]):
                    nxt += 1
                best = (
                    score,
                    Layout(
                        sheet=ws.title,
                        header_rows=[r + 1 for r in idx],
                        headers=headers,
                        first_data_row=nxt + 1,
                        estimated_rows=max(0, max_row - nxt),
                        header_encoding=encoding,
                    ),
                )
    return best


def inspect(path: Path, kind: str) -> Layout:
    """Find the sheet and its header rows."""
    wb = _open(path, data_only=True)
    try:
        best: tuple[int, Layout] | None = None
        for ws in wb.worksheets[:5]:
            raws = list(
                ws.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS + 1, values_only=True)
            )
            if any(len(raw) > MAX_COLUMNS and raw[MAX_COLUMNS] not in (None, "") for raw in raws):
                raise FileRefusedError(
                    _(
                        "The sheet “%(sheet)s” has more than %(n)s columns. Delete the columns "
                        "that are not part of the list and save the file again."
                    )
                    % {"sheet": ws.title, "n": MAX_COLUMNS},
                    code="too_many_columns",
                )
            # a sheet without its size recorded (written in streaming mode) is counted
            max_row = ws.max_row if ws.max_row is not None else sheetxml.row_count(ws)
            for encoding in (legacy.AUTO, "tcvn3", "vni"):
                rows = [[text_of(v, encoding) for v in raw] for raw in raws]
                best = _best_header(kind, ws, rows, encoding, best, max_row)
        if best is None or best[0] < 2:
            raise FileRefusedError(
                _(
                    "No header row was recognised in the first %(n)s rows. The file needs a "
                    "row of column titles such as “Họ và tên”, “Ngày sinh”; download the "
                    "template to see them."
                )
                % {"n": HEADER_SCAN_ROWS},
                code="no_header",
            )
        layout = best[1]
        while layout.headers and not layout.headers[-1]:
            layout.headers.pop()
        layout.guessed = {}
        taken: set[str] = set()
        for col, header in enumerate(layout.headers):
            f = guess_field(kind, header) if header else None
            if f and f not in taken:
                layout.guessed[str(col)] = f
                taken.add(f)
        if layout.estimated_rows > MAX_ROWS:
            raise too_many_rows()
        return layout
    finally:
        wb.close()


def too_many_rows() -> FileRefusedError:
    return FileRefusedError(
        _("The sheet has more than %(n)s rows. Split it into smaller files.")
        % {"n": f"{MAX_ROWS:,}".replace(",", ".")},
        code="too_many_rows",
    )


@dataclass(frozen=True)
class Cell:
    value: Any
    number_format: str = "General"
    uncached_formula: bool = False


def column_encodings(path: Path, layout: Layout) -> dict[str, dict[str, Any]]:
    """The encoding of each column holding non-ASCII text, decided from the whole column
    (``legacy.ColumnStats``), with a few of its texts for the preview:
    {column index: {"encoding": "unicode" | "tcvn3" | "vni", "samples": [...]}}. One
    streamed pass over the sheet; memory does not grow with the rows."""
    wb = _open(path, data_only=True)
    try:
        ws = wb[layout.sheet]
        width = len(layout.headers)
        stats = [legacy.ColumnStats() for _ in range(width)]
        for raw in ws.iter_rows(min_row=layout.first_data_row, max_col=width, values_only=True):
            for i, value in enumerate(raw):
                if isinstance(value, str):
                    stats[i].add(value)
    finally:
        wb.close()
    out: dict[str, dict[str, Any]] = {}
    for i, st in enumerate(stats):
        if not st.cells:
            continue
        encoding = st.encoding()
        hdr = layout.header_encoding
        if (
            encoding == "unicode"
            and hdr
            and not st.telltale["unicode"]
            and st.scores[hdr] >= st.scores["unicode"]
        ):
            encoding = hdr  # nothing tells in this column: the sheet's font decides
        out[str(i)] = {"encoding": encoding, "samples": st.samples}
    return out


def effective_encodings(
    detected: dict[str, dict[str, Any]], override: dict[str, str] | None = None
) -> dict[int, str]:
    """Column index → the encoding its cells are read in: the user's choice, else the
    detected legacy encoding, else cell by cell (``legacy.AUTO``)."""
    out: dict[int, str] = {}
    for col, info in detected.items():
        chosen = (override or {}).get(col) or ""
        if chosen in legacy.ENCODINGS:
            out[int(col)] = chosen
        elif info.get("encoding") in ("tcvn3", "vni"):
            out[int(col)] = info["encoding"]
    return out


# The signature and footer block under a table: "T/M CHI ỦY", "BÍ THƯ", "Người lập biểu",
# "Nơi nhận:", "(Ký, ghi rõ họ tên)", "…, ngày 15 tháng 3 năm 2025", "Tổng cộng" (folded).
_FOOTER = re.compile(
    r"^(t/ ?m\b|t\.m\b|tm\.|tm\s+(chi|dang|ban|cap)|tong cong\b|cong\s*:)"
    r"|nguoi lap|nguoi ghi|nguoi ky|noi nhan|xac nhan cua|\(ky|ky ten|ky,|ghi ro ho ten"
    r"|^(pho )?bi thu\b|^thu truong|^truong ban|^chu nhiem"
    r"|ngay\W*(\d+|\.+|…+)?\W*thang\W*(\d+|\.+|…+)?\W*nam\b"
)
FOOTER_MAX_CELLS = 4


def is_footer(values: list[Any]) -> bool:
    """A row of a signature or footer block: a few text cells, one of them a marker."""
    filled = [v for v in values if v is not None and str(v).strip()]
    if not filled or len(filled) > FOOTER_MAX_CELLS:
        return False
    if not all(isinstance(v, str) for v in filled):
        return False
    return any(_FOOTER.search(" ".join(fold(v).split())) for v in filled)


def _footer_like(values: list[Any]) -> bool:
    """After a footer marker: the signer's name and title lines (a few text cells)."""
    filled = [v for v in values if v is not None and str(v).strip()]
    return len(filled) <= FOOTER_MAX_CELLS and all(isinstance(v, str) for v in filled)


def iter_rows(
    path: Path,
    layout: Layout,
    encodings: dict[int, str] | None = None,
    info: dict[str, Any] | None = None,
) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) of the data rows, blank rows skipped. Streams two parallel
    read-only views of the sheet: cached values and formulas. Text is converted to
    Unicode in its column's encoding (``encodings``; cell by cell for other columns).
    A signature or footer block under the table is skipped (``is_footer``: from its first
    marker row, the rows of a few text cells); ``info`` receives its first row and the
    number of rows skipped."""
    encodings = encodings or {}
    info = info if info is not None else {}
    info.setdefault("footer_rows", 0)
    values_wb = _open(path, data_only=True)
    formulas_wb = None
    try:
        vs = values_wb[layout.sheet]
        width = len(layout.headers)
        start = layout.first_data_row
        # the formulas are read (a second parallel pass) only when the sheet has any
        formulas: Iterator[tuple[Any, ...]] = itertools.repeat(())
        if sheetxml.has_formulas(vs):
            formulas_wb = _open(path, data_only=False)
            fs = formulas_wb[layout.sheet]
            formulas = fs.iter_rows(min_row=start, max_col=width, values_only=True)
        count = 0
        for rownum, (vrow, frow) in enumerate(
            zip(vs.iter_rows(min_row=start, max_col=width), formulas, strict=False),
            start=start,
        ):
            cells = []
            blank = True
            for i, vcell in enumerate(vrow):
                value = getattr(vcell, "value", None)
                if isinstance(value, str):
                    if not value.strip():
                        value = None
                    elif not value.isascii():
                        value = legacy.convert(value, encodings.get(i, legacy.AUTO))
                formula = frow[i] if i < len(frow) else None
                uncached = value is None and isinstance(formula, str) and formula.startswith("=")
                if value is not None or uncached:
                    blank = False
                cells.append(
                    Cell(value, getattr(vcell, "number_format", "General") or "General", uncached)
                )
            if blank:
                continue
            values = [c.value for c in cells]
            if (info.get("footer_row") and _footer_like(values)) or is_footer(values):
                info.setdefault("footer_row", rownum)
                info["footer_rows"] += 1
                continue
            count += 1
            if count > MAX_ROWS:
                raise too_many_rows()
            cells += [Cell(None)] * (width - len(cells))
            yield rownum, cells
    finally:
        values_wb.close()
        if formulas_wb is not None:
            formulas_wb.close()
