"""The shipped demo: the database ``ptdv loaddemo`` builds, built once and kept beside the
code, so that ``make demo`` reaches its first page in seconds instead of minutes.

``ptdv builddemo`` runs the ordinary loader (``migrate`` then ``loaddemo --fresh``: every
admission case step by step through the services) on an empty SQLite file, backs it up with
``ptdv backup`` (``core.backup``: the SQLite file, the row count of every table and
checksums) and writes

- ``data/demo.tar.xz`` — that archive, xz-compressed;
- ``data/demo.json`` — its build key and how it was built.

The build key is the SHA-256 of what decides the demo's rows besides the services: the
plan, the steps and ``loaddemo`` (``key_files``), the demo's data, every migration and the
policy files. ``ptdv loaddemo`` restores the archive (``core.backup.restore``,
which checks every table's row count and the file's integrity) only when the key of this
checkout matches, the database is SQLite and holds nothing; otherwise it runs the loader.
``ptdv/demo/tests/test_shipped.py`` fails when the key is stale and checks that a fresh load
and the shipped database give the same reports. The demo's dates do not follow the calendar
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
    """The files whose content decides the shipped database besides the services: what
    writes the demo's rows (the plan, the steps, ``loaddemo``'s build, the demo's data),
    every migration and the policy files."""
    demo = [
        DEMO_DIR / "plan.py",
        DEMO_DIR / "names.py",
        DEMO_DIR / "context.py",
        DEMO_DIR / "management" / "commands" / "loaddemo.py",
        *(DEMO_DIR / "steps").rglob("*.py"),
        *(DEMO_DIR / "data").glob("*.csv"),
    ]
    migrations = PTDV_DIR.glob("*/migrations/*.py")
    policies = (PTDV_DIR / "policy" / "policies").glob("*.toml")
    return sorted({*demo, *migrations, *policies})


def build_key() -> str:
    h = hashlib.sha256()
    for path in key_files():
        h.update(path.relative_to(PTDV_DIR).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def info() -> dict[str, Any] | None:
    if not (INFO.is_file() and ARCHIVE.is_file()):
        return None
    data: dict[str, Any] = json.loads(INFO.read_text(encoding="utf-8"))
    return data


def why_not_shipped() -> str | None:
    """Why the shipped database cannot stand in for a load here (Vietnamese), or None."""
    if connection.vendor != "sqlite":
        return "CSDL không phải SQLite"
    shipped = info()
    if shipped is None:
        return f"không có {ARCHIVE.name}"
    if shipped.get("key") != build_key():
        return "bản dựng sẵn đã cũ so với mã nguồn (chạy ptdv builddemo)"
    return None


def restore_shipped() -> int:
    """Decompress the archive and restore it (refused by ``core.backup`` if the database or
    the file store holds anything); returns the number of rows restored."""
    import tempfile

    from ptdv.core.backup import restore

    with tempfile.TemporaryDirectory(prefix="ptdv-demo-") as tmp:
        tar = Path(tmp) / "demo.tar"
        with lzma.open(ARCHIVE) as src, tar.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        report = restore(tar, force=False)
    return report.rows


def write_shipped(tar: Path, key: str, built_with: str) -> dict[str, Any]:
    """Compress a ``ptdv backup`` archive into ``ARCHIVE`` and record its key."""
    ARCHIVE.parent.mkdir(parents=True, exist_ok=True)
    partial = ARCHIVE.with_name(ARCHIVE.name + ".partial")
    with tar.open("rb") as src, lzma.open(partial, "wb", preset=9) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    partial.replace(ARCHIVE)
    data = {
        "key": key,
        "built_with": built_with,
        "archive_bytes": ARCHIVE.stat().st_size,
        "backup_bytes": tar.stat().st_size,
    }
    INFO.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return data
