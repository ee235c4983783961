"""The party's statistical forms (issue 16, point 5): each form's figures against the
single definitions (people.selectors) and the report indicators' drill-down lists, for a
small tree; the workbook's layout and Vietnamese text."""

from __future__ import annotations

import datetime as dt
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from ptdv.exchange import statforms
from ptdv.people import selectors as figures
from ptdv.reports.selectors import Period, indicator_queryset
from ptdv.reports.tests.factories import member, person

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = Period(D(2024, 1, 1), D(2024, 12, 31))


@pytest.fixture
def people(tree: Any) -> dict[str, Any]:
    """Members admitted before and in 2024 in two cells; one removed; one moved."""
    return {
        "old": member(tree.cell, D(2010, 5, 1), recognized=D(2011, 5, 1),
                      date_of_birth=D(1950, 3, 1), occupation="retired",
                      education_general="upper_secondary", political_theory="intermediate"),
        "woman": member(tree.cell, D(2024, 3, 2), date_of_birth=D(2000, 6, 1), gender="female",
                        ethnicity="02", youth_union_member=True,
                        education_general="upper_secondary", education_professional="university",
                        occupation="public_employee"),
        "farmer": member(tree.other_cell, D(2024, 9, 9), date_of_birth=D(1984, 1, 1),
                         religion="catholicism", occupation="farmer",
                         education_general="lower_secondary"),
        "removed": member(tree.other_cell, D(2015, 1, 1), recognized=D(2016, 1, 1),
                          exit_kind="removed", exit_on=D(2024, 6, 1), date_of_birth=D(1970, 1, 1)),
        "young_old_member": member(tree.other_cell, D(2019, 1, 1), recognized=D(2020, 1, 1),
                                   date_of_birth=D(1995, 12, 31), gender="female"),
        "masses": person(tree.cell, date_of_birth=D(2001, 1, 1)),
    }  # fmt: skip


def _count(qs: Any) -> int:
    return figures.people_of(qs).count()


def test_admitted_form_equals_the_single_definitions_and_drill_downs(
    tree: Any, people: Any
) -> None:
    got = statforms.counts("stat_admitted", tree.grassroots, PERIOD)
    assert got["total"] == 2 == indicator_queryset("admitted", tree.grassroots, PERIOD).count()
    assert got["total"] == _count(figures.admitted_periods(tree.grassroots, *_ends()))
    for key, indicator in (
        ("women", "admitted.women"),
        ("minority", "admitted.minority"),
        ("religious", "admitted.religious"),
        ("youth", "admitted.youth"),
        ("edu_upper_secondary", "admitted.edu_upper_secondary"),
        ("occ_farmer", "admitted.occupation.farmer"),
        ("occ_public_employee", "admitted.occupation.public_employee"),
    ):
        assert got[key] == indicator_queryset(indicator, tree.grassroots, PERIOD).count(), key
    assert got["women"] == got["minority"] == got["youth"] == 1
    assert got["age_18"] == 1  # 23 at the ceremony
    assert got["age_31"] == 1 and got["age_41"] == 0  # born 01/01/1984: 40 on 09/09/2024
    # the rows: the whole unit, then each cell; the cells add up to the whole
    rows = statforms.table("stat_admitted", tree.grassroots, PERIOD)
    assert rows[0][1] == got
    by_name = dict(rows[1:])
    assert by_name[tree.cell.name]["total"] == 1 and by_name[tree.other_cell.name]["total"] == 1
    for key in got:
        assert sum(r[key] for _n, r in rows[1:]) == got[key], key


def _ends() -> tuple[dt.date, dt.date]:
    return PERIOD.date_from, PERIOD.date_to


def test_member_form_equals_members_on_the_as_of_date(tree: Any, people: Any) -> None:
    got = statforms.counts("stat_members", tree.grassroots, PERIOD)
    on = PERIOD.date_to
    assert got["total"] == figures.members_on(tree.grassroots, on).count() == 4
    assert got["total"] == indicator_queryset("members", tree.grassroots, PERIOD).count()
    assert (
        got["official"] == indicator_queryset("members.official", tree.grassroots, PERIOD).count()
    )
    assert got["probationary"] == 2 and got["official"] == 2
    assert got["women"] == 2 and got["religious"] == 1 and got["minority"] == 1
    assert got["age_0"] == 2  # born 2000 and 31/12/1995 (29 on 31/12/2024)
    assert got["age_71"] == 1  # born 1950: 74
    assert got["age_31"] == 1 and got["age_41"] == 0  # born 1984: 40 on the as-of date
    assert sum(got[f"age_{lo}"] for lo in (0, 31, 41, 51, 61, 71)) == got["total"]
    assert got["theory_intermediate"] == 1 and got["occ_retired"] == 1


def test_workbook_layout_in_vietnamese(tree: Any, people: Any, personas: Any) -> None:
    data = statforms.workbook(
        "stat_admitted", tree.grassroots, PERIOD, user=personas.district_officer
    )
    ws = openpyxl.load_workbook(BytesIO(data)).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP" in text
    assert "Từ ngày 01/01/2024 đến ngày 31/12/2024" in text
    assert "11-HD/BTCTW" in text and "chưa xác định" in text
    assert "ĐẢNG BỘ XÃ XUÂN" in text and "Dân tộc thiểu số" in text and "Độ tuổi" in text
    assert ws["B11"].value == f"Toàn {tree.grassroots.name}" and ws["C11"].value == 2
    assert ws["A10"].value == "(1)"
    assert any("C8" in str(r) or "D8" in str(r) for r in ws.merged_cells.ranges)


def test_workbook_refused_outside_scope_or_in_the_future(tree: Any, personas: Any) -> None:
    from ptdv.core.errors import DomainError

    with pytest.raises(DomainError):
        statforms.workbook("stat_members", tree.grassroots, PERIOD, user=personas.sibling_officer)
    future = Period(D(2024, 1, 1), dt.date.today() + dt.timedelta(days=400))
    with pytest.raises(DomainError):
        statforms.workbook("stat_members", tree.grassroots, future, user=personas.district_officer)


def test_command_line_writes_the_form(
    tree: Any, people: Any, personas: Any, tmp_path: Path
) -> None:
    out = tmp_path / "bieu.xlsx"
    call_command("export", str(out), kind="stat_members", org="A-X", to="31/12/2024",
                 user=personas.district_officer.username, stdout=StringIO())  # fmt: skip
    ws = openpyxl.load_workbook(out).active
    assert ws["C11"].value == 4


def test_export_page_offers_the_forms(tree: Any, people: Any, personas: Any, client: Any) -> None:
    client.force_login(personas.district_officer)
    page = client.get("/exchange/").content.decode()
    assert "stat_admitted" in page and "stat_members" in page
    response = client.post(
        "/exchange/export",
        {
            "kind": "stat_admitted",
            "org": str(tree.grassroots.uid),
            "date_from": "01/01/2024",
            "date_to": "31/12/2024",
        },  # fmt: skip
    )
    assert response.status_code == 302
    from ptdv.core.models import Job

    job = Job.objects.latest("created_at")
    assert job.status == "done", job.message
    assert job.result_name.startswith("bieu-ket-nap-A-X-20240101-20241231")
