"""A restructuring plan: a spreadsheet of rows "old unit → new unit, new parent,
effective date, decision", checked as a whole, previewed, applied in one transaction
and undone as a whole. The import wizard (kind "restructuring"), ``ptdv restructure
plan`` and the demo step all go through ``plan_check`` / ``plan_apply`` here.

What a row means:

- old code = new code: the unit stays; it moves under the new parent and/or takes the
  new name from the effective date;
- old code → another code: the old unit ends the day before and is merged into the new
  one (several rows with the same new code merge several units). A new code that is not
  recorded yet is created from the first row naming it (name, parent, date);
- old code, no new code: the old unit is dissolved (it must keep nothing);
- no old code: a new unit is created (a province when it has no parent).

Rows are applied deepest unit first, so that a district ends after its communes were
merged and its agencies re-attached. What an ending unit keeps (villages, open cases,
sources, later targets, positions, people of the masses) goes to the unit it merges into
(``restructuring.services``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.core.text import fold, normalize_spaces
from ptdv.organizations import history
from ptdv.organizations import services as orgs
from ptdv.organizations.models import (
    CELL_KINDS,
    UPPER_KINDS,
    OrgKind,
    OrgUnit,
    OrgUnitChange,
    OrgUnitVersion,
    Restructuring,
    Sector,
)
from ptdv.restructuring import selectors, services
from ptdv.restructuring.columns import HEADERS

DAY = dt.timedelta(days=1)

REQUIRED = ("date", "decision_number")
COLUMNS = list(HEADERS)


def header_label(field_name: str) -> str:
    return HEADERS[field_name][0]


def _header_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for f, (main, aliases) in HEADERS.items():
        for text in (main, *aliases):
            out[fold(text)] = f
    return out


@dataclass
class PlanRow:
    row: int
    old_code: str = ""
    new_code: str = ""
    new_name: str = ""
    new_parent: str = ""
    date: dt.date | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    decision_body: str = ""
    note: str = ""
    authorised: bool | None = None


@dataclass
class Problem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": header_label(self.field) if self.field in HEADERS else self.field,
            "message": self.message,
        }


class PlanError(DomainError):
    """The plan is refused as a whole; ``problems`` names each row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "\n".join(str(p) for p in problems[:50]), code="plan_invalid", field="file"
        )


_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(text)


_YES = {"co", "x", "yes", "true", "1", "duoc"}
_NO = {"khong", "no", "false", "0", ""}


def parse_rows(raw: list[tuple[int, dict[str, Any]]]) -> tuple[list[PlanRow], list[Problem]]:
    """Plan rows from ``(row number, {field: cell value})`` pairs, with the cell problems."""
    rows: list[PlanRow] = []
    problems: list[Problem] = []
    for rownum, values in raw:
        r = PlanRow(row=rownum)
        ok = True
        for f in ("old_code", "new_code", "new_parent"):
            setattr(r, f, normalize_spaces(str(values.get(f) or "")).upper())
        for f in ("new_name", "decision_number", "decision_body", "note"):
            setattr(r, f, normalize_spaces(str(values.get(f) or "")))
        for f in ("date", "decision_date"):
            try:
                setattr(r, f, _date(values.get(f)))
            except ValueError as exc:
                problems.append(
                    Problem(
                        rownum,
                        f,
                        _("“%(value)s” is not a date (write dd/mm/yyyy).") % {"value": exc},
                    )
                )
                ok = False
        auth = fold(str(values.get("authorised") or "")).strip()
        if auth in _YES:
            r.authorised = True
        elif auth in _NO:
            r.authorised = None if not auth else False
        else:
            problems.append(Problem(rownum, "authorised", _("Write “có” or “không”.")))
            ok = False
        if not (r.old_code or r.new_code or r.new_name or r.new_parent):
            continue  # an empty line
        if ok:
            rows.append(r)
    return rows, problems


def read_file(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a plan file (.csv or .xlsx): the first row whose cells name columns of
    the plan is the header; rows are numbered as the user sees them."""
    index = _header_index()
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        table = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        for candidate in wb.worksheets:
            if candidate.title.lower() not in {"hướng dẫn", "danh mục"}:
                ws = candidate
                break
        table = [list(r) for r in ws.iter_rows(values_only=True)]
    else:
        raise DomainError(_("A restructuring plan is a .csv or .xlsx file."), field="file")
    for i, line in enumerate(table):
        fields = [index.get(fold(str(c or "")).strip()) for c in line]
        if "old_code" in fields and "new_code" in fields:
            out = []
            for j, data in enumerate(table[i + 1 :], start=i + 2):
                values = {f: data[k] for k, f in enumerate(fields) if f and k < len(data)}
                out.append((j, values))
            return out
    raise DomainError(
        _("No header row with the columns “%(old)s” and “%(new)s” was found.")
        % {"old": header_label("old_code"), "new": header_label("new_code")},
        field="file",
    )


# --- checking the plan as a whole ----------------------------------------------------


@dataclass
class NewUnit:
    row: int
    code: str
    name: str
    parent: str
    date: dt.date
    authorised: bool | None
    olds: list[OrgUnit] = field(default_factory=list)


@dataclass
class Checked:
    rows: list[PlanRow]
    units: dict[str, OrgUnit]  # existing units named by the plan
    new_units: dict[str, NewUnit]
    problems: list[Problem]

    @property
    def date(self) -> dt.date:
        return min(r.date for r in self.rows if r.date)


def _valid_text(u: OrgUnit) -> str:
    end = u.valid_to.strftime("%d/%m/%Y") if u.valid_to else "…"
    return f"{u.valid_from:%d/%m/%Y} – {end}"


def plan_check(rows: list[PlanRow]) -> Checked:
    """Every problem of the plan as a whole, each naming its row and column."""
    problems: list[Problem] = []
    p = problems.append
    codes = {c for r in rows for c in (r.old_code, r.new_code, r.new_parent) if c}
    units = {u.code.upper(): u for u in OrgUnit.objects.filter(code__in=codes)}
    # codes are unique case-insensitively in practice; look up exact codes too
    for u in OrgUnit.objects.filter(code__in=[c for c in codes if c not in units]):
        units[u.code.upper()] = u
    if not rows:
        p(Problem(0, "old_code", _("The plan has no rows.")))
    seen_old: dict[str, int] = {}
    new_units: dict[str, NewUnit] = {}
    ending: dict[str, int] = {}  # code of a unit that ends in the plan → row
    for r in rows:
        for f in REQUIRED:
            if not getattr(r, f):
                p(Problem(r.row, f, _("This column is required.")))
        if r.old_code:
            if r.old_code in seen_old:
                p(
                    Problem(
                        r.row,
                        "old_code",
                        _("%(code)s is already named on row %(row)s: a unit may appear once.")
                        % {"code": r.old_code, "row": seen_old[r.old_code]},
                    )
                )
                continue
            seen_old[r.old_code] = r.row
            if r.old_code not in units:
                p(
                    Problem(
                        r.row,
                        "old_code",
                        _("There is no party organization with code “%(code)s”.")
                        % {"code": r.old_code},
                    )
                )
                continue
            if r.new_code != r.old_code:
                ending[r.old_code] = r.row
        if r.new_code and r.new_code not in units:
            known = new_units.get(r.new_code)
            if known is None:
                if not r.new_name:
                    p(
                        Problem(
                            r.row,
                            "new_name",
                            _("%(code)s is a new unit: give its name.") % {"code": r.new_code},
                        )
                    )
                    continue
                if r.date:
                    new_units[r.new_code] = NewUnit(
                        r.row, r.new_code, r.new_name, r.new_parent, r.date, r.authorised
                    )
            else:
                if r.new_name and r.new_name != known.name:
                    p(
                        Problem(
                            r.row,
                            "new_name",
                            _("%(code)s is named “%(a)s” on row %(row)s and “%(b)s” here.")
                            % {
                                "code": r.new_code,
                                "a": known.name,
                                "row": known.row,
                                "b": r.new_name,
                            },
                        )
                    )
                if r.new_parent and r.new_parent != known.parent:
                    p(
                        Problem(
                            r.row,
                            "new_parent",
                            _("%(code)s is placed under %(a)s on row %(row)s and under %(b)s here.")
                            % {
                                "code": r.new_code,
                                "a": known.parent or "—",
                                "row": known.row,
                                "b": r.new_parent,
                            },
                        )
                    )
                if r.date and r.date != known.date:
                    p(
                        Problem(
                            r.row,
                            "date",
                            _("%(code)s starts on %(a)s on row %(row)s; the dates differ.")
                            % {
                                "code": r.new_code,
                                "a": known.date.strftime("%d/%m/%Y"),
                                "row": known.row,
                            },
                        )
                    )
            if r.old_code in units and r.new_code in new_units:
                new_units[r.new_code].olds.append(units[r.old_code])
    # parents, dates, chains, cycles
    for r in rows:
        if not r.date or (r.old_code and r.old_code not in units):
            continue
        old = units.get(r.old_code) if r.old_code else None
        if old is not None:
            if r.date <= old.valid_from and r.new_code != r.old_code:
                p(
                    Problem(
                        r.row,
                        "date",
                        _("%(unit)s only exists from %(from)s; it cannot end before it began.")
                        % {"unit": old.name, "from": old.valid_from.strftime("%d/%m/%Y")},
                    )
                )
            elif (
                history.version_on(old, r.date - DAY if r.new_code != r.old_code else r.date)
                is None
            ):
                p(
                    Problem(
                        r.row,
                        "date",
                        _("%(unit)s does not exist on %(date)s (valid %(valid)s).")
                        % {
                            "unit": old.name,
                            "date": r.date.strftime("%d/%m/%Y"),
                            "valid": _valid_text(old),
                        },
                    )
                )
        if r.new_code and r.new_code in units and r.new_code != r.old_code:
            target = units[r.new_code]
            if r.new_code in ending:
                p(
                    Problem(
                        r.row,
                        "new_code",
                        _(
                            "%(code)s itself ends in this plan (row %(row)s); it cannot receive another unit."
                        )
                        % {"code": r.new_code, "row": ending[r.new_code]},
                    )
                )
            elif history.version_on(target, r.date) is None:
                p(
                    Problem(
                        r.row,
                        "new_code",
                        _("%(unit)s does not exist on %(date)s (valid %(valid)s).")
                        % {
                            "unit": target.name,
                            "date": r.date.strftime("%d/%m/%Y"),
                            "valid": _valid_text(target),
                        },
                    )
                )
        if r.new_parent:
            if r.new_parent in ending:
                p(
                    Problem(
                        r.row,
                        "new_parent",
                        _("%(code)s ends in this plan (row %(row)s); it cannot be a new parent.")
                        % {"code": r.new_parent, "row": ending[r.new_parent]},
                    )
                )
            elif r.new_parent in units:
                if history.version_on(units[r.new_parent], r.date) is None:
                    par = units[r.new_parent]
                    p(
                        Problem(
                            r.row,
                            "new_parent",
                            _("%(unit)s does not exist on %(date)s (valid %(valid)s).")
                            % {
                                "unit": par.name,
                                "date": r.date.strftime("%d/%m/%Y"),
                                "valid": _valid_text(par),
                            },
                        )
                    )
            elif r.new_parent not in new_units:
                p(
                    Problem(
                        r.row,
                        "new_parent",
                        _("There is no party organization with code “%(code)s”.")
                        % {"code": r.new_parent},
                    )
                )
        if r.old_code and not r.new_code and not r.new_parent:
            continue  # dissolved; checked below
    _check_cycles(rows, units, new_units, problems)
    _check_left_behind(rows, units, new_units, ending, problems)
    problems.sort(key=lambda x: (x.row, x.field))
    return Checked(rows=rows, units=units, new_units=new_units, problems=problems)


def _check_cycles(
    rows: list[PlanRow],
    units: dict[str, OrgUnit],
    new_units: dict[str, NewUnit],
    problems: list[Problem],
) -> None:
    """A unit placed (directly or through others) under itself."""
    parent_of: dict[str, tuple[str, int]] = {}
    for r in rows:
        code = r.new_code or r.old_code
        if r.new_parent and code:
            parent_of.setdefault(code, (r.new_parent, r.row))
    for nu in new_units.values():
        if nu.parent:
            parent_of.setdefault(nu.code, (nu.parent, nu.row))
    by_pk = {u.pk: c for c, u in units.items()}

    def parent(code: str) -> str | None:
        if code in parent_of:
            return parent_of[code][0]
        u = units.get(code)
        if u is None:
            return None
        if u.parent_id in by_pk:
            return by_pk[u.parent_id]
        # climb the recorded tree until a unit the plan names (or the top)
        anc = list(u.ancestor_paths[:-1])
        for a in reversed(anc):
            hit = next((c for c, x in units.items() if x.path == a), None)
            if hit:
                return hit
        return None

    reported: set[int] = set()
    for code, (_p, row) in parent_of.items():
        seen = {code}
        cur = parent(code)
        steps = 0
        while cur is not None and steps < 1000:
            if cur in seen:
                if row not in reported:
                    reported.add(row)
                    problems.append(
                        Problem(
                            row,
                            "new_parent",
                            _("%(code)s would be placed under itself (a cycle through %(via)s).")
                            % {"code": code, "via": " → ".join(sorted(seen))},
                        )
                    )
                break
            seen.add(cur)
            cur = parent(cur)
            steps += 1


def _check_left_behind(
    rows: list[PlanRow],
    units: dict[str, OrgUnit],
    new_units: dict[str, NewUnit],
    ending: dict[str, int],
    problems: list[Problem],
) -> None:
    """A unit that ends may leave nothing without a unit: its members need a cell to go
    to; a dissolved unit keeps no subordinate unit, member or village."""
    moved = {r.old_code for r in rows if r.old_code and r.new_parent and r.new_code == r.old_code}
    for code, row in ending.items():
        r = next(x for x in rows if x.row == row)
        if not r.date:
            continue
        unit = units[code]
        members = services.direct_members(unit, r.date)
        if r.new_code:
            target_kind = (
                units[r.new_code].kind
                if r.new_code in units
                else _new_kind(new_units.get(r.new_code), units)
            )
            if members and target_kind not in CELL_KINDS:
                problems.append(
                    Problem(
                        row,
                        "new_code",
                        _(
                            "%(unit)s keeps %(n)s member(s) itself; merged into %(code)s, which "
                            "is not a party cell, they would be left without a unit."
                        )
                        % {"unit": unit.name, "n": len(members), "code": r.new_code},
                    )
                )
            continue
        left = []
        if members:
            left.append(_("%(n)s member(s)") % {"n": len(members)})
        villages = services.villages_of(unit)
        if villages:
            left.append(_("%(n)s village(s)") % {"n": len(villages)})
        children = [
            v.unit.code
            for v in history.versions_on(r.date).filter(parent_id=unit.pk).select_related("unit")
            if v.unit.code.upper() not in moved and v.unit.code.upper() not in ending
        ]
        if children:
            left.append(", ".join(children[:5]))
        if left:
            problems.append(
                Problem(
                    row,
                    "new_code",
                    _("%(unit)s is dissolved but still keeps %(what)s; give the unit they go to.")
                    % {"unit": unit.name, "what": "; ".join(left)},
                )
            )


def _new_kind(nu: NewUnit | None, units: dict[str, OrgUnit]) -> str:
    if nu is None:
        return OrgKind.GRASSROOTS_COMMITTEE
    if not nu.parent:
        return OrgKind.PROVINCE
    if nu.olds:
        return nu.olds[0].kind
    parent = units.get(nu.parent)
    if parent is None or parent.kind in UPPER_KINDS:
        return OrgKind.GRASSROOTS_COMMITTEE
    return OrgKind.CELL


# --- applying --------------------------------------------------------------------------


def _create_units(actor: Any, checked: Checked, op: Restructuring) -> None:
    pending = dict(checked.new_units)
    created: list[int] = op.payload.setdefault("created_units", [])
    while pending:
        ready = [nu for nu in pending.values() if not nu.parent or nu.parent in checked.units]
        if not ready:  # a cycle among new units: reported by plan_check
            raise DomainError(_("The new units form a cycle."), field="new_parent")
        for nu in ready:
            parent = checked.units.get(nu.parent) if nu.parent else None
            kind = _new_kind(nu, checked.units)
            sector = nu.olds[0].sector if nu.olds else Sector.PARTY_STATE_BODY
            authorised = (
                nu.authorised
                if nu.authorised is not None
                else any(o.authorised_to_admit for o in nu.olds)
            )
            flags = {}
            if nu.olds:
                for flag in ("mountainous", "ethnic_minority_area", "border", "island"):
                    flags[flag] = any(getattr(o, flag) for o in nu.olds)
            try:
                unit = orgs.org_unit_create(
                    actor=actor,
                    code=nu.code,
                    name=nu.name,
                    kind=kind,
                    parent=parent,
                    sector=sector,
                    authorised_to_admit=authorised,
                    valid_from=nu.date,
                    audit=False,  # audited with the plan (restructuring.applied)
                    **flags,
                )
            except DomainError as exc:
                raise PlanError([Problem(nu.row, "new_code", exc.message)])
            OrgUnitChange.objects.create(
                org_unit=unit,
                kind=OrgUnitChange.Kind.CREATED,
                date=nu.date,
                new_name=unit.name,
                new_parent=parent,
                decision=op.decision_number,
                restructuring=op,
            )
            created.append(unit.pk)
            op.payload.setdefault("created_unit_versions", []).extend(
                OrgUnitVersion.objects.filter(unit=unit).values_list("pk", flat=True)
            )
            checked.units[nu.code] = unit
            del pending[nu.code]


def _depth(u: OrgUnit) -> int:
    return u.depth


@transaction.atomic
def plan_apply(*, actor: Any, rows: list[PlanRow], summary: str = "") -> Restructuring:
    """Check the plan and apply it in one transaction; refused as a whole (PlanError)
    with every problem, nothing changed. Returns the plan's Restructuring record."""
    checked = plan_check(rows)
    if checked.problems:
        raise PlanError(checked.problems)
    first = rows[0]
    user = actor if getattr(actor, "is_authenticated", False) else None
    op = Restructuring.objects.create(
        kind=Restructuring.Kind.PLAN,
        date=checked.date,
        decision_number=first.decision_number,
        decision_date=first.decision_date,
        decision_body=first.decision_body,
        summary=(summary or _("Restructuring plan: %(n)s rows") % {"n": len(rows)})[:500],
        created_by=user,
        payload={"created_versions": [], "ended_versions": [], "edited_versions": []},
    )
    _create_units(actor, checked, op)
    order = sorted(
        (r for r in rows if r.old_code),
        key=lambda r: (-_depth(checked.units[r.old_code]), r.row),
    )
    closed: list[int] = []
    for r in order:
        try:
            with transaction.atomic():
                closed.extend(_apply_row(actor, op, checked, r))
        except DomainError as exc:
            if isinstance(exc, PlanError):
                raise
            column = {
                "new_parent": "new_parent",
                "new_name": "new_name",
                "merged_into": "new_code",
                "members": "new_code",
                "date": "date",
            }.get(exc.field or "", "old_code")
            raise PlanError([Problem(r.row, column, exc.message)])
    services._refresh_open_cases(op, closed)
    op.payload["units"] = sorted({u.pk for u in checked.units.values()})
    op.save(update_fields=["payload"])
    created = set(op.payload.get("created_units", []))
    kept = [u for u in checked.units.values() if u.pk not in created]
    top = min(kept, key=lambda u: (u.depth, u.path)) if kept else None  # where the log shows it
    services._audit(actor, op, top, created=[checked.units[c].code for c in checked.new_units])
    return op


def _step_kwargs(op: Restructuring, r: PlanRow) -> dict[str, Any]:
    return {
        "decision": r.decision_number,
        "decision_date": r.decision_date,
        "decision_body": r.decision_body,
        "op": op,
    }


def _apply_row(actor: Any, op: Restructuring, checked: Checked, r: PlanRow) -> list[int]:
    assert r.date is not None
    unit = OrgUnit.objects.get(pk=checked.units[r.old_code].pk)
    kw = _step_kwargs(op, r)
    if r.new_code == r.old_code:
        if r.new_parent:
            parent = checked.units[r.new_parent]
            if history.version_on(unit, r.date).parent_id != parent.pk:  # type: ignore[union-attr]
                orgs.org_unit_move(actor=actor, unit=unit, new_parent=parent, date=r.date, **kw)
        if r.new_name and r.new_name != unit.name:
            orgs.org_unit_rename(actor=actor, unit=unit, new_name=r.new_name, date=r.date, **kw)
        return []
    if not r.new_code:
        services._carry(actor, op, unit, r.date, services.Carry())
        orgs.org_unit_close(actor=actor, unit=unit, date=r.date - DAY, **kw)
        return [unit.pk]
    into = checked.units[r.new_code]
    services._carry(actor, op, unit, r.date, services.Carry(default=into))
    orgs.org_unit_merge(actor=actor, units=[unit], into=into, date=r.date, **kw)
    return [unit.pk]


def plan_units(checked_rows: list[PlanRow]) -> list[OrgUnit]:
    codes = {c for r in checked_rows for c in (r.old_code, r.new_code) if c}
    return list(OrgUnit.objects.filter(code__in=codes).order_by("path"))


def plan_preview(*, actor: Any, rows: list[PlanRow]) -> list[selectors.PreviewLine]:
    """Counts before and after per unit the plan names, the plan applied then rolled back.
    PlanError when the plan is refused."""
    checked = plan_check(rows)
    if checked.problems:
        raise PlanError(checked.problems)
    return selectors.preview(
        lambda: plan_apply(actor=actor, rows=rows), lambda: plan_units(rows), checked.date
    )


def load(path: Path) -> list[PlanRow]:
    """The plan rows of a file; PlanError on unreadable cells."""
    rows, problems = parse_rows(read_file(path))
    if problems:
        raise PlanError(problems)
    return rows
