"""Pure parsing rules as tables (no database)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ptdv.exchange import cells, legacy, vocab
from ptdv.exchange.reader import Cell, _combine

NAMES = [
    "Nguyễn Văn Đức",
    "Hoàng Thị Thuý Hằng",
    "Lê Thị Ngọc Ánh",
    "Đặng Quốc Hưng",
    "Nông Văn Dền",
    "Quách Thị Hoà",
    "Ông Ích Khiêm",
    "Triệu Thị Mùi",
    "Lò Văn Ưởng",
    "Phạm Thị Ơn",
    "Chi bộ thôn Nà Pậu",
]


@pytest.mark.parametrize("name", NAMES)
def test_tcvn3_text_is_converted(name: str) -> None:
    assert legacy.to_unicode(legacy.unicode_to_tcvn3(name)) == (name, "tcvn3")


@pytest.mark.parametrize("name", NAMES)
def test_vni_text_is_converted(name: str) -> None:
    assert legacy.to_unicode(legacy.unicode_to_vni(name)) == (name, "vni")


@pytest.mark.parametrize("name", [*NAMES, "Nguyen Van A", "Hoà", "Thuỷ", "Ê Đê", "H'Mông"])
def test_unicode_text_is_left_alone_and_nfc(name: str) -> None:
    assert legacy.to_unicode(name) == (name, "unicode")
    assert legacy.to_unicode(unicodedata.normalize("NFD", name)) == (name, "unicode")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17/05/1990", dt.date(1990, 5, 17)),
        ("1/2/1990", dt.date(1990, 2, 1)),
        ("17-05-1990", dt.date(1990, 5, 17)),
        ("17.05.1990", dt.date(1990, 5, 17)),
        ("1990-05-17", dt.date(1990, 5, 17)),
        (dt.datetime(1990, 5, 17), dt.date(1990, 5, 17)),
        (33000, dt.date(1990, 5, 7)),
        (None, None),
    ],
)
def test_dates(value: object, expected: dt.date | None) -> None:
    assert cells.parse_date(Cell(value)) == expected


@pytest.mark.parametrize("value", ["31/02/2020", "30/13/2020", "1990", "17/05/90", "ngày 5", 3.5])
def test_bad_dates(value: object) -> None:
    with pytest.raises(cells.CellError):
        cells.parse_date(Cell(value))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (Cell("001090012345"), "001090012345"),
        (Cell(" 001 090 012 345 "), "001090012345"),
        (Cell(1090012345.0), "001090012345"),  # a number: Excel dropped the zeros
        (Cell(1090012345), "001090012345"),
        (Cell(1090012345, "000000000000"), "001090012345"),
        (Cell(None), ""),
    ],
)
def test_citizen_ids(cell: Cell, expected: str) -> None:
    assert cells.parse_citizen_id(cell) == expected


@pytest.mark.parametrize("value", ["01090012345", "0010900123456", "00109001234X", 1.5, True])
def test_bad_citizen_ids(value: object) -> None:
    with pytest.raises(cells.CellError):
        cells.parse_citizen_id(Cell(value))


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("gender", "NỮ", "female"),
        ("gender", "nam ", "male"),
        ("ethnicity", "Tày", "02"),
        ("ethnicity", "H'Mông", "08"),
        ("ethnicity", "Mông", "08"),
        ("ethnicity", "8", "08"),
        ("religion", "Thiên chúa giáo", "catholicism"),
        ("education_general", "12/12", "upper_secondary"),
        ("education_general", "11/12", "lower_secondary"),
        ("education_general", "7/10", "lower_secondary"),
        ("education_professional", "Cử nhân", "university"),
        ("status", "Dự bị", "probationary"),
        ("status", "dang vien chinh thuc", "official"),
        ("youth_union_member", "x", True),
        ("kind", "Chi bộ", "cell"),
    ],
)
def test_value_lists(field: str, text: str, expected: object) -> None:
    assert cells.parse_choice(field, Cell(text)) == expected


def test_unknown_value_is_a_problem() -> None:
    with pytest.raises(cells.CellError):
        cells.parse_choice("religion", Cell("Thờ cúng xyz"))


def test_uncached_formula_is_a_problem() -> None:
    with pytest.raises(cells.CellError):
        cells.read("full_name", Cell(None, uncached_formula=True))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ho va ten", "full_name"),
        ("Ngày, tháng, năm sinh", "date_of_birth"),
        ("Số CCCD", "citizen_id"),
        ("Số định danh cá nhân", "citizen_id"),
        ("Ngày tháng Vào Đảng", "admitted_on"),
        ("Ngày tháng Chính thức", "official_on"),
        ("Số thẻ đảng viên", "card_number"),
        ("Trình độ văn hoá", "education_general"),
        ("Mã chi bộ", "org_code"),
        ("STT", ""),
        ("Sở thích", None),
    ],
)
def test_headers_are_guessed(header: str, field: str | None) -> None:
    assert vocab.guess_field("people", header) == field


def test_two_row_header_with_merged_cells() -> None:
    top = ["STT", "Họ và tên", "Ngày tháng", "", "Ghi chú"]
    bottom = ["", "", "Vào Đảng", "Chính thức", ""]
    assert _combine(top, bottom) == [
        "STT",
        "Họ và tên",
        "Ngày tháng Vào Đảng",
        "Ngày tháng Chính thức",
        "Ghi chú",
    ]
