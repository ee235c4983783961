"""``ptdv report summary --org CODE --from YYYY-MM-DD --to YYYY-MM-DD --format json|table``"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ptdv.core.summary import SummaryContext
from ptdv.organizations.models import OrgUnit
from ptdv.reports.summary import build_summary


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name}: ngày không hợp lệ “{value}” (dạng YYYY-MM-DD).")


def _table(data: Any, indent: int = 0) -> list[str]:
    lines: list[str] = []
    pad = "  " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list):
                lines.append(f"{pad}{key}:")
                lines.extend(_table(value, indent + 1))
            else:
                shown = (
                    f"{value:,}".replace(",", ".")
                    if isinstance(value, int) and not isinstance(value, bool) and key != "year"
                    else value
                )
                lines.append(f"{pad}{key:<34} {shown}")
    elif isinstance(data, list):
        for item in data:
            lines.extend(
                _table(item, indent) if isinstance(item, dict | list) else [f"{pad}- {item}"]
            )
            if isinstance(item, dict):
                lines.append("")
    return lines


class Command(BaseCommand):
    help = "Reports computed from the records. Sub-command: summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=["summary"])
        parser.add_argument("--org", help="organization code (default: the top of the tree)")
        parser.add_argument(
            "--from", dest="date_from", help="YYYY-MM-DD (default: 1 Jan this year)"
        )
        parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument(
            "--restated",
            action="store_true",
            help="Quy đổi theo tổ chức hiện nay: restated to today's units (the history of "
            "the organization's predecessors counted for it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["org"]:
            org = OrgUnit.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"Không có tổ chức đảng mã “{options['org']}”.")
        else:
            org = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
            if org is None:
                raise CommandError("Chưa có tổ chức đảng nào (chạy ptdv loaddemo?).")
        date_to = _date(options["date_to"], "--to") if options["date_to"] else today
        date_from = (
            _date(options["date_from"], "--from")
            if options["date_from"]
            else dt.date(date_to.year, 1, 1)
        )
        if date_to < date_from:
            raise CommandError("Ngày kết thúc phải sau ngày bắt đầu.")
        data = build_summary(
            SummaryContext(
                org=org, date_from=date_from, date_to=date_to, restated=options["restated"]
            )
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(_table(data)))
