"""The letter introducing a member's transfer of party activity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents.registry.base import Spec


def _prepare_transfer_letter(ctx: dict[str, Any]) -> None:
    temporary = ctx.get("kind") == "temporary"
    ctx.setdefault("kind_label", "Tạm thời" if temporary else "Chính thức")
    ctx.setdefault("kind_text", "tạm thời" if temporary else "chính thức")


def sample_transfer_letter() -> dict[str, Any]:
    return {
        "issuer_parent": "Đảng bộ tỉnh Thái Nguyên",
        "issuer": "Đảng ủy xã Ngọc Phái",
        "place": "Ngọc Phái",
        "number": "12-GGT/ĐU",
        "date": dt.date(2025, 9, 8),
        "signer_on_behalf": "T/M Đảng ủy",
        "signer_title": "Phó Bí thư",
        "signer_name": "Hoàng Văn Thụ",
        "recipients": ["Như trên", "Lưu Văn phòng Đảng ủy"],
        "kind": "official",
        "full_name": "Nông Thị Hoa",
        "date_of_birth": dt.date(1992, 4, 3),
        "hometown": "xã Ngọc Phái, tỉnh Thái Nguyên",
        "member_status": "chính thức",
        "admitted_on": dt.date(2015, 5, 19),
        "official_on": dt.date(2016, 5, 19),
        "card_number": "21012345",
        "from_org": "Chi bộ thôn Nà Pậu, Đảng bộ xã Ngọc Phái",
        "to_org": "Đảng ủy xã Chợ Đồn",
        "reason": "Chuyển nơi cư trú",
        "due_date": dt.date(2025, 12, 3),
    }


SPECS: list[Spec] = [
    Spec(
        "people.transfer_letter",
        _("Introduction letter for a transfer of party activity"),
        "letter",
        {
            "kind": "official | temporary (chính thức / tạm thời)",
            "kind_label / kind_text": "tính sẵn theo kind",
            "full_name": "họ và tên đảng viên",
            "date_of_birth": "ngày sinh (date)",
            "hometown": "quê quán",
            "member_status": "dự bị / chính thức",
            "admitted_on": "ngày vào Đảng (date)",
            "official_on": "ngày chính thức (date, có thể trống)",
            "card_number": "số thẻ đảng viên",
            "from_org": "nơi đang sinh hoạt",
            "to_org": "tổ chức đảng nơi đến (trong hoặc ngoài hệ thống)",
            "reason": "lý do chuyển",
            "temporary_until": "sinh hoạt tạm thời đến ngày (date, có thể trống)",
            "due_date": "hạn xuất trình với nơi đến (date)",
        },
        sample_transfer_letter,
        _prepare_transfer_letter,
        ("number", "full_name"),
        "GGT-sinh-hoat-dang",
    ),
]
