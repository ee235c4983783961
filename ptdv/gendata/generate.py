"""Synthetic data at district, province and nation scale (issue 13, point 1).

The shape: provinces (roots) → districts (until 30/06/2025) → grassroots organizations
(commune committees with village cells, agency/enterprise committees and cells) → cells;
on 01/07/2025 the districts end, each group of about three commune committees merges into
a new commune committee directly under the province (its cells move under it), and the
agency grassroots move under the province — the 2025 restructuring as dated versions,
lineage, changes and one restructuring operation, as the organization services write them.

People live their membership through events (admitted → recognized; some removed,
expelled, left, deceased, moved inside the district by a transfer of party activity,
transferred out of the installation or in from outside, a few readmitted); their derived
fields and periods come from ``people.rules.derive`` cut at the units' versions by
``organizations.history.cut_span``, exactly what ``people.services`` writes. Around them:
source lists, admission cases in every stage with their stage changes, awareness and
new-member classes with enrolments, results and certificates, targets per grassroots
organization and year, transfers (received and still in transit).

Generation streams one district at a time (its rows are written, then forgotten), so
memory stays bounded at any scale; a seed gives the same rows. ``Truth`` keeps what was
generated, counted from the simulation itself (not from the derived periods), for the
tests and benchmarks to compare the selectors with.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ptdv.admissions.models import AdmissionCase, SourceEntry, SourceList, Stage, StageChange
from ptdv.core.text import fold, name_sort_key, text_sort_key
from ptdv.gendata.sink import Sink
from ptdv.organizations.history import Slice, cut_span
from ptdv.organizations.models import (
    PATH_STEP,
    OrgKind,
    OrgUnit,
    OrgUnitChange,
    OrgUnitLineage,
    OrgUnitVersion,
    ResidentialUnit,
    Restructuring,
    Sector,
)
from ptdv.people import rules
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person, Transfer
from ptdv.people.rules import CCCD_PROVINCE_CODES, make_citizen_id
from ptdv.targets.models import Target
from ptdv.training.models import (
    Certificate,
    ClassSession,
    Enrolment,
    Result,
    TrainingClass,
    TrainingInstitution,
)
from ptdv.training.rules import certificate_valid_until

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


class Generator:
    """Streams one district at a time into ``sink``."""

    def __init__(
        self,
        scale: Scale,
        seed: int,
        sink: Sink,
        *,
        say: Callable[[str], None] = print,
        course_types: dict[str, int] | None = None,
        course_months: dict[str, int | None] | None = None,
        term_ids: dict[str, int] | None = None,
        first_ids: dict[str, int] | None = None,
    ) -> None:
        self.scale = scale
        self.seed = seed
        self.sink = sink
        self.say = say
        self.truth = Truth(members_on={d: Counter() for d in CHECK_DATES})
        self.ids: Counter[str] = Counter(first_ids or {})
        self.course_types = course_types or {}
        self.course_months = course_months or {}
        self.term_ids = term_ids or {}
        self.cert_seq: Counter[tuple[int, int]] = Counter()
        self._declare()

    # --- tables ----------------------------------------------------------------------

    def _declare(self) -> None:
        s = self.sink
        s.table("op", Restructuring, ["id", "kind", "date", "decision_number", "decision_date",
                "decision_body", "summary", "payload", "parent_op_id", "created_by_id",
                "undone_at"])  # fmt: skip
        s.table("org", OrgUnit, ["id", "code", "name", "sort_key", "kind", "sector", "parent_id",
                "path", "depth", "authorised_to_admit", "valid_from", "valid_to", "successor_id",
                "address", "mountainous", "border", "island", "ethnic_minority_area",
                "especially_difficult"])  # fmt: skip
        s.table("ver", OrgUnitVersion, ["id", "unit_id", "name", "parent_id", "path", "depth",
                "valid_from", "valid_to", "restructuring_id"])  # fmt: skip
        s.table("lin", OrgUnitLineage, ["id", "predecessor_id", "successor_id", "date", "kind",
                "restructuring_id"])  # fmt: skip
        s.table("chg", OrgUnitChange, ["id", "org_unit_id", "kind", "date", "old_name",
                "new_name", "old_parent_id", "new_parent_id", "other_id", "decision",
                "restructuring_id"])  # fmt: skip
        s.table("vil", ResidentialUnit, ["id", "code", "name", "kind", "org_unit_id",
                "own_cell_id", "valid_from", "valid_to", "mountainous", "border", "island",
                "ethnic_minority_area", "especially_difficult"])  # fmt: skip
        s.table("inst", TrainingInstitution, ["id", "code", "name", "org_unit_id",
                "certificate_suffix", "director", "address"])  # fmt: skip
        s.table("person", Person, ["id", "full_name", "name_folded", "sort_key", "other_names",
                "date_of_birth", "gender", "ethnicity", "religion", "citizen_id", "hometown",
                "education_general", "education_professional", "political_theory",
                "occupation", "workplace", "residential_unit_id", "phone",
                "youth_union_member", "org_unit_id", "status", "admitted_on", "official_on",
                "party_age_from", "card_number", "merged_into_id"])  # fmt: skip
        s.table("event", MembershipEvent, ["id", "person_id", "kind", "date", "org_unit_id",
                "decision_number", "decision_date", "card_number", "note", "source",
                "arrives_as", "created_by_id"])  # fmt: skip
        s.table("period", MembershipPeriod, ["id", "person_id", "org_unit_id", "status",
                "start", "end", "path"])  # fmt: skip
        s.table("transfer", Transfer, ["id", "person_id", "kind", "status", "from_unit_id",
                "from_outside", "to_unit_id", "to_outside", "received_in_id", "letter_number",
                "letter_date", "issued_on", "due_on", "received_on", "temporary_until",
                "ended_on", "cancelled_on", "reason", "note", "policy_code", "issued_by_id",
                "received_by_id", "closed_by_id"])  # fmt: skip
        s.table("class", TrainingClass, ["id", "institution_id", "course_type_id", "code",
                "name", "venue", "start_on", "end_on", "lecturers", "capacity", "status",
                "note"])  # fmt: skip
        through = TrainingClass.served_units.through
        s.table("served", through, ["trainingclass_id", "orgunit_id"])
        s.table("session", ClassSession, ["id", "klass_id", "date", "topic", "lecturer"])
        s.table("enrol", Enrolment, ["id", "klass_id", "person_id", "status",
                "nominated_by_unit_id", "nominated_by_id", "accepted_by_id"])  # fmt: skip
        s.table("result", Result, ["id", "enrolment_id", "passed", "score", "grade",
                "attended", "sessions", "completed", "recorded_by_id"])  # fmt: skip
        s.table("cert", Certificate, ["id", "institution_id", "klass_id", "enrolment_id",
                "person_id", "course_type_id", "year", "seq", "number", "issued_on", "signer",
                "valid_until"])  # fmt: skip
        s.table("slist", SourceList, ["id", "org_unit_id", "kind", "year", "term",
                "resolution"])  # fmt: skip
        s.table("sentry", SourceEntry, ["id", "source_list_id", "person_id", "added_on",
                "status", "removed_on", "removed_reason"])  # fmt: skip
        s.table("case", AdmissionCase, ["id", "person_id", "org_unit_id", "deciding_unit_id",
                "grassroots_id", "source_entry_id", "stage", "stage_on", "opened_on",
                "policy_code", "over_max_age_consent", "special_area", "village_elder",
                "unit_has_youth_union", "unit_has_trade_union", "cell_vote_on",
                "grassroots_vote_on", "decision_on", "decision_received_on", "ceremony_on",
                "official_on", "recognition_cell_vote_on", "recognition_decision_on",
                "member_record_on", "closed_on", "failed_votes", "due_on",
                "due_kind"])  # fmt: skip
        s.table("change", StageChange, ["id", "case_id", "from_stage", "to_stage", "on", "at",
                "actor_id", "reason", "legal_basis", "policy_code"])  # fmt: skip
        s.table("target", Target, ["id", "org_unit_id", "year", "term_id", "value",
                "document_number", "document_date", "set_by_id", "note"])  # fmt: skip

    def next_id(self, key: str) -> int:
        self.ids[key] += 1
        return self.ids[key]

    # --- the whole run ----------------------------------------------------------------

    def run(self) -> Truth:
        started = time.monotonic()
        total = self.scale.provinces * self.scale.districts
        self.op_id = self.next_id("op")
        self.sink.add("op", (self.op_id, Restructuring.Kind.PLAN, RESTRUCTURE,
                      "1683/NQ-UBTVQH15", dt.date(2025, 6, 16), "Ủy ban Thường vụ Quốc hội",
                      "Sắp xếp tổ chức đảng năm 2025 (dữ liệu tổng hợp)", "{}", None, None,
                      None))  # fmt: skip
        done = 0
        for p in range(self.scale.provinces):
            self._province(p)
            for d in range(self.scale.districts):
                self._district(p, d)
                self.sink.flush()
                done += 1
                if done == total or done % max(1, total // 20) == 0 or total <= 20:
                    elapsed = time.monotonic() - started
                    people = f"{self.truth.people:_}".replace("_", ".")
                    self.say(f"  {done}/{total} huyện, {people} người, {elapsed:.0f} s")
        self.sink.finish()
        return self.truth

    def _province(self, p: int) -> None:
        rng = random.Random(f"{self.seed}:province:{p}")
        pid = self.next_id("org")
        code = f"T{p + 1:02d}"
        name = f"Đảng bộ tỉnh {rng.choice(PLACES)} {rng.choice(PLACES)} {p + 1}"
        path = segment(pid)
        self.province = (pid, code, name, path)
        self.province_code = sorted(CCCD_PROVINCE_CODES)[p % len(CCCD_PROVINCE_CODES)]
        self.province_serial = 0
        self._org(pid, code, name, OrgKind.PROVINCE, Sector.OTHER, None, path, EPOCH, None,
                  admit=True)  # fmt: skip
        self.sink.add("ver", (self.next_id("ver"), pid, name, None, path, 0, EPOCH, None, None))
        inst = self.next_id("inst")
        self.sink.add("inst", (inst, f"{code}-TCT", f"Trường Chính trị tỉnh {p + 1}", pid,
                               "TCT", "", ""))  # fmt: skip
        self.province_inst = inst

    def _org(
        self,
        pk: int,
        code: str,
        name: str,
        kind: str,
        sector: str,
        parent: int | None,
        path: str,
        valid_from: dt.date,
        valid_to: dt.date | None,
        *,
        admit: bool = False,
        successor: int | None = None,
    ) -> None:
        self.sink.add("org", (pk, code, name, text_sort_key(name), kind, sector, parent, path,
                      path.count(".") - 1, admit, valid_from, valid_to, successor, "", True,
                      False, False, True, False))  # fmt: skip

    # --- one district -------------------------------------------------------------------

    def _district(self, p: int, d: int) -> None:
        rng = random.Random(f"{self.seed}:district:{p}:{d}")
        prov_id, prov_code, prov_name, prov_path = self.province
        did = self.next_id("org")
        dcode = f"{prov_code}-H{d + 1:02d}"
        dname = f"Đảng bộ huyện {rng.choice(PLACES)} {rng.choice(PLACES)}"
        dpath = prov_path + segment(did)
        last_day = RESTRUCTURE - DAY
        self._org(did, dcode, dname, OrgKind.DISTRICT, Sector.OTHER, prov_id, dpath, EPOCH,
                  last_day, admit=True)  # fmt: skip
        self.sink.add("ver", (self.next_id("ver"), did, dname, prov_id, dpath, 1, EPOCH,
                      last_day, None))  # fmt: skip
        self.sink.add("chg", (self.next_id("chg"), did, OrgUnitChange.Kind.DISSOLVED,
                      RESTRUCTURE, dname, "", prov_id, None, None, "203/2025/QH15",
                      self.op_id))  # fmt: skip
        self.truth.districts.append(dcode)
        inst = self.next_id("inst")
        self.sink.add("inst", (inst, f"{dcode}-TTCT", f"Trung tâm Chính trị {dname[14:]}",
                      did, "TTCT", "", ""))  # fmt: skip
        cells: list[Unit] = []
        grassroots_after: list[int] = []

        def unit_versions(
            uid: int, name: str, before: tuple[int, str], after: tuple[int, str]
        ) -> list[Slice]:
            v1 = (self.next_id("ver"), uid, name, before[0], before[1] + segment(uid),
                  before[1].count("."), EPOCH, last_day, None)  # fmt: skip
            v2 = (self.next_id("ver"), uid, name, after[0], after[1] + segment(uid),
                  after[1].count("."), RESTRUCTURE, None, self.op_id)  # fmt: skip
            self.sink.add("ver", v1)
            self.sink.add("ver", v2)
            return [Slice(EPOCH, last_day, v1[4]), Slice(RESTRUCTURE, None, v2[4])]

        # commune committees, merged by threes into new communes on 01/07/2025
        n_communes = rng.randint(15, 19)
        communes = list(range(n_communes))
        groups = [communes[i : i + 3] for i in range(0, n_communes, 3)]
        if len(groups) > 1 and len(groups[-1]) == 1:
            groups[-2].extend(groups.pop())
        for gi, group in enumerate(groups):
            nid = self.next_id("org")
            ncode = f"{dcode}-X{gi + 1:02d}"
            nname = f"Đảng bộ xã {rng.choice(PLACES)} {rng.choice(PLACES)} {gi + 1}"
            npath = prov_path + segment(nid)
            self._org(nid, ncode, nname, OrgKind.GRASSROOTS_COMMITTEE, Sector.COMMUNE_WARD,
                      prov_id, npath, RESTRUCTURE, None, admit=True)  # fmt: skip
            self.sink.add("ver", (self.next_id("ver"), nid, nname, prov_id, npath, 1,
                          RESTRUCTURE, None, self.op_id))  # fmt: skip
            self.sink.add("chg", (self.next_id("chg"), nid, OrgUnitChange.Kind.CREATED,
                          RESTRUCTURE, "", nname, None, prov_id, None, "1683/NQ-UBTVQH15",
                          self.op_id))  # fmt: skip
            grassroots_after.append(nid)
            for c in group:
                gid = self.next_id("org")
                gcode = f"{dcode}-C{c + 1:02d}"
                gname = f"Đảng bộ xã {rng.choice(PLACES)} {rng.choice(PLACES)}"
                gpath = dpath + segment(gid)
                self._org(gid, gcode, gname, OrgKind.GRASSROOTS_COMMITTEE, Sector.COMMUNE_WARD,
                          did, gpath, EPOCH, last_day, successor=nid)  # fmt: skip
                self.sink.add("ver", (self.next_id("ver"), gid, gname, did, gpath, 2, EPOCH,
                              last_day, None))  # fmt: skip
                self.sink.add("lin", (self.next_id("lin"), gid, nid, RESTRUCTURE, "merge",
                              self.op_id))  # fmt: skip
                self.sink.add("chg", (self.next_id("chg"), gid, OrgUnitChange.Kind.MERGED,
                              RESTRUCTURE, gname, nname, did, prov_id, nid, "1683/NQ-UBTVQH15",
                              self.op_id))  # fmt: skip
                for v in range(rng.randint(5, 8)):
                    cid = self.next_id("org")
                    vname = (
                        f"{rng.choice(['Thôn', 'Bản', 'Tổ dân phố'])} {rng.choice(PLACES)} {v + 1}"
                    )
                    cname = f"Chi bộ {vname}"
                    vid = self.next_id("vil")
                    slices = unit_versions(cid, cname, (gid, gpath), (nid, npath))
                    self._org(cid, f"{gcode}-{v + 1:02d}", cname, OrgKind.CELL,
                              Sector.RESIDENTIAL, nid, slices[1].path, EPOCH, None)  # fmt: skip
                    self.sink.add("vil", (vid, f"{gcode}-T{v + 1:02d}", vname, "village", nid,
                                  cid, EPOCH, None, True, False, False, True, False))  # fmt: skip
                    cells.append(Unit(cid, f"{gcode}-{v + 1:02d}", OrgKind.CELL,
                                      Sector.RESIDENTIAL, slices, gid, nid, did, nid,
                                      weight=rng.uniform(0.6, 1.4), village=vid))  # fmt: skip
                cid = self.next_id("org")
                cname = f"Chi bộ Trường {rng.choice(PLACES)} {c + 1}"
                slices = unit_versions(cid, cname, (gid, gpath), (nid, npath))
                self._org(cid, f"{gcode}-TR", cname, OrgKind.CELL, Sector.PUBLIC_SERVICE, nid,
                          slices[1].path, EPOCH, None)  # fmt: skip
                cells.append(Unit(cid, f"{gcode}-TR", OrgKind.CELL, Sector.PUBLIC_SERVICE,
                                  slices, gid, nid, did, nid, weight=0.5))  # fmt: skip
        # agency and enterprise grassroots organizations, moved under the province
        for a in range(46 - n_communes - rng.randint(0, 3)):
            sector, label = rng.choice(AGENCY_SECTORS)
            gid = self.next_id("org")
            gcode = f"{dcode}-CQ{a + 1:02d}"
            committee = rng.random() < 0.4
            kind = OrgKind.GRASSROOTS_COMMITTEE if committee else OrgKind.GRASSROOTS_CELL
            gname = (
                "Đảng bộ " if committee else "Chi bộ "
            ) + f"{label} {rng.choice(PLACES)} {a + 1}"
            slices = unit_versions(gid, gname, (did, dpath), (prov_id, prov_path))
            self._org(gid, gcode, gname, kind, sector, prov_id, slices[1].path, EPOCH, None)
            self.sink.add("chg", (self.next_id("chg"), gid, OrgUnitChange.Kind.MOVED,
                          RESTRUCTURE, "", "", did, prov_id, None, "203/2025/QH15",
                          self.op_id))  # fmt: skip
            grassroots_after.append(gid)
            if not committee:
                cells.append(Unit(gid, gcode, kind, sector, slices, gid, gid, did, prov_id,
                                  weight=rng.uniform(0.3, 1.2)))  # fmt: skip
                continue
            for k in range(rng.randint(2, 5)):
                cid = self.next_id("org")
                cname = f"Chi bộ {rng.choice(['Phòng', 'Tổ', 'Khoa', 'Phân xưởng'])} {k + 1}"
                gp = (gid, slices[0].path), (gid, slices[1].path)
                cslices = unit_versions(cid, cname, *gp)
                self._org(cid, f"{gcode}-{k + 1:02d}", cname, OrgKind.CELL, sector, gid,
                          cslices[1].path, EPOCH, None)  # fmt: skip
                cells.append(Unit(cid, f"{gcode}-{k + 1:02d}", OrgKind.CELL, sector, cslices,
                                  gid, gid, did, prov_id, weight=rng.uniform(0.2, 0.8)))  # fmt: skip
        self.truth.grassroots_now += len(grassroots_after)
        _District(self, rng, p, d, dcode, did, inst, cells, grassroots_after).run()


PROBATION = 12  # months


class _District:
    """The people of one district and everything around them."""

    def __init__(
        self,
        gen: Generator,
        rng: random.Random,
        p: int,
        d: int,
        dcode: str,
        did: int,
        inst: int,
        cells: list[Unit],
        grassroots_after: list[int],
    ) -> None:
        self.g = gen
        self.rng = rng
        self.p, self.d = p, d
        self.dcode = dcode
        self.did = did
        self.inst = inst
        self.cells = cells
        self.grassroots_after = grassroots_after
        self.classes: dict[tuple[str, int, int], tuple[int, int, dt.date, dt.date]] = {}
        self.source_lists: dict[tuple[int, int], int] = {}
        self.letter = 0

    # a person's life is a list of (kind, date, cell, extra) steps, simulated forward

    def run(self) -> None:
        g = self.g
        total_w = sum(c.weight for c in self.cells)
        for cell in self.cells:
            size = g.scale.members * cell.weight / total_w
            self._cell(cell, size)
        self._targets()
        self._classes_flush()

    def _name(self, gender: str) -> str:
        r = self.rng
        mid = r.choice(MIDDLE_M if gender == "male" else MIDDLE_F)
        given = r.choice(GIVEN_M if gender == "male" else GIVEN_F)
        return f"{r.choice(FAMILY)} {mid} {given}"

    def _day(self, a: dt.date, b: dt.date) -> dt.date:
        if b <= a:
            return a
        return a + dt.timedelta(days=self.rng.randrange((b - a).days + 1))

    def _cell(self, cell: Unit, size: float) -> None:
        r = self.rng
        # members at the start, then yearly admissions ~4 % of the cell, losses ~2.5 %
        initial = max(1, round(size * 0.72))
        for _ in range(initial):
            admitted = self._day(dt.date(1972, 1, 1), dt.date(2010, 6, 30))
            self._person(cell, admitted=admitted, history=True)
        for year in range(START.year, END.year + 1):
            n = int(size * 0.042 + r.random())
            for _ in range(n):
                first = dt.date(year, 1, 5)
                last = min(dt.date(year, 12, 28), END - DAY)
                self._person(cell, admitted=self._day(first, last), history=False)
            if r.random() < size * 0.004:  # a transfer in from outside the installation
                self._person(cell, admitted=None, arrived=self._day(dt.date(year, 1, 1),
                             min(dt.date(year, 12, 31), END)))  # fmt: skip
        # the pipeline now: people of the masses on the source list and in open cases
        for _ in range(max(1, round(size * 0.05))):
            self._masses(cell)

    # --- one person ----------------------------------------------------------------

    def _new_person(
        self, cell: Unit, born: dt.date, gender: str, status_unit: int
    ) -> tuple[int, str]:
        g = self.g
        pk = g.next_id("person")
        g.province_serial += 1
        name = self._name(gender)
        self._person_row = [
            pk, name, fold(name)[:120], name_sort_key(name), "", born, gender,
            self.rng.choice(["01", "01", "01", "02", "03", "04", "05", "06"]), "none",
            make_citizen_id(g.province_code, born, gender, g.province_serial),
            f"xã {self.rng.choice(PLACES)}", "upper_secondary", "none", "none", "other", "",
            cell.village, "", False, status_unit, "none", None, None, None, "", None,
        ]  # fmt: skip
        g.truth.people += 1
        return pk, name

    def _person(
        self,
        cell: Unit,
        *,
        admitted: dt.date | None,
        history: bool = False,
        arrived: dt.date | None = None,
    ) -> None:
        r = self.rng
        g = self.g
        gender = "male" if r.random() < 0.62 else "female"
        start = admitted or arrived
        assert start is not None
        born = self._day(_add_months(start, -12 * 40), _add_months(start, -12 * 19))
        pk, _name = self._new_person(cell, born, gender, cell.id)
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]] = []
        intervals: list[tuple[dt.date, dt.date | None, str]] = []  # member spans by district
        here = cell
        transfers: list[tuple[Any, ...]] = []
        if admitted is not None:
            decision = admitted - dt.timedelta(days=r.randint(7, 30))
            case = not history and admitted.year >= CASES_FROM
            events.append(("admitted", admitted, cell.id, {"decision_date": decision,
                           "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
            g.truth.admitted[admitted.year] += 1
            self._awareness(pk, cell, admitted)
            if admitted >= START:
                self._new_member_class(pk, cell, admitted)
            official = _add_months(decision, PROBATION)
            fate = r.random()
            member_from = admitted
            if official > END:
                official = None
                outcome = "probation"
            elif fate < 0.03:
                removed_on = self._day(admitted + DAY * 60, official - DAY)
                events.append(("removed_probationary", removed_on, cell.id, {}))
                intervals.append((admitted, removed_on, "member"))
                g.truth.removed[removed_on.year] += 1
                outcome = "removed"
                official = None
            else:
                events.append(("recognized", official, cell.id, {
                    "decision_date": official - DAY * 10,
                    "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
                g.truth.recognized[official.year] += 1
                events.append(("card_issued", _add_months(official, 3), None,
                               {"card_number": f"{g.province_code}{pk:09d}"}))  # fmt: skip
                outcome = "official"
            if case:
                self._case(pk, cell, admitted, decision, official, outcome, born)
            if outcome == "removed":
                self._finish(pk, cell, events, intervals, transfers)
                return
        else:
            assert arrived is not None
            t_id = g.next_id("transfer")
            self.letter += 1
            issued = arrived - dt.timedelta(days=r.randint(5, 25))
            transfers.append((t_id, pk, "official", "received", None, r.choice(OUTSIDE),
                              cell.id, "", cell.id, f"{self.letter}-GGT", issued, issued, None,
                              arrived, None, None, None, "", "", "", None, None, None))  # fmt: skip
            events.append(("transferred_in", arrived, cell.id, {"arrives_as": "official",
                           "source": f"people.transfer:{t_id}"}))  # fmt: skip
            member_from = arrived
        # life after: yearly hazards while a member, until the end (from the recognition
        # on, so that nothing precedes the recognition and the card)
        year_day = official if admitted is not None and official is not None else member_from
        status_from = member_from
        while True:
            year_day = year_day + dt.timedelta(days=r.randint(300, 430))
            if year_day >= END:
                break
            x = r.random()
            age = (year_day - born).days / 365.25
            death = 0.004 + (0.03 if age > 70 else 0.0)
            if x < death:
                events.append(("died", year_day, here.id, {}))
                intervals.append((status_from, year_day, "member"))
                self._finish(pk, here, events, intervals, transfers)
                return
            x -= death
            if x < 0.004:  # removal, expulsion or leaving
                kind = r.choice(["removed", "removed", "expelled", "left"])
                events.append((kind, year_day, here.id, {
                    "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
                intervals.append((status_from, year_day, "member"))
                g.truth.removed[year_day.year] += 1
                back = _add_months(year_day, 24 + r.randint(0, 24))
                if kind != "expelled" and r.random() < 0.15 and back < END - DAY * 30:
                    events.append(("readmitted", back, here.id, {
                        "decision_date": back - DAY * 10,
                        "decision_number": f"{r.randint(1, 999)}-QĐ/HU"}))  # fmt: skip
                    g.truth.admitted[back.year] += 1
                    g.truth.readmitted[back.year] += 1
                    official = _add_months(back - DAY * 10, PROBATION)
                    if official <= END:
                        events.append(("recognized", official, here.id, {
                            "decision_date": official - DAY * 10}))  # fmt: skip
                        g.truth.recognized[official.year] += 1
                    status_from = back
                    year_day = max(back, official if official <= END else back)
                    continue
                self._finish(pk, here, events, intervals, transfers)
                return
            x -= 0.004
            if x < 0.006:  # transferred out of the installation (received there)
                t_id = g.next_id("transfer")
                self.letter += 1
                issued = year_day - dt.timedelta(days=r.randint(5, 25))
                transfers.append((t_id, pk, "official", "received", here.id, "", None,
                                  r.choice(OUTSIDE), None, f"{self.letter}-GGT", issued,
                                  issued, None, year_day, None, None, None, "", "", "", None,
                                  None, None))  # fmt: skip
                events.append(("transferred_out", year_day, here.id, {
                    "source": f"people.transfer:{t_id}"}))  # fmt: skip
                intervals.append((status_from, year_day, "member"))
                self._finish(pk, here, events, intervals, transfers)
                return
            x -= 0.006
            if x < 0.012 and len(self.cells) > 1:  # moved to another cell of the district
                to = r.choice(self.cells)
                if to.id == here.id:
                    continue
                t_id = g.next_id("transfer")
                self.letter += 1
                issued = year_day - dt.timedelta(days=r.randint(3, 20))
                gr = to.grassroots_before if year_day < RESTRUCTURE else to.grassroots_after
                transfers.append((t_id, pk, "official", "received", here.id, "", gr, "", to.id,
                                  f"{self.letter}-GGT", issued, issued, None, year_day, None,
                                  None, None, "", "", "", None, None, None))  # fmt: skip
                events.append(("moved", year_day, to.id, {
                    "decision_number": f"{self.letter}-GGT", "decision_date": issued,
                    "source": f"people.transfer:{t_id}"}))  # fmt: skip
                here = to
        intervals.append((status_from, None, "member"))
        # a few letters still in transit at the end
        if r.random() < 0.002:
            t_id = g.next_id("transfer")
            self.letter += 1
            issued = END - dt.timedelta(days=r.randint(1, 20))
            from ptdv.people.transfers.services import due_date

            due, code = due_date("official", issued)
            transfers.append((t_id, pk, "official", "issued", here.id, "", None,
                              r.choice(OUTSIDE), None, f"{self.letter}-GGT", issued, issued, due,
                              None, None, None, None, "", "", code, None, None, None))  # fmt: skip
        self._finish(pk, here, events, intervals, transfers)

    def _finish(
        self,
        pk: int,
        cell: Unit,
        events: list[tuple[str, dt.date, int | None, dict[str, Any]]],
        intervals: list[tuple[dt.date, dt.date | None, str]],
        transfers: list[tuple[Any, ...]],
    ) -> None:
        """Write the person, their events, the periods derived from them (as the services
        do) and their transfers; count them into the truth."""
        g = self.g
        sink = g.sink
        rows = []
        for kind, day, unit, extra in events:
            eid = g.next_id("event")
            rows.append((eid, kind, day, unit, extra))
        derived = rules.derive(
            rules.Event(kind=k, date=day, org_unit_id=u, decision_date=x.get("decision_date"),
                        card_number=x.get("card_number", ""), order=eid,
                        arrives_as=x.get("arrives_as") or "official")
            for eid, k, day, u, x in rows
        )  # fmt: skip
        row = self._person_row
        row[20] = derived.status
        row[21] = derived.admitted_on
        row[22] = derived.official_on
        row[23] = derived.party_age_from
        row[24] = derived.card_number
        if derived.org_unit_id is not None:
            row[19] = derived.org_unit_id
            row[16] = self._village(derived.org_unit_id)
        sink.add("person", tuple(row))
        for eid, k, day, u, x in rows:
            sink.add("event", (eid, pk, k, day, u, x.get("decision_number", ""),
                     x.get("decision_date"), x.get("card_number", ""), "",
                     x.get("source", "gendata"), x.get("arrives_as", ""), None))  # fmt: skip
        by_id = self._by_id()
        for per in derived.periods:
            slices = by_id[per.org_unit_id].slices if per.org_unit_id in by_id else []
            for s, e, path in cut_span(per.start, per.end, slices):
                sink.add("period", (g.next_id("period"), pk, per.org_unit_id, per.status, s, e,
                         path))  # fmt: skip
        for t in transfers:
            sink.add("transfer", t)
        for day in CHECK_DATES:
            if any(a <= day and (b is None or day < b) for a, b, _k in intervals):
                g.truth.members_on[day][self.dcode] += 1

    def _by_id(self) -> dict[int, Unit]:
        if not hasattr(self, "_units"):
            self._units = {c.id: c for c in self.cells}
        return self._units

    def _village(self, unit_id: int) -> int | None:
        u = self._by_id().get(unit_id)
        return u.village if u else None

    # --- the pipeline: masses, source lists, cases ----------------------------------

    def _masses(self, cell: Unit) -> None:
        r = self.rng
        born = self._day(dt.date(1975, 1, 1), dt.date(2005, 1, 1))
        gender = "male" if r.random() < 0.55 else "female"
        pk, _n = self._new_person(cell, born, gender, cell.id)
        self.g.sink.add("person", tuple(self._person_row))
        added = self._day(dt.date(END.year - 1, 1, 10), END - DAY * 60)
        entry = self._entry(pk, cell, added, "in_procedure")
        stage = r.choice(OPEN_STAGES + [Stage.REJECTED])
        self.g.truth.open_cases[stage] += 1
        case_id = self.g.next_id("case")
        opened = added + DAY * 15
        stages = OPEN_STAGES[: OPEN_STAGES.index(stage) + 1] if stage in OPEN_STAGES else [
            Stage.SOURCE_LIST, Stage.APPLICATION, Stage.CELL_VOTED, Stage.REJECTED]  # fmt: skip
        days = self._stage_days(opened, END - DAY, len(stages))
        if stage != Stage.SOURCE_LIST:  # past the awareness class
            self._awareness(pk, cell, days[1] + DAY * 30, before=False)
        dates = dict(zip(stages, days, strict=True))
        closed = dates.get(Stage.REJECTED)
        self._case_row(case_id, pk, cell, entry, stage, days[-1], opened,
                       cell_vote=dates.get(Stage.CELL_VOTED),
                       grassroots_vote=dates.get(Stage.GRASSROOTS_VOTED),
                       decision=dates.get(Stage.DECIDED), closed=closed)  # fmt: skip
        self._changes(case_id, stages, days)

    def _stage_days(self, first: dt.date, last: dt.date, n: int) -> list[dt.date]:
        span = max(n, (last - first).days)
        picks = sorted(self.rng.sample(range(span), n)) if span >= n else list(range(n))
        return [min(last, first + DAY * k) for k in picks]

    def _entry(self, pk: int, cell: Unit, added: dt.date, status: str) -> int:
        gr = cell.grassroots_before if added < RESTRUCTURE else cell.grassroots_after
        key = (gr, added.year)
        if key not in self.source_lists:
            sid = self.g.next_id("slist")
            self.source_lists[key] = sid
            self.g.sink.add("slist", (sid, gr, "yearly", added.year, "",
                            f"{self.rng.randint(1, 99)}-NQ/ĐU"))  # fmt: skip
        eid = self.g.next_id("sentry")
        self.g.sink.add("sentry", (eid, self.source_lists[key], pk, added, status, None, ""))
        return eid

    def _case(
        self,
        pk: int,
        cell: Unit,
        ceremony: dt.date,
        decision: dt.date,
        official: dt.date | None,
        outcome: str,
        born: dt.date,
    ) -> None:
        added = ceremony - dt.timedelta(days=self.rng.randint(300, 500))
        entry = self._entry(pk, cell, added, "admitted")
        case_id = self.g.next_id("case")
        opened = added + DAY * 20
        before = [Stage.SOURCE_LIST, Stage.AWARENESS_CLASS, Stage.APPLICATION,
                  Stage.BACKGROUND_DECLARED, Stage.VETTING, Stage.INTRODUCTIONS_COLLECTED,
                  Stage.CELL_VOTED, Stage.GRASSROOTS_VOTED]  # fmt: skip
        days = self._stage_days(opened, decision - DAY, len(before))
        stages = [*before, Stage.DECIDED, Stage.PROBATION]
        days += [decision, ceremony]
        closed = None
        if outcome == "official" and official is not None:
            stages += [Stage.RECOGNITION_CELL_VOTED, Stage.RECOGNITION_GRASSROOTS_VOTED,
                       Stage.RECOGNIZED]  # fmt: skip
            days += [official - DAY * 25, official - DAY * 15, official]
            closed = official
        elif outcome == "removed":
            stages.append(Stage.REMOVED)
            days.append(ceremony + DAY * 60)
            closed = days[-1]
        dates = dict(zip(stages, days, strict=True))
        self._case_row(case_id, pk, cell, entry, stages[-1], days[-1], opened,
                       cell_vote=dates[Stage.CELL_VOTED],
                       grassroots_vote=dates[Stage.GRASSROOTS_VOTED], decision=decision,
                       ceremony=ceremony, official=official if closed == official else None,
                       closed=closed)  # fmt: skip
        self._changes(case_id, stages, days)

    def _case_row(
        self,
        case_id: int,
        pk: int,
        cell: Unit,
        entry: int,
        stage: str,
        stage_on: dt.date,
        opened: dt.date,
        *,
        cell_vote: dt.date | None = None,
        grassroots_vote: dt.date | None = None,
        decision: dt.date | None = None,
        ceremony: dt.date | None = None,
        official: dt.date | None = None,
        closed: dt.date | None = None,
    ) -> None:
        after = opened >= RESTRUCTURE
        self.g.sink.add("case", (
            case_id, pk, cell.id, cell.decides_after if after else cell.decides_before,
            cell.grassroots_after if after else cell.grassroots_before, entry, stage, stage_on,
            opened, "", False, False, False, True, False, cell_vote, grassroots_vote,
            decision, decision + DAY * 3 if decision else None, ceremony, official, None,
            None, None, closed, 0, None, "",
        ))  # fmt: skip

    def _changes(self, case_id: int, stages: list[str], days: list[dt.date]) -> None:
        prev = ""
        for st, day in zip(stages, days, strict=True):
            at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            self.g.sink.add("change", (self.g.next_id("change"), case_id, prev, st, day, at,
                            None, "", "", ""))  # fmt: skip
            prev = st

    # --- training -------------------------------------------------------------------

    def _class(self, code: str, start_hint: dt.date) -> tuple[int, int, dt.date, dt.date]:
        """The district's class of ``code`` for the quarter of ``start_hint`` (created on
        first use): (class id, institution id, start, end)."""
        q = (start_hint.month - 1) // 3
        key = (code, start_hint.year, q)
        if key not in self.classes:
            g = self.g
            start = dt.date(start_hint.year, q * 3 + 1, 10)
            days = 5 if code == "awareness" else 7
            end = start + DAY * (days - 1)
            inst = self.inst if end < RESTRUCTURE else g.province_inst
            cid = g.next_id("class")
            label = "BDNT" if code == "awareness" else "LLCT-ĐVM"
            status = "finished" if end < END else "running"
            g.sink.add("class", (cid, inst, g.course_types[code],
                       f"{self.dcode}-{label}-{start.year}-Q{q + 1}",
                       f"Lớp {label} quý {q + 1}/{start.year}", "Hội trường", start, end, "",
                       80, status, ""))  # fmt: skip
            served = [self.did] if start < RESTRUCTURE else self.grassroots_after
            for u in served:
                g.sink.add("served", (cid, u))
            for i in range(5 if code == "awareness" else 10):
                g.sink.add("session", (g.next_id("session"), cid,
                           min(end, start + DAY * (i // 2)), f"Chuyên đề {i + 1}", ""))  # fmt: skip
            self.classes[key] = (cid, inst, start, end)
        return self.classes[key]

    def _enrol(self, pk: int, cell: Unit, code: str, hint: dt.date) -> tuple[int, dt.date]:
        g = self.g
        cid, inst, start, end = self._class(code, hint)
        eid = g.next_id("enrol")
        g.sink.add("enrol", (eid, cid, pk, "accepted", cell.id, None, None))
        if end < END:
            sessions = 5 if code == "awareness" else 10
            g.sink.add("result", (g.next_id("result"), eid, True,
                       Decimal(self.rng.randint(60, 100)) / 10, "", sessions, sessions, True,
                       None))  # fmt: skip
            key = (inst, end.year)
            g.cert_seq[key] += 1
            seq = g.cert_seq[key]
            g.sink.add("cert", (g.next_id("cert"), inst, cid, eid, pk, g.course_types[code],
                       end.year, seq, f"{seq}/{end.year}/{inst}", end, "",
                       certificate_valid_until(end, g.course_months.get(code))))  # fmt: skip
        return cid, start

    def _awareness(self, pk: int, cell: Unit, admitted: dt.date, *, before: bool = True) -> None:
        if admitted < START + DAY * 200:
            return
        hint = admitted - dt.timedelta(days=self.rng.randint(120, 400)) if before else admitted
        hint = min(hint, END - DAY * 10)
        _cid, start = self._enrol(pk, cell, "awareness", hint)
        self.g.truth.awareness[start.year] += 1

    def _new_member_class(self, pk: int, cell: Unit, admitted: dt.date) -> None:
        hint = admitted + dt.timedelta(days=self.rng.randint(30, 200))
        if hint < END - DAY * 30:
            self._enrol(pk, cell, "new_member", hint)

    def _classes_flush(self) -> None:
        self.classes.clear()

    # --- targets ------------------------------------------------------------------

    def _targets(self) -> None:
        g = self.g
        sizes: Counter[int] = Counter()
        sizes_after: Counter[int] = Counter()
        total_w = sum(c.weight for c in self.cells)
        for c in self.cells:
            sizes[c.grassroots_before] += c.weight
            sizes_after[c.grassroots_after] += c.weight
        for year in TARGET_YEARS:
            units = sizes if year < RESTRUCTURE.year else sizes_after
            for unit, w in sorted(units.items()):
                value = max(1, round(g.scale.members * w / total_w * 0.042))
                g.sink.add("target", (g.next_id("target"), unit, year, None, value,
                           f"{self.rng.randint(1, 99)}-KH/HU", dt.date(year - 1, 12, 20), None,
                           ""))  # fmt: skip
