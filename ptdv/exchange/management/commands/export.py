"""ptdv export --kind people|sources|organizations|classes --org CODE FILE [--user USERNAME]

ptdv export --kind stat_admitted|stat_members --org CODE [--from dd/mm/yyyy] [--to dd/mm/yyyy]
FILE: the party's statistical forms (``statforms.py``) for that unit and period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.exchange import exporter, statforms, vocab
from ptdv.exchange.management.commands._common import resolve_org, resolve_user


class Command(BaseCommand):
    help = (
        "Export people, candidate sources, party organizations or class rosters with results "
        "of a subtree to Excel."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--kind",
            required=True,
            choices=[*exporter.EXPORTABLE, *vocab.KIND_ALIASES, *statforms.FORMS],
        )
        parser.add_argument("--from", dest="date_from", help="dd/mm/yyyy (statistical forms)")
        parser.add_argument("--to", dest="date_to", help="dd/mm/yyyy (statistical forms)")
        parser.add_argument("--org", help="code of the organization (its whole subtree)")
        parser.add_argument("--user", help="the user whose scope applies (audited)")

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override("vi"):
            user = resolve_user(opts.get("user"))
            org = resolve_org(opts.get("org"), user)
            if opts["kind"] in statforms.FORMS:
                self._form(opts, user, org)
                return
            try:
                kind = vocab.KIND_ALIASES.get(opts["kind"], opts["kind"])
                data, n = exporter.export_workbook(kind=kind, user=user, org=org)
            except DomainError as exc:
                raise CommandError(exc.message)
            Path(opts["file"]).write_bytes(data)
            self.stdout.write(_("%(n)s rows written to %(file)s.") % {"n": n, "file": opts["file"]})

    def _form(self, opts: dict[str, Any], user: Any, org: Any) -> None:
        today = timezone.localdate()
        try:
            date_to = _date(opts.get("date_to")) or today
            date_from = _date(opts.get("date_from")) or date_to.replace(month=1, day=1)
            period = statforms.Period(date_from, date_to)
            data = statforms.workbook(opts["kind"], org, period, user=user)
        except DomainError as exc:
            raise CommandError(exc.message)
        Path(opts["file"]).write_bytes(data)
        self.stdout.write(
            _("Statistical form of %(org)s from %(from)s to %(to)s written to %(file)s.")
            % {
                "org": org.name,
                "from": period.date_from.strftime("%d/%m/%Y"),
                "to": period.date_to.strftime("%d/%m/%Y"),
                "file": opts["file"],
            }
        )


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise CommandError(_("Enter a date as dd/mm/yyyy: %(value)s") % {"value": text})
