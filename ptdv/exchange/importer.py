"""The import itself: every row through the registry's services, in one transaction.

``run_import`` streams the rows of a batch's file, parses every mapped cell (each
problem is kept with its row and column), and applies the valid rows chunk by chunk
(``CHUNK_ROWS``): for people, the chunk's existing records are looked up in two queries,
each row is checked and either updates its person through ``people.services`` (inside a
savepoint, so that a refusal of a service becomes that row's problem) or is queued, and
the queued new people are written at the end of the chunk by
``people.services.people_create_valid`` — the same checks, derived status, periods and
audit entries as ``person_create`` + ``membership_event_add``, in a few statements.
Organizations and enrolments go row by row through their services. Each kind's rows are
in its own module (``import_people``, ``import_orgs``, ``import_classes``, ``import_sources``,
``import_restructuring``); the run's state is ``context.ImportContext``. At the end the whole
transaction is rolled back when there is any problem or when this is a preview: a
preview is the real import, undone. So the preview finds exactly the problems the import
would meet, and the import is all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.core import dbstats
from ptdv.core.errors import DomainError
from ptdv.exchange import cells, reader
from ptdv.exchange.context import CHUNK_ROWS, ImportContext, Outcome, RollbackError, report
from ptdv.exchange.import_classes import apply_enrolment, finish_classes
from ptdv.exchange.import_orgs import apply_org
from ptdv.exchange.import_people import apply_person, create_people, lookup_people, split_birth
from ptdv.exchange.import_restructuring import collect_row, finish_plan
from ptdv.exchange.import_sources import apply_source
from ptdv.exchange.models import ImportBatch
from ptdv.exchange.vocab import HEADERS, IGNORE, missing_required
from ptdv.organizations.selectors import subtree
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person

# the tables whose planner statistics a large import refreshes (other kinds: every table)
ANALYZED: dict[str, list[type[models.Model]]] = {
    "people": [Person, MembershipEvent, MembershipPeriod],
}


def run_import(
    *,
    batch: ImportBatch,
    actor: Any,
    commit: bool,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Outcome:
    if not has_perm(actor, "exchange.import", batch.org_unit):
        raise DomainError(_("You may not import data into this organization."), code="forbidden")
    layout = reader.inspect(path, batch.kind)
    mapping = {int(k): v for k, v in batch.mapping.items() if v and v != IGNORE}
    missing = missing_required(batch.kind, set(mapping.values()))
    if missing:
        names = ", ".join(HEADERS[batch.kind][f][0] for f in missing)
        raise DomainError(_("These columns are required: %(names)s.") % {"names": names})
    ctx = ImportContext(
        batch=batch,
        actor=actor,
        outcome=Outcome(),
        units={u.code: u for u in subtree(batch.org_unit)},
        confirmed=set(batch.confirmed_rows or []),
        commit=commit,
        new_rows={int(r) for r in (batch.report or {}).get("new_rows", [])},
        headers={
            f: (layout.headers[i] if i < len(layout.headers) else HEADERS[batch.kind][f][0])
            for i, f in mapping.items()
        },
    )
    detected = (batch.report or {}).get("encodings")
    if detected is None:
        detected = reader.column_encodings(path, layout)
    encodings = reader.effective_encodings(detected, (batch.report or {}).get("encoding_override"))
    read_info: dict[str, Any] = {}
    rows = reader.iter_rows(path, layout, encodings, read_info)
    try:
        with transaction.atomic():
            _apply_rows(ctx, rows, mapping, _Progress(progress, layout.estimated_rows))
            if read_info.get("footer_rows"):
                ctx.outcome.details["footer_row"] = read_info["footer_row"]
                ctx.outcome.details["footer_rows"] = read_info["footer_rows"]
            finish = FINISH.get(batch.kind)  # after the last row
            if finish is not None:
                finish(ctx)
            if ctx.outcome.rows == 0:
                raise DomainError(_("The file has no data rows."), code="no_rows")
            if ctx.outcome.problem_count or not commit:
                raise RollbackError
            ctx.flush()
            ctx.outcome.committed = True
    except RollbackError:
        pass
    if ctx.outcome.committed and ctx.outcome.rows >= dbstats.IMPORT_ROWS:
        dbstats.analyze(ANALYZED.get(batch.kind))  # fresh planner statistics after a bulk load
    return ctx.outcome


APPLY_ROW: dict[str, Callable[[ImportContext, int, dict[str, Any]], None]] = {
    "people": apply_person,
    "organizations": apply_org,
    "enrolments": apply_enrolment,
    "sources": apply_source,
    "restructuring": collect_row,
}
FINISH: dict[str, Callable[[ImportContext], None]] = {
    "enrolments": finish_classes,
    "restructuring": finish_plan,
}


class _Progress:
    """Tells ``report`` the share of the rows read, about every 1 % of them."""

    def __init__(self, report: Callable[[float], None] | None, estimated_rows: int) -> None:
        self.report = report
        self.total = max(estimated_rows, 1)
        self.every = max(1, min(200, self.total // 100))
        if report:
            report(0)

    def row(self, n: int) -> None:
        if self.report and n % self.every == 0:
            self.report(min(99, 100 * n / self.total))


def _apply_rows(
    ctx: ImportContext,
    rows: Iterator[tuple[int, list[reader.Cell]]],
    mapping: dict[int, str],
    progress: _Progress,
) -> None:
    """Parse every row's mapped cells (each problem kept with its row and column) and
    apply the valid rows chunk by chunk."""
    from ptdv.exchange.selectors import value_aliases

    aliases = value_aliases()
    apply_row = APPLY_ROW[ctx.batch.kind]
    chunk: list[tuple[int, dict[str, Any]]] = []
    for rownum, row in rows:
        ctx.outcome.rows += 1
        values = _parse(ctx, rownum, row, mapping, aliases)
        if values is not None:
            chunk.append((rownum, values))
        if len(chunk) >= CHUNK_ROWS:
            _apply_chunk(ctx, chunk, apply_row)
            chunk = []
        progress.row(ctx.outcome.rows)
    _apply_chunk(ctx, chunk, apply_row)


def _parse(
    ctx: ImportContext,
    rownum: int,
    row: list[reader.Cell],
    mapping: dict[int, str],
    aliases: Any,
) -> dict[str, Any] | None:
    """The row's values by field; None (its problems kept) when a cell is refused."""
    values: dict[str, Any] = {}
    ok = True
    for col, fname in mapping.items():
        try:
            values[fname] = cells.read(fname, row[col], aliases) if col < len(row) else None
        except cells.CellError as exc:
            ctx.outcome.problem(rownum, ctx.headers[fname], exc.message)
            ok = False
    if ok and ctx.batch.kind == "people":
        ok = split_birth(ctx, rownum, values)
    return values if ok else None


def _apply_chunk(
    ctx: ImportContext,
    chunk: list[tuple[int, dict[str, Any]]],
    apply_row: Callable[[ImportContext, int, dict[str, Any]], None],
) -> None:
    """Apply the parsed rows of one chunk, each in a savepoint so that a refusal is that
    row's problem. People are looked up for the whole chunk first and the new ones are
    written together at its end (``people_create_many``: same checks, same audit)."""
    people = ctx.batch.kind == "people"
    if people:
        lookup_people(ctx, [v for _, v in chunk])
    for rownum, values in chunk:
        try:
            if people:  # its own savepoint, only around a write (see _apply_person)
                apply_row(ctx, rownum, values)
            else:
                with transaction.atomic():
                    apply_row(ctx, rownum, values)
        except DomainError as exc:
            report(ctx, rownum, exc)
    if ctx.new_people:
        create_people(ctx)
    if len(ctx.pending) >= 1000:
        ctx.flush()
