"""Stored files: random names, no public route, downloads only through scoped views and
audited (issue 12, point 2). The dossier scans are tested in
``ptdv/admissions/tests/test_scan_download.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import get_resolver, reverse

from ptdv.audit.models import AuditEntry
from ptdv.core.jobs import start_job
from ptdv.core.storage import PrivateStorage, random_name


def test_random_names_keep_only_the_extension(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert isinstance(default_storage, PrivateStorage)
    a = default_storage.save("exchange/jobs/Danh sách Nguyễn Văn An.XLSX", ContentFile(b"1"))
    b = default_storage.save("exchange/jobs/Danh sách Nguyễn Văn An.XLSX", ContentFile(b"2"))
    assert a != b
    for name in (a, b):
        assert name.startswith("exchange/jobs/") and name.endswith(".xlsx")
        stem = Path(name).stem
        assert len(stem) >= 32 and "Danh" not in name
    assert Path(random_name("a/b.tar_gz_long")).suffix == ""
    with pytest.raises(ValueError):
        default_storage.url(a)


def test_no_route_serves_media_even_in_debug() -> None:
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any(p.startswith(("media", "^media", "/media")) for p in patterns), patterns
    import inspect

    import ptdv.config.urls

    # not even behind "if settings.DEBUG": the development server must not serve files either
    assert "static(" not in inspect.getsource(ptdv.config.urls)


@pytest.mark.django_db
def test_job_file_only_for_its_owner_and_audited(
    client: Any, personas: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = start_job(
        "t", personas.district_officer, "ptdv.exchange.tests.jobfuncs.count_to", eager=True
    )
    stored = job.result.name
    assert "result" not in stored
    url = reverse("exchange:job_download", args=[job.uid])

    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/login/" in client.get(url)["Location"]
    for user in (personas.sibling_officer, personas.viewer, personas.cell_secretary):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get("/media/" + stored).status_code == 404
    assert not AuditEntry.objects.filter(action="files.downloaded").exists()

    client.force_login(personas.district_officer)
    r = client.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"done"
    assert 'filename="result.txt"' in r["Content-Disposition"]
    assert "no-store" in r["Cache-Control"]
    entry = AuditEntry.objects.get(action="files.downloaded")
    assert entry.actor == personas.district_officer and entry.data["file"] == "result.txt"
    # the stored name itself, guessed or leaked, opens nothing
    assert client.get("/media/" + stored).status_code == 404
    assert client.get("/" + stored).status_code == 404
