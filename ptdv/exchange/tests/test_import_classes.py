"""Import of classes with enrolments and results (kind ``enrolments``, alias ``classes``)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError
from ptdv.exchange import exporter, services
from ptdv.exchange.models import BatchStatus, ImportBatch
from ptdv.exchange.tests import corpus
from ptdv.people.models import Person
from ptdv.training.models import ClassStatus, CourseType, Enrolment, Result, TrainingClass

pytestmark = pytest.mark.django_db

PEOPLE = [
    corpus.person_row("Nguyễn Văn An", "17/05/1990", "Nam", "001090012345"),
    corpus.person_row("Lê Thị Bình", "03/02/1995", "Nữ", None, org="A-X-2"),
    corpus.person_row("Hà Văn Cường", "09/09/1999", "Nam", "001099000777", ethnicity="Tày"),
    corpus.person_row(
        "Vàng Thị Dung",
        "09/09/2001",
        "Nữ",
        "002301000001",
        status="Đảng viên dự bị",
        admitted="01/12/2023",
    ),
]
CLASS_HEADER_TOP = ["STT", "Thông tin lớp", None, None, None, None, None]
CLASS_HEADER_TOP += ["Học viên", None, None, "Đánh giá cuối khóa", None, None]
CLASS_HEADER = [
    None,
    "Mã lớp",
    "Mã cơ sở đào tạo",
    "Loại lớp",
    "Tên lớp",
    "Ngày khai giảng",
    "Ngày bế giảng",
    "Họ và tên",
    "Ngày sinh",
    "Số CCCD",
    "Kết quả",
    "Điểm",
    "Xếp loại",
]
FLAT_HEADER = ["STT", *CLASS_HEADER[1:]]


@pytest.fixture
def centre(tree: Any, personas: Any, tmp_path: Path) -> Any:
    """The people of the files, and the political centre of district A."""
    from ptdv.training.services import institution_create

    path = corpus.write(tmp_path / "nguoi.xlsx", PEOPLE)
    user = personas.district_officer
    batch = services.batch_create_from_path(
        actor=user, kind="people", org_unit=tree.grassroots, path=path, file_name=path.name
    )
    assert services.batch_commit(actor=user, batch=batch).created == 4
    return institution_create(
        actor=None, code="TTCT-A", name="Trung tâm Chính trị huyện An", org_unit=tree.district
    )


def _messy(path: Path) -> Path:
    """Two classes, a two-row header with merged cells, dates as text, as Excel dates and
    as an Excel serial number, scores "8,5" / 7 / "4.5", a course type by alias, by code
    and by name, a blank row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Học viên"
    ws.append(["DANH SÁCH HỌC VIÊN CÁC LỚP BỒI DƯỠNG NĂM 2024"])
    ws.append([])
    ws.append(CLASS_HEADER_TOP)
    ws.append(CLASS_HEADER)
    for rng in ("A3:A4", "B3:G3", "H3:J3", "K3:M3"):
        ws.merge_cells(rng)
    rows = [
        [1, "LNT-01", "TTCT-A", "Nhận thức về Đảng", None, "04/03/2024", dt.datetime(2024, 3, 8)]
        + ["Nguyễn Văn An", "17/05/1990", "001090012345", "Đạt", "8,5", "Giỏi"],
        [2, "LNT-01", "TTCT-A", None, None, None, None]
        + ["Lê Thị Bình", dt.datetime(1995, 2, 3), None, "đạt", 7, "Khá"],
        [3, "LNT-01", "TTCT-A", "awareness", None, dt.datetime(2024, 3, 4), "8/3/2024"]
        + ["Hà Văn Cường", "09/09/1999", "001099000777", "Không đạt", "4.5", None],
        [],
        [4, "DVM-01", "TTCT-A", "Lý luận chính trị cho đảng viên mới", "Lớp ĐVM khóa 1"]
        + [45418, "10/05/2024", "Vàng Thị Dung", "09/09/2001", "002301000001", "Đạt", 9]
        + ["Xuất sắc"],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _batch(user: Any, unit: Any, path: Path, kind: str = "classes") -> ImportBatch:
    return services.batch_create_from_path(
        actor=user, kind=kind, org_unit=unit, path=path, file_name=path.name
    )


def _import(user: Any, unit: Any, path: Path) -> tuple[ImportBatch, Any]:
    batch = _batch(user, unit, path)
    return batch, services.batch_commit(actor=user, batch=batch)


def _state() -> dict[str, Any]:
    """Everything the import may touch, in plain values."""
    return {
        "classes": sorted(
            TrainingClass.objects.values_list(
                "institution__code",
                "code",
                "name",
                "course_type__code",
                "start_on",
                "end_on",
                "status",
                "capacity",
            )
        ),
        "enrolments": sorted(
            Enrolment.objects.values_list("klass__code", "person__full_name", "status")
        ),
        "results": sorted(
            Result.objects.values_list(
                "enrolment__person__full_name",
                "passed",
                "score",
                "grade",
                "attended",
                "sessions",
                "completed",
            )
        ),
    }


def test_messy_file_creates_two_classes_with_enrolments_and_results(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    user = personas.centre_staff
    batch = _batch(user, tree.district, _messy(tmp_path / "lop.xlsx"))
    assert batch.kind == "enrolments"  # "classes" is the same kind
    assert batch.header_rows == [3, 4]
    assert set(batch.mapping.values()) == {
        "class_code",
        "institution_code",
        "course_type",
        "class_name",
        "start_on",
        "end_on",
        "full_name",
        "date_of_birth",
        "citizen_id",
        "passed",
        "score",
        "grade",
    }
    preview = services.batch_preview(actor=user, batch=batch)
    assert preview.problems == [] and (preview.created, preview.rows) == (10, 4)
    assert not TrainingClass.objects.exists()  # a preview changes nothing
    outcome = services.batch_commit(actor=user, batch=batch)
    assert outcome.committed and outcome.problems == []
    assert (outcome.created, outcome.updated, outcome.unchanged) == (10, 0, 0)
    lnt = TrainingClass.objects.get(code="LNT-01")
    assert lnt.course_type.code == "awareness" and lnt.institution == centre
    assert (lnt.start_on, lnt.end_on) == (dt.date(2024, 3, 4), dt.date(2024, 3, 8))
    assert lnt.status == ClassStatus.FINISHED  # its end date has passed
    dvm = TrainingClass.objects.get(code="DVM-01")
    assert dvm.name == "Lớp ĐVM khóa 1" and dvm.course_type.code == "new_member"
    assert (dvm.start_on, dvm.end_on) == (dt.date(2024, 5, 6), dt.date(2024, 5, 10))
    assert dvm.status == ClassStatus.FINISHED
    assert set(lnt.enrolments.values_list("status", flat=True)) == {"accepted"}
    results = {r.enrolment.person.full_name: r for r in Result.objects.select_related("enrolment")}
    assert results["Nguyễn Văn An"].score == Decimal("8.5")
    assert results["Nguyễn Văn An"].grade == "Giỏi" and results["Nguyễn Văn An"].passed
    assert results["Lê Thị Bình"].score == Decimal("7") and results["Lê Thị Bình"].passed
    assert not results["Hà Văn Cường"].passed and results["Hà Văn Cường"].score == Decimal("4.5")
    assert results["Vàng Thị Dung"].grade == "Xuất sắc"
    # completion stays the training app's rule: no attendance was marked, so nobody
    # completed, and the import issues no certificate
    assert not any(r.completed for r in results.values())
    assert not lnt.certificates.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"training.class.created", "training.enrolment.enrolled"} <= actions
    assert {"training.result.recorded", "training.class.status_changed"} <= actions


def test_same_file_twice_then_a_changed_result_and_undo_restore_everything(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    user = personas.centre_staff
    before = _state()
    first, outcome = _import(user, tree.district, _messy(tmp_path / "lop.xlsx"))
    assert outcome.created == 10
    imported = _state()
    _again, again = _import(user, tree.district, _messy(tmp_path / "lop2.xlsx"))
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert _state() == imported
    # An's score changes in a later file: the result is updated, the undo puts it back
    changed = corpus.write(
        tmp_path / "sua.xlsx",
        [
            [None, "LNT-01", "TTCT-A", None, None, None, None]
            + ["Nguyễn Văn An", "17/05/1990", "001090012345", "Đạt", "9,25", "Xuất sắc"],
            [None, "LNT-01", "TTCT-A", None, None, None, None]
            + ["Lê Thị Bình", "03/02/1995", None, "Đạt", 7, "Khá"],
        ],
        header=FLAT_HEADER,
    )
    an = Result.objects.get(enrolment__person__full_name="Nguyễn Văn An")
    old_values = (an.passed, an.score, an.grade, an.attended, an.sessions, an.completed)
    second, update = _import(user, tree.district, changed)
    assert (update.created, update.updated, update.unchanged) == (0, 1, 1)
    an.refresh_from_db()
    assert (an.score, an.grade) == (Decimal("9.25"), "Xuất sắc")
    with pytest.raises(DomainError) as refused:
        services.batch_undo(actor=user, batch=first)  # the later change must go first
    assert refused.value.code == "changed_since"
    services.batch_undo(actor=user, batch=second)
    an.refresh_from_db()
    assert (an.passed, an.score, an.grade, an.attended, an.sessions, an.completed) == old_values
    assert _state() == imported
    services.batch_undo(actor=user, batch=first)
    assert _state() == before
    assert not TrainingClass.objects.exists() and not Result.objects.exists()
    assert AuditEntry.objects.filter(action="training.class.deleted").count() == 2
    assert AuditEntry.objects.filter(action="training.result.restored").count() == 5
    first.refresh_from_db()
    assert first.status == BatchStatus.UNDONE


def test_every_problem_is_explained_on_its_row_and_nothing_is_imported(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    from ptdv.training.services import class_create, institution_create

    institution_create(
        actor=None, code="TTCT-B", name="Trung tâm Chính trị huyện Bình", org_unit=tree.sibling
    )
    future = timezone.localdate() + dt.timedelta(days=40)
    class_create(
        actor=None,
        institution=centre,
        course_type=CourseType.objects.get(code="awareness"),
        code="LNT-KH",
        start_on=future,
        end_on=future + dt.timedelta(days=4),
    )
    an = ["Nguyễn Văn An", "17/05/1990", "001090012345"]
    cuong = ["Hà Văn Cường", "09/09/1999", "001099000777"]
    binh = ["Lê Thị Bình", "03/02/1995", None]
    rows = [
        # 4: a good row (a class that would be created) — not imported either
        [None, "LNT-02", "TTCT-A", "Nhận thức về Đảng", None, "04/03/2024", "08/03/2024"]
        + [*an, "Đạt", 8, None],
        # 5: unknown course type
        [None, "LNT-03", "TTCT-A", "Lớp học nghề", None, "04/03/2024", "08/03/2024"]
        + [*an, None, None, None],
        # 6: the end before the start
        [None, "LNT-04", "TTCT-A", "awareness", None, "08/03/2024", "04/03/2024"]
        + [*an, None, None, None],
        # 7: a score of 11
        [None, "LNT-02", "TTCT-A", None, None, None, None, *cuong, "Đạt", 11, None],
        # 8: a result in a class that starts in the future
        [None, "LNT-05", "TTCT-A", "awareness", None, future.strftime("%d/%m/%Y")]
        + [(future + dt.timedelta(days=4)).strftime("%d/%m/%Y"), *an, "Không đạt", 3, None],
        # 9: another start date for the class of row 4
        [None, "LNT-02", "TTCT-A", None, None, "05/03/2024", None, *binh, None, None, None],
        # 10: the institution of another district
        [None, "LNT-09", "TTCT-B", "awareness", None, "04/03/2024", "08/03/2024"]
        + [*an, None, None, None],
        # 11: a result in a recorded class that is only planned
        [None, "LNT-KH", "TTCT-A", None, None, None, None, *cuong, "Đạt", 8, None],
        # 12: a score without the result
        [None, "LNT-02", "TTCT-A", None, None, None, None, *binh, None, "7", None],
    ]
    path = corpus.write(tmp_path / "sai.xlsx", rows, header=FLAT_HEADER)
    user = personas.centre_staff
    outcome = services.batch_commit(actor=user, batch=_batch(user, tree.district, path))
    assert not outcome.committed
    by_row = {p["row"]: p for p in outcome.problems}
    assert sorted(by_row) == [5, 6, 7, 8, 9, 10, 11, 12], outcome.problems
    assert by_row[5]["column"] == "Loại lớp" and "Lớp học nghề" in by_row[5]["message"]
    assert "Bồi dưỡng nhận thức về Đảng" in by_row[5]["message"]  # the known types
    assert by_row[6]["column"] == "Ngày bế giảng" and "04/03/2024" in by_row[6]["message"]
    assert by_row[7]["column"] == "Điểm" and "11" in by_row[7]["message"]
    assert by_row[8]["column"] == "Kết quả"
    assert future.strftime("%d/%m/%Y") in by_row[8]["message"]
    assert by_row[9]["column"] == "Ngày khai giảng"
    assert "04/03/2024" in by_row[9]["message"] and "05/03/2024" in by_row[9]["message"]
    assert "4" in by_row[9]["message"]  # the row that created the class
    assert by_row[10]["column"] == "Mã cơ sở đào tạo"
    assert "Trung tâm Chính trị huyện Bình" in by_row[10]["message"]
    assert by_row[11]["column"] == "Kết quả" and "LNT-KH" in by_row[11]["message"]
    assert by_row[12]["column"] == "Kết quả"
    assert list(TrainingClass.objects.values_list("code", flat=True)) == ["LNT-KH"]
    assert not Enrolment.objects.exists() and not Result.objects.exists()


def test_a_recorded_class_is_used_as_it_is(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    """A recorded class is found without the class columns; when they are given they must
    be the recorded ones; a running class takes results and is not moved by the import."""
    from ptdv.training.services import class_create, class_transition

    klass = class_create(
        actor=None,
        institution=centre,
        course_type=CourseType.objects.get(code="awareness"),
        code="LNT-CH",
        start_on=dt.date(2025, 1, 6),
        end_on=timezone.localdate() + dt.timedelta(days=3),
    )
    class_transition(actor=None, klass=klass, to="open")
    class_transition(actor=None, klass=klass, to="running")
    good = corpus.write(
        tmp_path / "lop.xlsx",
        [
            [None, "LNT-CH", None, None, None, None, None]
            + ["Nguyễn Văn An", "17/05/1990", None, "Đạt", "6,5", None],
            [None, "LNT-CH", "TTCT-A", "awareness", None, "06/01/2025", None]
            + ["Hà Văn Cường", "09/09/1999", None, None, None, None],
        ],
        header=FLAT_HEADER,
    )
    user = personas.centre_staff
    _batch_, outcome = _import(user, tree.district, good)
    assert outcome.problems == [] and outcome.created == 3  # two enrolments, one result
    klass.refresh_from_db()
    assert klass.status == ClassStatus.RUNNING
    assert Result.objects.get().score == Decimal("6.5")
    other = corpus.write(
        tmp_path / "khac.xlsx",
        [
            [None, "LNT-CH", "TTCT-A", "new_member", None, None, None]
            + ["Lê Thị Bình", "03/02/1995", None, None, None, None]
        ],
        header=FLAT_HEADER,
    )
    refused = services.batch_commit(actor=user, batch=_batch(user, tree.district, other))
    assert [p["column"] for p in refused.problems] == ["Loại lớp"]
    assert "Bồi dưỡng nhận thức về Đảng" in refused.problems[0]["message"]


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_kind_classes_dry_run_then_real(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    path = str(_messy(tmp_path / "lop.xlsx"))
    out, _err = _run("import", path, "--kind", "classes", "--dry-run", "--user", "ttct")
    assert "Mã lớp" in out and "Kết quả" in out and "10" in out
    assert not TrainingClass.objects.exists()
    out, _err = _run("import", path, "--kind", "classes", "--user", "ttct", "--org", "A")
    assert TrainingClass.objects.count() == 2 and Result.objects.count() == 4
    assert ImportBatch.objects.filter(kind="enrolments", status=BatchStatus.COMMITTED).exists()
    bad = corpus.write(
        tmp_path / "sai.xlsx",
        [
            [None, "LNT-07", "TTCT-A", "awareness", None, "04/03/2024", "08/03/2024"]
            + ["Nguyễn Văn An", "17/05/1990", None, "Đạt", "12", None]
        ],
        header=FLAT_HEADER,
    )
    with pytest.raises(CommandError):
        _run("import", str(bad), "--kind", "classes", "--user", "ttct")
    assert TrainingClass.objects.count() == 2


def test_export_of_class_rosters_reimports_to_the_same_state(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    user = personas.centre_staff
    batch, _outcome = _import(user, tree.district, _messy(tmp_path / "lop.xlsx"))
    imported = _state()
    data, n = exporter.export_workbook(kind="enrolments", user=user, org=tree.district)
    assert n == 4
    exported = tmp_path / "xuat.xlsx"
    exported.write_bytes(data)
    ws = openpyxl.load_workbook(exported).active
    assert [c.value for c in ws[1]] == exporter.headers("enrolments")
    again = services.batch_commit(actor=user, batch=_batch(user, tree.district, exported))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    services.batch_undo(actor=user, batch=batch)
    assert not TrainingClass.objects.exists()
    back = services.batch_commit(actor=user, batch=_batch(user, tree.district, exported))
    assert back.problems == [] and back.created == 10
    assert _state() == imported
    out, _err = _run(
        "export", str(tmp_path / "cli.xlsx"), "--kind", "classes", "--org", "A", "--user", "ttct"
    )
    assert "4" in out and (tmp_path / "cli.xlsx").exists()


def test_template_has_class_and_result_columns_with_lists(client: Any, personas: Any) -> None:
    from django.urls import reverse

    client.force_login(personas.centre_staff)
    r = client.get(reverse("exchange:template", args=["classes"]))  # the name
    assert r.status_code == 200 and "mau-nhap-lop-hoc.xlsx" in r["Content-Disposition"]
    assert r.content[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(exporter.build_template("enrolments")))
    ws = wb["Danh sách"]
    header = [c.value for c in ws[1]]
    for title in ("Loại lớp", "Ngày khai giảng", "Ngày bế giảng", "Kết quả", "Điểm", "Xếp loại"):
        assert title in header
    lists = wb[exporter.LISTS_SHEET]
    columns = {lists.cell(row=1, column=c).value: c for c in range(1, lists.max_column + 1)}
    types = [lists.cell(row=r, column=columns["Loại lớp"]).value for r in range(2, 5)]
    assert "Bồi dưỡng nhận thức về Đảng" in types
    results = [lists.cell(row=r, column=columns["Kết quả"]).value for r in range(2, 4)]
    assert results == ["Đạt", "Không đạt"]
    assert len(ws.data_validations.dataValidation) == 2


def test_class_delete_refuses_a_class_with_trainees(
    tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    from ptdv.training.services import class_delete

    user = personas.centre_staff
    _import(user, tree.district, _messy(tmp_path / "lop.xlsx"))
    klass = TrainingClass.objects.get(code="LNT-01")
    with pytest.raises(DomainError, match="LNT-01"):
        class_delete(actor=user, klass=klass)
    assert TrainingClass.objects.filter(code="LNT-01").exists()
    assert Person.objects.count() == 4


def test_a_class_created_by_the_import_grows_when_the_file_has_more_people(
    tree: Any, personas: Any, centre: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from ptdv.training import services as training

    real = training.class_create

    def small(**kwargs: Any) -> Any:
        return real(**kwargs, capacity=2)

    monkeypatch.setattr(training, "class_create", small)
    user = personas.centre_staff
    batch, outcome = _import(user, tree.district, _messy(tmp_path / "lop.xlsx"))
    assert outcome.problems == [] and outcome.created == 10
    lnt = TrainingClass.objects.get(code="LNT-01")
    assert lnt.enrolments.count() == 3 and lnt.capacity == 2 + 80
    assert AuditEntry.objects.filter(action="training.class.updated").count() == 1
    services.batch_undo(actor=user, batch=batch)
    assert not TrainingClass.objects.exists()


def test_wizard_upload_map_check_commit_undo_classes(
    client: Any, tree: Any, personas: Any, centre: Any, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(personas.centre_staff)
    before = _state()
    path = _messy(tmp_path / "lop.xlsx")
    r = client.post(
        reverse("exchange:upload"),
        {
            "kind": "enrolments",
            "org": str(tree.district.uid),
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    assert r.status_code == 302
    batch = ImportBatch.objects.get(kind="enrolments")
    page = client.get(r["Location"])
    assert page.status_code == 200 and b'id="mapping"' in page.content
    assert "Kết quả".encode() in page.content  # the result columns are offered
    data = {f"col_{i}": f for i, f in batch.mapping.items()}
    r = client.post(reverse("exchange:batch_mapping", args=[batch.uid]), data)
    assert r.status_code == 302 and "/jobs/" in r["Location"]
    assert _state() == before  # the check changed nothing
    page = client.get(reverse("exchange:batch", args=[batch.uid]))
    assert page.status_code == 200 and b'id="problems"' not in page.content
    r = client.post(reverse("exchange:batch_commit", args=[batch.uid]))
    assert r.status_code == 302
    after = _state()
    assert [c[1] for c in after["classes"]] == ["DVM-01", "LNT-01"]
    assert len(after["enrolments"]) == 4 and len(after["results"]) == 4
    page = client.get(reverse("exchange:batch", args=[batch.uid]))
    assert b'id="batch-result"' in page.content and b'id="undo"' in page.content
    client.post(reverse("exchange:batch_undo", args=[batch.uid]))
    assert _state() == before
