"""The introduction letter (giấy giới thiệu sinh hoạt đảng) of a transfer, rendered from
the document template ``people.transfer_letter`` (editable in the template editor)."""

from __future__ import annotations

from typing import Any

from ptdv.documents.headers import header_context
from ptdv.people.models import MembershipStatus, Transfer

CODE = "people.transfer_letter"


def letter_context(t: Transfer) -> dict[str, Any]:
    person = t.person
    unit = t.from_unit
    ctx: dict[str, Any] = header_context(unit) if unit is not None else {}
    cell_line = unit.name if unit is not None else t.from_outside
    if unit is not None and unit.parent is not None and unit.is_cell:
        cell_line = f"{unit.name}, {unit.parent.name}"
    status = "dự bị" if person.status == MembershipStatus.PROBATIONARY else "chính thức"
    ctx.update(
        {
            "number": t.letter_number,
            "date": t.letter_date,
            "signer_title": "Bí thư",
            "recipients": ["Như trên", "Lưu hồ sơ đảng viên"],
            "kind": t.kind,
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth,
            "hometown": person.hometown,
            "member_status": status,
            "admitted_on": person.admitted_on,
            "official_on": person.official_on,
            "card_number": person.card_number,
            "from_org": cell_line,
            "to_org": t.to_name,
            "reason": t.reason,
            "temporary_until": t.temporary_until,
            "due_date": t.due_on,
        }
    )
    return ctx
