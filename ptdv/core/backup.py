"""Backup and restore of the whole installation: the database and the stored files.

One archive (``.tar``) holds:

- ``manifest.json`` — format, time, engine, the last migration of every app, the row count of
  every table, and the size and SHA-256 of every other member of the archive;
- ``db/ptdv.sqlite3`` (SQLite, copied with the online backup API: consistent while the
  server keeps writing) or ``db/ptdv.pgdump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``files/<root>/…`` — the stored files (``MEDIA_ROOT`` and any private storage root).

Restore refuses a target that already holds data unless forced, replaces the database and
the files, then checks what it restored: every table's row count and every file's checksum
against the manifest (and ``PRAGMA integrity_check`` on SQLite).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction

from ptdv.core import dbstats

FORMAT = "ptdv-backup/1"
SQLITE_MEMBER = "db/ptdv.sqlite3"
PG_MEMBER = "db/ptdv.pgdump"
# Tables whose rows mean "this installation is in use": a freshly migrated database has none
# (data migrations only seed course types and the calendar).
_IN_USE_MODELS = ("auth.User", "organizations.OrgUnit", "people.Person", "audit.AuditEntry")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Vietnamese)."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


# --- what is stored where ----------------------------------------------------------------


def file_roots() -> dict[str, Path]:
    """The directories of stored files, by a stable name used inside the archive."""
    roots: dict[str, Path] = {"media": Path(settings.MEDIA_ROOT)}
    private = getattr(settings, "PTDV_PRIVATE_ROOT", None) or getattr(
        settings, "PRIVATE_STORAGE_ROOT", None
    )
    if private and Path(private).resolve() != Path(settings.MEDIA_ROOT).resolve():
        roots["private"] = Path(private)
    return roots


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu loại “{vendor}”.")
    return vendor


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table of the database (Django's and ours; not SQLite's own
    ``sqlite_stat*`` tables, which ANALYZE writes)."""
    conn = connections[alias]
    counts: dict[str, int] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _last_migrations(alias: str = "default") -> dict[str, str]:
    conn = connections[alias]
    if "django_migrations" not in conn.introspection.table_names():
        return {}
    with conn.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        last: dict[str, str] = {}
        for app, name in cursor.fetchall():
            last[app] = name
    return last


def database_in_use(alias: str = "default") -> bool:
    """True when the database holds users, organizations, people or audit entries."""
    tables = set(connections[alias].introspection.table_names())
    for label in _IN_USE_MODELS:
        model = apps.get_model(label)
        if model._meta.db_table in tables and model._default_manager.using(alias).exists():
            return True
    return False


def files_in_use() -> bool:
    return any(
        root.is_dir() and any(p.is_file() for p in root.rglob("*"))
        for root in file_roots().values()
    )


# --- PostgreSQL tools -------------------------------------------------------------------


def _pg_env_and_args(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    db = connections[alias].settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"])]
    return env, args


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"Không tìm thấy chương trình {name} (gói postgresql-client; "
            "chạy scripts/system-deps.sh)."
        )
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} thất bại: {result.stderr.strip()[-2000:]}")


# --- backup ------------------------------------------------------------------------------


def _dump_sqlite(workdir: Path, alias: str) -> tuple[str, Path]:
    conn = connections[alias]
    target = workdir / "ptdv.sqlite3"
    conn.ensure_connection()
    dst = sqlite3.connect(target)
    try:
        # the online backup API: a consistent copy while others keep writing (WAL)
        conn.connection.backup(dst)
    finally:
        dst.close()
    return SQLITE_MEMBER, target


def _dump_postgres(workdir: Path, alias: str) -> tuple[str, Path, dict[str, int]]:
    """pg_dump of one exported snapshot, and the row counts read in that same snapshot."""
    target = workdir / "ptdv.pgdump"
    env, args = _pg_env_and_args(alias)
    tool = _pg_tool("pg_dump")
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_counts(alias)
        _run(
            [
                tool,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env,
        )
    return PG_MEMBER, target, counts


def backup(destination: Path, *, alias: str = "default") -> dict[str, Any]:
    """Write the archive to ``destination``; returns its manifest."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(alias)
    with tempfile.TemporaryDirectory(prefix="ptdv-backup-") as tmp:
        workdir = Path(tmp)
        if engine == "sqlite":
            member, dump = _dump_sqlite(workdir, alias)
            counts = _sqlite_counts(dump)  # the counts of the copy itself
        else:
            member, dump, counts = _dump_postgres(workdir, alias)
        members: dict[str, dict[str, Any]] = {
            member: {"size": dump.stat().st_size, "sha256": _sha256_file(dump)}
        }
        file_members: list[tuple[str, Path]] = []
        for name, root in file_roots().items():
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                arcname = f"files/{name}/{path.relative_to(root).as_posix()}"
                members[arcname] = {"size": path.stat().st_size, "sha256": _sha256_file(path)}
                file_members.append((arcname, path))
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "migrations": _last_migrations(alias),
            "tables": counts,
            "file_roots": sorted(file_roots()),
            "members": members,
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=member)
            for arcname, path in file_members:
                tar.add(path, arcname=arcname)
        os.replace(partial, destination)  # never a half-written archive under the final name
    return manifest


def _sqlite_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608
    finally:
        con.close()


# --- restore -----------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r") as tar:
            fh = tar.extractfile("manifest.json")
            if fh is None:
                raise KeyError("manifest.json")
            manifest = json.loads(fh.read().decode())
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"Tệp “{archive}” không phải bản sao lưu PTĐV hợp lệ ({exc}).")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu không hỗ trợ: {manifest.get('format')!r}.")
    return manifest


def _extract_checked(archive: Path, workdir: Path, manifest: dict[str, Any]) -> None:
    """Extract every member and compare it with its checksum in the manifest."""
    expected = manifest["members"]
    with tarfile.open(archive, "r") as tar:
        names = {m.name for m in tar.getmembers() if m.isfile()} - {"manifest.json"}
        missing = sorted(set(expected) - names)
        extra = sorted(names - set(expected))
        if missing or extra:
            raise BackupError(
                f"Bản sao lưu không khớp danh mục: thiếu {missing[:5]}, thừa {extra[:5]}."
            )
        tar.extractall(workdir, filter="data")
    for name, meta in expected.items():
        path = workdir / name
        if path.stat().st_size != meta["size"] or _sha256_file(path) != meta["sha256"]:
            raise BackupError(f"Tệp “{name}” trong bản sao lưu bị hỏng (sai mã kiểm tra).")


def _restore_sqlite(dump: Path, alias: str) -> None:
    conn = connections[alias]
    conn.close()
    conn.ensure_connection()
    src = sqlite3.connect(dump)
    try:
        # the backup API in the other direction replaces every page of the target at once
        src.backup(conn.connection)
    finally:
        src.close()
    conn.close()


def _restore_postgres(dump: Path, alias: str) -> None:
    conn = connections[alias]
    env, args = _pg_env_and_args(alias)
    conn.close()
    # drop what the target holds (a migrated empty schema or, with --force, older data)
    with connections[alias].cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connections[alias].close()
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def _replace_files(workdir: Path, manifest: dict[str, Any]) -> int:
    roots = file_roots()
    restored = 0
    for name in manifest.get("file_roots", []):
        root = roots.get(name)
        if root is None:
            raise BackupError(f"Bản sao lưu có thư mục tệp “{name}” mà cấu hình không có.")
        source = workdir / "files" / name
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, root, dirs_exist_ok=True)
            restored += sum(1 for p in root.rglob("*") if p.is_file())
    return restored


def verify(manifest: dict[str, Any], *, alias: str = "default") -> RestoreReport:
    """Compare the live database and files with the manifest."""
    report = RestoreReport()
    counts = table_counts(alias)
    for table, expected in manifest["tables"].items():
        got = counts.get(table)
        if got != expected:
            report.problems.append(f"bảng {table}: {got} dòng, bản sao lưu có {expected}")
    report.tables = len(manifest["tables"])
    report.rows = sum(manifest["tables"].values())
    roots = file_roots()
    for name, meta in manifest["members"].items():
        if not name.startswith("files/"):
            continue
        _, root_name, rel = name.split("/", 2)
        path = roots[root_name] / rel
        if not path.is_file() or _sha256_file(path) != meta["sha256"]:
            report.problems.append(f"tệp {name} không khớp bản sao lưu")
        else:
            report.files += 1
    if manifest["engine"] == "sqlite":
        with connections[alias].cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            result = cursor.fetchone()[0]
        if result != "ok":
            report.problems.append(f"SQLite integrity_check: {result}")
    return report


def restore(archive: Path, *, force: bool = False, alias: str = "default") -> RestoreReport:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không có tệp “{archive}”.")
    manifest = read_manifest(archive)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"Bản sao lưu của {manifest['engine']} không khôi phục được vào {engine}; "
            "dùng xuất/nhập dữ liệu để chuyển giữa hai loại."
        )
    if not force and (database_in_use(alias) or files_in_use()):
        raise BackupError(
            "Cơ sở dữ liệu hoặc thư mục tệp đích đã có dữ liệu; khôi phục sẽ thay thế toàn bộ. "
            "Chạy lại với --force nếu chắc chắn."
        )
    with tempfile.TemporaryDirectory(prefix="ptdv-restore-") as tmp:
        workdir = Path(tmp)
        _extract_checked(archive, workdir, manifest)
        if engine == "sqlite":
            _restore_sqlite(workdir / SQLITE_MEMBER, alias)
        else:
            _restore_postgres(workdir / PG_MEMBER, alias)
        files = _replace_files(workdir, manifest)
    report = verify(manifest, alias=alias)
    report.files = files if not report.problems else report.files
    if report.problems:
        raise BackupError(
            "Khôi phục xong nhưng kiểm tra thấy sai lệch: " + "; ".join(report.problems[:10])
        )
    dbstats.vacuum_analyze(using=alias)  # the restored rows: fresh statistics, all-visible
    connection.close()
    return report
