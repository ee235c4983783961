"""Pure helpers: tables without the database."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.documents import rules
from ptdv.documents.registry import _percent


@pytest.mark.parametrize(
    ("value", "place", "expected"),
    [
        (dt.date(2019, 3, 5), "Chợ Đồn", "Chợ Đồn, ngày 05 tháng 3 năm 2019"),
        (dt.date(2019, 3, 5), "", "ngày 05 tháng 3 năm 2019"),
        (dt.date(2020, 1, 15), "", "ngày 15 tháng 01 năm 2020"),
        (dt.date(2020, 2, 9), "", "ngày 09 tháng 02 năm 2020"),
        (dt.date(2020, 12, 31), "", "ngày 31 tháng 12 năm 2020"),
        (dt.datetime(2021, 10, 1, 8, 30), "", "ngày 01 tháng 10 năm 2021"),
        ("2019-03-05", "", "ngày 05 tháng 3 năm 2019"),
        ("05/03/2019", "", "ngày 05 tháng 3 năm 2019"),
        (None, "Chợ Đồn", "Chợ Đồn, ngày …… tháng …… năm ……"),
        ("", "", "ngày …… tháng …… năm ……"),
    ],
)
def test_vn_date(value: object, place: str, expected: str) -> None:
    assert rules.vn_date(value, place) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2019, 3, 5), "05/03/2019"),
        (dt.date(1998, 12, 31), "31/12/1998"),
        (None, "……/……/………"),
        ("not a date", "……/……/………"),
    ],
)
def test_dmy(value: object, expected: str) -> None:
    assert rules.dmy(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Thị Ưng", "Nguyen Thi Ung"),
        ("Đặng Văn Ẩn", "Dang Van An"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "DANG CONG SAN VIET NAM"),
        ("Lường Thị Ơn", "Luong Thi On"),
    ],
)
def test_ascii_fold(text: str, expected: str) -> None:
    assert rules.ascii_fold(text) == expected


@pytest.mark.parametrize(
    ("parts", "ext", "expected"),
    [
        (
            ["QD-ket-nap", "125-QĐ/HU", "Nguyễn Thị Ưng"],
            "pdf",
            "QD-ket-nap_125-QD-HU_Nguyen-Thi-Ung.pdf",
        ),
        (["GCN", "", "Đặng Văn Ẩn"], "DOCX", "GCN_Dang-Van-An.docx"),
        (["", "///"], "pdf", "van-ban.pdf"),
        (["a" * 300], "pdf", "a" * 60 + ".pdf"),
    ],
)
def test_filename(parts: list[str], ext: str, expected: str) -> None:
    name = rules.filename(parts, ext)
    assert name == expected
    assert name.isascii()
    assert "/" not in name and " " not in name


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (19, 22, "86,4"),
        (2, 3, "66,7"),
        (20, 20, "100"),
        (0, 7, "0"),
        (5, 0, "……"),
        (None, 7, "……"),
    ],
)
def test_percent(part: object, whole: object, expected: str) -> None:
    assert _percent(part, whole) == expected
