"""The one writer of ``SourceHelper`` rows and of the ``SourceEntry.helpers`` mirror.

Called from the services only (checks, permissions and audit are theirs): an assignment is
never rewritten; a change ends the old row on the day of the change and opens a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F

from ptdv.admissions.models import SourceEntry
from ptdv.admissions.source_models import SourceHelper


def open_rows(entry: SourceEntry) -> list[SourceHelper]:
    return list(
        SourceHelper.objects.filter(entry=entry, end_on__isnull=True).select_related("helper")
    )


def adopt_undated(entry: SourceEntry) -> None:
    """Helpers on the mirror without an open dated row (written in bulk, e.g. the demo)
    are taken as assigned since the entry was added, as migration 0009 did."""
    open_ids = set(
        SourceHelper.objects.filter(entry=entry, end_on__isnull=True).values_list(
            "helper_id", flat=True
        )
    )
    missing = [pk for pk in entry.helpers.values_list("pk", flat=True) if pk not in open_ids]
    SourceHelper.objects.bulk_create(
        [SourceHelper(entry=entry, helper_id=pk, start_on=entry.added_on) for pk in missing]
    )


def start(entry: SourceEntry, helper_ids: Iterable[int], on: dt.date, by: Any = None) -> None:
    """Open assignments for ``helper_ids`` from ``on`` and add them to the mirror."""
    ids = list(helper_ids)
    if not ids:
        return
    SourceHelper.objects.bulk_create(
        [SourceHelper(entry=entry, helper_id=i, start_on=on, assigned_by=by) for i in ids]
    )
    entry.helpers.add(*ids)


def end(entry: SourceEntry, helper_ids: Iterable[int], on: dt.date, reason: str = "") -> None:
    """End the open assignments of ``helper_ids`` on ``on`` and drop them from the mirror."""
    ids = list(helper_ids)
    if not ids:
        return
    SourceHelper.objects.filter(entry=entry, helper_id__in=ids, end_on__isnull=True).update(
        end_on=on, reason=reason
    )
    entry.helpers.remove(*ids)


def end_all(entry: SourceEntry, on: dt.date, reason: str = "") -> None:
    """The entry is closed (removed, carried): its open assignments end that day. The
    mirror keeps the last helpers, as a closed entry's record of who was helping."""
    rows = SourceHelper.objects.filter(entry=entry, end_on__isnull=True)
    rows.filter(start_on__lte=on).update(end_on=on, reason=reason)
    rows.filter(start_on__gt=on).update(end_on=F("start_on"), reason=reason)  # never began


def reopen(entry_id: int, ended_on: dt.date) -> None:
    """Undo of ``end_all`` (a restructuring undone): the rows ended that day are open again."""
    SourceHelper.objects.filter(entry_id=entry_id, end_on=ended_on).update(end_on=None, reason="")


def history_of(entries: Iterable[SourceEntry]) -> dict[int, list[SourceHelper]]:
    """Every assignment of these entries (one query), oldest first, by entry id."""
    out: dict[int, list[SourceHelper]] = {}
    ids = [e.pk for e in entries]
    rows = SourceHelper.objects.filter(entry_id__in=ids).select_related("helper")
    for row in rows.order_by("start_on", "id"):
        out.setdefault(row.entry_id, []).append(row)
    return out
