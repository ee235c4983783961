"""The import itself: every row through the registry's services, in one transaction.

``run_import`` streams the rows of a batch's file, parses every mapped cell (each
problem is kept with its row and column), and applies the valid rows chunk by chunk
(``CHUNK_ROWS``): for people, the chunk's existing records are looked up in two queries,
each row is checked and either updates its person through ``people.services`` (inside a
savepoint, so that a refusal of a service becomes that row's problem) or is queued, and
the queued new people are written at the end of the chunk by
``people.services.people_create_valid`` — the same checks, derived status, periods and
audit entries as ``person_create`` + ``membership_event_add``, in a few statements.
Organizations and enrolments go row by row through their services (classes, enrolments
and results: ``import_classes.py``). At the end the whole
transaction is rolled back when there is any problem or when this is a preview: a
preview is the real import, undone. So the preview finds exactly the problems the import
would meet, and the import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.core import dbstats
from ptdv.core.errors import DomainError
from ptdv.core.text import fold
from ptdv.exchange import cells, reader
from ptdv.exchange.import_classes import apply_enrolment, finish_classes
from ptdv.exchange.import_restructuring import collect_row, finish_plan
from ptdv.exchange.import_sources import apply_source
from ptdv.exchange.models import ImportBatch, ImportChange
from ptdv.exchange.units import unit_by_name
from ptdv.exchange.vocab import HEADERS, IGNORE, REQUIRED, missing_required
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import subtree
from ptdv.people.choices import Gender
from ptdv.people.models import (
    MEMBER_STATUSES,
    EventKind,
    MembershipEvent,
    MembershipPeriod,
    MembershipStatus,
    Person,
)
from ptdv.people.services import NewPerson

MAX_PROBLEMS_KEPT = 2000
CHUNK_ROWS = 500  # rows looked up and written together
# the tables whose planner statistics a large import refreshes (other kinds: every table)
ANALYZED: dict[str, list[type[models.Model]]] = {
    "people": [Person, MembershipEvent, MembershipPeriod],
}
PERSON_FILE_FIELDS = (
    "full_name",
    "other_names",
    "date_of_birth",
    "gender",
    "ethnicity",
    "religion",
    "citizen_id",
    "hometown",
    "education_general",
    "education_professional",
    "political_theory",
    "occupation",
    "workplace",
    "phone",
    "youth_union_member",
)


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


class _RollbackError(Exception):
    pass


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
    if f.is_relation:
        return f.related_model.objects.get(pk=value)  # type: ignore[union-attr]
    return f.to_python(value)


@dataclass
class _Ctx:
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
    headers = {
        f: (layout.headers[i] if i < len(layout.headers) else HEADERS[batch.kind][f][0])
        for i, f in mapping.items()
    }
    ctx = _Ctx(
        batch=batch,
        actor=actor,
        outcome=Outcome(),
        units={u.code: u for u in subtree(batch.org_unit)},
        confirmed=set(batch.confirmed_rows or []),
        commit=commit,
        new_rows={int(r) for r in (batch.report or {}).get("new_rows", [])},
        headers=headers,
    )
    apply_row = {
        "people": _apply_person,
        "organizations": _apply_org,
        "enrolments": apply_enrolment,
        "sources": apply_source,
        "restructuring": collect_row,
    }[batch.kind]
    # after the last row
    finish = {"enrolments": finish_classes, "restructuring": finish_plan}.get(batch.kind)
    detected = (batch.report or {}).get("encodings")
    if detected is None:
        detected = reader.column_encodings(path, layout)
    encodings = reader.effective_encodings(detected, (batch.report or {}).get("encoding_override"))
    from ptdv.exchange.selectors import value_aliases

    aliases = value_aliases()
    total = max(layout.estimated_rows, 1)
    every = max(1, min(200, total // 100))  # about every 1 % of the rows
    if progress:
        progress(0)
    chunk: list[tuple[int, dict[str, Any]]] = []
    read_info: dict[str, Any] = {}
    try:
        with transaction.atomic():
            for rownum, row in reader.iter_rows(path, layout, encodings, read_info):
                ctx.outcome.rows += 1
                values: dict[str, Any] = {}
                ok = True
                for col, fname in mapping.items():
                    try:
                        values[fname] = (
                            cells.read(fname, row[col], aliases) if col < len(row) else None
                        )
                    except cells.CellError as exc:
                        ctx.outcome.problem(rownum, headers[fname], exc.message)
                        ok = False
                if ok and batch.kind == "people":
                    ok = _split_birth(ctx, rownum, values)
                if ok:
                    chunk.append((rownum, values))
                if len(chunk) >= CHUNK_ROWS:
                    _apply_chunk(ctx, chunk, apply_row)
                    chunk = []
                if progress and ctx.outcome.rows % every == 0:
                    progress(min(99, 100 * ctx.outcome.rows / total))
            _apply_chunk(ctx, chunk, apply_row)
            if read_info.get("footer_rows"):
                ctx.outcome.details["footer_row"] = read_info["footer_row"]
                ctx.outcome.details["footer_rows"] = read_info["footer_rows"]
            if finish is not None:
                finish(ctx)
            if ctx.outcome.rows == 0:
                raise DomainError(_("The file has no data rows."), code="no_rows")
            if ctx.outcome.problem_count or not commit:
                raise _RollbackError
            ctx.flush()
            ctx.outcome.committed = True
    except _RollbackError:
        pass
    if ctx.outcome.committed and ctx.outcome.rows >= dbstats.IMPORT_ROWS:
        dbstats.analyze(ANALYZED.get(batch.kind))  # fresh planner statistics after a bulk load
    return ctx.outcome


# --- people -------------------------------------------------------------------


def _split_birth(ctx: _Ctx, rownum: int, values: dict[str, Any]) -> bool:
    """Birth dates split into a men's and a women's column: the filled one gives the
    date of birth and the gender. False (with the problem kept) when they disagree."""
    male = values.pop("date_of_birth_male", None)
    female = values.pop("date_of_birth_female", None)
    if male is None and female is None:
        return True
    column = ctx.headers.get("date_of_birth_male") or ctx.headers.get("date_of_birth_female", "")
    if male and female:
        ctx.outcome.problem(
            rownum,
            column,
            _("Both the men's and the women's birth-date columns are filled; keep one."),
        )
        return False
    born, gender = (male, Gender.MALE) if male else (female, Gender.FEMALE)
    if values.get("date_of_birth") not in (None, born):
        ctx.outcome.problem(
            rownum, column, _("The date of birth differs from the one in the other column.")
        )
        return False
    if values.get("gender") not in (None, gender):
        ctx.outcome.problem(
            rownum,
            column,
            _("The gender column says otherwise than the men's/women's birth-date column."),
        )
        return False
    values["date_of_birth"], values["gender"] = born, gender
    return True


def _report(ctx: _Ctx, rownum: int, exc: DomainError) -> None:
    column = ctx.headers.get(exc.field or "", "") if exc.field else ""
    if exc.field == "org_unit":
        column = ctx.headers.get("org_code", "") or ctx.headers.get("parent_code", "")
    ctx.outcome.problem(rownum, column, exc.message)


def _apply_chunk(
    ctx: _Ctx,
    chunk: list[tuple[int, dict[str, Any]]],
    apply_row: Callable[[_Ctx, int, dict[str, Any]], None],
) -> None:
    """Apply the parsed rows of one chunk, each in a savepoint so that a refusal is that
    row's problem. People are looked up for the whole chunk first and the new ones are
    written together at its end (``people_create_many``: same checks, same audit)."""
    people = ctx.batch.kind == "people"
    if people:
        _lookup_people(ctx, [v for _, v in chunk])
    for rownum, values in chunk:
        try:
            if people:  # its own savepoint, only around a write (see _apply_person)
                apply_row(ctx, rownum, values)
            else:
                with transaction.atomic():
                    apply_row(ctx, rownum, values)
        except DomainError as exc:
            _report(ctx, rownum, exc)
    if ctx.new_people:
        _create_people(ctx)
    if len(ctx.pending) >= 1000:
        ctx.flush()


def _resolve_unit(ctx: _Ctx, code: str | None, field_name: str = "org_code") -> OrgUnit:
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


def _find_person(
    ctx: _Ctx, rownum: int, v: dict[str, Any], org: OrgUnit | None = None
) -> Person | None:
    """The recorded person a row means: by citizen ID; else by name + date of birth +
    unit (a certain match: the same file again changes nothing); a person of that name
    and birth date in another unit is an uncertain match, put to the user."""
    cid = v.get("citizen_id") or ""
    if cid:
        if cid in ctx.seen:
            raise RowProblemError(
                _("The citizen ID %(cid)s is also on row %(row)s of the file.")
                % {"cid": cid, "row": ctx.seen[cid]},
                field="citizen_id",
            )
        ctx.seen[cid] = rownum
        person = ctx.by_cid.get(cid)
    else:
        key = (fold(v["full_name"])[:120], v["date_of_birth"])
        if key in ctx.seen:
            earlier: int | None = ctx.seen[key]
        else:
            ctx.seen[key] = rownum
            earlier = ctx.new_keys.get(key)  # a person this file creates, with a CCCD
        if earlier is not None:
            raise RowProblemError(
                _(
                    "Same name and date of birth as row %(row)s, and no citizen ID to tell "
                    "them apart. Add the citizen ID."
                )
                % {"row": earlier},
                field="citizen_id",
            )
        person = ctx.by_name.get(key)
        if person is not None and not (org is not None and person.org_unit_id == org.pk):
            ctx.match(rownum, person)
            if rownum not in ctx.confirmed:
                if rownum in ctx.new_rows or not ctx.commit:
                    return None  # the user said: a new person (the preview shows it so)
                raise RowProblemError(
                    _(
                        "%(name)s, born on the same day, is recorded in %(org)s without a "
                        "citizen ID. Say in the preview whether this row is that person or "
                        "a new one (or add the citizen ID)."
                    )
                    % {"name": person.full_name, "org": person.org_unit.name},
                    field="full_name",
                )
    if person is not None and person.pk in ctx.touched:  # changed by an earlier row
        person = Person.objects.select_related("org_unit").get(pk=person.pk)
    if person is not None and person.merged_into_id:
        person = Person.objects.select_related("org_unit").get(pk=person.merged_into_id)
    if person is not None and not has_perm(ctx.actor, "exchange.import", person.org_unit):
        raise RowProblemError(
            _(
                "A person with this citizen ID is kept by an organization outside your "
                "scope; ask the organization board above to transfer them."
            ),
            field="citizen_id",
        )
    return person


def _wanted_membership(v: dict[str, Any]) -> str | None:
    status = v.get("status")
    if status is None:
        if v.get("official_on"):
            return MembershipStatus.OFFICIAL
        if v.get("admitted_on"):
            return MembershipStatus.PROBATIONARY
        return None
    return str(status)


def _check_membership(status: str | None, v: dict[str, Any]) -> None:
    admitted, official = v.get("admitted_on"), v.get("official_on")
    if status in MEMBER_STATUSES and not admitted:
        raise RowProblemError(_("A party member needs the admission date."), field="admitted_on")
    if status == MembershipStatus.OFFICIAL and not official:
        raise RowProblemError(_("An official member needs the official date."), field="official_on")
    if status == MembershipStatus.PROBATIONARY and official:
        raise RowProblemError(
            _("A probationary member has no official date; set the status to official."),
            field="official_on",
        )
    if admitted and official and official <= admitted:
        raise RowProblemError(
            _("The official date must be after the admission date."), field="official_on"
        )
    if status == MembershipStatus.NONE and (admitted or official or v.get("card_number")):
        raise RowProblemError(
            _("A person of the masses has no admission date, official date or card number."),
            field="status",
        )
    if admitted and v.get("date_of_birth") and admitted <= v["date_of_birth"]:
        raise RowProblemError(
            _("The admission date must be after the date of birth."), field="admitted_on"
        )


def _membership_events(
    person: Person, status: str | None, v: dict[str, Any], org: OrgUnit, explicit_org: bool
) -> list[dict[str, Any]]:
    """The events that bring the person to the file's membership, or a problem."""
    if status is None:
        return []
    admitted, official, card = v.get("admitted_on"), v.get("official_on"), v.get("card_number")
    current = person.status
    conflict = RowProblemError(
        _(
            "The membership in the file (%(file)s) differs from the history kept here "
            "(%(here)s). Correct it on the person's page with the right event."
        )
        % {
            "file": MembershipStatus(status).label,
            "here": person.get_status_display(),
        },
        field="status",
    )
    events: list[dict[str, Any]] = []
    if current == MembershipStatus.NONE:
        if status == MembershipStatus.NONE:
            return []
        if status not in MEMBER_STATUSES:
            raise RowProblemError(
                _(
                    "The status “%(status)s” cannot be imported for a new member; record "
                    "the history on the person's page."
                )
                % {"status": MembershipStatus(status).label},
                field="status",
            )
        events.append({"kind": EventKind.ADMITTED, "date": admitted, "org_unit": org})
        if status == MembershipStatus.OFFICIAL:
            events.append({"kind": EventKind.RECOGNIZED, "date": official})
        if card:
            events.append(
                {"kind": EventKind.CARD_ISSUED, "date": official or admitted, "card_number": card}
            )
        return events
    if current != status and not (
        current == MembershipStatus.PROBATIONARY and status == MembershipStatus.OFFICIAL
    ):
        raise conflict
    if current in MEMBER_STATUSES:
        if person.admitted_on != admitted:
            raise conflict
        if explicit_org and org.pk != person.org_unit_id:
            raise RowProblemError(
                _(
                    "This member belongs to %(org)s; a member changes cell by a transfer, "
                    "not by an import."
                )
                % {"org": person.org_unit.name},
                field="org_unit",
            )
        if status == MembershipStatus.OFFICIAL:
            if current == MembershipStatus.PROBATIONARY:
                events.append({"kind": EventKind.RECOGNIZED, "date": official})
            elif person.official_on != official:
                raise conflict
        if card and card != person.card_number:
            last = person.events.order_by("-date", "-id").first()
            day = max(d for d in (official, admitted, last.date if last else None) if d)
            events.append({"kind": EventKind.CARD_ISSUED, "date": day, "card_number": card})
    return events


def _apply_person(ctx: _Ctx, rownum: int, v: dict[str, Any]) -> None:
    from ptdv.people import services as people

    for required in REQUIRED["people"]:
        if not v.get(required):
            raise RowProblemError(
                _("“%(column)s” is empty.") % {"column": ctx.headers[required]}, field=required
            )
    status = _wanted_membership(v)
    _check_membership(status, v)
    explicit_org = bool(v.get("org_code"))
    org = _resolve_unit(ctx, v.get("org_code"))
    if not has_perm(ctx.actor, "exchange.import", org):
        raise RowProblemError(
            _("You may not import data into this organization."), field="org_unit"
        )
    person = _find_person(ctx, rownum, v, org)
    data = {k: v[k] for k in PERSON_FILE_FIELDS if v.get(k) not in (None, "")}
    if person is None:
        events = _membership_events(Person(), status, v, org, True)
        ctx.new_people.append((rownum, NewPerson(org, data, events)))
        # not in the registry before the chunk's end: a later row without CCCD naming the
        # same person cannot be matched to it (rows without CCCD are in ``seen`` already)
        ctx.new_keys.setdefault((fold(data["full_name"])[:120], data["date_of_birth"]), rownum)
        return
    if explicit_org and org.pk != person.org_unit_id and person.status == MembershipStatus.NONE:
        data["org_unit"] = org
    changes = {k: x for k, x in data.items() if getattr(person, k) != x}
    events = _membership_events(person, status, v, org, explicit_org)
    if not changes and not events:
        ctx.outcome.unchanged += 1
        return
    old = {k: plain(getattr(person, k)) for k in changes}
    # A savepoint only here, where the row writes: a refusal undoes this row alone. The
    # rows that create people write nothing until the chunk's end, and need none (tens of
    # thousands of savepoints in one transaction slow PostgreSQL down).
    with transaction.atomic():
        if changes:
            person = people.person_update(actor=ctx.actor, person=person, **changes)
        event_ids = _add_events(ctx, person, events)
    ctx.touched.add(person.pk)
    ctx.changed(
        rownum,
        ImportChange.Action.UPDATED,
        person,
        old=old,
        new={k: plain(x) for k, x in changes.items() if k != "citizen_id"},
        event_ids=event_ids,
    )


def _lookup_people(ctx: _Ctx, rows: list[dict[str, Any]]) -> None:
    """The registry's people that the rows of a chunk may mean: two queries a chunk."""
    cids = {v["citizen_id"] for v in rows if v.get("citizen_id")}
    keys = {
        (fold(v["full_name"])[:120], v["date_of_birth"])
        for v in rows
        if not v.get("citizen_id") and v.get("full_name") and v.get("date_of_birth")
    }
    people = Person.objects.select_related("org_unit")
    ctx.by_cid = {p.citizen_id: p for p in people.filter(citizen_id__in=cids)} if cids else {}
    ctx.by_name = {}
    if keys:
        found = people.filter(
            name_folded__in={k[0] for k in keys},
            date_of_birth__in={k[1] for k in keys},
            merged_into__isnull=True,
        ).order_by("id")
        for p in found:
            ctx.by_name.setdefault((p.name_folded, p.date_of_birth), p)


def _create_people(ctx: _Ctx) -> None:
    from ptdv.people import services as people

    queued, ctx.new_people = ctx.new_people, []
    created, problems = people.people_create_valid(
        actor=ctx.actor,
        items=[item for _, item in queued],
        source=f"exchange.batch:{ctx.batch.uid}",
    )
    for i, exc in sorted(problems.items()):
        _report(ctx, queued[i][0], exc)
    for i, (person, event_ids) in sorted(created.items()):
        rownum, item = queued[i]
        ctx.changed(
            rownum,
            ImportChange.Action.CREATED,
            person,
            new={k: plain(x) for k, x in item.data.items() if k != "citizen_id"},
            event_ids=event_ids,
        )


def _add_events(ctx: _Ctx, person: Person, events: list[dict[str, Any]]) -> list[int]:
    from ptdv.people import services as people

    ids = []
    for ev in events:
        event = people.membership_event_add(
            actor=ctx.actor,
            person=person,
            source=f"exchange.batch:{ctx.batch.uid}",
            **ev,
        )
        ids.append(event.pk)
    return ids


# --- organizations -------------------------------------------------------------

ORG_UPDATABLE = ("sector", "authorised_to_admit", "address")


def _apply_org(ctx: _Ctx, rownum: int, v: dict[str, Any]) -> None:
    from ptdv.organizations import services as orgs

    for required in REQUIRED["organizations"]:
        if not v.get(required):
            raise RowProblemError(
                _("“%(column)s” is empty.") % {"column": ctx.headers[required]}, field=required
            )
    code = v["code"]
    if code in ctx.seen:
        raise RowProblemError(
            _("The code %(code)s is also on row %(row)s of the file.")
            % {"code": code, "row": ctx.seen[code]},
            field="code",
        )
    ctx.seen[code] = rownum
    existing = OrgUnit.objects.filter(code=code).first()
    parent_code = v.get("parent_code")
    if existing is None:
        if not parent_code:
            raise RowProblemError(
                _("A new organization needs the code of its parent."), field="parent_code"
            )
        parent = _resolve_unit(ctx, parent_code, "parent_code")
        if not has_perm(ctx.actor, "orgs.edit", parent):
            raise RowProblemError(
                _("You may not change the organizations under %(org)s.") % {"org": parent.name},
                field="parent_code",
            )
        extra = {k: v[k] for k in ORG_UPDATABLE if v.get(k) not in (None, "")}
        unit = orgs.org_unit_create(
            actor=ctx.actor,
            code=code,
            name=v["name"],
            kind=v["kind"],
            parent=parent,
            valid_from=v.get("valid_from"),
            **extra,
        )
        ctx.units[code] = unit
        ctx.changed(
            rownum,
            ImportChange.Action.CREATED,
            unit,
            new={"code": code, "name": v["name"], "kind": v["kind"]},
        )
        return
    if code not in ctx.units or not has_perm(ctx.actor, "orgs.edit", existing):
        raise RowProblemError(
            _("The organization %(code)s is outside your scope.") % {"code": code}, field="code"
        )
    if existing.kind != v["kind"]:
        raise RowProblemError(
            _("The kind of an existing organization cannot be changed by an import."),
            field="kind",
        )
    if parent_code and (existing.parent is None or existing.parent.code != parent_code):
        raise RowProblemError(
            _("Moving an organization to another parent is done on the tree page."),
            field="parent_code",
        )
    if v.get("valid_from") and v["valid_from"] != existing.valid_from:
        raise RowProblemError(
            _("The founding date of an existing organization cannot be changed by an import."),
            field="valid_from",
        )
    changes = {
        k: v[k]
        for k in ORG_UPDATABLE
        if v.get(k) not in (None, "") and getattr(existing, k) != v[k]
    }
    renamed = v["name"] != existing.name
    if not changes and not renamed:
        ctx.outcome.unchanged += 1
        return
    old = {k: plain(getattr(existing, k)) for k in changes}
    if renamed:
        old["name"] = existing.name
        orgs.org_unit_rename(
            actor=ctx.actor, unit=existing, new_name=v["name"], date=timezone.localdate()
        )
    if changes:
        orgs.org_unit_update(actor=ctx.actor, unit=existing, **changes)
    ctx.changed(
        rownum,
        ImportChange.Action.UPDATED,
        existing,
        old=old,
        new={k: plain(x) for k, x in changes.items()} | ({"name": v["name"]} if renamed else {}),
    )
