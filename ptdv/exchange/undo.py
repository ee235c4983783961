"""Undo of a committed import batch, as a whole and latest row first, through the services
of the apps that own the records: people (``people.services.removal``: events withdrawn,
people deleted; ``people.services.person_update`` for the values a row changed), organizations
(closed on their founding day, renamed and updated back), training (``undo_classes``),
candidate sources and restructuring (their kinds' modules). Every deletion or reversal
is audited by its service with the batch and row as the reason. Refused as a whole, with
nothing changed, when a record was changed after the import (that later work would be
lost)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.exchange import import_restructuring, import_sources, undo_classes
from ptdv.exchange.context import unplain
from ptdv.exchange.models import BatchStatus, ImportBatch, ImportChange
from ptdv.organizations import services as orgs
from ptdv.organizations.models import OrgUnit
from ptdv.people import services as people
from ptdv.people.models import MembershipEvent, Person


def batch_rows_undo(*, actor: Any, batch: ImportBatch) -> int:
    """Undo every row of a committed batch (locked by the caller, ``services.batch_undo``,
    which marks it undone and audits it), latest first; every row is checked before any is
    undone. Returns the number of rows."""
    if not has_perm(actor, "exchange.import", batch.org_unit):
        raise DomainError(_("You may not import data into this organization."), code="forbidden")
    if batch.status != BatchStatus.COMMITTED or batch.committed_at is None:
        raise DomainError(_("Only an imported file can be undone."), code="not_committed")
    changes = list(batch.changes.order_by("-row", "-id"))
    for ch in changes:  # first every check: nothing is changed when one row refuses
        _check(actor, batch, ch)
    for ch in changes:
        _undo(actor, batch, ch)
    return len(changes)


def _check(actor: Any, batch: ImportBatch, ch: ImportChange) -> None:
    """Refuse when the row's record was changed after the import. (A classes batch's rows
    are checked and undone together, latest first: ``undo_classes``.)"""
    since = batch.committed_at or timezone.now()
    if ch.target_type.startswith("training."):
        undo_classes.undo_change(actor, batch, ch)
    elif ch.target_type == import_sources.TARGET:
        import_sources.check_undo(batch, ch)
    elif ch.target_type == import_restructuring.TARGET:
        import_restructuring.check_undo(batch, ch)
    elif ch.target_type == "people.person":
        person = Person.objects.filter(pk=ch.target_id).first()
        if (
            person is None
            or person.updated_at > since
            or MembershipEvent.objects.filter(person_id=ch.target_id, created_at__gt=since).exists()
        ):
            raise undo_classes.changed_since(ch)
    else:
        unit = OrgUnit.objects.filter(pk=ch.target_id).first()
        if unit is None or unit.updated_at > since:
            raise undo_classes.changed_since(ch)


def _undo(actor: Any, batch: ImportBatch, ch: ImportChange) -> None:
    if ch.target_type.startswith("training."):
        return  # undone with its check
    if ch.target_type == import_sources.TARGET:
        import_sources.undo(actor, ch)
    elif ch.target_type == import_restructuring.TARGET:
        import_restructuring.undo(actor, ch)
    elif ch.target_type == "people.person":
        _undo_person(actor, batch, ch, Person.objects.get(pk=ch.target_id))
    else:
        _undo_unit(actor, batch, ch, OrgUnit.objects.get(pk=ch.target_id))


def _reason(batch: ImportBatch, ch: ImportChange) -> tuple[str, dict[str, Any]]:
    return _("Import undone"), {"batch": str(batch.uid), "row": ch.row}


def _undo_person(actor: Any, batch: ImportBatch, ch: ImportChange, person: Person) -> None:
    """Withdraw the events the row added, then delete the person it created or put back
    the values it changed."""
    why, data = _reason(batch, ch)
    if ch.event_ids:
        people.membership_events_withdraw(
            actor=actor, person=person, event_ids=ch.event_ids, reason=why, data=data
        )
    if ch.action == ImportChange.Action.CREATED:
        try:
            people.person_delete(actor=actor, person=person, reason=why, data=data)
        except DomainError as exc:
            if exc.code != "in_use":
                raise
            raise DomainError(
                _("Row %(row)s: %(name)s is already used elsewhere; it cannot be removed.")
                % {"row": ch.row, "name": str(person)},
                code="in_use",
            ) from None
    elif ch.old:
        old = {k: unplain(Person, k, v) for k, v in ch.old.items()}
        if "citizen_id" in old:
            old["citizen_id"] = old["citizen_id"] or None
        people.person_update(actor=actor, person=person, **old)


def _undo_unit(actor: Any, batch: ImportBatch, ch: ImportChange, unit: OrgUnit) -> None:
    if ch.action == ImportChange.Action.CREATED:
        # The audit log keeps references to the unit, so it cannot be deleted: it is
        # closed on the day it was opened, which hides it from every date after that and
        # from the tree of today.
        orgs.org_unit_close(
            actor=actor, unit=unit, date=unit.valid_from, decision=_("Import undone")
        )
        record(
            action="exchange.unit.removed_by_undo",
            actor=actor,
            target=unit,
            org_unit=batch.org_unit,
            data={"unit": str(unit), "batch": str(batch.uid), "row": ch.row},
        )
        return
    old = dict(ch.old)
    name = old.pop("name", None)
    if name:
        orgs.org_unit_rename(actor=actor, unit=unit, new_name=name, date=timezone.localdate())
    if old:
        orgs.org_unit_update(
            actor=actor, unit=unit, **{k: unplain(OrgUnit, k, v) for k, v in old.items()}
        )
