"""Loading a decision's list of special areas (issue 15 point 2): audited, all or nothing.
The file is read and matched by ``ptdv.organizations.area_lists``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ptdv.access.permissions import check_perm
from ptdv.audit.services import record
from ptdv.core.errors import BulkError, DomainError
from ptdv.core.text import normalize_spaces
from ptdv.organizations.area_lists import ListRow, match_rows
from ptdv.organizations.models import AreaCategory, AreaDecision, AreaListing, OrgUnit


@transaction.atomic
def decision_load(
    *,
    actor: Any,
    number: str,
    issuer: str,
    signed_on: dt.date,
    category: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    rows: list[ListRow],
    title: str = "",
    source_note: str = "",
    top: OrgUnit | None = None,
) -> AreaDecision:
    """Record a decision and the places it lists; refused as a whole (with each row's
    reason) when a row cannot be matched; a decision already loaded is refused."""
    if top is not None:
        check_perm(actor, "orgs.edit", top)
    number = normalize_spaces(number)
    if not number or not normalize_spaces(issuer):
        raise DomainError("Cần ghi số và cơ quan ban hành quyết định.", field="number")
    if category not in AreaCategory.values:
        raise DomainError(f"Loại địa bàn “{category}” không có trong danh mục.", field="category")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("Ngày hết hiệu lực phải sau ngày có hiệu lực.", field="valid_to")
    if AreaDecision.objects.filter(number=number, signed_on=signed_on).exists():
        raise DomainError(
            f"Quyết định {number} ngày {signed_on:%d/%m/%Y} đã được nạp.", code="duplicate"
        )
    matched, errors = match_rows(rows)
    if errors:
        raise BulkError("Danh sách có dòng không hợp lệ; chưa nạp gì.", rows=errors)
    if not matched:
        raise DomainError("Danh sách không có địa bàn nào.")
    decision = AreaDecision.objects.create(
        number=number,
        issuer=normalize_spaces(issuer),
        signed_on=signed_on,
        title=normalize_spaces(title),
        category=category,
        valid_from=valid_from,
        valid_to=valid_to,
        source_note=normalize_spaces(source_note),
    )
    AreaListing.objects.bulk_create(AreaListing(decision=decision, **m) for m in matched)
    record(
        action="organizations.area_decision.loaded",
        actor=actor,
        target=decision,
        org_unit=top,
        data={
            "number": number,
            "signed_on": signed_on,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "places": len(matched),
        },
    )
    return decision
