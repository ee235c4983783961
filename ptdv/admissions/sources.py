"""Source lists on the web (issue 15 point 8): find people by name within scope, put
several on a list at once, assign and change the helping members of an entry.

Reads are scoped (a person outside the user's subtree is never offered nor accepted);
writes go through ``services.source_entry_add`` (its checks and audit) and
``helper_periods`` (dated assignments), each in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.admissions import checks, helper_periods
from ptdv.admissions import services as S
from ptdv.admissions.models import SourceEntry, SourceList
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.text import fold
from ptdv.people.models import MembershipStatus, Person
from ptdv.people.selectors import members_on, people_visible_to

register({"admissions.source.helpers_changed": gettext_lazy("Helping members changed")})

SEARCH_SHOWN = 50  # people a name search offers at once (refine the name for others)


# --- reads ------------------------------------------------------------------------------


def candidates_for(*, user: Any, source_list: SourceList) -> QuerySet[Person]:
    """People the user may put on ``source_list``: masses (not members), inside both the
    user's scope (``admissions.act``) and the list's organization."""
    return people_visible_to(user, perm="admissions.act").filter(
        org_unit__path__startswith=source_list.org_unit.path,
        status=MembershipStatus.NONE,
    )


def search_candidates(*, user: Any, source_list: SourceList, q: str) -> list[Person]:
    """Name search with or without diacritics ("nguyen van" finds "Nguyễn Văn …"); each
    result carries ``on_list`` (already an entry of this list)."""
    words = fold(q).split()
    if not words:
        return []
    qs = candidates_for(user=user, source_list=source_list).select_related("org_unit")
    for word in words:
        qs = qs.filter(name_folded__contains=word)
    found = list(qs.order_by("sort_key", "date_of_birth", "id")[:SEARCH_SHOWN])
    listed = set(
        source_list.entries.filter(person_id__in=[p.pk for p in found]).values_list(
            "person_id", flat=True
        )
    )
    for p in found:
        p.on_list = p.pk in listed  # type: ignore[attr-defined]
    return found


def helper_choices(entry: SourceEntry, on: dt.date) -> QuerySet[Person]:
    """Official members of the list's organization on ``on`` (who may help), the person
    on the list excepted."""
    return (
        members_on(entry.source_list.org_unit, on, statuses=[MembershipStatus.OFFICIAL])
        .exclude(pk=entry.person_id)
        .order_by("sort_key", "id")
    )


# --- writes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    name: str
    message: str


class BulkRefusedError(DomainError):
    """Some people could not be added: nothing was written; one sentence per person."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__("; ".join(f"{r.name}: {r.message}" for r in refusals), code="bulk_refused")
        self.refusals = list(refusals)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


@transaction.atomic
def source_entries_add(
    *,
    actor: Any,
    source_list: SourceList,
    person_uids: Sequence[Any],
    added_on: dt.date,
    today: dt.date | None = None,
) -> list[SourceEntry]:
    """Put several people on the list at once, all or none: each person is checked by
    ``services.source_entry_add``; one refusal leaves the list as it was and every
    refusal is reported. ``person_uids`` outside the user's scope or the list's
    organization are refused without naming them."""
    if not has_perm(actor, "admissions.act", source_list.org_unit):
        raise DomainError(
            _("You may not do this for %(unit)s.") % {"unit": source_list.org_unit},
            code="forbidden",
        )
    uids = list(dict.fromkeys(str(u) for u in person_uids))
    if not uids:
        raise DomainError(_("Choose at least one person."), field="person")
    people = {
        str(p.uid): p
        for p in people_visible_to(actor, perm="admissions.act")
        .filter(uid__in=uids, org_unit__path__startswith=source_list.org_unit.path)
        .select_related("org_unit")
    }
    refusals = [
        Refusal(_("Unknown person"), _("not found in your organizations."))
        for uid in uids
        if uid not in people
    ]
    added: list[SourceEntry] = []
    for uid in uids:
        person = people.get(uid)
        if person is None:
            continue
        try:
            added.append(
                S.source_entry_add(
                    actor=actor,
                    source_list=source_list,
                    person=person,
                    added_on=added_on,
                    today=_today(today),
                )
            )
        except DomainError as exc:
            refusals.append(Refusal(person.full_name, exc.message))
    if refusals:
        raise BulkRefusedError(refusals)  # the transaction is rolled back: nothing added
    return added


@transaction.atomic
def source_helpers_change(
    *,
    actor: Any,
    entry: SourceEntry,
    helpers: Sequence[Person],
    on: dt.date,
    reason: str = "",
    today: dt.date | None = None,
) -> SourceEntry:
    """Set the helping members of an entry from ``on``: assignments that stop are ended
    that day (kept, with the reason), new ones start that day. Each helper must be an
    official member of the list's organization on ``on`` (not the person helped)."""
    unit = entry.source_list.org_unit
    if not has_perm(actor, "admissions.act", unit):
        raise DomainError(_("You may not do this for %(unit)s.") % {"unit": unit}, code="forbidden")
    entry = SourceEntry.objects.select_for_update().select_related("source_list").get(pk=entry.pk)
    if entry.status in (
        SourceEntry.Progress.REMOVED,
        SourceEntry.Progress.ADMITTED,
        SourceEntry.Progress.CARRIED,
    ):
        raise DomainError(_("This entry is already closed."), code="closed")
    if on > _today(today):
        raise DomainError(_("The date cannot be in the future."), field="on")
    if on < entry.added_on:
        raise DomainError(
            _("The date is before the person was put on the list (%(date)s).")
            % {"date": entry.added_on.strftime("%d/%m/%Y")},
            field="on",
        )
    wanted = {h.pk: h for h in helpers}
    if entry.person_id in wanted:
        raise DomainError(_("A person cannot help themselves."), field="helpers")
    official = checks.official_in(list(wanted), on, unit=unit) if wanted else set()
    outside = [h.full_name for h in wanted.values() if h.pk not in official]
    if outside:
        raise DomainError(
            _("Not an official member of %(unit)s on %(date)s: %(names)s.")
            % {"unit": unit, "date": on.strftime("%d/%m/%Y"), "names": ", ".join(outside)},
            field="helpers",
        )
    helper_periods.adopt_undated(entry)
    current = {row.helper_id: row for row in helper_periods.open_rows(entry)}
    ending = [pk for pk in current if pk not in wanted]
    starting = [pk for pk in wanted if pk not in current]
    if not ending and not starting:
        raise DomainError(_("Nothing changed."), field="helpers")
    late = [current[pk].helper.full_name for pk in ending if current[pk].start_on > on]
    if late:
        raise DomainError(
            _("An assignment cannot end before it began: %(names)s.") % {"names": ", ".join(late)},
            field="on",
        )
    reason = reason.strip()
    if ending and not reason:
        raise DomainError(_("Give the reason for the change."), field="reason")
    user = actor if getattr(actor, "is_authenticated", False) else None
    helper_periods.end(entry, ending, on, reason)
    helper_periods.start(entry, starting, on, by=user)
    record(
        action="admissions.source.helpers_changed",
        actor=actor,
        target=entry,
        org_unit=unit,
        data={
            "date": on,
            "ended": [current[pk].helper.full_name for pk in ending],
            "started": [wanted[pk].full_name for pk in starting],
            "reason": reason,
        },
    )
    return entry
