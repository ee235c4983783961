"""The rows each kind's export writes (``exporter.export_workbook``), streamed from the
database in chunks, in the columns of ``exporter.COLUMNS``, with the value labels the
import reads back: an export re-imports to the same state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ptdv.access.permissions import has_perm
from ptdv.access.scope import scope_q
from ptdv.admissions.models import SourceEntry
from ptdv.exchange import vocab
from ptdv.organizations.models import OrgUnit
from ptdv.organizations.selectors import subtree
from ptdv.people.models import Person
from ptdv.people.selectors import people_visible_to
from ptdv.training.models import Enrolment, EnrolmentStatus
from ptdv.training.selectors import classes_visible_to


def _person_row(p: Person, reveal: bool) -> list[Any]:
    return [
        p.full_name,
        p.date_of_birth,
        vocab.label("gender", p.gender),
        (p.citizen_id or "") if reveal else "",
        vocab.label("ethnicity", p.ethnicity),
        vocab.label("religion", p.religion),
        p.hometown,
        vocab.label("education_general", p.education_general),
        vocab.label("education_professional", p.education_professional),
        vocab.label("political_theory", p.political_theory),
        vocab.label("occupation", p.occupation),
        p.workplace,
        p.phone,
        vocab.label("youth_union_member", p.youth_union_member),
        p.other_names,
        p.org_unit.code,
        vocab.label("status", p.status),
        p.admitted_on,
        p.official_on,
        p.card_number,
    ]


def _org_row(u: OrgUnit, parent_codes: dict[int, str]) -> list[Any]:
    return [
        u.code,
        u.name,
        vocab.label("kind", u.kind),
        parent_codes.get(u.parent_id or 0, ""),
        vocab.label("sector", u.sector),
        vocab.label("authorised_to_admit", u.authorised_to_admit),
        u.valid_from,
        u.address,
    ]


def _helper_ref(p: Person, reveal: bool) -> str:
    """A helping member as the import finds them again: card number, else citizen ID,
    else name."""
    return p.card_number or ((p.citizen_id or "") if reveal else "") or p.full_name


def _source_row(entry: Any, reveal: bool) -> list[Any]:
    person, sl = entry.person, entry.source_list
    helpers = [_helper_ref(h, reveal) for h in entry.helpers.all()]
    notes = list(entry.notes.all())
    first_note = min(notes, key=lambda n: (n.date, n.id)).text if notes else ""
    return [
        person.full_name,
        person.date_of_birth,
        (person.citizen_id or "") if reveal else "",
        sl.org_unit.code,
        sl.year,
        sl.term,
        entry.added_on,
        helpers[0] if helpers else "",
        "; ".join(helpers[1:]),
        first_note,
    ]


def _source_entries(user: Any, org: OrgUnit) -> Any:
    """The people still on the source lists of ``org``'s subtree (neither removed nor
    admitted), list by list."""
    return (
        SourceEntry.objects.filter(
            scope_q(user, field="source_list__org_unit", perm="exchange.export")
        )
        .filter(source_list__org_unit__path__startswith=org.path)
        .exclude(
            status__in=[
                SourceEntry.Progress.REMOVED,
                SourceEntry.Progress.ADMITTED,
                SourceEntry.Progress.CARRIED,
            ]
        )
        .select_related("person", "source_list__org_unit")
        .prefetch_related("helpers", "notes")
        .order_by(
            "source_list__org_unit__path",
            "source_list__kind",
            "source_list__year",
            "source_list__term",
            "person__sort_key",
            "id",
        )
    )


def rows(kind: str, user: Any, org: OrgUnit) -> tuple[int, Iterator[list[Any]]]:
    if kind == "sources":
        entries = _source_entries(user, org)
        reveal = has_perm(user, "people.reveal_citizen_id", org)
        return entries.count(), (_source_row(e, reveal) for e in entries.iterator(chunk_size=2000))
    if kind == "people":
        qs = (
            people_visible_to(user, perm="exchange.export")
            .filter(org_unit__path__startswith=org.path)
            .select_related("org_unit")
            .order_by("org_unit__path", "sort_key", "date_of_birth", "id")
        )
        reveal = has_perm(user, "people.reveal_citizen_id", org)
        return qs.count(), (_person_row(p, reveal) for p in qs.iterator(chunk_size=2000))
    if kind == "enrolments":
        return _enrolment_rows(user, org)
    units = subtree(org).order_by("path")
    parent_codes = dict(OrgUnit.objects.values_list("id", "code"))
    return units.count(), (_org_row(u, parent_codes) for u in units.iterator(chunk_size=2000))


def _enrolment_rows(user: Any, org: Any) -> tuple[int, Any]:
    """The accepted trainees of the classes whose institution is attached in ``org``'s
    subtree, with their results, in the columns of ``exporter.ENROLMENT_COLUMNS``: the
    file re-imports to the same classes, enrolments and results (nominations and
    withdrawn enrolments are not exported; an import enrols directly)."""
    qs = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.ACCEPTED,
            klass__in=classes_visible_to(user).filter(
                institution__org_unit__path__startswith=org.path
            ),
            person__in=people_visible_to(user, perm="exchange.export"),
        )
        .select_related("klass__institution", "klass__course_type", "person__org_unit", "result")
        .order_by("klass__institution__code", "klass__start_on", "klass__code", "person__sort_key")
    )
    reveal: dict[int, bool] = {}

    def row(e: Any) -> list[Any]:
        k, p = e.klass, e.person
        if p.org_unit_id not in reveal:
            reveal[p.org_unit_id] = has_perm(user, "people.reveal_citizen_id", p.org_unit)
        result = getattr(e, "result", None)
        return [
            k.code,
            k.institution.code,
            k.course_type.name,
            k.name,
            k.start_on,
            k.end_on,
            p.full_name,
            p.date_of_birth,
            (p.citizen_id or "") if reveal[p.org_unit_id] else "",
            vocab.label("passed", result.passed) if result else None,
            float(result.score) if result and result.score is not None else None,
            result.grade if result else None,
        ]

    return qs.count(), (row(e) for e in qs.iterator(chunk_size=2000))
