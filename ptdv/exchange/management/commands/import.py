# ruff: noqa: N999  (the command is `ptdv import`)
"""ptdv import FILE --kind people|sources|classes|organizations [--dry-run] [--org CODE]
[--user USERNAME] [--confirm-name-matches]

``classes`` (also ``enrolments``): classes with their enrolments and results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.exchange import services
from ptdv.exchange.management.commands._common import resolve_org, resolve_user
from ptdv.exchange.vocab import HEADERS, KIND_ALIASES


class Command(BaseCommand):
    help = (
        "Import people, candidate sources, party organizations or classes (with enrolments and "
        "results) from an "
        "Excel file (all or nothing)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted([*HEADERS, *KIND_ALIASES]))
        parser.add_argument("--dry-run", action="store_true", help="check only, change nothing")
        parser.add_argument("--org", help="code of the organization the data goes into")
        parser.add_argument("--user", help="the user the import is recorded under")
        parser.add_argument(
            "--confirm-name-matches",
            action="store_true",
            help="rows without citizen ID matching a person of that name and date of birth "
            "recorded in another unit are that person",
        )
        parser.add_argument(
            "--new-for-name-matches",
            action="store_true",
            help="such rows are new people (without either option they are refused: a "
            "person is never duplicated silently; a match in the row's own unit is certain)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override("vi"):
            self._run(opts)

    def _progress(self, what: str) -> Any:
        """Plain progress lines on stderr (every 10 %): they read well in a log or cron
        mail as on a terminal."""
        shown = {"step": -1}

        def report(percent: float, message: str = "") -> None:
            step = int(percent) // 10
            if step > shown["step"]:
                shown["step"] = step
                self.stderr.write(f"{what}… {step * 10} %")

        return report

    def _run(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        user = resolve_user(opts.get("user"))
        org = resolve_org(opts.get("org"), user)
        try:
            kind = KIND_ALIASES.get(opts["kind"], opts["kind"])
            batch = services.batch_create_from_path(
                actor=user, kind=kind, org_unit=org, path=path, file_name=path.name
            )
            self.stdout.write(
                _("Sheet “%(sheet)s”, header on row(s) %(rows)s; columns: %(cols)s")
                % {
                    "sheet": batch.sheet,
                    "rows": ", ".join(str(r) for r in batch.header_rows),
                    "cols": ", ".join(
                        f"{batch.headers[int(i)]} → {HEADERS[batch.kind][f][0]}"
                        for i, f in sorted(batch.mapping.items(), key=lambda kv: int(kv[0]))
                        if f
                    ),
                }
            )
            progress = self._progress(_("Checking"))
            preview = services.batch_preview(actor=user, batch=batch, progress=progress)
            confirmed = [m["row"] for m in preview.matches] if opts["confirm_name_matches"] else []
            if confirmed:
                # checked again with the matches confirmed: what the import will do
                preview = services.batch_preview(actor=user, batch=batch, confirmed_rows=confirmed)
            if opts["dry_run"] or preview.problem_count:
                outcome = preview
            else:
                outcome = services.batch_commit(
                    actor=user,
                    batch=batch,
                    progress=self._progress(_("Importing")),
                    confirmed_rows=confirmed,
                    new_rows=[m["row"] for m in preview.matches]
                    if opts["new_for_name_matches"]
                    else [],
                )
        except DomainError as exc:
            raise CommandError(exc.message)
        for m in outcome.matches:
            self.stdout.write(
                _("Row %(row)s: same name and date of birth as %(name)s (%(org)s).")
                % {"row": m["row"], "name": m["name"], "org": m["org"]}
            )
        if outcome.problem_count:
            for p in outcome.problems[:200]:
                where = _("Row %(row)s") % {"row": p["row"]}
                if p["column"]:
                    where += f", «{p['column']}»"
                self.stderr.write(f"{where}: {p['message']}")
            if outcome.matches and not opts["confirm_name_matches"]:
                self.stderr.write(
                    _(
                        "Rows found by name and date of birth only (in another unit) are "
                        "refused until decided: check them above, then run again with "
                        "--confirm-name-matches (they are those people) or "
                        "--new-for-name-matches (people only: they are new people), or add "
                        "the citizen IDs."
                    )
                )
            raise CommandError(
                _("Nothing was imported: %(n)s problems. Correct the file and run again.")
                % {"n": outcome.problem_count}
            )
        counts = {
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        }
        if opts["dry_run"]:
            self.stdout.write(
                _(
                    "Check passed (nothing changed): %(rows)s rows; would create %(created)s, "
                    "update %(updated)s, leave %(unchanged)s unchanged."
                )
                % counts
            )
            return
        self.stdout.write(
            _(
                "Imported %(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
            )
            % counts
        )
        self.stdout.write(services.summary_text(outcome.created, outcome.updated))
        self.stdout.write(_("Batch: %(uid)s") % {"uid": batch.uid})
