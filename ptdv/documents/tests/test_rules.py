"""Pure helpers: tables without the database."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.documents import rules
from ptdv.documents.registry.base import _percent


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


@pytest.mark.parametrize(
    ("org", "committee", "symbol", "place"),
    [
        ("Đảng bộ huyện Chợ Đồn", "Huyện ủy Chợ Đồn", "QĐ/HU", "Chợ Đồn"),
        ("Đảng bộ tỉnh Bắc Kạn", "Tỉnh ủy Bắc Kạn", "QĐ/TU", "Bắc Kạn"),
        ("Đảng bộ thành phố Bắc Kạn", "Thành ủy Bắc Kạn", "QĐ/TU", "Bắc Kạn"),
        ("Đảng bộ xã Ngọc Phái", "Đảng ủy xã Ngọc Phái", "QĐ/ĐU", "Ngọc Phái"),
        ("Đảng bộ thị trấn Bằng Lũng", "Đảng ủy thị trấn Bằng Lũng", "QĐ/ĐU", "Bằng Lũng"),
        ("Đảng bộ Công an huyện", "Đảng ủy Công an huyện", "QĐ/ĐU", ""),
        ("Chi bộ thôn Nà Pậu", "Chi bộ thôn Nà Pậu", "QĐ/CB", ""),
        ("Ban Tổ chức", "Ban Tổ chức", "QĐ", ""),
    ],
)
def test_header_names(org: str, committee: str, symbol: str, place: str) -> None:
    assert rules.committee_name(org) == committee
    assert rules.number_symbol(org, "QĐ") == symbol
    assert rules.place_of(org) == place


@pytest.mark.parametrize(
    ("day", "regulation", "guidance"),
    [
        (dt.date(2019, 3, 5), "29-QĐ/TW ngày 25/7/2016", "01-HD/TW ngày 20/9/2016"),
        (dt.date(2021, 7, 29), "29-QĐ/TW", "01-HD/TW ngày 20/9/2016"),
        (dt.date(2021, 7, 30), "24-QĐ/TW ngày 30/7/2021", "01-HD/TW ngày 20/9/2016"),
        (dt.date(2021, 9, 28), "24-QĐ/TW", "01-HD/TW ngày 28/9/2021"),
        (dt.date(2025, 1, 20), "232-QĐ/TW ngày 20/01/2025", "01-HD/TW ngày 28/9/2021"),
        (dt.date(2025, 6, 30), "232-QĐ/TW", "01-HD/TW ngày 28/9/2021"),
        (dt.date(2025, 7, 1), "294-QĐ/TW ngày 26/5/2025", "06-HD/TW ngày 09/6/2025"),
        (None, "294-QĐ/TW", "06-HD/TW"),
    ],
)
def test_legal_bases_on(day: dt.date | None, regulation: str, guidance: str) -> None:
    bases = rules.legal_bases_on(day)
    assert bases[0] == "Điều lệ Đảng Cộng sản Việt Nam;"
    assert regulation in bases[1]
    assert guidance in bases[2]


def test_legal_bases_before_2016_cite_only_the_charter() -> None:
    assert rules.legal_bases_on(dt.date(2010, 5, 1)) == ["Điều lệ Đảng Cộng sản Việt Nam;"]
