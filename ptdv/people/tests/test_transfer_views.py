"""Transfer and exemption pages: forms, scope (another subtree cannot see or confirm),
the letter, the panels and the to-do page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ptdv.people.models import Transfer
from ptdv.people.transfers import services as S

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def issued(registry: Any, tree: Any, *, days_ago: int = 3, to: Any = None) -> Transfer:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return S.transfer_issue(
        actor=None,
        person=registry.member,
        kind="official",
        to_unit=to or tree.sibling_grassroots,
        letter_number="12-GGT/ĐU",
        letter_date=day,
        issued_on=day,
    )


def test_issue_form_creates_the_letter(tree: Any, registry: Any, personas: Any) -> None:
    c = client_for(personas.cell_secretary)
    url = reverse("people:transfer_issue", args=[registry.member.uid])
    assert c.get(url).status_code == 200
    today = timezone.localdate()
    r = c.post(
        url,
        {
            "kind": "official",
            "to_unit": str(tree.sibling_grassroots.uid),
            "letter_number": "07-GGT/CB",
            "letter_date": dmy(today),
            "reason": "Chuyển nơi cư trú",
        },
    )
    t = Transfer.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/people/transfers/{t.uid}/")
    assert t.issued_by == personas.cell_secretary and t.issued_on == today
    pdf = c.get(reverse("people:transfer_letter", args=[t.uid]) + "?fmt=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = c.get(reverse("people:transfer_letter", args=[t.uid]) + "?fmt=docx")
    assert docx.status_code == 200 and "07-GGT" in docx["Content-Disposition"].replace("_", "-")


def test_issue_form_shows_the_refusal_on_its_field(tree: Any, registry: Any, personas: Any) -> None:
    from ptdv.organizations.services import org_unit_close, org_unit_create

    closed = org_unit_create(
        actor=None,
        code="B-Y-9",
        name="Chi bộ thôn Khuổi Ba",
        kind="cell",
        parent=tree.sibling_grassroots,
        valid_from=dt.date(2000, 1, 1),
    )
    org_unit_close(actor=None, unit=closed, date=dt.date(2020, 1, 1))
    c = client_for(personas.cell_secretary)
    url = reverse("people:transfer_issue", args=[registry.member.uid])
    r = c.post(
        url,
        {
            "kind": "official",
            "to_outside": "",
            "letter_number": "07-GGT/CB",
            "letter_date": dmy(timezone.localdate()),
        },
    )
    assert r.status_code == 200 and not Transfer.objects.exists()
    assert "Chi bộ thôn Khuổi Ba" not in r.content.decode()  # closed: not offered


def test_other_subtree_cannot_see_or_confirm(tree: Any, registry: Any, personas: Any) -> None:
    t = issued(registry, tree, to=tree.grassroots_cell)  # inside district A
    detail = reverse("people:transfer_detail", args=[t.uid])
    confirm = reverse("people:transfer_confirm", args=[t.uid])
    other = client_for(personas.sibling_officer)
    assert other.get(detail).status_code == 404
    assert other.post(confirm, {"received_on": dmy(timezone.localdate())}).status_code == 404
    assert "12-GGT" not in other.get(reverse("people:transfer_list")).content.decode()
    # the sending cell sees it but cannot confirm for the receiver
    sender = client_for(personas.cell_secretary)
    page = sender.get(detail).content.decode()
    assert 'id="confirm-form"' not in page
    assert sender.post(confirm, {"received_on": dmy(timezone.localdate())}).status_code == 403
    t.refresh_from_db()
    assert t.status == "issued"


def test_receiving_side_confirms_with_a_cell(tree: Any, registry: Any, personas: Any) -> None:
    t = issued(registry, tree)
    c = client_for(personas.sibling_officer)
    detail = reverse("people:transfer_detail", args=[t.uid])
    page = c.get(detail).content.decode()
    assert 'id="confirm-form"' in page and "Chi bộ thôn Bản Mới" in page
    confirm = reverse("people:transfer_confirm", args=[t.uid])
    today = timezone.localdate()
    r = c.post(confirm, {"received_on": dmy(today)})  # no cell chosen
    assert r.status_code == 400
    t.refresh_from_db()
    assert t.status == "issued"
    r = c.post(confirm, {"received_on": dmy(today), "cell": str(tree.sibling_cell.uid)})
    assert r.status_code == 302
    t.refresh_from_db()
    registry.member.refresh_from_db()
    assert t.status == "received" and registry.member.org_unit == tree.sibling_cell
    # twice: the form is gone and a replayed POST is refused
    assert (
        c.post(confirm, {"received_on": dmy(today), "cell": str(tree.sibling_cell.uid)}).status_code
        == 403
    )


def test_list_tabs_and_overdue_on_both_todo_pages(tree: Any, registry: Any, personas: Any) -> None:
    t = issued(registry, tree, days_ago=200)
    assert t.due_on is not None and t.due_on < timezone.localdate()
    for user in (personas.cell_secretary, personas.sibling_officer):
        c = client_for(user)
        page = c.get(reverse("people:transfer_list") + "?tab=overdue").content.decode()
        assert registry.member.full_name in page
        todo = c.get(reverse("admissions:todo")).content.decode()
        assert 'id="todo-transfers"' in todo and registry.member.full_name in todo
    history = client_for(personas.sibling_officer).get(
        reverse("people:transfer_list") + "?tab=history"
    )
    assert registry.member.full_name not in history.content.decode()


def test_panels_on_person_and_unit_pages(tree: Any, registry: Any, personas: Any) -> None:
    t = issued(registry, tree)
    c = client_for(personas.district_officer)
    person_page = c.get(reverse("people:detail", args=[registry.member.uid])).content.decode()
    assert 'id="transfer-panel"' in person_page and t.letter_number in person_page
    unit_page = c.get(reverse("organizations:detail", args=[tree.cell.uid])).content.decode()
    assert 'id="org-transfers"' in unit_page and registry.member.full_name in unit_page
    receiving = client_for(personas.sibling_officer).get(
        reverse("organizations:detail", args=[tree.sibling_grassroots.uid])
    )
    assert registry.member.full_name in receiving.content.decode()


def test_exemption_form_and_person_page(tree: Any, registry: Any, personas: Any) -> None:
    c = client_for(personas.cell_secretary)
    url = reverse("people:exemption_new", args=[registry.member.uid])
    today = timezone.localdate()
    bad = c.post(
        url,
        {
            "decision_number": "45-QĐ/ĐU",
            "decision_date": dmy(today),
            "decision_body": "Đảng ủy xã Xuân",
            "reason": "Tuổi cao",
            "start": dmy(today - dt.timedelta(days=5)),
        },
    )
    assert bad.status_code == 200 and not registry.member.exemptions.exists()
    r = c.post(
        url,
        {
            "decision_number": "45-QĐ/ĐU",
            "decision_date": dmy(today - dt.timedelta(days=5)),
            "decision_body": "Đảng ủy xã Xuân",
            "reason": "Tuổi cao, sức khỏe yếu",
            "start": dmy(today - dt.timedelta(days=5)),
        },
    )
    assert r.status_code == 302
    page = c.get(reverse("people:detail", args=[registry.member.uid])).content.decode()
    assert "Tuổi cao, sức khỏe yếu" in page and "45-QĐ/ĐU" in page
    other = client_for(personas.sibling_officer)
    assert other.get(url).status_code == 404


def test_menu_marks_only_the_transfers_entry(personas: Any) -> None:
    r = client_for(personas.district_officer).get(reverse("people:transfer_list"))
    active = [i["url"] for i in r.context["nav_items"] if i["active"]]
    assert active == [reverse("people:transfer_list")]
