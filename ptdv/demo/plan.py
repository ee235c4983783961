"""The deterministic plan of the Chợ Đồn demo: organizations and people with their
life dates. Steps of ``ptdv loaddemo`` (one ``demo.py`` per app) materialise it.

The plan is pure data from a seeded random generator, so every run of the demo yields
the same records. Figures are tuned to the article (48 grassroots organizations, over
4,700 members at the end of 2022, 1,574 admitted and 1,719 recognized in 2010–2020).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cache

from ptdv.demo import names as N
from ptdv.people.rules import make_citizen_id

SEED = 20221231
PROVINCE_CODE_CCCD = "006"  # Bắc Kạn
MEMBERS_AT_END_OF_2022 = 4_763
# Admissions whose ceremony is on or after this date are produced by the admissions
# step (as cases, through its services); earlier ones are written as plain history.
# None means: every membership is written as history by the people step.
CASES_FROM: dt.date | None = dt.date(2009, 1, 1)
TODAY = dt.date(2026, 11, 29)  # the demo's "today"; ptdv loaddemo accepts --today


@dataclass
class PlannedOrg:
    code: str
    name: str
    kind: str
    sector: str
    parent: str | None
    authorised_to_admit: bool = False
    weight: float = 0.0  # share of members (cells only)
    village: str | None = None  # residential unit code for a village cell
    mountainous: bool = True
    ethnic_minority_area: bool = True


@dataclass
class PlannedVillage:
    code: str
    name: str
    kind: str
    commune: str  # grassroots org code
    own_cell: str | None


@dataclass
class PlannedPerson:
    key: int
    full_name: str
    date_of_birth: dt.date
    gender: str
    ethnicity: str
    religion: str
    citizen_id: str | None
    education_general: str
    education_professional: str
    political_theory: str
    occupation: str
    workplace: str
    village: str | None
    phone: str
    youth_union_member: bool
    cell: str
    grassroots: str
    candidate_since: dt.date | None = None
    decision_on: dt.date | None = None
    admitted_on: dt.date | None = None  # ceremony
    official_on: dt.date | None = None
    removed_probationary_on: dt.date | None = None
    transferred_in_on: dt.date | None = None  # arrived as a probationary member
    exit_kind: str | None = None  # died / transferred_out / removed / expelled / left
    exit_on: dt.date | None = None
    card_number: str = ""
    card_on: dt.date | None = None

    @property
    def is_member_plan(self) -> bool:
        return self.admitted_on is not None

    def member_on(self, day: dt.date) -> bool:
        start = self.transferred_in_on or self.admitted_on
        if start is None or start > day:
            return False
        if self.removed_probationary_on and self.removed_probationary_on <= day:
            return False
        return not (self.exit_on and self.exit_on <= day)


@dataclass
class Plan:
    orgs: list[PlannedOrg] = field(default_factory=list)
    villages: list[PlannedVillage] = field(default_factory=list)
    people: list[PlannedPerson] = field(default_factory=list)

    def grassroots(self) -> list[PlannedOrg]:
        return [o for o in self.orgs if o.kind in {"grassroots_committee", "grassroots_cell"}]


# ---------------------------------------------------------------------------


def _orgs(rng: random.Random) -> tuple[list[PlannedOrg], list[PlannedVillage]]:
    orgs = [
        PlannedOrg("BK", "Đảng bộ tỉnh Bắc Kạn", "province", "party_body", None, True),
        PlannedOrg("CD", "Đảng bộ huyện Chợ Đồn", "district", "party_body", "BK", True),
    ]
    villages: list[PlannedVillage] = []
    for ccode, cname, is_town in N.COMMUNES:
        gcode = f"CD-{ccode}"
        orgs.append(
            PlannedOrg(gcode, f"Đảng bộ {cname}", "grassroots_committee", "commune_ward", "CD")
        )
        n_villages = rng.randint(9, 13) if not is_town else 10
        picked = rng.sample(N.VILLAGE_NAMES, n_villages)
        for i, vname in enumerate(picked, start=1):
            vcode = f"{gcode}-T{i:02d}"
            if is_town:
                label, vkind = f"Tổ {i}", "residential_group"
            else:
                label, vkind = (
                    (
                        f"Bản {vname.split(' ', 1)[-1]}"
                        if vname.startswith("Bản")
                        else f"Thôn {vname}"
                    ),
                    "village" if not vname.startswith("Bản") else "hamlet",
                )
            # a few villages share a cell with a neighbour (chi bộ ghép), and one or two
            # have no member at all; the rest have their own cell
            has_cell = not (i == n_villages and ccode in {"NP", "BT", "YT", "QB", "DV"})
            cell_code = f"{vcode}-CB" if has_cell else None
            villages.append(PlannedVillage(vcode, label, vkind, gcode, cell_code))
            if cell_code is not None:
                orgs.append(
                    PlannedOrg(
                        cell_code,
                        f"Chi bộ {label}",
                        "cell",
                        "residential",
                        gcode,
                        weight=3.0,
                        village=vcode,
                        mountainous=not is_town,
                    )
                )
        for acode, aname, sector in N.COMMUNE_AGENCY_CELLS:
            orgs.append(
                PlannedOrg(
                    f"{gcode}-{acode}",
                    f"{aname} {cname}",
                    "cell",
                    sector,
                    gcode,
                    weight=1.4 if acode in {"CQ", "TH", "THCS"} else 0.9,
                )
            )
    for code, name, kind, sector, cells, weight in N.DISTRICT_GRASSROOTS:
        gcode = f"CD-{code}"
        orgs.append(
            PlannedOrg(
                gcode,
                name,
                kind,
                sector,
                "CD",
                mountainous=False,
                ethnic_minority_area=False,
                weight=0 if cells else weight * 14,
            )
        )
        if code == "CQCQ":
            # one sub-committee to show a deeper tree
            sub = f"{gcode}-BP"
            orgs.append(
                PlannedOrg(
                    sub, "Đảng bộ bộ phận Khối Kinh tế - Hạ tầng", "sub_committee", sector, gcode
                )
            )
            for j, extra in enumerate(["Phòng Kinh tế và Hạ tầng", "Ban Quản lý dự án"], 1):
                orgs.append(
                    PlannedOrg(
                        f"{sub}-C{j}",
                        f"Chi bộ {extra}",
                        "cell",
                        sector,
                        sub,
                        weight=weight * 14 / (len(cells) + 2),
                    )
                )
        for j, cname in enumerate(cells, start=1):
            orgs.append(
                PlannedOrg(
                    f"{gcode}-C{j}",
                    f"Chi bộ {cname}",
                    "cell",
                    sector,
                    gcode,
                    weight=weight * 14 / (len(cells) + (2 if code == "CQCQ" else 0)),
                )
            )
    return orgs, villages


def _admissions_per_year() -> dict[int, int]:
    per_year = {2009: 160, 2020: 140, 2021: 152, 2022: 147, 2023: 141, 2024: 138, 2025: 129}
    decade = [128, 133, 139, 142, 146, 148, 150, 147, 145, 156]  # 2010–2019: 1,434
    per_year.update({2010 + i: n for i, n in enumerate(decade)})
    per_year[2026] = 96  # ceremonies so far this year
    return per_year


def _pick_weighted(rng: random.Random, items: list[tuple[str, float]]) -> str:
    total = sum(w for _, w in items)
    r = rng.random() * total
    for value, weight in items:
        r -= weight
        if r <= 0:
            return value
    return items[-1][0]


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    import calendar

    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


class _PeopleFactory:
    def __init__(
        self, rng: random.Random, orgs: list[PlannedOrg], villages: list[PlannedVillage]
    ) -> None:
        self.rng = rng
        self.cells = [o for o in orgs if o.kind == "cell" or (o.kind == "grassroots_cell")]
        self.cell_weights = [(o.code, o.weight) for o in self.cells if o.weight > 0]
        self.by_code = {o.code: o for o in orgs}
        self.villages_of: dict[str, list[PlannedVillage]] = {}
        for v in villages:
            self.villages_of.setdefault(v.commune, []).append(v)
        self.town_villages = self.villages_of["CD-BL"]
        self.key = 0
        self.serial = 0

    def grassroots_of(self, cell: PlannedOrg) -> str:
        org = cell
        while org.kind not in {"grassroots_committee", "grassroots_cell"}:
            org = self.by_code[org.parent]  # type: ignore[index]
        return org.code

    def person(
        self,
        *,
        born_between: tuple[dt.date, dt.date],
        cell_code: str | None = None,
        female_share: float = 0.42,
        joined: dt.date | None = None,
    ) -> PlannedPerson:
        rng = self.rng
        self.key += 1
        cell = self.by_code[cell_code or _pick_weighted(rng, self.cell_weights)]
        grassroots = self.grassroots_of(cell)
        ethnicity = _pick_weighted(rng, N.ETHNIC_MIX)
        gender = "female" if rng.random() < female_share else "male"
        family = rng.choice(N.FAMILY_BY_ETHNICITY[ethnicity])
        if ethnicity == "08":
            middle = rng.choice(N.MIDDLE_HMONG_MALE if gender == "male" else N.MIDDLE_HMONG_FEMALE)
        else:
            middle = rng.choice(N.MIDDLE_MALE if gender == "male" else N.MIDDLE_FEMALE)
        given = rng.choice(N.GIVEN_MALE if gender == "male" else N.GIVEN_FEMALE)
        dob = _random_date(rng, *born_between)
        sector = cell.sector
        occupation = {
            "residential": "farmer",
            "commune_ward": "civil_servant",
            "admin_agency": "civil_servant",
            "party_body": "civil_servant",
            "public_service": "public_employee",
            "police": "armed_forces",
            "armed_forces": "armed_forces",
            "state_enterprise": "business_employee",
            "non_state_enterprise": "private_enterprise",
            "non_public_service": "non_public_service",
        }.get(sector, "other")
        era = (joined or dt.date(2015, 1, 1)).year
        if occupation == "farmer":
            edu = _pick_weighted(
                rng,
                [
                    ("upper_secondary", 0.35 if era >= 2005 else 0.1),
                    ("lower_secondary", 0.55),
                    ("primary", 0.10),
                ],
            )
            prof = _pick_weighted(rng, [("none", 0.7), ("elementary", 0.2), ("intermediate", 0.1)])
        else:
            edu = "upper_secondary" if era >= 1990 or rng.random() < 0.6 else "lower_secondary"
            prof = _pick_weighted(
                rng,
                [
                    ("university", 0.55 if era >= 2005 else 0.25),
                    ("college", 0.2),
                    ("intermediate", 0.2),
                    ("master", 0.05 if era >= 2010 else 0.0),
                ],
            )
        if cell.village:
            village = cell.village
        elif cell.parent and cell.parent.startswith("CD-") and cell.parent in self.villages_of:
            village = rng.choice(self.villages_of[cell.parent]).code
        else:
            village = rng.choice(self.town_villages).code
        self.serial += 1
        citizen_id = make_citizen_id(PROVINCE_CODE_CCCD, dob, gender, self.serial * 37 + 10_000)
        religion = (
            "none"
            if rng.random() > 0.03
            else rng.choice(["buddhism", "catholicism", "protestantism"])
        )
        return PlannedPerson(
            key=self.key,
            full_name=f"{family} {middle} {given}",
            date_of_birth=dob,
            gender=gender,
            ethnicity=ethnicity,
            religion=religion,
            citizen_id=citizen_id,
            education_general=edu,
            education_professional=prof,
            political_theory="none",
            occupation=occupation,
            workplace=cell.name.replace("Chi bộ ", ""),
            village=village,
            phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            youth_union_member=False,
            cell=cell.code,
            grassroots=grassroots,
        )


def _admit(f: _PeopleFactory, ceremony: dt.date) -> PlannedPerson:
    rng = f.rng
    age_years = _pick_weighted(
        rng, [("19-25", 0.38), ("26-30", 0.30), ("31-40", 0.24), ("41-55", 0.08)]
    )
    lo, hi = (int(x) for x in age_years.split("-"))
    born_from = dt.date(ceremony.year - hi - 1, 1, 1)
    born_to = dt.date(ceremony.year - lo, ceremony.month, 1) - dt.timedelta(days=400)
    p = f.person(
        born_between=(born_from, born_to),
        joined=ceremony,
        female_share=0.30 if ceremony.year < 2000 else 0.47,
    )
    p.admitted_on = ceremony
    p.decision_on = ceremony - dt.timedelta(days=rng.randint(7, 35))
    p.candidate_since = _add_months(p.decision_on, -rng.randint(14, 40))
    p.youth_union_member = (ceremony.year - p.date_of_birth.year) <= 30 and rng.random() < 0.8
    p.official_on = _add_months(ceremony, 12)
    return p


def _exit(f: _PeopleFactory, p: PlannedPerson, *, today: dt.date) -> None:
    rng = f.rng
    start = p.official_on or p.admitted_on
    assert start is not None
    # transfers out and removals; deaths for the elderly
    if rng.random() < 0.07:
        p.exit_kind, p.exit_on = "transferred_out", _random_date(rng, start, today)
    elif rng.random() < 0.008:
        p.exit_kind, p.exit_on = "removed", _random_date(rng, start, today)
    elif rng.random() < 0.002:
        p.exit_kind, p.exit_on = "expelled", _random_date(rng, start, today)
    else:
        death_age = int(rng.gauss(76, 9))
        death = dt.date(min(p.date_of_birth.year + death_age, 9999), 6, 1)
        death = _random_date(rng, death, death + dt.timedelta(days=360))
        if start < death <= today:
            p.exit_kind, p.exit_on = "died", death
    if p.exit_on and p.official_on and p.exit_on < p.official_on:
        p.exit_on = p.official_on + dt.timedelta(days=rng.randint(30, 400))
        if p.exit_on > today:
            p.exit_kind = p.exit_on = None


def _card(f: _PeopleFactory, p: PlannedPerson, today: dt.date) -> None:
    if p.official_on and p.official_on <= today:
        on = p.official_on + dt.timedelta(days=f.rng.randint(60, 240))
        if on <= today and (p.exit_on is None or on < p.exit_on):
            p.card_on = on
            p.card_number = f"06{p.key:06d}"


@cache
def build(today: dt.date = TODAY) -> Plan:
    rng = random.Random(SEED)
    orgs, villages = _orgs(rng)
    f = _PeopleFactory(rng, orgs, villages)
    people: list[PlannedPerson] = []
    # 1. Admissions from 2009 on, year by year.
    for year, count in sorted(_admissions_per_year().items()):
        end = min(dt.date(year, 12, 31), today - dt.timedelta(days=20))
        for _ in range(count):
            p = _admit(f, _random_date(rng, dt.date(year, 1, 1), end))
            people.append(p)
    # 2. Exactly 15 of the 2009–2019 cohorts are removed from the probationary list,
    #    and a few more outside the period.
    cohort = [p for p in people if p.admitted_on and 2009 <= p.admitted_on.year <= 2019]
    for p in rng.sample(cohort, 15):
        p.removed_probationary_on = p.official_on
        p.official_on = None
    later = [p for p in people if p.admitted_on and 2021 <= p.admitted_on.year <= 2024]
    for p in rng.sample(later, 4):
        p.removed_probationary_on = p.official_on
        p.official_on = None
    # 3. 140 probationary members transferred in (mostly back from military service)
    #    and recognized here in 2010–2020, plus a few in later years.
    for i in range(152):
        official = (
            _random_date(rng, dt.date(2010, 1, 1), dt.date(2020, 12, 31))
            if i < 140
            else _random_date(rng, dt.date(2021, 1, 1), today - dt.timedelta(days=10))
        )
        ceremony = _add_months(official, -12)
        p = f.person(
            born_between=(dt.date(ceremony.year - 24, 1, 1), dt.date(ceremony.year - 19, 1, 1)),
            female_share=0.08,
            joined=ceremony,
        )
        p.admitted_on = ceremony
        p.decision_on = ceremony - dt.timedelta(days=20)
        p.official_on = official
        p.transferred_in_on = _random_date(rng, _add_months(ceremony, 2), _add_months(ceremony, 9))
        p.youth_union_member = True
        p.workplace = "Bộ đội xuất ngũ"
        people.append(p)
    for p in people:
        if p.official_on and p.official_on > today:
            p.official_on = None  # still on probation
        if p.admitted_on and p.admitted_on <= today and not p.removed_probationary_on:
            _exit(f, p, today=today)
    # 4. Members admitted before 2009 until the district has its members at the end of 2022.
    end_2022 = dt.date(2022, 12, 31)
    have = sum(1 for p in people if p.member_on(end_2022))
    year_weights = [
        (str(y), 0.5 if y < 1975 else (1.0 if y < 1995 else 1.6)) for y in range(1958, 2009)
    ]
    while have < MEMBERS_AT_END_OF_2022:
        year = int(_pick_weighted(rng, year_weights))
        p = _admit(f, _random_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31)))
        _exit(f, p, today=today)
        people.append(p)
        if p.member_on(end_2022):
            have += 1
    # 5. Outstanding masses never (yet) admitted: past awareness-class attendees and
    #    today's sources.
    for _ in range(1_150):
        since = _random_date(rng, dt.date(2007, 1, 1), today - dt.timedelta(days=30))
        p = f.person(
            born_between=(dt.date(since.year - 38, 1, 1), dt.date(since.year - 18, 1, 1)),
            joined=since,
            female_share=0.5,
        )
        p.candidate_since = since
        p.youth_union_member = (since.year - p.date_of_birth.year) <= 30
        people.append(p)
    for p in people:
        _card(f, p, today)
        # people who died before identity cards existed have no CCCD
        if p.exit_kind == "died" and p.exit_on and p.exit_on.year < 2016:
            p.citizen_id = None
        elif rng.random() < 0.04:
            p.citizen_id = None  # not yet collected
        p.political_theory = "elementary" if p.official_on and p.occupation != "farmer" else "none"
    return Plan(orgs=orgs, villages=villages, people=people)
