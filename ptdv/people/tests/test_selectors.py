"""Registry reads: scoping, search without diacritics, Vietnamese order, members as of."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from ptdv.people.selectors import (
    PersonFilters,
    member_counts_as_of,
    member_counts_by_unit,
    members_as_of,
    person_get_for,
    person_list_for,
)
from ptdv.people.services import membership_event_add
from ptdv.people.tests.conftest import make_member, make_person

D = dt.date


def names(qs: Any) -> list[str]:
    return [p.full_name for p in qs]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("cell_secretary", ["Nguyễn Văn Ánh"]),
        ("district_officer", ["Nguyễn Văn Ánh", "Hoàng Thị Đào"]),
        ("viewer", ["Nguyễn Văn Ánh", "Hoàng Thị Đào"]),
        ("centre_staff", ["Nguyễn Văn Ánh", "Hoàng Thị Đào"]),
        ("sibling_officer", ["Nguyễn Văn Bình"]),
    ],
)
def test_list_is_scoped(personas: Any, registry: Any, persona: str, expected: list[str]) -> None:
    user = personas.all()[persona]
    assert sorted(names(person_list_for(user=user))) == sorted(expected)


def test_get_outside_scope_is_404(personas: Any, registry: Any) -> None:
    with pytest.raises(Http404):
        person_get_for(user=personas.cell_secretary, uid=registry.masses.uid)
    with pytest.raises(Http404):
        person_get_for(user=personas.sibling_officer, uid=registry.member.uid)
    assert person_get_for(user=personas.district_officer, uid=registry.member.uid)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nguyen van anh", ["Nguyễn Văn Ánh"]),
        ("NGUYEN  anh", ["Nguyễn Văn Ánh"]),
        ("Nguyễn Văn", ["Nguyễn Văn Ánh"]),
        ("dao", ["Hoàng Thị Đào"]),
        ("006090001234", ["Nguyễn Văn Ánh"]),
        ("binh", []),  # another district
    ],
)
def test_search_without_diacritics(
    personas: Any, registry: Any, q: str, expected: list[str]
) -> None:
    found = person_list_for(user=personas.district_officer, filters=PersonFilters(q=q))
    assert names(found) == expected


def test_filters(personas: Any, registry: Any, tree: Any) -> None:
    u = personas.district_officer
    assert names(person_list_for(user=u, filters=PersonFilters(status="member"))) == [
        "Nguyễn Văn Ánh"
    ]
    assert names(person_list_for(user=u, filters=PersonFilters(gender="female"))) == [
        "Hoàng Thị Đào"
    ]
    assert names(person_list_for(user=u, filters=PersonFilters(org_unit=tree.other_cell))) == [
        "Hoàng Thị Đào"
    ]
    assert names(person_list_for(user=u, filters=PersonFilters(ethnicity="09"))) == []


def test_vietnamese_order_by_given_name(personas: Any, tree: Any) -> None:
    for name in ["Nguyễn Văn Ánh", "Trần An", "Lê Thị Ấn", "Đặng Văn Bình", "Hà Văn An"]:
        make_person(tree.cell, name)
    assert names(person_list_for(user=personas.district_officer)) == [
        "Trần An",  # given name, then middle names, then family name
        "Hà Văn An",
        "Nguyễn Văn Ánh",
        "Lê Thị Ấn",
        "Đặng Văn Bình",
    ]


def test_members_as_of_counts_people_who_left_later(tree: Any) -> None:
    moved_out = make_member(tree.cell, "Lương Văn Một", admitted=D(2018, 1, 1))
    membership_event_add(actor=None, person=moved_out, kind="transferred_out", date=D(2023, 3, 1))
    removed = make_member(tree.cell, "Lương Văn Hai", admitted=D(2018, 1, 1))
    membership_event_add(actor=None, person=removed, kind="removed", date=D(2023, 1, 1))
    late = make_member(tree.cell, "Lương Văn Ba", admitted=D(2023, 1, 1))
    moved = make_member(tree.other_cell, "Lương Văn Bốn", admitted=D(2018, 1, 1))
    membership_event_add(
        actor=None, person=moved, kind="moved", date=D(2023, 1, 1), org_unit=tree.sibling_cell
    )
    end_2022 = set(members_as_of(tree.district, D(2022, 12, 31)))
    assert end_2022 == {moved_out, removed, moved}
    assert late not in end_2022
    assert set(members_as_of(tree.district, D(2023, 6, 1))) == {late}
    assert set(members_as_of(tree.sibling, D(2023, 6, 1))) == {moved}
    assert member_counts_as_of(tree.district, D(2022, 12, 31)) == {"probationary": 3}


def test_member_counts_by_unit_is_one_query(
    personas: Any, registry: Any, tree: Any, django_assert_num_queries: Any
) -> None:
    make_member(tree.cell, "Lò Văn Năm")
    user = personas.district_officer
    user.is_authenticated  # noqa: B018
    from ptdv.access.permissions import active_positions

    active_positions(user)
    with django_assert_num_queries(1):
        counts = member_counts_by_unit(user)
    assert counts == {tree.cell.pk: 2}


def test_member_totals_on_is_one_query_and_agrees_with_member_counts(
    registry: Any, tree: Any, django_assert_num_queries: Any
) -> None:
    """The dated tree's totals: every node of every depth in one query, each equal to the
    one definition of "members of the subtree on that day"."""
    from ptdv.organizations import history
    from ptdv.people.selectors import member_totals_on

    make_member(tree.grassroots_cell, "Lò Văn Sáu", admitted=D(2019, 1, 1))
    left = make_member(tree.other_cell, "Lò Văn Bảy", admitted=D(2018, 1, 1))
    membership_event_add(actor=None, person=left, kind="removed", date=D(2024, 1, 1))
    units = [tree.province, tree.district, tree.sibling, tree.grassroots, tree.cell]
    units += [tree.other_cell, tree.grassroots_cell, tree.sibling_cell]
    for day in (D(2023, 6, 1), D(2025, 6, 1)):
        paths = {u.pk: history.path_on(u, day) for u in units}
        assert len({len(p) for p in paths.values()}) >= 3  # several depths
        with django_assert_num_queries(1):
            totals = member_totals_on(list(paths.values()), day)
        for u in units:
            expected = sum(member_counts_as_of(u, day).values())
            assert totals.get(paths[u.pk], 0) == expected, u.code
    assert member_totals_on([], D(2025, 6, 1)) == {}
