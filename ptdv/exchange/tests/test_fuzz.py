"""Fuzzing the import (issue 12, point 12): random cells and random CSV text through the real
upload → check → commit path give either a clean result or a Vietnamese refusal — never
another exception, never a partial write; malformed uploads are refused with a Vietnamese
message before anything is stored. Example counts are modest (CI time)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptdv.core.errors import DomainError
from ptdv.exchange import reader, services
from ptdv.exchange.models import ImportBatch
from ptdv.exchange.tests import corpus
from ptdv.people.models import MembershipEvent, Person

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# what a committee's spreadsheet cell may hold; control characters cannot be stored in xlsx
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
cell = st.one_of(
    st.none(),
    _text,
    _text.map(lambda t: "=" + t),  # a formula (no cached value: reported per cell)
    st.sampled_from(["=1/0", "=NOW()", "=A1", '="x"&"y"', "=SUM(1,2)"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(["31/02/1990", "00/00/0000", "1990", "17.05.90", "Nam", "Nữ", "Kinh"]),
    st.text(st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠ "), min_size=2000, max_size=5000),
)
row = st.lists(cell, min_size=len(corpus.PEOPLE_HEADER), max_size=len(corpus.PEOPLE_HEADER))


def _vietnamese(message: str) -> bool:
    """A message shown in Vietnamese: it has Vietnamese letters (an English fallback has none)."""
    return bool(message) and any(ord(c) > 127 for c in message)


def _counts() -> tuple[int, int]:
    return Person.objects.count(), MembershipEvent.objects.count()


def _import_or_refuse(user: Any, unit: Any, path: Path, name: str) -> None:
    """One upload + commit, rolled back afterwards so that examples do not see each other."""
    with transaction.atomic():
        before = _counts()
        try:
            batch = services.batch_create_from_path(
                actor=user, kind="people", org_unit=unit, path=path, file_name=name
            )
            outcome = services.batch_commit(actor=user, batch=batch)
        except DomainError as exc:
            assert _vietnamese(exc.message), exc.message
            assert _counts() == before
        else:
            for problem in outcome.problems:
                assert _vietnamese(str(problem["message"])), problem
            if outcome.committed:
                assert outcome.problem_count == 0
                assert Person.objects.count() == before[0] + outcome.created
            else:  # refused as a whole: nothing written
                assert _counts() == before, outcome.problems
        transaction.set_rollback(True)


def test_random_cells_give_a_result_or_a_vietnamese_refusal(tree: Any, personas: Any) -> None:
    user, unit = personas.district_officer, tree.grassroots

    @FUZZ
    @given(rows=st.lists(row, min_size=1, max_size=4))
    def check(rows: list[list[Any]]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = corpus.write(Path(tmp) / "ds.xlsx", rows)
            _import_or_refuse(user, unit, path, "ds.xlsx")

    check()


def test_random_csv_text_gives_a_result_or_a_vietnamese_refusal(tree: Any, personas: Any) -> None:
    user, unit = personas.district_officer, tree.grassroots
    header = ",".join(corpus.PEOPLE_HEADER)

    @FUZZ
    @given(
        body=st.text(max_size=300),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]),
    )
    def check(body: str, encoding: str) -> None:
        try:
            data = f"{header}\n{body}".encode(encoding)
        except UnicodeEncodeError:
            data = f"{header}\n{body}".encode("utf-8", "surrogatepass")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ds.csv"
            path.write_bytes(data)
            _import_or_refuse(user, unit, path, "ds.csv")

    check()


# --- malformed uploads, through the upload page -------------------------------------------


def _xlsx_bytes(rows: list[list[Any]]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return corpus.write(Path(tmp) / "ds.xlsx", rows).read_bytes()


def _zip_bomb() -> bytes:
    """A workbook-looking archive whose one part inflates far beyond the limit (the limit is
    lowered in the test, so that the archive stays small and quick to build)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))
    return out.getvalue()


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 200


def _docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def _truncated() -> bytes:
    data = _xlsx_bytes([corpus.person_row("Nguyễn Văn An", "17/05/1990", "Nam")])
    return data[: len(data) // 2]


def _cfb(*streams: str) -> bytes:
    """An OLE compound file (the container of .xls and of password-protected .xlsx) whose
    directory names ``streams`` (UTF-16 names, as in the real directory entries)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    names = b"".join(n.encode("utf-16-le").ljust(128, b"\0") for n in ("Root Entry", *streams))
    return head + names + b"\0" * 2048


def _protected() -> bytes:  # what Excel writes for File → Info → Protect with password
    return _cfb("EncryptionInfo", "EncryptedPackage")


MALFORMED = {
    "protected.xlsx": _protected,
    "old.xls.xlsx": lambda: _cfb("Workbook"),
    "empty.xlsx": lambda: b"",
    "truncated.xlsx": _truncated,
    "bomb.xlsx": _zip_bomb,
    "picture.xlsx": _png,
    "letter.xlsx": _docx_like,
    "windows-1252.csv": lambda: "Ho và tên;Ngày sinh\nAn;17/05/1990\n".encode("cp1252"),
    "utf-16.csv": lambda: "Họ và tên;Ngày sinh\nNguyễn Văn An;17/05/1990\n".encode("utf-16"),
    "empty.csv": lambda: b"\xef\xbb\xbf \n",
    "nothing.csv": lambda: b"",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_upload_refused_in_vietnamese_and_nothing_stored(
    client: Any, tree: Any, personas: Any, monkeypatch: Any, name: str
) -> None:
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED", 1024 * 1024)
    client.force_login(personas.district_officer)
    r = client.post(
        reverse("exchange:upload"),
        {
            "kind": "people",
            "org": str(tree.grassroots.uid),
            "file": SimpleUploadedFile(name, MALFORMED[name]()),
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "errorlist" in page
    errors = page.split("errorlist", 1)[1].split("</ul>", 1)[0]
    assert _vietnamese(errors), errors
    assert not ImportBatch.objects.exists()


def test_a_megabyte_cell_is_reported_not_crashed(tree: Any, personas: Any, tmp_path: Path) -> None:
    user, unit = personas.district_officer, tree.grassroots
    huge = corpus.person_row("Nguyễn Văn An" * 80_000, "17/05/1990", "Nam")  # ≈ 1 MB
    path = corpus.write(tmp_path / "huge-cell.xlsx", [huge])
    _import_or_refuse(user, unit, path, "huge-cell.xlsx")


def test_16k_columns_are_refused_before_scanning(tree: Any, personas: Any, tmp_path: Path) -> None:
    import openpyxl

    user, unit = personas.district_officer, tree.grassroots
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(corpus.PEOPLE_HEADER + [f"Cột {i}" for i in range(16_384 - 12)])
    ws.append(corpus.person_row("Nguyễn Văn An", "17/05/1990", "Nam") + ["x"] * (16_384 - 12))
    wide = tmp_path / "wide.xlsx"
    wb.save(wide)
    with pytest.raises(DomainError) as refused:
        services.batch_create_from_path(
            actor=user, kind="people", org_unit=unit, path=wide, file_name="wide.xlsx"
        )
    assert refused.value.code == "too_many_columns"
    assert "256 cột" in refused.value.message
    assert not ImportBatch.objects.exists()


def test_a_password_protected_workbook_is_named_as_such(
    client: Any, tree: Any, personas: Any
) -> None:
    client.force_login(personas.district_officer)
    r = client.post(
        reverse("exchange:upload"),
        {
            "kind": "people",
            "org": str(tree.grassroots.uid),
            "file": SimpleUploadedFile("bao-mat.xlsx", _protected()),
        },
    )
    assert r.status_code == 400
    assert "mật khẩu" in r.content.decode()
    assert not ImportBatch.objects.exists()
