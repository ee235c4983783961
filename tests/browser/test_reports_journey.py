"""Journey: a district officer opens the dashboard, clicks a number, sees exactly its
people, exports the list to Excel and reads it back; the PDF report is rendered and
checked as an image and as text; the dashboard fits a phone."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import browser_login

pytestmark = pytest.mark.browser

D = dt.date


def _data(tree: Any) -> Any:
    from ptdv.organizations.services import org_unit_create
    from ptdv.reports.tests.factories import member

    commune = org_unit_create(actor=None, code="A-NP", name="Đảng bộ xã Ngọc Phái, Chợ Đồn",
                              kind="grassroots_committee", parent=tree.district,
                              sector="commune_ward", valid_from=D(2000, 1, 1))  # fmt: skip
    cell = org_unit_create(actor=None, code="A-NP-1", name="Chi bộ thôn Bản Lác", kind="cell",
                           parent=commune, sector="residential",
                           valid_from=D(2000, 1, 1))  # fmt: skip
    member(cell, D(2020, 3, 2), full_name="Hoàng Thị Mai", gender="female",
           citizen_id="006190000123", date_of_birth=D(1990, 5, 6))  # fmt: skip
    member(cell, D(2020, 6, 1), full_name="Nông Văn Bình", recognized=D(2021, 6, 1))
    member(tree.cell, D(2020, 9, 9), full_name="Lý Văn Dũng")
    member(tree.cell, D(2018, 9, 9), full_name="Ma Văn Cũ")  # another year
    return commune


@pytest.mark.django_db(transaction=True)
def test_dashboard_drill_down_export(
    page: Any, live_server: Any, tree: Any, personas: Any, tmp_path: Path
) -> None:
    commune = _data(tree)
    browser_login(page, live_server, personas.district_officer.username)
    page.click("header nav >> text=Tổng quan")
    page.wait_for_url("**/reports/overview/**")
    page.fill("#p-from", "01/01/2020")
    page.fill("#p-to", "31/12/2020")
    page.click("#report-params button[type=submit]")
    page.wait_for_load_state("networkidle")

    link = page.locator('#funnel-card a[data-key="admitted"]')
    assert link.inner_text() == "3"
    link.click()
    page.wait_for_url("**/reports/people/**")
    assert page.locator("#drill-count").inner_text() == "3"
    names = page.locator("#drill-list tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(names) == ["Hoàng Thị Mai", "Lý Văn Dũng", "Nông Văn Bình"]

    with page.expect_download() as info:
        page.click("#export-xlsx")
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    ws = load_workbook(path).active
    headers = [c.value for c in ws[3]]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert len(rows) == 3
    by_name = {r[headers.index("Họ và tên")]: r for r in rows}
    mai = by_name["Hoàng Thị Mai"]
    assert mai[headers.index("Ngày sinh")] == dt.datetime(1990, 5, 6)
    assert mai[headers.index("Số CCCD")] == "006190000123"
    assert mai[headers.index("Ngày kết nạp")] == dt.datetime(2020, 3, 2)

    # the statistics page: the commune's row drills down to its two people
    page.goto(
        f"{live_server.url}/reports/statistics/?from=01/01/2020&to=31/12/2020"
        f"&org={tree.district.uid}"
    )
    row = page.locator("#by-org tr", has_text="Ngọc Phái")
    row.locator("td:nth-child(3) a").click()
    page.wait_for_url("**/reports/people/**")
    assert page.locator("#drill-count").inner_text() == "2"

    # the PDF report of the commune: text and image
    response = page.request.get(
        f"{live_server.url}/reports/article.pdf?org={commune.uid}"
        "&from=2020-01-01&to=2020-12-31&as_of=2020-12-31"
    )
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "Chợ Đồn" in text and "Báo cáo công tác phát triển đảng viên" in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    image = Image.open(io.BytesIO(png.read_bytes())).convert("L")
    lo, hi = image.getextrema()
    dark = sum(image.histogram()[:128])
    assert hi - lo > 100 and dark > 200  # not blank: text and the chart's bars


@pytest.mark.django_db(transaction=True)
def test_dashboard_fits_a_phone(
    phone_page: Any, live_server: Any, tree: Any, personas: Any
) -> None:
    _data(tree)
    browser_login(phone_page, live_server, personas.viewer.username)
    phone_page.goto(f"{live_server.url}/reports/overview/?from=01/01/2020&to=31/12/2020")
    assert phone_page.locator("svg.chart").count() >= 3
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392
    box = phone_page.locator("#quality-card svg.chart").bounding_box()
    assert box is not None and box["width"] <= 390
