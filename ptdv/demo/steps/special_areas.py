"""Demo step (before the admission cases): lists of special areas by decision (issue 15
point 2), so the education exception of the demo's cases is decided from where each
applicant lives, and a case page says which list names the applicant's village.

- An illustrative list of every commune of the demo district as an ethnic-minority and
  mountainous area since 2008 (the demo's ceremonies run from 2009, their votes and
  consents from late 2008; the real lists of those years are not loaded): its note says
  it stands for them.
- The Ethnic Committee's 2021–2025 list of especially difficult villages, naming a few
  villages of xã Ngọc Phái (illustrative: not the real list, the note says so), and two
  sources recorded as having moved there on 01/03/2022 (a dated residence).
"""

from __future__ import annotations

import datetime as dt

from ptdv.demo.context import DemoContext
from ptdv.organizations.area_lists import ListRow
from ptdv.organizations.models import GRASSROOTS_KINDS, OrgUnit, ResidentialUnit
from ptdv.people.models import Person
from ptdv.people.residence import place, residence_move
from ptdv.policy.area_services import decision_load

SHOWCASE = "CD-NP"  # xã Ngọc Phái: the villages on the village list
LISTED = 4
MOVED_ON = dt.date(2022, 3, 1)


def run(ctx: DemoContext) -> None:
    communes = list(
        OrgUnit.objects.filter(
            kind__in=GRASSROOTS_KINDS, code__startswith="CD-", sector="commune_ward"
        ).order_by("code")
    )
    if not communes:
        return
    decision_load(
        actor=None,
        number="MH-01/QĐ",
        issuer="cơ quan có thẩm quyền (dữ liệu minh họa)",
        signed_on=dt.date(2008, 1, 1),
        category="ethnic_minority",
        valid_from=dt.date(2008, 1, 1),
        valid_to=None,
        rows=[
            ListRow(i, "xã", c.name.removeprefix("Đảng bộ "), "", c.code)
            for i, c in enumerate(communes, start=2)
        ],
        title="Các xã thuộc vùng đồng bào dân tộc thiểu số và miền núi (minh họa)",
        source_note="Không phải văn bản thật: đứng thay cho các quyết định phân định xã theo "
        "khu vực qua các thời kỳ (ví dụ 861/QĐ-TTg giai đoạn 2021–2025, CHƯA ĐỐI CHIẾU). "
        "Khi triển khai, nạp các quyết định thật bằng lệnh “ptdv arealist load”.",
    )
    villages = list(
        ResidentialUnit.objects.filter(org_unit__code=SHOWCASE).order_by("code")[:LISTED]
    )
    if not villages:
        return
    decision_load(
        actor=None,
        number="612/QĐ-UBDT",
        issuer="Ủy ban Dân tộc",
        signed_on=dt.date(2021, 9, 16),
        category="especially_difficult",
        valid_from=dt.date(2021, 9, 16),
        valid_to=dt.date(2025, 12, 31),
        rows=[ListRow(i, "thôn", v.name, "", v.code) for i, v in enumerate(villages, start=2)],
        title="Phê duyệt danh sách thôn đặc biệt khó khăn vùng đồng bào dân tộc thiểu số và "
        "miền núi giai đoạn 2021–2025",
        source_note="Số, ngày và cơ quan ban hành theo hiểu biết chung, CHƯA ĐỐI CHIẾU văn bản "
        "gốc; các thôn ghi ở đây là dữ liệu minh họa của bản demo, không phải danh sách thật.",
    )
    # two sources of the commune who moved to a listed village
    movers = (
        Person.objects.filter(
            status="none",
            residential_unit__org_unit__code=SHOWCASE,
            org_unit__path__startswith=OrgUnit.objects.get(code=SHOWCASE).path,
        )
        .exclude(residential_unit__in=villages)
        .order_by("id")[:2]
    )
    for i, person in enumerate(movers):
        residence_move(
            actor=None, person=person, village=villages[i], since=MOVED_ON, today=ctx.today
        )
    ctx.say(
        f"  {len(communes)} xã (minh họa) và {len(villages)} thôn đặc biệt khó khăn: "
        + ", ".join(place(v) for v in villages)
    )
