"""The generated district agrees with the one definition of each figure: what the
simulation counted (members on a date, admitted, recognized, removed, awareness attendees)
is what ``people.selectors`` and ``training.selectors`` read from the generated rows, and
the main pages render over them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from ptdv.admissions.models import AdmissionCase
from ptdv.gendata import generate as G
from ptdv.gendata.management.commands.gendata import run
from ptdv.gendata.sink import Sink
from ptdv.organizations.models import OrgUnit, OrgUnitVersion
from ptdv.people import rules
from ptdv.people import selectors as people
from ptdv.people.models import MembershipEvent, MembershipPeriod, Person
from ptdv.training import selectors as training


def _year(y: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


@pytest.mark.django_db
def test_district_figures_match_what_was_generated(client: Any) -> None:
    truth = run("district", 7, say=lambda _s: None, admin_password="x-admin-1")
    root = OrgUnit.objects.get(parent__isnull=True)
    district = OrgUnit.objects.get(code=truth.districts[0])

    # members on a date, before and after the 2025 restructuring, by the one definition
    for day in G.CHECK_DATES:
        n = people.member_periods_on(day, under=root).values("person_id").distinct().count()
        assert n == truth.member_total(day), day
        assert sum(people.member_counts_on(root, day).values()) == truth.member_total(day)
    for day in G.CHECK_DATES[:4]:  # the district existed until 30/06/2025
        assert people.members_on(district, day).count() == truth.members_on[day][district.code]
    assert people.members_on(district, G.END).count() == 0  # ended; restated it continues
    assert truth.member_total(G.END) > 4000

    for y in range(2012, G.END.year + 1):
        a, b = _year(y)
        assert people.admitted_periods(root, a, b).count() == truth.admitted[y], y
        assert people.readmitted_periods(root, a, b).count() == truth.readmitted[y], y
        assert people.recognized_periods(root, a, b).count() == truth.recognized[y], y
        assert people.removed_periods(root, a, b).count() == truth.removed[y], y
        counts = training.class_counts(root, a, b)
        assert counts["awareness"]["attendees"] == truth.awareness[y], y
    assert sum(truth.admitted[y] for y in range(2012, 2027)) > 1000

    # the derived fields and periods are what the services write from the events
    sample = Person.objects.filter(status__in=["official", "removed", "transferred_out"])[:40]
    from ptdv.people.services import build_periods, refresh_membership

    for person in sample:
        before = list(
            MembershipPeriod.objects.filter(person=person)
            .order_by("start")
            .values_list("org_unit_id", "status", "start", "end", "path")
        )
        status = person.status
        refresh_membership(person)
        after = list(
            MembershipPeriod.objects.filter(person=person)
            .order_by("start")
            .values_list("org_unit_id", "status", "start", "end", "path")
        )
        assert before == after
        assert Person.objects.get(pk=person.pk).status == status
    assert build_periods  # the writer the sample went through

    # a cell has two versions (cut on 01/07/2025) and every period lies inside one
    cell = OrgUnit.objects.filter(kind="cell").first()
    assert OrgUnitVersion.objects.filter(unit=cell).count() == 2
    assert not MembershipPeriod.objects.filter(start__lt=G.RESTRUCTURE, end__gt=G.RESTRUCTURE)
    # events replay under the rules (no impossible order)
    for pid in Person.objects.filter(status="official").values_list("pk", flat=True)[:200]:
        evs = MembershipEvent.objects.filter(person_id=pid).order_by("date", "id")
        rules.derive(rules.Event(kind=e.kind, date=e.date, order=e.pk) for e in evs)
    stages = dict(
        AdmissionCase.objects.values("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    assert len(stages) >= 12  # cases in every stage

    # the pages an administrator opens first render over the generated data
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    for url in ("/orgs/", "/people/", "/reports/overview/"):
        assert client.get(url).status_code == 200, url


def test_scales_are_the_issue_sizes() -> None:
    nation = G.SCALES["nation"]
    assert 5_000_000 <= nation.provinces * nation.districts * nation.members <= 6_000_000
    province = G.SCALES["province"]
    assert 100_000 <= province.districts * province.members <= 450_000


class _Memory(Sink):
    """Keeps every row instead of writing it."""

    def flush(self) -> None:
        for t in self.tables.values():
            t.count += len(t.rows)
            self.kept.setdefault(t.name, []).extend(t.rows)
            t.rows = []

    def finish(self) -> None:
        pass


def _rows(seed: int) -> dict[str, list[Any]]:
    sink = _Memory(dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    sink.kept = {}  # type: ignore[attr-defined]
    scale = G.Scale(provinces=1, districts=2, members=300)
    G.Generator(
        scale, seed, sink, say=lambda _s: None, course_types={"awareness": 1, "new_member": 2}
    ).run()
    return sink.kept  # type: ignore[attr-defined,no-any-return]


@pytest.mark.django_db
def test_a_seed_gives_the_same_rows() -> None:
    first, again, other = _rows(5), _rows(5), _rows(6)
    assert first == again
    assert first["people_person"] != other["people_person"]
    assert len(first["people_membershipperiod"]) > 300
