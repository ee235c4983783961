"""Positions end with their unit: closing, merging or splitting a unit ends the positions
still open at it on its last day; undoing the change gives them back their term."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from ptdv.access.models import Position, Role
from ptdv.access.permissions import active_positions
from ptdv.audit.models import AuditEntry
from ptdv.organizations import services as orgs
from ptdv.organizations.models import Restructuring

CUT = dt.date(2025, 7, 1)
LAST = CUT - dt.timedelta(days=1)


def _position(unit: Any, username: str, **kw: Any) -> Position:
    user = get_user_model().objects.create_user(username, password="x")  # noqa: S106
    return Position.objects.create(user=user, org_unit=unit, role=Role.COMMITTEE, **kw)


def _end(p: Position) -> dt.date | None:
    return Position.objects.get(pk=p.pk).term_end


def test_merge_ends_the_positions_of_the_merged_unit_and_undo_restores(tree: Any) -> None:
    open_ = _position(tree.grassroots, "bithu.xa", term_start=dt.date(2020, 10, 1))
    later_end = _position(
        tree.grassroots, "phobithu", term_start=dt.date(2020, 10, 1), term_end=dt.date(2025, 10, 1)
    )
    ended_before = _position(
        tree.grassroots, "cu", term_start=dt.date(2015, 1, 1), term_end=dt.date(2020, 9, 30)
    )
    cell = _position(tree.cell, "bithu.thon", term_start=dt.date(2020, 10, 1))
    new = orgs.org_unit_create(
        actor=None,
        code="A-XY",
        name="Đảng bộ xã Xuân Yên",
        kind="grassroots_committee",
        parent=tree.district,
        valid_from=CUT,
    )
    op = orgs.org_unit_merge(actor=None, units=[tree.grassroots], into=new, date=CUT)
    assert _end(open_) == LAST
    assert _end(later_end) == LAST
    assert _end(ended_before) == dt.date(2020, 9, 30)  # already over: untouched
    assert _end(cell) is None  # the cell moved, it did not end
    assert active_positions(open_.user, on=LAST) and not active_positions(open_.user, on=CUT)
    assert AuditEntry.objects.filter(action="access.position.ended_with_unit").count() == 2
    orgs.restructuring_undo(actor=None, op=Restructuring.objects.get(pk=op.pk))
    assert _end(open_) is None
    assert _end(later_end) == dt.date(2025, 10, 1)
    assert _end(ended_before) == dt.date(2020, 9, 30)
    assert AuditEntry.objects.filter(action="access.position.restored").count() == 2


def test_dissolving_and_splitting_end_positions(tree: Any) -> None:
    officer = Position.objects.create(
        user=get_user_model().objects.create_user("bantochuc.huyen"),
        org_unit=tree.district,
        role=Role.ORG_BOARD,
    )
    north = orgs.org_unit_create(
        actor=None, code="N", name="Đảng bộ xã Bắc", kind="commune", parent=tree.province,
        valid_from=CUT,
    )  # fmt: skip
    south = orgs.org_unit_create(
        actor=None, code="S", name="Đảng bộ xã Nam", kind="commune", parent=tree.province,
        valid_from=CUT,
    )  # fmt: skip
    op = orgs.org_unit_split(
        actor=None,
        unit=tree.district,
        parts=[(north, [tree.grassroots]), (south, [tree.grassroots_cell])],
        date=CUT,
    )
    assert _end(officer) == LAST
    orgs.restructuring_undo(actor=None, op=Restructuring.objects.get(pk=op.pk))
    assert _end(officer) is None
    # a dissolution (its subordinate organizations moved away first)
    secretary = _position(tree.other_cell, "bithu.truong", term_start=dt.date(2021, 1, 1))
    orgs.org_unit_close(actor=None, unit=tree.other_cell, date=LAST)
    assert _end(secretary) == LAST


def test_a_position_starting_after_the_end_is_left_alone(tree: Any) -> None:
    future = _position(tree.other_cell, "moi", term_start=dt.date(2025, 8, 1))
    orgs.org_unit_close(actor=None, unit=tree.other_cell, date=LAST)
    assert _end(future) is None
