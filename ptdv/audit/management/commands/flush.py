"""``flush`` with the audit triggers suspended for exactly the time of the wipe (one
transaction; see ``ptdv.audit.triggers.suspended``). Django's test teardown and
``loaddemo --reset`` call ``flush`` by name, so they go through this command."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from ptdv.audit.triggers import suspended


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with suspended(using=options["database"]):
            super().handle(**options)
