"""The wizard /restructuring/: preview (nothing recorded), apply, undo; a split refuses
records left unassigned, naming them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ptdv.organizations.models import OrgUnit
from ptdv.restructuring.tests.helpers import D, member

pytestmark = pytest.mark.django_db
COMMON = {
    "date": "01/07/2025",
    "decision_number": "123-QĐ/TU",
    "decision_date": "20/06/2025",
    "decision_body": "Ban Thường vụ Tỉnh ủy",
}


def test_only_the_organization_board_gets_the_wizard(client: Any, personas: Any) -> None:
    client.force_login(personas.viewer)
    assert client.get(reverse("restructuring:index")).status_code == 403
    client.force_login(personas.district_officer)
    page = client.get(reverse("restructuring:index")).content.decode()
    assert reverse("restructuring:operation", args=["merge"]) in page
    assert 'href="/restructuring/"' in page  # the navigation entry


def test_merge_preview_apply_undo(client: Any, tree: Any, personas: Any) -> None:
    member(tree.cell, "Hoàng Thị Mai")
    member(tree.other_cell, "Lý Văn Hùng")
    client.force_login(personas.district_officer)
    url = reverse("restructuring:operation", args=["merge"])
    data = {**COMMON, "units": [str(tree.other_cell.uid)], "into": str(tree.cell.uid)}
    page = client.post(url, {**data, "action": "preview"}).content.decode()
    assert 'id="preview"' in page and "1 → 2" in page  # the receiving cell: 1 member, then 2
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).valid_to is None  # nothing recorded
    response = client.post(url, {**data, "action": "apply"})
    assert response.status_code == 302
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).valid_to == D(2025, 6, 30)
    index = client.get(reverse("restructuring:index")).content.decode()
    assert "123-QĐ/TU" in index
    from ptdv.organizations.models import Restructuring

    op = Restructuring.objects.get(kind="merge", parent_op__isnull=True)
    client.post(reverse("restructuring:undo", args=[op.pk]))
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).valid_to is None


def test_split_names_what_is_not_assigned(client: Any, tree: Any, personas: Any) -> None:
    client.force_login(personas.district_officer)
    url = reverse("restructuring:operation", args=["split"])
    data = {
        **COMMON,
        "unit": str(tree.grassroots.uid),
        "new_successors": "A-N; Đảng bộ xã Bắc\nA-S; Đảng bộ xã Nam",
    }
    page = client.post(url, {**data, "action": "continue"}).content.decode()
    assert f'name="child_{tree.cell.pk}"' in page and f'name="village_{tree.village.pk}"' in page
    page = client.post(
        url, {**data, f"child_{tree.cell.pk}": "new:A-N", "action": "preview"}
    ).content.decode()
    assert "Chi bộ Trường Tiểu học" in page and "errorlist" in page
    assert not OrgUnit.objects.filter(code="A-N").exists()
    full = {
        **data,
        f"child_{tree.cell.pk}": "new:A-N",
        f"child_{tree.other_cell.pk}": "new:A-S",
        f"village_{tree.village.pk}": "new:A-N",
    }
    page = client.post(url, {**full, "action": "preview"}).content.decode()
    assert 'id="preview"' in page, page[page.find("errorlist") - 200 : page.find("errorlist") + 600]
    assert client.post(url, {**full, "action": "apply"}).status_code == 302
    assert OrgUnit.objects.get(code="A-N").valid_from == D(2025, 7, 1)
    assert OrgUnit.objects.get(pk=tree.grassroots.pk).valid_to == D(2025, 6, 30)


def test_merge_of_a_cell_with_members_into_a_committee_is_refused(
    client: Any, tree: Any, personas: Any
) -> None:
    member(tree.other_cell, "Lý Văn Hùng")
    client.force_login(personas.district_officer)
    url = reverse("restructuring:operation", args=["merge"])
    data = {**COMMON, "units": [str(tree.other_cell.uid)], "into": str(tree.grassroots.uid)}
    page = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "errorlist" in page and "Chọn chi bộ" in page
    assert OrgUnit.objects.get(pk=tree.other_cell.pk).valid_to is None


def test_operations_of_another_subtree_are_not_listed(
    client: Any, tree: Any, personas: Any
) -> None:
    from ptdv.restructuring.services import Decision, rename

    op = rename(
        actor=None,
        unit=tree.sibling_cell,
        new_name="Chi bộ Mới",
        date=D(2025, 7, 1),
        decision=Decision("QĐ 9"),
    )
    client.force_login(personas.district_officer)
    assert "QĐ 9" not in client.get(reverse("restructuring:index")).content.decode()
    assert client.post(reverse("restructuring:undo", args=[op.pk])).status_code == 404
    client.force_login(personas.sibling_officer)
    assert "QĐ 9" in client.get(reverse("restructuring:index")).content.decode()
