"""``ptdv loaddemo``: the Chợ Đồn demo (idempotent, seeded, reproducible).

On an empty SQLite database it restores the shipped demo (``ptdv/demo/shipped.py``) when
that was built from this checkout's demo code, migrations and policies; otherwise, or with
``--fresh``/``--fast``, it runs the steps of ``ptdv.demo.steps`` in order."""

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
from ptdv.core.backup import BackupError
from ptdv.demo import plan as P
from ptdv.demo import shipped
from ptdv.demo.context import DemoContext
from ptdv.demo.steps import STEPS
from ptdv.demo.steps.people import DEMO_PASSWORD, DEMO_USERS
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Person


def holds_demo() -> bool:
    """The demo is loaded here: its district (CD) and every one of its accounts exist."""
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
            "--fresh",
            action="store_true",
            help="run the loader even when the shipped demo (ptdv builddemo) fits this checkout",
        )
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
                "run the loader, writing the admission cases with a ceremony before 2024 in "
                "bulk (the same rows, see ptdv/demo/tests/test_demo_equivalence.py)"
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
        if not (options["fresh"] or options["fast"]) and self._restore_shipped():
            self._print_logins()
            return
        started = time.monotonic()
        with transaction.atomic():
            logins = self._build(fast=options["fast"])
        dbstats.analyze()  # fresh planner statistics after the bulk load
        self.stdout.write(f"Nạp xong trong {time.monotonic() - started:.0f} s.")
        self._print_logins(logins)

    def _restore_shipped(self) -> bool:
        """The shipped demo restored in place of a load, when it fits (see ``shipped``)."""
        reason = shipped.why_not_shipped()
        if reason is None:
            started = time.monotonic()
            try:
                rows, migrated = shipped.restore_shipped()
            except BackupError as exc:
                reason = str(exc)
            else:
                newer = f", thêm {migrated} migration mới hơn" if migrated else ""
                self.stdout.write(
                    f"Dữ liệu mẫu dựng sẵn ({shipped.ARCHIVE.name}, dựng bằng chính loaddemo): "
                    f"{rows} dòng{newer}, {time.monotonic() - started:.1f} s"
                )
                return True
        self.stdout.write(f"Không dùng bản dựng sẵn ({reason}): nạp từ đầu.")
        return False

    def _build(self, *, fast: bool = False) -> list[tuple[str, str, str]]:
        User = get_user_model()
        actor = User.objects.create_superuser("admin", password="ptdv@2026")  # noqa: S106
        ctx = DemoContext(
            plan=P.build(P.TODAY), today=P.TODAY, actor=actor, out=self.stdout, fast=fast
        )
        if fast:
            self.stdout.write("--fast: hồ sơ kết nạp có lễ kết nạp trước 2024 ghi theo lô")
        elif P.CASES_FROM:
            self.stdout.write(
                f"Mọi hồ sơ kết nạp từ {P.CASES_FROM:%d/%m/%Y} qua từng bước dịch vụ "
                "(--fast: ghi theo lô các hồ sơ trước 2024)"
            )
        for step in STEPS:
            started = time.monotonic()
            self.stdout.write(f"→ {step.__name__}")
            step.run(ctx)
            # The load is one transaction, so autovacuum sees none of it: without this the
            # next step's queries are planned on the row counts of an empty database
            # (PostgreSQL chose nested loops of 20 s per query in a test database).
            dbstats.analyze()
            self.stdout.write(f"  ({time.monotonic() - started:.1f} s)")
        ctx.logins.insert(0, ("admin", "Quản trị hệ thống", "—"))
        return ctx.logins

    def _print_logins(self, logins: list[tuple[str, str, str]] | None = None) -> None:
        rows = logins or [("admin", "Quản trị hệ thống", "—")] + [
            (u, str(r.label), o) for u, r, o, _t in DEMO_USERS
        ]
        self.stdout.write(f"\nTài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):")
        for username, role, org in rows:
            self.stdout.write(f"  {username:<18} {role:<32} {org}")
        _ = dt
