"""Demo step: the 2025 restructuring as data — the plan file
``ptdv/demo/data/sap-xep-2025.csv`` applied through the plan import
(``restructuring.plan``): Bắc Kạn and Chợ Đồn end on 30/06/2025, Chợ Đồn's communes are
merged into new commune committees directly under the Thái Nguyên provincial committee,
the agency and enterprise grassroots organizations are re-attached. The demo users'
positions at the ending committees carry over to the successors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgUnit
from ptdv.restructuring import plan

EFFECTIVE = dt.date(2025, 7, 1)
PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "sap-xep-2025.csv"


def run(ctx: DemoContext) -> None:
    if not OrgUnit.objects.filter(code="CD").exists() or ctx.today < EFFECTIVE:
        return
    rows = plan.load(PLAN_FILE)
    op = plan.plan_apply(
        actor=ctx.actor, rows=rows, summary="Sắp xếp tổ chức đảng năm 2025 (dữ liệu mẫu)"
    )
    ctx.say(f"  sắp xếp 2025: {len(rows)} dòng, thao tác #{op.pk}")
