"""ptdv export --kind people|sources|organizations|classes --org CODE FILE [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.exchange import exporter, vocab
from ptdv.exchange.management.commands._common import resolve_org, resolve_user


class Command(BaseCommand):
    help = (
        "Export people, candidate sources, party organizations or class rosters with results "
        "of a subtree to Excel."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--kind", required=True, choices=[*exporter.EXPORTABLE, *vocab.KIND_ALIASES]
        )
        parser.add_argument("--org", help="code of the organization (its whole subtree)")
        parser.add_argument("--user", help="the user whose scope applies (audited)")

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override("vi"):
            user = resolve_user(opts.get("user"))
            org = resolve_org(opts.get("org"), user)
            try:
                kind = vocab.KIND_ALIASES.get(opts["kind"], opts["kind"])
                data, n = exporter.export_workbook(kind=kind, user=user, org=org)
            except DomainError as exc:
                raise CommandError(exc.message)
            Path(opts["file"]).write_bytes(data)
            self.stdout.write(_("%(n)s rows written to %(file)s.") % {"n": n, "file": opts["file"]})
