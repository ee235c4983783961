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

from ptdv.admissions.models import AdmissionCase, SourceEntry, SourceList, StageChange
from ptdv.core.text import text_sort_key
from ptdv.gendata.district import District
from ptdv.gendata.shape import (
    AGENCY_SECTORS,
    CHECK_DATES,
    DAY,
    END,
    EPOCH,
    PLACES,
    RESTRUCTURE,
    SCALES,
    Scale,
    Truth,
    Unit,
    segment,
)
from ptdv.gendata.sink import Sink
from ptdv.organizations.history import Slice
from ptdv.organizations.models import (
    OrgKind,
    OrgUnit,
    OrgUnitChange,
    OrgUnitLineage,
    OrgUnitVersion,
    ResidentialUnit,
    Restructuring,
    Sector,
)
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person, Transfer
from ptdv.people.rules import CCCD_PROVINCE_CODES
from ptdv.targets.models import Target
from ptdv.training.models import (
    Certificate,
    ClassSession,
    Enrolment,
    Result,
    TrainingClass,
    TrainingInstitution,
)

__all__ = ["CHECK_DATES", "END", "RESTRUCTURE", "SCALES", "Generator", "Scale", "Truth"]


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
        n_communes = self._communes(rng, dcode, did, dpath, cells, grassroots_after)
        self._agencies(rng, dcode, did, dpath, cells, grassroots_after, n_communes)
        self.truth.grassroots_now += len(grassroots_after)
        District(self, rng, p, d, dcode, did, inst, cells, grassroots_after).run()

    def _unit_versions(
        self, uid: int, name: str, before: tuple[int, str], after: tuple[int, str]
    ) -> list[Slice]:
        """A unit's two versions: under ``before`` until 30/06/2025, under ``after`` from
        01/07/2025 (written), as the slices that cut its members' periods."""
        last_day = RESTRUCTURE - DAY
        v1 = (self.next_id("ver"), uid, name, before[0], before[1] + segment(uid),
              before[1].count("."), EPOCH, last_day, None)  # fmt: skip
        v2 = (self.next_id("ver"), uid, name, after[0], after[1] + segment(uid),
              after[1].count("."), RESTRUCTURE, None, self.op_id)  # fmt: skip
        self.sink.add("ver", v1)
        self.sink.add("ver", v2)
        return [Slice(EPOCH, last_day, v1[4]), Slice(RESTRUCTURE, None, v2[4])]

    def _communes(
        self,
        rng: random.Random,
        dcode: str,
        did: int,
        dpath: str,
        cells: list[Unit],
        grassroots_after: list[int],
    ) -> int:
        """The commune committees, merged by threes into new communes on 01/07/2025, with
        their village and school cells; returns how many communes there were."""
        prov_id, _code, _name, prov_path = self.province
        last_day = RESTRUCTURE - DAY
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
                    slices = self._unit_versions(cid, cname, (gid, gpath), (nid, npath))
                    self._org(cid, f"{gcode}-{v + 1:02d}", cname, OrgKind.CELL,
                              Sector.RESIDENTIAL, nid, slices[1].path, EPOCH, None)  # fmt: skip
                    self.sink.add("vil", (vid, f"{gcode}-T{v + 1:02d}", vname, "village", nid,
                                  cid, EPOCH, None, True, False, False, True, False))  # fmt: skip
                    cells.append(Unit(cid, f"{gcode}-{v + 1:02d}", OrgKind.CELL,
                                      Sector.RESIDENTIAL, slices, gid, nid, did, nid,
                                      weight=rng.uniform(0.6, 1.4), village=vid))  # fmt: skip
                cid = self.next_id("org")
                cname = f"Chi bộ Trường {rng.choice(PLACES)} {c + 1}"
                slices = self._unit_versions(cid, cname, (gid, gpath), (nid, npath))
                self._org(cid, f"{gcode}-TR", cname, OrgKind.CELL, Sector.PUBLIC_SERVICE, nid,
                          slices[1].path, EPOCH, None)  # fmt: skip
                cells.append(Unit(cid, f"{gcode}-TR", OrgKind.CELL, Sector.PUBLIC_SERVICE,
                                  slices, gid, nid, did, nid, weight=0.5))  # fmt: skip
        return n_communes

    def _agencies(
        self,
        rng: random.Random,
        dcode: str,
        did: int,
        dpath: str,
        cells: list[Unit],
        grassroots_after: list[int],
        n_communes: int,
    ) -> None:
        """The agency and enterprise grassroots organizations (committees with cells, or
        grassroots cells), moved under the province on 01/07/2025."""
        prov_id, _code, _name, prov_path = self.province
        for a in range(46 - n_communes - rng.randint(0, 3)):
            sector, label = rng.choice(AGENCY_SECTORS)
            gid = self.next_id("org")
            gcode = f"{dcode}-CQ{a + 1:02d}"
            committee = rng.random() < 0.4
            kind = OrgKind.GRASSROOTS_COMMITTEE if committee else OrgKind.GRASSROOTS_CELL
            gname = (
                "Đảng bộ " if committee else "Chi bộ "
            ) + f"{label} {rng.choice(PLACES)} {a + 1}"
            slices = self._unit_versions(gid, gname, (did, dpath), (prov_id, prov_path))
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
                cslices = self._unit_versions(cid, cname, *gp)
                self._org(cid, f"{gcode}-{k + 1:02d}", cname, OrgKind.CELL, sector, gid,
                          cslices[1].path, EPOCH, None)  # fmt: skip
                cells.append(Unit(cid, f"{gcode}-{k + 1:02d}", OrgKind.CELL, sector, cslices,
                                  gid, gid, did, prov_id, weight=rng.uniform(0.2, 0.8)))  # fmt: skip
