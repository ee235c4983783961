import pytest

from ptdv.core.text import fold, name_sort_key, normalize_spaces


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG THỊ ỨNG", "dang thi ung"),
        ("  Hoàng   Thị\u00a0Hằng ", "hoang thi hang"),
        ("Nguye\u0302\u0303n", "nguyen"),  # NFD input
    ],
)
def test_fold_strips_diacritics(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_normalize_spaces_is_nfc() -> None:
    assert normalize_spaces("Nguye\u0302\u0303n ") == "Nguyễn"


def test_people_sort_by_given_name_then_middle_then_family() -> None:
    names = [
        "Trần Văn Bình",
        "Nguyễn Thị Ánh",
        "Lê Văn An",
        "Hoàng Văn Ân",
        "Đỗ Thị Anh",
        "Bùi Văn Ăn",
        "Nguyễn Văn Anh",
        "Phạm Đức Đông",
        "Vũ Văn Dũng",
        "Lò Thị Ưng",
        "Ma Văn Uyên",
    ]
    ordered = sorted(names, key=name_sort_key)
    # letter by letter: a < ă < â, so "Anh" comes before "Ăn"; tones only break ties
    assert ordered == [
        "Lê Văn An",
        "Đỗ Thị Anh",
        "Nguyễn Văn Anh",
        "Nguyễn Thị Ánh",
        "Bùi Văn Ăn",
        "Hoàng Văn Ân",
        "Trần Văn Bình",
        "Vũ Văn Dũng",
        "Phạm Đức Đông",
        "Ma Văn Uyên",
        "Lò Thị Ưng",
    ]
