"""Journey: the organization board opens a document template, breaks its syntax (refused,
nothing saved), fixes it, saves a new version, previews and downloads the PDF."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import browser_login
from ptdv.documents import selectors as documents_selectors

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_edit_document_template(page: Any, live_server: Any, personas: Any) -> None:
    from ptdv.documents.models import DocumentTemplate

    browser_login(page, live_server, personas.district_officer.username)
    page.click("text=Mẫu văn bản")
    page.wait_for_url("**/documents/templates/")
    page.click("text=Quyết định kết nạp đảng viên (Mẫu 9-KNĐ)")
    page.wait_for_url("**/documents/templates/admissions.admission_decision/")

    textarea = page.locator("#id_body_html")
    original = textarea.input_value()
    assert "{% extends" in original and "Kết nạp đảng viên" in original

    textarea.fill(original + "\n{% if %}")
    page.click("button[value=save]")
    page.wait_for_load_state("networkidle")
    assert "Mẫu có lỗi cú pháp" in page.locator("#body-errors").inner_text()
    assert not DocumentTemplate.objects.exists()

    page.locator("#id_body_html").fill(
        original.replace("Kết nạp đảng viên", "Kết nạp đảng viên mới")
    )
    page.fill("#id_note", "Sửa tiêu đề phụ")
    page.click("button[value=save]")
    page.wait_for_load_state("networkidle")
    assert "Đã lưu mẫu thành phiên bản 1." in page.content()
    assert "Phiên bản 1" in page.content()
    row = DocumentTemplate.objects.get(code="admissions.admission_decision")
    assert "Kết nạp đảng viên mới" in row.body_html

    # the preview opens in a new tab as a PDF: fetch it through the page's session
    response = page.request.get(
        f"{live_server.url}/documents/templates/admissions.admission_decision/sample.pdf"
    )
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_editor_reachable_on_a_phone(phone_page: Any, live_server: Any, personas: Any) -> None:
    browser_login(phone_page, live_server, personas.district_officer.username)
    phone_page.goto(f"{live_server.url}/documents/templates/")
    # one row per registered document kind
    assert phone_page.locator("table.responsive tbody tr").count() == len(
        documents_selectors.template_rows()
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 392
    phone_page.goto(f"{live_server.url}/documents/templates/training.certificate/")
    assert phone_page.locator("#id_body_html").is_visible()
