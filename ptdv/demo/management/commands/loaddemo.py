"""``ptdv loaddemo``: build the Chợ Đồn demo (idempotent, seeded, reproducible)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ptdv.core.registry import app_modules
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgUnit


class Command(BaseCommand):
    help = "Load the Chợ Đồn demo (idempotent: does nothing if it is already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="flush the database first")
        parser.add_argument(
            "--full-history",
            action="store_true",
            help=(
                "run every admission case (ceremonies from plan.CASES_FROM) step by step "
                "through the admission services instead of writing the older ones in bulk "
                "(slower: about 0.1 s CPU more per older case)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if OrgUnit.objects.filter(code="CD").exists():
            self.stdout.write("Dữ liệu mẫu Chợ Đồn đã có sẵn — không thay đổi gì.")
            self._print_logins()
            return
        if OrgUnit.objects.exists():
            raise CommandError("Cơ sở dữ liệu đã có dữ liệu khác; dùng --reset để làm lại từ đầu.")
        with transaction.atomic():
            logins = self._build(full_history=options["full_history"])
        self._print_logins(logins)

    def _build(self, *, full_history: bool = False) -> list[tuple[str, str, str]]:
        User = get_user_model()
        actor = User.objects.create_superuser("admin", password="ptdv@2026")  # noqa: S106
        ctx = DemoContext(plan=P.build(P.TODAY), today=P.TODAY, actor=actor, out=self.stdout)
        ctx.full_history = full_history  # type: ignore[attr-defined]  # read by admissions.demo
        boundary = P.CASES_FROM if full_history else "mặc định của từng bước"
        self.stdout.write(f"Hồ sơ kết nạp qua từng bước dịch vụ từ: {boundary}")
        steps = sorted(
            (getattr(m, "DEMO_ORDER", 100), m.__name__, m)
            for m in app_modules("demo")
            if hasattr(m, "run")
        )
        for _order, name, module in steps:
            started = time.monotonic()
            self.stdout.write(f"→ {name}")
            module.run(ctx)
            self.stdout.write(f"  ({time.monotonic() - started:.1f} s)")
        ctx.logins.insert(0, ("admin", "Quản trị hệ thống", "—"))
        return ctx.logins

    def _print_logins(self, logins: list[tuple[str, str, str]] | None = None) -> None:
        from ptdv.demo.demo import DEMO_PASSWORD, DEMO_USERS

        rows = logins or [("admin", "Quản trị hệ thống", "—")] + [
            (u, str(r.label), o) for u, r, o, _t in DEMO_USERS
        ]
        self.stdout.write(f"\nTài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):")
        for username, role, org in rows:
            self.stdout.write(f"  {username:<18} {role:<32} {org}")
        _ = dt
