"""Saving templates: versions kept, audited, bad syntax refused with nothing changed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.documents import services
from ptdv.documents.engine import default_source
from ptdv.documents.models import DocumentTemplate, DocumentTemplateVersion
from ptdv.documents.render import render_document, render_html, template_source

from .conftest import NAME_A

CODE = "training.certificate"


def edited(marker: str) -> str:
    body = default_source(CODE) or ""
    return body.replace("GIẤY CHỨNG NHẬN", f"GIẤY CHỨNG NHẬN {marker}")


@pytest.mark.django_db
def test_save_creates_versions_and_is_used(personas: Any) -> None:
    officer = personas.district_officer
    t1 = services.template_save(code=CODE, body_html=edited("MẪU A"), actor=officer, note="a")
    assert t1.version == 1 and t1.is_active and t1.updated_by == officer
    assert "MẪU A" in render_html(CODE, {"full_name": NAME_A})
    t2 = services.template_save(code=CODE, body_html=edited("MẪU B"), actor=officer)
    assert t2.pk == t1.pk and t2.version == 2
    assert "MẪU B" in render_html(CODE, {})
    versions = list(DocumentTemplateVersion.objects.filter(template=t2).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert "MẪU A" in versions[0].body_html and "MẪU B" in versions[1].body_html
    entries = AuditEntry.objects.filter(action="documents.template.updated").order_by("id")
    assert entries.count() == 2
    assert entries.last().data["old"]["version"] == 1
    assert entries.last().data["new"]["version"] == 2
    assert entries.last().actor == officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{% if %}x", "cú pháp"),
        ("{% endblock %}", "cú pháp"),
        ("{{ x|no_such_filter }}", "cú pháp"),
        ("{% load static %}", "bị từ chối"),
        ('{% extends "missing.html" %}', "không tồn tại"),
        ("   ", "trống"),
    ],
)
def test_bad_template_refused_nothing_changed(personas: Any, body: str, fragment: str) -> None:
    officer = personas.district_officer
    services.template_save(code=CODE, body_html=edited("GỐC"), actor=officer)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.template_save(code=CODE, body_html=body, actor=officer)
    assert exc.value.field == "body_html"
    assert fragment in exc.value.message
    row = DocumentTemplate.objects.get(code=CODE)
    assert row.version == 1 and "GỐC" in row.body_html
    assert DocumentTemplateVersion.objects.count() == 1
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["cell_secretary", "viewer", "centre_staff"])
def test_only_org_board_may_save(personas: Any, who: str) -> None:
    with pytest.raises(PermissionDeniedError):
        services.template_save(code=CODE, body_html=edited("X"), actor=getattr(personas, who))
    with pytest.raises(PermissionDeniedError):
        services.template_reset(code=CODE, actor=getattr(personas, who))
    assert not DocumentTemplate.objects.exists()


@pytest.mark.django_db
def test_unknown_code_refused(personas: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.template_save(code="x.y", body_html="x", actor=personas.district_officer)
    assert exc.value.code == "unknown_template"


@pytest.mark.django_db
def test_reset_restores_default_and_keeps_history(personas: Any) -> None:
    officer = personas.district_officer
    services.template_save(code=CODE, body_html=edited("MẪU A"), actor=officer)
    row = services.template_reset(code=CODE, actor=officer)
    assert row is not None and not row.is_active and row.version == 2
    assert template_source(CODE).version == 0
    assert "MẪU A" not in render_html(CODE, {})
    assert DocumentTemplateVersion.objects.filter(template=row).count() == 2
    assert AuditEntry.objects.filter(action="documents.template.reset").count() == 1
    # saving again makes the override active at the next version
    again = services.template_save(code=CODE, body_html=edited("MẪU C"), actor=officer)
    assert again.is_active and again.version == 3


def _docxtpl_template() -> bytes:
    """A docxtpl template made with python-docx: fields and a {%tr %} loop, each tag in
    its own row (the docxtpl gotcha)."""
    doc = Document()
    doc.add_paragraph("ĐẢNG CỘNG SẢN VIỆT NAM")
    doc.add_paragraph("{{ date|vn_date(place) }}")
    doc.add_paragraph("Họ và tên: {{ full_name }} – {{ missing_key }}")
    table = doc.add_table(rows=3, cols=1)
    table.cell(0, 0).text = "{%tr for r in recipients %}"
    table.cell(1, 0).text = "{{ r }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_uploaded_docx_template_is_used_for_docx(
    personas: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    officer = personas.district_officer
    services.template_save(
        code=CODE,
        body_html=default_source(CODE) or "",
        actor=officer,
        docx=("mau.docx", _docxtpl_template()),
    )
    ctx = {
        "full_name": NAME_A,
        "date": __import__("datetime").date(2019, 3, 5),
        "place": "Chợ Đồn",
        "recipients": ["Như trên", "Lưu"],
    }
    data = render_document(CODE, ctx, "docx")
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Chợ Đồn, ngày 05 tháng 3 năm 2019" in text
    assert f"Họ và tên: {NAME_A} – …………" in text
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert cells == ["Như trên", "Lưu"]
    # the PDF still comes from the HTML template
    assert render_document(CODE, ctx, "pdf").startswith(b"%PDF")


@pytest.mark.django_db
def test_bad_docx_upload_refused(personas: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as exc:
        services.template_save(
            code=CODE,
            body_html=default_source(CODE) or "",
            actor=personas.district_officer,
            docx=("x.docx", b"not a zip"),
        )
    assert exc.value.field == "docx_file"
    assert not DocumentTemplate.objects.exists()


@pytest.mark.django_db
def test_syntax_error_names_the_line() -> None:
    body = (default_source(CODE) or "").replace("{% endblock %}", "{% endblok %}", 1)
    with pytest.raises(DomainError) as exc:
        services.template_check(CODE, body)
    line = next(i for i, text in enumerate(body.splitlines(), 1) if "endblok" in text)
    assert f"Mẫu có lỗi cú pháp ở dòng {line}" in exc.value.message


@pytest.mark.django_db
def test_uploaded_docx_template_many(personas: Any, settings: Any, tmp_path: Any) -> None:
    from docx.oxml.ns import qn

    from ptdv.documents.render import render_many

    settings.MEDIA_ROOT = tmp_path
    services.template_save(
        code=CODE,
        body_html=default_source(CODE) or "",
        actor=personas.district_officer,
        docx=("mau.docx", _docxtpl_template()),
    )
    names = [NAME_A, "Đặng Văn Ẩn"]
    data = render_many(CODE, [{"full_name": n, "recipients": []} for n in names], "docx")
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert all(f"Họ và tên: {n}" in text for n in names)
    breaks = doc.element.body.findall(".//" + qn("w:br"))
    assert [b.get(qn("w:type")) for b in breaks].count("page") == 1


@pytest.mark.django_db
def test_simultaneous_first_save_is_refused_cleanly(personas: Any, monkeypatch: Any) -> None:
    """Another officer's first save lands between our lookup and our insert."""
    from django.db.models.query import QuerySet

    real_first = QuerySet.first

    def first_after_other_insert(self: Any) -> Any:
        row = real_first(self)
        if self.model is DocumentTemplate and row is None:
            DocumentTemplate.objects.create(code=CODE, name="x", body_html="x")
        return row

    monkeypatch.setattr(QuerySet, "first", first_after_other_insert)
    with pytest.raises(DomainError) as exc:
        services.template_save(code=CODE, body_html=edited("A"), actor=personas.district_officer)
    assert exc.value.code == "concurrent_save"
    assert "cùng lúc" in exc.value.message
