"""Property test (hypothesis): random sequences of transfers — issued (official, temporary,
to outside), confirmed, cancelled, ended, arrivals from outside — keep every member counted
by exactly one side on every date, the sender counting until the receipt date; a refused
operation changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ptdv.core.errors import DomainError
from ptdv.people.models import MembershipEvent, MembershipPeriod, Transfer, TransferStatus
from ptdv.people.selectors import members_on
from ptdv.people.services import membership_event_add
from ptdv.people.tests.conftest import make_member, make_person
from ptdv.people.transfers import services as S

D = dt.date
START = D(2026, 1, 5)
TODAY = D(2026, 12, 31)
OPS = ["official", "temporary", "outside", "confirm", "cancel", "end", "arrival"]
step = st.tuples(
    st.sampled_from(OPS),
    st.integers(0, 20),
    st.integers(0, 20),
    st.integers(0, 25),
)


def pick(items: list[Any], i: int) -> Any:
    return items[i % len(items)]


def spans(day: dt.date) -> set[int]:
    from django.db.models import Q

    return set(
        MembershipPeriod.objects.filter(status__in=["probationary", "official"], start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list("person_id", flat=True)
    )


def moved_again(t: Transfer, day: dt.date) -> bool:
    """Another receipt of the same member since ``t``'s, up to ``day``: where the member is
    then is that transfer's to check (a member may come back to the sender)."""
    return (
        Transfer.objects.filter(
            person_id=t.person_id,
            status=TransferStatus.RECEIVED,
            received_on__gte=t.received_on,
            received_on__lte=day,
        )
        .exclude(pk=t.pk)
        .exists()
    )


def check(tree: Any, day: dt.date) -> None:
    sides = [tree.district, tree.sibling]
    counted: dict[int, int] = {}
    for side in sides:
        for pk in members_on(side, day).values_list("pk", flat=True):
            counted[pk] = counted.get(pk, 0) + 1
    assert all(n == 1 for n in counted.values()), (day, counted)
    assert set(counted) == spans(day), day
    for t in Transfer.objects.filter(kind="official", from_unit__isnull=False, issued_on__lte=day):
        sender = members_on(t.from_unit, day).filter(pk=t.person_id).exists()
        if t.status == TransferStatus.ISSUED or (t.received_on and day < t.received_on):
            assert sender, ("in transit: the sender counts", t.letter_number, day)
        elif (
            t.status == TransferStatus.RECEIVED
            and t.received_on
            and day >= t.received_on
            and not moved_again(t, day)
        ):
            assert not sender, ("received: the sender no longer counts", t.letter_number, day)
            if t.received_in_id:
                assert members_on(t.received_in, day).filter(pk=t.person_id).exists()
    for t in Transfer.objects.filter(kind="temporary", from_unit__isnull=False, issued_on__lte=day):
        assert members_on(t.from_unit, day).filter(pk=t.person_id).exists(), "temporary: at home"


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_random_transfers_count_each_member_once(
    tree: Any, steps: list[tuple[str, int, int, int]]
) -> None:
    with transaction.atomic():
        cells = [tree.cell, tree.other_cell, tree.grassroots_cell, tree.sibling_cell]
        people = []
        for i, cell in enumerate(cells):
            p = make_member(cell, f"Đảng Viên {i}", admitted=D(2015, 3, 1))
            membership_event_add(actor=None, person=p, kind="recognized", date=D(2016, 3, 1))
            people.append(p)
        day = START
        dates = [START - dt.timedelta(days=1)]
        for n, (op, a, b, gap) in enumerate(steps):
            day = min(day + dt.timedelta(days=gap), TODAY)
            before = (Transfer.objects.count(), MembershipEvent.objects.count())
            try:
                with transaction.atomic():
                    if op in {"official", "temporary", "outside"}:
                        person = pick(people, a)
                        person.refresh_from_db()
                        kw: dict[str, Any] = (
                            {"to_outside": "Tỉnh ủy Cao Bằng"}
                            if op == "outside"
                            else {
                                "to_unit": pick([c for c in cells if c.pk != person.org_unit_id], b)
                            }
                        )
                        S.transfer_issue(
                            actor=None,
                            person=person,
                            kind="temporary" if op == "temporary" else "official",
                            letter_number=f"{n}-GGT",
                            letter_date=day,
                            issued_on=day,
                            today=TODAY,
                            **kw,
                        )
                    elif op in {"confirm", "cancel", "end"}:
                        ts = list(Transfer.objects.order_by("pk"))
                        if not ts:
                            raise DomainError("nothing yet")
                        t = pick(ts, a)
                        if op == "confirm":
                            S.transfer_confirm(actor=None, transfer=t, received_on=day, today=TODAY)
                        elif op == "cancel":
                            S.transfer_cancel(actor=None, transfer=t, today=TODAY)
                        else:
                            S.transfer_end_temporary(
                                actor=None, transfer=t, ended_on=day, today=TODAY
                            )
                    else:
                        newcomer = make_person(pick(cells, b), f"Người Đến {n}")
                        people.append(newcomer)
                        S.transfer_arrival(
                            actor=None,
                            person=newcomer,
                            from_outside="Đảng ủy xã Yên Bình, tỉnh Lào Cai",
                            cell=pick(cells, b),
                            letter_number=f"{n}-GGT/ĐU",
                            letter_date=day,
                            received_on=day,
                            today=TODAY,
                        )
                event(f"{op} recorded")
            except DomainError:
                event(f"{op} refused")
                if op != "arrival":
                    assert (Transfer.objects.count(), MembershipEvent.objects.count()) == before
            dates.append(day)
        for d in sorted({x for w in dates for x in (w - dt.timedelta(days=1), w)}):
            check(tree, d)
        transaction.set_rollback(True)
