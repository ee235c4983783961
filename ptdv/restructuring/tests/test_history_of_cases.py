"""A restructuring that carries an open admission case and a source entry to a successor
cell leaves the earlier figures where they happened (issue 11, points 4 and 5): the
case's steps keep the cell that held the case on their day (``StageChange.org_unit``),
and the source entry is ended on the old list and copied to the successor's, never
moved. The figures checked are every case, cohort and source indicator, for every unit
of the fixture and a period before the change."""

from __future__ import annotations

from typing import Any

import pytest

from ptdv.admissions import services as S
from ptdv.admissions.models import AdmissionCase, SourceEntry, SourceList, StageChange
from ptdv.people.services import person_create
from ptdv.reports.selectors import INDICATORS, Period, indicator_counts
from ptdv.restructuring import services as rs
from ptdv.restructuring.selectors import undo_problem
from ptdv.restructuring.services import Decision
from ptdv.restructuring.tests.helpers import D

pytestmark = pytest.mark.django_db
DAY = D(2025, 7, 1)
TODAY = D(2025, 8, 1)
DECISION = Decision("45-QĐ/ĐU", D(2025, 6, 25), "Ban Thường vụ Đảng ủy xã")
BEFORE = Period(D(2025, 1, 1), D(2025, 6, 30))
AFTER = Period(DAY, D(2025, 12, 31))
KEYS = [k for k in INDICATORS if k.startswith(("case.", "cohort.")) or k == "sources.added"]


def _figures(tree: Any, period: Period) -> dict[tuple[str, str], int]:
    units = [tree.province, tree.district, tree.grassroots, tree.cell, tree.other_cell]
    out = {}
    for unit in units:
        for key, n in indicator_counts(KEYS, unit, period).items():
            out[(unit.code, key)] = n
    return out


@pytest.fixture
def carried(tree: Any, personas: Any) -> dict[str, Any]:
    officer = personas.district_officer
    person = person_create(
        actor=None,
        org_unit=tree.other_cell,
        full_name="Nông Thị Hoa",
        date_of_birth=D(2000, 1, 1),
        gender="female",
        ethnicity="01",
    )
    sl = SourceList.objects.create(org_unit=tree.other_cell, year=2025)
    entry = SourceEntry.objects.create(source_list=sl, person=person, added_on=D(2025, 1, 5))
    case = S.case_open(
        actor=officer,
        person=person,
        cell=tree.other_cell,
        opened_on=D(2025, 2, 1),
        source_entry=entry,
        unit_has_youth_union=False,
        today=TODAY,
    )
    S.certificate_record(actor=officer, case=case, issued_on=D(2025, 3, 1), today=TODAY)
    return {"person": person, "entry": entry, "case": case, "list": sl, "officer": officer}


def test_a_carried_case_and_source_leave_the_past_where_it_happened(
    tree: Any, carried: dict
) -> None:
    before = _figures(tree, BEFORE)
    # the figures are not all zero: the old cell opened the case and sourced the person
    assert before[(tree.other_cell.code, "cohort.opened")] == 1
    assert before[(tree.other_cell.code, "case.class")] == 1
    assert before[(tree.other_cell.code, "sources.added")] == 1
    assert before[(tree.cell.code, "sources.added")] == 0

    rs.merge(actor=None, units=[tree.other_cell], into=tree.cell, date=DAY, decision=DECISION)

    case = AdmissionCase.objects.get(pk=carried["case"].pk)
    assert case.org_unit_id == tree.cell.pk  # the open case goes on in the successor
    assert _figures(tree, BEFORE) == before  # and the past is as it was

    # the entry is ended on the old list and copied onto the successor's, not moved
    old = SourceEntry.objects.get(pk=carried["entry"].pk)
    assert old.source_list_id == carried["list"].pk
    assert (old.status, old.removed_on) == (SourceEntry.Progress.CARRIED, DAY)
    copy = SourceEntry.objects.get(carried_from=old)
    assert copy.source_list.org_unit_id == tree.cell.pk
    assert copy.status == SourceEntry.Progress.CERTIFIED
    assert case.source_entry_id == copy.pk
    # a copy is not a new source: nobody was sourced after the change
    assert indicator_counts(["sources.added"], tree.cell, AFTER) == {"sources.added": 0}

    # the next step is taken in the successor cell and counted there
    S.application_record(actor=carried["officer"], case=case, on=D(2025, 7, 10), today=TODAY)
    last = StageChange.objects.filter(case=case).latest("on", "id")
    assert last.org_unit_id == tree.cell.pk
    after = indicator_counts(["case.dossier"], tree.cell, AFTER)
    assert after == {"case.dossier": 1}
    assert indicator_counts(["case.dossier"], tree.other_cell, AFTER) == {"case.dossier": 0}


def test_undo_puts_the_entry_back_and_refuses_once_the_copy_was_worked_on(
    tree: Any, carried: dict
) -> None:
    op = rs.merge(actor=None, units=[tree.other_cell], into=tree.cell, date=DAY, decision=DECISION)
    copy = SourceEntry.objects.get(carried_from=carried["entry"])
    S.source_note_add(
        actor=carried["officer"], entry=copy, date=D(2025, 7, 5), text="Gặp gỡ", today=TODAY
    )
    assert undo_problem(op) is not None
    copy.notes.all().delete()
    assert undo_problem(op) is None
    rs.restructure_undo(actor=None, op=op)
    old = SourceEntry.objects.get(pk=carried["entry"].pk)
    assert (old.status, old.removed_on) == (SourceEntry.Progress.CERTIFIED, None)
    assert not SourceEntry.objects.filter(carried_from=old).exists()
    assert AdmissionCase.objects.get(pk=carried["case"].pk).source_entry_id == old.pk


def test_a_village_moved_by_a_merge_stays_in_the_old_commune_for_earlier_dates(
    tree: Any,
) -> None:
    from ptdv.organizations.models import ResidentialUnit
    from ptdv.reports.selectors import org_list

    village = ResidentialUnit.objects.get(code="A-X-T1")
    old = village.org_unit
    day_before = Period(D(2025, 1, 1), D(2025, 6, 30))

    def lists(unit: Any, period: Period) -> dict[str, list[str]]:
        return {
            key: sorted(v.code for v in org_list(key, unit, period))
            for key in ("villages.no_member", "villages.no_cell")
        }

    before = {u.code: lists(u, day_before) for u in (tree.district, old)}
    assert "A-X-T1" in before[old.code]["villages.no_member"] + before[old.code]["villages.no_cell"]
    new = rs.create_unit(
        actor=None, code="X-MOI", name="Đảng bộ xã Mới", parent=tree.province, like=old, date=DAY
    )
    op = rs.merge(actor=None, units=[old], into=new, date=DAY, decision=DECISION, created=[new])
    village.refresh_from_db()
    assert (village.org_unit_id, village.linked_since) == (new.pk, DAY)
    # the past: the village is still the old commune's (and the district's) on 30/06/2025
    assert {u.code: lists(u, day_before) for u in (tree.district, old)} == before
    assert lists(new, day_before) == {"villages.no_member": [], "villages.no_cell": []}
    # from the change on it is the new commune's
    after = Period(DAY, D(2025, 12, 31))
    now = lists(new, after)
    assert "A-X-T1" in now["villages.no_member"] + now["villages.no_cell"]
    assert lists(old, after) == {"villages.no_member": [], "villages.no_cell": []}
    rs.restructure_undo(actor=None, op=op)
    village.refresh_from_db()
    assert (village.org_unit_id, village.linked_since) == (old.pk, None)
    assert not village.past_links.exists()
