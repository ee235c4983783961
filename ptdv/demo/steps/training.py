"""Demo step: the political centre of Chợ Đồn and its classes, produced by the same
services a user calls (class_create, enrol_bulk, attendance_record, result_record,
certificate_issue, …).

Figures of the article for classes STARTING in 2010–2020: 30 awareness classes with 2,365
attendees, 21 new-member classes with 1,681, 4 party-work skills classes with 556. Classes
before 2010 and from 2021 on are added so that every planned admission has its awareness
certificate and every in-district probationary member their new-member class.

Eligibility is checked by the services against each person's status ON THE CLASS START
DATE; the demo passes those statuses from the plan (``_plan_status``), because the
admissions step may write the membership events of admitted people after this step.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field

from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgUnit
from ptdv.training import services as S
from ptdv.training.models import ClassStatus, CourseType, Enrolment

SEED = 20_100_101
WINDOW = (dt.date(2010, 1, 1), dt.date(2020, 12, 31))
TARGETS = {"awareness": (30, 2_365), "new_member": (21, 1_681), "cadre_skills": (4, 556)}
PREFIX = {"awareness": "NT", "new_member": "ĐVM", "cadre_skills": "NV"}
LENGTH_DAYS = {"awareness": 4, "new_member": 6, "cadre_skills": 4}  # end = start + n
CERT_LAG = dt.timedelta(days=3)  # certificates signed three days after the last session
# The awareness certificate must be in hand before the cell votes (30–60 days before the
# admission decision): the class ends at least this long before the decision.
BEFORE_DECISION = dt.timedelta(days=78)
INSTITUTION = ("TTCT-CD", "Trung tâm Chính trị huyện Chợ Đồn", "CD", "CN-TTCT")
DIRECTOR = "Hoàng Văn Thắng"
VENUE = "Hội trường Trung tâm Chính trị huyện Chợ Đồn, thị trấn Bằng Lũng"
PROVINCE_SCHOOL = ("TCT-BK", "Trường Chính trị tỉnh Bắc Kạn", "BK", "CN-TCT")
LECTURERS = {
    "awareness": "Hoàng Văn Thắng; Nông Thị Hiền; Ma Văn Lợi",
    "new_member": "Hoàng Văn Thắng; Lương Thị Thu; Triệu Văn Bình",
    "cadre_skills": "Nông Thị Hiền; Hà Đức Toàn (Ban Tổ chức Huyện ủy)",
}


@dataclass
class ClassPlan:
    course: str
    start: dt.date
    end: dt.date
    institution: str = INSTITUTION[0]
    attendees: list[int] = field(default_factory=list)  # plan keys
    fail: set[int] = field(default_factory=set)  # keys who do not complete
    nominated: list[int] = field(default_factory=list)  # awaiting acceptance (future)

    @property
    def in_window(self) -> bool:
        return WINDOW[0] <= self.start <= WINDOW[1]


def _monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _spread(n: int, first: dt.date, last: dt.date) -> list[dt.date]:
    span = (last - first).days
    return [_monday(first + dt.timedelta(days=round(i * span / (n - 1)))) for i in range(n)]


def _schedule(course: str, first_year: int, today: dt.date) -> list[ClassPlan]:
    """Class dates: the window's classes evenly spread over 2010–2020, every six months
    before, and a regular rhythm after 2020 up to a few months past today."""
    n = TARGETS[course][0]
    inside = _spread(n, dt.date(2010, 1, 4), dt.date(2020, 12, 7))
    before: list[dt.date] = []
    day = inside[0]
    while day.year >= first_year:
        day = _monday(P._add_months(day, -6) - dt.timedelta(days=6))
        before.append(day)
    step, first_after = {
        "awareness": (4, dt.date(2021, 3, 1)),
        "new_member": (6, dt.date(2021, 5, 1)),
    }[course]
    after: list[dt.date] = []
    day = first_after
    horizon = P._add_months(today, 8)
    while day <= horizon:
        after.append(_monday(day))
        day = P._add_months(day, step)
    # one class running this week (new members) and one opening soon (awareness)
    this_monday = today - dt.timedelta(days=today.weekday())
    after.append(this_monday if course == "new_member" else _monday(today + dt.timedelta(days=8)))
    length = dt.timedelta(days=LENGTH_DAYS[course])
    return [ClassPlan(course, s, s + length) for s in sorted(set(before + inside + after))]


def _plan_status(p: P.PlannedPerson, day: dt.date) -> str:
    """The planned membership status of a person on a day (same meaning as the periods)."""
    start = p.transferred_in_on or p.admitted_on
    if start is None or day < start:
        return "none"
    if p.removed_probationary_on and day >= p.removed_probationary_on:
        return "removed"
    if p.exit_on and day >= p.exit_on:
        return p.exit_kind or "left"
    if p.official_on and day >= p.official_on:
        return "official"
    return "probationary"


def _probation_end(p: P.PlannedPerson) -> dt.date:
    return p.official_on or p.removed_probationary_on or P._add_months(p.admitted_on, 12)  # type: ignore[arg-type]


def _options(classes: list[ClassPlan], lo: dt.date, hi: dt.date, *, ends_by: dt.date) -> list[int]:
    """Indices of classes starting in [lo, hi] and ending on or before ``ends_by``."""
    starts = [c.start for c in classes]
    i = bisect.bisect_left(starts, lo)
    out = []
    while i < len(classes) and classes[i].start <= hi:
        if classes[i].end <= ends_by:
            out.append(i)
        i += 1
    return out


def _assign(
    rng: random.Random,
    classes: list[ClassPlan],
    options: dict[int, list[int]],
    target_in: int,
) -> None:
    """Place each person (key → class options) in one class so that exactly
    ``target_in`` land in classes of the window."""
    forced_in: list[int] = []
    flexible: list[int] = []
    for key, opts in options.items():
        ins = [i for i in opts if classes[i].in_window]
        if ins and len(ins) == len(opts):
            forced_in.append(key)
        elif ins:
            flexible.append(key)
    need = target_in - len(forced_in)
    if not 0 <= need <= len(flexible):
        raise RuntimeError(
            f"demo training: cannot reach {target_in} (forced {len(forced_in)}, flexible {len(flexible)})"
        )
    go_in = set(forced_in) | set(rng.sample(sorted(flexible), need))
    for key, opts in options.items():
        side = [i for i in opts if classes[i].in_window == (key in go_in)]
        # most people take one of the last classes before their decision
        classes[rng.choice(side[-2:])].attendees.append(key)


def _awareness(ctx: DemoContext, rng: random.Random) -> list[ClassPlan]:
    people = ctx.plan.people
    admitted = [p for p in people if p.admitted_on and p.transferred_in_on is None]
    masses = [p for p in people if p.candidate_since and not p.admitted_on]
    first_year = min(p.candidate_since for p in admitted if p.candidate_since).year  # type: ignore[type-var]
    classes = _schedule("awareness", first_year, ctx.today)
    far = dt.date(9999, 1, 1)
    options: dict[int, list[int]] = {}
    for p in admitted:
        assert p.candidate_since and p.decision_on
        options[p.key] = _options(
            classes,
            p.candidate_since + dt.timedelta(days=1),
            far,
            ends_by=p.decision_on - BEFORE_DECISION,
        )
        if not options[p.key]:
            raise RuntimeError(f"demo training: no awareness class for plan person {p.key}")
    # The never-admitted masses take the first or second class after they became sources;
    # those of the last months are nominated to the coming class.
    masses_in = 0
    soon = ctx.today + dt.timedelta(days=120)
    for p in masses:
        assert p.candidate_since
        opts = _options(classes, p.candidate_since + dt.timedelta(days=1), far, ends_by=far)[:2]
        if not opts:
            continue
        c = classes[rng.choice(opts)]
        if c.start > soon:
            continue
        if c.start > ctx.today:
            c.nominated.append(p.key)
            continue
        c.attendees.append(p.key)
        if c.end < ctx.today and rng.random() < 0.06:
            c.fail.add(p.key)
        masses_in += c.in_window
    _assign(rng, classes, options, TARGETS["awareness"][1] - masses_in)
    return classes


def _new_member(ctx: DemoContext, rng: random.Random) -> list[ClassPlan]:
    admitted = [p for p in ctx.plan.people if p.admitted_on and p.transferred_in_on is None]
    first_year = min(p.admitted_on for p in admitted if p.admitted_on).year  # type: ignore[type-var]
    classes = _schedule("new_member", first_year, ctx.today)
    options: dict[int, list[int]] = {}
    for p in admitted:
        assert p.admitted_on
        opts = _options(
            classes,
            p.admitted_on + dt.timedelta(days=7),
            dt.date(9999, 1, 1),
            ends_by=_probation_end(p) - dt.timedelta(days=1),
        )
        opts = [i for i in opts if _plan_status(p, classes[i].start) == "probationary"]
        if opts:
            options[p.key] = opts
    _assign(rng, classes, options, TARGETS["new_member"][1])
    return classes


def _cadre_skills(ctx: DemoContext, rng: random.Random) -> list[ClassPlan]:
    n, total = TARGETS["cadre_skills"]
    per = [total // n + (1 if i < total % n else 0) for i in range(n)]
    starts = [dt.date(2011, 8, 8), dt.date(2014, 7, 14), dt.date(2017, 8, 7), dt.date(2020, 7, 13)]
    length = dt.timedelta(days=LENGTH_DAYS["cadre_skills"])
    classes = [ClassPlan("cadre_skills", s, s + length) for s in starts]
    for c, size in zip(classes, per, strict=True):
        pool = [p.key for p in ctx.plan.people if _plan_status(p, c.start) == "official"]
        c.attendees = rng.sample(pool, size)
    # outside the period: 2007 and 2023 (the centre), 2024 (the provincial school),
    # and one planned for next spring
    for start, inst, size in [
        (dt.date(2007, 8, 13), INSTITUTION[0], 120),
        (dt.date(2023, 7, 10), INSTITUTION[0], 130),
        (dt.date(2024, 9, 9), PROVINCE_SCHOOL[0], 45),
        (P._add_months(ctx.today, 4), INSTITUTION[0], 0),
    ]:
        start = _monday(start)
        c = ClassPlan("cadre_skills", start, start + length, institution=inst)
        pool = [
            p.key for p in ctx.plan.people if _plan_status(p, min(start, ctx.today)) == "official"
        ]
        if start <= ctx.today:
            c.attendees = rng.sample(pool, size)
        else:
            c.nominated = rng.sample(pool, 25)
        classes.append(c)
    return classes


def _materialise(ctx: DemoContext, plans: list[ClassPlan], rng: random.Random) -> dict[str, int]:
    by_key = {p.key: p for p in ctx.plan.people}
    types = {t.code: t for t in CourseType.objects.all()}
    institutions = {}
    for code, name, org, suffix in (INSTITUTION, PROVINCE_SCHOOL):
        institutions[code] = S.institution_create(
            actor=ctx.actor,
            code=code,
            name=name,
            org_unit=OrgUnit.objects.get(pk=ctx.org_ids[org]),
            certificate_suffix=suffix,
            director=DIRECTOR if code == INSTITUTION[0] else "Lục Văn Hùng",
        )
    district = OrgUnit.objects.get(pk=ctx.org_ids["CD"])
    seq: dict[tuple[str, str, int], int] = {}
    counts = {"classes": 0, "enrolments": 0, "certificates": 0}
    actor, today = ctx.actor, ctx.today
    for cp in sorted(plans, key=lambda c: (c.start, c.course)):
        if not cp.attendees and not cp.nominated:
            continue
        inst = institutions[cp.institution]
        k = (cp.institution, cp.course, cp.start.year)
        seq[k] = seq.get(k, 0) + 1
        code = f"{PREFIX[cp.course]}-{seq[k]:02d}/{cp.start.year}"
        size = len(cp.attendees) + len(cp.nominated)
        klass = S.class_create(
            actor=actor,
            institution=inst,
            course_type=types[cp.course],
            code=code,
            start_on=cp.start,
            end_on=cp.end,
            venue=VENUE if inst.code == INSTITUTION[0] else "Trường Chính trị tỉnh Bắc Kạn",
            capacity=max(40, (size * 11 // 10 + 9) // 10 * 10),
            lecturers=LECTURERS[cp.course],
            served_units=[district],
        )
        counts["classes"] += 1
        S.class_transition(actor=actor, klass=klass, to=ClassStatus.OPEN, today=today)
        ids = [ctx.person_ids[key] for key in cp.attendees]
        statuses = {
            ctx.person_ids[key]: _plan_status(by_key[key], cp.start) for key in cp.attendees
        }
        if ids:
            enrolled = S.enrol_bulk(actor=actor, klass=klass, person_ids=ids, statuses=statuses)
            counts["enrolments"] += len(enrolled)
        if cp.nominated:
            for unit_code, keys in _by_grassroots(cp.nominated, by_key).items():
                unit = OrgUnit.objects.get(pk=ctx.org_ids[unit_code])
                S.enrolment_nominate(
                    actor=None,
                    klass=klass,
                    person_ids=[ctx.person_ids[key] for key in keys],
                    unit=unit,
                    statuses={
                        ctx.person_ids[key]: _plan_status(by_key[key], cp.start) for key in keys
                    },
                )
        if cp.start > today:
            if cp.start - today > dt.timedelta(days=60):
                S.class_transition(actor=actor, klass=klass, to=ClassStatus.PLANNED, today=today)
            continue
        S.class_transition(actor=actor, klass=klass, to=ClassStatus.RUNNING, today=cp.start)
        _attend(klass, cp, ctx, rng, min(cp.end, today))
        if cp.end >= today:
            continue  # still running
        S.class_transition(actor=actor, klass=klass, to=ClassStatus.FINISHED, today=cp.end)
        counts["certificates"] += _results_and_certificates(klass, cp, ctx, rng)
    return counts


def _by_grassroots(keys: list[int], by_key: dict[int, P.PlannedPerson]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for key in keys:
        out.setdefault(by_key[key].grassroots, []).append(key)
    return out


def _attend(
    klass: object, cp: ClassPlan, ctx: DemoContext, rng: random.Random, upto: dt.date
) -> None:
    from ptdv.training.models import TrainingClass

    assert isinstance(klass, TrainingClass)
    sessions = [s for s in klass.sessions.all() if s.date <= upto]
    if not sessions:
        return
    pid_to_key = {ctx.person_ids[key]: key for key in cp.attendees}
    marks: list[tuple[int, int, bool]] = []
    for eid, pid in Enrolment.objects.filter(klass=klass).values_list("pk", "person_id"):
        key = pid_to_key.get(pid)
        absent: set[int] = set()
        if key in cp.fail and key % 2 == 0:  # misses two sessions
            absent = {s.pk for s in rng.sample(sessions, min(2, len(sessions)))}
        elif rng.random() < 0.08:
            absent = {rng.choice(sessions).pk}  # one missed session: still completes
        marks.extend((eid, s.pk, s.pk not in absent) for s in sessions)
    S.attendance_record(actor=ctx.actor, klass=klass, marks=marks, today=upto)


def _results_and_certificates(
    klass: object, cp: ClassPlan, ctx: DemoContext, rng: random.Random
) -> int:
    from ptdv.training.models import TrainingClass

    assert isinstance(klass, TrainingClass)
    key_of = {ctx.person_ids[key]: key for key in cp.attendees}
    rows = []
    for eid, pid in Enrolment.objects.filter(klass=klass).values_list("pk", "person_id"):
        key = key_of.get(pid)
        failed = key in cp.fail and key % 2 == 1  # fails the final essay
        score = round(rng.uniform(3.0, 4.5), 1) if failed else round(rng.uniform(6.0, 9.5), 1)
        rows.append(S.ResultRow(eid, passed=not failed, score=str(score)))
    results = S.result_record(actor=ctx.actor, klass=klass, rows=rows)
    done = [r.enrolment_id for r in results if r.completed]
    if done:
        S.certificate_issue(
            actor=ctx.actor,
            klass=klass,
            enrolment_ids=done,
            issued_on=cp.end + CERT_LAG,
            today=ctx.today,
        )
    return len(done)


def run(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    plans = _awareness(ctx, rng) + _new_member(ctx, rng) + _cadre_skills(ctx, rng)
    for code, (n, total) in TARGETS.items():
        inside = [c for c in plans if c.course == code and c.in_window and c.attendees]
        got = (len(inside), sum(len(c.attendees) for c in inside))
        if got != (n, total):
            raise RuntimeError(f"demo training: {code} planned {got}, expected {(n, total)}")
    counts = _materialise(ctx, plans, rng)
    ctx.say(
        f"  {counts['classes']} lớp, {counts['enrolments']} lượt học viên, "
        f"{counts['certificates']} giấy chứng nhận"
    )
