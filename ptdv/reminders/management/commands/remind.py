"""``ptdv remind [--date D] [--dry-run]``: the day's reminders (cron, or the worker daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ptdv.reminders import services


class Command(BaseCommand):
    help = (
        "Send the reminders of a day: deadlines approaching and overdue to the holders of "
        "the responsible position, escalations to the committee above (nothing twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day, YYYY-MM-DD or DD/MM/YYYY (default today)")
        parser.add_argument("--dry-run", action="store_true", help="show, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["date"]:
            on = _parse(options["date"])
        report = services.remind(on, dry_run=options["dry_run"])
        c = report.counts()
        head = "Thử (không gửi)" if options["dry_run"] else "Đã gửi"
        self.stdout.write(
            f"{head} ngày {on:%d/%m/%Y}: {report.deadlines} thời hạn; "
            f"{c['approaching']} nhắc sắp đến hạn, {c['overdue']} nhắc quá hạn, "
            f"{c['escalated']} báo lên cấp trên; {report.skipped_existing} đã gửi trước đó; "
            f"{report.emails} thư điện tử."
        )
        if options["verbosity"] > 1 or options["dry_run"]:
            for p in report.created:
                self.stdout.write(
                    f"  {p.user.get_username()}\t{p.kind}\t{p.deadline.due_on:%d/%m/%Y}\t"
                    f"{p.deadline.subject}\t{p.unit.name}"
                )


def _parse(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {text!r} (dạng 31/12/2026 hoặc 2026-12-31)")
