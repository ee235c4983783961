"""Checking a plan as a whole before anything is written: units known and valid on the
date, new units described once, no cycle in the new tree, nothing left behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ptdv.organizations import history
from ptdv.organizations.models import (
    CELL_KINDS,
    UPPER_KINDS,
    OrgKind,
    OrgUnit,
)
from ptdv.restructuring import selectors
from ptdv.restructuring.plan.rows import DAY, REQUIRED, PlanRow, Problem

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
    """Every problem of the plan as a whole, each naming its row and column: first what
    each row names (units known, named once, new units described alike), then each row's
    units on its date, then the new tree (no cycle) and what the ending units leave."""
    problems: list[Problem] = []
    p = problems.append
    units = _units_named(rows)
    if not rows:
        p(Problem(0, "old_code", _("The plan has no rows.")))
    new_units, ending = _check_names(rows, units, p)
    for r in rows:
        if not r.date or (r.old_code and r.old_code not in units):
            continue
        _check_old_on_date(r, r.date, units, p)
        _check_target_on_date(r, r.date, units, ending, p)
        _check_parent_on_date(r, r.date, units, new_units, ending, p)
    _check_cycles(rows, units, new_units, problems)
    _check_left_behind(rows, units, new_units, ending, problems)
    problems.sort(key=lambda x: (x.row, x.field))
    return Checked(rows=rows, units=units, new_units=new_units, problems=problems)


def _units_named(rows: list[PlanRow]) -> dict[str, OrgUnit]:
    """The recorded units the plan names, by upper-case code."""
    codes = {c for r in rows for c in (r.old_code, r.new_code, r.new_parent) if c}
    units = {u.code.upper(): u for u in OrgUnit.objects.filter(code__in=codes)}
    # codes are unique case-insensitively in practice; look up exact codes too
    for u in OrgUnit.objects.filter(code__in=[c for c in codes if c not in units]):
        units[u.code.upper()] = u
    return units


def _check_names(
    rows: list[PlanRow], units: dict[str, OrgUnit], p: Callable[[Problem], None]
) -> tuple[dict[str, NewUnit], dict[str, int]]:
    """What each row names: the new units it describes, and the recorded units that end
    in the plan (code → row)."""
    seen_old: dict[str, int] = {}
    new_units: dict[str, NewUnit] = {}
    ending: dict[str, int] = {}
    for r in rows:
        _check_row_names(r, units, seen_old, new_units, ending, p)
    return new_units, ending


def _check_row_names(
    r: PlanRow,
    units: dict[str, OrgUnit],
    seen_old: dict[str, int],
    new_units: dict[str, NewUnit],
    ending: dict[str, int],
    p: Callable[[Problem], None],
) -> None:
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
            return
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
            return
        if r.new_code != r.old_code:
            ending[r.old_code] = r.row
    if not r.new_code or r.new_code in units:
        return
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
            return
        if r.date:
            new_units[r.new_code] = NewUnit(
                r.row, r.new_code, r.new_name, r.new_parent, r.date, r.authorised
            )
    else:
        _check_same_new_unit(r, r.new_code, known, p)
    if r.old_code in units and r.new_code in new_units:
        new_units[r.new_code].olds.append(units[r.old_code])


def _check_same_new_unit(
    r: PlanRow, code: str, known: NewUnit, p: Callable[[Problem], None]
) -> None:
    """A new unit named on several rows is described alike on each."""
    if r.new_name and r.new_name != known.name:
        p(
            Problem(
                r.row,
                "new_name",
                _("%(code)s is named “%(a)s” on row %(row)s and “%(b)s” here.")
                % {"code": code, "a": known.name, "row": known.row, "b": r.new_name},
            )
        )
    if r.new_parent and r.new_parent != known.parent:
        p(
            Problem(
                r.row,
                "new_parent",
                _("%(code)s is placed under %(a)s on row %(row)s and under %(b)s here.")
                % {"code": code, "a": known.parent or "—", "row": known.row, "b": r.new_parent},
            )
        )
    if r.date and r.date != known.date:
        p(
            Problem(
                r.row,
                "date",
                _("%(code)s starts on %(a)s on row %(row)s; the dates differ.")
                % {"code": code, "a": known.date.strftime("%d/%m/%Y"), "row": known.row},
            )
        )


def _not_on(unit: OrgUnit, day: dt.date) -> str:
    return _("%(unit)s does not exist on %(date)s (valid %(valid)s).") % {
        "unit": unit.name,
        "date": day.strftime("%d/%m/%Y"),
        "valid": _valid_text(unit),
    }


def _check_old_on_date(
    r: PlanRow, day: dt.date, units: dict[str, OrgUnit], p: Callable[[Problem], None]
) -> None:
    """The row's unit exists the day before it ends (on the day, when it stays)."""
    old = units.get(r.old_code) if r.old_code else None
    if old is None:
        return
    ends = r.new_code != r.old_code
    if day <= old.valid_from and ends:
        p(
            Problem(
                r.row,
                "date",
                _("%(unit)s only exists from %(from)s; it cannot end before it began.")
                % {"unit": old.name, "from": old.valid_from.strftime("%d/%m/%Y")},
            )
        )
    elif history.version_on(old, day - DAY if ends else day) is None:
        p(Problem(r.row, "date", _not_on(old, day)))


def _check_target_on_date(
    r: PlanRow,
    day: dt.date,
    units: dict[str, OrgUnit],
    ending: dict[str, int],
    p: Callable[[Problem], None],
) -> None:
    """The recorded unit a row merges into exists on the date and does not end itself."""
    if not r.new_code or r.new_code not in units or r.new_code == r.old_code:
        return
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
    elif history.version_on(units[r.new_code], day) is None:
        p(Problem(r.row, "new_code", _not_on(units[r.new_code], day)))


def _check_parent_on_date(
    r: PlanRow,
    day: dt.date,
    units: dict[str, OrgUnit],
    new_units: dict[str, NewUnit],
    ending: dict[str, int],
    p: Callable[[Problem], None],
) -> None:
    """The new parent is recorded and exists on the date, or is created by the plan."""
    if not r.new_parent:
        return
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
        if history.version_on(units[r.new_parent], day) is None:
            p(Problem(r.row, "new_parent", _not_on(units[r.new_parent], day)))
    elif r.new_parent not in new_units:
        p(
            Problem(
                r.row,
                "new_parent",
                _("There is no party organization with code “%(code)s”.") % {"code": r.new_parent},
            )
        )


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
        members = selectors.direct_members(unit, r.date)
        if r.new_code:
            target_kind = (
                units[r.new_code].kind
                if r.new_code in units
                else new_kind(new_units.get(r.new_code), units)
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
        villages = selectors.villages_of(unit)
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


def new_kind(nu: NewUnit | None, units: dict[str, OrgUnit]) -> str:
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
