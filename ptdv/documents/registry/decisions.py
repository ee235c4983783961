"""Decisions of the competent committee: admission, recognition, removal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents import rules
from ptdv.documents.registry.base import Spec


def _prepare_decision(ctx: dict[str, Any]) -> None:
    if "legal_bases" not in ctx:
        ctx["legal_bases"] = rules.legal_bases_on(ctx.get("date"))
    if "executors" not in ctx:
        names = [ctx.get("proposer"), ctx.get("grassroots"), ctx.get("cell")]
        ctx["executors"] = (
            ", ".join(str(n) for n in names if n) or "Các cơ quan, đơn vị có liên quan"
        )


def _district_header(**kw: Any) -> dict[str, Any]:
    base = {
        "issuer_parent": "Đảng bộ tỉnh Bắc Kạn",
        "issuer": "Huyện ủy Chợ Đồn",
        "place": "Chợ Đồn",
        "signer_on_behalf": "T/M Ban Thường vụ",
        "signer_title": "Phó Bí thư",
        "signer_name": "Hoàng Thị Ánh",
        "deciding_body": "Ban Thường vụ Huyện ủy Chợ Đồn",
        "proposer": "Ban Tổ chức Huyện ủy",
        "cell": "Chi bộ thôn Nà Pậu",
        "grassroots": "Đảng ủy xã Ngọc Phái",
        "cell_resolution_number": "05-NQ/CB",
        "grassroots_resolution_number": "41-NQ/ĐU",
        "recipients": [
            "Như Điều 3",
            "Lưu Văn phòng Huyện ủy, Ban Tổ chức Huyện ủy",
        ],
    }
    base.update(kw)
    return base


_DECISION_KEYS = {
    "deciding_body": "cấp ủy quyết định, ví dụ Ban Thường vụ Huyện ủy Chợ Đồn",
    "legal_bases": "list[str] các căn cứ (mặc định: Điều lệ Đảng và quy định, hướng dẫn thi hành có hiệu lực vào ngày ký `date`)",
    "cell": "tên chi bộ đề nghị",
    "cell_resolution_number": "số nghị quyết của chi bộ",
    "cell_resolution_date": "ngày nghị quyết của chi bộ (date)",
    "grassroots": "đảng ủy cơ sở (có thể trống với chi bộ cơ sở)",
    "grassroots_resolution_number": "số nghị quyết của đảng ủy cơ sở",
    "grassroots_resolution_date": "ngày nghị quyết của đảng ủy cơ sở (date)",
    "proposer": "cơ quan tham mưu, ví dụ Ban Tổ chức Huyện ủy",
    "executors": "các nơi thi hành ở Điều 3 (mặc định ghép proposer, grassroots, cell)",
    "full_name": "họ và tên",
    "date_of_birth": "ngày sinh (date)",
    "hometown": "quê quán",
}


def sample_admission_decision() -> dict[str, Any]:
    return _district_header(
        number="125-QĐ/HU",
        date=dt.date(2019, 3, 5),
        full_name="Nguyễn Thị Ưng",
        date_of_birth=dt.date(1998, 5, 12),
        hometown="xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        residence="thôn Nà Pậu, xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        cell_resolution_date=dt.date(2019, 1, 10),
        grassroots_resolution_date=dt.date(2019, 1, 25),
    )


def sample_recognition_decision() -> dict[str, Any]:
    return _district_header(
        number="342-QĐ/HU",
        date=dt.date(2020, 4, 2),
        full_name="Đặng Văn Ẩn",
        date_of_birth=dt.date(1995, 11, 3),
        hometown="xã Bằng Lãng, huyện Chợ Đồn, tỉnh Bắc Kạn",
        admission_decision_number="125-QĐ/HU",
        admission_decision_date=dt.date(2019, 3, 5),
        ceremony_date=dt.date(2019, 3, 20),
        official_date=dt.date(2020, 3, 20),
        cell_resolution_number="09-NQ/CB",
        cell_resolution_date=dt.date(2020, 3, 21),
        grassroots_resolution_date=dt.date(2020, 3, 27),
    )


def sample_removal_decision() -> dict[str, Any]:
    return _district_header(
        number="351-QĐ/HU",
        date=dt.date(2020, 5, 12),
        full_name="Lường Thị Ưng",
        date_of_birth=dt.date(1997, 2, 14),
        hometown="xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        admission_decision_number="130-QĐ/HU",
        admission_decision_date=dt.date(2019, 3, 12),
        ceremony_date=dt.date(2019, 4, 2),
        cell_resolution_number="11-NQ/CB",
        cell_resolution_date=dt.date(2020, 4, 10),
        grassroots_resolution_date=dt.date(2020, 4, 20),
        reason="Trong thời gian dự bị không đủ tư cách đảng viên, chi bộ biểu quyết không đề nghị công nhận đảng viên chính thức.",
    )


SPECS: list[Spec] = [
    Spec(
        "admissions.admission_decision",
        _("Admission decision (form 9-KNĐ)"),
        "decision",
        {**_DECISION_KEYS, "residence": "nơi cư trú"},
        sample_admission_decision,
        _prepare_decision,
        ("number", "full_name"),
        "QD-ket-nap",
    ),
    Spec(
        "admissions.recognition_decision",
        _("Decision recognizing an official member (form 16-KNĐ)"),
        "decision",
        {
            **_DECISION_KEYS,
            "admission_decision_number": "số quyết định kết nạp",
            "admission_decision_date": "ngày quyết định kết nạp (date)",
            "ceremony_date": "ngày lễ kết nạp (date)",
            "official_date": "ngày trở thành đảng viên chính thức (date)",
        },
        sample_recognition_decision,
        _prepare_decision,
        ("number", "full_name"),
        "QD-cong-nhan-chinh-thuc",
        note=(
            "Mẫu 16-KNĐ (quyết định công nhận đảng viên chính thức), Phụ lục 2 Hướng dẫn "
            "12-HD/BTCTW ngày 18/01/2022 — CHƯA XÁC MINH: số hiệu mẫu suy ra từ thứ tự các "
            "mẫu 13-KNĐ và 15-KNĐ đã xác minh, chưa đối chiếu văn bản gốc."
        ),
    ),
    Spec(
        "admissions.removal_decision",
        _("Decision removing a probationary member from the list"),
        "decision",
        {
            **_DECISION_KEYS,
            "admission_decision_number": "số quyết định kết nạp",
            "admission_decision_date": "ngày quyết định kết nạp (date)",
            "ceremony_date": "ngày lễ kết nạp (date)",
            "reason": "lý do xóa tên",
        },
        sample_removal_decision,
        _prepare_decision,
        ("number", "full_name"),
        "QD-xoa-ten-du-bi",
    ),
]
