"""The template editor: every persona, bad syntax, preview, sample downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ptdv.documents.engine import default_source
from ptdv.documents.models import DocumentTemplate
from ptdv.documents.registry import SPECS

CODE = "admissions.admission_decision"
LIST = reverse("documents:template_list")
EDIT = reverse("documents:template_edit", args=[CODE])

ALLOWED = {"district_officer", "sibling_officer"}  # the organization boards


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["cell_secretary", "district_officer", "sibling_officer", "viewer", "centre_staff"]
)
def test_editor_access_by_persona(client: Any, personas: Any, who: str) -> None:
    client.force_login(getattr(personas, who))
    expected = 200 if who in ALLOWED else 403
    assert client.get(LIST).status_code == expected
    assert client.get(EDIT).status_code == expected
    sample = reverse("documents:template_sample", args=[CODE, "pdf"])
    assert client.get(sample).status_code == expected
    resp = client.post(EDIT, {"action": "save", "body_html": default_source(CODE)})
    assert resp.status_code == (302 if who in ALLOWED else 403)
    assert DocumentTemplate.objects.exists() == (who in ALLOWED)


@pytest.mark.django_db
def test_anonymous_redirected_to_login(client: Any, tree: Any) -> None:
    resp = client.get(LIST)
    assert resp.status_code == 302 and "/login/" in resp["Location"]


@pytest.mark.django_db
def test_list_shows_every_code_in_few_queries(
    client: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.district_officer)
    with django_assert_max_num_queries(8):
        resp = client.get(LIST)
    body = resp.content.decode()
    for code in SPECS:
        assert code in body
    assert "Mẫu văn bản" in body


@pytest.mark.django_db
def test_nav_item_for_org_board_only(client: Any, personas: Any) -> None:
    client.force_login(personas.district_officer)
    assert LIST in client.get("/").content.decode()
    client.force_login(personas.cell_secretary)
    assert LIST not in client.get("/").content.decode()


@pytest.mark.django_db
def test_bad_syntax_shows_vietnamese_error_and_saves_nothing(client: Any, personas: Any) -> None:
    client.force_login(personas.district_officer)
    resp = client.post(EDIT, {"action": "save", "body_html": "{% if %}hỏng"})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Mẫu có lỗi cú pháp" in html
    assert "{% if %}hỏng" in html  # the user's text is kept in the editor
    assert not DocumentTemplate.objects.exists()


@pytest.mark.django_db
def test_save_then_history_and_reload_old_version(client: Any, personas: Any) -> None:
    client.force_login(personas.district_officer)
    body = default_source(CODE) or ""
    for marker in ("MỘT", "HAI"):
        resp = client.post(
            EDIT,
            {
                "action": "save",
                "body_html": body.replace("Kết nạp đảng viên", marker),
                "note": marker,
            },
        )
        assert resp.status_code == 302
    row = DocumentTemplate.objects.get(code=CODE)
    assert row.version == 2
    page = client.get(EDIT).content.decode()
    assert "Phiên bản 1" in page and "Phiên bản 2" in page
    old = client.get(EDIT + "?version=1").content.decode()
    assert "MỘT" in old
    resp = client.post(EDIT, {"action": "reset"})
    assert resp.status_code == 302
    row.refresh_from_db()
    assert not row.is_active


@pytest.mark.django_db
def test_preview_renders_posted_body_without_saving(client: Any, personas: Any) -> None:
    client.force_login(personas.district_officer)
    body = (default_source(CODE) or "").replace("Kết nạp đảng viên", "XEM TRƯỚC")
    resp = client.post(EDIT, {"action": "preview", "body_html": body})
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    assert not DocumentTemplate.objects.exists()
    bad = client.post(EDIT, {"action": "preview", "body_html": "{% for %}"})
    assert bad.status_code == 400
    assert "cú pháp" in bad.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_sample_download(client: Any, personas: Any, fmt: str) -> None:
    client.force_login(personas.district_officer)
    resp = client.get(reverse("documents:template_sample", args=[CODE, fmt]))
    assert resp.status_code == 200
    assert "QD-ket-nap_125-QD-HU" in resp["Content-Disposition"]


@pytest.mark.django_db
def test_unknown_code_is_404(client: Any, personas: Any) -> None:
    client.force_login(personas.district_officer)
    assert client.get(reverse("documents:template_edit", args=["x.y"])).status_code == 404
    assert client.get(reverse("documents:template_sample", args=[CODE, "odt"])).status_code == 404
