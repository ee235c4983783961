"""The tree as of a date: pure cutting of periods (tables) and the dated operations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.core.errors import DomainError
from ptdv.organizations import history
from ptdv.organizations import selectors as sel
from ptdv.organizations.history import Slice, cut_span
from ptdv.organizations.models import OrgUnit, OrgUnitLineage, OrgUnitVersion, Restructuring
from ptdv.organizations.services import (
    org_unit_close,
    org_unit_create,
    org_unit_merge,
    org_unit_move,
    org_unit_rename,
    org_unit_split,
    restructuring_undo,
    restructuring_undo_problem,
)
from ptdv.people.models import MembershipPeriod
from ptdv.people.selectors import members_as_of
from ptdv.people.services import membership_event_add, person_create

D = dt.date
A = Slice(D(2000, 1, 1), D(2025, 6, 30), "a.")
B = Slice(D(2025, 7, 1), None, "b.")


@pytest.mark.parametrize(
    ("start", "end", "slices", "expected"),
    [
        (
            D(2010, 1, 1),
            None,
            [A, B],
            [(D(2010, 1, 1), D(2025, 7, 1), "a."), (D(2025, 7, 1), None, "b.")],
        ),
        (D(2010, 1, 1), D(2020, 1, 1), [A, B], [(D(2010, 1, 1), D(2020, 1, 1), "a.")]),
        # ends the very day the new version starts: no empty piece
        (D(2010, 1, 1), D(2025, 7, 1), [A, B], [(D(2010, 1, 1), D(2025, 7, 1), "a.")]),
        (D(2025, 7, 1), None, [A, B], [(D(2025, 7, 1), None, "b.")]),
        (D(2026, 1, 1), D(2026, 2, 1), [A, B], [(D(2026, 1, 1), D(2026, 2, 1), "b.")]),
        # recorded before the unit's first version: the nearest version's path
        (D(1990, 1, 1), D(1995, 1, 1), [A, B], [(D(1990, 1, 1), D(1995, 1, 1), "a.")]),
        (D(2010, 1, 1), None, [], [(D(2010, 1, 1), None, "")]),
    ],
)
def test_cut_span(start: Any, end: Any, slices: Any, expected: Any) -> None:
    assert cut_span(start, end, slices) == expected


def member(unit: Any, name: str, admitted: dt.date) -> Any:
    p = person_create(
        actor=None,
        org_unit=unit,
        full_name=name,
        date_of_birth=D(1990, 1, 1),
        gender="female",
        ethnicity="01",
    )
    membership_event_add(
        actor=None, person=p, kind="admitted", date=admitted, org_unit=unit, audit=False
    )
    return p


def ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_move_keeps_the_past_and_changes_the_future(tree: Any) -> None:
    p = member(tree.cell, "Hoàng Thị Mai", D(2015, 3, 1))
    before = D(2020, 12, 31)
    assert ids(members_as_of(tree.district, before)) == {p.pk}
    org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=D(2021, 1, 1))
    # the past: unchanged
    assert ids(members_as_of(tree.district, before)) == {p.pk}
    assert ids(members_as_of(tree.sibling, before)) == set()
    # from the effective date: the new parent
    after = D(2021, 1, 1)
    assert ids(members_as_of(tree.district, after)) == set()
    assert ids(members_as_of(tree.sibling, after)) == {p.pk}
    # the cell itself and the grassroots committee hold the member on both sides
    assert ids(members_as_of(tree.cell, before)) == ids(members_as_of(tree.cell, after)) == {p.pk}
    assert ids(members_as_of(tree.grassroots, before)) == {p.pk}
    # periods were cut at the move, each with the path of its time
    rows = list(MembershipPeriod.objects.filter(person=p).order_by("start"))
    assert [(r.start, r.end) for r in rows] == [(D(2015, 3, 1), after), (after, None)]
    assert rows[0].path.startswith(tree.district.path)
    assert rows[1].path.startswith(tree.sibling.path)
    # the tree as of each date
    assert "A-X-1" in {u.code for u in sel.subtree(tree.district, on=before)}
    assert "A-X-1" not in {u.code for u in sel.subtree(tree.district, on=after)}
    assert "A-X-1" in {u.code for u in sel.subtree(tree.sibling, on=after)}
    assert [u.code for u in history.ancestors_on(tree.cell, before)] == ["P", "A", "A-X", "A-X-1"]
    assert [u.code for u in history.ancestors_on(tree.cell, after)] == ["P", "B", "A-X", "A-X-1"]


def test_rename_is_dated(tree: Any) -> None:
    org_unit_rename(actor=None, unit=tree.cell, new_name="Chi bộ thôn Mới", date=D(2025, 7, 1))
    assert history.name_on(tree.cell, D(2025, 6, 30)) == tree.cell.name
    assert history.name_on(tree.cell, D(2025, 7, 1)) == "Chi bộ thôn Mới"
    assert OrgUnit.objects.get(pk=tree.cell.pk).name == "Chi bộ thôn Mới"


def test_a_change_before_a_later_change_is_refused(tree: Any) -> None:
    org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=D(2022, 1, 1))
    n = OrgUnitVersion.objects.count()
    with pytest.raises(DomainError) as exc:
        org_unit_rename(actor=None, unit=tree.cell, new_name="X", date=D(2021, 1, 1))
    assert "theo thứ tự ngày" in str(exc.value.message)
    assert OrgUnitVersion.objects.count() == n


def test_change_outside_validity_is_refused(tree: Any) -> None:
    with pytest.raises(DomainError) as exc:
        org_unit_rename(actor=None, unit=tree.cell, new_name="X", date=D(1990, 1, 1))
    assert exc.value.field == "date"


def test_merge_moves_children_and_keeps_history(tree: Any) -> None:
    p = member(tree.cell, "Lý Văn Bình", D(2012, 5, 19))
    day = D(2025, 7, 1)
    commune = org_unit_create(
        actor=None,
        code="XA-MOI",
        name="Đảng bộ xã Mới",
        kind="grassroots_committee",
        parent=tree.province,
        valid_from=day,
    )
    org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=tree.province, date=day)
    op = org_unit_merge(actor=None, units=[tree.grassroots], into=commune, date=day)
    g = OrgUnit.objects.get(pk=tree.grassroots.pk)
    assert g.valid_to == D(2025, 6, 30) and g.successor_id == commune.pk
    assert OrgUnitLineage.objects.filter(predecessor=g, successor=commune).exists()
    assert ids(members_as_of(tree.grassroots, D(2025, 6, 30))) == {p.pk}
    assert ids(members_as_of(commune, D(2025, 6, 30))) == set()
    assert ids(members_as_of(commune, day)) == {p.pk}
    assert ids(members_as_of(tree.district, D(2025, 6, 30))) == {p.pk}
    # restated: the new commune answers for its predecessor's history
    restated = history.paths_of(commune, restated=True)
    assert any(tree.grassroots.path.startswith(x) or x == tree.grassroots.path for x in restated)
    # undo puts everything back
    assert restructuring_undo_problem(op) is None
    restructuring_undo(actor=None, op=op)
    g.refresh_from_db()
    assert g.valid_to is None and g.successor_id is None
    assert ids(members_as_of(commune, day)) == set()
    assert ids(members_as_of(tree.grassroots, day)) == {p.pk}
    assert MembershipPeriod.objects.filter(person=p).count() == 1


def test_close_with_members_left_is_refused(tree: Any) -> None:
    member(tree.other_cell, "Đinh Thị Hoa", D(2018, 1, 1))
    with pytest.raises(DomainError) as exc:
        org_unit_close(actor=None, unit=tree.other_cell, date=D(2025, 6, 30))
    assert "đảng viên" in str(exc.value.message)
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).valid_to is None


def test_close_the_day_before_children_move_away(tree: Any) -> None:
    day = D(2025, 7, 1)
    org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.province, date=day)
    org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=tree.province, date=day)
    org_unit_close(actor=None, unit=tree.district, date=D(2025, 6, 30))
    assert {u.code for u in sel.subtree(tree.district, on=D(2025, 6, 30))} >= {"A", "A-X", "A-T"}
    assert {u.code for u in sel.subtree(tree.province, on=day)} >= {"A-X", "A-T"}
    assert "A" not in {u.code for u in sel.subtree(tree.province, on=day)}


def test_split_needs_every_child_assigned(tree: Any) -> None:
    day = D(2024, 1, 1)
    mk = {
        code: org_unit_create(
            actor=None,
            code=code,
            name=name,
            kind="grassroots_committee",
            parent=tree.district,
            valid_from=day,
        )
        for code, name in (("S1", "Đảng bộ Một"), ("S2", "Đảng bộ Hai"))
    }
    before = OrgUnitVersion.objects.count()
    with pytest.raises(DomainError) as exc:
        org_unit_split(
            actor=None,
            unit=tree.grassroots,
            parts=[(mk["S1"], [tree.cell]), (mk["S2"], [])],
            date=day,
        )
    assert "Chi bộ Trường Tiểu học" in str(exc.value.message)
    assert OrgUnitVersion.objects.count() == before
    op = org_unit_split(
        actor=None,
        unit=tree.grassroots,
        parts=[(mk["S1"], [tree.cell]), (mk["S2"], [tree.other_cell])],
        date=day,
    )
    assert set(history.successors(tree.grassroots)) == {mk["S1"].pk, mk["S2"].pk}
    assert OrgUnit.objects.get(pk=tree.cell.pk).parent_id == mk["S1"].pk
    assert op.kind == Restructuring.Kind.SPLIT


def test_undo_refused_while_a_later_change_depends(tree: Any) -> None:
    op1 = Restructuring.objects.get(
        pk=org_unit_move(
            actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=D(2021, 1, 1)
        )
        .versions.order_by("-valid_from")
        .first()
        .restructuring_id
    )
    org_unit_rename(
        actor=None, unit=tree.grassroots, new_name="Đảng bộ xã Yên Mới", date=D(2022, 1, 1)
    )
    assert restructuring_undo_problem(op1)
    with pytest.raises(DomainError):
        restructuring_undo(actor=None, op=op1)
