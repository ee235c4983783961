"""Papers of the ceremony and the probation: ceremony minutes, self-review, helper's comment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents.registry.base import _APPLICANT, _PROBATION, Spec, _prepare_votes


def sample_ceremony_minutes() -> dict[str, Any]:
    return {
        "issuer_parent": "Đảng bộ xã Ngọc Phái",
        "issuer": "Chi bộ thôn Nà Pậu",
        "place": "Nà Pậu",
        "date": dt.date(2019, 3, 20),
        "cell": "Chi bộ thôn Nà Pậu",
        "ceremony_date": dt.date(2019, 3, 20),
        "start_time": "08 giờ 00 phút",
        "end_time": "10 giờ 15 phút",
        "venue": "nhà văn hóa thôn Nà Pậu",
        "full_name": "Nguyễn Thị Ưng",
        "date_of_birth": dt.date(1998, 5, 12),
        "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "decision_number": "125-QĐ/HU",
        "decision_date": dt.date(2019, 3, 5),
        "deciding_body": "Ban Thường vụ Huyện ủy Chợ Đồn",
        "upper_representative": "Ma Văn Định, Phó Bí thư Đảng ủy xã Ngọc Phái",
        "members_total": 25,
        "present": 22,
        "absent_reason": "có lý do",
        "chair_name": "Đặng Văn Ẩn",
        "chair_title": "Bí thư chi bộ",
        "secretary_name": "Lường Văn Thắng",
        "helpers": ["Hoàng Văn Dũng", "Triệu Thị Ơn"],
        "signer_on_behalf": "T/M Chi bộ",
        "signer_title": "Bí thư",
        "signer_name": "Đặng Văn Ẩn",
    }


def sample_self_review() -> dict[str, Any]:
    return {
        **_APPLICANT,
        **_PROBATION,
        "date": dt.date(2020, 3, 10),
        "signer_name": "Nguyễn Thị Ưng",
        "recipients": [],
    }


def sample_helper_comment() -> dict[str, Any]:
    return {
        **_APPLICANT,
        **_PROBATION,
        "date": dt.date(2020, 3, 12),
        "helper_name": "Đặng Văn Ẩn",
        "recipients": [],
    }


SPECS: list[Spec] = [
    Spec(
        "admissions.ceremony_minutes",
        _("Minutes of the admission ceremony"),
        "minutes",
        {
            "cell": "tên chi bộ",
            "ceremony_date": "ngày lễ (date)",
            "start_time": "giờ bắt đầu, ví dụ 08 giờ 00 phút",
            "end_time": "giờ kết thúc",
            "venue": "địa điểm",
            "full_name": "họ và tên đảng viên mới",
            "date_of_birth": "ngày sinh (date)",
            "hometown": "quê quán",
            "decision_number": "số quyết định kết nạp",
            "decision_date": "ngày quyết định (date)",
            "deciding_body": "cấp ủy ra quyết định",
            "upper_representative": "đại biểu cấp ủy cấp trên (tên, chức vụ)",
            "members_total": "tổng số đảng viên của chi bộ",
            "present": "số có mặt",
            "absent": "số vắng mặt (mặc định tính)",
            "absent_reason": "ghi chú vắng mặt",
            "chair_name": "chủ trì",
            "chair_title": "chức vụ chủ trì",
            "secretary_name": "thư ký (ký bên trái)",
            "helpers": "list[str] đảng viên được phân công giúp đỡ",
        },
        sample_ceremony_minutes,
        _prepare_votes,
        ("full_name", "ceremony_date"),
        "BB-le-ket-nap",
    ),
    Spec(
        "admissions.self_review",
        _("Self-review of the probationary member (form 10-KNĐ)"),
        "form",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "admission_decision_number / admission_decision_date": "quyết định kết nạp",
            "ceremony_date / official_date": "ngày lễ kết nạp, ngày hết dự bị (date)",
            "helpers_text": "đảng viên được phân công giúp đỡ",
        },
        sample_self_review,
        None,
        ("full_name",),
        "Tu-kiem-diem-du-bi",
    ),
    Spec(
        "admissions.helper_comment",
        _("Helper's assessment of the probationary member (form 11-KNĐ)"),
        "form",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "admission_decision_number / admission_decision_date": "quyết định kết nạp",
            "ceremony_date / official_date": "ngày lễ kết nạp, ngày hết dự bị (date)",
            "helpers_text": "đảng viên được phân công giúp đỡ",
            "helper_name": "đảng viên được phân công giúp đỡ",
        },
        sample_helper_comment,
        None,
        ("full_name",),
        "Nhan-xet-du-bi",
    ),
]
