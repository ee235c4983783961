"""``flush`` with every app's triggers suspended for exactly the time of the wipe (one
transaction): the audit log's append-only triggers (``ptdv.audit.triggers.suspended``)
and any other app's ``triggers.suspended`` (``ptdv.core.registry``), such as the member
flows kept from the periods. Django's test teardown and ``loaddemo --reset`` call
``flush`` by name, so they go through this command."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.core.management.commands import flush

from ptdv.core.registry import app_modules


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with ExitStack() as stack:
            for module in app_modules("triggers"):
                stack.enter_context(module.suspended(using=options["database"]))
            super().handle(**options)
