"""Organization pages, every permission-sensitive view tried by every persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ptdv.audit.models import AuditEntry
from ptdv.organizations.models import OrgUnit, OrgUnitChange
from ptdv.people.tests.conftest import make_member

PERSONAS = ["cell_secretary", "district_officer", "sibling_officer", "viewer", "centre_staff"]


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("persona", PERSONAS)
def test_tree_shows_only_own_subtrees(personas: Any, tree: Any, persona: str) -> None:
    c = client_for(personas.all()[persona])
    html = c.get(reverse("organizations:tree")).content.decode()
    assert ("Đảng bộ huyện Bình" in html) is (persona == "sibling_officer")
    assert ("Đảng bộ xã Xuân" in html) is (persona not in {"sibling_officer", "cell_secretary"})
    assert ("Chi bộ thôn Nà Pậu" in html) is (persona == "cell_secretary")
    # the cells of A-X load with its branch, for those who see it
    r = c.get(reverse("organizations:children", args=[tree.grassroots.uid]))
    if persona in {"sibling_officer", "cell_secretary"}:
        assert r.status_code == 404
    else:
        assert "Chi bộ thôn Nà Pậu" in r.content.decode()
        assert "Chi bộ Trường Tiểu học" in r.content.decode()


def test_tree_counts_and_search(personas: Any, tree: Any) -> None:
    for i in range(3):
        make_member(tree.cell, f"Lò Văn {i}")
    make_member(tree.grassroots_cell, "Lò Văn Mười")
    r = client_for(personas.district_officer).get(reverse("organizations:tree"), {"q": "na pau"})
    root = r.context["roots"][0]
    assert (root.unit.code, root.total) == ("A", 4)
    assert {c.unit.code: c.total for c in root.children} == {"A-X": 3, "A-T": 1}
    assert [m.unit.code for m in r.context["matches"]] == ["A-X-1"]
    assert r.context["matches"][0].total == 3
    assert "Chi bộ thôn Nà Pậu" in r.content.decode()


def test_tree_query_count_does_not_grow_with_units(
    personas: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    from ptdv.organizations.services import org_unit_create

    for i in range(30):
        unit = org_unit_create(
            actor=None, code=f"A-X-C{i}", name=f"Chi bộ {i}", kind="cell", parent=tree.grassroots
        )
        make_member(unit, f"Lò Văn {i}")
    c = client_for(personas.district_officer)
    with django_assert_max_num_queries(12):  # fixed: account check, predecessors
        r = c.get(reverse("organizations:tree"))
    assert r.context["roots"][0].total == 30
    # the 30 cells are not on the page: they load with their branch
    assert "Chi bộ 7" not in r.content.decode()
    with django_assert_max_num_queries(12):
        r = c.get(reverse("organizations:children", args=[tree.grassroots.uid]))
    assert "Chi bộ 7" in r.content.decode()


DETAIL = {  # tree.grassroots
    "cell_secretary": 404,
    "district_officer": 200,
    "sibling_officer": 404,
    "viewer": 200,
    "centre_staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_org_detail(personas: Any, tree: Any, persona: str) -> None:
    make_member(tree.cell, "Lò Văn Một")
    r = client_for(personas.all()[persona]).get(
        reverse("organizations:detail", args=[tree.grassroots.uid])
    )
    assert r.status_code == DETAIL[persona]
    if r.status_code == 200:
        html = r.content.decode()
        assert "Lò Văn Một" in html  # member of a cell below
        assert "Thôn Nà Pậu" in html  # residential unit with its own cell
        assert "Chi bộ thôn Nà Pậu" in html
        assert ("Đổi tên" in html) is (persona == "district_officer")


def test_cell_secretary_sees_own_cell(personas: Any, tree: Any) -> None:
    r = client_for(personas.cell_secretary).get(
        reverse("organizations:detail", args=[tree.cell.uid])
    )
    assert r.status_code == 200
    assert "Đảng bộ xã Xuân" not in " ".join(a.name for a in r.context["breadcrumb"])


RENAME = {  # tree.cell
    "cell_secretary": 403,
    "district_officer": 302,
    "sibling_officer": 404,
    "viewer": 403,
    "centre_staff": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_rename(personas: Any, tree: Any, persona: str) -> None:
    url = reverse("organizations:rename", args=[tree.cell.uid])
    r = client_for(personas.all()[persona]).post(
        url, {"new_name": "Chi bộ thôn Nà Pậu 2", "date": "01/01/2023", "decision": "12-QĐ/HU"}
    )
    assert r.status_code == RENAME[persona]
    renamed = OrgUnit.objects.get(pk=tree.cell.pk).name == "Chi bộ thôn Nà Pậu 2"
    assert renamed is (RENAME[persona] == 302)
    if renamed:
        assert OrgUnitChange.objects.filter(org_unit=tree.cell, kind="renamed").exists()
        page = client_for(personas.district_officer).get(
            reverse("organizations:detail", args=[tree.cell.uid])
        )
        assert "Chi bộ thôn Nà Pậu → Chi bộ thôn Nà Pậu 2" in page.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_child_create(personas: Any, tree: Any, persona: str) -> None:
    url = reverse("organizations:child_create", args=[tree.grassroots.uid])
    data = {
        "code": "A-X-9",
        "name": "Chi bộ thôn Mới",
        "kind": "cell",
        "sector": "residential",
        "valid_from": "01/01/2023",
    }
    r = client_for(personas.all()[persona]).post(url, data)
    expected = {"district_officer": 302, "viewer": 403, "centre_staff": 403}.get(persona, 404)
    assert r.status_code == expected
    assert OrgUnit.objects.filter(code="A-X-9").exists() is (expected == 302)


def test_child_create_duplicate_code_message_on_field(personas: Any, tree: Any) -> None:
    url = reverse("organizations:child_create", args=[tree.grassroots.uid])
    data = {
        "code": "A-X-1",
        "name": "Trùng",
        "kind": "cell",
        "sector": "other",
        "valid_from": "01/01/2023",
    }
    r = client_for(personas.district_officer).post(url, data)
    assert r.status_code == 200
    assert "đã được dùng" in " ".join(r.context["form"].errors["code"])


def test_move_form_and_refusal(personas: Any, tree: Any) -> None:
    c = client_for(personas.district_officer)
    url = reverse("organizations:move", args=[tree.other_cell.uid])
    r = c.post(url, {"new_parent": str(tree.grassroots_cell.uid), "date": "01/01/2023"})
    assert r.status_code == 302
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).parent == tree.grassroots_cell
    # the sibling district is not offered: not in the officer's editable subtree
    r = c.post(url, {"new_parent": str(tree.sibling.uid), "date": "01/01/2023"})
    assert r.status_code == 200 and "new_parent" in r.context["form"].errors


def test_close_and_edit(personas: Any, tree: Any) -> None:
    c = client_for(personas.district_officer)
    r = c.post(reverse("organizations:close", args=[tree.grassroots.uid]), {"date": "01/01/2023"})
    assert r.status_code == 200
    assert "Cần giải thể" in " ".join(r.context["form"].errors["date"])
    r = c.post(
        reverse("organizations:close", args=[tree.other_cell.uid]),
        {"date": "01/01/2023", "merged_into": str(tree.cell.uid)},
    )
    assert r.status_code == 302
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).successor == tree.cell
    r = c.post(
        reverse("organizations:edit", args=[tree.cell.uid]),
        {"sector": "residential", "address": "Xã Xuân", "mountainous": "on"},
    )
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="organizations.unit.updated").count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_audit_list_is_scoped(personas: Any, tree: Any, persona: str) -> None:
    from ptdv.organizations.services import org_unit_rename

    org_unit_rename(
        actor=None, unit=tree.cell, new_name="Chi bộ A đổi tên", date=tree.cell.valid_from
    )
    org_unit_rename(
        actor=None, unit=tree.sibling_cell, new_name="Chi bộ B đổi tên", date=tree.cell.valid_from
    )
    r = client_for(personas.all()[persona]).get(reverse("audit:list"))
    if persona == "centre_staff":
        assert r.status_code == 403
        return
    html = r.content.decode()
    assert ("Chi bộ A đổi tên" in html) is (persona != "sibling_officer")
    assert ("Chi bộ B đổi tên" in html) is (persona == "sibling_officer")


def test_org_detail_query_count_does_not_grow(
    personas: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    from ptdv.organizations.services import org_unit_create, residential_unit_create

    for i in range(15):
        unit = org_unit_create(
            actor=None, code=f"A-X-D{i}", name=f"Chi bộ {i}", kind="cell", parent=tree.grassroots
        )
        residential_unit_create(
            actor=None,
            code=f"V{i}",
            name=f"Thôn {i}",
            kind="village",
            org_unit=tree.grassroots,
            own_cell=unit if i % 2 else None,
        )
        make_member(unit, f"Lò Văn {i}")
    c = client_for(personas.district_officer)
    # constant: 16 + 3 of the people panel (transfers in transit, temporary hosts,
    # exempted), the account check, lineage and versions, the dated children and totals
    with django_assert_max_num_queries(23):
        r = c.get(reverse("organizations:detail", args=[tree.grassroots.uid]))
    assert r.status_code == 200 and r.context["node"].total == 15
