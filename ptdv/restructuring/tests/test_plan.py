"""Restructuring plans: checked as a whole, previewed, applied in one transaction,
undone as a whole (the code shared by the import, the CLI and the demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ptdv.access.models import Position
from ptdv.organizations import history
from ptdv.organizations.models import OrgUnit, OrgUnitVersion, ResidentialUnit, Restructuring
from ptdv.people.selectors import members_on
from ptdv.restructuring import plan
from ptdv.restructuring.selectors import undo_problem
from ptdv.restructuring.services import restructure_undo
from ptdv.restructuring.tests.helpers import MERGE_PLAN, D, member, plan_file

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        sorted(OrgUnit.objects.values_list("code", "name", "parent_id", "valid_to", "path")),
        sorted(OrgUnitVersion.objects.values_list("unit_id", "valid_from", "valid_to", "path")),
        sorted(ResidentialUnit.objects.values_list("code", "org_unit_id")),
        sorted(Position.objects.values_list("user_id", "org_unit_id", "term_end")),
        Restructuring.objects.filter(undone_at__isnull=True).count(),
    )


def test_merge_plan_applied_and_undone(tree: Any, personas: Any, tmp_path: Path) -> None:
    p = member(tree.cell, "Hoàng Thị Mai")
    q = member(tree.grassroots_cell, "Lý Văn Hùng")
    before = _state()
    rows = plan.load(plan_file(tmp_path, MERGE_PLAN))
    lines = plan.plan_preview(actor=None, rows=rows)
    assert _state() == before  # the preview changed nothing
    by_code = {line.code: line for line in lines}
    assert by_code["A"].before["members"] == 2 and by_code["A"].after["members"] == 0
    assert by_code["N"].before["members"] == 0 and by_code["N"].after["members"] == 1
    assert by_code["A-X"].before["villages"] == 1 and by_code["N"].after["villages"] == 1

    op = plan.plan_apply(actor=None, rows=rows)
    new = OrgUnit.objects.get(code="N")
    assert new.kind == "grassroots_committee" and new.authorised_to_admit
    district = OrgUnit.objects.get(code="A")
    assert district.valid_to == D(2025, 6, 30)
    assert OrgUnit.objects.get(code="A-X").valid_to == D(2025, 6, 30)
    # the past is unchanged: A held both on 30/06/2025, nobody after
    assert set(members_on(district, D(2025, 6, 30)).values_list("pk", flat=True)) == {p.pk, q.pk}
    assert not members_on(district, D(2025, 7, 1)).exists()
    assert set(members_on(new, D(2025, 7, 1)).values_list("pk", flat=True)) == {p.pk}
    province = OrgUnit.objects.get(code="P")
    assert members_on(province, D(2026, 12, 31)).count() == 2
    # the cell sits under the new commune from 01/07/2025
    assert history.version_on(tree.cell, D(2025, 7, 1)).parent_id == new.pk
    assert ResidentialUnit.objects.get(code="A-X-T1").org_unit_id == new.pk
    # the district's positions carry over to the province
    officer = Position.objects.filter(user=personas.district_officer).order_by("term_start")
    assert [(x.org_unit.code, x.term_end) for x in officer] == [
        ("A", D(2025, 6, 30)),
        ("P", None),
    ]

    assert undo_problem(op) is None
    restructure_undo(actor=None, op=op)
    after = _state()
    assert after[:4] == before[:4]
    assert not OrgUnit.objects.filter(code="N").exists()
    assert members_on(OrgUnit.objects.get(code="A"), D(2026, 12, 31)).count() == 2


def _problems(tmp_path: Path, lines: list[str]) -> list[plan.Problem]:
    rows = plan.load(plan_file(tmp_path, lines))
    with pytest.raises(plan.PlanError) as exc:
        plan.plan_apply(actor=None, rows=rows)
    return exc.value.problems


@pytest.mark.parametrize(
    ("lines", "row", "field", "words"),
    [
        # a unit named twice
        (
            [
                "A-X,B-Y,,,01/07/2025,QĐ 1,,,,",
                "A-X,B,,,01/07/2025,QĐ 1,,,,",
            ],
            3,
            "old_code",
            "dòng 2",
        ),
        # an unknown code
        (["ZZ,B-Y,,,01/07/2025,QĐ 1,,,,"], 2, "old_code", "ZZ"),
        (["A-T,A-T,,QQ,01/07/2025,QĐ 1,,,,"], 2, "new_parent", "QQ"),
        # a cycle: A placed under its own commune
        (["A,A,,A-X,01/07/2025,QĐ 1,,,,"], 2, "new_parent", "vòng"),
        # a cycle among new units
        (
            [
                ",N1,Một,N2,01/07/2025,QĐ 1,,,,",
                ",N2,Hai,N1,01/07/2025,QĐ 1,,,,",
            ],
            2,
            "new_parent",
            "vòng",
        ),
        # a date before the unit existed
        (["A-X,B-Y,,,01/01/1999,QĐ 1,,,,"], 2, "date", "01/01/2000"),
        # the receiving unit itself ends in the plan
        (["A-X,A-T,,,01/07/2025,QĐ 1,,,,", "A-T,P,,,01/07/2025,QĐ 1,,,,"], 2, "new_code", "A-T"),
        # a merge that would leave members without a unit (a cell into a committee)
        (["A-X-1,A-X,,,01/07/2025,QĐ 1,,,,"], 2, "new_code", "không còn nơi sinh hoạt"),
        # a dissolution that leaves its cells behind
        (["A-X,,,,01/07/2025,QĐ 1,,,,"], 2, "new_code", "giải thể"),
        # the decision is required
        (["A-T,A-T,,P,01/07/2025,,,,,"], 2, "decision_number", ""),
    ],
)
def test_bad_plans_are_refused_naming_row_and_column(
    tree: Any, tmp_path: Path, lines: list[str], row: int, field: str, words: str
) -> None:
    member(tree.cell, "Hoàng Thị Mai")
    before = _state()
    problems = _problems(tmp_path, lines)
    assert any(p.row == row and p.field == field for p in problems), problems
    text = " ".join(str(p) for p in problems)
    assert f"Dòng {row}" in text
    if words:
        assert words.lower() in text.lower(), text
    assert _state() == before


def test_a_date_after_the_unit_ended_is_refused(tree: Any, tmp_path: Path) -> None:
    from ptdv.organizations.services import org_unit_close

    org_unit_close(actor=None, unit=tree.other_cell, date=D(2020, 12, 31))
    before = _state()
    problems = _problems(tmp_path, ["A-X-2,A-X-2,Chi bộ Mới,,01/07/2025,QĐ 1,,,,"])
    assert [(p.row, p.field) for p in problems] == [(2, "date")]
    assert "31/12/2020" in str(problems[0]) and "Dòng 2" in str(problems[0])
    assert _state() == before


def test_unreadable_cells_name_row_and_column(tree: Any, tmp_path: Path) -> None:
    with pytest.raises(plan.PlanError) as exc:
        plan.load(plan_file(tmp_path, ["A-T,A-T,,P,31/02/2025,QĐ 1,,,,"]))
    assert "Dòng 2" in str(exc.value.problems[0]) and "Ngày hiệu lực" in str(exc.value.problems[0])


def test_xlsx_plan_is_read_like_csv(tree: Any, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Phương án sắp xếp"])
    ws.append([plan.header_label(f) for f in plan.COLUMNS])
    ws.append(["A-T", "A-T", "", "P", D(2025, 7, 1), "QĐ 1", None, "", "", ""])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    rows = plan.load(path)
    assert [(r.row, r.old_code, r.new_parent, r.date) for r in rows] == [
        (3, "A-T", "P", D(2025, 7, 1))
    ]
    plan.plan_apply(actor=None, rows=rows)
    assert history.version_on(tree.grassroots_cell, D(2025, 7, 1)).parent_id == tree.province.pk
