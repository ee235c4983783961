"""ptdv restructure plan FILE [--dry-run] [--user USERNAME] | undo ID | list

A restructuring plan (.csv or .xlsx: old unit → new unit, new parent, effective date,
decision) checked as a whole, previewed (``--dry-run``: counts before and after per unit,
nothing changed) or applied in one transaction; ``undo`` puts it back as a whole. The
same code as the import wizard (kind "restructuring") and the demo step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ptdv.core.cli import resolve_user
from ptdv.core.errors import DomainError
from ptdv.organizations.models import Restructuring
from ptdv.restructuring import plan, selectors, services


class Command(BaseCommand):
    help = "Apply, preview or undo a restructuring plan of the organization tree."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("plan", help="check and apply a plan file (.csv or .xlsx)")
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true", help="check and preview only")
        p.add_argument("--user", help="the user the change is recorded under")
        u = sub.add_parser("undo", help="undo an applied plan or operation as a whole")
        u.add_argument("id", type=int)
        u.add_argument("--user", help="the user the undo is recorded under")
        sub.add_parser("list", help="the operations that can still be undone")

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override("vi"):
            getattr(self, "_" + opts["action"])(opts)

    def _plan(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        user = resolve_user(opts.get("user"))
        try:
            rows = plan.load(path)
            if opts["dry_run"]:
                lines = plan.plan_preview(actor=user, rows=rows)
                self._print_preview(lines)
                self.stdout.write(
                    _("Checked %(n)s rows: no problem. Nothing was changed (--dry-run).")
                    % {"n": len(rows)}
                )
                return
            op = plan.plan_apply(actor=user, rows=rows, summary=path.name)
        except plan.PlanError as exc:
            raise CommandError(
                _("The plan is refused, nothing was changed:") + "\n" + exc.message
            ) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _("Plan applied: %(n)s rows, operation #%(id)s. Undo: ptdv restructure undo %(id)s")
            % {"n": len(rows), "id": op.pk}
        )

    def _print_preview(self, lines: list[selectors.PreviewLine]) -> None:
        head = _("unit")
        self.stdout.write(
            f"{head:<14} {'':<40} "
            + " ".join(f"{k:>17}" for k in (_("members"), _("cases"), _("sources"), _("villages")))
        )
        for line in lines:
            cells = " ".join(f"{line.before[k]:>8} → {line.after[k]:<6}" for k in selectors.COUNTED)
            self.stdout.write(f"{line.code:<14} {line.name[:40]:<40} {cells}")

    def _undo(self, opts: dict[str, Any]) -> None:
        user = resolve_user(opts.get("user"))
        op = Restructuring.objects.filter(pk=opts["id"]).first()
        if op is None:
            raise CommandError(_("There is no restructuring #%(id)s.") % {"id": opts["id"]})
        try:
            services.restructure_undo(actor=user, op=op)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(_("Restructuring #%(id)s undone.") % {"id": op.pk})

    def _list(self, opts: dict[str, Any]) -> None:
        for op in selectors.undoable_operations():
            self.stdout.write(
                f"#{op.pk:<6} {op.date:%d/%m/%Y} {op.get_kind_display():<28} "
                f"{op.decision_label[:40]:<40} {op.summary[:60]}"
            )
