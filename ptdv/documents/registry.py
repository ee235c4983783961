"""The document codes the system ships, with their context keys, sample contexts and the
small preparation step that derives keys (percentages, default legal bases).

Keys shared by every template (the official header, signature and recipients):
``issuer_parent``, ``issuer``, ``number``, ``place``, ``date``, ``signer_on_behalf``,
``signer_title``, ``signer_name``, ``recipients`` (a list of str).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from ptdv.documents import rules

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


def _prepare_decision(ctx: dict[str, Any]) -> None:
    if "legal_bases" not in ctx:
        ctx["legal_bases"] = rules.legal_bases_on(ctx.get("date"))
    if "executors" not in ctx:
        names = [ctx.get("proposer"), ctx.get("grassroots"), ctx.get("cell")]
        ctx["executors"] = (
            ", ".join(str(n) for n in names if n) or "Các cơ quan, đơn vị có liên quan"
        )


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


SPECS: dict[str, Spec] = {
    s.code: s
    for s in [
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
        Spec(
            "admissions.union_introduction",
            _(
                "Youth Union or trade union resolution introducing the applicant (form 4-KNĐ / 4A-KNĐ)"
            ),
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
}


def spec(code: str) -> Spec | None:
    return SPECS.get(code)
