"""A rule-set file in words (issue 16 point 3): every key and every value of every shipped
file has its Vietnamese wording, with its unit; no table needs a database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from ptdv.policy import display
from ptdv.policy.loader import all_policies


@pytest.mark.parametrize("policy", all_policies(), ids=lambda p: p.code)
def test_every_key_and_value_of_every_file_has_words(policy: object) -> None:
    values = policy.values  # type: ignore[attr-defined]
    missing = [(k, v) for k, v in values.items() if not display.known(k, v)]
    assert not missing, missing
    with translation.override("vi"):
        for key, value in values.items():
            label, text = display.key_label(key), display.value_text(key, value)
            assert key not in label and "_" not in text, (key, label, text)


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("age.min_months", 216, "216 tháng (18 tuổi)"),
        ("age.max_months_normal", 720, "720 tháng (60 tuổi)"),
        ("cert.awareness.validity_months", 60, "60 tháng (5 năm)"),
        ("introducers.min_cowork_months", 12, "12 tháng (1 năm)"),
        ("introducers.youth_age_max", 30, "30 tuổi"),
        ("deadline.ceremony_wd", 30, "30 ngày làm việc"),
        ("chi_bo.min_official_members", 3, "3 đồng chí"),
        ("vote.max_attempts_then_escalate", 3, "3 lần"),
        ("vote.chi_bo.admission", [2, 3], "2/3"),
        ("age.max_inclusive", True, "Có"),
        ("cert.awareness.valid_on_anniversary", False, "Không"),
        ("education.min_default", "lower_secondary", "bằng tốt nghiệp trung học cơ sở"),
        ("party_age.start", "decision_date", "ngày ký quyết định kết nạp"),
        (
            "vote.denominator_exclusions",
            ["suspended", "prosecuted_detained"],
            "bị đình chỉ sinh hoạt đảng; bị khởi tố, truy tố, tạm giam",
        ),
        ("some.date", dt.date(2025, 7, 1), "01/07/2025"),
    ],
)
def test_values_in_words(key: str, value: object, text: str) -> None:
    with translation.override("vi"):
        assert display.value_text(key, value) == text


def test_status_words() -> None:
    with translation.override("vi"):
        assert display.status_text("VERIFIED") == "đã xác minh"
        assert display.status_text("VERIFIED (secondary)") == "đã xác minh (nguồn thứ cấp)"
        assert display.status_text("UNCERTAIN") == "cần xác minh"


def test_notes_name_booleans_as_the_page_shows_them() -> None:
    with translation.override("vi"):
        assert display.note_text("true: phải quá tỷ lệ; false: đạt là đủ.") == (
            "Có: phải quá tỷ lệ; Không: đạt là đủ."
        )
