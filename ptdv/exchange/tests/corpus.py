"""Messy workbooks like the ones committees keep, generated for the tests."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl

from ptdv.exchange.legacy import unicode_to_tcvn3, unicode_to_vni

PEOPLE_HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Dân tộc",
    "Tôn giáo",
    "Mã chi bộ",
    "Tình trạng",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
]


def person_row(
    name: str,
    dob: Any,
    gender: str = "Nam",
    cid: Any = None,
    ethnicity: str = "Kinh",
    religion: str = "Không",
    org: str = "A-X-1",
    status: str = "Quần chúng",
    admitted: Any = None,
    official: Any = None,
    card: Any = None,
) -> list[Any]:
    return [
        None,
        name,
        dob,
        gender,
        cid,
        ethnicity,
        religion,
        org,
        status,
        admitted,
        official,
        card,
    ]


def write(
    path: Path,
    rows: list[list[Any]],
    *,
    header: list[str] | None = None,
    title: str | None = "DANH SÁCH ĐẢNG VIÊN VÀ QUẦN CHÚNG",
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header or PEOPLE_HEADER)
    for i, row in enumerate(rows, start=1):
        if row and row[0] is None:
            row = [i, *row[1:]]
        ws.append(row)
    wb.save(path)
    return path


def messy(path: Path) -> Path:
    """Two-row header with merged cells, a numbering row, TCVN3 / VNI / NFD names,
    CCCD as float and as text with zeros, Excel and text dates, blank rows, trailing
    spaces, a formula with a cached value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    ws.append(["ĐẢNG BỘ XÃ XUÂN"])
    ws.append(["DANH SÁCH TRÍCH NGANG"])
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Số CCCD",
            "Dân tộc",
            "Mã chi bộ",
            "Ngày tháng",
            None,
            "Số thẻ",
        ]
    )
    ws.append([None, None, None, None, None, None, None, "Vào Đảng", "Chính thức", None])
    for rng in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "H3:I3", "J3:J4"):
        ws.merge_cells(rng)
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"])
    ws.append(
        [
            1,
            unicode_to_tcvn3("Nguyễn Văn Đức"),
            dt.datetime(1990, 5, 17),
            "Nam",
            float("001090012345"),
            "Tày",
            "A-X-1",
            "12/03/2015",
            "12/03/2016",
            1234567.0,
        ]
    )
    ws.append([])
    ws.append(
        [
            2,
            unicode_to_vni("Hoàng Thị Thuý Hằng"),
            "03/02/1995",
            "Nữ",
            "002195001234",
            "Tay",
            "A-X-1",
            None,
            None,
            None,
        ]
    )
    ws.append(
        [
            3,
            unicodedata.normalize("NFD", "Lò Văn Dền") + "   ",
            "1/1/1988",
            "nam ",
            None,
            "Thái",
            "A-X-2",
            dt.date(2020, 6, 1),
            None,
            None,
        ]
    )
    ws.append([None, None, None, None, None, None, None, None, None, None])
    ws.append([4, "Triệu Thị Mùi", 33000, "Nữ", "'001190004321'", "Dao", "A-X-1", None, None, None])
    ws["E11"] = "001190004321"
    wb.save(path)
    return path
