from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ptdv.exchange import services
from ptdv.exchange.models import ImportBatch
from ptdv.exchange.tests import corpus
from ptdv.people.models import Person

pytestmark = pytest.mark.django_db


def _batch(user: Any, unit: Any, path: Path, kind: str = "people") -> ImportBatch:
    return services.batch_create_from_path(
        actor=user, kind=kind, org_unit=unit, path=path, file_name=path.name
    )


def test_messy_workbook_imports_with_every_cell_understood(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    path = corpus.messy(tmp_path / "messy.xlsx")
    user = personas.district_officer
    batch = _batch(user, tree.grassroots, path)
    assert batch.header_rows == [3, 4]
    assert set(batch.mapping.values()) >= {
        "full_name",
        "date_of_birth",
        "citizen_id",
        "admitted_on",
        "official_on",
        "card_number",
        "org_code",
    }
    preview = services.batch_preview(actor=user, batch=batch)
    assert preview.problems == [], preview.problems
    assert Person.objects.count() == 0
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.committed and outcome.created == 4
    duc = Person.objects.get(citizen_id="001090012345")
    assert duc.full_name == "Nguyễn Văn Đức"
    assert duc.ethnicity == "02"
    assert duc.status == "official"
    assert duc.admitted_on == dt.date(2015, 3, 12)
    assert duc.card_number == "1234567"
    hang = Person.objects.get(citizen_id="002195001234")
    assert hang.full_name == "Hoàng Thị Thuý Hằng"
    assert hang.date_of_birth == dt.date(1995, 2, 3)
    den = Person.objects.get(full_name="Lò Văn Dền")
    assert den.status == "probationary" and den.org_unit == tree.other_cell
    mui = Person.objects.get(full_name="Triệu Thị Mùi")
    assert mui.date_of_birth == dt.date(1990, 5, 7)
    assert mui.citizen_id == "001190004321"


def _rows() -> list[list[Any]]:
    return [
        corpus.person_row("Nguyễn Văn An", "17/05/1990", "Nam", "001090012345"),
        corpus.person_row(
            "Lê Thị Bình",
            "03/02/1985",
            "Nữ",
            "001185001111",
            status="Đảng viên chính thức",
            admitted="01/01/2010",
            official="01/01/2011",
            card="00123456",
        ),
        corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", None, ethnicity="Tày"),
    ]


def _import(user: Any, unit: Any, path: Path, confirmed: list[int] | None = None) -> Any:
    batch = _batch(user, unit, path)
    return batch, services.batch_commit(actor=user, batch=batch, confirmed_rows=confirmed)


def test_same_file_twice_changes_nothing_second_time(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    path = corpus.write(tmp_path / "a.xlsx", _rows())
    user = personas.district_officer
    _b, first = _import(user, tree.grassroots, path)
    assert (first.created, first.updated) == (3, 0)
    from ptdv.audit.models import AuditEntry

    audits = AuditEntry.objects.count()
    batch, second = _import(user, tree.grassroots, path)
    assert second.committed
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Person.objects.count() == 3
    assert services.summary_text(0, 0).startswith("0 ")
    assert AuditEntry.objects.count() == audits + 2  # uploaded + committed only
    assert second.matches == []  # name + birth date + unit: a certain match, not asked


def test_same_file_twice_without_a_flag_does_not_duplicate_people_without_cccd(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    path = corpus.write(tmp_path / "a.xlsx", _rows())
    user = personas.district_officer
    _import(user, tree.grassroots, path)
    _b, second = _import(user, tree.grassroots, path)
    assert (second.created, second.unchanged) == (0, 3)
    assert Person.objects.filter(full_name="Hà Văn Cường").count() == 1


def test_row_without_cccd_naming_a_person_this_file_creates_is_a_problem(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    """The person of row 4 is only written at the end of the chunk, so row 5 (no CCCD, same
    name and birth date) cannot be shown as a match to confirm: it is a problem instead
    of a silent second record."""
    rows = [
        corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", "001099000777"),
        corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", None),
    ]
    user = personas.district_officer
    _b, outcome = _import(user, tree.grassroots, corpus.write(tmp_path / "a.xlsx", rows))
    assert not outcome.committed
    assert [(p["row"], p["column"]) for p in outcome.problems] == [(5, "Số CCCD")]
    assert "4" in outcome.problems[0]["message"]
    assert not Person.objects.exists()


def test_a_person_updated_by_an_earlier_row_is_read_again(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    """Row 4 (no CCCD, confirmed match) updates a recorded person; row 5 names the same
    person by CCCD with the same data: it sees row 4's change and is unchanged."""
    from ptdv.people.services import person_create

    person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Hà Văn Cường",
        date_of_birth=dt.date(1999, 9, 9),
        gender="male",
        citizen_id="001099000777",
    )
    rows = [
        corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", None, ethnicity="Tày"),
        corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", "001099000777", ethnicity="Tày"),
    ]
    user = personas.district_officer
    path = corpus.write(tmp_path / "a.xlsx", rows)
    _b, outcome = _import(user, tree.grassroots, path, confirmed=[4])
    assert outcome.committed, outcome.problems
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    assert Person.objects.get().ethnicity == "02"


def test_any_bad_row_imports_nothing_and_lists_every_problem(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    rows = _rows() + [
        corpus.person_row("Sai Ngày", "31/02/2020", "Nam"),
        corpus.person_row("Sai Số", "01/01/1990", "Nam", "01090012345"),
        corpus.person_row("Sai Mã", "01/01/1990", "Nữ", org="KHONG-CO"),
        corpus.person_row("Trùng Số", "17/05/1990", "Nam", "001090012345"),
        corpus.person_row("Thiếu Ngày", "01/01/1980", "Nam", status="Đảng viên dự bị"),
        corpus.person_row("Ngoài Phạm Vi", "01/01/1980", "Nam", org="B-Y-1"),
    ]
    path = corpus.write(tmp_path / "bad.xlsx", rows)
    user = personas.district_officer
    batch, outcome = _import(user, tree.grassroots, path)
    assert not outcome.committed
    assert Person.objects.count() == 0
    by_row = {p["row"]: p for p in outcome.problems}
    assert set(by_row) == {7, 8, 9, 10, 11, 12}
    assert by_row[7]["column"] == "Ngày sinh" and "31/02/2020" in by_row[7]["message"]
    assert by_row[8]["column"] == "Số CCCD" and "12" in by_row[8]["message"]
    assert by_row[9]["column"] == "Mã chi bộ"
    assert by_row[10]["column"] == "Số CCCD" and "dòng 4" in by_row[10]["message"]
    assert by_row[11]["column"] == "Ngày vào Đảng"
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.report["problem_count"] == 6


def test_undo_restores_the_state_before_the_batch(tree: Any, personas: Any, tmp_path: Path) -> None:
    user = personas.district_officer
    _import(user, tree.grassroots, corpus.write(tmp_path / "a.xlsx", _rows()[:1]))
    rows = _rows()
    rows[0][6] = "Phật giáo"  # an update of the first person
    batch, outcome = _import(user, tree.grassroots, corpus.write(tmp_path / "b.xlsx", rows))
    assert (outcome.created, outcome.updated) == (2, 1)
    an = Person.objects.get(citizen_id="001090012345")
    assert an.religion == "buddhism"
    services.batch_undo(actor=user, batch=batch)
    assert Person.objects.count() == 1
    an.refresh_from_db()
    assert an.religion == "none"
    from ptdv.audit.models import AuditEntry
    from ptdv.people.models import MembershipEvent

    assert MembershipEvent.objects.count() == 0
    assert AuditEntry.objects.filter(action="exchange.batch.undone").count() == 1
    batch.refresh_from_db()
    assert batch.status == "undone"
    with pytest.raises(services.DomainError):
        services.batch_undo(actor=user, batch=batch)


def test_undo_refused_when_a_record_changed_since(tree: Any, personas: Any, tmp_path: Path) -> None:
    from ptdv.people.services import person_update

    user = personas.district_officer
    batch, _o = _import(user, tree.grassroots, corpus.write(tmp_path / "a.xlsx", _rows()))
    person = Person.objects.get(citizen_id="001090012345")
    person_update(actor=user, person=person, phone="0912345678")
    with pytest.raises(services.DomainError):
        services.batch_undo(actor=user, batch=batch)
    assert Person.objects.count() == 3


@pytest.mark.parametrize("persona", ["cell_secretary", "viewer", "sibling_officer"])
def test_import_refused_without_permission(
    tree: Any, personas: Any, tmp_path: Path, persona: str
) -> None:
    path = corpus.write(tmp_path / "a.xlsx", _rows())
    with pytest.raises(services.DomainError):
        _batch(getattr(personas, persona), tree.grassroots, path)


def test_organizations_import_creates_updates_and_is_idempotent(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    from ptdv.organizations.models import OrgUnit

    header = ["Mã", "Tên tổ chức đảng", "Loại", "Mã cấp trên", "Khu vực"]
    rows = [
        ["A-X-3", "Chi bộ thôn Mới", "Chi bộ trực thuộc", "A-X", "Thôn, tổ dân phố"],
        ["A-X-1", "Chi bộ thôn Nà Pậu", "Chi bộ trực thuộc", "A-X", "Đơn vị sự nghiệp công lập"],
    ]
    path = corpus.write(tmp_path / "o.xlsx", rows, header=header)
    user = personas.district_officer
    batch = _batch(user, tree.district, path, kind="organizations")
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.problems == []
    assert (outcome.created, outcome.updated) == (1, 1)
    new = OrgUnit.objects.get(code="A-X-3")
    assert new.parent == tree.grassroots and new.sector == "residential"
    batch2 = _batch(user, tree.district, path, kind="organizations")
    assert services.batch_commit(actor=user, batch=batch2).unchanged == 2
    services.batch_undo(actor=user, batch=batch2)
    services.batch_undo(actor=user, batch=batch)
    closed = OrgUnit.objects.get(code="A-X-3")
    assert closed.valid_to == closed.valid_from
    tree.cell.refresh_from_db()
    assert tree.cell.sector == "residential"


def test_formula_without_cached_value_is_reported_and_cached_values_are_read(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    import openpyxl

    path = corpus.write(tmp_path / "f.xlsx", _rows()[:1])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append([None, '=CONCATENATE("Lê ","Văn Tám")', "01/01/1990", "Nam"])  # never computed
    wb.save(path)
    batch = _batch(personas.district_officer, tree.grassroots, path)
    outcome = services.batch_preview(actor=personas.district_officer, batch=batch)
    assert [(p["row"], p["column"]) for p in outcome.problems] == [(5, "Họ và tên")]
    assert "công thức" in outcome.problems[0]["message"]


def test_too_many_rows_refused_whole(
    tree: Any, personas: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from ptdv.exchange import reader

    monkeypatch.setattr(reader, "MAX_ROWS", 2)
    path = corpus.write(tmp_path / "big.xlsx", _rows())
    with pytest.raises(reader.FileRefusedError) as exc:
        batch = _batch(personas.district_officer, tree.grassroots, path)
        services.batch_preview(actor=personas.district_officer, batch=batch)
    assert exc.value.code == "too_many_rows"
    assert Person.objects.count() == 0


def test_sheet_without_a_header_is_refused(tree: Any, personas: Any, tmp_path: Path) -> None:
    from ptdv.exchange import reader

    path = corpus.write(tmp_path / "x.xlsx", [[1, 2, 3]], header=["a", "b", "c"], title=None)
    with pytest.raises(reader.FileRefusedError) as exc:
        _batch(personas.district_officer, tree.grassroots, path)
    assert exc.value.code == "no_header"


def test_reading_streams_rows_with_bounded_memory(tmp_path: Path) -> None:
    """The reader streams: the peak memory while reading 1,500 rows is a small fraction
    of what holding them would take, and does not grow with the row count."""
    import tracemalloc

    from ptdv.exchange import reader

    def peak_for(n: int) -> int:
        rows = [
            corpus.person_row(f"Người Thứ {i}", f"{1 + i % 28:02d}/01/1990", "Nam")
            for i in range(n)
        ]
        path = corpus.write(tmp_path / f"big{n}.xlsx", rows)
        layout = reader.inspect(path, "people")
        tracemalloc.start()
        count = sum(1 for _row in reader.iter_rows(path, layout))
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n
        return peak

    small, large = peak_for(100), peak_for(1500)
    assert large < 2 * small + 1024 * 1024


def test_class_enrolments_import_idempotent_and_undoable(
    tree: Any, personas: Any, tmp_path: Path
) -> None:
    from ptdv.training.models import CourseType, Enrolment
    from ptdv.training.services import class_create, institution_create

    user = personas.centre_staff
    _import(personas.district_officer, tree.grassroots, corpus.write(tmp_path / "p.xlsx", _rows()))
    inst = institution_create(
        actor=None, code="TTCT-A", name="TTCT huyện An", org_unit=tree.district
    )
    class_create(
        actor=None,
        institution=inst,
        course_type=CourseType.objects.get(code="awareness"),
        code="NT-01",
        start_on=dt.date(2030, 3, 1),
        end_on=dt.date(2030, 3, 5),
        served_units=[tree.grassroots],
    )
    header = ["STT", "Mã lớp", "Họ và tên", "Ngày sinh", "Số CCCD"]
    rows = [
        [None, "NT-01", "Nguyễn Văn An", "17/05/1990", "001090012345"],
        [None, "NT-01", "Hà Văn Cường", "09/09/1999", None],
    ]
    path = corpus.write(tmp_path / "lop.xlsx", rows, header=header)
    batch = _batch(user, tree.district, path, kind="enrolments")
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.problems == [] and outcome.created == 2
    assert Enrolment.objects.count() == 2
    again = services.batch_commit(
        actor=user, batch=_batch(user, tree.district, path, kind="enrolments")
    )
    assert (again.created, again.unchanged) == (0, 2)
    bad = corpus.write(
        tmp_path / "sai.xlsx",
        [
            [None, "NT-99", "Nguyễn Văn An", "17/05/1990", None],
            [None, "NT-01", "Không Có Ai", "01/01/1990", None],
        ],
        header=header,
    )
    refused = services.batch_commit(
        actor=user, batch=_batch(user, tree.district, bad, kind="enrolments")
    )
    assert not refused.committed and [p["row"] for p in refused.problems] == [4, 5]
    services.batch_undo(actor=user, batch=batch)
    assert Enrolment.objects.count() == 0
