"""The people kind of import: a row matched to a recorded person (by citizen ID, else by
name, date of birth and unit, the uncertain matches put to the user), checked, and either
updating that person through ``people.services`` (in a savepoint) or queued and created
with the chunk through ``people.services.people_create_valid``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ptdv.core.text import fold
from ptdv.exchange.context import ImportContext, RowProblemError, plain, report, resolve_unit
from ptdv.exchange.models import ImportChange
from ptdv.exchange.vocab import REQUIRED
from ptdv.organizations.models import OrgUnit
from ptdv.people import services as people
from ptdv.people.choices import Gender
from ptdv.people.models import MEMBER_STATUSES, EventKind, MembershipStatus, Person
from ptdv.people.services import NewPerson

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


def _find_person(
    ctx: ImportContext, rownum: int, v: dict[str, Any], org: OrgUnit | None = None
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
    if person is not None and not ctx.may_import(person.org_unit):
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
    if current == MembershipStatus.NONE:
        return _events_of_new_member(status, admitted, official, card, org)
    conflict = _conflict(person, status)
    if current != status and not (
        current == MembershipStatus.PROBATIONARY and status == MembershipStatus.OFFICIAL
    ):
        raise conflict
    events: list[dict[str, Any]] = []
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


def _conflict(person: Person, status: str) -> RowProblemError:
    return RowProblemError(
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


def _events_of_new_member(
    status: str, admitted: Any, official: Any, card: Any, org: OrgUnit
) -> list[dict[str, Any]]:
    """The events that make a person of the masses the file's member (or nothing)."""
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
    events: list[dict[str, Any]] = [{"kind": EventKind.ADMITTED, "date": admitted, "org_unit": org}]
    if status == MembershipStatus.OFFICIAL:
        events.append({"kind": EventKind.RECOGNIZED, "date": official})
    if card:
        events.append(
            {"kind": EventKind.CARD_ISSUED, "date": official or admitted, "card_number": card}
        )
    return events


def apply_person(ctx: ImportContext, rownum: int, v: dict[str, Any]) -> None:
    for required in REQUIRED["people"]:
        if not v.get(required):
            raise RowProblemError(
                _("“%(column)s” is empty.") % {"column": ctx.headers[required]}, field=required
            )
    status = _wanted_membership(v)
    _check_membership(status, v)
    explicit_org = bool(v.get("org_code"))
    org = resolve_unit(ctx, v.get("org_code"))
    if not ctx.may_import(org):
        raise RowProblemError(
            _("You may not import data into this organization."), field="org_unit"
        )
    person = _find_person(ctx, rownum, v, org)
    data = {k: v[k] for k in PERSON_FILE_FIELDS if v.get(k) not in (None, "")}
    if person is None:  # a new person, of the masses until these events
        events = (
            []
            if status is None
            else _events_of_new_member(
                status, v.get("admitted_on"), v.get("official_on"), v.get("card_number"), org
            )
        )
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


def lookup_people(ctx: ImportContext, rows: list[dict[str, Any]]) -> None:
    """The registry's people that the rows of a chunk may mean: two queries a chunk."""
    cids = {v["citizen_id"] for v in rows if v.get("citizen_id")}
    keys = {
        (fold(v["full_name"])[:120], v["date_of_birth"])
        for v in rows
        if not v.get("citizen_id") and v.get("full_name") and v.get("date_of_birth")
    }
    people = Person.objects.select_related("org_unit")
    ctx.by_cid = {p.citizen_id or "": p for p in people.filter(citizen_id__in=cids)} if cids else {}
    ctx.by_name = {}
    if keys:
        found = people.filter(
            name_folded__in={k[0] for k in keys},
            date_of_birth__in={k[1] for k in keys},
            merged_into__isnull=True,
        ).order_by("id")
        for p in found:
            ctx.by_name.setdefault((p.name_folded, p.date_of_birth), p)


def create_people(ctx: ImportContext) -> None:
    queued, ctx.new_people = ctx.new_people, []
    created, problems = people.people_create_valid(
        actor=ctx.actor,
        items=[item for _, item in queued],
        source=f"exchange.batch:{ctx.batch.uid}",
    )
    for i, exc in sorted(problems.items()):
        report(ctx, queued[i][0], exc)
    for i, (person, event_ids) in sorted(created.items()):
        rownum, item = queued[i]
        ctx.changed(
            rownum,
            ImportChange.Action.CREATED,
            person,
            new={k: plain(x) for k, x in item.data.items() if k != "citizen_id"},
            event_ids=event_ids,
        )


def _add_events(ctx: ImportContext, person: Person, events: list[dict[str, Any]]) -> list[int]:
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


def split_birth(ctx: ImportContext, rownum: int, values: dict[str, Any]) -> bool:
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
