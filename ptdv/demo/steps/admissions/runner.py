"""The admission step's runner: the plan's official members (to pick introducers and
count cells), dossier dates, vote counts, and one admission taken through the step
services from the source list to official member."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
    DocumentKind,
    DocumentStatus,
    Introduction,
    SourceEntry,
)
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgKind, OrgUnit
from ptdv.organizations.selectors import deciding_unit, grassroots_of
from ptdv.people.models import Person
from ptdv.people.services import membership_event_add
from ptdv.training.models import Certificate

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
    if ctx.fast or P.CASES_FROM is None:
        return BULK_BEFORE
    return P.CASES_FROM


# the recognition dossier's papers (10-, 11-, 12-KNĐ), received at the end of probation
PROBATION_PAPERS = (
    DocumentKind.SELF_REVIEW,
    DocumentKind.HELPER_COMMENT,
    DocumentKind.RECOGNITION_COMMENTS,
)


def shift(day: dt.date, days: int) -> dt.date:
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


class Runner:
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
            if since <= d <= shift(vote_on, -10)
        ]
        cert = max(own) if own else shift(since, self.rng.randint(20, 90))
        gap = (vote_on - cert).days
        if gap > 150:
            app = shift(cert, self.rng.randint(15, 40))
            bg = shift(app, self.rng.randint(7, 20))
            vet = shift(bg, self.rng.randint(30, 60))
            intro = max(shift(vet, 7), shift(vote_on, -self.rng.randint(20, 60)))
        else:
            step = max(1, gap // 5)
            app, bg, vet, intro = (shift(cert, step * i) for i in range(1, 5))
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
        cowork = shift(since, -self.rng.randint(400, 1500))
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

    def open_case(self, p: P.PlannedPerson, cell: OrgUnit, since: dt.date) -> AdmissionCase:
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
    ) -> AdmissionCase | None:
        """Take a planned person through the pipeline up to ``stop_at`` (or the end)."""
        assert p.decision_on and p.candidate_since
        rng, t, a = self.rng, self.today, self.actor
        cell = self.units[p.cell]
        since = p.candidate_since
        vote_on = shift(p.decision_on, -rng.randint(30, 60))
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
            g_on = shift(vote_on, rng.randint(7, 20))
            case = S.grassroots_vote_record(
                actor=a, case=case, on=g_on, counts=self.committee_counts(), today=t
            )
        received = min(shift(p.decision_on, rng.randint(0, 5)), p.admitted_on or t)
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
        rec = shift(p.admitted_on, rng.randint(7, 28))
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
        return self.recognize(p, cell, case)

    def recognize(self, p: P.PlannedPerson, cell: OrgUnit, case: AdmissionCase) -> AdmissionCase:
        """The end of probation: the papers, the cell's (and committee's) votes and the
        decision, each on its day if that day has come."""
        rng, t, a = self.rng, self.today, self.actor
        official = case.official_on
        assert official is not None
        if official > t:
            return case
        room = (p.exit_on - official).days if p.exit_on else 60
        step = max(1, min(room // 4, 20))
        rv = shift(official, rng.randint(1, step))
        gv = shift(rv, rng.randint(1, step))
        rd = shift(gv, rng.randint(1, step))
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
