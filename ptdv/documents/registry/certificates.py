"""The training certificate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents.registry.base import Spec

COURSE_TITLES = {
    "awareness": "Hoàn thành chương trình bồi dưỡng nhận thức về Đảng",
    "new_member": "Hoàn thành chương trình lý luận chính trị dành cho đảng viên mới",
    "cadre_skills": "Hoàn thành chương trình bồi dưỡng nghiệp vụ công tác đảng",
}


def _prepare_certificate(ctx: dict[str, Any]) -> None:
    kind = ctx.get("course_kind", "awareness")
    ctx.setdefault("course_title", COURSE_TITLES.get(kind, "Hoàn thành chương trình bồi dưỡng"))
    ctx.setdefault("honorific", "Đồng chí" if kind != "awareness" else "Quần chúng")
    if "venue" not in ctx and ctx.get("institution"):
        ctx["venue"] = ctx["institution"]


def sample_certificate() -> dict[str, Any]:
    return {
        "issuer_parent": "Huyện ủy Chợ Đồn",
        "issuer": "Trung tâm Chính trị",
        "number": "125-GCN/TTCT",
        "place": "Chợ Đồn",
        "date": dt.date(2019, 3, 15),
        "institution": "Trung tâm Chính trị huyện Chợ Đồn",
        "course_kind": "awareness",
        "course_name": "bồi dưỡng nhận thức về Đảng",
        "class_code": "NT-2019-03",
        "full_name": "Nguyễn Thị Ưng",
        "date_of_birth": dt.date(1998, 5, 12),
        "ethnicity": "Tày",
        "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "unit": "Chi bộ thôn Nà Pậu, Đảng ủy xã Ngọc Phái",
        "start_date": dt.date(2019, 3, 4),
        "end_date": dt.date(2019, 3, 8),
        "result": "Khá",
        "valid_until": dt.date(2024, 3, 15),
        "register_number": "125/2019",
        "signer_on_behalf": "",
        "signer_title": "Giám đốc",
        "signer_name": "Đặng Văn Ẩn",
    }


SPECS: list[Spec] = [
    Spec(
        "training.certificate",
        _("Training certificate"),
        "certificate",
        {
            "institution": "cơ sở đào tạo, ví dụ Trung tâm Chính trị huyện Chợ Đồn",
            "course_kind": "awareness | new_member | cadre_skills (chọn dòng tiêu đề)",
            "course_name": "tên chương trình, ví dụ bồi dưỡng nhận thức về Đảng",
            "class_code": "mã lớp",
            "full_name": "họ và tên học viên",
            "date_of_birth": "ngày sinh (date)",
            "ethnicity": "dân tộc (có thể trống)",
            "hometown": "quê quán",
            "unit": "đơn vị, chi bộ (có thể trống)",
            "start_date": "ngày khai giảng (date)",
            "end_date": "ngày bế giảng (date)",
            "venue": "nơi học (mặc định: institution)",
            "result": "xếp loại, ví dụ Khá",
            "valid_until": "giá trị đến ngày (date, có thể trống)",
            "register_number": "số vào sổ cấp giấy chứng nhận",
            "honorific": "Quần chúng / Đồng chí (mặc định theo course_kind)",
        },
        sample_certificate,
        _prepare_certificate,
        ("number", "full_name"),
        "GCN",
    ),
]
