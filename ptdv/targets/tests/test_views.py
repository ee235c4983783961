import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from ptdv.audit.models import AuditEntry
from ptdv.targets import services
from ptdv.targets.models import Target, Term


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_index_all_personas(client, tree, personas):
    url = reverse("targets:index")
    expected_own = {
        "cell_secretary": 200,
        "district_officer": 200,
        "sibling_officer": 200,
        "viewer": 200,
        "centre_staff": 403,  # the political centre has no targets.view: the gate refuses
    }
    for name, user in personas.all().items():
        client.logout()
        login(client, user)
        assert client.get(url, {"year": "2023"}).status_code == expected_own[name], name
        foreign = client.get(url, {"org": str(tree.sibling.uid), "year": "2023"})
        expected_foreign = 200 if name == "sibling_officer" else 404
        assert foreign.status_code == (403 if name == "centre_staff" else expected_foreign), name


def test_set_target_form(client, tree, personas):
    login(client, personas.district_officer)
    r = client.post(
        reverse("targets:set"),
        {
            "org": str(tree.district.uid),
            "year": "2023",
            "value": "12",
            "document_number": "03-KH/HU",
            "document_date": "15/01/2023",
        },  # fmt: skip
    )
    assert r.status_code == 302
    t = Target.objects.get()
    assert (t.value, t.year, t.document_number) == (12, 2023, "03-KH/HU")
    page = client.get(r.url)
    assert "Đã lưu chỉ tiêu" in page.content.decode()
    assert 'id="parent-target">12<' in page.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [("-3", "không được nhỏ hơn 0"), ("abc", "")],
)
def test_bad_target_refused(client, tree, personas, value, message):
    login(client, personas.district_officer)
    r = client.post(
        reverse("targets:set"),
        {
            "org": str(tree.district.uid),
            "year": "2023",
            "value": value,
            "document_number": "03-KH/HU",
            "document_date": "15/01/2023",
        },  # fmt: skip
        follow=True,
    )
    assert not Target.objects.exists()
    assert message in r.content.decode()


def test_allocation_above_parent_refused_then_accepted(client, tree, personas):
    officer = personas.district_officer
    services.target_set(actor=officer, org_unit=tree.district, year=2023, value=10,
                        document_number="1", document_date=dt.date(2023, 1, 1))  # fmt: skip
    login(client, officer)
    data = {"org": str(tree.district.uid), "year": "2023", "document_number": "2-KH",
            "document_date": "02/01/2023"}  # fmt: skip
    r = client.post(
        reverse("targets:allocate"),
        data | {f"value_{tree.grassroots.uid}": "7", f"value_{tree.grassroots_cell.uid}": "5"},
        follow=True,
    )
    assert "vượt quá chỉ tiêu" in r.content.decode()
    assert Target.objects.count() == 1
    r = client.post(
        reverse("targets:allocate"),
        data | {f"value_{tree.grassroots.uid}": "6", f"value_{tree.grassroots_cell.uid}": "4"},
        follow=True,
    )
    assert "Đã lưu phân bổ" in r.content.decode()
    assert Target.objects.count() == 3
    assert AuditEntry.objects.filter(action="targets.target.allocated").exists()


def test_edit_forbidden_for_readers(client, tree, personas):
    for user in (personas.viewer, personas.cell_secretary, personas.sibling_officer):
        client.logout()
        login(client, user)
        r = client.post(
            reverse("targets:set"),
            {
                "org": str(tree.district.uid),
                "year": "2023",
                "value": "1",
                "document_number": "1",
                "document_date": "01/01/2023",
            },  # fmt: skip
        )
        # the leader (read-only) and the cell secretary (no targets.edit anywhere) are stopped
        # by the gate (403); the other district's board does not see district A (404)
        assert r.status_code == (404 if user == personas.sibling_officer else 403)
    assert not Target.objects.exists()


def test_term_create_and_view(client, tree, personas):
    login(client, personas.district_officer)
    r = client.post(
        reverse("targets:term_create"),
        {"org": str(tree.district.uid), "name": "", "start_year": "2020", "end_year": "2025"},
    )
    term = Term.objects.get()
    assert term.name == "2020–2025"
    page = client.get(r.url)
    assert page.status_code == 200 and "Nhiệm kỳ 2020–2025" in page.content.decode()
    r = client.post(
        reverse("targets:term_create"),
        {"org": str(tree.district.uid), "start_year": "2025", "end_year": "2020"},
        follow=True,
    )
    assert Term.objects.count() == 1


def test_targets_export(client, tree, personas):
    import io

    from openpyxl import load_workbook

    services.target_set(actor=personas.district_officer, org_unit=tree.district, year=2023,
                        value=10, document_number="01-KH/HU",
                        document_date=dt.date(2023, 1, 5))  # fmt: skip
    login(client, personas.viewer)
    r = client.get(reverse("targets:index"), {"year": "2023", "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    first = [c.value for c in ws[4]]
    assert first[:3] == [tree.district.name, 10, 0]
    assert first[6] == "01-KH/HU" and first[7] == dt.datetime(2023, 1, 5)
    assert ws.cell(row=4, column=8).number_format == "dd/mm/yyyy"
    assert AuditEntry.objects.filter(action="reports.export.created", data__what="targets").exists()
    client.logout()
    login(client, personas.cell_secretary)  # targets.view and reports.export at its cell only
    r = client.get(reverse("targets:index"), {"year": "2023", "format": "xlsx"})
    assert r.status_code == 200


def test_actual_links_to_its_people(client, tree, personas):
    import re

    from ptdv.reports.tests.factories import member

    member(tree.cell, dt.date(2023, 3, 1))
    member(tree.grassroots_cell, dt.date(2023, 4, 1))
    login(client, personas.viewer)
    html = client.get(reverse("targets:index"), {"year": "2023"}).content.decode()
    links = re.findall(r'<a href="(/reports/people/[^"]+)">(\d+)</a>', html)
    assert len(links) == 3  # the district and its two children
    for href, shown in links:
        page = client.get(href.replace("&amp;", "&")).content.decode()
        assert re.search(r'id="drill-count">(\d+)<', page).group(1) == shown
