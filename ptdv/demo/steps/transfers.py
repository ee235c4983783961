"""Demo step (after the 2025 restructuring): transfers of party activity
between the new commune party committees, with receipt confirmed, one still in transit,
one overdue, temporary activity, a departure to another province, an arrival from outside,
and an exemption from activity. Units are chosen among those valid on each date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q

from ptdv.demo.context import DemoContext
from ptdv.organizations.models import CELL_KINDS, OrgKind, OrgUnit
from ptdv.people.models import MembershipStatus, Person
from ptdv.people.services import person_create
from ptdv.people.transfers import services as S


def _valid(qs: Any, *days: dt.date) -> Any:
    for day in days:
        qs = qs.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return qs


def _communes(*days: dt.date) -> list[OrgUnit]:
    qs = _valid(OrgUnit.objects.filter(kind=OrgKind.GRASSROOTS_COMMITTEE), *days)
    communes = list(qs.filter(sector="commune_ward").order_by("path"))
    return communes or list(qs.order_by("path"))


def _cells(unit: OrgUnit, *days: dt.date) -> Any:
    return _valid(
        OrgUnit.objects.filter(path__startswith=unit.path, kind__in=list(CELL_KINDS)), *days
    ).order_by("path")


def _member_of(unit: OrgUnit, day: dt.date, used: set[int], *days: dt.date) -> Person | None:
    """An official member kept today by a cell of ``unit`` valid on every date, with no
    membership event on or after ``day`` (so the transfer is the next fact)."""
    cells = _cells(unit, day, *days)
    return (
        Person.objects.filter(status=MembershipStatus.OFFICIAL, org_unit__in=cells)
        .exclude(pk__in=used)
        .annotate(last=Max("events__date"))
        .filter(last__lt=day)
        .order_by("sort_key", "pk")
        .first()
    )


def run(ctx: DemoContext) -> None:
    today = ctx.today
    year = today.year
    days = {
        "done": dt.date(year, 3, 2),
        "done_rcv": dt.date(year, 3, 20),
        "overdue": dt.date(year, 6, 1),
        "transit": today - dt.timedelta(days=10),
        "temp": dt.date(year, 9, 1),
        "temp_rcv": dt.date(year, 9, 10),
        "out": dt.date(year, 4, 1),
        "out_rcv": dt.date(year, 4, 22),
        "arrive": dt.date(year, 5, 12),
    }
    if any(d > today for d in days.values()):
        return
    communes = _communes(days["done"], today)
    if len(communes) < 2:
        return
    used: set[int] = set()
    made = 0
    a, b = communes[0], communes[1]
    c = communes[2] if len(communes) > 2 else communes[0]

    def take(unit: OrgUnit, day: dt.date) -> Person | None:
        p = _member_of(unit, day, used, today)
        if p is not None:
            used.add(p.pk)
        return p

    def letter(n: int, unit: OrgUnit) -> str:
        return f"{n:02d}-GGT/ĐU"

    # 1. official transfer, received (a → b)
    p = take(a, days["done"])
    target = _cells(b, days["done_rcv"], today).first()
    if p is not None and target is not None:
        t = S.transfer_issue(
            actor=ctx.actor,
            person=p,
            kind="official",
            to_unit=b,
            letter_number=letter(3, a),
            letter_date=days["done"],
            issued_on=days["done"],
            reason="Chuyển nơi cư trú",
            today=today,
        )
        S.transfer_confirm(
            actor=ctx.actor, transfer=t, received_on=days["done_rcv"], cell=target, today=today
        )
        made += 1
    # 2. official transfer past its working days, not received (b → c): overdue
    p = take(b, days["overdue"])
    if p is not None and c.pk != b.pk:
        S.transfer_issue(
            actor=ctx.actor,
            person=p,
            kind="official",
            to_unit=c,
            letter_number=letter(11, b),
            letter_date=days["overdue"],
            issued_on=days["overdue"],
            reason="Chuyển công tác",
            today=today,
        )
        made += 1
    # 3. in transit, within its time (c → a)
    p = take(c, days["transit"])
    if p is not None and c.pk != a.pk:
        S.transfer_issue(
            actor=ctx.actor,
            person=p,
            kind="official",
            to_unit=a,
            letter_number=letter(27, c),
            letter_date=days["transit"],
            issued_on=days["transit"],
            reason="Chuyển nơi cư trú",
            today=today,
        )
        made += 1
    # 4. temporary activity (a → b), received: counted at home
    p = take(a, days["temp"])
    if p is not None:
        t = S.transfer_issue(
            actor=ctx.actor,
            person=p,
            kind="temporary",
            to_unit=b,
            letter_number=letter(19, a),
            letter_date=days["temp"],
            issued_on=days["temp"],
            temporary_until=dt.date(year + 1, 8, 31),
            reason="Đi làm việc có thời hạn",
            today=today,
        )
        S.transfer_confirm(actor=ctx.actor, transfer=t, received_on=days["temp_rcv"], today=today)
        made += 1
    # 5. departure to another province, receipt slip returned
    p = take(b, days["out"])
    if p is not None:
        t = S.transfer_issue(
            actor=ctx.actor,
            person=p,
            kind="official",
            to_outside="Đảng ủy phường Hà Giang 1, tỉnh Tuyên Quang",
            letter_number=letter(8, b),
            letter_date=days["out"],
            issued_on=days["out"],
            reason="Chuyển nơi cư trú ra ngoài tỉnh",
            today=today,
        )
        S.transfer_confirm(actor=ctx.actor, transfer=t, received_on=days["out_rcv"], today=today)
        made += 1
    # 6. arrival from another province
    cell = _cells(a, days["arrive"], today).first()
    if cell is not None:
        newcomer = person_create(
            actor=ctx.actor,
            org_unit=cell,
            full_name="Hà Thị Xuân",
            date_of_birth=dt.date(1988, 10, 12),
            gender="female",
            ethnicity="02",
            hometown="xã Chiêm Hóa, tỉnh Tuyên Quang",
        )
        S.transfer_arrival(
            actor=ctx.actor,
            person=newcomer,
            from_outside="Đảng ủy xã Chiêm Hóa, tỉnh Tuyên Quang",
            cell=cell,
            letter_number="15-GGT/ĐU",
            letter_date=dt.date(year, 5, 4),
            received_on=days["arrive"],
            today=today,
        )
        made += 1
    # 7. exemption from activity (old age)
    p = (
        Person.objects.filter(status=MembershipStatus.OFFICIAL, org_unit__in=_cells(c, today))
        .exclude(pk__in=used)
        .order_by("date_of_birth", "pk")
        .first()
    )
    if p is not None:
        S.exemption_add(
            actor=ctx.actor,
            person=p,
            decision_number="42-QĐ/ĐU",
            decision_date=dt.date(year, 1, 12),
            decision_body=f"Ban Thường vụ {c.name}",
            reason="Tuổi cao, sức khỏe yếu",
            start=max(dt.date(year, 1, 15), p.admitted_on or dt.date(year, 1, 15)),
            today=today,
        )
    ctx.say(f"  chuyển sinh hoạt đảng: {made} lượt; miễn sinh hoạt: {1 if p else 0}")
