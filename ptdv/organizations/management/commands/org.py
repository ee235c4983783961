"""``ptdv org tree --as-of YYYY-MM-DD [--format json|table] [--root CODE]``

The organization tree valid on a date: each unit with the name, parent and interval of
its version of that day (``valid_to`` null while it is still open)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ptdv.organizations import selectors as sel
from ptdv.organizations.models import OrgUnit, OrgUnitVersion, level_of


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name}: ngày không hợp lệ “{value}” (dạng YYYY-MM-DD).") from None


def _row(v: OrgUnitVersion) -> dict[str, Any]:
    return {
        "code": v.unit.code,
        "name": v.name,
        "parent": v.parent.code if v.parent else None,
        "level": level_of(v.unit.kind).value,
        "kind": v.unit.kind,
        "depth": v.depth,
        "valid_from": v.valid_from.isoformat(),
        "valid_to": v.valid_to.isoformat() if v.valid_to else None,
    }


class Command(BaseCommand):
    help = "The organization tree. Sub-command: tree (the tree valid on a date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=["tree"])
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--root", help="code of the organization at the top (default: all)")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["as_of"], "--as-of") if options["as_of"] else timezone.localdate()
        root = None
        if options["root"]:
            root = OrgUnit.objects.filter(code=options["root"]).first()
            if root is None:
                raise CommandError(f"Không có tổ chức đảng mã “{options['root']}”.")
        versions = sel.tree_on(day, root=root)
        if root is not None and not versions:
            raise CommandError(
                f"Tổ chức đảng “{root.code}” không tồn tại vào ngày {day:%d/%m/%Y} "
                f"(hiệu lực {root.valid_from:%d/%m/%Y} – "
                f"{root.valid_to.strftime('%d/%m/%Y') if root.valid_to else '…'})."
            )
        rows = [_row(v) for v in sel.tree_on(day, root=root)]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        top = min((r["depth"] for r in rows), default=0)
        lines = [f"Cây tổ chức đảng ngày {day:%d/%m/%Y}: {len(rows)} tổ chức"]
        for r in rows:
            pad = "  " * (r["depth"] - top)
            until = f" – {r['valid_to']}" if r["valid_to"] else ""
            lines.append(f"{pad}{r['code']:<12} {r['name']}  [{r['valid_from']}{until}]")
        self.stdout.write("\n".join(lines))
