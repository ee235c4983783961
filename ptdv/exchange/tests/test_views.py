from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ptdv.exchange.models import ImportBatch
from ptdv.exchange.tests import corpus
from ptdv.people.models import Person

pytestmark = pytest.mark.django_db


def _upload(client: Any, tree: Any, path: Path, kind: str = "people") -> Any:
    return client.post(
        reverse("exchange:upload"),
        {
            "kind": kind,
            "org": str(tree.grassroots.uid),
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )


def test_index_by_persona(client: Any, personas: Any) -> None:
    expected = {
        "district_officer": 200,
        "sibling_officer": 200,
        "cell_secretary": 200,  # export only
        "centre_staff": 200,
        "viewer": 403,
    }
    for name, user in personas.all().items():
        client.force_login(user)
        assert client.get(reverse("exchange:index")).status_code == expected[name], name


def test_wizard_upload_map_check_commit_undo(
    client: Any, tree: Any, personas: Any, tmp_path: Path
) -> None:
    client.force_login(personas.district_officer)
    path = corpus.write(
        tmp_path / "ds.xlsx",
        [corpus.person_row("Nguyễn Văn An", "17/05/1990", "Nam", "001090012345")],
    )
    r = _upload(client, tree, path)
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(r["Location"])
    assert page.status_code == 200 and b'id="mapping"' in page.content
    data = {f"col_{i}": f for i, f in batch.mapping.items()}
    r = client.post(reverse("exchange:batch_mapping", args=[batch.uid]), data)
    assert r.status_code == 302 and "/jobs/" in r["Location"]
    page = client.get(reverse("exchange:batch", args=[batch.uid]))
    assert b'id="ready"' in page.content
    r = client.post(reverse("exchange:batch_commit", args=[batch.uid]))
    assert r.status_code == 302
    assert Person.objects.count() == 1
    page = client.get(reverse("exchange:batch", args=[batch.uid]))
    assert b'id="batch-result"' in page.content and b'id="undo"' in page.content
    client.post(reverse("exchange:batch_undo", args=[batch.uid]))
    assert Person.objects.count() == 0


def test_batch_pages_scoped(client: Any, tree: Any, personas: Any, tmp_path: Path) -> None:
    client.force_login(personas.district_officer)
    path = corpus.write(tmp_path / "ds.xlsx", [corpus.person_row("An", "17/05/1990", "Nam")])
    _upload(client, tree, path)
    batch = ImportBatch.objects.get()
    for name, user in personas.all().items():
        client.force_login(user)
        r = client.get(reverse("exchange:batch", args=[batch.uid]))
        assert r.status_code == (200 if name in {"district_officer", "centre_staff"} else 404), name
        r = client.post(reverse("exchange:batch_commit", args=[batch.uid]))
        assert r.status_code in ((403,) if name == "viewer" else (302, 404)), name


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"hello, this is not excel", "a.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "secret.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls"),
        (b"PK\x03\x04broken", "broken.xlsx"),
    ],
)
def test_bad_files_refused_with_a_message(
    client: Any, tree: Any, personas: Any, content: bytes, name: str
) -> None:
    client.force_login(personas.district_officer)
    r = client.post(
        reverse("exchange:upload"),
        {
            "kind": "people",
            "org": str(tree.grassroots.uid),
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert r.status_code == 400
    assert b"errorlist" in r.content
    assert not ImportBatch.objects.exists()


def test_file_over_the_limit_refused(
    client: Any, tree: Any, personas: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PTDV_MAX_UPLOAD_BYTES = 1000
    client.force_login(personas.district_officer)
    path = corpus.write(tmp_path / "ds.xlsx", [corpus.person_row("An", "17/05/1990", "Nam")])
    r = _upload(client, tree, path)
    assert r.status_code == 400 and not ImportBatch.objects.exists()


def test_templates_have_lists_and_instructions(client: Any, personas: Any) -> None:
    import io

    import openpyxl

    client.force_login(personas.district_officer)
    r = client.get(reverse("exchange:template", args=["people"]))
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Hướng dẫn", "Danh sách", "Danh mục"]
    ws = wb["Danh sách"]
    assert ws["B1"].value == "Họ và tên"
    assert len(ws.data_validations.dataValidation) >= 5
    lists = wb["Danh mục"]
    ethnic = [c.value for c in lists["B"] if c.value][1:]
    assert len(ethnic) == 54


def test_export_view_runs_a_job_with_a_download(
    client: Any, tree: Any, personas: Any, tmp_path: Path
) -> None:
    import io

    import openpyxl

    from ptdv.audit.models import AuditEntry
    from ptdv.people.services import person_create

    person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Nguyễn Văn An",
        date_of_birth=__import__("datetime").date(1990, 1, 1),
        gender="male",
    )
    client.force_login(personas.district_officer)
    r = client.post(reverse("exchange:export"), {"kind": "people", "org": str(tree.grassroots.uid)})
    assert r.status_code == 302
    job_page = client.get(r["Location"])
    assert b"job-download" in job_page.content
    from ptdv.core.models import Job

    job = Job.objects.get(kind="exchange.export")
    data = client.get(reverse("exchange:job_download", args=[job.uid]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(data.streaming_content)))
    assert wb["Danh sách"]["B2"].value == "Nguyễn Văn An"
    assert AuditEntry.objects.filter(action="exchange.export").count() == 1
    client.force_login(personas.sibling_officer)
    r = client.post(reverse("exchange:export"), {"kind": "people", "org": str(tree.grassroots.uid)})
    assert r.status_code == 302 and "/jobs/" not in r["Location"]  # form invalid: not in scope


def test_token_page_creates_shows_once_and_revokes(client: Any, personas: Any) -> None:
    from ptdv.access.models import ApiToken

    # a read-only leader gets no token: a token acts as its user (and the gate: a read-only
    # role never writes)
    client.force_login(personas.viewer)
    page = client.get(reverse("exchange:tokens"))
    assert b'id="no-token"' in page.content and b'name="name"' not in page.content
    r = client.post(reverse("exchange:tokens"), {"name": "Bảng điều khiển tỉnh"})
    assert r.status_code == 403 and not ApiToken.objects.exists()

    client.force_login(personas.cell_secretary)
    r = client.post(reverse("exchange:tokens"), {"name": "Bảng điều khiển tỉnh"})
    assert b'id="token-key"' in r.content
    token = ApiToken.objects.get()
    assert token.user == personas.cell_secretary and token.revoked_at is None
    assert b'id="token-key"' not in client.get(reverse("exchange:tokens")).content
    client.force_login(personas.district_officer)
    r = client.post(reverse("exchange:token_revoke", args=[token.uid]))
    assert r.status_code == 404
    client.force_login(personas.cell_secretary)
    client.post(reverse("exchange:token_revoke", args=[token.uid]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_pages_do_not_grow_queries_with_rows(
    client: Any, tree: Any, personas: Any, tmp_path: Path, django_assert_max_num_queries: Any
) -> None:
    import datetime as dt

    from ptdv.people.services import person_create

    for i in range(12):
        for unit in (tree.cell, tree.other_cell):
            person_create(
                actor=None,
                org_unit=unit,
                full_name=f"Người Số {i}",
                date_of_birth=dt.date(1990, 1, 1 + i),
                gender="male",
            )
    client.force_login(personas.district_officer)
    for i in range(5):
        _upload(
            client,
            tree,
            corpus.write(tmp_path / f"f{i}.xlsx", [corpus.person_row("An", "17/05/1990", "Nam")]),
        )
    with django_assert_max_num_queries(15):
        assert client.get(reverse("exchange:duplicates")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("exchange:index")).status_code == 200
