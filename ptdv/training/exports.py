"""Excel export of a class: roster with attendance and results, and the certificates."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ptdv.core.spreadsheet import safe_row
from ptdv.people.choices import ETHNIC_GROUPS
from ptdv.training.models import Certificate, ClassSession, Enrolment, TrainingClass

ETHNICITY = dict(ETHNIC_GROUPS)
DATE_FORMAT = "DD/MM/YYYY"


def _header(ws: Any, title: str, headers: list[str], widths: list[int]) -> None:
    ws.append(safe_row(ws, [title]))
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=3, column=i)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"


def class_workbook(
    klass: TrainingClass,
    roster: list[Enrolment],
    sessions: list[ClassSession],
    grid: dict[tuple[int, int], bool],
    certificates: list[Certificate],
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách học viên"
    headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Chi bộ / đơn vị",
        "Trạng thái",
        *[f"Buổi {i} ({s.date:%d/%m})" for i, s in enumerate(sessions, start=1)],
        "Số buổi có mặt",
        "Kết quả",
        "Điểm",
        "Xếp loại",
        "Hoàn thành",
        "Số giấy chứng nhận",
    ]
    widths = [6, 28, 12, 10, 12, 34, 14, *[11] * len(sessions), 10, 10, 8, 12, 11, 20]
    _header(
        ws,
        f"Lớp {klass.code} — {klass.name} ({klass.start_on:%d/%m/%Y} – {klass.end_on:%d/%m/%Y})",
        headers,
        widths,
    )
    for n, e in enumerate(roster, start=1):
        p = e.person
        result = getattr(e, "result", None)
        cert = getattr(e, "certificate", None)
        marks = [grid.get((e.pk, s.pk)) for s in sessions]
        ws.append(
            safe_row(
                ws,
                [
                    n,
                    p.full_name,
                    p.date_of_birth,
                    "Nữ" if p.gender == "female" else "Nam",
                    ETHNICITY.get(p.ethnicity, ""),
                    p.org_unit.name,
                    str(e.get_status_display()),
                    *["x" if m else ("v" if m is False else "") for m in marks],
                    sum(1 for m in marks if m),
                    ("Đạt" if result.passed else "Không đạt") if result else "",
                    float(result.score) if result and result.score is not None else None,
                    result.grade if result else "",
                    ("Có" if result.completed else "Không") if result else "",
                    cert.number if cert else "",
                ],
            )
        )
        ws.cell(row=ws.max_row, column=3).number_format = DATE_FORMAT
        score_col = 7 + len(sessions) + 3
        ws.cell(row=ws.max_row, column=score_col).number_format = "0.0"
    ws2 = wb.create_sheet("Giấy chứng nhận")
    _header(
        ws2,
        f"Sổ cấp giấy chứng nhận — lớp {klass.code}",
        [
            "STT",
            "Số giấy chứng nhận",
            "Họ và tên",
            "Ngày sinh",
            "Ngày cấp",
            "Giá trị đến",
            "Người ký",
        ],
        [6, 22, 28, 12, 12, 12, 24],
    )
    for n, c in enumerate(certificates, start=1):
        ws2.append(
            safe_row(
                ws2,
                [
                    n,
                    c.number,
                    c.person.full_name,
                    c.person.date_of_birth,
                    c.issued_on,
                    c.valid_until,
                    c.signer,
                ],
            )
        )
        for col in (4, 5, 6):
            ws2.cell(row=ws2.max_row, column=col).number_format = DATE_FORMAT
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
