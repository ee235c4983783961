"""Restructuring with everything that hangs on the units: one operation at a time (the
wizard) or a whole plan (the import, the CLI, the demo), each undone as a whole.

The tree itself changes through ``organizations.services`` (dated versions, lineage,
``Restructuring`` records). This module, above every app that keeps records on a unit,
carries those records from a unit that ends to the unit chosen for them, on the
operation's effective date, and writes what it carried into the operation's payload
(``payload["carried"]``) so that ``restructure_undo`` restores exactly the state before:

- members kept directly by the unit: a dated "moved" membership event to a cell;
- open admission cases of the unit (their cell), and the grassroots/deciding committee
  of open cases whose committee ended (read again from the tree after the change);
- source lists of the year of the change and later (entries joined to the successor's
  list of the same year when it has one);
- yearly targets for the years after the change (added to the successor's target of the
  same year when it has one);
- villages (residential units), and people of the masses kept by the unit;
- positions: the position at the unit ends the day before, the same position at the
  successor starts on the effective date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.models import Position
from ptdv.access.permissions import check_perm, clear_cache
from ptdv.admissions.models import OPEN_STAGES, AdmissionCase, SourceEntry, SourceList
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations import services as orgs
from ptdv.organizations.models import (
    OrgUnit,
    OrgUnitChange,
    OrgUnitVersion,
    ResidentialUnit,
    ResidentialUnitLink,
    Restructuring,
)
from ptdv.organizations.selectors import deciding_unit, grassroots_of
from ptdv.people.models import MEMBER_STATUSES, EventKind, MembershipEvent, Person
from ptdv.people.selectors import member_periods_on
from ptdv.people.services import refresh_membership
from ptdv.targets.models import Target

DAY = dt.timedelta(days=1)

AUDIT_LABELS = {
    "restructuring.applied": gettext_lazy("Restructuring applied"),
    "restructuring.undone": gettext_lazy("Restructuring undone"),
}


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class Decision:
    number: str = ""
    date: dt.date | None = None
    body: str = ""


@dataclass
class Carry:
    """Where the records of a unit that ends go. ``None`` for a kind: to ``default``.

    ``members``/``cases``/``villages`` may also be given per record (``*_each``: pk →
    unit), as a split needs; a record of such a kind left unassigned is refused."""

    default: OrgUnit | None = None
    members: OrgUnit | None = None
    cases: OrgUnit | None = None
    sources: OrgUnit | None = None
    targets: OrgUnit | None = None
    villages: OrgUnit | None = None
    positions: OrgUnit | None = None
    members_each: dict[int, OrgUnit] = field(default_factory=dict)
    cases_each: dict[int, OrgUnit] = field(default_factory=dict)
    villages_each: dict[int, OrgUnit] = field(default_factory=dict)

    def to(self, kind: str) -> OrgUnit | None:
        return getattr(self, kind) or self.default


# --- what a unit keeps --------------------------------------------------------------


def direct_members(unit: OrgUnit, day: dt.date) -> list[Person]:
    """Members kept by ``unit`` itself (not its subordinate cells) on ``day``."""
    ids = member_periods_on(day, kept_by=unit).values("person_id")
    return list(Person.objects.filter(pk__in=ids).order_by("sort_key", "id"))


def open_cases(unit: OrgUnit) -> list[AdmissionCase]:
    return list(
        AdmissionCase.objects.filter(org_unit=unit, stage__in=list(OPEN_STAGES))
        .select_related("person")
        .order_by("id")
    )


def villages_of(unit: OrgUnit) -> list[ResidentialUnit]:
    return list(ResidentialUnit.objects.filter(org_unit=unit).order_by("name", "id"))


def _term_end(term: str) -> int:
    try:
        return int(term[-4:])
    except ValueError:
        return 0


def _lists_after(unit: OrgUnit, day: dt.date) -> list[SourceList]:
    return [
        s
        for s in SourceList.objects.filter(org_unit=unit).order_by("id")
        if (s.year is not None and s.year >= day.year) or (s.term and _term_end(s.term) >= day.year)
    ]


# --- carrying ------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


OPEN_SOURCE = (
    SourceEntry.Progress.LISTED,
    SourceEntry.Progress.FOSTERED,
    SourceEntry.Progress.CERTIFIED,
    SourceEntry.Progress.IN_PROCEDURE,
)


def _carry_source_list(s: SourceList, target: OrgUnit, day: dt.date, log: list) -> None:
    """The open entries of ``s`` go on ``target``'s list of the same year or term (made if
    missing) from ``day``: each is ended on the old list (CARRIED, ``removed_on=day``) and
    copied with its helpers; an open case follows the copy. Nothing of the old list is
    rewritten, so the old unit's sourcing history stays where it happened."""
    same = SourceList.objects.filter(org_unit=target, kind=s.kind, year=s.year, term=s.term).first()
    if same is None:
        same = SourceList.objects.create(
            org_unit=target, kind=s.kind, year=s.year, term=s.term, resolution=s.resolution
        )
        log.append(["source_list_new", same.pk])
    taken = set(same.entries.values_list("person_id", flat=True))
    for entry in s.entries.filter(status__in=OPEN_SOURCE).exclude(person_id__in=taken):
        copy = SourceEntry.objects.create(
            source_list=same,
            person_id=entry.person_id,
            added_on=max(day, entry.added_on),
            status=entry.status,
            carried_from=entry,
        )
        copy.helpers.set(entry.helpers.all())
        cases = list(AdmissionCase.objects.filter(source_entry=entry).values_list("pk", flat=True))
        AdmissionCase.objects.filter(pk__in=cases).update(source_entry=copy)
        log.append(["source_carried", entry.pk, entry.status, copy.pk, cases])
        SourceEntry.objects.filter(pk=entry.pk).update(
            status=SourceEntry.Progress.CARRIED, removed_on=day
        )


def _need_cell(unit: OrgUnit | None, what: str, whose: str) -> OrgUnit:
    if unit is None or not unit.is_cell:
        raise DomainError(
            _("Choose a party cell for the %(what)s of %(unit)s.") % {"what": what, "unit": whose},
            field="members" if what == _("members") else "cases",
            code="needs_cell",
        )
    return unit


def _check_open(unit: OrgUnit, day: dt.date, field_name: str) -> None:
    if history.version_on(unit, day) is None:
        raise DomainError(
            _("%(unit)s is not valid on %(date)s.") % {"unit": unit.name, "date": _d(day)},
            field=field_name,
        )


def _carry(actor: Any, op: Restructuring, unit: OrgUnit, day: dt.date, carry: Carry) -> None:
    """Carry what ``unit`` keeps to the chosen units from ``day`` (its first day gone)."""
    log: list[list[Any]] = op.payload.setdefault("carried", [])
    source = f"restructuring:{op.uid}"
    # members kept directly: a dated move to a cell
    members = direct_members(unit, day)
    missing = [p.full_name for p in members if p.pk not in carry.members_each]
    if missing and carry.to("members") is None:
        raise DomainError(
            _("Every member must go to a unit; not assigned: %(names)s.")
            % {"names": ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")},
            field="members",
            code="members_left",
        )
    for p in members:
        target = carry.members_each.get(p.pk) or carry.to("members")
        cell = _need_cell(target, _("members"), unit.name)
        _check_open(cell, day, "members")
        ev = MembershipEvent.objects.create(
            person=p,
            kind=EventKind.MOVED,
            date=day,
            org_unit=cell,
            decision_number=op.decision_number[:60],
            decision_date=op.decision_date,
            note=op.summary[:500],
            source=source,
            created_by=op.created_by,
        )
        refresh_membership(p)
        log.append(["event", ev.pk, p.pk])
    # open admission cases of the unit
    for case in open_cases(unit):
        target = carry.cases_each.get(case.pk) or carry.to("cases")
        if target is None:
            raise DomainError(
                _("Every open admission case must go to a unit; not assigned: %(names)s.")
                % {"names": case.person.full_name},
                field="cases",
                code="cases_left",
            )
        cell = _need_cell(target, _("open admission cases"), unit.name)
        _check_open(cell, day, "cases")
        log.append(["case_cell", case.pk, unit.pk])
        AdmissionCase.objects.filter(pk=case.pk).update(org_unit=cell)
    # villages
    for v in villages_of(unit):
        target = carry.villages_each.get(v.pk) or carry.to("villages")
        if target is None:
            raise DomainError(
                _("Every village must go to a unit; not assigned: %(names)s.") % {"names": v.name},
                field="villages",
                code="villages_left",
            )
        _check_open(target, day, "villages")
        past = ResidentialUnitLink.objects.create(
            village=v,
            org_unit_id=v.org_unit_id,
            valid_from=v.linked_since or v.valid_from,
            valid_to=day - dt.timedelta(days=1),
        )
        log.append(["village_dated", v.pk, unit.pk, _iso(v.linked_since), past.pk])
        ResidentialUnit.objects.filter(pk=v.pk).update(org_unit=target, linked_since=day)
    # people of the masses kept by the unit
    masses = list(
        Person.objects.filter(org_unit=unit)
        .exclude(status__in=list(MEMBER_STATUSES))
        .values_list("pk", flat=True)
    )
    if masses:
        target = carry.to("members") or carry.to("sources")
        if target is None:
            raise DomainError(
                _("Choose where the people of the masses kept by %(unit)s go.")
                % {"unit": unit.name},
                field="members",
            )
        log.append(["masses", masses, unit.pk])
        Person.objects.filter(pk__in=masses).update(org_unit=target)
    # source lists of the year of the change and later
    lists = _lists_after(unit, day)
    if lists:
        target = carry.to("sources")
        if target is None:
            raise DomainError(
                _("Choose where the source lists of %(unit)s go.") % {"unit": unit.name},
                field="sources",
            )
        _check_open(target, day, "sources")
        for s in lists:
            _carry_source_list(s, target, day, log)
    # yearly targets after the year of the change
    targets = list(Target.objects.filter(org_unit=unit, year__gt=day.year).order_by("year"))
    if targets:
        target = carry.to("targets")
        if target is None:
            raise DomainError(
                _("Choose where the targets of %(unit)s go.") % {"unit": unit.name},
                field="targets",
            )
        for t in targets:
            same = Target.objects.filter(org_unit=target, year=t.year).first()
            if same is None:
                log.append(["target", t.pk, unit.pk])
                Target.objects.filter(pk=t.pk).update(org_unit=target)
            else:
                log.append(["target_added", same.pk, same.value])
                Target.objects.filter(pk=same.pk).update(value=same.value + t.value)
    # positions: end here, the same position at the successor from ``day``
    positions = list(
        Position.objects.filter(org_unit=unit, term_start__lt=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .select_related("user")
    )
    if positions:
        target = carry.to("positions")
        for pos in positions:
            log.append(["position_end", pos.pk, pos.term_end.isoformat() if pos.term_end else None])
            Position.objects.filter(pk=pos.pk).update(term_end=day - DAY)
            if target is not None:
                _check_open(target, day, "positions")
                new = Position.objects.create(
                    user=pos.user,
                    org_unit=target,
                    role=pos.role,
                    title=pos.title,
                    term_start=day,
                    term_end=pos.term_end,
                )
                log.append(["position_new", new.pk])
            clear_cache(pos.user)


def _refresh_open_cases(op: Restructuring, closed: list[int]) -> None:
    """Open cases whose grassroots or deciding committee ended: read both again from the
    tree after the change (the later steps are decided by the successor)."""
    if not closed:
        return
    log: list[list[Any]] = op.payload.setdefault("carried", [])
    cases = AdmissionCase.objects.filter(stage__in=list(OPEN_STAGES)).filter(
        Q(grassroots_id__in=closed) | Q(deciding_unit_id__in=closed)
    )
    for case in cases.select_related("org_unit"):
        cell = OrgUnit.objects.get(pk=case.org_unit_id)
        g, d = grassroots_of(cell), deciding_unit(cell)
        log.append(["case_units", case.pk, case.grassroots_id, case.deciding_unit_id])
        AdmissionCase.objects.filter(pk=case.pk).update(
            grassroots=g or case.grassroots, deciding_unit=d or case.deciding_unit
        )


def _uncarry(op: Restructuring) -> None:
    """Undo what ``_carry`` did, latest first."""
    for item in reversed(op.payload.get("carried", [])):
        kind = item[0]
        if kind == "event":
            MembershipEvent.objects.filter(pk=item[1]).delete()
            refresh_membership(Person.objects.get(pk=item[2]))
        elif kind == "case_cell":
            AdmissionCase.objects.filter(pk=item[1]).update(org_unit_id=item[2])
        elif kind == "case_units":
            AdmissionCase.objects.filter(pk=item[1]).update(
                grassroots_id=item[2], deciding_unit_id=item[3]
            )
        elif kind == "village":  # recorded by earlier versions: moved in place
            ResidentialUnit.objects.filter(pk=item[1]).update(org_unit_id=item[2])
        elif kind == "village_dated":
            since = dt.date.fromisoformat(item[3]) if item[3] else None
            ResidentialUnitLink.objects.filter(pk=item[4]).delete()
            ResidentialUnit.objects.filter(pk=item[1]).update(
                org_unit_id=item[2], linked_since=since
            )
        elif kind == "masses":
            Person.objects.filter(pk__in=item[1]).update(org_unit_id=item[2])
        elif kind == "source_list":  # recorded by earlier versions: a list moved whole
            SourceList.objects.filter(pk=item[1]).update(org_unit_id=item[2])
        elif kind == "source_entries":  # recorded by earlier versions: entries moved
            SourceEntry.objects.filter(pk__in=item[1]).update(source_list_id=item[2])
        elif kind == "source_list_new":
            SourceList.objects.filter(pk=item[1]).delete()
        elif kind == "source_carried":
            AdmissionCase.objects.filter(pk__in=item[4]).update(source_entry_id=item[1])
            SourceEntry.objects.filter(pk=item[1]).update(status=item[2], removed_on=None)
            copy = SourceEntry.objects.filter(pk=item[3]).first()
            if copy is not None:
                copy.helpers.clear()
                copy.notes.all().delete()
                copy.delete()
        elif kind == "target":
            Target.objects.filter(pk=item[1]).update(org_unit_id=item[2])
        elif kind == "target_added":
            Target.objects.filter(pk=item[1]).update(value=item[2])
        elif kind == "position_new":
            Position.objects.filter(pk=item[1]).delete()
        elif kind == "position_end":
            end = dt.date.fromisoformat(item[2]) if item[2] else None
            Position.objects.filter(pk=item[1]).update(term_end=end)


def _carry_problem(op: Restructuring) -> str | None:
    """Why what was carried cannot be put back: something recorded later builds on it."""
    for item in op.payload.get("carried", []):
        if item[0] == "event":
            ev = MembershipEvent.objects.filter(pk=item[1]).first()
            if ev is None:
                return _("A membership move of this change was deleted since.")
            later = MembershipEvent.objects.filter(person_id=item[2], pk__gt=ev.pk).first()
            if later is not None:
                return _(
                    "%(name)s has a membership event recorded after this change (%(date)s): "
                    "undo it first."
                ) % {"name": ev.person.full_name, "date": _d(later.date)}
        if item[0] == "source_carried":
            copy = SourceEntry.objects.filter(pk=item[3]).select_related("person").first()
            if copy is None:
                return _("A source entry carried by this change was deleted since.")
            if copy.status != item[2] or copy.notes.exists():
                return _(
                    "%(name)s's source entry on the successor's list was worked on after "
                    "this change: undo that first."
                ) % {"name": copy.person.full_name}
        if item[0] == "position_new" and not Position.objects.filter(pk=item[1]).exists():
            return _("A position created by this change was deleted since.")
    return None


# --- one operation at a time (the wizard) ----------------------------------------------


def create_unit(
    *,
    actor: Any,
    code: str,
    name: str,
    parent: OrgUnit | None,
    like: OrgUnit,
    date: dt.date,
    authorised: bool | None = None,
) -> OrgUnit:
    """A successor created for an operation (audited with it, deleted by its undo): the
    kind, sector and area of ``like``, valid from ``date``."""
    flags = {f: getattr(like, f) for f in ("mountainous", "ethnic_minority_area", "border")}
    return orgs.org_unit_create(
        actor=actor,
        code=code,
        name=name,
        kind=like.kind,
        parent=parent,
        sector=like.sector,
        authorised_to_admit=like.authorised_to_admit if authorised is None else authorised,
        valid_from=date,
        audit=False,
        **flags,
    )


def _adopt(op: Restructuring, created: list[OrgUnit]) -> None:
    """Record the units created for ``op``: its undo deletes them."""
    for unit in created:
        op.payload.setdefault("created_units", []).append(unit.pk)
        op.payload.setdefault("created_unit_versions", []).extend(
            OrgUnitVersion.objects.filter(unit=unit).values_list("pk", flat=True)
        )
        OrgUnitChange.objects.create(
            org_unit=unit,
            kind=OrgUnitChange.Kind.CREATED,
            date=unit.valid_from,
            new_name=unit.name,
            new_parent=unit.parent,
            decision=op.decision_number,
            restructuring=op,
        )


def _new_op(actor: Any, kind: str, day: dt.date, decision: Decision, summary: str) -> Restructuring:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Restructuring.objects.create(
        kind=kind,
        date=day,
        decision_number=decision.number,
        decision_date=decision.date,
        decision_body=decision.body,
        summary=summary[:500],
        created_by=user,
        payload={"created_versions": [], "ended_versions": [], "edited_versions": []},
    )


def _check_decision(decision: Decision, day: dt.date) -> None:
    if not decision.number.strip():
        raise DomainError(_("The decision number is required."), field="decision_number")
    if decision.date is not None and decision.date > timezone.localdate():
        raise DomainError(_("The decision date cannot be in the future."), field="decision_date")


def _done(actor: Any, op: Restructuring, units: list[OrgUnit], unit: OrgUnit) -> None:
    op.payload["units"] = sorted({u.pk for u in units})
    op.save(update_fields=["payload"])
    _audit(actor, op, unit)


def _audit(
    actor: Any, op: Restructuring, unit: OrgUnit | None, created: list[str] | None = None
) -> None:
    data: dict[str, Any] = {
        "kind": op.kind,
        "date": op.date,
        "decision": op.decision_label,
        "note": op.summary,
    }
    if created:
        data["created"] = ", ".join(created)
    record(action="restructuring.applied", actor=actor, target=op, org_unit=unit, data=data)


@transaction.atomic
def merge(
    *,
    actor: Any,
    units: list[OrgUnit],
    into: OrgUnit,
    date: dt.date,
    decision: Decision,
    carry: Carry | None = None,
    created: list[OrgUnit] | None = None,
) -> Restructuring:
    """Merge ``units`` into ``into`` from ``date``: their subordinate organizations move
    under ``into``, what they keep goes where ``carry`` says (default: ``into``)."""
    _check_decision(decision, date)
    if not units:
        raise DomainError(_("Choose the organizations to merge."), field="units")
    for u in units:
        check_perm(actor, "orgs.edit", u)
    op = _new_op(
        actor,
        Restructuring.Kind.MERGE,
        date,
        decision,
        ", ".join(u.name for u in units) + f" → {into.name}",
    )
    _adopt(op, created or [])
    carry = carry or Carry()
    carry.default = carry.default or into
    for u in units:
        _carry(actor, op, u, date, carry)
    orgs.org_unit_merge(actor=actor, units=units, into=into, date=date, op=op)
    _refresh_open_cases(op, [u.pk for u in units])
    _done(actor, op, [*units, into], units[0])  # not ``into``: it may be new (undo deletes it)
    return op


@transaction.atomic
def split(
    *,
    actor: Any,
    unit: OrgUnit,
    parts: list[tuple[OrgUnit, list[OrgUnit]]],
    date: dt.date,
    decision: Decision,
    carry: Carry,
    created: list[OrgUnit] | None = None,
) -> Restructuring:
    """Split ``unit`` into the successors of ``parts`` from ``date``. Every member, open
    case and village it keeps must be assigned to one successor (``carry.*_each``)."""
    _check_decision(decision, date)
    check_perm(actor, "orgs.edit", unit)
    heirs = {h.pk for h, _k in parts}
    problems: list[str] = []
    for label, records, each in (
        (_("members"), direct_members(unit, date), carry.members_each),
        (_("open admission cases"), open_cases(unit), carry.cases_each),
        (_("villages"), villages_of(unit), carry.villages_each),
    ):
        missing = [str(r) for r in records if r.pk not in each]
        wrong = [str(r) for r in records if r.pk in each and each[r.pk].pk not in heirs]
        if missing:
            problems.append(
                _("%(what)s not assigned: %(names)s")
                % {"what": label, "names": ", ".join(missing[:10])}
            )
        if wrong:
            problems.append(
                _("%(what)s assigned outside the successors: %(names)s")
                % {"what": label, "names": ", ".join(wrong[:10])}
            )
    if problems:
        raise DomainError(
            _("Every member, case and village must go to a successor. %(problems)s.")
            % {"problems": "; ".join(problems)},
            field="parts",
            code="split_unassigned",
        )
    op = _new_op(
        actor,
        Restructuring.Kind.SPLIT,
        date,
        decision,
        f"{unit.name} → " + ", ".join(h.name for h, _k in parts),
    )
    _adopt(op, created or [])
    _carry(actor, op, unit, date, carry)
    orgs.org_unit_split(actor=actor, unit=unit, parts=parts, date=date, op=op)
    _refresh_open_cases(op, [unit.pk])
    _done(actor, op, [unit, *(h for h, _k in parts)], unit)
    return op


@transaction.atomic
def dissolve(
    *,
    actor: Any,
    unit: OrgUnit,
    date: dt.date,
    decision: Decision,
    carry: Carry | None = None,
) -> Restructuring:
    """``unit`` ends the day before ``date``; what it keeps goes where ``carry`` says
    (members to a cell, villages to a commune …); refused when something is left."""
    _check_decision(decision, date)
    check_perm(actor, "orgs.edit", unit)
    op = _new_op(actor, Restructuring.Kind.DISSOLVE, date, decision, unit.name)
    _carry(actor, op, unit, date, carry or Carry())
    orgs.org_unit_close(actor=actor, unit=unit, date=date - DAY, op=op)
    _refresh_open_cases(op, [unit.pk])
    _done(actor, op, [unit], unit)
    return op


@transaction.atomic
def move(
    *, actor: Any, unit: OrgUnit, new_parent: OrgUnit, date: dt.date, decision: Decision
) -> Restructuring:
    _check_decision(decision, date)
    op = _new_op(actor, Restructuring.Kind.MOVE, date, decision, f"{unit.name} → {new_parent.name}")
    orgs.org_unit_move(actor=actor, unit=unit, new_parent=new_parent, date=date, op=op)
    _done(actor, op, [unit, new_parent], unit)
    return op


@transaction.atomic
def rename(
    *, actor: Any, unit: OrgUnit, new_name: str, date: dt.date, decision: Decision
) -> Restructuring:
    _check_decision(decision, date)
    op = _new_op(actor, Restructuring.Kind.RENAME, date, decision, f"{unit.name} → {new_name}")
    orgs.org_unit_rename(actor=actor, unit=unit, new_name=new_name, date=date, op=op)
    _done(actor, op, [unit], unit)
    return op


# --- undo ------------------------------------------------------------------------------


def undo_problem(op: Restructuring) -> str | None:
    """Why ``op`` cannot be undone now (something recorded later depends on it), or None."""
    problem = orgs.restructuring_undo_problem(op)
    if problem:
        return problem
    problem = _carry_problem(op)
    if problem:
        return problem
    created = op.payload.get("created_units", [])
    later = (
        OrgUnitVersion.objects.filter(unit_id__in=created)
        .exclude(pk__in=op.payload.get("created_unit_versions", []))
        .exclude(restructuring__isnull=False, restructuring__parent_op=op)
        .exclude(restructuring=op)
        .select_related("unit")
        .first()
    )
    if later is not None:
        return _("A later change of %(unit)s (from %(date)s) depends on it: undo that first.") % {
            "unit": later.unit.name,
            "date": _d(later.valid_from),
        }
    return None


@transaction.atomic
def restructure_undo(*, actor: Any, op: Restructuring) -> None:
    """Put everything back as it was before ``op``: the records carried, the tree, and
    the units the operation created."""
    op = Restructuring.objects.select_for_update().get(pk=op.pk)
    if actor is not None and not getattr(actor, "is_superuser", False):
        from ptdv.restructuring.selectors import operation_unit_ids

        for unit in OrgUnit.objects.filter(pk__in=operation_unit_ids(op)):
            check_perm(actor, "orgs.edit", unit)
    problem = undo_problem(op)
    if problem:
        raise DomainError(problem, code="undo_refused")
    _uncarry(op)
    orgs.restructuring_undo(actor=actor, op=op)
    created = op.payload.get("created_units", [])
    for unit_id in reversed(created):
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        if unit is None:
            continue
        try:
            with transaction.atomic():
                OrgUnitChange.objects.filter(org_unit=unit).delete()
                OrgUnitVersion.objects.filter(unit=unit).delete()
                unit.delete()
        except ProtectedError:
            raise DomainError(
                _("%(unit)s, created by this change, is already used elsewhere.")
                % {"unit": unit.name},
                code="undo_refused",
            )
    record(
        action="restructuring.undone",
        actor=actor,
        target=op,
        data={"kind": op.kind, "date": op.date, "note": op.summary},
    )
