"""The shape of the generated data: its dates and scales, the names and places drawn from,
the units of a district, and ``Truth`` — what the simulation counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ptdv.admissions.models import Stage
from ptdv.organizations.history import Slice
from ptdv.organizations.models import (
    PATH_STEP,
    Sector,
)

DAY = dt.timedelta(days=1)
EPOCH = dt.date(1930, 2, 3)
START = dt.date(2011, 1, 1)  # fifteen years of admissions and removals before the end
RESTRUCTURE = dt.date(2025, 7, 1)
END = dt.date(2026, 11, 30)  # the generated "today" (every date is on or before it)
DISTRICT_MEMBERS = 5_000


@dataclass(frozen=True)
class Scale:
    provinces: int
    districts: int  # per province
    members: int = DISTRICT_MEMBERS  # per district, at the end


SCALES = {
    "district": Scale(provinces=1, districts=1),
    "province": Scale(provinces=1, districts=50),
    # 34 provinces (the 2025 count) x 32 districts x 5,000 ≈ 5.4 million members,
    # about 46 grassroots organizations per district ≈ 50,000 grassroots
    "nation": Scale(provinces=34, districts=32),
}

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Ma", "Nông", "Triệu", "Hà", "Lương", "Đinh", "Lò",
]  # fmt: skip
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân", "Ngọc"]
MIDDLE_F = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Thùy", "Kim"]
GIVEN_M = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hùng", "Khánh", "Lâm",
    "Long", "Mạnh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt",
]  # fmt: skip
GIVEN_F = [
    "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh",
    "Mai", "Nga", "Ngân", "Nhung", "Phương", "Quyên", "Thảo", "Trang", "Uyên", "Vân", "Yến",
]  # fmt: skip
PLACES = [
    "Bằng", "Yên", "Phú", "Tân", "Đồng", "Nam", "Bắc", "Quảng", "Nghĩa", "Xuân", "Hòa",
    "Thanh", "Vĩnh", "Hưng", "Long", "Phong", "Lạc", "An", "Bình", "Trung", "Sơn", "Hà",
]  # fmt: skip
AGENCY_SECTORS = [
    (Sector.ADMIN_AGENCY, "Cơ quan"),
    (Sector.PUBLIC_SERVICE, "Trường"),
    (Sector.PUBLIC_SERVICE, "Trung tâm Y tế"),
    (Sector.STATE_ENTERPRISE, "Công ty"),
    (Sector.NON_STATE_ENTERPRISE, "Công ty cổ phần"),
    (Sector.ARMED_FORCES, "Ban Chỉ huy Quân sự"),
    (Sector.POLICE, "Công an"),
    (Sector.PARTY_STATE_BODY, "Cơ quan Đảng"),
]
OUTSIDE = ["Đảng bộ tỉnh Lạng Sơn", "Đảng bộ thành phố Hà Nội", "Đảng bộ tỉnh Cao Bằng"]
OPEN_STAGES = [
    Stage.SOURCE_LIST,
    Stage.AWARENESS_CLASS,
    Stage.APPLICATION,
    Stage.BACKGROUND_DECLARED,
    Stage.VETTING,
    Stage.INTRODUCTIONS_COLLECTED,
    Stage.CELL_VOTED,
    Stage.GRASSROOTS_VOTED,
    Stage.DECIDED,
]
CASES_FROM = 2022  # admissions with a ceremony from this year on come with their case
TARGET_YEARS = range(2021, END.year + 1)


def segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(PATH_STEP, "0") + "."


@dataclass
class Truth:
    """What was generated, counted from the simulation (not from the derived rows)."""

    # members (probationary or official) on a date, per district code and in total
    members_on: dict[dt.date, Counter[str]] = field(default_factory=dict)
    admitted: Counter[int] = field(default_factory=Counter)  # ceremonies per year (incl. re-)
    readmitted: Counter[int] = field(default_factory=Counter)
    recognized: Counter[int] = field(default_factory=Counter)
    removed: Counter[int] = field(default_factory=Counter)  # removals, expulsions, leaving
    awareness: Counter[int] = field(default_factory=Counter)  # attendees per class start year
    open_cases: Counter[str] = field(default_factory=Counter)  # per stage
    people: int = 0
    grassroots_now: int = 0
    districts: list[str] = field(default_factory=list)

    def member_total(self, day: dt.date) -> int:
        return sum(self.members_on[day].values())


CHECK_DATES = (
    dt.date(2011, 1, 1),
    dt.date(2015, 6, 30),
    dt.date(2020, 12, 31),
    dt.date(2025, 6, 30),
    RESTRUCTURE,
    END,
)


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    y = day.year + m // 12
    m = m % 12 + 1
    last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31,
            31, 30, 31, 30, 31][m - 1]  # fmt: skip
    return dt.date(y, m, min(day.day, last))


@dataclass
class Unit:
    id: int
    code: str
    kind: str
    sector: str
    slices: list[Slice]  # versions: [old path until 30/06/2025, new path from 01/07/2025]
    grassroots_before: int  # the grassroots organization (id) until the restructuring
    grassroots_after: int
    decides_before: int  # the committee deciding admissions
    decides_after: int
    weight: float = 1.0
    village: int | None = None


PROBATION = 12  # months
