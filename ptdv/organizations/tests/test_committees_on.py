"""The committees of a cell on a date: ``deciding_unit`` / ``grassroots_of`` /
``committees_of`` read the tree valid then, around a move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ptdv.organizations import selectors as sel
from ptdv.organizations import services

CUT = dt.date(2025, 7, 1)
EVE = CUT - dt.timedelta(days=1)


def _commune(tree: Any) -> Any:
    return services.org_unit_create(
        actor=None,
        code="C",
        name="Đảng bộ xã Xuân Mới",
        kind="commune",
        parent=tree.province,
        valid_from=CUT,
    )


def test_deciding_unit_around_a_move(tree: Any) -> None:
    commune = _commune(tree)
    services.org_unit_move(actor=None, unit=tree.grassroots, new_parent=commune, date=CUT)
    assert sel.deciding_unit(tree.cell, on=dt.date(2010, 1, 1)) == tree.district
    assert sel.deciding_unit(tree.cell, on=EVE) == tree.district
    assert sel.deciding_unit(tree.cell, on=CUT) == commune
    assert sel.deciding_unit(tree.cell) == commune  # today's tree
    assert sel.grassroots_of(tree.cell, on=EVE) == sel.grassroots_of(tree.cell, on=CUT)
    assert sel.grassroots_of(tree.cell, on=CUT) == tree.grassroots
    # the cell did not exist yet
    assert sel.committees_of(tree.cell, on=dt.date(1999, 1, 1)) == sel.Committees(None, None)


def test_an_authorised_grassroots_committee_decides_on_the_dates_it_is_one(tree: Any) -> None:
    commune = _commune(tree)
    services.org_unit_update(actor=None, unit=tree.grassroots, authorised_to_admit=True)
    services.org_unit_move(actor=None, unit=tree.grassroots, new_parent=commune, date=CUT)
    assert sel.deciding_unit(tree.cell, on=EVE) == tree.grassroots
    assert sel.deciding_unit(tree.cell, on=CUT) == tree.grassroots


def test_a_cell_moved_to_another_grassroots_committee(tree: Any) -> None:
    services.org_unit_move(actor=None, unit=tree.cell, new_parent=tree.sibling_grassroots, date=CUT)
    on_eve = sel.committees_of(tree.cell, on=EVE)
    on_cut = sel.committees_of(tree.cell, on=CUT)
    assert (on_eve.grassroots, on_eve.deciding) == (tree.grassroots, tree.district)
    assert (on_cut.grassroots, on_cut.deciding) == (tree.sibling_grassroots, tree.sibling)


def test_a_merge_into_a_new_grassroots_committee(tree: Any) -> None:
    new = services.org_unit_create(
        actor=None,
        code="A-XY",
        name="Đảng bộ xã Xuân Yên",
        kind="grassroots_committee",
        parent=tree.province,
        valid_from=CUT,
    )
    services.org_unit_merge(
        actor=None, units=[tree.grassroots, tree.sibling_grassroots], into=new, date=CUT
    )
    assert sel.committees_of(tree.sibling_cell, on=EVE) == sel.Committees(
        tree.sibling_grassroots, tree.sibling
    )
    assert sel.committees_of(tree.sibling_cell, on=CUT) == sel.Committees(new, tree.province)
