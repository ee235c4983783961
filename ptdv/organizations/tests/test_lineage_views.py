"""A unit's page: its lineage with the decisions and its versions; the merge and split
forms calling the dated services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from ptdv.organizations import history, services
from ptdv.organizations.models import OrgUnit, OrgUnitLineage, Restructuring

D = dt.date(2025, 7, 1)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _new(tree: Any, code: str, name: str, parent: Any = None, kind: str = "commune") -> Any:
    return services.org_unit_create(
        actor=None, code=code, name=name, kind=kind, parent=parent or tree.district, valid_from=D
    )


DECISION = {
    "decision": "1683/NQ-UBTVQH15",
    "decision_date": "16/06/2025",
    "decision_body": "Ủy ban Thường vụ Quốc hội",
}


def test_merge_form_then_lineage_on_both_pages(personas: Any, tree: Any) -> None:
    new = _new(tree, "A-XN", "Đảng bộ xã Xuân Nam", kind="grassroots_committee")
    c = client_for(personas.district_officer)
    url = reverse("organizations:merge", args=[new.uid])
    page = c.get(url).content.decode()
    assert "Đảng bộ xã Xuân" in page and "Ủy ban" not in page
    r = c.post(url, {"units": [str(tree.grassroots.uid)], "date": "01/07/2025", **DECISION})
    assert r.status_code == 302, r.content.decode()
    assert history.parent_on(tree.cell, D) == new
    assert history.parent_on(tree.cell, D - dt.timedelta(days=1)) == tree.grassroots
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).valid_to == dt.date(2025, 6, 30)
    op = Restructuring.objects.get(kind="merge", parent_op__isnull=True)
    assert (op.decision_number, op.decision_date, op.decision_body) == (
        "1683/NQ-UBTVQH15",
        dt.date(2025, 6, 16),
        "Ủy ban Thường vụ Quốc hội",
    )
    successor_page = c.get(reverse("organizations:detail", args=[new.uid]))
    before, after = successor_page.context["predecessors"], successor_page.context["successors"]
    assert [(r.unit.code, r.date, r.visible) for r in before] == [("A-X", D, True)]
    assert after == []
    html = successor_page.content.decode()
    assert "1683/NQ-UBTVQH15, 16/06/2025, Ủy ban Thường vụ Quốc hội" in html
    assert reverse("organizations:detail", args=[tree.grassroots.uid]) in html
    old_page = c.get(reverse("organizations:detail", args=[tree.grassroots.uid]))
    assert [r.unit.code for r in old_page.context["successors"]] == ["A-XN"]
    versions = list(old_page.context["versions"])
    assert [(v.name, v.valid_from, v.valid_to) for v in versions] == [
        ("Đảng bộ xã Xuân", dt.date(2000, 1, 1), dt.date(2025, 6, 30))
    ]
    cell_page = c.get(reverse("organizations:detail", args=[tree.cell.uid]))
    cell_versions = [
        (v.parent.code, v.valid_from, v.valid_to) for v in cell_page.context["versions"]
    ]
    assert cell_versions == [("A-X", dt.date(2000, 1, 1), dt.date(2025, 6, 30)), ("A-XN", D, None)]
    assert "1683/NQ-UBTVQH15" in cell_page.content.decode()


def test_merge_refusal_changes_nothing(personas: Any, tree: Any) -> None:
    new = _new(tree, "A-XN", "Đảng bộ xã Xuân Nam", kind="grassroots_committee")
    c = client_for(personas.district_officer)
    r = c.post(  # before the new committee exists
        reverse("organizations:merge", args=[new.uid]),
        {"units": [str(tree.grassroots.uid)], "date": "01/06/2025", **DECISION},
    )
    assert r.status_code == 200
    errors = " ".join(str(e) for es in r.context["form"].errors.values() for e in es)
    assert "01/06/2025" in errors  # the refusal names the date
    assert not OrgUnitLineage.objects.exists()
    assert history.parent_on(tree.cell, D) == tree.grassroots
    assert not Restructuring.objects.filter(kind="merge").exists()
    # outside the officer's subtree the unit is not even offered
    r = c.post(
        reverse("organizations:merge", args=[new.uid]),
        {"units": [str(tree.sibling_grassroots.uid)], "date": "01/07/2025"},
    )
    assert r.status_code == 200 and "units" in r.context["form"].errors


def test_split_form(personas: Any, tree: Any) -> None:
    north = _new(tree, "A-XB", "Đảng bộ xã Xuân Bắc", kind="grassroots_committee")
    south = _new(tree, "A-XS", "Đảng bộ xã Xuân Nam", kind="grassroots_committee")
    c = client_for(personas.district_officer)
    url = reverse("organizations:split", args=[tree.grassroots.uid])
    form = c.get(url).context["form"]
    assert {"child_A-X-1", "child_A-X-2"} <= set(form.fields)
    data = {
        "successors": [str(north.uid), str(south.uid)],
        "date": "01/07/2025",
        "child_A-X-1": str(north.uid),
        **DECISION,
    }
    r = c.post(url, data)  # a child without a successor: refused, nothing changed
    assert r.status_code == 200 and "child_A-X-2" in r.context["form"].errors
    assert not Restructuring.objects.filter(kind="split").exists()
    r = c.post(url, {**data, "child_A-X-2": str(tree.cell.uid)})  # not a chosen successor
    assert r.status_code == 200 and "child_A-X-2" in r.context["form"].errors
    r = c.post(url, {**data, "child_A-X-2": str(south.uid)})
    assert r.status_code == 302, r.content.decode()
    assert history.parent_on(tree.cell, D) == north
    assert history.parent_on(tree.other_cell, D) == south
    page = c.get(reverse("organizations:detail", args=[tree.grassroots.uid]))
    assert sorted(r.unit.code for r in page.context["successors"]) == ["A-XB", "A-XS"]
    assert "Ủy ban Thường vụ Quốc hội" in page.content.decode()


def test_lineage_link_hidden_outside_scope(personas: Any, tree: Any) -> None:
    new = _new(tree, "A-XN", "Đảng bộ xã Xuân Yên", parent=tree.province, kind="commune")
    services.org_unit_merge(
        actor=None, units=[tree.grassroots, tree.sibling_grassroots], into=new, date=D
    )
    c = client_for(personas.sibling_officer)
    page = c.get(reverse("organizations:detail", args=[tree.sibling_grassroots.uid]))
    rows = page.context["successors"]
    assert [(r.unit.code, r.visible) for r in rows] == [("A-XN", False)]
    assert reverse("organizations:detail", args=[new.uid]) not in page.content.decode()
