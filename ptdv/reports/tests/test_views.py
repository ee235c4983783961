import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from ptdv.audit.models import AuditEntry
from ptdv.reports.tests.factories import member

D = dt.date
PERIOD = {"from": "01/01/2020", "to": "31/12/2020"}


@pytest.fixture
def data(tree):
    member(tree.cell, D(2020, 3, 1), recognized=D(2020, 12, 1), gender="female",
           citizen_id="006190000123", date_of_birth=D(1990, 1, 1))  # fmt: skip
    member(tree.other_cell, D(2020, 4, 1), youth_union_member=True)
    member(tree.grassroots_cell, D(2019, 4, 1), recognized=D(2020, 4, 1))
    member(tree.sibling_cell, D(2020, 5, 1))
    return tree


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


READ_VIEWS = ["reports:dashboard", "reports:statistics", "reports:article"]


@pytest.mark.parametrize("name", READ_VIEWS)
def test_read_views_all_personas(client, data, personas, name):
    url = reverse(name)
    for persona, user in personas.all().items():
        client.logout()
        login(client, user)
        own = client.get(url, PERIOD)
        assert own.status_code == 200, persona
        foreign = client.get(url, PERIOD | {"org": str(data.sibling.uid)})
        expected = 200 if persona == "sibling_officer" else 404
        assert foreign.status_code == expected, persona
        inside = client.get(url, PERIOD | {"org": str(data.cell.uid)})
        assert inside.status_code == (404 if persona == "sibling_officer" else 200), persona


def test_anonymous_redirected(client, data):
    for name in READ_VIEWS:
        assert client.get(reverse(name)).status_code == 302


def test_malformed_or_foreign_org_is_404_with_message(client, data, personas):
    login(client, personas.viewer)
    r = client.get(reverse("reports:statistics"), {"org": "nonsense"})
    assert r.status_code == 404
    r = client.get(reverse("reports:article"), {"org": str(data.sibling.uid)})
    assert r.status_code == 404
    assert "không thuộc phạm vi" in r.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "01/02/2020", "to": "01/01/2020"}, "Ngày kết thúc"),
        ({"from": "01/01/2020", "to": "01/01/2099"}, "tương lai"),
        ({"from": "hôm qua"}, "dd/mm/yyyy"),
    ],
)
def test_bad_input_vietnamese(client, data, personas, params, message):
    login(client, personas.viewer)
    for name in READ_VIEWS:
        r = client.get(reverse(name), params)
        assert r.status_code == 400
        assert message in r.content.decode(), name


def test_statistics_numbers_link_to_lists_of_that_length(client, data, personas):
    login(client, personas.district_officer)
    r = client.get(reverse("reports:statistics"), PERIOD)
    html = r.content.decode()
    links = re.findall(r'<a href="([^"]+)" data-key="([^"]+)">(\d+)</a>', html)
    assert len(links) > 20
    for href, key, shown in links:
        page = client.get(href.replace("&amp;", "&"))
        assert page.status_code == 200, key
        n = re.search(r'id="drill-count">(\d+)<', page.content.decode()).group(1)
        assert n == shown, key


def test_dashboard_numbers_link_to_lists_of_that_length(client, data, personas):
    login(client, personas.district_officer)
    r = client.get(reverse("reports:dashboard"), PERIOD)
    html = r.content.decode()
    links = re.findall(r'<a href="([^"]+)">([^<:]+): (\d+)</a>', html)
    links += [(h, k, n) for h, k, n in re.findall(r'<a href="([^"]+)" data-key="([^"]+)">(\d+)</a>', html)]  # fmt: skip
    assert len(links) >= 10
    for href, label, shown in links:
        page = client.get(href.replace("&amp;", "&"))
        n = re.search(r'id="drill-count">(\d+)<', page.content.decode()).group(1)
        assert n == shown, label


def test_drill_down_unknown_key_404(client, data, personas):
    login(client, personas.viewer)
    assert client.get(reverse("reports:people"), {"key": "nope"}).status_code == 404


def _xlsx(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def test_people_export_typed_and_audited(client, data, personas):
    login(client, personas.district_officer)
    r = client.get(reverse("reports:people"), PERIOD | {"key": "admitted", "format": "xlsx"})
    ws = _xlsx(r).active
    header_row = 3
    headers = [c.value for c in ws[header_row]]
    assert headers[:3] == ["STT", "Họ và tên", "Ngày sinh"]
    rows = list(ws.iter_rows(min_row=header_row + 1, values_only=True))
    assert len(rows) == 2
    cid_col = headers.index("Số CCCD")
    dob_cell = ws.cell(row=header_row + 1, column=3)
    assert isinstance(dob_cell.value, dt.datetime)
    assert dob_cell.number_format == "dd/mm/yyyy"
    cids = {row[cid_col] for row in rows}
    assert "006190000123" in cids  # leading zeros kept, as text
    entry = AuditEntry.objects.get(action="reports.export.created")
    assert entry.actor == personas.district_officer and entry.data["rows"] == 2


def test_export_masks_citizen_id_without_permission(client, data, personas):
    login(client, personas.viewer)
    r = client.get(reverse("reports:people"), PERIOD | {"key": "admitted.women", "format": "xlsx"})
    ws = _xlsx(r).active
    values = [c for row in ws.iter_rows(min_row=4, values_only=True) for c in row]
    assert "006190000123" not in values and "••••••••0123" in values


def test_export_permission(client, data, personas):
    login(client, personas.centre_staff)  # may view reports, not export them
    r = client.get(reverse("reports:people"), PERIOD | {"key": "admitted", "format": "xlsx"})
    assert r.status_code == 403
    r = client.get(reverse("reports:statistics"), PERIOD | {"format": "xlsx"})
    assert r.status_code == 403
    assert not AuditEntry.objects.filter(action="reports.export.created").exists()
    client.logout()
    login(client, personas.sibling_officer)
    r = client.get(
        reverse("reports:people"),
        PERIOD | {"key": "admitted", "format": "xlsx", "org": str(data.district.uid)},
    )
    assert r.status_code == 404


def test_statistics_and_org_list_export(client, data, personas):
    login(client, personas.viewer)
    wb = _xlsx(client.get(reverse("reports:statistics"), PERIOD | {"format": "xlsx"}))
    assert len(wb.sheetnames) == 4
    overview = list(wb.worksheets[0].iter_rows(min_row=4, values_only=True))
    assert ("Kết nạp trong kỳ", 2) in overview
    wb = _xlsx(
        client.get(
            reverse("reports:people"), PERIOD | {"key": "orgs.no_admission", "format": "xlsx"}
        )
    )
    assert [r[1] for r in wb.active.iter_rows(min_row=4, values_only=True)] == ["A-T"]


def test_long_export_runs_as_job(client, data, personas, settings, monkeypatch):
    from ptdv.core.models import Job
    from ptdv.reports import exports

    settings.PTDV_JOBS_EAGER = True
    monkeypatch.setattr(exports, "LONG_EXPORT_ROWS", 1)
    login(client, personas.district_officer)
    r = client.get(reverse("reports:people"), PERIOD | {"key": "admitted", "format": "xlsx"})
    assert r.status_code == 302
    job = Job.objects.get()
    assert job.status == "done", job.message
    wb = load_workbook(job.result.path)
    assert len(list(wb.active.iter_rows(min_row=4))) == 2
    assert AuditEntry.objects.filter(action="reports.export.created").count() == 1


def test_article_pdf(client, data, personas):
    login(client, personas.viewer)
    r = client.get(reverse("reports:article_pdf"), PERIOD)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(action="reports.export.created", data__format="pdf").exists()


def _tree_with(n_extra, tree):
    from ptdv.organizations.services import org_unit_create

    for i in range(n_extra):
        g = org_unit_create(actor=None, code=f"A-G{i}", name=f"Đảng bộ xã {i}",
                            kind="grassroots_committee", parent=tree.district,
                            valid_from=D(2000, 1, 1))  # fmt: skip
        c = org_unit_create(actor=None, code=f"A-G{i}-1", name=f"Chi bộ {i}", kind="cell",
                            parent=g, valid_from=D(2000, 1, 1))  # fmt: skip
        member(c, D(2020, 2, 1))


def _queries(client, url, params, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:statistics", "targets:index"])
def test_query_count_independent_of_tree_size(
    client, data, personas, django_assert_max_num_queries, name
):
    login(client, personas.district_officer)
    url = reverse(name)
    params = PERIOD if name != "targets:index" else {"year": "2020"}
    small = _queries(client, url, params, django_assert_max_num_queries)
    _tree_with(12, data)
    large = _queries(client, url, params, django_assert_max_num_queries)
    assert large == small
    with django_assert_max_num_queries(80):
        client.get(url, params)


def test_article_shows_computed_figures(client, data, personas):
    login(client, personas.viewer)
    r = client.get(
        reverse("reports:article"),
        {"from": "01/01/2020", "to": "31/12/2020", "as_of": "31/12/2021"},
    )
    html = r.content.decode()

    def fig(name):
        cell = re.search(rf'id="fig-{name}">(.*?)</td>', html, re.S).group(1)
        return re.sub(r"<[^>]+>", "", cell).strip()

    assert fig("grassroots") == "2"  # A-X and A-T
    assert fig("admitted") == "2"
    assert fig("recognized") == "2"
    assert fig("members") == "3"
    assert "Báo cáo công tác phát triển đảng viên" in html


def _more_data(tree, times):
    """``times`` more people of every kind in every cell (admitted, recognized, removed,
    moved between cells), so the pages see 1× then 3× the rows."""
    cells = [tree.cell, tree.other_cell, tree.grassroots_cell, tree.sibling_cell]
    for _ in range(times):
        for i, c in enumerate(cells):
            member(c, D(2020, 3, 1 + i), recognized=D(2020, 11, 2), gender="female")
            member(c, D(2019, 6, 3), exit_kind="removed", exit_on=D(2020, 7, 1))
            member(c, D(2020, 2, 3), moved_to=cells[(i + 1) % 3], moved_on=D(2020, 9, 1))


@pytest.mark.parametrize(
    "name",
    ["reports:dashboard", "reports:statistics", "reports:article", "people:list",
     "organizations:tree"],
)  # fmt: skip
def test_query_count_does_not_grow_with_data(client, data, personas, name):
    """The same queries for 1× and 3× the people: no query per row, per period or per
    person (the tree-size test above covers the units)."""
    login(client, personas.district_officer)
    url = reverse(name)
    params = PERIOD if name.startswith("reports:") else {}
    _more_data(data, 1)
    once = _queries(client, url, params, None)
    _more_data(data, 2)
    thrice = _queries(client, url, params, None)
    assert thrice == once
