"""The demo's position holders are people: a signature block prints the holder's name
(issue 15 point 3), never the title stored again as a name."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from ptdv.admissions import papers
from ptdv.demo.context import DemoContext
from ptdv.demo.plan import Plan
from ptdv.demo.steps import people as demo
from ptdv.organizations.models import OrgKind, OrgUnit


def test_each_demo_account_has_a_vietnamese_name_not_its_title() -> None:
    names = [demo._holder_name(username) for username, *_rest in demo.DEMO_USERS]
    for (_username, _role, _org, title), name in zip(demo.DEMO_USERS, names, strict=True):
        assert name != title
        assert len(name.split()) == 3
        assert "Bí thư" not in name and "Chuyên viên" not in name
    assert len(set(names)) == len(names)
    assert demo._holder_name("lanhdao") == demo._holder_name("lanhdao")  # fixed per account


@pytest.mark.django_db
def test_the_demo_signature_block_reads_body_position_and_name() -> None:
    kinds = {"BK": OrgKind.PROVINCE, "CD": OrgKind.DISTRICT, "CD-NP": OrgKind.GRASSROOTS_COMMITTEE}
    ids: dict[str, int] = {}
    for code, kind in kinds.items():
        ids[code] = OrgUnit.objects.create(code=code, name=f"Đảng bộ {code}", kind=kind).pk
    ids["CD-BL-T01-CB"] = OrgUnit.objects.create(
        code="CD-BL-T01-CB", name="Chi bộ Tổ 1", kind=OrgKind.CELL
    ).pk
    ctx = DemoContext(
        plan=Plan(orgs=[], villages=[], people=[]),
        today=dt.date(2026, 1, 1),
        actor=None,
        out=io.StringIO(),
        org_ids=ids,
    )
    demo._users(ctx)
    block: dict[str, Any] = papers.signer_on(OrgUnit.objects.get(code="CD"), dt.date(2025, 3, 1))
    assert block == {
        "signer_on_behalf": "T/M BAN THƯỜNG VỤ",
        "signer_title": "Phó Bí thư",
        "signer_name": demo._holder_name("lanhdao"),
    }
    cell = papers.signer_on(OrgUnit.objects.get(code="CD-BL-T01-CB"), dt.date(2025, 3, 1))
    assert cell["signer_on_behalf"] == "T/M CHI BỘ"
    assert cell["signer_name"] == demo._holder_name("chibo.to1")
