"""The vocabulary of the Excel files: Vietnamese column headers and cell values.

Files are Vietnamese whatever the interface language, so these are plain Vietnamese
strings (data, not interface text). Each value list gives the label written by the
export and the templates first, then other spellings seen in committees' files; lookups
compare folded text (no diacritics, lower case), so "Nữ", "nu" and "NỮ" all match.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ptdv.core.text import fold
from ptdv.organizations.models import OrgKind, Sector
from ptdv.people.choices import (
    ETHNIC_GROUPS,
    ETHNICITY_ALIASES,
    Gender,
    GeneralEducation,
    Occupation,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
)
from ptdv.people.models import MembershipStatus
from ptdv.restructuring.columns import HEADERS as PLAN_HEADERS

IGNORE = ""  # the mapping target of a column that is not imported

# field → (header written by the export, other header spellings)
PEOPLE_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_name": ("Họ và tên", ("họ tên", "họ và tên khai sinh", "tên", "full name")),
    "other_names": ("Tên gọi khác", ("bí danh",)),
    "date_of_birth": (
        "Ngày sinh",
        ("ngày tháng năm sinh", "ngày, tháng, năm sinh", "sinh ngày", "năm sinh"),
    ),
    "gender": ("Giới tính", ("nam/nữ", "giới", "nam nữ")),
    # many party forms split the birth date in two columns, one for men and one for women
    # (a two-row header "Ngày, tháng, năm sinh" over "Nam" | "Nữ"): the column that is
    # filled gives both the date of birth and the gender
    "date_of_birth_male": (
        "Ngày sinh (Nam)",
        (
            "ngày sinh nam",
            "năm sinh nam",
            "sinh ngày nam",
            "ngày tháng năm sinh nam",
            "ngày, tháng, năm sinh nam",
        ),
    ),
    "date_of_birth_female": (
        "Ngày sinh (Nữ)",
        (
            "ngày sinh nữ",
            "năm sinh nữ",
            "sinh ngày nữ",
            "ngày tháng năm sinh nữ",
            "ngày, tháng, năm sinh nữ",
        ),
    ),
    "citizen_id": (
        "Số CCCD",
        (
            "cccd",
            "căn cước công dân",
            "số căn cước",
            "số căn cước công dân",
            "số định danh",
            "số định danh cá nhân",
            "cmnd/cccd",
            "số cmnd/cccd",
        ),
    ),
    "ethnicity": ("Dân tộc", ()),
    "religion": ("Tôn giáo", ()),
    "hometown": ("Quê quán", ("nguyên quán",)),
    "education_general": (
        "Trình độ học vấn",
        ("học vấn", "văn hóa", "văn hoá", "trình độ văn hóa", "giáo dục phổ thông"),
    ),
    "education_professional": (
        "Trình độ chuyên môn",
        ("chuyên môn", "chuyên môn nghiệp vụ", "chuyên môn, nghiệp vụ"),
    ),
    "political_theory": ("Lý luận chính trị", ("llct", "trình độ lý luận chính trị")),
    "occupation": ("Nghề nghiệp", ()),
    "workplace": ("Nơi làm việc", ("đơn vị công tác", "cơ quan công tác", "nơi công tác")),
    "phone": ("Điện thoại", ("số điện thoại", "sđt", "sdt")),
    "youth_union_member": ("Đoàn viên", ("đoàn viên thanh niên",)),
    "org_code": (
        "Mã tổ chức đảng",
        (
            "mã chi bộ",
            "mã tổ chức",
            "mã đơn vị",
            "mã tcđ",
            "mã tổ chức cơ sở đảng",
            # a per-row party-cell column: by code or by name within the scope
            "chi bộ",
            "tên chi bộ",
            "sinh hoạt tại chi bộ",
            "chi bộ sinh hoạt",
            "tổ chức đảng",
        ),
    ),
    "status": ("Tình trạng", ("trạng thái", "đối tượng", "tình trạng đảng viên")),
    "admitted_on": (
        "Ngày vào Đảng",
        ("ngày kết nạp", "vào đảng", "ngày kết nạp đảng", "ngày vào đảng dự bị"),
    ),
    "official_on": ("Ngày chính thức", ("chính thức", "ngày công nhận chính thức")),
    "card_number": ("Số thẻ đảng viên", ("số thẻ", "số thẻ đảng", "thẻ đảng viên")),
    IGNORE: ("STT", ("tt", "số tt", "số thứ tự", "ghi chú")),
}

ORG_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": ("Mã", ("mã tổ chức", "mã tổ chức đảng", "mã đơn vị", "code")),
    "name": ("Tên tổ chức đảng", ("tên", "tên tổ chức", "tên đơn vị", "tên chi bộ, đảng bộ")),
    "kind": ("Loại", ("loại tổ chức", "loại hình", "cấp")),
    "parent_code": (
        "Mã cấp trên",
        ("mã tổ chức cấp trên", "mã cấp ủy cấp trên", "trực thuộc (mã)", "mã trực thuộc"),
    ),
    "sector": ("Khu vực", ("lĩnh vực", "loại hình tổ chức cơ sở đảng")),
    "authorised_to_admit": ("Được ủy quyền kết nạp", ("ủy quyền kết nạp", "uỷ quyền kết nạp")),
    "valid_from": ("Ngày thành lập", ("thành lập", "hiệu lực từ")),
    "address": ("Địa chỉ", ()),
    IGNORE: ("STT", ("tt", "số tt", "số thứ tự", "ghi chú")),
}

ENROLMENT_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "class_code": ("Mã lớp", ("lớp", "mã lớp học", "lớp học")),
    "institution_code": ("Mã cơ sở đào tạo", ("mã trung tâm", "mã trung tâm chính trị")),
    "full_name": PEOPLE_HEADERS["full_name"],
    "date_of_birth": PEOPLE_HEADERS["date_of_birth"],
    "citizen_id": PEOPLE_HEADERS["citizen_id"],
    # a class that is not recorded yet is created from these (import_classes.py)
    "course_type": ("Loại lớp", ("loại khóa", "loại khoá", "loại khóa học", "loại lớp học")),
    "class_name": ("Tên lớp", ("tên lớp học",)),
    "start_on": ("Ngày khai giảng", ("khai giảng", "ngày bắt đầu", "ngày mở lớp")),
    "end_on": ("Ngày bế giảng", ("bế giảng", "ngày kết thúc", "ngày kết thúc lớp")),
    # the trainee's final result
    "passed": ("Kết quả", ("đạt/không đạt", "kết quả cuối khóa", "kết quả cuối khoá")),
    "score": ("Điểm", ("điểm thu hoạch", "điểm bài thu hoạch", "điểm số", "điểm tổng kết")),
    "grade": ("Xếp loại", ("xếp loại bài thu hoạch", "xếp loại kết quả")),
    IGNORE: ("STT", ("tt", "số tt", "số thứ tự", "ghi chú", "đơn vị", "chi bộ")),
}

# candidate sources (nguồn kết nạp đảng, quần chúng ưu tú): one row per person on a list
SOURCE_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_name": PEOPLE_HEADERS["full_name"],
    "date_of_birth": PEOPLE_HEADERS["date_of_birth"],
    "citizen_id": PEOPLE_HEADERS["citizen_id"],
    "org_code": PEOPLE_HEADERS["org_code"],
    "year": ("Năm", ("năm danh sách", "danh sách năm", "nguồn năm", "năm đưa vào nguồn")),
    "term": ("Nhiệm kỳ", ("nhiệm kì", "nguồn nhiệm kỳ", "nguồn nhiệm kì", "danh sách nhiệm kỳ")),
    "added_on": (
        "Ngày đưa vào nguồn",
        (
            "ngày vào nguồn",
            "ngày đưa vào danh sách",
            "ngày vào danh sách",
            "ngày bổ sung",
            "ngày bổ sung vào nguồn",
        ),
    ),
    "helper_1": (
        "Đảng viên giúp đỡ 1",
        (
            "đảng viên giúp đỡ",
            "đảng viên được phân công giúp đỡ",
            "đảng viên phân công giúp đỡ",
            "người giúp đỡ",
            "người giúp đỡ 1",
            "đv giúp đỡ",
            "đv giúp đỡ 1",
        ),
    ),
    "helper_2": ("Đảng viên giúp đỡ 2", ("người giúp đỡ 2", "đv giúp đỡ 2")),
    "note": ("Ghi chú", ("nhận xét", "ghi chú bồi dưỡng", "quá trình bồi dưỡng")),
    IGNORE: ("STT", ("tt", "số tt", "số thứ tự")),
}

# a restructuring plan (restructuring.plan): old unit → new unit, new parent, date, decision
RESTRUCTURING_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    **PLAN_HEADERS,
    IGNORE: ("STT", ("tt", "số tt", "số thứ tự")),
}

HEADERS = {
    "people": PEOPLE_HEADERS,
    "organizations": ORG_HEADERS,
    "enrolments": ENROLMENT_HEADERS,
    "sources": SOURCE_HEADERS,
    "restructuring": RESTRUCTURING_HEADERS,
}
# a required field a pair of other columns can stand for (split birth-date columns)
STANDS_FOR = {
    "date_of_birth": ("date_of_birth_male", "date_of_birth_female"),
    "gender": ("date_of_birth_male", "date_of_birth_female"),
}


def missing_required(kind: str, mapped: set[str] | list[str]) -> list[str]:
    """The required fields no mapped column gives (directly or through split columns)."""
    mapped = set(mapped)
    return [
        f
        for f in REQUIRED[kind]
        if f not in mapped and not (kind == "people" and mapped & set(STANDS_FOR.get(f, ())))
    ]


REQUIRED = {
    "people": ("full_name", "date_of_birth", "gender"),
    "organizations": ("code", "name", "kind"),
    "enrolments": ("class_code", "full_name", "date_of_birth"),
    "sources": ("full_name", "date_of_birth"),
    "restructuring": ("old_code", "new_code", "date", "decision_number"),
}

# value lists: value → (label, aliases)
GENDER = {
    Gender.MALE: ("Nam", ("m", "male", "trai")),
    Gender.FEMALE: ("Nữ", ("f", "female", "gái")),
}
RELIGION = {
    Religion.NONE: ("Không", ("không tôn giáo", "không có", "0", "-")),
    Religion.BUDDHISM: ("Phật giáo", ("phật", "đạo phật")),
    Religion.CATHOLICISM: ("Công giáo", ("thiên chúa giáo", "thiên chúa", "đạo thiên chúa")),
    Religion.PROTESTANTISM: ("Tin Lành", ("đạo tin lành", "tin lành giáo")),
    Religion.CAO_DAI: ("Cao Đài", ("đạo cao đài",)),
    Religion.HOA_HAO: ("Phật giáo Hòa Hảo", ("hòa hảo", "hoà hảo", "phật giáo hoà hảo")),
    Religion.ISLAM: ("Hồi giáo", ("islam", "đạo hồi")),
    Religion.BAHAI: ("Baha'i", ("bahai",)),
    Religion.OTHER: ("Tôn giáo khác", ("khác",)),
}
EDUCATION_GENERAL = {
    GeneralEducation.NONE: ("Chưa biết chữ", ("không", "mù chữ")),
    GeneralEducation.LITERATE: ("Biết đọc, biết viết", ("biết chữ", "biết đọc biết viết")),
    GeneralEducation.PRIMARY: ("Tiểu học (5/12)", ("tiểu học", "cấp 1", "5/12", "4/10")),
    GeneralEducation.LOWER_SECONDARY: (
        "Trung học cơ sở (9/12)",
        ("thcs", "trung học cơ sở", "cấp 2", "9/12", "7/10"),
    ),
    GeneralEducation.UPPER_SECONDARY: (
        "Trung học phổ thông (12/12)",
        (
            "thpt",
            "trung học phổ thông",
            "cấp 3",
            "cấp iii",
            "ptth",
            "phổ thông trung học",
            "12/12",
            "10/10",
            "tốt nghiệp thpt",
            "tốt nghiệp 12/12",
            # a higher degree written in the general-education column: 12/12 reached
            "đại học",
            "đh",
            "cao đẳng",
            "cđ",
            "thạc sĩ",
            "tiến sĩ",
        ),
    ),
}
EDUCATION_PROFESSIONAL = {
    ProfessionalEducation.NONE: ("Không", ("chưa qua đào tạo", "-")),
    ProfessionalEducation.ELEMENTARY: ("Sơ cấp", ("sơ cấp nghề", "sc")),
    ProfessionalEducation.INTERMEDIATE: (
        "Trung cấp",
        ("trung cấp nghề", "trung học chuyên nghiệp", "tc", "thcn", "trung cấp chuyên nghiệp"),
    ),
    ProfessionalEducation.COLLEGE: ("Cao đẳng", ("cđ", "cao đẳng nghề")),
    ProfessionalEducation.UNIVERSITY: (
        "Đại học",
        ("cử nhân", "kỹ sư", "kĩ sư", "bác sĩ", "đh", "đhsp", "đại học sư phạm", "dược sĩ"),
    ),
    ProfessionalEducation.MASTER: ("Thạc sĩ", ("ths", "thạc sỹ")),
    ProfessionalEducation.DOCTOR: ("Tiến sĩ", ("ts", "tiến sỹ")),
}
POLITICAL_THEORY = {
    PoliticalTheory.NONE: ("Không", ("chưa", "-")),
    PoliticalTheory.ELEMENTARY: ("Sơ cấp", ()),
    PoliticalTheory.INTERMEDIATE: ("Trung cấp", ()),
    PoliticalTheory.ADVANCED: ("Cao cấp", ()),
    PoliticalTheory.BACHELOR: ("Cử nhân", ("cử nhân chính trị",)),
}
OCCUPATION = {
    Occupation.CIVIL_SERVANT: (
        "Cán bộ, công chức",
        (
            "cán bộ",
            "công chức",
            "cbcc",
            "cán bộ xã",
            "công chức xã",
            "cán bộ phường",
            "công chức phường",
            "cán bộ, công chức xã",
            "cán bộ công chức",
            "cb xã",
        ),
    ),
    Occupation.PUBLIC_EMPLOYEE: ("Viên chức", ("giáo viên",)),
    Occupation.BUSINESS_EMPLOYEE: ("Người lao động doanh nghiệp nhà nước", ()),
    Occupation.WORKER: ("Công nhân", ("cn",)),
    Occupation.FARMER: (
        "Nông dân",
        ("làm nông", "làm ruộng", "nông nghiệp", "nông", "lao động nông nghiệp"),
    ),
    Occupation.FISHERMAN: ("Ngư dân", ()),
    Occupation.ARMED_FORCES: ("Lực lượng vũ trang", ("quân đội", "công an", "bộ đội")),
    Occupation.STUDENT: ("Học sinh, sinh viên", ("học sinh", "sinh viên", "hs", "sv")),
    Occupation.PRIVATE_ENTERPRISE: ("Người lao động doanh nghiệp ngoài nhà nước", ()),
    Occupation.NON_PUBLIC_SERVICE: ("Người lao động đơn vị sự nghiệp ngoài công lập", ()),
    Occupation.SELF_EMPLOYED: ("Lao động tự do", ("tự do", "buôn bán", "kinh doanh")),
    Occupation.RETIRED: ("Nghỉ hưu", ("hưu trí", "cán bộ hưu")),
    Occupation.OTHER: ("Khác", ()),
}
STATUS = {
    MembershipStatus.NONE: ("Quần chúng", ("quần chúng ưu tú", "qc")),
    MembershipStatus.PROBATIONARY: ("Đảng viên dự bị", ("dự bị", "đv dự bị")),
    MembershipStatus.OFFICIAL: ("Đảng viên chính thức", ("chính thức", "đv chính thức")),
    MembershipStatus.TRANSFERRED_OUT: ("Đã chuyển sinh hoạt đi", ()),
    MembershipStatus.REMOVED: ("Đã xóa tên", ()),
    MembershipStatus.EXPELLED: ("Đã khai trừ", ()),
    MembershipStatus.LEFT: ("Đã ra khỏi Đảng", ()),
    MembershipStatus.DIED: ("Đã từ trần", ()),
}
YES_NO = {True: ("Có", ("x", "1", "c", "yes", "đúng", "true")), False: ("Không", ("0", "k", "no"))}
ORG_KIND = {
    OrgKind.PROVINCE: ("Đảng bộ tỉnh", ("tỉnh",)),
    OrgKind.COMMUNE: ("Đảng bộ xã, phường", ("đảng bộ xã", "đảng bộ phường", "xã", "phường")),
    OrgKind.DISTRICT: ("Đảng bộ huyện (cũ)", ("đảng bộ huyện", "huyện")),
    OrgKind.GRASSROOTS_COMMITTEE: ("Đảng bộ cơ sở", ()),
    OrgKind.GRASSROOTS_CELL: ("Chi bộ cơ sở", ()),
    OrgKind.SUB_COMMITTEE: ("Đảng bộ bộ phận", ()),
    OrgKind.CELL: ("Chi bộ trực thuộc", ("chi bộ",)),
    OrgKind.GROUP: ("Tổ đảng", ()),
}
SECTOR = {
    Sector.PARTY_STATE_BODY: ("Cơ quan Đảng, Nhà nước, đoàn thể", ()),
    Sector.COMMUNE_WARD: ("Xã, phường", ()),
    Sector.RESIDENTIAL: ("Thôn, tổ dân phố", ("thôn", "bản", "tổ dân phố")),
    Sector.ADMIN_AGENCY: ("Cơ quan hành chính", ()),
    Sector.PUBLIC_SERVICE: ("Đơn vị sự nghiệp công lập", ("sự nghiệp công lập",)),
    Sector.NON_PUBLIC_SERVICE: ("Đơn vị sự nghiệp ngoài công lập", ()),
    Sector.STATE_ENTERPRISE: ("Doanh nghiệp nhà nước", ()),
    Sector.NON_STATE_ENTERPRISE: ("Doanh nghiệp ngoài nhà nước", ()),
    Sector.ARMED_FORCES: ("Quân đội", ("lực lượng vũ trang",)),
    Sector.POLICE: ("Công an", ()),
    Sector.OTHER: ("Khác", ()),
}
ETHNICITY = {code: (name, (code, str(int(code)))) for code, name in ETHNIC_GROUPS}
PASSED = {
    True: ("Đạt", ("d", "x", "có", "pass", "passed", "hoàn thành")),
    False: ("Không đạt", ("kd", "k", "không", "chưa đạt", "trượt", "fail", "failed")),
}
# the names used for the seeded course types in committees' files (a course type is
# also found by its code or its name)
COURSE_TYPE_ALIASES = {
    "awareness": ("nhận thức về đảng", "lớp nhận thức về đảng", "cảm tình đảng", "nhận thức"),
    "new_member": ("đảng viên mới", "lớp đảng viên mới", "bồi dưỡng đảng viên mới"),
    "cadre_skills": ("nghiệp vụ công tác đảng", "bồi dưỡng nghiệp vụ", "cấp ủy viên"),
}
# the kinds of data under another name (issue 6: ``ptdv import FILE --kind classes``)
KIND_ALIASES = {"classes": "enrolments"}

# a value list: value (a choice, a bool or a code) → (label, aliases)
ValueList = Mapping[Any, tuple[str, tuple[str, ...]]]

VALUE_LISTS: dict[str, ValueList] = {
    "gender": GENDER,
    "religion": RELIGION,
    "education_general": EDUCATION_GENERAL,
    "education_professional": EDUCATION_PROFESSIONAL,
    "political_theory": POLITICAL_THEORY,
    "occupation": OCCUPATION,
    "status": STATUS,
    "youth_union_member": YES_NO,
    "authorised_to_admit": YES_NO,
    "kind": ORG_KIND,
    "sector": SECTOR,
    "ethnicity": ETHNICITY,
    "passed": PASSED,
}


def _lookup(table: ValueList) -> dict[str, object]:
    out: dict[str, object] = {}
    for value, (label, aliases) in table.items():
        for text in (label, *aliases, str(value)):
            out.setdefault(fold(text), value)
    return out


LOOKUPS = {name: _lookup(table) for name, table in VALUE_LISTS.items()}
for _alias, _code in ETHNICITY_ALIASES.items():
    LOOKUPS["ethnicity"].setdefault(fold(_alias), _code)


def label(field: str, value: object) -> str:
    entry = VALUE_LISTS[field].get(value)
    return entry[0] if entry else str(value)


def labels(field: str) -> list[str]:
    return [label for label, _aliases in VALUE_LISTS[field].values()]


# the list columns whose spellings users may extend (``ValueAlias``, /exchange/values/)
EXTENSIBLE = (
    "education_general",
    "education_professional",
    "political_theory",
    "occupation",
    "ethnicity",
    "religion",
)


def alias_key(text: str) -> str:
    return " ".join(fold(text).strip(" .").split())


def lookup(field: str, text: str, extra: dict[tuple[str, str], str] | None = None) -> object | None:
    """The value of a cell of a value-list column, or None if not recognised. ``extra``:
    the spellings users added ((field, folded text) → value)."""
    key = fold(text).strip(" .")
    found = LOOKUPS[field].get(key)
    if found is None and extra:
        found = extra.get((field, alias_key(text)))
    if found is None and key.startswith("lop "):  # "Lớp 12/12", "lớp 9"
        key = key[4:].strip()
        found = LOOKUPS[field].get(key)
    if found is None and field == "education_general":
        found = _grade(key)
    return found


def _grade(key: str) -> object | None:
    """'11/12', '8/10': the grade reached in the 12- or 10-year system."""
    if key.isdigit() and 1 <= int(key) <= 12:
        key = f"{key}/12"  # "Lớp 9": the 12-year system
    parts = key.replace(" ", "").split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    reached, system = int(parts[0]), int(parts[1])
    thresholds = {12: (12, 9, 5), 10: (10, 7, 4)}.get(system)
    if thresholds is None or reached > system:
        return None
    if reached >= thresholds[0]:
        return GeneralEducation.UPPER_SECONDARY
    if reached >= thresholds[1]:
        return GeneralEducation.LOWER_SECONDARY
    if reached >= thresholds[2]:
        return GeneralEducation.PRIMARY
    return GeneralEducation.LITERATE


def _header_lookup(kind: str) -> list[tuple[str, str]]:
    pairs = []
    for field_name, (label_text, aliases) in HEADERS[kind].items():
        for text in (label_text, *aliases):
            pairs.append((fold(text), field_name))
    pairs.sort(key=lambda p: -len(p[0]))  # longest first: "ngay vao dang" before "dang"
    return pairs


HEADER_LOOKUPS = {kind: _header_lookup(kind) for kind in HEADERS}


def guess_field(kind: str, header: str) -> str | None:
    """The field a header names: exact folded match, else the longest known header
    contained in it as whole words ("Ngày tháng / Vào Đảng" → admitted_on)."""
    key = " ".join(fold(header).replace("/", " / ").replace(",", " ").split())
    key_compact = fold(header)
    if not key:
        return None
    for alias, field_name in HEADER_LOOKUPS[kind]:
        if alias in {key, key_compact}:
            return field_name
    padded = f" {key} "
    for alias, field_name in HEADER_LOOKUPS[kind]:
        if len(alias) >= 4 and f" {alias} " in padded:
            return field_name
    return None


def field_labels(kind: str) -> list[tuple[str, str]]:
    return [(f, label_text) for f, (label_text, _a) in HEADERS[kind].items() if f != IGNORE]
