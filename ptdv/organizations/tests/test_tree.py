"""Tree queries over the materialized path, and the tree services with their audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.organizations import selectors as sel
from ptdv.organizations.models import OrgUnit, OrgUnitChange
from ptdv.organizations.services import (
    org_unit_close,
    org_unit_create,
    org_unit_move,
    org_unit_rename,
    org_unit_update,
)

D = dt.date


def codes(qs: Any) -> set[str]:
    return {u.code for u in qs}


def make_chain(parent: OrgUnit, depth: int) -> list[OrgUnit]:
    chain = []
    for i in range(depth):
        parent = org_unit_create(
            actor=None,
            code=f"{parent.code}.{i}",
            name=f"Đơn vị {i}",
            kind="sub_committee" if i < depth - 1 else "cell",
            parent=parent,
            valid_from=D(2000, 1, 1),
        )
        chain.append(parent)
    return chain


@pytest.mark.parametrize("depth", [1, 3, 8])
def test_subtree_is_one_query_at_any_depth(
    tree: Any, depth: int, django_assert_num_queries: Any
) -> None:
    chain = make_chain(tree.grassroots, depth)
    with django_assert_num_queries(1):
        found = codes(sel.subtree(tree.grassroots))
    assert found == {"A-X", "A-X-1", "A-X-2", *[u.code for u in chain]}
    assert chain[-1].depth == tree.grassroots.depth + depth


def test_subtree_of_district_excludes_sibling(tree: Any) -> None:
    assert codes(sel.subtree(tree.district)) == {"A", "A-X", "A-X-1", "A-X-2", "A-T"}
    assert codes(sel.grassroots_in(tree.district)) == {"A-X", "A-T"}
    assert codes(sel.grassroots_in(tree.province)) == {"A-X", "A-T", "B-Y"}


def test_subtree_on_a_date_skips_closed_units(tree: Any) -> None:
    org_unit_close(actor=None, unit=tree.other_cell, date=D(2020, 6, 30))
    assert "A-X-2" in codes(sel.subtree(tree.grassroots, on=D(2020, 6, 30)))
    assert "A-X-2" not in codes(sel.subtree(tree.grassroots, on=D(2020, 7, 1)))


def test_move_updates_descendants_paths_and_depths(tree: Any) -> None:
    deep = make_chain(tree.cell, 2)
    old_depth = deep[-1].depth
    org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.sibling, date=D(2021, 1, 1))
    for unit in OrgUnit.objects.filter(code__in=["A-X", "A-X-1", "A-X-2", deep[-1].code]):
        assert unit.path.startswith(tree.sibling.path)
    assert OrgUnit.objects.get(pk=deep[-1].pk).depth == old_depth  # same level, new branch
    assert codes(sel.subtree(tree.district)) == {"A", "A-T"}
    assert "A-X-1" in codes(sel.subtree(tree.sibling))
    change = OrgUnitChange.objects.get(org_unit=tree.grassroots, kind="moved")
    assert (change.old_parent, change.new_parent) == (tree.district, tree.sibling)


def test_move_changes_depth_when_level_changes(tree: Any) -> None:
    org_unit_move(actor=None, unit=tree.cell, new_parent=tree.district, date=D(2021, 1, 1))
    assert OrgUnit.objects.get(pk=tree.cell.pk).depth == tree.district.depth + 1


def test_move_under_itself_is_refused(tree: Any) -> None:
    with pytest.raises(DomainError) as exc:
        org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.cell, date=D(2021, 1, 1))
    assert exc.value.field == "new_parent"
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).path == tree.grassroots.path


@pytest.mark.parametrize(
    ("authorised", "expected"),
    [
        ({"A-X"}, "A-X"),  # grassroots committee authorised: it decides
        (set(), "A"),  # not authorised: the upper committee directly above
        ({"P"}, "A"),  # committees above the direct upper one never decide
    ],
)
def test_deciding_unit(tree: Any, authorised: set[str], expected: str) -> None:
    OrgUnit.objects.update(authorised_to_admit=False)
    OrgUnit.objects.filter(code__in=authorised).update(authorised_to_admit=True)
    cell = OrgUnit.objects.get(pk=tree.cell.pk)
    assert sel.deciding_unit(cell).code == expected


def test_deciding_unit_of_grassroots_cell(tree: Any) -> None:
    OrgUnit.objects.update(authorised_to_admit=False)
    assert sel.deciding_unit(OrgUnit.objects.get(pk=tree.grassroots_cell.pk)).code == "A"


def test_grassroots_of(tree: Any) -> None:
    assert sel.grassroots_of(tree.cell) == tree.grassroots
    assert sel.grassroots_of(tree.grassroots_cell) == tree.grassroots_cell
    assert sel.grassroots_of(tree.district) is None


def test_units_visible_to_personas(personas: Any, tree: Any) -> None:
    assert codes(sel.units_visible_to(personas.cell_secretary)) == {"A-X-1"}
    assert codes(sel.units_visible_to(personas.district_officer)) == codes(
        sel.subtree(tree.district)
    )
    assert codes(sel.units_visible_to(personas.sibling_officer)) == {"B", "B-Y", "B-Y-1"}


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()  # type: ignore[return-value]


def test_create_writes_one_audit_entry(personas: Any, tree: Any) -> None:
    before = AuditEntry.objects.count()
    unit = org_unit_create(
        actor=personas.district_officer,
        code="A-X-3",
        name="Chi bộ  thôn   Khuổi Đắng",
        kind="cell",
        parent=tree.grassroots,
        valid_from=D(2022, 1, 1),
    )
    assert unit.name == "Chi bộ thôn Khuổi Đắng"
    assert AuditEntry.objects.count() == before + 1
    e = last_entry()
    assert (e.action, e.actor, e.org_unit, e.target_id) == (
        "organizations.unit.created",
        personas.district_officer,
        unit,
        unit.pk,
    )


def test_create_refuses_duplicate_code_and_saves_nothing(tree: Any) -> None:
    n = OrgUnit.objects.count()
    with pytest.raises(DomainError) as exc:
        org_unit_create(actor=None, code="A-X-1", name="Trùng", kind="cell", parent=tree.grassroots)
    assert exc.value.field == "code"
    assert OrgUnit.objects.count() == n


def test_services_refuse_actor_without_orgs_edit(personas: Any, tree: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        org_unit_rename(actor=personas.viewer, unit=tree.cell, new_name="X", date=D(2022, 1, 1))
    with pytest.raises(PermissionDeniedError):
        org_unit_update(actor=personas.sibling_officer, unit=tree.cell, address="x")


def test_rename_update_close_audit(personas: Any, tree: Any) -> None:
    officer = personas.district_officer
    org_unit_rename(
        actor=officer, unit=tree.cell, new_name="Chi bộ thôn Nà Pậu mới", date=D(2022, 1, 1)
    )
    e = last_entry()
    assert e.action == "organizations.unit.renamed"
    assert e.data["name"] == {"old": "Chi bộ thôn Nà Pậu", "new": "Chi bộ thôn Nà Pậu mới"}
    org_unit_update(actor=officer, unit=tree.cell, address="Xuân", authorised_to_admit=False)
    e = last_entry()
    assert (e.action, e.data) == (
        "organizations.unit.updated",
        {"address": {"old": "", "new": "Xuân"}},
    )
    org_unit_close(actor=officer, unit=tree.other_cell, date=D(2022, 6, 30), merged_into=tree.cell)
    e = last_entry()
    assert e.action == "organizations.unit.merged"
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).successor == tree.cell


def test_close_refuses_unit_with_open_children(tree: Any) -> None:
    with pytest.raises(DomainError):
        org_unit_close(actor=None, unit=tree.grassroots, date=D(2022, 1, 1))
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).valid_to is None
