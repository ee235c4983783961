"""The applicant's dossier: application, background form, vetting letter, introductions and
the summary of comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents.registry.base import _APPLICANT, Spec


def sample_background_form() -> dict[str, Any]:
    return {
        "place": "Ngọc Phái",
        "date": dt.date(2019, 1, 5),
        "full_name": "Nguyễn Thị Ưng",
        "gender": "Nữ",
        "date_of_birth": dt.date(1998, 5, 12),
        "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "residence": "thôn Nà Pậu, xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "ethnicity": "Tày",
        "religion": "Không",
        "citizen_id": "006198001234",
        "occupation": "Giáo viên",
        "education": "12/12",
        "professional": "Cao đẳng",
        "political_theory": "Chưa qua đào tạo",
        "youth_union": "Có",
        "relatives": [
            {
                "relation": "Bố",
                "full_name": "Nguyễn Văn Đức",
                "birth_year": "1970",
                "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
                "residence": "thôn Nà Pậu, xã Ngọc Phái",
                "occupation": "Làm ruộng",
                "political_history": "Không tham gia tổ chức chính trị nào khác",
            }
        ],
        "signer_title": "Người khai",
        "signer_name": "Nguyễn Thị Ưng",
        "recipients": [],
    }


def sample_vetting_letter() -> dict[str, Any]:
    return {
        "issuer_parent": "Đảng bộ huyện Chợ Đồn",
        "issuer": "Đảng ủy xã Ngọc Phái",
        "place": "Ngọc Phái",
        "number": "12-CV/ĐU",
        "date": dt.date(2019, 1, 10),
        "addressee": "Đảng ủy xã Bằng Lãng",
        "full_name": "Nguyễn Thị Ưng",
        "date_of_birth": dt.date(1998, 5, 12),
        "hometown": "xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "residence": "thôn Nà Pậu, xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn",
        "cell": "Chi bộ thôn Nà Pậu",
        "subject_relation": "bố",
        "subject_name": "Nguyễn Văn Đức",
        "subject_birth_year": "1970",
        "subject_residence": "thôn Bản Cuôn, xã Bằng Lãng",
        "due_date": dt.date(2019, 2, 10),
        "signer_on_behalf": "T/M Đảng ủy",
        "signer_title": "Phó Bí thư",
        "signer_name": "Đặng Văn Ẩn",
        "recipients": ["Như trên", "Chi bộ thôn Nà Pậu", "Lưu hồ sơ"],
    }


def sample_application() -> dict[str, Any]:
    return {
        **_APPLICANT,
        "date": dt.date(2018, 12, 1),
        "ethnicity": "Tày",
        "religion": "Không",
        "occupation": "Giáo viên",
        "education": "12/12",
        "certificate_date": dt.date(2018, 10, 15),
        "signer_name": "Nguyễn Thị Ưng",
        "recipients": [],
    }


def sample_introduction() -> dict[str, Any]:
    return {
        **_APPLICANT,
        "date": dt.date(2018, 12, 20),
        "introducer_name": "Đặng Văn Ẩn",
        "introducer_birth": dt.date(1975, 2, 3),
        "introducer_admitted": dt.date(2000, 5, 19),
        "introducer_official": dt.date(2001, 5, 19),
        "cowork_since": dt.date(2016, 9, 1),
        "recipients": [],
    }


def sample_union_introduction() -> dict[str, Any]:
    return {
        **_APPLICANT,
        "date": dt.date(2018, 12, 18),
        "occupation": "Giáo viên",
        "union_parent": "Đoàn xã Ngọc Phái",
        "union_body": "Ban Chấp hành Đoàn cơ sở thôn Nà Pậu",
        "union_motto": "ĐOÀN TNCS HỒ CHÍ MINH",
        "union_member_word": "đoàn viên",
        "signer_title": "Bí thư",
        "signer_name": "Đặng Văn Ẩn",
        "recipients": [],
    }


def sample_comments() -> dict[str, Any]:
    return {
        **_APPLICANT,
        "issuer_parent": "Đảng bộ xã Ngọc Phái",
        "issuer": "Chi bộ thôn Nà Pậu",
        "date": dt.date(2018, 12, 28),
        "occupation": "Giáo viên",
        "signer_on_behalf": "T/M Chi ủy",
        "signer_title": "Bí thư",
        "signer_name": "Đặng Văn Ẩn",
        "recipients": ["Lưu hồ sơ"],
    }


SPECS: list[Spec] = [
    Spec(
        "admissions.background_form",
        _("Background form of the applicant (form 2-KNĐ)"),
        "form",
        {
            "full_name": "họ và tên",
            "gender": "giới tính",
            "date_of_birth": "ngày sinh (date)",
            "hometown": "quê quán",
            "residence": "nơi cư trú",
            "ethnicity / religion": "dân tộc, tôn giáo",
            "citizen_id": "số căn cước công dân",
            "occupation / workplace": "nghề nghiệp, nơi làm việc",
            "education / professional / political_theory": "trình độ",
            "youth_union": "đoàn viên: Có / Không",
            "relatives": "list[dict] relation, full_name, birth_year, hometown, residence, occupation, political_history",
        },
        sample_background_form,
        None,
        ("full_name",),
        "Ly-lich-2-KND",
    ),
    Spec(
        "admissions.vetting_letter",
        _("Letter requesting the vetting of a background"),
        "letter",
        {
            "addressee": "nơi được đề nghị xác minh",
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "subject_relation": "quan hệ với người xin vào Đảng (trống: chính người đó)",
            "subject_name / subject_birth_year / subject_residence": "người được xác minh",
            "due_date": "hạn trả lời (date)",
        },
        sample_vetting_letter,
        None,
        ("number", "subject_name"),
        "CV-tham-tra-ly-lich",
    ),
    Spec(
        "admissions.application",
        _("Application to join the Party (form 1-KNĐ)"),
        "form",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "ethnicity / religion / occupation / education": "lý lịch tóm tắt",
            "certificate_date": "ngày giấy chứng nhận nhận thức về Đảng (date)",
        },
        sample_application,
        None,
        ("full_name",),
        "Don-xin-vao-Dang",
    ),
    Spec(
        "admissions.introduction",
        _("Introduction by an official member (form 3-KNĐ)"),
        "form",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "introducer_name / introducer_birth": "người giới thiệu",
            "introducer_admitted / introducer_official": "ngày vào Đảng, ngày chính thức",
            "cowork_since": "cùng công tác với người vào Đảng từ (date)",
        },
        sample_introduction,
        None,
        ("full_name",),
        "Giay-gioi-thieu",
    ),
    Spec(
        "admissions.union_introduction",
        _("Youth Union or trade union resolution introducing the applicant (form 4-KNĐ / 4A-KNĐ)"),
        "resolution",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "occupation": "nghề nghiệp",
            "union_parent / union_body": "tổ chức đoàn cấp trên, ban chấp hành giới thiệu",
            "union_motto": "dòng tiêu ngữ của tổ chức (ĐOÀN TNCS HỒ CHÍ MINH / CÔNG ĐOÀN VIỆT NAM)",
            "union_member_word": "đoàn viên / đoàn viên công đoàn",
        },
        sample_union_introduction,
        None,
        ("full_name",),
        "NQ-doan-gioi-thieu",
    ),
    Spec(
        "admissions.comments",
        _("Summary of the comments on the applicant (form 5-KNĐ)"),
        "report",
        {
            "full_name / date_of_birth / hometown / residence / cell": "người xin vào Đảng",
            "occupation": "nghề nghiệp",
        },
        sample_comments,
        None,
        ("full_name",),
        "Tong-hop-y-kien",
    ),
]
