"""Carrying the records a unit keeps to the unit chosen for them, on the operation's
effective date, and putting them back on undo (``payload["carried"]``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ptdv.access.models import Position
from ptdv.access.permissions import clear_cache
from ptdv.admissions import helper_periods
from ptdv.admissions.models import OPEN_STAGES, AdmissionCase, SourceEntry, SourceList
from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations.models import (
    OrgUnit,
    ResidentialUnit,
    ResidentialUnitLink,
    Restructuring,
)
from ptdv.organizations.selectors import deciding_unit, grassroots_of
from ptdv.people.models import MEMBER_STATUSES, EventKind, MembershipEvent, Person
from ptdv.people.services import refresh_membership
from ptdv.restructuring.selectors import direct_members, open_cases, villages_of
from ptdv.targets.models import Target

DAY = dt.timedelta(days=1)


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


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
        # the helpers follow: their assignments on the old entry end that day and new
        # ones start on the copy (admissions.helper_periods keeps both, dated)
        helper_ids = list(entry.helpers.values_list("pk", flat=True))
        helper_periods.end_all(entry, copy.added_on)
        helper_periods.start(copy, helper_ids, copy.added_on)
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


def carry_records(actor: Any, op: Restructuring, unit: OrgUnit, day: dt.date, carry: Carry) -> None:
    """Carry what ``unit`` keeps to the chosen units from ``day`` (its first day gone), kind
    by kind; each step logs what it did in ``payload["carried"]`` for the undo."""
    log: list[list[Any]] = op.payload.setdefault("carried", [])
    _carry_members(op, unit, day, carry, log)
    _carry_cases(unit, day, carry, log)
    _carry_villages(unit, day, carry, log)
    _carry_masses(unit, carry, log)
    _carry_sources(unit, day, carry, log)
    _carry_targets(unit, day, carry, log)
    _carry_positions(unit, day, carry, log)


def _carry_members(
    op: Restructuring, unit: OrgUnit, day: dt.date, carry: Carry, log: list[list[Any]]
) -> None:
    """Members kept directly by the unit: a dated move to a cell."""
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
            source=f"restructuring:{op.uid}",
            created_by=op.created_by,
        )
        refresh_membership(p)
        log.append(["event", ev.pk, p.pk])


def _carry_cases(unit: OrgUnit, day: dt.date, carry: Carry, log: list[list[Any]]) -> None:
    """Open admission cases of the unit: to a cell."""
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


def _carry_villages(unit: OrgUnit, day: dt.date, carry: Carry, log: list[list[Any]]) -> None:
    """Villages: the link to the unit ends the day before, the new one starts on ``day``."""
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


def _carry_masses(unit: OrgUnit, carry: Carry, log: list[list[Any]]) -> None:
    """People of the masses kept by the unit: where its members (or its sources) go."""
    masses = list(
        Person.objects.filter(org_unit=unit)
        .exclude(status__in=list(MEMBER_STATUSES))
        .values_list("pk", flat=True)
    )
    if not masses:
        return
    target = carry.to("members") or carry.to("sources")
    if target is None:
        raise DomainError(
            _("Choose where the people of the masses kept by %(unit)s go.") % {"unit": unit.name},
            field="members",
        )
    log.append(["masses", masses, unit.pk])
    Person.objects.filter(pk__in=masses).update(org_unit=target)


def _carry_sources(unit: OrgUnit, day: dt.date, carry: Carry, log: list[list[Any]]) -> None:
    """Source lists of the year of the change and later."""
    lists = _lists_after(unit, day)
    if not lists:
        return
    target = carry.to("sources")
    if target is None:
        raise DomainError(
            _("Choose where the source lists of %(unit)s go.") % {"unit": unit.name},
            field="sources",
        )
    _check_open(target, day, "sources")
    for s in lists:
        _carry_source_list(s, target, day, log)


def _carry_targets(unit: OrgUnit, day: dt.date, carry: Carry, log: list[list[Any]]) -> None:
    """Yearly targets after the year of the change: moved, or added to the successor's
    target of the same year."""
    targets = list(Target.objects.filter(org_unit=unit, year__gt=day.year).order_by("year"))
    if not targets:
        return
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


def _carry_positions(unit: OrgUnit, day: dt.date, carry: Carry, log: list[list[Any]]) -> None:
    """Positions: end here the day before, the same position at the successor from ``day``."""
    positions = list(
        Position.objects.filter(org_unit=unit, term_start__lt=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .select_related("user")
    )
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


def refresh_open_cases(op: Restructuring, closed: list[int]) -> None:
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


def uncarry_records(op: Restructuring) -> None:
    """Undo what ``carry_records`` did, latest first (one undo per kind of log item)."""
    for item in reversed(op.payload.get("carried", [])):
        undo = _UNDO.get(item[0])
        if undo is not None:
            undo(item)


def _undo_event(item: list[Any]) -> None:
    MembershipEvent.objects.filter(pk=item[1]).delete()
    refresh_membership(Person.objects.get(pk=item[2]))


def _undo_case_cell(item: list[Any]) -> None:
    AdmissionCase.objects.filter(pk=item[1]).update(org_unit_id=item[2])


def _undo_case_units(item: list[Any]) -> None:
    AdmissionCase.objects.filter(pk=item[1]).update(grassroots_id=item[2], deciding_unit_id=item[3])


def _undo_village(item: list[Any]) -> None:  # recorded by earlier versions: moved in place
    ResidentialUnit.objects.filter(pk=item[1]).update(org_unit_id=item[2])


def _undo_village_dated(item: list[Any]) -> None:
    since = dt.date.fromisoformat(item[3]) if item[3] else None
    ResidentialUnitLink.objects.filter(pk=item[4]).delete()
    ResidentialUnit.objects.filter(pk=item[1]).update(org_unit_id=item[2], linked_since=since)


def _undo_masses(item: list[Any]) -> None:
    Person.objects.filter(pk__in=item[1]).update(org_unit_id=item[2])


def _undo_source_list(item: list[Any]) -> None:  # earlier versions: a list moved whole
    SourceList.objects.filter(pk=item[1]).update(org_unit_id=item[2])


def _undo_source_entries(item: list[Any]) -> None:  # earlier versions: entries moved
    SourceEntry.objects.filter(pk__in=item[1]).update(source_list_id=item[2])


def _undo_source_list_new(item: list[Any]) -> None:
    SourceList.objects.filter(pk=item[1]).delete()


def _undo_source_carried(item: list[Any]) -> None:
    AdmissionCase.objects.filter(pk__in=item[4]).update(source_entry_id=item[1])
    dates = SourceEntry.objects.filter(pk=item[1]).values_list("removed_on", "added_on").first()
    if dates is not None:
        removed_on, added_on = dates
        if removed_on is not None:  # the assignments the carry ended reopen
            helper_periods.reopen(item[1], max(removed_on, added_on))
    SourceEntry.objects.filter(pk=item[1]).update(status=item[2], removed_on=None)
    copy = SourceEntry.objects.filter(pk=item[3]).first()
    if copy is not None:
        copy.helpers.clear()
        copy.notes.all().delete()
        copy.delete()


def _undo_target(item: list[Any]) -> None:
    Target.objects.filter(pk=item[1]).update(org_unit_id=item[2])


def _undo_target_added(item: list[Any]) -> None:
    Target.objects.filter(pk=item[1]).update(value=item[2])


def _undo_position_new(item: list[Any]) -> None:
    Position.objects.filter(pk=item[1]).delete()


def _undo_position_end(item: list[Any]) -> None:
    end = dt.date.fromisoformat(item[2]) if item[2] else None
    Position.objects.filter(pk=item[1]).update(term_end=end)


_UNDO: dict[str, Callable[[list[Any]], None]] = {
    "event": _undo_event,
    "case_cell": _undo_case_cell,
    "case_units": _undo_case_units,
    "village": _undo_village,
    "village_dated": _undo_village_dated,
    "masses": _undo_masses,
    "source_list": _undo_source_list,
    "source_entries": _undo_source_entries,
    "source_list_new": _undo_source_list_new,
    "source_carried": _undo_source_carried,
    "target": _undo_target,
    "target_added": _undo_target_added,
    "position_new": _undo_position_new,
    "position_end": _undo_position_end,
}
