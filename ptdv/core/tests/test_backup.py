"""``ptdv backup`` / ``ptdv restore``: a backup restored into a fresh database gives the same
summary report; a database in use is refused without --force; a damaged archive is refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ptdv.core.backup import read_manifest, table_counts
from ptdv.people.tests.conftest import make_member, make_person

D = dt.date
REPORT_ARGS = ["report", "summary", "--org", "A", "--from", "2010-01-01", "--to", "2024-12-31"]


def _summary() -> dict[str, Any]:
    out = io.StringIO()
    call_command(*REPORT_ARGS, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def small_registry(tree: Any, personas: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    stored = settings.MEDIA_ROOT / "exports" / "danh-sách.xlsx"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"PK\x03\x04 not really a workbook")
    make_member(tree.cell, "Nguyễn Văn Ánh", admitted=D(2015, 3, 1))
    make_member(tree.other_cell, "Lò Thị Bích", admitted=D(2019, 6, 1))
    make_member(tree.grassroots_cell, "Hà Văn Cường", admitted=D(2023, 1, 10))
    make_person(tree.cell, "Hoàng Thị Đào", gender="female")
    return {"summary": _summary(), "counts": table_counts(), "stored": stored}


@pytest.mark.django_db(transaction=True)
def test_restore_over_a_used_database_needs_force_and_gives_the_same_report(
    small_registry: dict[str, Any], tree: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "b" / "ptdv.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    manifest = read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["people_person"] == 4
    assert "files/media/exports/danh-sách.xlsx" in manifest["members"]
    assert all(len(m["sha256"]) == 64 for m in manifest["members"].values())

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())

    # what happens after the backup is lost by the restore
    make_person(tree.cell, "Người thêm sau")
    small_registry["stored"].write_bytes(b"changed")
    (small_registry["stored"].parent / "later.txt").write_text("later")

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert "kiểm tra" in out.getvalue()
    assert _summary() == small_registry["summary"]
    assert table_counts() == small_registry["counts"]
    assert small_registry["stored"].read_bytes() == b"PK\x03\x04 not really a workbook"
    assert not (small_registry["stored"].parent / "later.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_changes_nothing(
    small_registry: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "ptdv.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("files/"):
                data = data[:-1] + b"!"
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="hỏng"):
        call_command("restore", str(damaged), "--force", stdout=io.StringIO())
    (tmp_path / "not-a-backup.tar").write_bytes(b"hello")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(tmp_path / "not-a-backup.tar"), "--force")
    assert table_counts() == small_registry["counts"]


def _fresh_database_env(tmp_path: Path) -> tuple[dict[str, str], Any]:
    """The environment of a fresh installation beside the test database, and its cleanup."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["PTDV_DATA_DIR"] = str(tmp_path / "fresh")
    env["DJANGO_SETTINGS_MODULE"] = "ptdv.config.settings"
    if connection.vendor == "sqlite":
        return env, lambda: None
    db = connection.settings_dict
    name = f"{db['NAME']}_fresh"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db.get("HOST") or ""
    if db.get("PORT"):
        host += f":{db['PORT']}"
    env["DATABASE_URL"] = f"postgres://{auth + '@' if auth else ''}{host}/{name}"

    def drop() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, drop


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_gives_the_identical_summary(
    small_registry: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "ptdv.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    env, drop = _fresh_database_env(tmp_path)
    ptdv = [sys.executable, "-m", "ptdv.manage"]
    try:

        def run(*args: str) -> str:
            done = subprocess.run(  # noqa: S603
                [*ptdv, *args], env=env, capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        run("migrate", "--noinput", "-v", "0")  # a fresh installation
        printed = run("restore", str(archive))
        assert "bảng" in printed
        assert json.loads(run(*REPORT_ARGS)) == small_registry["summary"]
        restored = Path(env["PTDV_DATA_DIR"]) / "media" / "exports" / "danh-sách.xlsx"
        assert restored.read_bytes() == small_registry["stored"].read_bytes()
        # the restored installation is in use now: a second restore needs --force
        again = subprocess.run(  # noqa: S603
            [*ptdv, "restore", str(archive)], env=env, capture_output=True, text=True, check=False
        )
        assert again.returncode != 0 and "--force" in again.stderr
    finally:
        drop()
