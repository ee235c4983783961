"""Every paper of the dossier filled for a case taken through the services (issue 15
point 6): each known field is in the DOCX text, no dotted blank stands where a known
value belongs, the signature block names the body, the signer's position and name held
on the paper's date, and "Nơi nhận" is there."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from docx import Document

from ptdv.access.models import Position, Role
from ptdv.admissions import papers
from ptdv.admissions import vetting as V
from ptdv.admissions.tests.conftest import TODAY, D, drive
from ptdv.admissions.views import DOCUMENTS, document_context
from ptdv.admissions.views.documents import _common_context
from ptdv.documents.render import render_document, render_many
from ptdv.people import services as P

pytestmark = pytest.mark.django_db

HOMETOWN = "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn"
DOTS = "……"


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts).replace("\u00a0", " ")


def _secretary(unit: Any, name: str, title: str) -> None:
    user = get_user_model().objects.create_user(username=name.replace(" ", ".").lower())
    user.first_name = name  # Vietnamese accounts keep the full name in first_name
    user.save()
    Position.objects.create(
        user=user, org_unit=unit, role=Role.COMMITTEE, title=title, term_start=D(2020, 1, 1)
    )


@pytest.fixture
def case(world: Any) -> Any:
    P.person_update(actor=None, person=world.applicant, hometown=HOMETOWN)
    P.relative_add(
        actor=None,
        person=world.applicant,
        relation="father",
        full_name="Hoàng Văn Bố",
        birth_year=1970,
        hometown=HOMETOWN,
        residence="thôn Nà Pậu",
        occupation="Làm ruộng",
        political_history="Không tham gia tổ chức nào khác",
        today=TODAY,
    )
    _secretary(world.tree.cell, "Lường Văn Thư", "Bí thư chi bộ")
    _secretary(world.tree.district, "Hoàng Thị Ánh", "Phó Bí thư Huyện ủy")
    return drive(world, "recognized")


SIGNED_BY_A_PERSON = {
    "admissions.background_form",
    "admissions.application",
    "admissions.introduction",
    "admissions.self_review",
    "admissions.helper_comment",
    "admissions.ceremony_minutes",
}


def test_every_paper_is_filled(case: Any, world: Any) -> None:
    case.helpers.set([world.members[2]])
    for code, _label, _stage in DOCUMENTS:
        if code == "admissions.removal_decision":
            continue  # not this case's path
        ctx = document_context(case, code)
        if isinstance(ctx, list):  # one paper per introducer / helper, in one file
            text = _text(render_many(code, ctx, "docx"))
        else:
            text = _text(render_document(code, ctx, "docx"))
        assert case.person.full_name in text, code
        assert HOMETOWN in text, code
        if code not in SIGNED_BY_A_PERSON | {"admissions.union_introduction"}:
            assert "Nơi nhận" in text, code
        if code in SIGNED_BY_A_PERSON - {"admissions.ceremony_minutes"}:
            # everything the system knows is printed: a dotted blank only for the date
            # the writer puts by hand when the paper is not recorded yet
            assert DOTS not in text.replace("ngày …… tháng …… năm ……", ""), (code, text)
        if code == "admissions.introduction":
            assert world.members[0].full_name in text and world.members[1].full_name in text
            assert "01/01/2022" in text  # worked with the applicant since
        if code == "admissions.helper_comment":
            assert world.members[2].full_name in text
        if code in {"admissions.self_review", "admissions.helper_comment"}:
            assert "15/09/2025" in text or case.official_on.strftime("%d/%m/%Y") in text
        if code in {
            "admissions.grassroots_resolution",
            "admissions.recognition_grassroots_resolution",
        }:
            assert "Tổng số cấp ủy viên: 9 đồng chí; có mặt: 9 đồng chí; vắng mặt: 0" in text
            assert "T/M ĐẢNG ỦY" in text, code
            assert DOTS not in text.split("Nơi nhận")[0], (code, text)
        if code == "admissions.recognition_cell_resolution":
            assert "T/M CHI BỘ" in text and "123-QĐ/HU" in text and "6/6 đồng chí" in text
            assert "dự bị: 1 đồng chí" in text  # the applicant, probationary that day
            assert DOTS not in text.split("Có mặt")[0], text
        if code == "admissions.background_form":
            assert "Hoàng Văn Bố" in text and "1970" in text and "Làm ruộng" in text
        elif code in SIGNED_BY_A_PERSON or "grassroots_resolution" in code:
            pass
        elif code == "admissions.union_introduction":
            # the union's own paper: its body and signer are written by hand
            assert "ĐOÀN TNCS HỒ CHÍ MINH" in text and "T/M BAN CHẤP HÀNH" in text
        elif code == "admissions.comments":
            assert "T/M CHI ỦY" in text and "Lường Văn Thư" in text
            assert DOTS not in text.split("(Chi ủy tổng hợp")[0], text
        elif code in {
            "admissions.cell_resolution",
            "admissions.ceremony_minutes",
            "admissions.recognition_cell_resolution",
        }:
            assert "T/M CHI BỘ" in text and "BÍ THƯ" in text and "Lường Văn Thư" in text, code
        else:
            assert "T/M BAN THƯỜNG VỤ" in text, code
        if code == "admissions.cell_resolution":
            # 6-KNĐ: the totals come from the registry and the vote
            assert "Tổng số đảng viên của chi bộ: 6 đồng chí" in text
            assert "chính thức: 6 đồng chí" in text and "dự bị: 0 đồng chí" in text
            assert "Có mặt: 6 đồng chí" in text and "vắng mặt: 0 đồng chí" in text
            assert "6/6 đồng chí, đạt 100%" in text
            assert DOTS not in text.split("Chủ trì")[0], text
        if code == "admissions.admission_decision":
            assert DOTS not in text, text


def test_signer_from_the_position_held_that_day(world: Any) -> None:
    _secretary(world.tree.cell, "Lường Văn Thư", "Bí thư chi bộ")
    Position.objects.filter(org_unit=world.tree.cell, title="Bí thư chi bộ").update(
        term_end=D(2023, 12, 31)
    )
    _secretary(world.tree.cell, "Đinh Thị Mới", "Bí thư chi bộ")
    Position.objects.filter(user__username="đinh.thị.mới").update(term_start=D(2024, 1, 1))
    old = papers.signer_on(world.tree.cell, D(2023, 6, 1))
    new = papers.signer_on(world.tree.cell, D(2024, 6, 1))
    assert old == {
        "signer_on_behalf": "T/M CHI BỘ",
        "signer_title": "Bí thư",
        "signer_name": "Lường Văn Thư",
    }
    assert new["signer_name"] == "Đinh Thị Mới"
    assert papers.signer_on(world.tree.district, D(2024, 6, 1))["signer_on_behalf"] == (
        "T/M BAN THƯỜNG VỤ"
    )


def test_vetting_letter_filled(world: Any) -> None:
    P.person_update(actor=None, person=world.applicant, hometown=HOMETOWN)
    father = P.relative_add(
        actor=None,
        person=world.applicant,
        relation="father",
        full_name="Hoàng Văn Bố",
        birth_year=1970,
        residence="thôn Bản Cuôn, xã Bằng Lãng",
        today=TODAY,
    )
    case = drive(world, "background_declared")
    req = V.vetting_request_add(
        actor=world.personas.district_officer,
        case=case,
        relative=father,
        addressee="Đảng ủy xã Bằng Lãng",
        place="thôn Bản Cuôn, xã Bằng Lãng",
        sent_on=D(2024, 4, 20),
        due_on=D(2024, 5, 20),
        number="12-CV/ĐU",
        today=TODAY,
    )
    ctx = papers.vetting_letter_context(case, req, _common_context(case))
    text = _text(render_document("admissions.vetting_letter", ctx, "docx"))
    for value in (
        "Số 12-CV/ĐU",
        "Kính gửi: Đảng ủy xã Bằng Lãng",
        "Hoàng Văn Bố",
        "sinh năm 1970",
        "là bố của quần chúng",
        "thôn Bản Cuôn, xã Bằng Lãng",
        "20/05/2024",
        HOMETOWN,
        "Nơi nhận",
        "T/M ĐẢNG ỦY",
    ):
        assert value in text, value
    assert DOTS not in text.split("Nơi nhận")[0]


def test_certificate_header_on_one_line_in_the_pdf(tmp_path: Any) -> None:
    from ptdv.documents.registry import SPECS

    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = render_document("training.certificate", SPECS["training.certificate"].sample())
    f = tmp_path / "c.pdf"
    f.write_bytes(pdf)
    text = subprocess.run(
        [tool, "-layout", str(f), "-"], check=True, capture_output=True, text=True
    ).stdout.replace("\u00a0", " ")
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in line for line in text.splitlines())
    docx = Document(
        io.BytesIO(
            render_document("training.certificate", SPECS["training.certificate"].sample(), "docx")
        )
    )
    motto = [
        p.text
        for t in docx.tables
        for c in t.rows[0].cells
        for p in c.paragraphs
        if "ĐẢNG" in p.text and "VIỆT" in p.text
    ]
    assert motto == ["ĐẢNG\u00a0CỘNG\u00a0SẢN\u00a0VIỆT\u00a0NAM"]  # Word cannot break it


def test_case_page_lists_what_is_left_for_the_hand(case: Any, world: Any) -> None:
    from django.test import Client

    cr = papers.blanks(
        "admissions.cell_resolution", document_context(case, "admissions.cell_resolution")
    )
    assert "thư ký" in cr and "ưu điểm" in cr and "khuyết điểm" in cr
    assert (
        "tổng số đảng viên" not in cr
        and "quê quán" not in cr
        and "số chính thức tán thành" not in cr
    )
    decision = papers.blanks(
        "admissions.admission_decision", document_context(case, "admissions.admission_decision")
    )
    assert "quê quán" not in decision and "số nghị quyết của chi bộ" not in decision
    c = Client()
    c.force_login(world.personas.district_officer)
    page = c.get(f"/admissions/cases/{case.uid}/").content.decode()
    assert 'data-blanks="admissions.cell_resolution"' in page
