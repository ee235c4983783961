"""The shipped demo: the database ``ptdv loaddemo`` builds, built once and kept beside the
code, so that ``make demo`` reaches its first page in seconds instead of minutes.

``ptdv builddemo`` runs the ordinary loader (``migrate`` then ``loaddemo --fresh``: every
admission case step by step through the services) on an empty SQLite file, backs it up with
``ptdv backup`` (``core.backup``: the SQLite file, the row count of every table and
checksums) and writes

- ``data/demo.tar.xz`` — that archive, xz-compressed;
- ``data/demo.json`` — its build key and how it was built.

The build key is the SHA-256 of what decides the demo's rows besides the services and the
schema: the plan, the steps and ``loaddemo`` (``key_files``), the demo's data and the policy
files; ``demo.json`` also lists every migration the archive was built with and its SHA-256.
``ptdv loaddemo`` restores the archive (``core.backup.restore``, which checks every table's
row count and the file's integrity) when the database is SQLite and holds nothing, the key
matches and every migration of the archive is here unchanged; it then applies the
migrations added since (a new migration does not make the shipped demo unusable). Otherwise
it runs the loader. ``ptdv/demo/tests/test_shipped.py`` fails when the shipped demo is stale
and checks that a fresh load and the shipped database (with the newer migrations applied)
give the same reports. The demo's dates do not follow the calendar
(``plan.TODAY`` is fixed), so the shipped database does not age.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import shutil
from pathlib import Path
from typing import Any

from django.db import connection

DEMO_DIR = Path(__file__).resolve().parent
PTDV_DIR = DEMO_DIR.parent
ARCHIVE = DEMO_DIR / "data" / "demo.tar.xz"
INFO = DEMO_DIR / "data" / "demo.json"


def key_files() -> list[Path]:
    """The files whose content decides the shipped database besides the services and the
    migrations: what writes the demo's rows (the plan, the steps, ``loaddemo``'s build, the
    demo's data) and the policy files."""
    demo = [
        DEMO_DIR / "plan.py",
        DEMO_DIR / "names.py",
        DEMO_DIR / "context.py",
        DEMO_DIR / "management" / "commands" / "loaddemo.py",
        *(DEMO_DIR / "steps").rglob("*.py"),
        *(DEMO_DIR / "data").glob("*.csv"),
    ]
    policies = (PTDV_DIR / "policy" / "policies").glob("*.toml")
    return sorted({*demo, *policies})


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_key() -> str:
    h = hashlib.sha256()
    for path in key_files():
        h.update(path.relative_to(PTDV_DIR).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def migrations() -> dict[str, str]:
    """Every migration of this checkout (``app/migrations/name.py``) → its SHA-256."""
    return {
        p.relative_to(PTDV_DIR).as_posix(): _sha256(p.read_bytes())
        for p in sorted(PTDV_DIR.glob("*/migrations/0*.py"))
    }


def info() -> dict[str, Any] | None:
    if not (INFO.is_file() and ARCHIVE.is_file()):
        return None
    data: dict[str, Any] = json.loads(INFO.read_text(encoding="utf-8"))
    return data


def why_not_shipped() -> str | None:
    """Why the shipped database cannot stand in for a load here (Vietnamese), or None.

    It can when it was built by this checkout's demo code and policies, and every migration
    it was built with is here unchanged; migrations added since are applied after the
    restore (``restore_shipped``)."""
    if connection.vendor != "sqlite":
        return "CSDL không phải SQLite"
    shipped = info()
    if shipped is None:
        return f"không có {ARCHIVE.name}"
    if shipped.get("key") != build_key():
        return "mã nguồn dữ liệu mẫu hoặc tệp chính sách đã đổi từ khi dựng (chạy ptdv builddemo)"
    here = migrations()
    changed = sorted(m for m, h in shipped.get("migrations", {}).items() if here.get(m) != h)
    if changed:
        return f"migration đã đổi hoặc bị xóa từ khi dựng: {', '.join(changed[:3])} (chạy ptdv builddemo)"
    return None


def newer_migrations() -> list[str]:
    """Migrations of this checkout that the shipped database was built without."""
    shipped = (info() or {}).get("migrations", {})
    return sorted(set(migrations()) - set(shipped))


def restore_shipped() -> tuple[int, int]:
    """Decompress the archive and restore it (refused by ``core.backup`` if the database or
    the file store holds anything), then apply the migrations added since it was built;
    returns the number of rows restored and of migrations applied."""
    import tempfile

    from django.core.management import call_command

    from ptdv.core.backup import restore

    newer = newer_migrations()

    with tempfile.TemporaryDirectory(prefix="ptdv-demo-") as tmp:
        tar = Path(tmp) / "demo.tar"
        with lzma.open(ARCHIVE) as src, tar.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        report = restore(tar, force=False)
    if newer:
        call_command("migrate", interactive=False, verbosity=0)
    return report.rows, len(newer)


def write_shipped(tar: Path, key: str, built_with: str) -> dict[str, Any]:
    """Compress a ``ptdv backup`` archive into ``ARCHIVE`` and record its key."""
    ARCHIVE.parent.mkdir(parents=True, exist_ok=True)
    partial = ARCHIVE.with_name(ARCHIVE.name + ".partial")
    with tar.open("rb") as src, lzma.open(partial, "wb", preset=9) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    partial.replace(ARCHIVE)
    data = {
        "key": key,
        "migrations": migrations(),
        "built_with": built_with,
        "archive_bytes": ARCHIVE.stat().st_size,
        "backup_bytes": tar.stat().st_size,
    }
    INFO.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return data
