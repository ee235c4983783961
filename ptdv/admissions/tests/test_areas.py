"""Special areas from the applicant's residence (issue 15 point 2), against the database:
loading a decision's list (audited, all or nothing, Vietnamese row errors), the exception
decided from the residence on the vote's date with the decision cited, a move, a commune
merged after the decision, the cell's flag counted only once confirmed (audited), and the
pages: the board's list and the case's section."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ptdv.admissions import checks
from ptdv.admissions import services as S
from ptdv.admissions.areas import area_flag_confirm, area_verdict
from ptdv.admissions.models import AreaFlagConfirmation
from ptdv.admissions.tests.conftest import TODAY, drive, step
from ptdv.audit.models import AuditEntry
from ptdv.core.errors import BulkError, DomainError
from ptdv.organizations import area_lists
from ptdv.organizations.models import AreaDecision, AreaListing, ResidentialUnitLink
from ptdv.organizations.services import residential_unit_create
from ptdv.people.models import Person
from ptdv.people.residence import residence_move
from ptdv.policy.area_services import decision_load

pytestmark = pytest.mark.django_db
D = dt.date
VOTE_ON = D(2024, 8, 1)  # the cell's vote in ``drive``
CSV = "Loại,Tên,Xã\nthôn,thôn Nà Pậu,xã Xuân\n".encode()


def _load(csv: bytes = CSV, **kw: Any) -> AreaDecision:
    args: dict[str, Any] = {
        "actor": None,
        "number": "612/QĐ-UBDT",
        "issuer": "Ủy ban Dân tộc",
        "signed_on": D(2021, 9, 16),
        "category": "especially_difficult",
        "valid_from": D(2021, 9, 16),
        "valid_to": D(2025, 12, 31),
        "rows": area_lists.read_rows(csv, "list.csv"),
    }
    return decision_load(**{**args, **kw})


def _primary_applicant(world: Any, village: Any) -> None:
    Person.objects.filter(pk=world.applicant.pk).update(
        education_general="primary", residential_unit=village
    )
    world.applicant.refresh_from_db()


def test_a_list_is_loaded_matched_and_audited(world: Any) -> None:
    csv = "Loại,Tên,Xã\nxã,xã Xuân,\nthôn,Nà Pậu,xã Xuân\n".encode()
    d = _load(csv, actor=world.personas.district_officer, top=world.tree.district)
    rows = {(x.kind, x.listed_name): x for x in d.listings.all()}
    assert rows[("commune", "xã Xuân")].commune == world.tree.grassroots
    assert rows[("village", "Nà Pậu")].village == world.tree.village
    entry = AuditEntry.objects.get(action="organizations.area_decision.loaded")
    assert entry.data["places"] == 2
    with pytest.raises(DomainError, match="đã được nạp"):
        _load(csv)


def test_a_bad_list_is_refused_in_vietnamese_and_loads_nothing(world: Any) -> None:
    csv = "Loại,Tên\nthôn,thôn Không Có\nphố,Hàng Bạc\nxã,\n".encode()
    with pytest.raises(BulkError) as exc:
        _load(csv)
    assert [(r.row, r.message) for r in exc.value.rows] == [
        (2, "Không tìm thấy thôn “thôn Không Có” trong hệ thống."),
        (3, "Loại “phố” không rõ (xã hoặc thôn)."),
        (4, "Thiếu tên địa bàn."),
    ]
    assert not AreaDecision.objects.exists() and not AreaListing.objects.exists()
    with pytest.raises(DomainError, match="Loại"):
        area_lists.read_rows("Tên\nNà Pậu\n".encode(), "x.csv")
    with pytest.raises(DomainError, match="hết hiệu lực"):
        _load(valid_to=D(2020, 1, 1))


def test_the_exception_comes_from_the_residence_and_cites_the_decision(world: Any) -> None:
    _load()
    _primary_applicant(world, world.tree.village)
    case = drive(world, "introductions_collected")
    assert not case.special_area  # the cell itself carries no flag
    findings = checks.admission_findings(case, VOTE_ON)
    edu = [f for f in findings if f.code.startswith("education.")]
    assert [(f.code, f.severity) for f in edu] == [("education.special_area_exception", "warning")]
    assert "Thôn Nà Pậu" in edu[0].message and "01/08/2024" in edu[0].message
    assert "612/QĐ-UBDT" in edu[0].message and "612/QĐ-UBDT" in edu[0].source
    assert "1.2" in edu[0].source  # the rule's own citation stays first
    case = step(world, case, "cell_voted", world.personas.district_officer)
    assert case.stage == "cell_voted"


def test_a_lapsed_decision_does_not_apply(world: Any) -> None:
    _load(valid_to=D(2024, 7, 31))  # ends the day before the vote
    _primary_applicant(world, world.tree.village)
    case = drive(world, "introductions_collected")
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "cell_voted", world.personas.district_officer)
    assert exc.value.findings[0].code == "education.too_low"
    assert "không còn (hoặc chưa có) hiệu lực" in exc.value.findings[0].message


def test_a_move_after_the_vote_does_not_count(world: Any) -> None:
    _load()
    town = residential_unit_create(
        actor=None,
        code="A-X-T9",
        name="Tổ 9",
        kind="residential_group",
        org_unit=world.tree.grassroots,
    )
    _primary_applicant(world, town)
    residence_move(
        actor=None,
        person=world.applicant,
        village=world.tree.village,
        since=D(2024, 8, 2),
        today=TODAY,
    )
    world.applicant.refresh_from_db()
    assert world.applicant.residential_unit == world.tree.village
    case = drive(world, "introductions_collected")
    assert not area_verdict(case, VOTE_ON).applies  # still in Tổ 9 on the vote's date
    assert area_verdict(case, D(2024, 8, 2)).applies
    assert AuditEntry.objects.filter(action="people.residence.moved").count() == 1
    with pytest.raises(DomainError):  # a move dated before the current residence began
        residence_move(
            actor=None, person=world.applicant, village=town, since=D(2024, 8, 1), today=TODAY
        )


def test_a_commune_listed_before_its_merger_still_covers_its_villages(world: Any) -> None:
    _load("Loại,Tên\nxã,xã Xuân\n".encode(), signed_on=D(2021, 6, 4), valid_from=D(2021, 6, 4))
    village = world.tree.village
    # 01/07/2025: the commune is merged; its village moves to the new commune (kept as is)
    ResidentialUnitLink.objects.create(
        village=village,
        org_unit=world.tree.grassroots,
        valid_from=D(2000, 1, 1),
        valid_to=D(2025, 6, 30),
    )
    village.org_unit = world.tree.sibling_grassroots
    village.linked_since = D(2025, 7, 1)
    village.save()
    later = residential_unit_create(
        actor=None,
        code="B-Y-T2",
        name="Thôn Bản Mới",
        kind="village",
        org_unit=world.tree.sibling_grassroots,
    )
    assert [x.listed_name for x in area_lists.listings_covering(village.pk)] == ["xã Xuân"]
    assert area_lists.listings_covering(later.pk) == []  # the new commune's own villages: no
    _primary_applicant(world, village)
    case = drive(world, "introductions_collected")
    verdict = area_verdict(case, D(2025, 8, 1))
    assert verdict.applies and "xã Xuân" in verdict.explanation
    assert not area_verdict(case, D(2026, 1, 1)).applies  # the decision ended


def test_the_cell_flag_counts_only_once_confirmed(world: Any) -> None:
    _primary_applicant(world, world.tree.village)  # no list loaded
    case = drive(world, "introductions_collected")
    case.special_area = True
    case.save(update_fields=["special_area"])
    officer = world.personas.district_officer
    with pytest.raises(S.StepRefusedError) as exc:
        step(world, case, "cell_voted", officer)
    assert "xác nhận" in exc.value.findings[0].message
    with pytest.raises(DomainError):
        area_flag_confirm(actor=officer, case=case, reason="  ", today=TODAY)
    with pytest.raises(DomainError):  # outside the officer's subtree
        area_flag_confirm(actor=world.personas.sibling_officer, case=case, reason="x", today=TODAY)
    assert not AreaFlagConfirmation.objects.exists()
    area_flag_confirm(actor=officer, case=case, reason="Thôn vùng cao, đã xác minh", today=TODAY)
    entry = AuditEntry.objects.get(action="admissions.area_flag.confirmed")
    assert entry.data["reason"] == "Thôn vùng cao, đã xác minh"
    edu = [f for f in checks.admission_findings(case, VOTE_ON) if f.code.startswith("education.")]
    assert edu[0].code == "education.special_area_exception"
    assert "Thôn vùng cao, đã xác minh" in edu[0].message
    assert step(world, case, "cell_voted", officer).stage == "cell_voted"
    with pytest.raises(DomainError, match="đã được xác nhận"):
        area_flag_confirm(actor=officer, case=case, reason="lần hai", today=TODAY)


def test_the_board_page_lists_and_loads(client: Any, world: Any) -> None:
    _load()
    client.force_login(world.personas.district_officer)
    url = reverse("policy:areas")
    page = client.get(url).content.decode()
    assert "Quyết định 612/QĐ-UBDT ngày 16/09/2021 của Ủy ban Dân tộc" in page
    assert "thôn Nà Pậu" in page and "16/09/2021 – 31/12/2025" in page
    form = {
        "number": "861/QĐ-TTg",
        "issuer": "Thủ tướng Chính phủ",
        "signed_on": "04/06/2021",
        "category": "ethnic_minority",
        "valid_from": "04/06/2021",
        "valid_to": "31/12/2025",
    }
    bad = client.post(
        url, {**form, "file": SimpleUploadedFile("l.csv", "Loại,Tên\nxã,xã Không\n".encode())}
    )
    assert bad.status_code == 400
    assert "Dòng 2:" in bad.content.decode() and "Không tìm thấy xã" in bad.content.decode()
    assert AreaDecision.objects.count() == 1
    ok = client.post(
        url, {**form, "file": SimpleUploadedFile("l.csv", "Loại,Tên\nxã,xã Xuân\n".encode())}
    )
    assert ok.status_code == 302
    assert AreaDecision.objects.count() == 2
    client.force_login(world.personas.viewer)  # a leader sees the list, cannot load
    page = client.get(url)
    assert page.status_code == 200 and "Nạp danh sách" not in page.content.decode()
    assert client.post(url, {**form, "file": SimpleUploadedFile("l.csv", b"x")}).status_code == 403


def test_the_case_page_explains_and_confirms(client: Any, world: Any) -> None:
    _primary_applicant(world, world.tree.village)
    case = drive(world, "introductions_collected")
    case.special_area = True
    case.save(update_fields=["special_area"])
    client.force_login(world.personas.district_officer)
    page = client.get(reverse("admissions:case_detail", args=[case.uid])).content.decode()
    assert 'id="special-area"' in page and "Thôn Nà Pậu, xã Xuân" in page
    assert "chỉ được áp dụng khi cán bộ xác nhận" in page and 'id="form-area-confirm"' in page
    url = reverse("admissions:area_confirm", args=[case.uid])
    client.post(url, {"reason": ""})
    assert not AreaFlagConfirmation.objects.exists()
    client.post(url, {"reason": "Chi bộ vùng cao"})
    page = client.get(reverse("admissions:case_detail", args=[case.uid])).content.decode()
    assert "Chi bộ vùng cao" in page and 'id="form-area-confirm"' not in page
    client.force_login(world.personas.sibling_officer)
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_the_demo_step_lists_communes_and_villages(world: Any) -> None:
    import io

    from ptdv.demo.context import DemoContext
    from ptdv.demo.plan import Plan
    from ptdv.demo.steps import special_areas as area_demo
    from ptdv.organizations.services import org_unit_create

    commune = org_unit_create(
        actor=None,
        code="CD-NP",
        name="Đảng bộ xã Ngọc Phái",
        kind="grassroots_committee",
        sector="commune_ward",
        parent=world.tree.district,
        valid_from=D(2000, 1, 1),
    )
    cell = org_unit_create(
        actor=None,
        code="CD-NP-T01-CB",
        name="Chi bộ thôn Bản Ruồng",
        kind="cell",
        sector="residential",
        parent=commune,
        valid_from=D(2000, 1, 1),
    )
    home = residential_unit_create(
        actor=None, code="CD-NP-T09", name="Thôn Nà Khoang", kind="village", org_unit=commune
    )
    listed = [
        residential_unit_create(
            actor=None, code=f"CD-NP-T0{i}", name=f"Thôn {i}", kind="village", org_unit=commune
        )
        for i in range(1, 5)
    ]
    source = Person.objects.create(
        full_name="Ma Văn Nguồn",
        date_of_birth=D(2000, 1, 1),
        gender="male",
        org_unit=cell,
        residential_unit=home,
    )
    ctx = DemoContext(plan=Plan(), today=TODAY, actor=None, out=io.StringIO())
    area_demo.run(ctx)
    illustrative = AreaDecision.objects.get(number="MH-01/QĐ")
    assert [x.commune for x in illustrative.listings.all()] == [commune]
    assert "Không phải văn bản thật" in illustrative.source_note
    village_list = AreaDecision.objects.get(number="612/QĐ-UBDT")
    assert "CHƯA ĐỐI CHIẾU" in village_list.source_note
    assert {x.village for x in village_list.listings.all()} == set(listed)  # the first 4
    source.refresh_from_db()
    assert source.residences.count() == 2  # the source moved to a listed village
    assert source.residential_unit == listed[0]
    _primary_applicant(world, home)
    case = drive(world, "introductions_collected")
    assert area_verdict(case, VOTE_ON).applies
