"""Demo step 35: lists of special areas by decision (issue 15 point 2), so a case page
shows the education exception decided from where the applicant lives.

The villages listed are the homes of a few applicants with open cases; two of them are
recorded as having moved there (a dated residence). The lists are illustrative: the demo's
villages are not the real Chợ Đồn lists, and the notes say so."""

from __future__ import annotations

import datetime as dt

from ptdv.admissions.models import AdmissionCase
from ptdv.demo.context import DemoContext
from ptdv.organizations.area_lists import ListRow
from ptdv.people.residence import place, residence_move
from ptdv.policy.area_services import decision_load

DEMO_ORDER = 35
LISTED = 4  # villages on the demo lists
MOVED_ON = dt.date(2022, 3, 1)


def run(ctx: DemoContext) -> None:
    cases = list(
        AdmissionCase.objects.filter(closed_on__isnull=True, person__residential_unit__isnull=False)
        .select_related("person__residential_unit__org_unit")
        .order_by("id")
    )
    villages = []
    for case in cases:
        v = case.person.residential_unit
        if v is not None and v not in villages:
            villages.append(v)
        if len(villages) == LISTED:
            break
    if not villages:
        return
    rows = [
        ListRow(i, "thôn", v.name, v.org_unit.name.removeprefix("Đảng bộ "), v.code)
        for i, v in enumerate(villages, start=2)
    ]
    decision_load(
        actor=None,
        number="612/QĐ-UBDT",
        issuer="Ủy ban Dân tộc",
        signed_on=dt.date(2021, 9, 16),
        category="especially_difficult",
        valid_from=dt.date(2021, 9, 16),
        valid_to=dt.date(2025, 12, 31),
        rows=rows,
        title="Phê duyệt danh sách thôn đặc biệt khó khăn vùng đồng bào dân tộc thiểu số và "
        "miền núi giai đoạn 2021–2025",
        source_note="Số, ngày và cơ quan ban hành theo hiểu biết chung, CHƯA ĐỐI CHIẾU văn bản "
        "gốc; các thôn ghi ở đây là dữ liệu minh họa của bản demo, không phải danh sách thật.",
    )
    decision_load(
        actor=None,
        number="DEMO-01/QĐ",
        issuer="Cơ quan có thẩm quyền (dữ liệu minh họa)",
        signed_on=dt.date(2026, 1, 1),
        category="especially_difficult",
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        rows=rows,
        title="Danh sách thôn đặc biệt khó khăn giai đoạn sau 2025 (minh họa)",
        source_note="Không phải văn bản thật: thay bằng quyết định đang có hiệu lực khi triển "
        "khai (nạp bằng lệnh “ptdv arealist load” hoặc trang Danh sách địa bàn đặc biệt).",
    )
    moved = 0
    for case in cases:
        if moved == 2:
            break
        person = case.person
        if person.residential_unit in villages:
            continue
        residence_move(
            actor=None, person=person, village=villages[moved], since=MOVED_ON, today=ctx.today
        )
        moved += 1
    ctx.say(f"  2 danh sách địa bàn đặc biệt: {', '.join(place(v) for v in villages)}")
