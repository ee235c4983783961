from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ptdv.people.services import membership_event_add, person_create

D = dt.date
HEADER = (
    "Mã đơn vị cũ,Mã đơn vị mới,Tên đơn vị mới,Mã đơn vị cấp trên mới,Ngày hiệu lực,"
    "Số quyết định,Ngày quyết định,Cơ quan ban hành,Ghi chú,Được ủy quyền kết nạp\n"
)


def member(unit: Any, name: str, admitted: dt.date | None = None) -> Any:
    admitted = admitted or D(2015, 3, 1)
    p = person_create(
        actor=None,
        org_unit=unit,
        full_name=name,
        date_of_birth=D(1990, 1, 1),
        gender="female",
        ethnicity="01",
    )
    membership_event_add(
        actor=None, person=p, kind="admitted", date=admitted, org_unit=unit, audit=False
    )
    return p


def plan_file(tmp_path: Path, lines: list[str], name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


# The fixture tree's 2025 restructuring in miniature: district A ends, its commune A-X
# merges into a new commune N under the province, its grassroots cell A-T is attached to
# the province; B and its subtree stay.
MERGE_PLAN = [
    ",N,Đảng bộ xã Mới,P,01/07/2025,1683/NQ-UBTVQH15,16/06/2025,UBTVQH,minh họa,có",
    "A-X,N,,,01/07/2025,1683/NQ-UBTVQH15,16/06/2025,UBTVQH,,",
    "A-T,A-T,,P,01/07/2025,203/2025/QH15,16/06/2025,Quốc hội,,",
    "A,P,,,01/07/2025,203/2025/QH15,16/06/2025,Quốc hội,,",
]
