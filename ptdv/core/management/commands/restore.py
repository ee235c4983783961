"""``ptdv restore FILE [--force]``: replace the database and the stored files by a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ptdv.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `ptdv backup`; refuses a database or file store that holds "
        "data unless --force, then checks every table's row count and every file's checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive written by `ptdv backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(Path(options["file"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Đã khôi phục và kiểm tra: {report.tables} bảng, {report.rows} dòng, "
            f"{report.files} tệp khớp bản sao lưu."
        )
