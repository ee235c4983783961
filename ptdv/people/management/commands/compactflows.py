"""``ptdv compactflows``: fold the member flows' rows (``ptdv.people.flows``) into one per
month, level, key and status. The counts are the same before and after; the rows the
triggers added since the last run are what a count at the top of the tree reads, so run
it nightly (cron) on a busy database. ``--rebuild`` recomputes them from the periods."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ptdv.people import flows


class Command(BaseCommand):
    help = "Gộp các dòng tổng hợp biến động đảng viên theo tháng (số liệu không đổi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="tính lại từ các giai đoạn sinh hoạt đảng"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not flows.kept():
            self.stdout.write(
                "SQLite không lưu tổng hợp biến động đảng viên: số liệu đọc trực tiếp từ "
                "các giai đoạn sinh hoạt đảng."
            )
            return
        started = time.monotonic()
        if options["rebuild"]:
            flows.rebuild()
        left = flows.compact()
        self.stdout.write(
            f"Tổng hợp biến động đảng viên: {left} dòng ({time.monotonic() - started:.1f} s)."
        )
