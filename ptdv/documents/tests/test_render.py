"""Every default template renders to PDF and DOCX with correct Vietnamese."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from ptdv.core.errors import DomainError
from ptdv.documents.registry import SPECS
from ptdv.documents.render import (
    document_filename,
    document_response,
    render_document,
    render_html,
    render_many,
)

from .conftest import NAME_A, NAME_B, pdf_fonts, pdf_page_png, pdf_text

CODES = sorted(SPECS)
MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
# the union's own resolution (4-KNĐ) carries the union's motto, not the Party's
OWN_MOTTO = {"admissions.union_introduction": "ĐOÀN TNCS HỒ CHÍ MINH"}


def sample(code: str, **extra: Any) -> dict[str, Any]:
    ctx = SPECS[code].sample()
    ctx.update({"full_name": NAME_A, "signer_name": NAME_B, **extra})
    return ctx


def docx_text(data: bytes) -> tuple[str, Any]:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), doc


def all_runs(doc: Any) -> list[Any]:
    runs = [r for p in doc.paragraphs for r in p.runs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                runs.extend(r for p in cell.paragraphs for r in p.runs)
    return runs


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_pdf_has_exact_vietnamese_text_and_only_tinos(code: str, tmp_path: Any) -> None:
    pdf = render_document(code, sample(code), "pdf")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert OWN_MOTTO.get(code, MOTTO) in text
    assert NAME_A in text
    assert NAME_B in text
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts, "no font in the PDF"
    for name, embedded in fonts:
        assert embedded, name
        assert "Tinos" in name, f"unexpected font {name}"
        assert "DejaVu" not in name and "Liberation" not in name


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_pdf_page_is_not_blank(code: str, tmp_path: Any) -> None:
    image = pdf_page_png(render_document(code, sample(code)), tmp_path)
    # A4 at 60 dpi
    assert abs(image.width - 496) <= 2 and abs(image.height - 702) <= 2
    histogram = image.histogram()
    dark = sum(histogram[:128])
    assert dark > 500, "page 1 looks blank"
    assert histogram[255] > image.width * image.height * 0.7, "page should be mostly white"


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_docx_has_same_text_in_times_new_roman(code: str) -> None:
    data = render_document(code, sample(code), "docx")
    assert data[:2] == b"PK"
    text, doc = docx_text(data)
    assert OWN_MOTTO.get(code, MOTTO) in text.replace("\xa0", " ")  # no break in the motto
    assert NAME_A in text
    assert NAME_B in text
    runs = [r for r in all_runs(doc) if r.text.strip()]
    assert runs
    for run in runs:
        assert run.font.name == "Times New Roman", run.text
        rfonts = run._element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == "Times New Roman"
        assert rfonts.get(qn("w:cs")) == "Times New Roman"
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.right_margin, section.bottom_margin, section.left_margin]
    assert [round(m.mm) for m in margins] == [20, 15, 20, 30]


@pytest.mark.django_db
def test_header_layout_in_docx_is_a_borderless_two_column_table() -> None:
    code = "admissions.admission_decision"
    _, doc = docx_text(render_document(code, sample(code), "docx"))
    header = doc.tables[0]
    assert len(header.columns) == 2
    left, right = (c.text for c in header.rows[0].cells)
    assert "HUYỆN ỦY CHỢ ĐỒN" in left and "Số 125-QĐ/HU" in left and "*" in left
    assert MOTTO.replace(" ", "\xa0") in right and "Chợ Đồn, ngày 05 tháng 3 năm 2019" in right
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert all(b.get(qn("w:val")) == "nil" for b in borders)
    motto_run = header.rows[0].cells[1].paragraphs[0].runs[0]
    assert motto_run.bold and motto_run.underline


@pytest.mark.django_db
def test_html_has_the_official_wording() -> None:
    html = render_html("admissions.admission_decision", sample("admissions.admission_decision"))
    for phrase in [
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam",
        "Quy định số 29-QĐ/TW ngày 25/7/2016",
        "Xét đề nghị của Chi bộ thôn Nà Pậu",
        "QUYẾT ĐỊNH",
        "Điều 1.",
        "Điều 3.",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
        "Chợ Đồn, ngày 05 tháng 3 năm 2019",
    ]:
        assert phrase in html, phrase


@pytest.mark.django_db
def test_cell_resolution_counts_votes_against_official_members() -> None:
    ctx = sample("admissions.cell_resolution", votes_for=19, members_official=22)
    html = render_html("admissions.cell_resolution", ctx)
    assert "19/22 đồng chí, đạt 86,4%" in html


@pytest.mark.django_db
def test_missing_keys_print_as_dotted_blanks() -> None:
    html = render_html("admissions.admission_decision", {"full_name": NAME_A})
    assert NAME_A in html
    assert "…………" in html
    assert "ngày …… tháng …… năm ……" in html


@pytest.mark.django_db
def test_values_are_escaped() -> None:
    html = render_html("training.certificate", {"full_name": "<script>x</script>"})
    assert "<script>x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_render_many_pdf_one_page_per_certificate(tmp_path: Any) -> None:
    names = [NAME_A, NAME_B, "Lường Thị Ơn"]
    contexts = [sample("training.certificate", full_name=n) for n in names]
    pdf = render_many("training.certificate", contexts, "pdf")
    text = pdf_text(pdf, tmp_path)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == 3
    for name, page in zip(names, pages, strict=False):
        assert name in page


@pytest.mark.django_db
def test_render_many_docx_with_page_breaks() -> None:
    names = [NAME_A, NAME_B]
    contexts = [sample("training.certificate", full_name=n) for n in names]
    data = render_many("training.certificate", contexts, "docx")
    text, doc = docx_text(data)
    assert all(n in text for n in names)
    breaks = doc.element.body.findall(".//" + qn("w:br"))
    assert any(b.get(qn("w:type")) == "page" for b in breaks)
    assert len(doc.tables) == 4  # header + signature per document


@pytest.mark.django_db
def test_unknown_code_and_format() -> None:
    with pytest.raises(DomainError) as exc:
        render_document("nope.nothing", {})
    assert exc.value.code == "unknown_template"
    with pytest.raises(ValueError):
        render_document("training.certificate", {}, "odt")
    with pytest.raises(DomainError):
        render_many("training.certificate", [], "pdf")


def test_document_filename_is_ascii() -> None:
    ctx = sample("admissions.admission_decision")
    assert (
        document_filename("admissions.admission_decision", ctx, "pdf")
        == "QD-ket-nap_125-QD-HU_Nguyen-Thi-Ung.pdf"
    )
    assert document_filename("training.certificate", {"full_name": NAME_B}, "docx") == (
        "GCN_Dang-Van-An.docx"
    )


@pytest.mark.django_db
def test_document_response() -> None:
    resp = document_response("training.certificate", sample("training.certificate"), inline=True)
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith('inline; filename="GCN_')
    assert resp.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_templates_cannot_load_files_or_other_libraries() -> None:
    from django.template import TemplateSyntaxError

    from ptdv.documents.engine import compile_template

    with pytest.raises(TemplateSyntaxError):
        compile_template("{% load static %}x")
    # an image pointing at a host file is refused by the fetcher, the page still renders
    from ptdv.documents.render import html_to_pdf

    pdf = html_to_pdf(['<p>x</p><img src="file:///etc/hostname">'])
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db
def test_long_document_numbers_pages_and_keeps_text_on_signature_page(tmp_path: Any) -> None:
    code = "admissions.cell_resolution"
    ctx = sample(code, strengths="Luôn gương mẫu, nhiệt tình. " * 12)
    text = pdf_text(render_document(code, ctx), tmp_path)
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    assert not pages[0].lstrip().startswith("1")  # no number on page 1
    assert pages[1].lstrip().startswith("2")  # page numbers from page 2, at the top
    last = pages[-1]
    assert "T/M CHI BỘ" in last
    assert "Chi bộ đề nghị Đảng ủy xã Ngọc Phái" in last  # text travels with the signature


def test_readme_lists_every_code_and_key() -> None:
    from pathlib import Path

    from ptdv.documents.registry import COMMON_KEYS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for code, spec in SPECS.items():
        assert f"`{code}`" in readme, code
        for key in spec.keys:
            assert f"`{key}`" in readme, (code, key)
    for key in COMMON_KEYS:
        assert f"`{key}`" in readme, key


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "title", "honorific"),
    [
        ("awareness", "bồi dưỡng nhận thức về Đảng", "Quần chúng"),
        ("new_member", "lý luận chính trị dành cho đảng viên mới", "Đồng chí"),
        ("cadre_skills", "bồi dưỡng nghiệp vụ công tác đảng", "Đồng chí"),
    ],
)
def test_certificate_title_by_course_kind(kind: str, title: str, honorific: str) -> None:
    html = render_html("training.certificate", sample("training.certificate", course_kind=kind))
    assert f"Hoàn thành chương trình {title}" in html
    assert f"{honorific}: <b>{NAME_A}</b>" in html
    assert "Giấy chứng nhận có giá trị đến hết ngày 15/03/2024." in html


@pytest.mark.django_db
def test_issue_date_alias_and_docx_page_numbers() -> None:
    ctx = sample("training.certificate", issue_date=sample("training.certificate")["date"])
    del ctx["date"]
    assert "Chợ Đồn, ngày 15 tháng 3 năm 2019" in render_html("training.certificate", ctx)
    _, doc = docx_text(
        render_document("admissions.cell_resolution", sample("admissions.cell_resolution"), "docx")
    )
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header.paragraphs[0]._element.xml
    assert not section.first_page_header.paragraphs[0].text


@pytest.mark.django_db
def test_decomposed_text_is_composed(tmp_path: Any) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", NAME_B)
    assert nfd != NAME_B
    ctx = sample("training.certificate", full_name=nfd, recipients=[nfd])
    assert NAME_B in render_html("training.certificate", ctx)
    text, _ = docx_text(render_document("training.certificate", ctx, "docx"))
    assert NAME_B in text and nfd not in text


@pytest.mark.django_db
def test_docx_keeps_no_break_spaces() -> None:
    text, _ = docx_text(
        render_document("training.certificate", sample("training.certificate"), "docx")
    )
    assert "12/05/1998\xa0\xa0\xa0\xa0Dân tộc: Tày" in text


@pytest.mark.django_db
def test_docx_elements_in_schema_order() -> None:
    """Word rejects some out-of-order elements: tblBorders before tblLayout/tblLook, and
    szCs right after sz (before u)."""
    code = "admissions.admission_decision"
    _, doc = docx_text(render_document(code, sample(code), "docx"))
    body = doc.element.body
    for tbl_pr in body.iter(qn("w:tblPr")):
        tags = [child.tag for child in tbl_pr]
        assert tags.index(qn("w:tblBorders")) < tags.index(qn("w:tblLayout"))
    for rpr in body.iter(qn("w:rPr")):
        tags = [child.tag for child in rpr]
        if qn("w:szCs") in tags:
            assert tags.index(qn("w:szCs")) == tags.index(qn("w:sz")) + 1
        if qn("w:u") in tags and qn("w:sz") in tags:
            assert tags.index(qn("w:u")) > tags.index(qn("w:szCs"))
