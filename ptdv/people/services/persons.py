"""Writes of one person's record: create, edit (with the stale-edit check), reveal the
citizen ID (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.audit.services import apply_changes, record
from ptdv.core.errors import DomainError
from ptdv.core.text import fold, name_sort_key, normalize_spaces
from ptdv.organizations.models import OrgUnit
from ptdv.people import rules
from ptdv.people.choices import ETHNICITY_CODES, Gender
from ptdv.people.models import (
    Person,
)

PERSON_FIELDS = {
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
    "residential_unit",
    "phone",
    "youth_union_member",
    "org_unit",
}


def clean_person(
    data: dict[str, Any],
    *,
    instance: Person | None = None,
    today: dt.date | None = None,
    check_unique: bool = True,
) -> dict[str, Any]:
    """Normalise and validate person fields; raises DomainError on the first problem.
    ``check_unique=False`` leaves the CCCD uniqueness to the caller (``_prepare_many``
    asks once for many people)."""
    today = today or timezone.localdate()
    out = dict(data)
    if "full_name" in out:
        out["full_name"] = normalize_spaces(out["full_name"])
        if not out["full_name"]:
            raise DomainError(_("The full name is required."), field="full_name")
    dob = out.get("date_of_birth", instance.date_of_birth if instance else None)
    dob = _check_date_of_birth(dob, today)
    if "ethnicity" in out and out["ethnicity"] not in ETHNICITY_CODES:
        raise DomainError(
            _("Unknown ethnicity: %(value)s.") % {"value": out["ethnicity"]}, field="ethnicity"
        )
    gender = out.get("gender", instance.gender if instance else None)
    if gender not in Gender.values:
        raise DomainError(_("The gender is required."), field="gender")
    if "citizen_id" in out or instance is None:
        out["citizen_id"] = _clean_citizen_id(
            out.get("citizen_id"), dob, gender, instance=instance, check_unique=check_unique
        )
    for key in ("phone", "workplace", "hometown", "other_names"):
        if key in out:
            out[key] = normalize_spaces(out[key] or "")
    return out


def _check_date_of_birth(dob: dt.date | None, today: dt.date) -> dt.date:
    if dob is None:
        raise DomainError(_("The date of birth is required."), field="date_of_birth")
    if dob > today:
        raise DomainError(_("The date of birth cannot be in the future."), field="date_of_birth")
    if dob.year < 1900:
        raise DomainError(_("The date of birth is not plausible."), field="date_of_birth")
    return dob


def _clean_citizen_id(
    value: Any, dob: dt.date, gender: Any, *, instance: Person | None, check_unique: bool
) -> str | None:
    """The CCCD normalised, checked against the date of birth and gender and, unless the
    caller checks many at once, unique; None when not given."""
    cid = rules.normalize_citizen_id(value)
    if cid:
        problem = rules.citizen_id_problem(cid, date_of_birth=dob, gender=gender)
        if problem:
            raise DomainError(problem, field="citizen_id", code="invalid_citizen_id")
        if check_unique:
            clash = Person.objects.filter(citizen_id=cid)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                raise duplicate_citizen_id(cid)
    return cid or None


def duplicate_citizen_id(cid: str) -> DomainError:
    return DomainError(
        _("Another person already has the citizen ID %(cid)s.") % {"cid": cid},
        field="citizen_id",
        code="duplicate_citizen_id",
    )


def check_unit_open(org_unit: OrgUnit) -> None:
    if not org_unit.is_valid_on(timezone.localdate()):
        raise DomainError(
            _("The organization %(org)s is not valid today.") % {"org": org_unit},
            field="org_unit",
            code="unit_not_valid",
        )


def name_fields(full_name: str) -> dict[str, str]:
    return {"name_folded": fold(full_name)[:120], "sort_key": name_sort_key(full_name)}


@transaction.atomic
def person_create(*, actor: Any, org_unit: OrgUnit, audit: bool = True, **data: Any) -> Person:
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    data = clean_person(data)
    check_unit_open(org_unit)
    person = Person(org_unit=org_unit, **data, **name_fields(data["full_name"]))
    person.save()
    if audit:
        record(
            action="people.person.created",
            actor=actor,
            target=person,
            org_unit=org_unit,
            data={k: v for k, v in data.items() if k != "citizen_id"}
            | {"citizen_id": person.masked_citizen_id},
        )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, expected_version: dt.datetime | None = None, **changes: Any
) -> Person:
    """Change a person's fields. With ``expected_version`` (the ``updated_at`` the editor's
    form was built from), a record saved by someone else since is not overwritten: the save
    is refused with what the other save changed (optimistic locking)."""
    unknown = set(changes) - PERSON_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and person.updated_at != expected_version:
        raise _stale_edit(person, expected_version)
    changes = clean_person(changes, instance=person)
    if "org_unit" in changes and changes["org_unit"] != person.org_unit:
        if person.is_member:
            raise DomainError(
                _("A member changes cell through a membership event (moved or transferred)."),
                field="org_unit",
                code="member_unit_by_event",
            )
        check_unit_open(changes["org_unit"])
    if "full_name" in changes:
        changes |= name_fields(changes["full_name"])
    changed = apply_changes(person, changes)
    if changed:
        if "citizen_id" in changed:
            changed["citizen_id"] = {"old": "…", "new": person.masked_citizen_id}
        changed.pop("name_folded", None)
        changed.pop("sort_key", None)
        record(
            action="people.person.updated",
            actor=actor,
            target=person,
            org_unit=person.org_unit,
            data=changed,
        )
    return person


class StaleEditError(DomainError):
    """Someone else saved the record after the form was opened; ``current_version`` is the
    version to build the next attempt on."""

    def __init__(self, message: str, *, current_version: dt.datetime) -> None:
        super().__init__(message, code="stale_edit")
        self.current_version = current_version


def _stale_edit(person: Person, since: dt.datetime) -> StaleEditError:
    from ptdv.audit.selectors import entries_for, history_rows

    rows = history_rows(entries_for(person).filter(at__gt=since).order_by("at"))
    changes: list[str] = []
    for row in rows:
        for change in row.changes:
            if change.is_diff:
                changes.append(f"{change.key}: “{change.old}” → “{change.new}”")
            else:
                changes.append(f"{row.label}: {change.key} {change.value}")
        if not row.changes:
            changes.append(str(row.label))
    who = ", ".join(dict.fromkeys(row.actor for row in rows)) or _("another user")
    when = timezone.localtime(person.updated_at).strftime("%H:%M %d/%m/%Y")
    message = _(
        "%(who)s saved this person at %(when)s, after you opened the form; your changes were "
        "not saved, so as not to overwrite theirs. They changed: %(changes)s. The form keeps "
        "what you typed: check it against these changes and save again."
    ) % {"who": who, "when": when, "changes": "; ".join(changes) or "—"}
    return StaleEditError(message, current_version=person.updated_at)


def person_reveal_citizen_id(*, actor: Any, person: Person) -> str:
    """Show a full CCCD number to a user; every reveal is written to the audit log."""
    record(
        action="people.person.citizen_id_revealed",
        actor=actor,
        target=person,
        org_unit=person.org_unit,
        data={"citizen_id": person.masked_citizen_id},
    )
    return person.citizen_id or ""
