"""Import of a restructuring plan through the wizard (kind "restructuring").

Unlike the other kinds a plan is not applied row by row: every row is collected, then
``restructuring.plan`` checks the plan as a whole and applies it in the import's own
transaction (so the preview is the real plan, rolled back). Its problems are the rows'
problems; its counts before and after per unit are the batch report's ``restructuring``
lines. The batch keeps one change, the plan's ``Restructuring`` record, which the batch's
undo puts back as a whole (``restructuring.services.restructure_undo``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.exchange.models import ImportBatch, ImportChange
from ptdv.organizations.models import Restructuring

TARGET = "organizations.restructuring"


def collect_row(ctx: Any, rownum: int, values: dict[str, Any]) -> None:
    ctx.kind_state.setdefault("rows", []).append((rownum, values))


def finish_plan(ctx: Any) -> None:
    from ptdv.restructuring import plan, selectors

    raw = ctx.kind_state.get("rows", [])
    if not raw:
        return
    rows, problems = plan.parse_rows(raw)
    if not problems:
        checked = plan.plan_check(rows)
        problems = checked.problems
    if problems:
        for p in problems:
            ctx.outcome.problem(
                p.row, ctx.headers.get(p.field, plan.header_label(p.field)), p.message
            )
        return
    day = checked.date
    units = plan.plan_units(rows)
    before = {u.pk: (u, selectors.unit_counts(u, day - selectors.DAY)) for u in units}
    try:
        op = plan.plan_apply(actor=ctx.actor, rows=rows, summary=ctx.batch.file_name)
    except plan.PlanError as exc:
        for p in exc.problems:
            ctx.outcome.problem(
                p.row, ctx.headers.get(p.field, plan.header_label(p.field)), p.message
            )
        return
    except DomainError as exc:
        ctx.outcome.problem(0, "", exc.message)
        return
    lines: list[dict[str, Any]] = []
    for u in [*[b[0] for b in before.values()], *plan.plan_units(rows)]:
        if any(line["code"] == u.code for line in lines):
            continue
        after = selectors.unit_counts(u, day)
        was = before.get(u.pk, (u, dict.fromkeys(selectors.COUNTED, 0)))[1]
        lines.append({"code": u.code, "name": u.name, "before": was, "after": after})
    ctx.outcome.details["restructuring"] = lines
    ctx.outcome.created += len(op.payload.get("created_units", []))
    ctx.outcome.updated += len(rows) - len(op.payload.get("created_units", []))
    ctx.pending.append(
        ImportChange(
            batch=ctx.batch,
            row=0,
            action=ImportChange.Action.CREATED,
            target_type=TARGET,
            target_id=op.pk,
            new={"plan": op.pk, "rows": len(rows), "date": op.date.isoformat()},
        )
    )


def check_undo(batch: ImportBatch, ch: ImportChange) -> None:
    from ptdv.restructuring.selectors import undo_problem

    op = Restructuring.objects.filter(pk=ch.target_id).first()
    if op is None:
        raise DomainError(_("The restructuring of this import no longer exists."))
    problem = undo_problem(op)
    if problem:
        raise DomainError(problem, code="changed_since")


def undo(actor: Any, ch: ImportChange) -> None:
    from ptdv.restructuring.services import restructure_undo

    restructure_undo(actor=actor, op=Restructuring.objects.get(pk=ch.target_id))
