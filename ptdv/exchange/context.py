"""The state of one import run, shared by the import loop (``importer``) and each kind's
row functions (``import_people``, ``import_orgs``, ``import_classes``, ``import_sources``…):
the outcome with its problems, the row's context (``ImportContext``), and the helpers every
kind uses (a row problem, a unit named by a row, values kept for the undo). It imports no
kind, so the kinds and the loop import it and not each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.core.errors import DomainError
from ptdv.exchange.models import ImportBatch, ImportChange
from ptdv.exchange.units import unit_by_name
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Person
from ptdv.people.services import NewPerson

MAX_PROBLEMS_KEPT = 2000
CHUNK_ROWS = 500  # rows looked up and written together


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    committed: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # a kind's own report

    def problem(self, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append({"row": row, "column": column, "message": message})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problem_count": self.problem_count,
            "problems": self.problems,
            "matches": self.matches,
            "committed": self.committed,
            **self.details,
        }


class RollbackError(Exception):
    """Raised inside the import's transaction to undo it (a preview, or any problem)."""


class RowProblemError(DomainError):
    pass


def plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def unplain(model: type[models.Model], name: str, value: Any) -> Any:
    f = model._meta.get_field(name)
    if value is None:
        return None
    if f.is_relation or not isinstance(f, models.Field):
        return f.related_model.objects.get(pk=value)  # type: ignore[union-attr]
    return f.to_python(value)


@dataclass
class ImportContext:
    batch: ImportBatch
    actor: Any
    outcome: Outcome
    units: dict[str, OrgUnit]
    confirmed: set[int]
    headers: dict[str, str]  # field → column header, for messages
    commit: bool = False
    new_rows: set[int] = field(default_factory=set)  # matches the user said are new people
    seen: dict[Any, int] = field(default_factory=dict)
    pending: list[ImportChange] = field(default_factory=list)
    # people: looked up once per chunk of rows, created in bulk at the end of the chunk
    by_cid: dict[str, Person] = field(default_factory=dict)
    by_name: dict[tuple[str, dt.date], Person] = field(default_factory=dict)
    new_people: list[tuple[int, NewPerson]] = field(default_factory=list)
    new_keys: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)  # people this file has updated
    kind_state: dict[str, Any] = field(default_factory=dict)  # a kind's own per-file state
    allowed: dict[int, bool] = field(default_factory=dict)  # unit → may import (may_import)

    def changed(
        self,
        rownum: int,
        action: str,
        target: models.Model,
        *,
        new: dict[str, Any],
        old: dict[str, Any] | None = None,
        event_ids: list[int] | None = None,
    ) -> None:
        """Count a row that created or updated a record, and keep what it did (for the
        batch's report and its undo)."""
        if action == ImportChange.Action.CREATED:
            self.outcome.created += 1
        else:
            self.outcome.updated += 1
        self.pending.append(
            ImportChange(
                batch=self.batch,
                row=rownum,
                action=action,
                target_type=target._meta.label_lower,
                target_id=target.pk,
                old=old or {},
                new=new,
                event_ids=event_ids or [],
            )
        )

    def may_import(self, unit: OrgUnit) -> bool:
        """``exchange.import`` on the unit for the importing user (asked once a unit)."""
        if unit.pk not in self.allowed:
            self.allowed[unit.pk] = has_perm(self.actor, "exchange.import", unit)
        return self.allowed[unit.pk]

    def match(self, rownum: int, person: Person) -> None:
        """A row matched a recorded person by name and date of birth only: shown to the
        user, who confirms it (or not) before the import."""
        self.outcome.matches.append(
            {
                "row": rownum,
                "person": str(person.uid),
                "name": person.full_name,
                "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"),
                "org": person.org_unit.name,
                "citizen_id": person.masked_citizen_id,
            }
        )

    def flush(self) -> None:
        if self.pending:
            ImportChange.objects.bulk_create(self.pending, batch_size=1000)
            self.pending = []


def report(ctx: ImportContext, rownum: int, exc: DomainError) -> None:
    column = ctx.headers.get(exc.field or "", "") if exc.field else ""
    if exc.field == "org_unit":
        column = ctx.headers.get("org_code", "") or ctx.headers.get("parent_code", "")
    ctx.outcome.problem(rownum, column, exc.message)


def resolve_unit(ctx: ImportContext, code: str | None, field_name: str = "org_code") -> OrgUnit:
    if not code:
        return ctx.batch.org_unit
    unit = (
        ctx.units.get(code)
        or ctx.units.get(code.replace(" ", ""))
        or unit_by_name(ctx, code, field_name)
    )
    if unit is None:
        raise RowProblemError(
            _("There is no party organization with the code or name “%(code)s” under %(org)s.")
            % {"code": code, "org": ctx.batch.org_unit.name},
            field=field_name,
        )
    return unit
