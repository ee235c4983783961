"""Today's cases left in every stage (some overdue, with their vetting requests) and a
few past cases rejected, through the step services."""

from __future__ import annotations

import datetime as dt
import random

from ptdv.admissions import services as S
from ptdv.admissions.models import (
    AdmissionCase,
    SourceEntry,
)
from ptdv.demo import plan as P
from ptdv.demo.steps.admissions.runner import Runner, shift
from ptdv.organizations.models import OrgKind, OrgUnit
from ptdv.people.models import Person

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


def open_case_today(r: Runner, p: P.PlannedPerson, target: str, *, overdue: bool) -> None:
    """A case of today, taken from its source date to ``target``."""
    rng, t, a = r.rng, r.today, r.actor
    assert p.candidate_since is not None
    cell = r.units[p.cell]
    since = p.candidate_since
    last = ORDER.index("cell_voted") if target == "escalated" else ORDER.index(target)
    span = (t - since).days
    # the last step happens long ago when the case should be overdue, else recently
    end = shift(t, -rng.randint(95, 130)) if overdue else shift(t, -rng.randint(3, 20))
    end = max(end, shift(since, min(span, 10)))
    if overdue and end <= since:
        end = shift(since, max(1, span // 2))
    gap = max(1, (end - since).days // max(1, last))
    days = [shift(since, gap * i) for i in range(last + 1)]
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
            introducers=r.introducers(p, d, days[6] if last >= 6 else d, shift(since, -400)),
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
                on=min(shift(vote_on, attempt), t),
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
    r: Runner, p: P.PlannedPerson, case: AdmissionCase, sent: dt.date, concluded: dt.date | None
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
            due_on=shift(sent, due_days),
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


def rejected_case(r: Runner, p: P.PlannedPerson, *, by_committee: bool) -> None:
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
    cert = shift(d, 40)
    case = S.certificate_record(actor=a, case=case, issued_on=cert, number=r.number("GCN"), today=t)
    case = S.application_record(
        actor=a, case=case, on=shift(cert, 20), today=t, certificate_on=cert
    )
    case = S.background_record(actor=a, case=case, on=shift(cert, 35), today=t, certificate_on=cert)
    case = S.vetting_record(actor=a, case=case, on=shift(cert, 80), today=t, certificate_on=cert)
    if not by_committee:
        S.case_reject(
            actor=a,
            case=case,
            on=shift(cert, 90 + rng.randint(0, 30)),
            reason="Kết quả thẩm tra lý lịch chưa rõ ràng, chi bộ dừng xem xét",
            today=t,
        )
        return
    intro = shift(cert, 100)
    case = S.introductions_record(
        actor=a,
        case=case,
        on=intro,
        introducers=r.introducers(p, intro, shift(intro, 30), shift(d, -400)),
        comments_on=intro,
        today=t,
        certificate_on=cert,
    )
    vote_on = shift(intro, 30)
    case = S.cell_vote_record(
        actor=a, case=case, on=vote_on, counts=r.cell_counts(p, vote_on), today=t
    )
    if cell.kind != OrgKind.GRASSROOTS_CELL:
        case = S.grassroots_vote_record(
            actor=a, case=case, on=shift(vote_on, 10), counts=r.committee_counts(), today=t
        )
    S.case_reject(
        actor=a,
        case=case,
        on=shift(vote_on, 40),
        reason="Ban Thường vụ không đồng ý kết nạp: có đơn thư phản ánh chưa được làm rõ",
        number=r.number("TB/HU"),
        today=t,
    )
