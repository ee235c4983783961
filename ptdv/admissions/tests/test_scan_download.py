"""Scans of dossier papers: fetched only through the case's scoped view, never by a
static route or a guessed name, and every download is audited (issue 12, point 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ptdv.admissions import services as S
from ptdv.audit.models import AuditEntry

from .conftest import DATES, TODAY, drive

PDF = b"%PDF-1.4\n% scan of the application\n"


@pytest.fixture
def scanned(world: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path
    case = drive(world, "awareness_class")
    case = S.application_record(
        actor=world.personas.district_officer,
        case=case,
        on=DATES["application"],
        scan=SimpleUploadedFile("Đơn xin vào Đảng - Hoàng Văn Quần.pdf", PDF),
        today=TODAY,
    )
    item = case.dossier.exclude(scan="").get()
    return case, item


@pytest.mark.django_db
def test_scan_served_in_scope_and_audited(client: Any, world: Any, scanned: Any) -> None:
    case, item = scanned
    assert "Hoàng" not in item.scan.name and "Don" not in item.scan.name
    assert item.scan.name.endswith(".pdf")
    url = reverse("admissions:dossier_scan", args=[case.uid, item.uid])

    client.force_login(world.personas.cell_secretary)
    page = client.get(reverse("admissions:case_detail", args=[case.uid]))
    assert url in page.content.decode()
    assert item.scan.name not in page.content.decode()
    r = client.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment;")
    entry = AuditEntry.objects.get(action="files.downloaded")
    assert entry.actor == world.personas.cell_secretary
    assert entry.org_unit_id == case.org_unit_id
    assert entry.data["field"] == "scan"


@pytest.mark.django_db
def test_scan_refused_outside_scope_anonymous_and_by_guess(
    client: Any, world: Any, scanned: Any
) -> None:
    case, item = scanned
    url = reverse("admissions:dossier_scan", args=[case.uid, item.uid])
    r = client.get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]

    client.force_login(world.personas.sibling_officer)  # another subtree
    assert client.get(url).status_code == 404
    # the item under another case's address, a made-up item, the stored path itself
    client.force_login(world.personas.district_officer)
    other = reverse("admissions:dossier_scan", args=[case.uid, case.uid])
    assert client.get(other).status_code == 404
    for guess in (
        "/media/" + item.scan.name,
        "/media/admissions/",
        "/" + item.scan.name,
        "/static/../media/" + item.scan.name,
    ):
        assert client.get(guess).status_code == 404, guess
    assert not AuditEntry.objects.filter(action="files.downloaded").exists()
