"""Legacy encodings decided per column from the whole column (issue 16, point 6).

Generated workbooks over a list of common Vietnamese names in TCVN3 (ABC) and VNI: every
name must come out right, including the names whose legacy bytes contain no telltale
character (they read as plausible Unicode when looked at alone)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ptdv.core.errors import DomainError
from ptdv.exchange import legacy, reader, services
from ptdv.people.models import Person

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Vũ", "Tô", "Mã", "Hà", "Lò", "Đinh", "Trương", "Tạ", "Kiều"]  # fmt: skip
MIDDLES = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Hữu", "Quốc", "Thu", "Bá", "Tố"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hằng", "Hương", "Khánh", "Lan", "Linh",
         "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tú", "Tâm", "Thảo", "Thủy", "Trang",
         "Tuấn", "Vân", "Yến", "Lý", "Vũ", "Hồ", "Tó", "Võ", "Mỹ", "Ký", "Hà", "Bé", "Tý"]  # fmt: skip
# names whose TCVN3 or VNI bytes are all plausible Unicode letters on their own
QUIET = ["Võ Tú", "Lý Tố Tú", "Võ Lộc", "Lục Tú", "Tống Phúc", "Võ Cúc", "Lý Trúc", "Vũ Tố",
         "Võ Hộ", "Lý Mộc", "Võ Tống", "Lý Tú", "Tú Lộc", "Vũ Lộc", "Võ Kỳ", "Vũ Mỹ",
         "Hà Tú", "Lý Tý", "Tô Mỹ", "Võ Văn Tú", "Lý Bá Tú", "Lê Tú"]  # fmt: skip


def common_names() -> list[str]:
    names = []
    for i, given in enumerate(GIVEN):
        for j in range(3):
            names.append(
                f"{SURNAMES[(i * 3 + j) % len(SURNAMES)]} {MIDDLES[(i + j) % len(MIDDLES)]} {given}"
            )
    return sorted(set(names + QUIET))


ENCODE = {"tcvn3": legacy.unicode_to_tcvn3, "vni": legacy.unicode_to_vni}


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_quiet_names_are_really_ambiguous_cell_by_cell(encoding: str) -> None:
    """The test list holds names a cell-by-cell detection gets wrong."""
    wrong = [n for n in QUIET if legacy.to_unicode(ENCODE[encoding](n))[0] != n]
    assert len(wrong) >= 3, wrong


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_common_name_comes_out_right_from_its_column(encoding: str) -> None:
    names = common_names()
    stats = legacy.ColumnStats()
    for name in names:
        stats.add(ENCODE[encoding](name))
    assert stats.encoding() == encoding
    wrong = [(n, legacy.convert(ENCODE[encoding](n), encoding)) for n in names]
    assert [w for w in wrong if w[0] != w[1]] == []


def test_a_unicode_column_stays_unicode_and_a_pasted_legacy_cell_is_still_converted() -> None:
    names = common_names()
    stats = legacy.ColumnStats()
    for name in names:
        stats.add(name)
    assert stats.encoding() == "unicode"
    assert all(legacy.convert(n, legacy.AUTO) == n for n in names)
    assert legacy.convert(legacy.unicode_to_tcvn3("Nguyễn Văn Đức"), legacy.AUTO) == (
        "Nguyễn Văn Đức"
    )


def test_a_unicode_cell_in_a_legacy_column_is_left_as_typed() -> None:
    assert legacy.convert("Nguyễn Văn Đức", "tcvn3") == "Nguyễn Văn Đức"
    assert legacy.convert("Phạm Thị Hằng", "vni") == "Phạm Thị Hằng"


def _workbook(path: Path, encoding: str, names: list[str], *, legacy_header: bool) -> Path:
    encode = ENCODE[encoding]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([encode("DANH SÁCH QUẦN CHÚNG")])
    header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Quê quán", "Mã chi bộ"]
    ws.append([encode(h) if legacy_header else h for h in header])
    for i, name in enumerate(names, start=1):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=97 * i)
        gender = "Nữ" if " Thị " in name else "Nam"
        ws.append([i, encode(name), born.strftime("%d/%m/%Y"), encode(gender), encode("Hà Nội"),
                   "A-X-1"])  # fmt: skip
    wb.save(path)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("legacy_header", [False, True])
def test_legacy_workbook_imports_every_name_right_and_twice_changes_nothing(
    tree: Any, personas: Any, tmp_path: Path, encoding: str, legacy_header: bool
) -> None:
    names = common_names()
    path = _workbook(tmp_path / "f.xlsx", encoding, names, legacy_header=legacy_header)
    user = personas.district_officer
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=path, file_name="f.xlsx"
    )
    assert set(batch.mapping.values()) >= {"full_name", "date_of_birth", "gender", "org_code"}
    assert batch.report["encodings"]["1"]["encoding"] == encoding
    if legacy_header:
        assert batch.report["header_encoding"] == encoding
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.committed, outcome.problems[:5]
    assert sorted(Person.objects.values_list("full_name", flat=True)) == names
    assert set(Person.objects.values_list("hometown", flat=True)) == {"Hà Nội"}
    again = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=path, file_name="f.xlsx"
    )
    second = services.batch_commit(actor=user, batch=again)
    assert second.committed and (second.created, second.updated) == (0, 0), second.problems[:3]
    assert second.unchanged == len(names)


@pytest.mark.django_db
def test_the_user_can_override_a_column_encoding(tree: Any, personas: Any, tmp_path: Path) -> None:
    names = common_names()
    path = _workbook(tmp_path / "f.xlsx", "vni", names, legacy_header=False)
    user = personas.district_officer
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=path, file_name="f.xlsx"
    )
    services.batch_set_mapping(
        actor=user, batch=batch, mapping=batch.mapping, encodings={"1": "unicode"}
    )
    batch.refresh_from_db()
    assert (
        reader.effective_encodings(batch.report["encodings"], batch.report["encoding_override"])[1]
        == "unicode"
    )
    encodings = reader.effective_encodings(
        batch.report["encodings"], batch.report["encoding_override"]
    )
    layout = reader.inspect(path, "people")
    first = next(reader.iter_rows(path, layout, encodings))[1][1].value
    assert first == legacy.unicode_to_vni(names[0])  # kept as typed, as asked
    with pytest.raises(DomainError):
        services.batch_set_mapping(
            actor=user, batch=batch, mapping=batch.mapping, encodings={"1": "latin9"}
        )


@pytest.mark.django_db
def test_the_preview_shows_each_column_before_and_after(
    tree: Any, personas: Any, tmp_path: Path, client: Any
) -> None:
    path = _workbook(tmp_path / "f.xlsx", "tcvn3", common_names(), legacy_header=True)
    user = personas.district_officer
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=path, file_name="f.xlsx"
    )
    client.force_login(user)
    page = client.get(f"/exchange/batches/{batch.uid}/").content.decode()
    assert "TCVN3 (ABC)" in page
    assert "Hà Nội" in page and legacy.unicode_to_tcvn3("Hà Nội") in page
    assert 'name="enc_1"' in page
    response = client.post(
        f"/exchange/batches/{batch.uid}/mapping",
        {f"col_{k}": v for k, v in batch.mapping.items()} | {"enc_1": "vni"},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.report["encoding_override"] == {"1": "vni"}
