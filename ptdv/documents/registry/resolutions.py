"""Resolutions with a vote: the cell's and the grassroots committee's, on admission and on
recognition."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents.registry.base import _APPLICANT, _PROBATION, Spec, _percent, _prepare_votes


def sample_cell_resolution() -> dict[str, Any]:
    return {
        "issuer_parent": "Đảng bộ xã Ngọc Phái",
        "issuer": "Chi bộ thôn Nà Pậu",
        "number": "05-NQ/CB",
        "place": "Nà Pậu",
        "date": dt.date(2019, 8, 20),
        "cell": "Chi bộ thôn Nà Pậu",
        "upper_committee": "Đảng ủy xã Ngọc Phái",
        "meeting_date": dt.date(2019, 8, 20),
        "members_total": 25,
        "members_official": 22,
        "present": 21,
        "present_official": 19,
        "absent_reason": "có lý do: 4",
        "chair_name": "Đặng Văn Ẩn",
        "chair_title": "Bí thư chi bộ",
        "secretary_name": "Lường Văn Thắng",
        "full_name": "Nguyễn Thị Ưng",
        "date_of_birth": dt.date(1998, 5, 12),
        "ethnicity": "Tày",
        "religion": "Không",
        "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "residence": "thôn Nà Pậu, xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "occupation": "Giáo viên",
        "education": "12/12",
        "certificate_date": dt.date(2019, 3, 15),
        "background_note": "Lý lịch rõ ràng, đã được thẩm tra, xác minh theo quy định.",
        "strengths": "Có lập trường tư tưởng vững vàng, phẩm chất đạo đức tốt, hoàn thành tốt nhiệm vụ được giao, tích cực tham gia công tác đoàn thể.",
        "weaknesses": "Kinh nghiệm công tác vận động quần chúng còn hạn chế.",
        "votes_for": 19,
        "votes_against": 0,
        "signer_on_behalf": "T/M Chi bộ",
        "signer_title": "Bí thư",
        "signer_name": "Đặng Văn Ẩn",
        "recipients": ["Đảng ủy xã Ngọc Phái", "Lưu chi bộ"],
    }


def sample_grassroots_resolution() -> dict[str, Any]:
    return {
        **_APPLICANT,
        "issuer_parent": "Đảng bộ huyện Chợ Đồn",
        "issuer": "Đảng ủy xã Ngọc Phái",
        "number": "41-NQ/ĐU",
        "date": dt.date(2019, 2, 1),
        "meeting_date": dt.date(2019, 2, 1),
        "purpose": "admission",
        "cell_resolution_number": "05-NQ/CB",
        "cell_resolution_date": dt.date(2019, 1, 10),
        "cell_votes_for": 19,
        "cell_members_official": 22,
        "vetting_note": "kết luận ngày 05/01/2019: lý lịch đạt tiêu chuẩn",
        "committee_total": 13,
        "committee_present": 12,
        "votes_for": 12,
        "votes_against": 0,
        "deciding_body": "Ban Thường vụ Huyện ủy Chợ Đồn",
        "signer_on_behalf": "T/M Đảng ủy",
        "signer_title": "Bí thư",
        "signer_name": "Đặng Văn Ẩn",
        "recipients": ["Ban Thường vụ Huyện ủy Chợ Đồn", "Chi bộ thôn Nà Pậu", "Lưu Đảng ủy"],
    }


def _prepare_committee_votes(ctx: dict[str, Any]) -> None:
    ctx.setdefault("for_percent", _percent(ctx.get("votes_for"), ctx.get("committee_total")))
    ctx.setdefault(
        "against_percent", _percent(ctx.get("votes_against"), ctx.get("committee_total"))
    )
    if "committee_absent" not in ctx:
        with contextlib.suppress(TypeError, ValueError):
            ctx["committee_absent"] = int(ctx["committee_total"]) - int(ctx["committee_present"])


def sample_recognition_cell_resolution() -> dict[str, Any]:
    return {
        **sample_cell_resolution(),
        **_PROBATION,
        "number": "09-NQ/CB",
        "date": dt.date(2020, 3, 21),
        "meeting_date": dt.date(2020, 3, 21),
    }


SPECS: list[Spec] = [
    Spec(
        "admissions.cell_resolution",
        _("Cell resolution proposing admission (form 6-KNĐ)"),
        "resolution",
        {
            "cell": "tên chi bộ",
            "upper_committee": "đảng ủy cơ sở được đề nghị",
            "meeting_date": "ngày họp chi bộ (date)",
            "members_total": "tổng số đảng viên",
            "members_official": "số đảng viên chính thức (mẫu số của tỷ lệ)",
            "members_probationary": "số đảng viên dự bị (mặc định: tổng − chính thức)",
            "present": "số có mặt",
            "present_official": "số chính thức có mặt",
            "present_probationary": "số dự bị có mặt (mặc định tính)",
            "absent": "số vắng mặt (mặc định tính)",
            "absent_reason": "ghi chú vắng mặt",
            "chair_name": "chủ trì",
            "chair_title": "chức vụ chủ trì",
            "secretary_name": "thư ký",
            "full_name": "họ và tên người được đề nghị",
            "date_of_birth": "ngày sinh (date)",
            "ethnicity": "dân tộc",
            "religion": "tôn giáo",
            "hometown": "quê quán",
            "residence": "nơi cư trú",
            "occupation": "nghề nghiệp",
            "education": "trình độ học vấn",
            "certificate_date": "ngày cấp giấy chứng nhận nhận thức về Đảng (date)",
            "background_note": "nhận xét về lý lịch",
            "strengths": "ưu điểm",
            "weaknesses": "khuyết điểm",
            "votes_for": "số chính thức tán thành",
            "votes_against": "số không tán thành",
            "against_reason": "lý do không tán thành",
            "for_percent / against_percent": "tính sẵn theo members_official",
        },
        sample_cell_resolution,
        _prepare_votes,
        ("number", "full_name"),
        "NQ-de-nghi-ket-nap",
    ),
    Spec(
        "admissions.grassroots_resolution",
        _("Grassroots committee resolution (form 8-KNĐ / 15-KNĐ)"),
        "resolution",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "purpose": "admission | recognition",
            "meeting_date": "ngày họp (date)",
            "cell_resolution_number / cell_resolution_date": "nghị quyết của chi bộ",
            "cell_votes_for / cell_members_official": "kết quả biểu quyết của chi bộ",
            "vetting_note": "kết luận thẩm tra lý lịch",
            "committee_total / committee_present / committee_absent": "số cấp ủy viên",
            "votes_for / votes_against": "kết quả biểu quyết của đảng ủy",
            "deciding_body": "cấp ủy có thẩm quyền quyết định",
        },
        sample_grassroots_resolution,
        _prepare_committee_votes,
        ("number", "full_name"),
        "NQ-dang-uy-co-so",
    ),
    Spec(
        "admissions.recognition_grassroots_resolution",
        _("Grassroots committee resolution on recognition (form 15-KNĐ)"),
        "resolution",
        {
            "(như admissions.grassroots_resolution, purpose = recognition)": "các khóa của 8-KNĐ",
            "admission_decision_number / admission_decision_date": "quyết định kết nạp",
            "ceremony_date / official_date": "ngày lễ kết nạp, ngày hết dự bị (date)",
        },
        lambda: {
            **sample_grassroots_resolution(),
            **_PROBATION,
            "purpose": "recognition",
            "number": "52-NQ/ĐU",
            "date": dt.date(2020, 3, 27),
            "meeting_date": dt.date(2020, 3, 27),
        },
        _prepare_committee_votes,
        ("number", "full_name"),
        "NQ-dang-uy-cong-nhan",
    ),
    Spec(
        "admissions.recognition_cell_resolution",
        _("Cell resolution proposing recognition (form 13-KNĐ)"),
        "resolution",
        {
            "(như admissions.cell_resolution)": "các khóa của nghị quyết 6-KNĐ",
            "admission_decision_number / admission_decision_date": "quyết định kết nạp",
            "ceremony_date / official_date": "ngày lễ kết nạp, ngày hết dự bị (date)",
            "helpers_text": "đảng viên được phân công giúp đỡ",
        },
        sample_recognition_cell_resolution,
        _prepare_votes,
        ("number", "full_name"),
        "NQ-de-nghi-cong-nhan",
    ),
]
