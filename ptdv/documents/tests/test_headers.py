from __future__ import annotations

from typing import Any

import pytest

from ptdv.documents.headers import header_context
from ptdv.documents.render import render_html


@pytest.mark.django_db
def test_header_of_a_district_committee(tree: Any) -> None:
    ctx = header_context(tree.district, doc_abbrev="QĐ")
    assert ctx == {
        "issuer_parent": "Đảng bộ tỉnh Thử",
        "issuer": "Huyện ủy An",
        "place": "An",
        "number_symbol": "QĐ/HU",
    }


@pytest.mark.django_db
def test_header_of_a_cell_takes_place_from_its_commune(tree: Any) -> None:
    ctx = header_context(tree.cell, doc_abbrev="NQ")
    assert ctx["issuer_parent"] == "Đảng bộ xã Xuân"
    assert ctx["issuer"] == "Chi bộ thôn Nà Pậu"
    assert ctx["place"] == "Xuân"
    assert ctx["number_symbol"] == "NQ/CB"


@pytest.mark.django_db
def test_header_context_feeds_a_template(tree: Any) -> None:
    ctx = {**header_context(tree.district), "number": "7-QĐ/HU"}
    html = render_html("admissions.admission_decision", ctx)
    assert "ĐẢNG BỘ TỈNH THỬ" in html and "HUYỆN ỦY AN" in html and "Số 7-QĐ/HU" in html
