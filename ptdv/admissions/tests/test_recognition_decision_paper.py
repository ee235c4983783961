"""The decision recognizing an official member (form 16-KNĐ — its number in the 12-HD/BTCTW
appendix is marked unverified in the paper's note) filled from the case's records: every
field the system knows is printed and no dotted blank stands where a known value belongs."""

from __future__ import annotations

from typing import Any

import pytest

from ptdv.admissions.tests.test_papers import DOTS, HOMETOWN, _text, case  # noqa: F401
from ptdv.admissions.views import DOCUMENTS, document_context
from ptdv.documents.registry import SPECS
from ptdv.documents.render import render_document

pytestmark = pytest.mark.django_db


def test_the_16_knd_paper_is_listed_with_its_form_code_and_note() -> None:
    labels = {code: str(label) for code, label, _stage in DOCUMENTS}
    assert "16-KNĐ" in labels["admissions.recognition_decision"]
    spec = SPECS["admissions.recognition_decision"]
    assert "16-KNĐ" in str(spec.name)
    assert "CHƯA XÁC MINH" in spec.note and "12-HD/BTCTW" in spec.note


def test_the_16_knd_paper_is_filled_from_the_records(case: Any) -> None:  # noqa: F811
    ctx = document_context(case, "admissions.recognition_decision")
    text = _text(render_document("admissions.recognition_decision", ctx, "docx"))
    votes = {(v.body, v.purpose): v for v in case.votes.all()}
    cell_vote, grassroots_vote = (
        votes[("cell", "recognition")],
        votes[("grassroots", "recognition")],
    )
    person = case.person
    for value in (
        "QUYẾT ĐỊNH",
        "Công nhận đảng viên chính thức",
        person.full_name,
        person.date_of_birth.strftime("%d/%m/%Y"),
        HOMETOWN,
        "456-QĐ/HU",  # this decision's number
        "123-QĐ/HU",  # the admission decision it rests on
        case.ceremony_on.strftime("%d/%m/%Y"),
        case.official_on.strftime("%d/%m/%Y"),
        cell_vote.resolution_number,
        cell_vote.date.strftime("%d/%m/%Y"),
        grassroots_vote.resolution_number,
        grassroots_vote.date.strftime("%d/%m/%Y"),
        case.org_unit.name,
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Hoàng Thị Ánh",  # the district's deputy secretary on the decision's date
        "Nơi nhận",
    ):
        assert value in text, (value, text)
    assert DOTS not in text, text
    assert "None" not in text


def test_a_title_recorded_as_the_signer_gives_way_to_the_holders_name(case: Any) -> None:  # noqa: F811
    """The demo (and a hurried user) record "Phó Bí thư Thường trực Huyện ủy" as the
    decision's signer: the block prints the name of the deputy secretary holding the
    position that day, never the title twice."""
    case.decisions.filter(kind="recognition").update(signer="Phó Bí thư Thường trực Huyện ủy")
    ctx = document_context(case, "admissions.recognition_decision")
    text = _text(render_document("admissions.recognition_decision", ctx, "docx"))
    block = text.split("T/M BAN THƯỜNG VỤ")[1]
    assert "Hoàng Thị Ánh" in block and "Huyện ủy" not in block.split("Nơi nhận")[0]
    case.decisions.filter(kind="recognition").update(signer="Nông Văn Ký")
    ctx = document_context(case, "admissions.recognition_decision")
    assert ctx["signer_name"] == "Nông Văn Ký"  # a recorded name is kept
