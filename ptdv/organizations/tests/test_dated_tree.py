"""The tree as of a date on /orgs/: the tree valid then, one level at a time, scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ptdv.organizations import services
from ptdv.people.tests.conftest import make_member

D = dt.date(2025, 7, 1)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def restructured(tree: Any) -> Any:
    """From 01/07/2025 district A is gone: its grassroots organizations sit directly under
    the province, and A-X has a new name."""
    services.org_unit_move(actor=None, unit=tree.grassroots, new_parent=tree.province, date=D)
    services.org_unit_move(actor=None, unit=tree.grassroots_cell, new_parent=tree.province, date=D)
    services.org_unit_rename(
        actor=None, unit=tree.grassroots, new_name="Đảng bộ xã Xuân Mới", date=D
    )
    services.org_unit_close(actor=None, unit=tree.district, date=D - dt.timedelta(days=1))
    return tree


@pytest.fixture
def province_officer(tree: Any) -> Any:
    from django.contrib.auth import get_user_model

    from ptdv.access.models import Position, Role

    u = get_user_model().objects.create_user(username="tinh", password="x")  # noqa: S106
    Position.objects.create(user=u, org_unit=tree.province, role=Role.ORG_BOARD)
    return u


def _codes(nodes: list[Any]) -> dict[str, list[str]]:
    return {n.unit.code: sorted(c.unit.code for c in n.children) for n in nodes}


def test_tree_before_and_after_the_change(restructured: Any, province_officer: Any) -> None:
    tree = restructured
    make_member(tree.cell, "Lò Văn Một", admitted=dt.date(2010, 1, 1))
    c = client_for(province_officer)
    before = c.get(reverse("organizations:tree"), {"as_of": "2025-06-30"})
    assert before.status_code == 200
    assert _codes(before.context["roots"]) == {"P": ["A", "B"]}
    district = before.context["roots"][0].children[0]
    assert (district.unit.code, district.total) == ("A", 1)
    assert district.unit.valid_to == dt.date(2025, 6, 30)
    html = before.content.decode()
    assert "Đảng bộ huyện An" in html and "Đảng bộ xã Xuân Mới" not in html
    after = c.get(reverse("organizations:tree"), {"as_of": "2025-07-01"})
    assert _codes(after.context["roots"]) == {"P": ["A-T", "A-X", "B"]}
    html = after.content.decode()
    assert "Đảng bộ huyện An" not in html and "Đảng bộ xã Xuân Mới" in html
    # today by default
    assert _codes(c.get(reverse("organizations:tree")).context["roots"]) == {
        "P": ["A-T", "A-X", "B"]
    }


def test_children_endpoint_gives_the_branch_of_that_date(
    restructured: Any, province_officer: Any
) -> None:
    tree = restructured
    c = client_for(province_officer)
    url = reverse("organizations:children", args=[tree.district.uid])
    r = c.get(url, {"as_of": "2025-06-30"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert [n.unit.code for n in r.context["nodes"]] == ["A-X", "A-T"]
    body = r.content.decode()
    assert "<html" not in body  # a fragment for the open branch
    assert "Đảng bộ xã Xuân<" in body
    assert "?as_of=2025-06-30" in body  # the next level keeps the date
    # the closed district has no branch on a date after its last day
    assert c.get(url, {"as_of": "2025-07-01"}).status_code == 404
    # without JavaScript the same link is a page of its own
    page = c.get(
        reverse("organizations:children", args=[tree.grassroots.uid]), {"as_of": "2025-07-01"}
    )
    assert "<html" in page.content.decode()
    assert "Chi bộ thôn Nà Pậu" in page.content.decode()


def test_scope_on_a_date(restructured: Any, personas: Any) -> None:
    tree = restructured
    sibling = client_for(personas.sibling_officer)
    r = sibling.get(reverse("organizations:tree"), {"as_of": "2025-06-30"})
    assert _codes(r.context["roots"]) == {"B": ["B-Y"]}
    for day in ("2025-06-30", "2025-07-01"):
        url = reverse("organizations:children", args=[tree.grassroots.uid])
        assert sibling.get(url, {"as_of": day}).status_code == 404
    cell = client_for(personas.cell_secretary)
    r = cell.get(reverse("organizations:tree"), {"as_of": "2020-01-01"})
    assert _codes(r.context["roots"]) == {"A-X-1": []}
    assert "Đảng bộ xã Xuân" not in r.content.decode()
    # before the cell existed there is nothing to see
    r = cell.get(reverse("organizations:tree"), {"as_of": "1999-01-01"})
    assert r.context["roots"] == []


@pytest.mark.parametrize("bad", ["2025-13-01", "hôm qua", "31/02/2025"])
def test_bad_date(restructured: Any, province_officer: Any, bad: str) -> None:
    c = client_for(province_officer)
    r = c.get(reverse("organizations:tree"), {"as_of": bad})
    assert r.status_code == 400
    assert "ngày/tháng/năm" in r.content.decode()  # the Vietnamese message, dd/mm/yyyy
    r = c.get(reverse("organizations:children", args=[restructured.province.uid]), {"as_of": bad})
    assert r.status_code == 400
    assert "ngày/tháng/năm" in r.content.decode()  # the Vietnamese message, dd/mm/yyyy


def test_search_uses_the_names_of_that_date(restructured: Any, province_officer: Any) -> None:
    c = client_for(province_officer)
    old = c.get(reverse("organizations:tree"), {"as_of": "2025-06-30", "q": "xuan moi"})
    assert old.context["matches"] == []
    new = c.get(reverse("organizations:tree"), {"as_of": "2025-07-01", "q": "xuan moi"})
    assert [m.unit.code for m in new.context["matches"]] == ["A-X"]


def test_unit_page_shows_direct_children_only(tree: Any, personas: Any) -> None:
    make_member(tree.cell, "Lò Văn Một", admitted=dt.date(2010, 1, 1))
    c = client_for(personas.district_officer)
    r = c.get(reverse("organizations:detail", args=[tree.district.uid]))
    assert [n.unit.code for n in r.context["children"]] == ["A-X", "A-T"]
    assert (r.context["node"].total, r.context["children"][0].total) == (1, 1)
    html = r.content.decode()
    assert "Đảng bộ xã Xuân" in html
    tree_part = html.split('id="org-children"')[1].split("</section>")[0]
    assert "Chi bộ thôn Nà Pậu" not in tree_part  # loads when its branch opens
    assert reverse("organizations:children", args=[tree.grassroots.uid]) in html


def test_a_committee_sees_the_history_of_the_units_it_continues(tree: Any) -> None:
    """The officer of a commune formed on 01/07/2025 from A-X and B-Y sees them (and their
    cells) on the dates they were valid, and may open their pages — not other units."""
    from django.contrib.auth import get_user_model

    from ptdv.access.models import Position, Role

    new = services.org_unit_create(
        actor=None, code="XY", name="Đảng bộ xã Xuân Yên", kind="commune",
        parent=tree.province, valid_from=D,
    )  # fmt: skip
    services.org_unit_merge(
        actor=None, units=[tree.grassroots, tree.sibling_grassroots], into=new, date=D
    )
    u = get_user_model().objects.create_user("xa.moi", password="x")  # noqa: S106
    Position.objects.create(user=u, org_unit=new, role=Role.ORG_BOARD, term_start=D)
    c = client_for(u)
    before = c.get(reverse("organizations:tree"), {"as_of": "2025-06-30"})
    assert _codes(before.context["roots"]) == {"A-X": ["A-X-1", "A-X-2"], "B-Y": ["B-Y-1"]}
    after = c.get(reverse("organizations:tree"), {"as_of": "2025-07-01"})
    assert _codes(after.context["roots"]) == {"XY": ["A-X-1", "A-X-2", "B-Y-1"]}
    page = c.get(reverse("organizations:detail", args=[tree.grassroots.uid]))
    assert page.status_code == 200
    assert not page.context["can_edit"]
    assert [r.visible for r in page.context["successors"]] == [True]
    new_page = c.get(reverse("organizations:detail", args=[new.uid]))
    assert [(r.unit.code, r.visible) for r in new_page.context["predecessors"]] == [
        ("A-X", True),
        ("B-Y", True),
    ]
    # the districts above them were never continued by the commune
    assert c.get(reverse("organizations:detail", args=[tree.district.uid])).status_code == 404
    assert c.get(reverse("organizations:detail", args=[tree.grassroots_cell.uid])).status_code == (
        404
    )
