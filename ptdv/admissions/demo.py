"""Demo step 30: sources and admission cases run through the admission services in
simulated time, from the plan's dates (``ptdv/demo/plan.py``, ``CASES_FROM``).

Every admission of the plan from ``CASES_FROM`` on (except the transferred-in
probationary members, whose history the people step writes) is taken from the source
list to official member — or removal — by the same services a user calls; today's
cases are left in every stage, some overdue, and a few past cases are rejected.
Source lists and their entries are bulk-inserted (they carry no rule).
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from ptdv.admissions import checks
from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
    Body,
    Decision,
    DocumentKind,
    DocumentStatus,
    DossierItem,
    Introduction,
    Purpose,
    SourceEntry,
    SourceList,
    Stage,
    StageChange,
    Vote,
)
from ptdv.audit.services import record
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgKind, OrgUnit
from ptdv.organizations.selectors import deciding_unit, grassroots_of
from ptdv.people import rules as rules_people
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person
from ptdv.people.rules import age_in_months
from ptdv.people.services import build_periods, membership_event_add
from ptdv.policy.types import ApplicantFacts, Introducer
from ptdv.training.models import Certificate

DEMO_ORDER = 30
SEED = 4
# By default every case (ceremonies from ``plan.CASES_FROM``) goes step by step through
# the services. ``ptdv loaddemo --fast`` writes the cases whose ceremony is before
# ``BULK_BEFORE`` in bulk instead (the same rows, proven equal to the services' rows by
# tests/test_demo_equivalence.py): measured 221 s instead of 386 s wall for the whole
# loaddemo (113 s instead of 275 s CPU) on the shared 2-core machine.
BULK_BEFORE = dt.date(2024, 1, 1)


def services_from(ctx: DemoContext) -> dt.date:
    """The boundary this run uses: ``plan.CASES_FROM``, or ``BULK_BEFORE`` when
    ``ctx.fast`` (set by ``loaddemo --fast``)."""
    if getattr(ctx, "fast", False) or P.CASES_FROM is None:
        return BULK_BEFORE
    return P.CASES_FROM


# the recognition dossier's papers (10-, 11-, 12-KNĐ), received at the end of probation
PROBATION_PAPERS = (
    DocumentKind.SELF_REVIEW,
    DocumentKind.HELPER_COMMENT,
    DocumentKind.RECOGNITION_COMMENTS,
)


def _d(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


@dataclass
class _Official:
    key: int
    start: dt.date
    end: dt.date | None


class _Officials:
    """Official members per cell and per grassroots organization from the plan (the same
    dates the database gets), to pick introducers and count a cell's members."""

    def __init__(self, plan: P.Plan) -> None:
        self.cell: dict[str, list[_Official]] = defaultdict(list)
        self.grassroots: dict[str, list[_Official]] = defaultdict(list)
        for p in plan.people:
            if p.official_on is None or p.removed_probationary_on:
                continue
            o = _Official(p.key, p.official_on, p.exit_on)
            self.cell[p.cell].append(o)
            self.grassroots[p.grassroots].append(o)
        for lst in (*self.cell.values(), *self.grassroots.values()):
            lst.sort(key=lambda o: o.start)

    @staticmethod
    def _on(lst: list[_Official], day: dt.date) -> list[int]:
        stop = bisect.bisect_right([o.start for o in lst], day)
        return [o.key for o in lst[:stop] if o.end is None or o.end > day]

    def in_cell(self, cell: str, day: dt.date) -> list[int]:
        return self._on(self.cell[cell], day)

    def in_grassroots(self, grassroots: str, day: dt.date) -> list[int]:
        return self._on(self.grassroots[grassroots], day)


class _Runner:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = random.Random(SEED)
        self.today = ctx.today
        self.actor = ctx.actor
        self.units = {u.code: u for u in OrgUnit.objects.all()}
        self.officials = _Officials(ctx.plan)
        self.unit_cache: dict[str, tuple[OrgUnit | None, OrgUnit | None]] = {}
        self.seq = 0
        self.entries: dict[int, int] = {}  # plan key → SourceEntry pk
        self.certificates: dict[int, list[dt.date]] = defaultdict(list)  # person pk → dates
        rows = Certificate.objects.filter(course_type__code="awareness").values_list(
            "person_id", "issued_on"
        )
        for person_id, issued_on in rows:
            self.certificates[person_id].append(issued_on)
        self.stats: dict[str, int] = defaultdict(int)

    def person(self, key: int) -> Person:
        return Person(pk=self.ctx.person_ids[key])

    def dossier_dates(
        self, p: P.PlannedPerson, since: dt.date, vote_on: dt.date
    ) -> tuple[dt.date, dt.date, dt.date, dt.date, dt.date]:
        """Certificate (the training app's, when the demo's political centre issued one),
        application, background, vetting and introductions, in order before the vote."""
        own = [
            d
            for d in self.certificates.get(self.ctx.person_ids[p.key], [])
            if since <= d <= _d(vote_on, -10)
        ]
        cert = max(own) if own else _d(since, self.rng.randint(20, 90))
        gap = (vote_on - cert).days
        if gap > 150:
            app = _d(cert, self.rng.randint(15, 40))
            bg = _d(app, self.rng.randint(7, 20))
            vet = _d(bg, self.rng.randint(30, 60))
            intro = max(_d(vet, 7), _d(vote_on, -self.rng.randint(20, 60)))
        else:
            step = max(1, gap // 5)
            app, bg, vet, intro = (_d(cert, step * i) for i in range(1, 5))
        return cert, app, bg, vet, intro

    def number(self, suffix: str) -> str:
        self.seq += 1
        return f"{self.seq}-{suffix}"

    def units_of(self, cell: OrgUnit) -> tuple[OrgUnit | None, OrgUnit | None]:
        if cell.code not in self.unit_cache:
            self.unit_cache[cell.code] = (grassroots_of(cell), deciding_unit(cell))
        return self.unit_cache[cell.code]

    # --- introducers and counts ---------------------------------------------------

    def introducers(
        self, p: P.PlannedPerson, intro_on: dt.date, vote_on: dt.date, since: dt.date
    ) -> list[S.IntroducerInput]:
        """Two official members (same cell if possible) from the introduction to the vote."""

        def pool(keys_at: list[int], keys_vote: list[int]) -> list[int]:
            at_vote = set(keys_vote)
            return [k for k in keys_at if k in at_vote and k != p.key]

        keys = pool(
            self.officials.in_cell(p.cell, intro_on), self.officials.in_cell(p.cell, vote_on)
        )
        if len(keys) < 2:
            keys += pool(
                self.officials.in_grassroots(p.grassroots, intro_on),
                self.officials.in_grassroots(p.grassroots, vote_on),
            )
        keys = list(dict.fromkeys(keys))
        picked = self.rng.sample(keys, 2) if len(keys) >= 2 else keys
        cowork = _d(since, -self.rng.randint(400, 1500))
        out = [S.IntroducerInput(self.person(k), cowork_since=cowork) for k in picked]
        if p.youth_union_member:
            out.append(S.IntroducerInput(None, kind=Introduction.Kind.YOUTH_UNION))
        return out

    def cell_counts(self, p: P.PlannedPerson, on: dt.date, *, passing: bool = True) -> S.VoteCounts:
        expected = max(3, len(self.officials.in_cell(p.cell, on)))
        absent = self.rng.randint(0, max(0, expected // 6))
        present = expected - absent
        if passing:
            need = -(-2 * expected // 3)
            in_favour = max(need, present - self.rng.randint(0, 1))
            in_favour = min(in_favour, present)
        else:
            in_favour = max(0, -(-2 * expected // 3) - 1 - self.rng.randint(0, 1))
            in_favour = min(in_favour, present)
        return S.VoteCounts(expected, present, in_favour, present - in_favour, self.number("NQ/CB"))

    def committee_counts(self) -> S.VoteCounts:
        expected = self.rng.randint(9, 15)
        present = expected - self.rng.randint(0, 2)
        return S.VoteCounts(expected, present, present, 0, self.number("NQ/ĐU"))

    # --- the pipeline -------------------------------------------------------------

    def open_case(self, p: P.PlannedPerson, cell: OrgUnit, since: dt.date) -> S.AdmissionCase:
        return S.case_open(
            actor=self.actor,
            person=self.person(p.key),
            cell=cell,
            opened_on=since,
            source_entry=SourceEntry(pk=self.entries[p.key]) if p.key in self.entries else None,
            unit_has_youth_union=p.youth_union_member,
            today=self.today,
            _units=self.units_of(cell),
        )

    def run_admission(
        self, p: P.PlannedPerson, *, stop_at: str | None = None
    ) -> S.AdmissionCase | None:
        """Take a planned person through the pipeline up to ``stop_at`` (or the end)."""
        assert p.decision_on and p.candidate_since
        rng, t, a = self.rng, self.today, self.actor
        cell = self.units[p.cell]
        since = p.candidate_since
        vote_on = _d(p.decision_on, -rng.randint(30, 60))
        case = self.open_case(p, cell, since)
        cert, app, bg, vet, intro = self.dossier_dates(p, since, vote_on)
        case = S.certificate_record(
            actor=a, case=case, issued_on=cert, number=self.number("GCN"), today=t
        )
        case = S.application_record(actor=a, case=case, on=app, today=t, certificate_on=cert)
        case = S.background_record(actor=a, case=case, on=bg, today=t, certificate_on=cert)
        case = S.vetting_record(actor=a, case=case, on=vet, today=t, certificate_on=cert)
        case = S.introductions_record(
            actor=a,
            case=case,
            on=intro,
            introducers=self.introducers(p, intro, vote_on, since),
            comments_on=intro,
            today=t,
            certificate_on=cert,
        )
        case = S.cell_vote_record(
            actor=a, case=case, on=vote_on, counts=self.cell_counts(p, vote_on), today=t
        )
        if cell.kind != OrgKind.GRASSROOTS_CELL:
            g_on = _d(vote_on, rng.randint(7, 20))
            case = S.grassroots_vote_record(
                actor=a, case=case, on=g_on, counts=self.committee_counts(), today=t
            )
        received = min(_d(p.decision_on, rng.randint(0, 5)), p.admitted_on or t)
        case = S.admission_decide(
            actor=a,
            case=case,
            on=p.decision_on,
            number=self.number("QĐ/HU"),
            signer="Phó Bí thư Thường trực Huyện ủy",
            received_on=received,
            today=t,
        )
        assert p.admitted_on is not None
        case = S.ceremony_record(actor=a, case=case, on=p.admitted_on, today=t)
        rec = _d(p.admitted_on, rng.randint(7, 28))
        if rec <= t:
            case = S.member_record_done(actor=a, case=case, on=rec, today=t)
        self.stats["admitted"] += 1
        if p.removed_probationary_on:
            case = S.removal_decide(
                actor=a,
                case=case,
                on=p.removed_probationary_on,
                number=self.number("QĐ/HU"),
                reason="Không đủ tư cách đảng viên sau thời gian dự bị",
                today=t,
            )
            self.stats["removed"] += 1
            return case
        official = case.official_on
        assert official is not None
        if official > t:
            return case
        room = (p.exit_on - official).days if p.exit_on else 60
        step = max(1, min(room // 4, 20))
        rv, gv, rd = _d(official, rng.randint(1, step)), 0, 0
        gv = _d(rv, rng.randint(1, step))
        rd = _d(gv, rng.randint(1, step))
        if rv > t:
            return case
        for kind in PROBATION_PAPERS:  # the recognition decision needs them (issue 15.7)
            S.dossier_item_record(
                actor=a,
                case=case,
                kind=kind,
                status=DocumentStatus.RECEIVED,
                issued_on=official,
                received_on=official,
                today=t,
            )
        case = S.recognition_cell_vote_record(
            actor=a, case=case, on=rv, counts=self.cell_counts(p, rv), today=t
        )
        if cell.kind != OrgKind.GRASSROOTS_CELL:
            if gv > t:
                return case
            case = S.recognition_grassroots_vote_record(
                actor=a, case=case, on=gv, counts=self.committee_counts(), today=t
            )
        if rd > t:
            return case
        case = S.recognition_decide(actor=a, case=case, on=rd, number=self.number("QĐ/HU"), today=t)
        self.stats["recognized"] += 1
        self.after_recognition(p)
        return case

    def after_recognition(self, p: P.PlannedPerson) -> None:
        events = []
        if p.card_on:
            events.append((p.card_on, "card_issued"))
        if p.exit_kind and p.exit_on:
            events.append((p.exit_on, p.exit_kind))
        for day, kind in sorted(events):
            membership_event_add(
                actor=self.actor,
                person=self.person(p.key),
                kind=kind,
                date=day,
                card_number=p.card_number if kind == "card_issued" else "",
                source="demo",
                audit=False,
                today=self.today,
            )


def _source_lists(r: _Runner, people: list[P.PlannedPerson], case_keys: set[int]) -> None:
    """Yearly source lists of each cell with their entries (bulk; no rule involved)."""
    lists: dict[tuple[str, int], SourceList] = {}
    for p in people:
        key = (p.cell, p.candidate_since.year)  # type: ignore[union-attr]
        if key not in lists:
            lists[key] = SourceList(
                org_unit_id=r.units[p.cell].pk, kind=SourceList.Kind.YEARLY, year=key[1]
            )
    SourceList.objects.bulk_create(lists.values(), batch_size=1000)
    entries = []
    for p in people:
        assert p.candidate_since is not None
        if p.admitted_on:
            status, removed_on, reason = SourceEntry.Progress.ADMITTED, None, ""
        elif p.key in case_keys:
            status, removed_on, reason = SourceEntry.Progress.FOSTERED, None, ""
        elif p.candidate_since.year < 2022:
            status = SourceEntry.Progress.REMOVED
            removed_on = _d(p.candidate_since, 700)
            reason = "Chuyển nơi cư trú / không còn đủ điều kiện bồi dưỡng"
        else:
            status, removed_on, reason = SourceEntry.Progress.FOSTERED, None, ""
        entries.append(
            SourceEntry(
                source_list=lists[(p.cell, p.candidate_since.year)],
                person_id=r.ctx.person_ids[p.key],
                added_on=p.candidate_since,
                status=status,
                removed_on=removed_on,
                removed_reason=reason,
            )
        )
    SourceEntry.objects.bulk_create(entries, batch_size=1000)
    through = SourceEntry.helpers.through
    links = []
    for p, e in zip(people, entries, strict=True):
        r.entries[p.key] = e.pk
        helpers = r.officials.in_cell(p.cell, p.candidate_since) or r.officials.in_grassroots(  # type: ignore[arg-type]
            p.grassroots,
            p.candidate_since,  # type: ignore[arg-type]
        )
        if helpers:
            links.append(
                through(sourceentry_id=e.pk, person_id=r.ctx.person_ids[r.rng.choice(helpers)])
            )
    through.objects.bulk_create(links, batch_size=2000)
    r.ctx.say(f"  {len(lists)} danh sách nguồn, {len(entries)} quần chúng trong nguồn")


OPEN_TARGETS = [
    "source_list",
    "awareness_class",
    "application",
    "background_declared",
    "vetting",
    "introductions_collected",
    "cell_voted",
    "grassroots_voted",
    "decided",
    "escalated",
    "cell_voted",
    "decided",
]
ORDER = [
    "source_list",
    "awareness_class",
    "application",
    "background_declared",
    "vetting",
    "introductions_collected",
    "cell_voted",
    "grassroots_voted",
    "decided",
]


def _open_case(r: _Runner, p: P.PlannedPerson, target: str, *, overdue: bool) -> None:
    """A case of today, taken from its source date to ``target``."""
    rng, t, a = r.rng, r.today, r.actor
    assert p.candidate_since is not None
    cell = r.units[p.cell]
    since = p.candidate_since
    last = ORDER.index("cell_voted") if target == "escalated" else ORDER.index(target)
    span = (t - since).days
    # the last step happens long ago when the case should be overdue, else recently
    end = _d(t, -rng.randint(95, 130)) if overdue else _d(t, -rng.randint(3, 20))
    end = max(end, _d(since, min(span, 10)))
    if overdue and end <= since:
        end = _d(since, max(1, span // 2))
    gap = max(1, (end - since).days // max(1, last))
    days = [_d(since, gap * i) for i in range(last + 1)]
    days[-1] = max(days[-1], end) if last else since
    case = r.open_case(p, cell, since)
    cert = days[1] if last >= 1 else None
    steps = {
        1: lambda c, d: S.certificate_record(
            actor=a, case=c, issued_on=d, number=r.number("GCN"), today=t
        ),
        2: lambda c, d: S.application_record(actor=a, case=c, on=d, today=t, certificate_on=cert),
        3: lambda c, d: S.background_record(actor=a, case=c, on=d, today=t, certificate_on=cert),
        4: lambda c, d: S.vetting_record(actor=a, case=c, on=d, today=t, certificate_on=cert),
        5: lambda c, d: S.introductions_record(
            actor=a,
            case=c,
            on=d,
            introducers=r.introducers(p, d, days[6] if last >= 6 else d, _d(since, -400)),
            comments_on=d,
            today=t,
            certificate_on=cert,
        ),
    }
    for i in range(1, min(last, 5) + 1):
        if i == 4:  # the requests and replies before the committee's conclusion
            _vetting(r, p, case, days[3], days[4])
        case = steps[i](case, days[i])
    if last == 3:  # requests sent, replies awaited (some overdue)
        _vetting(r, p, case, days[3], None)
    if last < 6:
        return
    vote_on = days[6]
    if target == "escalated":
        for attempt in range(3):
            case = S.cell_vote_record(
                actor=a,
                case=case,
                on=min(_d(vote_on, attempt), t),
                counts=r.cell_counts(p, vote_on, passing=False),
                record_failure=True,
                today=t,
            )
        return
    case = S.cell_vote_record(
        actor=a, case=case, on=vote_on, counts=r.cell_counts(p, vote_on), today=t
    )
    if last < 7:
        return
    if cell.kind != OrgKind.GRASSROOTS_CELL:
        case = S.grassroots_vote_record(
            actor=a, case=case, on=days[7], counts=r.committee_counts(), today=t
        )
    if last < 8:
        return
    S.admission_decide(
        actor=a, case=case, on=days[8], number=r.number("QĐ/HU"), received_on=days[8], today=t
    )


def _place_of(unit: OrgUnit | None) -> str:
    """'xã Ngọc Phái, huyện Chợ Đồn, tỉnh Bắc Kạn' from the party organizations' names."""
    parts: list[str] = []
    while unit is not None:
        name = unit.name
        for prefix in ("Đảng bộ ", "Chi bộ "):
            if name.startswith(prefix):
                name = name[len(prefix) :]
        if name.split(" ", 1)[0].lower() in {"xã", "phường", "thị", "huyện", "tỉnh"}:
            parts.append(name[0].lower() + name[1:])
        unit = unit.parent
    return ", ".join(parts)


def _vetting(
    r: _Runner, p: P.PlannedPerson, case: AdmissionCase, sent: dt.date, concluded: dt.date | None
) -> None:
    """The applicant's hometown and parents on the person, a request for each, and their
    replies when the conclusion follows (``concluded``). Its own random generator: the
    plan's draws (and so every figure of the demo) stay as they were."""
    from ptdv.admissions import vetting
    from ptdv.demo import names as N
    from ptdv.people import services as people_services
    from ptdv.people.models import Relation

    rng = random.Random(p.key)
    t, a = r.today, r.actor
    person = Person.objects.select_related("org_unit__parent", "residential_unit").get(
        pk=r.ctx.person_ids[p.key]
    )
    grassroots = r.units[p.grassroots]
    home = _place_of(grassroots)
    if not person.hometown and home:
        people_services.person_update(actor=a, person=person, hometown=home)
    village = str(person.residential_unit or "")
    residence = f"{village}, {home}" if village else home
    family = person.full_name.split(" ", 1)[0]
    born = p.date_of_birth.year
    parents = [
        (Relation.FATHER, f"{family} Văn {rng.choice(N.GIVEN_MALE)}", born - rng.randint(22, 32)),
        (Relation.MOTHER, f"Hoàng Thị {rng.choice(N.GIVEN_FEMALE)}", born - rng.randint(20, 30)),
    ]
    relatives = [
        people_services.relative_add(
            actor=a,
            person=person,
            relation=relation,
            full_name=name,
            birth_year=year,
            hometown=home,
            residence=residence,
            occupation="Làm ruộng",
            political_history="Không tham gia tổ chức chính trị nào khác; chấp hành tốt "
            "chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
            today=t,
        )
        for relation, name, year in parents
    ]
    addressee = f"Đảng ủy {home.split(',', 1)[0]}" if home else "Đảng ủy xã"
    due_days = 10 if p.key % 2 else 30  # some replies overdue
    for i, relative in enumerate([None, *relatives], start=1):
        req = vetting.vetting_request_add(
            actor=a,
            case=case,
            relative=relative,
            addressee=addressee,
            place=residence or home,
            sent_on=sent,
            due_on=_d(sent, due_days),
            number=f"{p.key % 100 * 3 + i}-CV/ĐU",
            today=t,
        )
        if concluded is not None:
            vetting.vetting_reply_record(
                actor=a,
                request=req,
                replied_on=concluded,
                result=req.Result.CLEAR,
                note="Chấp hành tốt chủ trương, chính sách; không có vấn đề về lịch sử chính trị.",
                today=t,
            )


def _rejected_case(r: _Runner, p: P.PlannedPerson, *, by_committee: bool) -> None:
    rng, t, a = r.rng, r.today, r.actor
    assert p.candidate_since is not None
    cell = r.units[p.cell]
    d = p.candidate_since
    case = S.case_open(
        actor=a,
        person=r.person(p.key),
        cell=cell,
        opened_on=d,
        source_entry=SourceEntry(pk=r.entries[p.key]) if p.key in r.entries else None,
        unit_has_youth_union=p.youth_union_member,
        today=t,
        _units=r.units_of(cell),
    )
    cert = _d(d, 40)
    case = S.certificate_record(actor=a, case=case, issued_on=cert, number=r.number("GCN"), today=t)
    case = S.application_record(actor=a, case=case, on=_d(cert, 20), today=t, certificate_on=cert)
    case = S.background_record(actor=a, case=case, on=_d(cert, 35), today=t, certificate_on=cert)
    case = S.vetting_record(actor=a, case=case, on=_d(cert, 80), today=t, certificate_on=cert)
    if not by_committee:
        S.case_reject(
            actor=a,
            case=case,
            on=_d(cert, 90 + rng.randint(0, 30)),
            reason="Kết quả thẩm tra lý lịch chưa rõ ràng, chi bộ dừng xem xét",
            today=t,
        )
        return
    intro = _d(cert, 100)
    case = S.introductions_record(
        actor=a,
        case=case,
        on=intro,
        introducers=r.introducers(p, intro, _d(intro, 30), _d(d, -400)),
        comments_on=intro,
        today=t,
        certificate_on=cert,
    )
    vote_on = _d(intro, 30)
    case = S.cell_vote_record(
        actor=a, case=case, on=vote_on, counts=r.cell_counts(p, vote_on), today=t
    )
    if cell.kind != OrgKind.GRASSROOTS_CELL:
        case = S.grassroots_vote_record(
            actor=a, case=case, on=_d(vote_on, 10), counts=r.committee_counts(), today=t
        )
    S.case_reject(
        actor=a,
        case=case,
        on=_d(vote_on, 40),
        reason="Ban Thường vụ không đồng ý kết nạp: có đơn thư phản ánh chưa được làm rõ",
        number=r.number("TB/HU"),
        today=t,
    )


@transaction.atomic
def run(ctx: DemoContext, *, boundary: dt.date | None = None) -> None:
    """``boundary``: cases with a ceremony before it are written in bulk (default
    ``services_from(ctx)``); the equivalence test passes it explicitly."""
    with checks.calendar_snapshot():
        _run(ctx, boundary)


def _run(ctx: DemoContext, boundary: dt.date | None = None) -> None:
    boundary = boundary or services_from(ctx)
    r = _Runner(ctx)
    plan = ctx.plan
    cases_from = P.CASES_FROM
    if cases_from is None:
        ctx.say("  (CASES_FROM = None: không chạy hồ sơ kết nạp)")
        return
    admitted = sorted(
        (
            p
            for p in plan.people
            if p.admitted_on
            and cases_from <= p.admitted_on <= ctx.today
            and p.transferred_in_on is None
        ),
        key=lambda p: (p.admitted_on, p.key),
    )
    masses = [p for p in plan.people if p.admitted_on is None and p.candidate_since]
    recent = [p for p in masses if p.candidate_since >= dt.date(2025, 1, 1)]  # type: ignore[operator]
    older = [
        p
        for p in masses
        if dt.date(2012, 1, 1) <= p.candidate_since <= dt.date(2023, 12, 31)  # type: ignore[operator]
        and age_in_months(p.date_of_birth, p.candidate_since) >= 216  # type: ignore[arg-type]
    ]
    rejected = r.rng.sample(older, min(30, len(older)))
    case_keys = {p.key for p in recent} | {p.key for p in rejected}
    _source_lists(r, [*admitted, *masses], case_keys)
    history = _History(r)
    older_cases = [p for p in admitted if p.admitted_on < boundary]  # type: ignore[operator]
    for p in older_cases:
        history.add(p)
    history.flush()
    ctx.say(
        f"  {len(older_cases)} hồ sơ có lễ kết nạp trước {boundary:%d/%m/%Y} ghi theo lô; "
        f"từ {boundary:%d/%m/%Y} qua từng bước dịch vụ"
    )
    r.stats["admitted"] += len(older_cases)
    r.stats["removed"] += sum(1 for p in older_cases if p.removed_probationary_on)
    r.stats["recognized"] += sum(1 for p in older_cases if not p.removed_probationary_on)
    for i, p in enumerate(a for a in admitted if a.admitted_on >= boundary):  # type: ignore[operator]
        r.run_admission(p)
        if i and i % 200 == 0:
            ctx.say(f"  … {i} hồ sơ qua từng bước")
    for i, p in enumerate(rejected):
        _rejected_case(r, p, by_committee=i % 3 == 0)
    r.stats["rejected"] = len(rejected)
    for i, p in enumerate(sorted(recent, key=lambda p: p.key)):
        target = OPEN_TARGETS[i % len(OPEN_TARGETS)]
        _open_case(r, p, target, overdue=i % 5 == 0 and target in {"cell_voted", "decided"})
    r.stats["open"] = len(recent)
    ctx.say(
        "  hồ sơ kết nạp: {admitted} kết nạp, {recognized} công nhận chính thức, "
        "{removed} xóa tên dự bị, {rejected} không kết nạp, {open} đang mở".format(**r.stats)
    )


# --- the older history in bulk ----------------------------------------------------------


class _History:
    """Cases of the older history written in bulk (the same rows the step services write,
    checked by the same pure rules in memory), so that ``loaddemo`` stays fast. The
    membership events and derived periods follow ``people.rules.derive`` like the people
    step."""

    def __init__(self, r: _Runner) -> None:
        self.r = r
        self.cases: list[AdmissionCase] = []
        self.children: list[tuple[int, list]] = []  # (case index, unsaved child rows)
        self.events: dict[int, list[rules_people.Event]] = {}
        # plan key → (event kind → decision number, event kind → note)
        self.numbers: dict[int, tuple[dict[str, str], dict[str, str]]] = {}
        self.person_rows: dict[int, P.PlannedPerson] = {}

    def add(self, p: P.PlannedPerson) -> None:
        r, rng = self.r, self.r.rng
        assert p.decision_on and p.candidate_since and p.admitted_on
        cell = r.units[p.cell]
        grassroots, deciding = r.units_of(cell)
        since = p.candidate_since
        vote_on = _d(p.decision_on, -rng.randint(30, 60))
        cert, app, bg, vet, intro = r.dossier_dates(p, since, vote_on)
        cert_no = r.number("GCN")  # as certificate_record gets it (numbers stay in step)
        introducers = r.introducers(p, intro, vote_on, since)
        cell_counts = r.cell_counts(p, vote_on)
        grassroots_cell = cell.kind == OrgKind.GRASSROOTS_CELL
        g_on = None if grassroots_cell else _d(vote_on, rng.randint(7, 20))
        g_counts = None if grassroots_cell else r.committee_counts()
        received = min(_d(p.decision_on, rng.randint(0, 5)), p.admitted_on)
        ceremony = p.admitted_on
        member_record = _d(ceremony, rng.randint(7, 28))
        policy = checks.policy_on(vote_on)
        self._check(p, cell, vote_on, cert, introducers, cell_counts, policy)
        official = checks.probation_end(ceremony)
        decision_no = r.number("QĐ/HU")
        # (stage, date, policy code, legal basis) as the step services log them
        steps: list[tuple[str, dt.date, str, str]] = [
            (Stage.AWARENESS_CLASS, cert, "", cert_no),
            (Stage.APPLICATION, app, "", ""),
            (Stage.BACKGROUND_DECLARED, bg, "", ""),
            (Stage.VETTING, vet, "", ""),
            (Stage.INTRODUCTIONS_COLLECTED, intro, "", ""),
            (Stage.CELL_VOTED, vote_on, policy.code, cell_counts.resolution_number),
        ]
        if g_on and g_counts:
            steps.append((Stage.GRASSROOTS_VOTED, g_on, policy.code, g_counts.resolution_number))
        steps += [
            (Stage.DECIDED, p.decision_on, policy.code, decision_no),
            (Stage.PROBATION, ceremony, checks.policy_on(ceremony).code, ""),
        ]
        votes = [
            Vote(
                body=Body.CELL,
                purpose=Purpose.ADMISSION,
                date=vote_on,
                expected=cell_counts.expected,
                present=cell_counts.present,
                in_favour=cell_counts.in_favour,
                against=cell_counts.against,
                resolution_number=cell_counts.resolution_number,
                policy_code=policy.code,
            )
        ]
        if g_on and g_counts:
            votes.append(self._committee_vote(g_counts, g_on, Purpose.ADMISSION, policy.code))
        decisions = [
            Decision(
                kind=Decision.Kind.ADMISSION,
                number=decision_no,
                date=p.decision_on,
                received_on=received,
                signer="Phó Bí thư Thường trực Huyện ủy",
                deciding_unit=deciding,
                policy_code=policy.code,
                legal_basis=checks.policy_on(p.decision_on).source(
                    "deadline.upper_decide_admission_wd"
                ),
            )
        ]
        docs: list[tuple[str, dt.date, str]] = [
            (DocumentKind.APPLICATION, app, ""),
            (DocumentKind.BACKGROUND, bg, ""),
            (DocumentKind.VETTING, vet, ""),
            (DocumentKind.INTRODUCTION, intro, ""),
            (DocumentKind.COMMENTS, intro, ""),
            (DocumentKind.CELL_RESOLUTION, vote_on, cell_counts.resolution_number),
            (DocumentKind.DECISION, p.decision_on, decision_no),
        ]
        if p.youth_union_member:
            docs.append((DocumentKind.YOUTH_UNION_RESOLUTION, intro, ""))
        if g_on and g_counts:
            docs.append((DocumentKind.GRASSROOTS_RESOLUTION, g_on, g_counts.resolution_number))
        evs = [
            rules_people.Event(
                "admitted", ceremony, cell.pk, checks.party_age_start(p.decision_on), order=1
            )
        ]
        numbers = {"admitted": decision_no}  # event kind → decision number
        notes: dict[str, str] = {}
        final, closed, rec_dec, case_policy = Stage.PROBATION, None, None, policy.code
        if p.removed_probationary_on:
            no = r.number("QĐ/HU")
            removed_on = p.removed_probationary_on
            xp = checks.policy_on(removed_on)
            reason = "Không đủ tư cách đảng viên sau thời gian dự bị"
            decisions.append(
                Decision(
                    kind=Decision.Kind.REMOVAL,
                    number=no,
                    date=removed_on,
                    deciding_unit=deciding,
                    policy_code=policy.code,
                    legal_basis=xp.source("vote.recognition"),
                    reason=reason,
                )
            )
            steps.append((Stage.REMOVED, removed_on, xp.code, no))
            evs.append(
                rules_people.Event("removed_probationary", removed_on, None, removed_on, order=2)
            )
            numbers["removed_probationary"], notes["removed_probationary"] = no, reason
            final, closed = Stage.REMOVED, removed_on
        else:
            room = (p.exit_on - official).days if p.exit_on else 60
            step = max(1, min(room // 4, 20))
            rv = _d(official, rng.randint(1, step))
            gv = _d(rv, rng.randint(1, step))
            rd = _d(gv, rng.randint(1, step))
            rp = checks.policy_on(rv)
            rc = r.cell_counts(p, rv)
            found = checks.errors(
                checks._rules.can_recognize(ceremony, rv, checks.policy_on(ceremony))
            ) + checks.errors(
                checks.vote_findings(
                    body="cell",
                    expected=rc.expected,
                    present=rc.present,
                    in_favour=rc.in_favour,
                    against=rc.against,
                    attempt=1,
                    p=rp,
                )
            )
            if found:
                raise S.StepRefusedError(found)
            votes.append(
                Vote(
                    body=Body.CELL,
                    purpose=Purpose.RECOGNITION,
                    date=rv,
                    expected=rc.expected,
                    present=rc.present,
                    in_favour=rc.in_favour,
                    against=rc.against,
                    resolution_number=rc.resolution_number,
                    policy_code=rp.code,
                )
            )
            steps.append((Stage.RECOGNITION_CELL_VOTED, rv, rp.code, rc.resolution_number))
            docs += [(kind, official, "") for kind in PROBATION_PAPERS]
            docs.append((DocumentKind.RECOGNITION_CELL_RESOLUTION, rv, rc.resolution_number))
            if not grassroots_cell:
                gc = r.committee_counts()
                votes.append(self._committee_vote(gc, gv, Purpose.RECOGNITION, rp.code))
                steps.append(
                    (Stage.RECOGNITION_GRASSROOTS_VOTED, gv, rp.code, gc.resolution_number)
                )
                docs.append(
                    (DocumentKind.RECOGNITION_GRASSROOTS_RESOLUTION, gv, gc.resolution_number)
                )
            no = r.number("QĐ/HU")
            dp = checks.policy_on(rd)
            decisions.append(
                Decision(
                    kind=Decision.Kind.RECOGNITION,
                    number=no,
                    date=rd,
                    deciding_unit=deciding,
                    policy_code=rp.code,
                    legal_basis=dp.source("deadline.upper_decide_recognition_wd"),
                )
            )
            docs.append((DocumentKind.RECOGNITION_DECISION, rd, no))
            steps.append((Stage.RECOGNIZED, rd, dp.code, no))
            evs.append(rules_people.Event("recognized", official, None, rd, order=2))
            numbers["recognized"] = no
            case_policy = rp.code
            if p.card_on:
                evs.append(
                    rules_people.Event("card_issued", p.card_on, card_number=p.card_number, order=3)
                )
            if p.exit_kind and p.exit_on:
                evs.append(rules_people.Event(p.exit_kind, p.exit_on, order=4))
            final, closed, rec_dec = Stage.RECOGNIZED, rd, rd
        case = AdmissionCase(
            person_id=r.ctx.person_ids[p.key],
            org_unit=cell,
            grassroots=grassroots,
            deciding_unit=deciding,
            source_entry_id=r.entries.get(p.key),
            stage=final,
            stage_on=steps[-1][1],
            opened_on=since,
            policy_code=case_policy,
            unit_has_youth_union=p.youth_union_member,
            special_area=bool(cell.mountainous or cell.ethnic_minority_area),
            cell_vote_on=vote_on,
            grassroots_vote_on=g_on,
            decision_on=p.decision_on,
            decision_received_on=received,
            ceremony_on=ceremony,
            official_on=official,
            recognition_cell_vote_on=None
            if p.removed_probationary_on
            else steps[-3 if not grassroots_cell else -2][1],
            recognition_decision_on=rec_dec,
            member_record_on=member_record,
            closed_on=closed,
        )
        prev = Stage.SOURCE_LIST
        changes = [StageChange(from_stage="", to_stage=Stage.SOURCE_LIST, on=since)]
        for stage, on, code, basis in steps:
            changes.append(
                StageChange(
                    from_stage=prev,
                    to_stage=stage,
                    on=on,
                    policy_code=code,
                    legal_basis=basis,
                    reason=notes.get("removed_probationary", "") if stage == Stage.REMOVED else "",
                )
            )
            prev = stage
        items = [
            DossierItem(
                kind=DocumentKind.AWARENESS_CERTIFICATE,
                status=DocumentStatus.VERIFIED,
                number=cert_no,
                issued_on=cert,
                received_on=cert,
                valid_until=checks.certificate_valid_until(cert),
            ),
            *(
                DossierItem(
                    kind=k, status=DocumentStatus.RECEIVED, number=no, issued_on=on, received_on=on
                )
                for k, on, no in docs
            ),
        ]
        intro_rows = [
            Introduction(
                introducer=i.person, kind=i.kind, cowork_since=i.cowork_since, issued_on=intro
            )
            for i in introducers
        ]
        self.cases.append(case)
        self.children.append(
            (len(self.cases) - 1, [*changes, *items, *intro_rows, *votes, *decisions])
        )
        self.events[p.key] = evs
        self.numbers[p.key] = (numbers, notes)
        self.person_rows[p.key] = p

    @staticmethod
    def _committee_vote(c: S.VoteCounts, on: dt.date, purpose: str, code: str) -> Vote:
        return Vote(
            body=Body.GRASSROOTS,
            purpose=purpose,
            date=on,
            expected=c.expected,
            present=c.present,
            in_favour=c.in_favour,
            against=c.against,
            resolution_number=c.resolution_number,
            policy_code=code,
        )

    def _check(self, p, cell, vote_on, cert, introducers, counts, policy) -> None:  # noqa: ANN001
        rl = checks._rules
        found = rl.check_age(p.date_of_birth, vote_on, policy, over_max_consent=False)
        found += rl.check_education(
            p.education_general,
            policy,
            special_area=bool(cell.mountainous or cell.ethnic_minority_area),
            fisherman=False,
            village_elder=False,
            provincial_consent=False,
        )
        found += rl.check_awareness_certificate(cert, vote_on, policy)
        facts = [
            Introducer(
                person_id=i.person.pk if i.person else 0,
                kind=i.kind,
                status_on_vote="official",
                cowork_since=i.cowork_since,
            )
            for i in introducers
        ]
        applicant = ApplicantFacts(
            born=p.date_of_birth,
            youth_union_member=p.youth_union_member,
            unit_has_youth_union=p.youth_union_member,
            trade_union_member=False,
            unit_has_trade_union=False,
        )
        found += rl.check_introducers(facts, applicant, vote_on, policy)
        found += checks.vote_findings(
            body="cell",
            expected=counts.expected,
            present=counts.present,
            in_favour=counts.in_favour,
            against=counts.against,
            attempt=1,
            p=policy,
        )
        errors = checks.errors(found)
        if errors:
            raise S.StepRefusedError(errors)

    def flush(self) -> None:
        AdmissionCase.objects.bulk_create(self.cases, batch_size=500)
        rows: dict[type, list] = defaultdict(list)
        for idx, children in self.children:
            for child in children:
                child.case = self.cases[idx]
                if isinstance(child, StageChange):  # the cell that held the case then
                    child.org_unit_id = child.case.org_unit_id
                rows[type(child)].append(child)
        for model, objs in rows.items():
            model.objects.bulk_create(objs, batch_size=1000)
        ev_rows, people = [], []
        derived_periods: list[tuple[int, list[rules_people.Period]]] = []
        pk_of = self.r.ctx.person_ids
        for key, evs in self.events.items():
            p = self.person_rows[key]
            derived = rules_people.derive(evs)
            numbers, notes = self.numbers[key]
            for e in evs:
                ev_rows.append(
                    MembershipEvent(
                        person_id=pk_of[key],
                        kind=e.kind,
                        date=e.date,
                        org_unit_id=e.org_unit_id,
                        decision_date=e.decision_date,
                        decision_number=numbers.get(e.kind, ""),
                        note=notes.get(e.kind, ""),
                        card_number=e.card_number,
                        source="admissions.demo",
                    )
                )
            derived_periods.append((pk_of[key], derived.periods))
            people.append(
                Person(
                    pk=pk_of[key],
                    status=derived.status,
                    admitted_on=derived.admitted_on,
                    official_on=derived.official_on,
                    party_age_from=derived.party_age_from,
                    card_number=derived.card_number,
                    org_unit_id=derived.org_unit_id,
                )
            )
            _ = p
        MembershipEvent.objects.bulk_create(ev_rows, batch_size=2000)
        MembershipPeriod.objects.bulk_create(build_periods(derived_periods), batch_size=2000)
        Person.objects.bulk_update(
            people,
            [
                "status",
                "admitted_on",
                "official_on",
                "party_age_from",
                "card_number",
                "org_unit_id",
            ],
            batch_size=1000,
        )
        record(
            action="admissions.history.loaded",
            actor=self.r.actor,
            data={"cases": len(self.cases), "events": len(ev_rows)},
        )
