"""Each wizard operation through its service, with the explicit choices of where things
go, and its undo back to exactly the state before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.access.models import Position
from ptdv.admissions.models import SourceEntry, SourceList
from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit, OrgUnitVersion, ResidentialUnit
from ptdv.organizations.services import org_unit_create
from ptdv.people.models import MembershipEvent, MembershipPeriod
from ptdv.people.selectors import members_on
from ptdv.people.services import person_create
from ptdv.restructuring import services as rs
from ptdv.restructuring.selectors import undo_problem
from ptdv.restructuring.services import Carry, Decision
from ptdv.restructuring.tests.helpers import D, member
from ptdv.targets.models import Target

pytestmark = pytest.mark.django_db
DAY = D(2025, 7, 1)
DECISION = Decision("123-QĐ/TU", D(2025, 6, 20), "Ban Thường vụ Tỉnh ủy")


def _state() -> tuple[Any, ...]:
    return (
        sorted(OrgUnit.objects.values_list("code", "name", "parent_id", "valid_to", "path")),
        sorted(
            OrgUnitVersion.objects.values_list("unit_id", "name", "valid_from", "valid_to", "path")
        ),
        sorted(ResidentialUnit.objects.values_list("code", "org_unit_id")),
        sorted(Position.objects.values_list("user_id", "org_unit_id", "term_start", "term_end")),
        sorted(
            MembershipPeriod.objects.values_list("person_id", "org_unit_id", "start", "end", "path")
        ),
        MembershipEvent.objects.count(),
        sorted(Target.objects.values_list("org_unit_id", "year", "value")),
        sorted(SourceList.objects.values_list("org_unit_id", "year")),
        sorted(SourceEntry.objects.values_list("source_list_id", "person_id")),
    )


def _ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_merge_cells_moves_members_sources_targets_and_undo(tree: Any, personas: Any) -> None:
    a = member(tree.cell, "Hoàng Thị Mai")
    b = member(tree.other_cell, "Lý Văn Hùng")
    masses = person_create(
        actor=None,
        org_unit=tree.other_cell,
        full_name="Nông Thị Hoa",
        date_of_birth=D(2000, 1, 1),
        gender="female",
        ethnicity="01",
    )
    sl = SourceList.objects.create(org_unit=tree.other_cell, year=2025)
    SourceEntry.objects.create(source_list=sl, person=masses, added_on=D(2025, 1, 5))
    Target.objects.create(
        org_unit=tree.other_cell,
        year=2026,
        value=3,
        document_number="1",
        document_date=D(2026, 1, 1),
    )
    Target.objects.create(
        org_unit=tree.cell, year=2026, value=2, document_number="1", document_date=D(2026, 1, 1)
    )
    before = _state()
    op = rs.merge(actor=None, units=[tree.other_cell], into=tree.cell, date=DAY, decision=DECISION)
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).valid_to == D(2025, 6, 30)
    assert _ids(members_on(tree.cell, DAY)) == {a.pk, b.pk}
    assert _ids(members_on(tree.other_cell, D(2025, 6, 30))) == {b.pk}  # the past stays
    assert not members_on(tree.other_cell, DAY).exists()
    assert Target.objects.get(org_unit=tree.cell, year=2026).value == 5
    # the old list stays with the old cell (its history); its open entry goes on the
    # successor's list of the same year as a copy
    assert SourceList.objects.get(pk=sl.pk).org_unit_id == tree.other_cell.pk
    copy = SourceEntry.objects.get(person=masses, source_list__org_unit=tree.cell)
    assert copy.carried_from.source_list_id == sl.pk
    assert copy.source_list.year == 2025
    masses.refresh_from_db()
    assert masses.org_unit_id == tree.cell.pk
    assert op.decision_label == "123-QĐ/TU, 20/06/2025, Ban Thường vụ Tỉnh ủy"
    assert undo_problem(op) is None
    rs.restructure_undo(actor=None, op=op)
    assert _state() == before


def test_merge_into_a_new_commune_created_for_it(tree: Any, personas: Any) -> None:
    before = _state()

    def run() -> Any:
        new = rs.create_unit(
            actor=None,
            code="X-MOI",
            name="Đảng bộ xã Mới",
            parent=tree.province,
            like=tree.grassroots,
            date=DAY,
        )
        return rs.merge(
            actor=None,
            units=[tree.grassroots],
            into=new,
            date=DAY,
            decision=DECISION,
            created=[new],
        )

    op = run()
    new = OrgUnit.objects.get(code="X-MOI")
    assert history.version_on(tree.cell, DAY).parent_id == new.pk
    assert ResidentialUnit.objects.get(code="A-X-T1").org_unit_id == new.pk
    rs.restructure_undo(actor=None, op=op)
    assert not OrgUnit.objects.filter(code="X-MOI").exists()
    assert _state() == before


def test_split_requires_every_record_assigned_then_undo(tree: Any) -> None:
    m = member(tree.cell, "Hoàng Thị Mai")
    v2 = ResidentialUnit.objects.create(
        code="A-X-T2", name="Thôn Bản Tàn", kind="village", org_unit=tree.grassroots
    )
    north = org_unit_create(
        actor=None,
        code="A-N",
        name="Đảng bộ xã Bắc",
        kind="grassroots_committee",
        parent=tree.district,
        valid_from=DAY,
    )
    south = org_unit_create(
        actor=None,
        code="A-S",
        name="Đảng bộ xã Nam",
        kind="grassroots_committee",
        parent=tree.district,
        valid_from=DAY,
    )
    before = _state()
    parts = [(north, [tree.cell]), (south, [tree.other_cell])]
    with pytest.raises(DomainError) as exc:
        rs.split(
            actor=None,
            unit=tree.grassroots,
            parts=parts,
            date=DAY,
            decision=DECISION,
            carry=Carry(villages_each={tree.village.pk: north}),
        )
    assert "Thôn Bản Tàn" in exc.value.message
    assert _state() == before
    op = rs.split(
        actor=None,
        unit=tree.grassroots,
        parts=parts,
        date=DAY,
        decision=DECISION,
        carry=Carry(villages_each={tree.village.pk: north, v2.pk: south}),
    )
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).valid_to == D(2025, 6, 30)
    assert _ids(members_on(north, DAY)) == {m.pk}
    assert ResidentialUnit.objects.get(pk=v2.pk).org_unit_id == south.pk
    rs.restructure_undo(actor=None, op=op)
    assert _state() == before


def test_dissolve_needs_a_cell_for_its_members(tree: Any) -> None:
    m = member(tree.other_cell, "Lý Văn Hùng")
    before = _state()
    with pytest.raises(DomainError) as exc:
        rs.dissolve(actor=None, unit=tree.other_cell, date=DAY, decision=DECISION)
    assert "Lý Văn Hùng" in exc.value.message
    with pytest.raises(DomainError):  # a committee is not a cell
        rs.dissolve(
            actor=None,
            unit=tree.other_cell,
            date=DAY,
            decision=DECISION,
            carry=Carry(members=tree.grassroots),
        )
    assert _state() == before
    op = rs.dissolve(
        actor=None,
        unit=tree.other_cell,
        date=DAY,
        decision=DECISION,
        carry=Carry(members=tree.cell),
    )
    assert _ids(members_on(tree.cell, DAY)) == {m.pk}
    ev = MembershipEvent.objects.get(person=m, kind="moved")
    assert ev.date == DAY and ev.decision_number == "123-QĐ/TU"
    rs.restructure_undo(actor=None, op=op)
    assert _state() == before


def test_move_and_rename_then_undo_in_order(tree: Any) -> None:
    before = _state()
    moved = rs.move(
        actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=DAY, decision=DECISION
    )
    renamed = rs.rename(
        actor=None,
        unit=tree.grassroots,
        new_name="Đảng bộ xã Xuân Mới",
        date=D(2025, 9, 1),
        decision=DECISION,
    )
    assert history.name_on(tree.grassroots, D(2025, 8, 1)) == "Đảng bộ xã Xuân"
    assert history.parent_on(tree.grassroots, D(2025, 8, 1)).pk == tree.sibling.pk
    # the move is not undone while the later rename builds on it
    problem = undo_problem(moved)
    assert problem and "01/09/2025" in problem
    with pytest.raises(DomainError):
        rs.restructure_undo(actor=None, op=moved)
    rs.restructure_undo(actor=None, op=renamed)
    rs.restructure_undo(actor=None, op=moved)
    assert _state() == before


def test_decision_number_is_required(tree: Any) -> None:
    with pytest.raises(DomainError) as exc:
        rs.rename(
            actor=None, unit=tree.cell, new_name="Chi bộ Mới", date=DAY, decision=Decision("")
        )
    assert exc.value.field == "decision_number"
    assert dt.date.today()  # nothing else to check: nothing was written
