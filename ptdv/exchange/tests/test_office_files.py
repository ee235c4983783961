"""Files as offices keep them (issue 16, point 6): split "Nam"/"Nữ" birth-date columns, a
signature block under the table, a per-row "Chi bộ" column by name, free-text values,
uncertain matches decided by the user (never a silent duplicate), progress lines."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ptdv.exchange import reader, services, vocab
from ptdv.people.choices import Gender, GeneralEducation, Occupation, ProfessionalEducation
from ptdv.people.models import Person

pytestmark = pytest.mark.django_db


def _party_form(path: Path, rows: list[list[Any]], footer: bool = True) -> Path:
    """The layout of many party forms: title, a two-row header with the birth date
    split into Nam | Nữ, a numbering row, the people, then the signature block."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ĐẢNG BỘ XÃ XUÂN"])
    ws.append(["DANH SÁCH QUẦN CHÚNG"])
    ws.append(["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Chi bộ", "Trình độ học vấn",
               "Trình độ chuyên môn", "Nghề nghiệp"])  # fmt: skip
    ws.append([None, None, "Nam", "Nữ"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    if footer:
        ws.append([])
        ws.append([None, None, None, None, "Xuân, ngày 15 tháng 3 năm 2025"])
        ws.append([None, "Người lập biểu", None, None, "T/M CHI ỦY"])
        ws.append([None, None, None, None, "BÍ THƯ"])
        ws.append([None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"])
        ws.append([None, "Nguyễn Văn Lập", None, None, "Trần Văn Thư"])
    wb.save(path)
    return path


ROWS = [
    ["Lò Văn Pó", "12/03/1990", None, "Chi bộ thôn Nà Pậu", "Lớp 12/12", "ĐH", "Cán bộ xã"],
    ["Hà Thị Dung", None, "05/07/1995", "Trường Tiểu học", "12/12", "Đại học", "Nông dân"],
    ["Vàng Văn Sủ", "01/01/1988", None, "A-X-1", "THPT", "CĐ", "cán bộ, công chức xã"],
    ["Lường Thị Xuân", None, "20/11/2000", "chi bộ trường tiểu học", "Đại học", "TC", "Làm ruộng"],
]  # fmt: skip


def _import(user: Any, unit: Any, path: Path, **kw: Any) -> tuple[Any, Any]:
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=unit, path=path, file_name=path.name
    )
    return batch, services.batch_commit(actor=user, batch=batch, **kw)


def test_party_form_with_split_birth_dates_cell_names_free_text_and_signatures(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    path = _party_form(tmp_path / "f.xlsx", ROWS)
    user = personas.district_officer
    batch, outcome = _import(user, tree.grassroots, path)
    assert batch.header_rows == [3, 4]
    assert set(batch.mapping.values()) >= {
        "date_of_birth_male", "date_of_birth_female", "org_code", "education_general",
        "education_professional", "occupation",
    }  # fmt: skip
    assert outcome.committed, outcome.problems
    assert outcome.created == 4 and outcome.rows == 4
    assert outcome.details["footer_row"] == 11 and outcome.details["footer_rows"] == 5
    po = Person.objects.get(full_name="Lò Văn Pó")
    assert (po.date_of_birth, po.gender) == (dt.date(1990, 3, 12), Gender.MALE)
    assert po.org_unit == tree.cell
    assert po.education_general == GeneralEducation.UPPER_SECONDARY
    assert po.education_professional == ProfessionalEducation.UNIVERSITY
    assert po.occupation == Occupation.CIVIL_SERVANT
    dung = Person.objects.get(full_name="Hà Thị Dung")
    assert (dung.date_of_birth, dung.gender) == (dt.date(1995, 7, 5), Gender.FEMALE)
    assert dung.org_unit == tree.other_cell  # by name without "Chi bộ"
    assert Person.objects.get(full_name="Lường Thị Xuân").org_unit == tree.other_cell
    assert Person.objects.get(full_name="Vàng Văn Sủ").org_unit == tree.cell
    assert not Person.objects.filter(full_name__in=["Nguyễn Văn Lập", "Trần Văn Thư"]).exists()
    # the same file again: nothing changes
    _b, second = _import(user, tree.grassroots, path)
    assert second.committed and (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert Person.objects.count() == 4


def test_both_birth_columns_filled_or_unknown_cell_is_a_problem_and_nothing_is_written(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    rows = [
        ["Lò Văn Pó", "12/03/1990", "12/03/1990", "A-X-1", None, None, None],
        ["Hà Thị Dung", None, "05/07/1995", "Chi bộ không có", None, None, None],
        ["Vàng Văn Sủ", "01/01/1988", None, "Thôn Bản Mới", None, None, None],  # other scope
        ["Lý Văn Tú", "01/01/1980", None, None, None, None, None],
    ]
    path = _party_form(tmp_path / "f.xlsx", rows, footer=False)
    _b, outcome = _import(personas.district_officer, tree.grassroots, path)
    assert not outcome.committed
    assert {p["row"] for p in outcome.problems} == {6, 7, 8}
    messages = " ".join(p["message"] for p in outcome.problems)
    assert "Chi bộ không có" in messages
    assert Person.objects.count() == 0


def test_free_text_forms_are_preloaded() -> None:
    assert vocab.lookup("education_general", "Lớp 12/12") == GeneralEducation.UPPER_SECONDARY
    assert vocab.lookup("education_general", "lớp 9") == GeneralEducation.LOWER_SECONDARY
    assert vocab.lookup("education_general", "ĐH") == GeneralEducation.UPPER_SECONDARY
    assert vocab.lookup("education_professional", "ĐH") == ProfessionalEducation.UNIVERSITY
    assert vocab.lookup("occupation", "Cán bộ xã") == Occupation.CIVIL_SERVANT


def test_footer_rows_are_recognised_and_data_rows_are_not() -> None:
    assert reader.is_footer([None, "T/M CHI ỦY"])
    assert reader.is_footer(["Nà Pậu, ngày 15 tháng 3 năm 2025"])
    assert reader.is_footer(["ngày ... tháng ... năm 20..."])
    assert reader.is_footer(["Người lập biểu", None, "BÍ THƯ"])
    assert not reader.is_footer([1, "Bí Thị Thư", "01/01/1990", "Nữ"])
    assert not reader.is_footer(["Lò Văn Tháng", "Nam"])


def test_a_match_in_another_unit_is_put_to_the_user_never_silently_duplicated(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    user = personas.district_officer
    first = _party_form(tmp_path / "a.xlsx", [ROWS[0]], footer=False)
    _import(user, tree.grassroots, first)
    moved = [["Lò Văn Pó", "12/03/1990", None, "A-X-2", None, None, None]]
    path = _party_form(tmp_path / "b.xlsx", moved, footer=False)
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=path, file_name="b.xlsx"
    )
    preview = services.batch_preview(actor=user, batch=batch)
    assert [m["row"] for m in preview.matches] == [6] and preview.problem_count == 0
    undecided = services.batch_commit(actor=user, batch=batch)
    assert not undecided.committed and undecided.problems[0]["row"] == 6
    assert Person.objects.count() == 1
    new = services.batch_commit(actor=user, batch=batch, new_rows=[6])
    assert new.committed and new.created == 1
    assert Person.objects.filter(full_name="Lò Văn Pó").count() == 2


def test_command_line_prints_progress_and_refuses_undecided_matches(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    user = personas.district_officer
    path = _party_form(tmp_path / "a.xlsx", ROWS)
    err = StringIO()
    call_command("import", str(path), kind="people", org="A-X", user=user.username,
                 stdout=StringIO(), stderr=err)  # fmt: skip
    assert "0 %" in err.getvalue()
    moved = [["Lò Văn Pó", "12/03/1990", None, "A-X-2", None, None, None]]
    other = _party_form(tmp_path / "b.xlsx", moved, footer=False)
    with pytest.raises(CommandError):
        call_command("import", str(other), kind="people", org="A-X", user=user.username,
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert Person.objects.count() == 4


def test_progress_is_written_from_another_thread_so_the_bar_moves_during_the_import() -> None:
    """The import runs in one transaction; the relay writes the job's progress from its
    own thread (its own database connection, in autocommit), the latest value only."""
    import threading

    seen: list[tuple[float, int]] = []
    relay = services.ProgressRelay(
        lambda pct, msg="": seen.append((pct, threading.get_ident())), interval=0.01, enabled=True
    )
    with relay:
        for pct in (1, 5, 40, 99):
            relay(pct)
    assert seen and seen[-1][0] == 99
    assert all(ident != threading.get_ident() for _pct, ident in seen)
    direct: list[float] = []
    with services.ProgressRelay(lambda pct, msg="": direct.append(pct), enabled=False) as off:
        off(7)
    assert direct == [7]


def test_users_extend_the_free_text_values_and_imports_read_them(
    tree: Any, personas: Any, tmp_path: Path, client: Any
) -> None:
    from ptdv.core.errors import DomainError
    from ptdv.exchange.models import ValueAlias

    rows = [["Lò Văn Pó", "12/03/1990", None, "A-X-1", "12/12", "ĐH", "Cán bộ địa chính"]]
    path = _party_form(tmp_path / "f.xlsx", rows, footer=False)
    user = personas.district_officer
    _b, refused = _import(user, tree.grassroots, path)
    assert not refused.committed and "Cán bộ địa chính" in refused.problems[0]["message"]
    client.force_login(user)
    assert client.get("/exchange/values/").status_code == 200
    response = client.post(
        "/exchange/values/", {"text": "Cán bộ địa chính", "target": "occupation:civil_servant"}
    )
    assert response.status_code == 302 and ValueAlias.objects.count() == 1
    page = client.get("/exchange/values/").content.decode()
    assert "Cán bộ địa chính" in page and "Cán bộ xã" in page
    _b, outcome = _import(user, tree.grassroots, path)
    assert outcome.committed, outcome.problems
    assert Person.objects.get(full_name="Lò Văn Pó").occupation == Occupation.CIVIL_SERVANT
    with pytest.raises(DomainError):  # already means something
        services.value_alias_add(actor=user, field="occupation", text="cán bộ xã",
                                 value="farmer")  # fmt: skip
    with pytest.raises(DomainError):
        services.value_alias_add(actor=user, field="occupation", text="x", value="astronaut")
    with pytest.raises(DomainError):  # a leader who does not import
        services.value_alias_add(actor=personas.viewer, field="occupation", text="y",
                                 value="farmer")  # fmt: skip
    alias = ValueAlias.objects.get()
    client.post("/exchange/values/", {"delete": str(alias.uid)})
    assert ValueAlias.objects.count() == 0
