"""Special areas from the residence (issue 15 point 2) as a table, no database: the
decision's validity on both sides, a move, a commune merged in 2025 (its villages stay
listed while the decision is in force), and the cell's flag as a confirmed fallback."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ptdv.policy.rules import areas as A

D = dt.date
NA_PAU, BAN_CUON, TO_1 = 1, 2, 3  # village ids
Q612 = "Quyết định 612/QĐ-UBDT ngày 16/09/2021 của Ủy ban Dân tộc"
Q861 = "Quyết định 861/QĐ-TTg ngày 04/06/2021 của Thủ tướng Chính phủ"
VILLAGE_LIST = A.AreaListing(
    Q612,
    "thôn đặc biệt khó khăn",
    "thôn Nà Pậu",
    frozenset({NA_PAU}),
    D(2021, 9, 16),
    D(2025, 12, 31),
)
# a commune listed in 2021 (before the 2025 merger): its villages of that date
COMMUNE_LIST = A.AreaListing(
    Q861, "xã khu vực III", "xã Bản Thi", frozenset({BAN_CUON}), D(2021, 6, 4), D(2025, 12, 31)
)
LISTS = [VILLAGE_LIST, COMMUNE_LIST]
AT_NA_PAU = [A.ResidenceSpell(NA_PAU, "Thôn Nà Pậu, xã Ngọc Phái")]
MOVED = [  # lived in the town until 30/06/2024, then in Nà Pậu
    A.ResidenceSpell(TO_1, "Tổ 1, thị trấn Bằng Lũng", None, D(2024, 6, 30)),
    A.ResidenceSpell(NA_PAU, "Thôn Nà Pậu, xã Ngọc Phái", D(2024, 7, 1)),
]
# Bản Cuôn's commune (xã Bản Thi) was merged on 01/07/2025; the village is the same place
AFTER_MERGE = [A.ResidenceSpell(BAN_CUON, "Thôn Bản Cuôn, xã Chợ Đồn mới")]
OK = A.FlagConfirmation(D(2024, 5, 2), "Vũ Văn Anh", "Chi bộ vùng cao, xác minh tại thôn.")


@pytest.mark.parametrize(
    ("name", "day", "spells", "flag", "confirmation", "applies", "basis", "source"),
    [
        (
            "listed, first day",
            D(2021, 9, 16),
            AT_NA_PAU,
            False,
            None,
            True,
            A.BASIS_RESIDENCE,
            Q612,
        ),
        ("listed, day before", D(2021, 9, 15), AT_NA_PAU, False, None, False, A.BASIS_NONE, ""),
        (
            "listed, last day",
            D(2025, 12, 31),
            AT_NA_PAU,
            False,
            None,
            True,
            A.BASIS_RESIDENCE,
            Q612,
        ),
        ("listed, day after", D(2026, 1, 1), AT_NA_PAU, False, None, False, A.BASIS_NONE, ""),
        ("moved in: day before", D(2024, 6, 30), MOVED, False, None, False, A.BASIS_NONE, ""),
        ("moved in: that day", D(2024, 7, 1), MOVED, False, None, True, A.BASIS_RESIDENCE, Q612),
        ("commune merged", D(2025, 8, 1), AFTER_MERGE, False, None, True, A.BASIS_RESIDENCE, Q861),
        ("commune, lapsed", D(2026, 1, 1), AFTER_MERGE, False, None, False, A.BASIS_NONE, ""),
        ("no residence", D(2024, 1, 1), [], False, None, False, A.BASIS_NONE, ""),
        ("flag only", D(2024, 6, 1), MOVED, True, None, False, A.BASIS_UNCONFIRMED_FLAG, ""),
        ("flag confirmed", D(2024, 6, 1), MOVED, True, OK, True, A.BASIS_CONFIRMED_FLAG, ""),
        # a listed residence needs no confirmation; the decision is cited, not the flag
        ("listed and flag", D(2024, 7, 1), MOVED, True, None, True, A.BASIS_RESIDENCE, Q612),
    ],
)
def test_special_area_on(
    name: str,
    day: dt.date,
    spells: list[A.ResidenceSpell],
    flag: bool,
    confirmation: A.FlagConfirmation | None,
    applies: bool,
    basis: str,
    source: str,
) -> None:
    v = A.special_area_on(
        day, spells, LISTS, flag=flag, flag_label="Chi bộ thôn Nà Pậu", confirmation=confirmation
    )
    assert (v.applies, v.basis, v.source) == (applies, basis, source), name


def test_the_explanation_is_vietnamese_and_names_place_date_and_decision() -> None:
    with translation.override("vi"):
        listed = A.special_area_on(D(2024, 7, 1), MOVED, LISTS, flag=False)
        lapsed = A.special_area_on(D(2026, 1, 1), AT_NA_PAU, LISTS, flag=False)
        unconfirmed = A.special_area_on(
            D(2024, 6, 1), MOVED, LISTS, flag=True, flag_label="Chi bộ X"
        )
        confirmed = A.special_area_on(
            D(2024, 6, 1), MOVED, LISTS, flag=True, flag_label="Chi bộ X", confirmation=OK
        )
    assert "01/07/2024" in listed.explanation and "Thôn Nà Pậu, xã Ngọc Phái" in listed.explanation
    assert Q612 in listed.explanation and "thôn đặc biệt khó khăn" in listed.explanation
    assert "cư trú" in listed.explanation  # Vietnamese
    assert Q612 in lapsed.explanation and "hiệu lực" in lapsed.explanation
    assert "Chi bộ X" in unconfirmed.explanation and "xác nhận" in unconfirmed.explanation
    assert "Vũ Văn Anh" in confirmed.explanation and "02/05/2024" in confirmed.explanation
    assert OK.reason in confirmed.explanation


def test_the_residence_on_a_day() -> None:
    assert A.residence_on(MOVED, D(2024, 6, 30)) == MOVED[0]
    assert A.residence_on(MOVED, D(2024, 7, 1)) == MOVED[1]
    assert A.residence_on(MOVED, D(1990, 1, 1)) == MOVED[0]  # since unknown: covers the past
    assert A.residence_on([], D(2024, 1, 1)) is None
