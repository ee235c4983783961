"""``ptdv loaddemo``: build the Chợ Đồn demo (idempotent, seeded, reproducible)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.core import dbstats
from ptdv.core.registry import app_modules
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Person


def holds_demo() -> bool:
    """The demo is loaded here: its district (CD) and every one of its accounts exist."""
    from ptdv.demo.demo import DEMO_USERS

    names = {"admin", *(u for u, _r, _o, _t in DEMO_USERS)}
    users = get_user_model().objects.filter(username__in=names).count()
    return users == len(names) and OrgUnit.objects.filter(code="CD").exists()


def is_empty() -> bool:
    """Nothing to lose: no account, no organization, no person."""
    return not (
        get_user_model().objects.exists() or OrgUnit.objects.exists() or Person.objects.exists()
    )


class Command(BaseCommand):
    help = "Load the Chợ Đồn demo (idempotent: does nothing if it is already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="flush the database first (only a database holding the demo, or an empty one)",
        )
        history = parser.add_mutually_exclusive_group()
        history.add_argument(
            "--full-history",
            action="store_true",
            help=(
                "run every admission case (ceremonies from plan.CASES_FROM) step by step "
                "through the admission services (the default; kept for explicitness)"
            ),
        )
        history.add_argument(
            "--fast",
            action="store_true",
            help=(
                "write the admission cases with a ceremony before 2024 in bulk (the same "
                "rows, see admissions/tests/test_demo_equivalence.py): about 220 s instead "
                "of 390 s wall, 115 s instead of 275 s CPU"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            if not (holds_demo() or is_empty()):
                raise CommandError(
                    _(
                        "This database does not hold the demo: --reset would erase its data. "
                        "Nothing was changed."
                    )
                )
            call_command("flush", interactive=False, verbosity=0)
        if OrgUnit.objects.filter(code="CD").exists():
            self.stdout.write("Dữ liệu mẫu Chợ Đồn đã có sẵn — không thay đổi gì.")
            self._print_logins()
            return
        if OrgUnit.objects.exists():
            raise CommandError("Cơ sở dữ liệu đã có dữ liệu khác; dùng --reset để làm lại từ đầu.")
        with transaction.atomic():
            logins = self._build(fast=options["fast"])
        dbstats.analyze()  # fresh planner statistics after the bulk load
        self._print_logins(logins)

    def _build(self, *, fast: bool = False) -> list[tuple[str, str, str]]:
        User = get_user_model()
        actor = User.objects.create_superuser("admin", password="ptdv@2026")  # noqa: S106
        ctx = DemoContext(plan=P.build(P.TODAY), today=P.TODAY, actor=actor, out=self.stdout)
        ctx.fast = fast  # type: ignore[attr-defined]  # read by admissions.demo
        if fast:
            self.stdout.write("--fast: hồ sơ kết nạp có lễ kết nạp trước 2024 ghi theo lô")
        elif P.CASES_FROM:
            self.stdout.write(
                f"Mọi hồ sơ kết nạp từ {P.CASES_FROM:%d/%m/%Y} qua từng bước dịch vụ "
                "(--fast: ghi theo lô các hồ sơ trước 2024)"
            )
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
