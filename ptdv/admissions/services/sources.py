"""The source lists of outstanding masses (nguồn): entries, fostering notes, removal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.admissions import checks, helper_periods, selectors
from ptdv.admissions.models import (
    SourceEntry,
    SourceList,
    SourceNote,
)
from ptdv.admissions.services.base import (
    need_perm,
    today_or_local,
    user_or_none,
)
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Person


@transaction.atomic
def source_list_get_or_create(
    *, actor: Any, org_unit: OrgUnit, year: int | None = None, term: str = ""
) -> SourceList:
    need_perm(actor, "admissions.act", org_unit)
    if (year is None) == (not term):
        raise DomainError(_("Give either a year or a congress term."), field="year")
    if term and not _valid_term(term):
        raise DomainError(_("A term is written as 2020-2025."), field="term")
    kind = SourceList.Kind.YEARLY if year is not None else SourceList.Kind.TERM
    sl, created = SourceList.objects.get_or_create(
        org_unit=org_unit, kind=kind, year=year, term=term
    )
    if created:
        record(
            action="admissions.source_list.created",
            actor=actor,
            target=sl,
            org_unit=org_unit,
            data={"year": year, "term": term},
        )
    return sl


def _valid_term(term: str) -> bool:
    parts = term.split("-")
    return (
        len(parts) == 2
        and all(p.isdigit() and len(p) == 4 for p in parts)
        and (int(parts[0]) < int(parts[1]))
    )


@transaction.atomic
def source_entry_add(
    *,
    actor: Any,
    source_list: SourceList,
    person: Person,
    added_on: dt.date,
    helpers: Iterable[Person] = (),
    note: str = "",
    today: dt.date | None = None,
) -> SourceEntry:
    need_perm(actor, "admissions.act", source_list.org_unit)
    if added_on > today_or_local(today):
        raise DomainError(_("The date cannot be in the future."), field="added_on")
    if person.is_member:
        raise DomainError(_("This person is already a party member."), field="person")
    if not person.org_unit.path.startswith(source_list.org_unit.path):
        raise DomainError(
            _("The person belongs to another organization."), field="person", code="other_unit"
        )
    if SourceEntry.objects.filter(source_list=source_list, person=person).exists():
        raise DomainError(_("This person is already on the list."), field="person")
    helpers = list(helpers)
    if helpers:
        official = checks.official_in([h.pk for h in helpers], added_on)
        if any(h.pk not in official for h in helpers):
            raise DomainError(_("A helper must be an official party member."), field="helpers")
    entry = SourceEntry.objects.create(source_list=source_list, person=person, added_on=added_on)
    # dated assignments from the day of the entry (and the mirror ``entry.helpers``)
    helper_periods.start(entry, [h.pk for h in helpers], added_on, by=user_or_none(actor))
    if note:
        SourceNote.objects.create(entry=entry, date=added_on, text=note, author=user_or_none(actor))
    record(
        action="admissions.source.added",
        actor=actor,
        target=entry,
        org_unit=source_list.org_unit,
        data={"person": person, "list": str(source_list), "helpers": [str(h) for h in helpers]},
    )
    return entry


@transaction.atomic
def source_note_add(
    *, actor: Any, entry: SourceEntry, date: dt.date, text: str, today: dt.date | None = None
) -> SourceNote:
    unit = entry.source_list.org_unit
    need_perm(actor, "admissions.act", unit)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The note is empty."), field="text")
    if date > today_or_local(today) or date < entry.added_on:
        raise DomainError(_("The date of the note is not plausible."), field="date")
    note = SourceNote.objects.create(entry=entry, date=date, text=text, author=user_or_none(actor))
    if entry.status == SourceEntry.Progress.LISTED:
        SourceEntry.objects.filter(pk=entry.pk).update(status=SourceEntry.Progress.FOSTERED)
    record(
        action="admissions.source.note_added",
        actor=actor,
        target=entry,
        org_unit=unit,
        data={"date": date, "text": text},
    )
    return note


@transaction.atomic
def source_entry_remove(
    *, actor: Any, entry: SourceEntry, on: dt.date, reason: str, today: dt.date | None = None
) -> SourceEntry:
    unit = entry.source_list.org_unit
    need_perm(actor, "admissions.act", unit)
    entry = SourceEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status in (SourceEntry.Progress.REMOVED, SourceEntry.Progress.ADMITTED):
        raise DomainError(_("This entry is already closed."))
    if not reason.strip():
        raise DomainError(_("A reason is required."), field="reason")
    if on < entry.added_on or on > today_or_local(today):
        raise DomainError(_("The date is not plausible."), field="on")
    entry.status = SourceEntry.Progress.REMOVED
    entry.removed_on = on
    entry.removed_reason = reason.strip()
    entry.save(update_fields=["status", "removed_on", "removed_reason", "updated_at"])
    helper_periods.end_all(entry, on, entry.removed_reason)
    record(
        action="admissions.source.removed",
        actor=actor,
        target=entry,
        org_unit=unit,
        data={"date": on, "reason": reason},
    )
    return entry


@transaction.atomic
def source_entry_withdraw(*, actor: Any, entry: SourceEntry, reason: str) -> None:
    """Delete an entry recorded by mistake (an import undone) while nothing has been done
    with it: still listed, no admission case, no note but the one written when it was
    added. Anything later is a real history: close the entry with ``source_entry_remove``."""
    unit = entry.source_list.org_unit
    need_perm(actor, "admissions.act", unit)
    entry = SourceEntry.objects.select_for_update().get(pk=entry.pk)
    if not reason.strip():
        raise DomainError(_("A reason is required."), field="reason")
    if selectors.source_entry_worked_on(entry):
        raise DomainError(
            _(
                "Work has been recorded on this entry since it was added; it can only be "
                "removed from the list, with a reason."
            ),
            code="entry_worked_on",
        )
    data = {
        "person": entry.person,
        "list": str(entry.source_list),
        "added_on": entry.added_on,
        "helpers": [str(h) for h in entry.helpers.all()],
        "reason": reason.strip(),
    }
    record(
        action="admissions.source.withdrawn",
        actor=actor,
        target=entry,
        org_unit=unit,
        data=data,
    )
    entry.notes.all().delete()
    entry.helpers.clear()
    entry.delete()
