"""``ptdv backup FILE``: the database and the stored files in one archive (safe while serving)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ptdv.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into one archive (.tar) with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="the archive to write, e.g. var/backups/ptdv-2026-12-05.tar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc))
        rows = sum(manifest["tables"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(
            f"Đã sao lưu {manifest['engine']}: {len(manifest['tables'])} bảng, {rows} dòng, "
            f"{files} tệp → {target} ({target.stat().st_size} byte)"
        )
