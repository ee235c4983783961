"""Demo step (first): the Chợ Đồn tree, villages, people with their membership history, and
the demo users. Fast path: bulk inserts, with the derived status computed by the same
pure rule (``people.rules.derive``) the services use."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from ptdv.access.models import Position, Role
from ptdv.core.text import fold, name_sort_key
from ptdv.demo import plan as P
from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgUnit, ResidentialUnit
from ptdv.organizations.services import org_unit_create
from ptdv.people import rules
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person
from ptdv.people.services import build_periods

DEMO_PASSWORD = "ptdv@2026"  # noqa: S105 - printed by make demo; demo data only

DEMO_USERS = [
    # username, role, org code, title
    ("bantochuc", Role.ORG_BOARD, "CD", "Chuyên viên Ban Tổ chức Huyện ủy"),
    ("lanhdao", Role.LEADER, "CD", "Phó Bí thư Huyện ủy"),
    ("ttct", Role.TRAINING_CENTRE, "CD", "Cán bộ Trung tâm Chính trị huyện"),
    ("dangbo.ngocphai", Role.COMMITTEE, "CD-NP", "Phó Bí thư Đảng ủy xã Ngọc Phái"),
    ("chibo.to1", Role.COMMITTEE, "CD-BL-T01-CB", "Bí thư Chi bộ Tổ 1"),
    ("tinh.btc", Role.ORG_BOARD, "BK", "Chuyên viên Ban Tổ chức Tỉnh ủy"),
]


def _tree(ctx: DemoContext) -> None:
    from datetime import date

    for o in ctx.plan.orgs:
        parent = OrgUnit.objects.get(pk=ctx.org_ids[o.parent]) if o.parent else None
        unit = org_unit_create(
            actor=ctx.actor,
            code=o.code,
            name=o.name,
            kind=o.kind,
            sector=o.sector,
            parent=parent,
            authorised_to_admit=o.authorised_to_admit,
            valid_from=date(1946, 1, 1) if o.parent else date(1930, 2, 3),
            mountainous=o.mountainous,
            ethnic_minority_area=o.ethnic_minority_area,
        )
        ctx.org_ids[o.code] = unit.pk
    for v in ctx.plan.villages:
        ResidentialUnit.objects.create(
            code=v.code,
            name=v.name,
            kind=v.kind,
            org_unit_id=ctx.org_ids[v.commune],
            own_cell_id=ctx.org_ids.get(v.own_cell) if v.own_cell else None,
            mountainous=v.commune != "CD-BL",
            ethnic_minority_area=True,
        )


def _events_of(p: P.PlannedPerson, cell_id: int, use_cases: bool) -> list[rules.Event]:
    evs: list[rules.Event] = []
    if p.admitted_on is None or p.admitted_on > P.TODAY:
        return evs
    if use_cases and p.transferred_in_on is None:
        return evs  # the admissions step will run this person's case
    if p.transferred_in_on:
        evs.append(rules.Event("admitted", p.admitted_on, None, p.decision_on, order=1))
        evs.append(rules.Event("transferred_in", p.transferred_in_on, cell_id, order=2))
    else:
        evs.append(rules.Event("admitted", p.admitted_on, cell_id, p.decision_on, order=1))
    if p.removed_probationary_on:
        evs.append(rules.Event("removed_probationary", p.removed_probationary_on, order=3))
        return evs
    if p.official_on:
        evs.append(rules.Event("recognized", p.official_on, order=4))
    if p.card_on:
        evs.append(rules.Event("card_issued", p.card_on, card_number=p.card_number, order=5))
    if p.exit_kind and p.exit_on:
        evs.append(rules.Event(p.exit_kind, p.exit_on, order=6))
    return evs


def _people(ctx: DemoContext) -> None:
    villages = dict(ResidentialUnit.objects.values_list("code", "id"))
    rows: list[Person] = []
    all_events: list[list[rules.Event]] = []
    for p in ctx.plan.people:
        cell_id = ctx.org_ids[p.cell]
        use_cases = (
            P.CASES_FROM is not None and p.admitted_on is not None and p.admitted_on >= P.CASES_FROM
        )
        events = _events_of(p, cell_id, use_cases)
        derived = rules.derive(events)
        rows.append(
            Person(
                full_name=p.full_name,
                name_folded=fold(p.full_name),
                sort_key=name_sort_key(p.full_name),
                date_of_birth=p.date_of_birth,
                gender=p.gender,
                ethnicity=p.ethnicity,
                religion=p.religion,
                citizen_id=p.citizen_id,
                education_general=p.education_general,
                education_professional=p.education_professional,
                political_theory=p.political_theory,
                occupation=p.occupation,
                workplace=p.workplace,
                residential_unit_id=villages.get(p.village or ""),
                phone=p.phone,
                youth_union_member=p.youth_union_member,
                org_unit_id=derived.org_unit_id or cell_id,
                status=derived.status,
                admitted_on=derived.admitted_on,
                official_on=derived.official_on,
                party_age_from=derived.party_age_from,
                card_number=derived.card_number,
            )
        )
        all_events.append(events)
    created = Person.objects.bulk_create(rows, batch_size=1000)
    ev_rows: list[MembershipEvent] = []
    derived_periods: list[tuple[int, list[rules.Period]]] = []
    for plan_person, person, events in zip(ctx.plan.people, created, all_events, strict=True):
        ctx.person_ids[plan_person.key] = person.pk
        for e in events:
            ev_rows.append(
                MembershipEvent(
                    person_id=person.pk,
                    kind=e.kind,
                    date=e.date,
                    org_unit_id=e.org_unit_id,
                    decision_date=e.decision_date,
                    card_number=e.card_number,
                    decision_number=f"{(e.decision_date or e.date).year}/QĐ-HU"
                    if e.decision_date
                    else "",
                    arrives_as="probationary" if e.kind == "transferred_in" else "",
                    source="demo",
                )
            )
        derived_periods.append((person.pk, rules.derive(events).periods))
    MembershipEvent.objects.bulk_create(ev_rows, batch_size=2000)
    MembershipPeriod.objects.bulk_create(build_periods(derived_periods), batch_size=2000)
    ctx.say(f"  {len(created)} người, {len(ev_rows)} sự kiện đảng tịch")


def _holder_name(username: str) -> str:
    """The generated name of the person holding a demo account's position (a Tày or Kinh
    man or woman, fixed per account): signature blocks print a name, never the title."""
    import random

    from ptdv.demo.names import person_name

    rng = random.Random(f"ptdv-demo-user:{username}")  # noqa: S311 - demo data only
    return person_name(rng, rng.choice(["02", "01"]), rng.choice(["male", "female"]))


def _users(ctx: DemoContext) -> None:
    from datetime import date

    User = get_user_model()
    for username, role, org_code, title in DEMO_USERS:
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, first_name=_holder_name(username)
        )
        Position.objects.create(
            user=user,
            org_unit_id=ctx.org_ids[org_code],
            role=role,
            title=title,
            term_start=date(2020, 8, 1),
        )
        with translation.override("vi"):  # printed by ``make demo``: Vietnamese role names
            ctx.logins.append((username, str(role.label), org_code))


@transaction.atomic
def run(ctx: DemoContext) -> None:
    _tree(ctx)
    ctx.say(f"  {len(ctx.plan.orgs)} tổ chức đảng, {len(ctx.plan.villages)} thôn/tổ dân phố")
    _people(ctx)
    _users(ctx)
