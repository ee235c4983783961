"""``ptdv arealist load FILE --number … --issuer … --signed-on dd/mm/yyyy --category …
--valid-from dd/mm/yyyy [--valid-to dd/mm/yyyy] [--title …] [--note …]``

Load a decision's list of special-area communes and villages (CSV in UTF-8 or XLSX, with
the columns Loại, Tên, Xã, Mã): all or nothing, each refused row named with its reason in
Vietnamese. ``ptdv arealist show`` prints the decisions loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ptdv.core.errors import BulkError, DomainError
from ptdv.organizations import area_lists
from ptdv.organizations.models import AreaCategory
from ptdv.policy.area_services import decision_load


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise CommandError(f"{name}: ngày không hợp lệ “{value}” (dạng dd/mm/yyyy).")


class Command(BaseCommand):
    help = "Lists of special-area communes and villages by decision: load, show."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "show"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--number")
        parser.add_argument("--issuer")
        parser.add_argument("--signed-on", dest="signed_on")
        parser.add_argument("--category", choices=AreaCategory.values)
        parser.add_argument("--valid-from", dest="valid_from")
        parser.add_argument("--valid-to", dest="valid_to")
        parser.add_argument("--title", default="")
        parser.add_argument("--note", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["action"] == "show":
            for d in area_lists.decisions():
                end = d.valid_to.strftime("%d/%m/%Y") if d.valid_to else "…"
                self.stdout.write(
                    f"{d} — {d.get_category_display()} — hiệu lực "
                    f"{d.valid_from:%d/%m/%Y} – {end}: {d.listings.count()} địa bàn"
                )
            return
        missing = [
            flag
            for flag, key in (
                ("FILE", "file"),
                ("--number", "number"),
                ("--issuer", "issuer"),
                ("--signed-on", "signed_on"),
                ("--category", "category"),
                ("--valid-from", "valid_from"),
            )
            if not o.get(key)
        ]
        if missing:
            raise CommandError(f"Thiếu: {', '.join(missing)}.")
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp “{path}”.")
        try:
            rows = area_lists.read_rows(path.read_bytes(), path.name)
            decision = decision_load(
                actor=None,
                number=o["number"],
                issuer=o["issuer"],
                signed_on=_date(o["signed_on"], "--signed-on"),  # type: ignore[arg-type]
                category=o["category"],
                valid_from=_date(o["valid_from"], "--valid-from"),  # type: ignore[arg-type]
                valid_to=_date(o["valid_to"], "--valid-to"),
                rows=rows,
                title=o["title"],
                source_note=o["note"],
            )
        except BulkError as e:
            lines = [e.message] + [f"  dòng {r.row}: {r.message}" for r in e.rows]
            raise CommandError("\n".join(lines)) from None
        except DomainError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"Đã nạp {decision}: {decision.listings.count()} địa bàn.")
