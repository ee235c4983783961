"""Import of candidate sources (nguồn kết nạp đảng, quần chúng ưu tú) and its undo.

One row puts one person on the source list of a party organization for a year or a
congress term. The person must already be recorded (the people import, or the person's
page): a source list says who is being fostered, not who the person is, and a person
record needs more than a list carries (gender, ethnicity, hometown…). The person is found
by citizen ID, else by name and date of birth among the people in the importer's scope,
which must be confirmed like a name match of the people import. Helping members are named
by card number, citizen ID or name. Every write goes through ``admissions.services``
(checks and audit there): the list is found or created, the person added with helpers and
the note. A person already on the list is left unchanged, so the same file imported twice
changes nothing the second time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.core.errors import DomainError
from ptdv.core.text import fold
from ptdv.exchange.context import RowProblemError
from ptdv.exchange.models import ImportBatch, ImportChange
from ptdv.exchange.units import unit_by_name
from ptdv.exchange.vocab import REQUIRED
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import MEMBER_STATUSES, Person

if TYPE_CHECKING:
    from ptdv.admissions.models import SourceEntry

TARGET = "admissions.sourceentry"


HELPER_FIELDS = ("helper_1", "helper_2")
_SEPARATORS = re.compile(r"[;\n]+")
# a refusal of an admissions service names its own field; the file's column for it
_SERVICE_FIELDS = {
    "person": "full_name",
    "helpers": "helper_1",
    "added_on": "added_on",
    "year": "year",
    "term": "term",
}


def apply_source(ctx: Any, rownum: int, v: dict[str, Any]) -> None:
    """Put the row's person on the source list, through ``admissions.services``."""
    from ptdv.admissions import services as admissions
    from ptdv.admissions.models import SourceEntry, SourceList

    for required in REQUIRED["sources"]:
        if not v.get(required):
            raise RowProblemError(
                _("“%(column)s” is empty.") % {"column": ctx.headers[required]}, field=required
            )
    year, term = v.get("year"), v.get("term") or ""
    if year is None and not term:
        raise RowProblemError(
            _("Give the year of the source list or its congress term (e.g. 2020-2025)."),
            field="year" if "year" in ctx.headers else "term",
        )
    if year is not None and term:
        raise RowProblemError(
            _("Give either the year or the congress term of the list, not both."), field="term"
        )
    org = _unit(ctx, v.get("org_code"))
    person = _person(ctx, rownum, v)
    key = ("source", org.pk, year, term, person.pk)
    if key in ctx.seen:
        raise RowProblemError(
            _("The same person is also on row %(row)s for this list.") % {"row": ctx.seen[key]},
            field="full_name",
        )
    ctx.seen[key] = rownum
    helpers = _helpers(ctx, v, org)
    note = v.get("note") or ""
    kind = SourceList.Kind.YEARLY if year is not None else SourceList.Kind.TERM
    existing = (
        SourceEntry.objects.filter(
            source_list__org_unit=org,
            source_list__kind=kind,
            source_list__year=year,
            source_list__term=term,
            person=person,
        )
        .prefetch_related("helpers", "notes")
        .first()
    )
    if existing is not None:
        _check_unchanged(existing, helpers, note)
        ctx.outcome.unchanged += 1
        return
    if not has_perm(ctx.actor, "admissions.act", org):
        raise RowProblemError(
            _("You may not change the source lists of %(org)s.") % {"org": org.name},
            field="org_code",
        )
    try:
        source_list = admissions.source_list_get_or_create(
            actor=ctx.actor, org_unit=org, year=year, term=term
        )
        entry = admissions.source_entry_add(
            actor=ctx.actor,
            source_list=source_list,
            person=person,
            added_on=v.get("added_on") or timezone.localdate(),
            helpers=helpers,
            note=note,
        )
    except DomainError as exc:
        if isinstance(exc, RowProblemError):
            raise
        raise RowProblemError(exc.message, field=_SERVICE_FIELDS.get(exc.field or "", ""))
    ctx.changed(
        rownum,
        ImportChange.Action.CREATED,
        entry,  # target type "admissions.sourceentry" (TARGET)
        new={
            "list": str(source_list),
            "person": person.full_name,
            "added_on": entry.added_on.isoformat(),
            "helpers": [h.full_name for h in helpers],
            "note": bool(note),
        },
    )


def _unit(ctx: Any, code: str | None) -> OrgUnit:
    if not code:
        return ctx.batch.org_unit
    unit = ctx.units.get(code) or ctx.units.get(code.replace(" ", ""))
    if unit is None:  # a "Chi bộ" column naming the cell, as for people
        unit = unit_by_name(ctx, code, "org_code")
    if unit is None:
        raise RowProblemError(
            _("There is no party organization with code “%(code)s” under %(org)s.")
            % {"code": code, "org": ctx.batch.org_unit.name},
            field="org_code",
        )
    return unit


def _person(ctx: Any, rownum: int, v: dict[str, Any]) -> Person:
    """The recorded person of the row: by citizen ID, else a confirmed name + birth match."""
    from ptdv.people.selectors import people_visible_to

    cid = v.get("citizen_id") or ""
    if cid:
        person = Person.objects.filter(citizen_id=cid).select_related("org_unit").first()
        if person is not None and person.merged_into_id:
            person = Person.objects.select_related("org_unit").get(pk=person.merged_into_id)
        if person is None:
            raise RowProblemError(
                _(
                    "No one with this citizen ID is recorded: import them as people first "
                    "(the “people” data), then this list."
                ),
                field="citizen_id",
            )
        if not has_perm(ctx.actor, "exchange.import", person.org_unit):
            raise RowProblemError(
                _(
                    "The person with this citizen ID is kept by an organization outside your "
                    "scope; ask the organization board above to transfer them."
                ),
                field="citizen_id",
            )
        if fold(v["full_name"])[:120] != person.name_folded:
            raise RowProblemError(
                _("This citizen ID is recorded for %(name)s, not for the name in the file.")
                % {"name": person.full_name},
                field="citizen_id",
            )
        return person
    found = list(
        people_visible_to(ctx.actor, perm="exchange.import")
        .filter(name_folded=fold(v["full_name"])[:120], date_of_birth=v["date_of_birth"])
        .select_related("org_unit")
        .order_by("id")[:2]
    )
    if not found:
        raise RowProblemError(
            _(
                "No one with this name and date of birth is recorded in your organizations: "
                "import them as people first (the “people” data), then this list."
            ),
            field="full_name",
        )
    if len(found) > 1:
        raise RowProblemError(
            _("Several people have this name and date of birth; add the citizen ID."),
            field="citizen_id",
        )
    person = found[0]
    ctx.match(rownum, person)
    if rownum not in ctx.confirmed:
        raise RowProblemError(
            _(
                "Found by name and date of birth only: %(name)s (%(org)s). Confirm that it "
                "is the same person (tick the row), or add the citizen ID to the file."
            )
            % {"name": person.full_name, "org": person.org_unit.name},
            field="full_name",
        )
    return person


def _helpers(ctx: Any, v: dict[str, Any], org: OrgUnit) -> list[Person]:
    out: list[Person] = []
    for fname in HELPER_FIELDS:
        for ref in _SEPARATORS.split(v.get(fname) or ""):
            ref = ref.strip()
            if ref:
                helper = _helper(ctx, ref, fname, org)
                if helper not in out:
                    out.append(helper)
    return out


def _helper(ctx: Any, ref: str, fname: str, org: OrgUnit) -> Person:
    """A helping member named by card number, citizen ID or name, in the user's scope."""
    from ptdv.people.selectors import people_visible_to

    people = people_visible_to(ctx.actor, perm="exchange.import").select_related("org_unit")
    digits = re.sub(r"[\s.\-']", "", ref)
    if digits.isdigit():
        # a card number typed as a number lost its leading zeros
        q = Q(card_number__regex=rf"^0*{digits.lstrip('0') or '0'}$")
        if 9 <= len(digits) <= 12:
            q |= Q(citizen_id=digits.zfill(12))
        found = list(people.filter(q).order_by("id")[:2])
        if not found and Person.objects.filter(q).exists():
            raise RowProblemError(
                _("The member “%(who)s” belongs to an organization outside your scope.")
                % {"who": ref},
                field=fname,
            )
    else:
        found = list(people.filter(name_folded=fold(ref)[:120]).order_by("id")[:20])
        if len(found) > 1:
            # several namesakes: the members of the list's organization first
            narrowed = [p for p in found if p.status in MEMBER_STATUSES] or found
            local = [p for p in narrowed if p.org_unit.path.startswith(org.path)]
            found = local or narrowed
    if not found:
        raise RowProblemError(
            _("No party member “%(who)s” is recorded in your organizations.") % {"who": ref},
            field=fname,
        )
    if len(found) > 1:
        raise RowProblemError(
            _("Several party members match “%(who)s”; write the party card number instead.")
            % {"who": ref},
            field=fname,
        )
    helper = found[0]
    if helper.status not in MEMBER_STATUSES:
        raise RowProblemError(
            _("%(name)s is not a party member and cannot be a helping member.")
            % {"name": helper.full_name},
            field=fname,
        )
    return helper


def _check_unchanged(entry: SourceEntry, helpers: list[Person], note: str) -> None:
    """A person already on the list: the row must agree with what is recorded; changes
    are made on the list's page (fostering notes, removal)."""
    from ptdv.admissions.models import SourceEntry

    if entry.status == SourceEntry.Progress.REMOVED:
        raise RowProblemError(
            _("This person was removed from this list on %(date)s (%(reason)s).")
            % {
                "date": entry.removed_on.strftime("%d/%m/%Y") if entry.removed_on else "—",
                "reason": entry.removed_reason,
            },
            field="full_name",
        )
    recorded = {h.pk for h in entry.helpers.all()}
    if helpers and {h.pk for h in helpers} != recorded:
        names = ", ".join(sorted(h.full_name for h in entry.helpers.all())) or "—"
        raise RowProblemError(
            _(
                "This person is already on the list with other helping members (%(names)s); "
                "an import does not change them."
            )
            % {"names": names},
            field="helper_1",
        )
    if note and note not in {n.text for n in entry.notes.all()}:
        raise RowProblemError(
            _(
                "This person is already on the list; a new fostering note is added on the "
                "list's page, not by an import."
            ),
            field="note",
        )


# --- undo --------------------------------------------------------------------------


def _entry(ch: ImportChange) -> SourceEntry | None:
    from ptdv.admissions.models import SourceEntry

    return SourceEntry.objects.filter(pk=ch.target_id).select_related("source_list").first()


def check_undo(batch: ImportBatch, ch: ImportChange) -> None:
    """Refuse the undo when the entry was worked on after the import (notes, progress,
    an admission case): that later work would be lost."""
    from ptdv.admissions.selectors import source_entry_worked_on

    entry = _entry(ch)
    if entry is None:
        return
    notes_at_import = 1 if ch.new.get("note") else 0
    if (
        source_entry_worked_on(entry)
        or entry.updated_at > (batch.committed_at or timezone.now())
        or entry.notes.count() > notes_at_import
    ):
        raise DomainError(
            _(
                "Row %(row)s: the record was changed after the import; undo that change "
                "first or correct the data by hand."
            )
            % {"row": ch.row},
            code="changed_since",
        )


def undo(actor: Any, ch: ImportChange) -> None:
    """Take the entry the import added off the list through
    ``admissions.services.source_entry_withdraw`` (audited; the list is as before the
    import, so the same rows can be imported again)."""
    from ptdv.admissions import services as admissions

    entry = _entry(ch)
    if entry is None:
        return
    admissions.source_entry_withdraw(actor=actor, entry=entry, reason=_("Import undone"))
