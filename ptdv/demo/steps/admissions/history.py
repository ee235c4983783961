"""The older history in bulk (``loaddemo --fast``): the same rows the step services
write, checked by the same pure rules in memory."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

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
    Stage,
    StageChange,
    Vote,
)
from ptdv.audit.services import record
from ptdv.demo import plan as P
from ptdv.demo.steps.admissions.runner import PROBATION_PAPERS, Runner, shift
from ptdv.organizations.models import OrgKind, OrgUnit
from ptdv.people import rules as rules_people
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person
from ptdv.people.services import build_periods
from ptdv.policy.types import ApplicantFacts, Introducer, Policy


@dataclass
class _Admission:
    """One planned admission's drawn facts (dates, numbers, introducers, counts)."""

    p: P.PlannedPerson
    cell: OrgUnit
    grassroots: OrgUnit | None
    deciding: OrgUnit | None
    since: dt.date
    dossier: tuple[dt.date, dt.date, dt.date, dt.date, dt.date]  # cert, app, bg, vet, intro
    cert_no: str
    introducers: list[S.IntroducerInput]
    vote_on: dt.date
    cell_counts: S.VoteCounts
    g_on: dt.date | None
    g_counts: S.VoteCounts | None
    received: dt.date
    member_record: dt.date
    policy: Policy
    official: dt.date
    decision_no: str


@dataclass
class _Rows:
    """The rows of one case gathered before the bulk write."""

    policy_code: str
    steps: list[tuple[str, dt.date, str, str]] = field(
        default_factory=list
    )  # stage, date, policy, basis
    votes: list[Vote] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    docs: list[tuple[str, dt.date, str]] = field(default_factory=list)  # kind, date, number
    events: list[rules_people.Event] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)  # event kind → decision number
    notes: dict[str, str] = field(default_factory=dict)  # event kind → note
    final: str = Stage.PROBATION
    closed: dt.date | None = None
    recognition_cell_vote_on: dt.date | None = None
    recognition_decided: dt.date | None = None


def _vote(body: str, c: S.VoteCounts, on: dt.date, purpose: str, code: str) -> Vote:
    return Vote(
        body=body,
        purpose=purpose,
        date=on,
        expected=c.expected,
        present=c.present,
        in_favour=c.in_favour,
        against=c.against,
        resolution_number=c.resolution_number,
        policy_code=code,
    )


class History:
    """Cases of the older history written in bulk (the same rows the step services write,
    checked by the same pure rules in memory), so that ``loaddemo`` stays fast. The
    membership events and derived periods follow ``people.rules.derive`` like the people
    step."""

    def __init__(self, r: Runner) -> None:
        self.r = r
        self.cases: list[AdmissionCase] = []
        self.children: list[tuple[int, list]] = []  # (case index, unsaved child rows)
        self.events: dict[int, list[rules_people.Event]] = {}
        # plan key → (event kind → decision number, event kind → note)
        self.numbers: dict[int, tuple[dict[str, str], dict[str, str]]] = {}
        self.person_rows: dict[int, P.PlannedPerson] = {}

    def add(self, p: P.PlannedPerson) -> None:
        a = self._draw(p)
        c = self._admission(a)
        if p.removed_probationary_on:
            self._removal(a, c)
        else:
            self._recognition(a, c)
        self._keep(a, c)

    def _draw(self, p: P.PlannedPerson) -> _Admission:
        """The admission's dates, numbers, introducers and counts, drawn in the order the
        step services' run draws them (so the numbers and figures stay in step)."""
        r, rng = self.r, self.r.rng
        assert p.decision_on and p.candidate_since and p.admitted_on
        cell = r.units[p.cell]
        grassroots, deciding = r.units_of(cell)
        since = p.candidate_since
        vote_on = shift(p.decision_on, -rng.randint(30, 60))
        cert, app, bg, vet, intro = r.dossier_dates(p, since, vote_on)
        cert_no = r.number("GCN")  # as certificate_record gets it (numbers stay in step)
        introducers = r.introducers(p, intro, vote_on, since)
        cell_counts = r.cell_counts(p, vote_on)
        grassroots_cell = cell.kind == OrgKind.GRASSROOTS_CELL
        g_on = None if grassroots_cell else shift(vote_on, rng.randint(7, 20))
        g_counts = None if grassroots_cell else r.committee_counts()
        received = min(shift(p.decision_on, rng.randint(0, 5)), p.admitted_on)
        member_record = shift(p.admitted_on, rng.randint(7, 28))
        policy = checks.policy_on(vote_on)
        self._check(p, cell, vote_on, cert, introducers, cell_counts, policy)
        return _Admission(
            p=p,
            cell=cell,
            grassroots=grassroots,
            deciding=deciding,
            since=since,
            dossier=(cert, app, bg, vet, intro),
            cert_no=cert_no,
            introducers=introducers,
            vote_on=vote_on,
            cell_counts=cell_counts,
            g_on=g_on,
            g_counts=g_counts,
            received=received,
            member_record=member_record,
            policy=policy,
            official=checks.probation_end(p.admitted_on),
            decision_no=r.number("QĐ/HU"),
        )

    def _admission(self, a: _Admission) -> _Rows:
        """The rows up to the ceremony: stage changes, votes, the decision, the papers and
        the ``admitted`` event."""
        p, policy, counts = a.p, a.policy, a.cell_counts
        assert p.decision_on and p.admitted_on
        cert, app, bg, vet, intro = a.dossier
        c = _Rows(policy_code=policy.code)
        c.steps = [
            (Stage.AWARENESS_CLASS, cert, "", a.cert_no),
            (Stage.APPLICATION, app, "", ""),
            (Stage.BACKGROUND_DECLARED, bg, "", ""),
            (Stage.VETTING, vet, "", ""),
            (Stage.INTRODUCTIONS_COLLECTED, intro, "", ""),
            (Stage.CELL_VOTED, a.vote_on, policy.code, counts.resolution_number),
        ]
        if a.g_on and a.g_counts:
            c.steps.append(
                (Stage.GRASSROOTS_VOTED, a.g_on, policy.code, a.g_counts.resolution_number)
            )
        c.steps += [
            (Stage.DECIDED, p.decision_on, policy.code, a.decision_no),
            (Stage.PROBATION, p.admitted_on, checks.policy_on(p.admitted_on).code, ""),
        ]
        c.votes = [_vote(Body.CELL, counts, a.vote_on, Purpose.ADMISSION, policy.code)]
        if a.g_on and a.g_counts:
            c.votes.append(
                _vote(Body.GRASSROOTS, a.g_counts, a.g_on, Purpose.ADMISSION, policy.code)
            )
        c.decisions = [
            Decision(
                kind=Decision.Kind.ADMISSION,
                number=a.decision_no,
                date=p.decision_on,
                received_on=a.received,
                signer="Phó Bí thư Thường trực Huyện ủy",
                deciding_unit=a.deciding,
                policy_code=policy.code,
                legal_basis=checks.policy_on(p.decision_on).source(
                    "deadline.upper_decide_admission_wd"
                ),
            )
        ]
        c.docs = [
            (DocumentKind.APPLICATION, app, ""),
            (DocumentKind.BACKGROUND, bg, ""),
            (DocumentKind.VETTING, vet, ""),
            (DocumentKind.INTRODUCTION, intro, ""),
            (DocumentKind.COMMENTS, intro, ""),
            (DocumentKind.CELL_RESOLUTION, a.vote_on, counts.resolution_number),
            (DocumentKind.DECISION, p.decision_on, a.decision_no),
        ]
        if p.youth_union_member:
            c.docs.append((DocumentKind.YOUTH_UNION_RESOLUTION, intro, ""))
        if a.g_on and a.g_counts:
            c.docs.append(
                (DocumentKind.GRASSROOTS_RESOLUTION, a.g_on, a.g_counts.resolution_number)
            )
        c.events = [
            rules_people.Event(
                "admitted",
                p.admitted_on,
                a.cell.pk,
                checks.party_age_start(p.decision_on),
                order=1,
            )
        ]
        c.numbers = {"admitted": a.decision_no}  # event kind → decision number
        return c

    def _removal(self, a: _Admission, c: _Rows) -> None:
        """Removed from the probationary list at the end of probation."""
        removed_on = a.p.removed_probationary_on
        assert removed_on is not None
        no = self.r.number("QĐ/HU")
        xp = checks.policy_on(removed_on)
        reason = "Không đủ tư cách đảng viên sau thời gian dự bị"
        c.decisions.append(
            Decision(
                kind=Decision.Kind.REMOVAL,
                number=no,
                date=removed_on,
                deciding_unit=a.deciding,
                policy_code=a.policy.code,
                legal_basis=xp.source("vote.recognition"),
                reason=reason,
            )
        )
        c.steps.append((Stage.REMOVED, removed_on, xp.code, no))
        c.events.append(
            rules_people.Event("removed_probationary", removed_on, None, removed_on, order=2)
        )
        c.numbers["removed_probationary"], c.notes["removed_probationary"] = no, reason
        c.final, c.closed = Stage.REMOVED, removed_on

    def _recognition(self, a: _Admission, c: _Rows) -> None:
        """Recognized as an official member: the cell's (and committee's) votes, checked by
        the same rules, the decision, the card and the later exit."""
        r, rng, p, official = self.r, self.r.rng, a.p, a.official
        assert p.admitted_on is not None
        room = (p.exit_on - official).days if p.exit_on else 60
        step = max(1, min(room // 4, 20))
        rv = shift(official, rng.randint(1, step))
        gv = shift(rv, rng.randint(1, step))
        rd = shift(gv, rng.randint(1, step))
        rp = checks.policy_on(rv)
        rc = r.cell_counts(p, rv)
        found = checks.errors(
            checks._rules.can_recognize(p.admitted_on, rv, checks.policy_on(p.admitted_on))
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
        c.votes.append(_vote(Body.CELL, rc, rv, Purpose.RECOGNITION, rp.code))
        c.steps.append((Stage.RECOGNITION_CELL_VOTED, rv, rp.code, rc.resolution_number))
        c.docs += [(kind, official, "") for kind in PROBATION_PAPERS]
        c.docs.append((DocumentKind.RECOGNITION_CELL_RESOLUTION, rv, rc.resolution_number))
        if a.cell.kind != OrgKind.GRASSROOTS_CELL:
            gc = r.committee_counts()
            c.votes.append(_vote(Body.GRASSROOTS, gc, gv, Purpose.RECOGNITION, rp.code))
            c.steps.append((Stage.RECOGNITION_GRASSROOTS_VOTED, gv, rp.code, gc.resolution_number))
            c.docs.append(
                (DocumentKind.RECOGNITION_GRASSROOTS_RESOLUTION, gv, gc.resolution_number)
            )
        no = r.number("QĐ/HU")
        dp = checks.policy_on(rd)
        c.decisions.append(
            Decision(
                kind=Decision.Kind.RECOGNITION,
                number=no,
                date=rd,
                deciding_unit=a.deciding,
                policy_code=rp.code,
                legal_basis=dp.source("deadline.upper_decide_recognition_wd"),
            )
        )
        c.docs.append((DocumentKind.RECOGNITION_DECISION, rd, no))
        c.steps.append((Stage.RECOGNIZED, rd, dp.code, no))
        c.events.append(rules_people.Event("recognized", official, None, rd, order=2))
        c.numbers["recognized"] = no
        c.policy_code = rp.code
        if p.card_on:
            c.events.append(
                rules_people.Event("card_issued", p.card_on, card_number=p.card_number, order=3)
            )
        if p.exit_kind and p.exit_on:
            c.events.append(rules_people.Event(p.exit_kind, p.exit_on, order=4))
        c.final, c.closed, c.recognition_decided = Stage.RECOGNIZED, rd, rd
        c.recognition_cell_vote_on = rv

    def _keep(self, a: _Admission, c: _Rows) -> None:
        """The case row and its children, kept for ``flush``."""
        p = a.p
        cert, _app, _bg, _vet, intro = a.dossier
        case = AdmissionCase(
            person_id=self.r.ctx.person_ids[p.key],
            org_unit=a.cell,
            grassroots=a.grassroots,
            deciding_unit=a.deciding,
            source_entry_id=self.r.entries.get(p.key),
            stage=c.final,
            stage_on=c.steps[-1][1],
            opened_on=a.since,
            policy_code=c.policy_code,
            unit_has_youth_union=p.youth_union_member,
            special_area=bool(a.cell.mountainous or a.cell.ethnic_minority_area),
            cell_vote_on=a.vote_on,
            grassroots_vote_on=a.g_on,
            decision_on=p.decision_on,
            decision_received_on=a.received,
            ceremony_on=p.admitted_on,
            official_on=a.official,
            recognition_cell_vote_on=c.recognition_cell_vote_on,
            recognition_decision_on=c.recognition_decided,
            member_record_on=a.member_record,
            closed_on=c.closed,
        )
        prev: str = Stage.SOURCE_LIST
        changes = [StageChange(from_stage="", to_stage=Stage.SOURCE_LIST, on=a.since)]
        for stage, on, code, basis in c.steps:
            changes.append(
                StageChange(
                    from_stage=prev,
                    to_stage=stage,
                    on=on,
                    policy_code=code,
                    legal_basis=basis,
                    reason=c.notes.get("removed_probationary", "")
                    if stage == Stage.REMOVED
                    else "",
                )
            )
            prev = stage
        items = [
            DossierItem(
                kind=DocumentKind.AWARENESS_CERTIFICATE,
                status=DocumentStatus.VERIFIED,
                number=a.cert_no,
                issued_on=cert,
                received_on=cert,
                valid_until=checks.certificate_valid_until(cert),
            ),
            *(
                DossierItem(
                    kind=k, status=DocumentStatus.RECEIVED, number=no, issued_on=on, received_on=on
                )
                for k, on, no in c.docs
            ),
        ]
        intro_rows = [
            Introduction(
                introducer=i.person, kind=i.kind, cowork_since=i.cowork_since, issued_on=intro
            )
            for i in a.introducers
        ]
        self.cases.append(case)
        self.children.append(
            (len(self.cases) - 1, [*changes, *items, *intro_rows, *c.votes, *c.decisions])
        )
        self.events[p.key] = c.events
        self.numbers[p.key] = (c.numbers, c.notes)
        self.person_rows[p.key] = p

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
        rows: dict[type[Model], list[Any]] = defaultdict(list)
        for idx, children in self.children:
            for child in children:
                child.case = self.cases[idx]
                if isinstance(child, StageChange):  # the cell that held the case then
                    child.org_unit_id = child.case.org_unit_id
                rows[type(child)].append(child)
        for model, objs in rows.items():
            model._default_manager.bulk_create(objs, batch_size=1000)
        ev_rows, people = [], []
        derived_periods: list[tuple[int, list[rules_people.Period]]] = []
        pk_of = self.r.ctx.person_ids
        for key, evs in self.events.items():
            p = self.person_rows[key]
            derived = rules_people.derive(evs)
            assert derived.org_unit_id is not None  # every case starts with its admission
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
