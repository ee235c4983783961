"""What the paper families share: the keys of every template (official header, signature,
recipients), the ``Spec`` of a document code, the vote percentages, and the sample applicant
and probation used by several samples."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

COMMON_KEYS: dict[str, str] = {
    "issuer_parent": "cấp ủy cấp trên trực tiếp, dòng trên của tên cơ quan ban hành",
    "issuer": "cơ quan ban hành (in đậm), ví dụ HUYỆN ỦY CHỢ ĐỒN, CHI BỘ THÔN NÀ PẬU",
    "number": "số và ký hiệu, ví dụ 125-QĐ/HU (in sau chữ “Số”)",
    "place": "địa danh, ví dụ Chợ Đồn",
    "date": "ngày ban hành (date); bí danh: issue_date",
    "signer_on_behalf": "thẩm quyền ký, ví dụ T/M BAN THƯỜNG VỤ (có thể trống)",
    "signer_title": "chức vụ người ký, ví dụ BÍ THƯ",
    "signer_name": "họ và tên người ký",
    "recipients": "danh sách nơi nhận (list[str])",
}


def _percent(part: Any, whole: Any) -> str:
    try:
        p, w = int(part), int(whole)
    except (TypeError, ValueError):
        return "……"
    if w <= 0:
        return "……"
    value = round(p * 100 / w, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _prepare_votes(ctx: dict[str, Any]) -> None:
    ctx.setdefault("for_percent", _percent(ctx.get("votes_for"), ctx.get("members_official")))
    ctx.setdefault(
        "against_percent", _percent(ctx.get("votes_against"), ctx.get("members_official"))
    )
    if "present_probationary" not in ctx and "present" in ctx and "present_official" in ctx:
        with contextlib.suppress(TypeError, ValueError):
            ctx["present_probationary"] = int(ctx["present"]) - int(ctx["present_official"])
    if "absent" not in ctx and "members_total" in ctx and "present" in ctx:
        with contextlib.suppress(TypeError, ValueError):
            ctx["absent"] = int(ctx["members_total"]) - int(ctx["present"])
    if "members_probationary" not in ctx and "members_total" in ctx and "members_official" in ctx:
        with contextlib.suppress(TypeError, ValueError):
            ctx["members_probationary"] = int(ctx["members_total"]) - int(ctx["members_official"])


@dataclass(frozen=True)
class Spec:
    code: str
    name: Any  # lazy translation
    kind: str
    keys: dict[str, str]
    sample: Callable[[], dict[str, Any]]
    prepare: Callable[[dict[str, Any]], None] | None = None
    filename_parts: tuple[str, ...] = ("full_name",)
    short: str = "van-ban"
    extra: dict[str, Any] = field(default_factory=dict)
    # where the layout comes from and how sure we are of it (Vietnamese, shown on the list)
    note: str = ""


_APPLICANT = {
    "full_name": "Nguyễn Thị Ưng",
    "date_of_birth": dt.date(1998, 5, 12),
    "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
    "residence": "thôn Nà Pậu, xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
    "cell": "Chi bộ thôn Nà Pậu",
    "place": "Ngọc Phái",
}


_PROBATION = {
    "admission_decision_number": "125-QĐ/HU",
    "admission_decision_date": dt.date(2019, 3, 5),
    "ceremony_date": dt.date(2019, 3, 20),
    "official_date": dt.date(2020, 3, 20),
    "helpers_text": "Hoàng Văn Dũng, Triệu Thị Ơn",
}
