"""Loading the rule-set files: typed, immutable, chosen by date; bad files refused clearly."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from ptdv.policy import loader
from ptdv.policy.loader import PolicyFileError, parse_policy, policy_by_code, policy_on

D = dt.date
GOOD = (loader.POLICY_DIR / "2025-07.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (D(1995, 1, 1), "2016"),  # before every file: the oldest applies
        (D(2016, 7, 24), "2016"),
        (D(2016, 7, 25), "2016"),
        (D(2021, 7, 29), "2016"),
        (D(2021, 7, 30), "2021"),
        (D(2025, 1, 19), "2021"),
        (D(2025, 1, 20), "2025-01"),  # 232-QĐ/TW, in force on signing
        (D(2025, 6, 30), "2025-01"),
        (D(2025, 7, 1), "2025-07"),
        (D(2030, 1, 1), "2025-07"),
    ],
)
def test_policy_on(day: dt.date, code: str) -> None:
    assert policy_on(day).code == code


def test_policy_on_accepts_a_datetime() -> None:
    assert policy_on(dt.datetime(2025, 7, 1, 8, 30)).code == "2025-07"


def test_all_policies_oldest_first_and_cached() -> None:
    policies = loader.all_policies()
    assert [p.code for p in policies] == ["2016", "2021", "2025-01", "2025-07"]
    assert loader.all_policies()[0] is policies[0]
    with pytest.raises(KeyError):
        policy_by_code("1999")


@pytest.mark.parametrize("code", ["2016", "2021", "2025-01", "2025-07"])
def test_every_reference_key_has_value_source_and_label(code: str) -> None:
    p = policy_by_code(code)
    section_8 = {
        "age.min_months": 216,
        "age.max_months_normal": 720,
        "education.min_default": "lower_secondary",
        "education.min_special_area": "primary",
        "education.min_village_elder": "literate",
        "cert.awareness.validity_months": 60,
        "dossier.stale_after_months": 12,
        "introducers.default_count": 2,
        "introducers.youth_age_max": 30,
        "introducers.min_cowork_months": 12,
        "vote.chi_bo.admission": [2, 3],
        "vote.grassroots.propose": [2, 3],
        "vote.grassroots.authorised_decide": [2, 3],
        "vote.upper_btv.decide": [1, 2],
        "vote.max_attempts_then_escalate": 3,
        "deadline.upper_decide_admission_wd": 60,
        "deadline.upper_decide_recognition_wd": 30,
        "deadline.upper_extension_max_wd": 30,
        "deadline.ceremony_wd": 30,
        "probation.months": 12,
        "deadline.recognition_review_wd": 30,
        "deadline.member_record_wd": 30,
        "chi_bo.min_official_members": 3,
    }
    for key, value in section_8.items():
        assert p.values[key] == value, key
    for key in [
        *section_8,
        "age.reference_event",
        "age.over_max_requires",
        "introducers.youth_union_path",
        "introducers.trade_union_path",
        "introducers.union_path_members",
        "vote.recognition",
        "official_date_rule",
        "party_age.start",
        "calendar",
    ]:
        assert p.sources[key].strip(), key
        assert p.labels[key] in loader.LABELS, key
    assert p.is_uncertain("introducers.youth_age_max")
    assert p.is_uncertain("vote.upper_btv.decide")
    assert not p.is_uncertain("age.min_months")
    assert p.vote_cell_ratio == (2, 3) and p.vote_upper_strict is True


def test_policy_is_immutable() -> None:
    p = policy_by_code("2021")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.age_min_months = 1  # type: ignore[misc]


def test_2025_cites_294_and_2021_cites_24() -> None:
    assert "294-QĐ/TW" in policy_by_code("2025-07").sources["age.min_months"]
    assert "24-QĐ/TW" in policy_by_code("2021").sources["age.min_months"]
    assert "29-QĐ/TW" in policy_by_code("2016").sources["age.min_months"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code = 'x'\ntitle = [", "not valid TOML"),
        (GOOD.replace('code = "2025-07"', ""), "'code'"),
        (GOOD.replace("effective_from = 2025-07-01", 'effective_from = "1/7/2025"'), "date"),
        (GOOD.replace("value = 216", 'value = "216"'), "'age.min_months' must be"),
        (GOOD.replace("value = 216", "value = -1"), "'age.min_months' must be"),
        (GOOD.replace("value = [2, 3]", "value = [3, 2]", 1), "'vote.chi_bo.admission'"),
        (GOOD.replace('value = "lower_secondary"', 'value = "college"'), "education level"),
        (GOOD.replace('[rules."probation.months"]', '[rules."probation.other"]'), "missing"),
        (GOOD.replace('label = "VERIFIED"', 'label = "SURE"', 1), "'label' must be"),
        (
            GOOD.replace(
                'source = "Quy định 294-QĐ/TW ngày 26/5/2025, điểm 1.1.1"', 'source = ""', 1
            ),
            "non-empty 'source'",
        ),
        (GOOD.replace("value = 216", "value = 216\nvalu = 3"), "unknown field"),
        (GOOD.replace("value = 720", "value = 100"), "greater than"),
    ],
)
def test_malformed_file_gives_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(PolicyFileError) as err:
        parse_policy(text, name="broken.toml")
    assert str(err.value).startswith("broken.toml: ")
    assert message in str(err.value)


def test_directory_with_two_files_for_the_same_date_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD.replace('code = "2025-07"', 'code = "b"'), "utf-8")
    with pytest.raises(PolicyFileError, match="take effect on 2025-07-01"):
        loader.load_dir(tmp_path)


def test_new_file_with_a_later_date_takes_over(tmp_path: Path) -> None:
    (tmp_path / "2025-07.toml").write_text(GOOD, encoding="utf-8")
    later = GOOD.replace('code = "2025-07"', 'code = "2027"').replace(
        "effective_from = 2025-07-01", "effective_from = 2027-01-01"
    )
    (tmp_path / "2027.toml").write_text(later.replace("value = 60\n", "value = 48\n", 1), "utf-8")
    policies = loader.load_dir(tmp_path)
    assert [p.code for p in policies] == ["2025-07", "2027"]
    assert policies[1].cert_awareness_validity_months == 48


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="no rule-set file"):
        loader.load_dir(tmp_path)
