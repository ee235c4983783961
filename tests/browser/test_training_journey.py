"""Journey: the political centre creates a class, enrols people from a list, marks
attendance on one screen, records results, issues and prints a certificate; the PDF
carries the Vietnamese name exactly and page 1 is not blank."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import browser_login

pytestmark = pytest.mark.browser

NAMES = ["Hoàng Thị Ưng", "Nông Văn Đức", "Lý Thị Mỷ"]


def _seed_course_types() -> None:
    """A transactional test flushes the seeded rows; put them back."""
    from django.apps import apps

    seed = importlib.import_module("ptdv.training.migrations.0002_seed_course_types").seed
    seed(apps, None)
    importlib.import_module("ptdv.training.migrations.0003_new_member_five_sessions").forward(
        apps, None
    )


@pytest.mark.django_db(transaction=True)
def test_centre_runs_a_class_and_prints_a_certificate(
    page: Any, live_server: Any, personas: Any, tree: Any, tmp_path: Path
) -> None:
    from ptdv.people.services import person_create
    from ptdv.training.models import Certificate, TrainingClass
    from ptdv.training.services import institution_create

    _seed_course_types()
    institution_create(
        actor=None,
        code="TTCT-A",
        name="Trung tâm Chính trị huyện An",
        org_unit=tree.district,
        director="Đặng Văn Ẩn",
    )
    for name in NAMES:
        person_create(
            actor=None,
            org_unit=tree.cell,
            full_name=name,
            date_of_birth=dt.date(1998, 5, 12),
            gender="female",
        )
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=6), today - dt.timedelta(days=2)

    browser_login(page, live_server, personas.centre_staff.username)
    page.click("text=Lớp bồi dưỡng")
    page.wait_for_url("**/training/")
    page.click("#new-class")
    page.select_option("#id_course_type", label="Bồi dưỡng nhận thức về Đảng")
    page.fill("#id_code", "NT-01/X")
    page.fill("#id_start_on", start.strftime("%d/%m/%Y"))
    page.fill("#id_end_on", end.strftime("%d/%m/%Y"))
    page.fill("#id_capacity", "40")
    page.click("#class-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã mở lớp NT-01/X." in page.content()
    klass = TrainingClass.objects.get(code="NT-01/X")

    # open, then enrol two of the three from the list (checkboxes)
    page.click("button[data-to=open]")
    page.wait_for_load_state("networkidle")
    page.click("#enrol-link")
    page.wait_for_load_state("networkidle")
    for name in NAMES[:2]:
        page.check(f"#candidates input[aria-label='{name}']")
    page.click("#nominate-btn")
    page.wait_for_load_state("networkidle")
    assert "Đã tiếp nhận 2 học viên." in page.content()
    assert klass.enrolments.filter(status="accepted").count() == 2

    # start the class and mark attendance on one screen (HTMX)
    page.click("button[data-to=running]")
    page.wait_for_load_state("networkidle")
    page.locator("#attendance-grid button[name=all_present]").first.click()
    page.wait_for_selector("#attendance .finding.ok")
    first_session = klass.sessions.order_by("date", "id").first()
    assert (
        klass.enrolments.filter(attendance__session=first_session, attendance__present=True).count()
        == 2
    )
    boxes = page.locator("#attendance-grid input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.click("#save-attendance")
    page.wait_for_selector("#attendance .finding.ok")
    assert "Đã lưu điểm danh." in page.locator("#attendance").inner_text()

    page.click("button[data-to=finished]")
    page.wait_for_load_state("networkidle")

    # results: the first passes with 8.5, the second fails
    page.select_option(f"select[aria-label='Kết quả {NAMES[0]}']", "1")
    page.fill(f"input[aria-label='Điểm {NAMES[0]}']", "8,5")
    page.select_option(f"select[aria-label='Kết quả {NAMES[1]}']", "0")
    page.click("#save-results")
    page.wait_for_load_state("networkidle")
    assert "Đã lưu 2 kết quả." in page.content()

    # certificates: only the one who completed is offered
    assert page.locator("#issue-form input[name=enrolment]").count() == 1
    page.click("#issue-btn")
    page.wait_for_load_state("networkidle")
    assert "Đã cấp 1 giấy chứng nhận." in page.content()
    cert = Certificate.objects.get()
    assert cert.person.full_name == NAMES[0]
    assert cert.number == f"1/{cert.issued_on.year}/CN-TTCT"
    assert cert.number in page.locator("#certificate-register").inner_text()

    href = page.locator("#certificate-register a.print-pdf").first.get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "gcn.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert NAMES[0] in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert cert.number in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    from PIL import Image

    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 500, "page 1 of the certificate is blank"
