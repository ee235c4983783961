"""Transfers of party activity and exemptions: services, the counting rule, selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.people.models import MembershipEvent, MembershipStatus, Person, Transfer
from ptdv.people.selectors import member_counts_on, members_on
from ptdv.people.tests.conftest import make_person
from ptdv.people.transfers import selectors as sel
from ptdv.people.transfers import services as S
from ptdv.policy import loader
from ptdv.policy import selectors as calendar

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 3, 2)
ISSUED = D(2026, 1, 5)
RECEIVED = D(2026, 1, 20)


def issue(person: Any, actor: Any = None, **kw: Any) -> Transfer:
    args: dict[str, Any] = {
        "kind": "official",
        "letter_number": "12-GGT/ĐU",
        "letter_date": ISSUED,
        "issued_on": ISSUED,
        "today": TODAY,
    }
    args.update(kw)
    return S.transfer_issue(actor=actor, person=person, **args)


def snapshot() -> tuple[int, int, list[tuple[Any, ...]]]:
    return (
        Transfer.objects.count(),
        MembershipEvent.objects.count(),
        list(Person.objects.order_by("pk").values_list("pk", "status", "org_unit_id")),
    )


def refused(call: Any, *, field: str | None = None, code: str | None = None) -> DomainError:
    before = snapshot()
    with pytest.raises(DomainError) as info:
        call()
    assert snapshot() == before, "a refused operation changed something"
    assert str(info.value.message), "the refusal explains itself"
    if field is not None:
        assert info.value.field == field, info.value.message
    if code is not None:
        assert info.value.code == code, info.value.code
    return info.value


# --- the counting rule -----------------------------------------------------------------


def test_official_transfer_is_counted_by_exactly_one_side_on_every_date(
    tree: Any, registry: Any, personas: Any
) -> None:
    member = registry.member
    t = issue(member, personas.district_officer, to_unit=tree.sibling_grassroots)
    assert t.status == "issued"
    policy = loader.policy_on(ISSUED)
    days = policy.values["deadline.transfer_official_wd"]
    assert t.due_on == calendar.add_working_days(ISSUED, days)
    S.transfer_confirm(
        actor=personas.sibling_officer,
        transfer=t,
        received_on=RECEIVED,
        cell=tree.sibling_cell,
        today=TODAY,
    )
    member.refresh_from_db()
    assert member.org_unit == tree.sibling_cell
    for day in [
        ISSUED - dt.timedelta(days=1),
        ISSUED,
        D(2026, 1, 10),
        RECEIVED - dt.timedelta(days=1),
    ]:
        assert member in members_on(tree.cell, day)
        assert member not in members_on(tree.sibling, day)
        assert member in sel.in_transit_on(tree.cell, day) or day < ISSUED
    for day in [RECEIVED, D(2026, 2, 1), TODAY]:
        assert member not in members_on(tree.district, day)
        assert member in members_on(tree.sibling_cell, day)
        assert member not in sel.in_transit_on(tree.district, day)
    # the whole tree counts the member once on every date
    for day in [ISSUED, D(2026, 1, 10), RECEIVED, TODAY]:
        a = members_on(tree.district, day).filter(pk=member.pk).count()
        b = members_on(tree.sibling, day).filter(pk=member.pk).count()
        assert a + b == 1
        assert members_on(tree.province, day).filter(pk=member.pk).count() == 1
    ev = member.events.get(kind="moved")
    assert ev.date == RECEIVED and ev.source == f"people.transfer:{t.uid}"


def test_in_transit_member_stays_in_the_senders_counts(tree: Any, registry: Any) -> None:
    before = member_counts_on(tree.district, D(2026, 1, 10))
    issue(registry.member, to_unit=tree.sibling_grassroots)
    assert member_counts_on(tree.district, D(2026, 1, 10)) == before
    assert registry.member in sel.in_transit_on(tree.district, D(2026, 1, 10))
    assert not sel.in_transit_on(tree.sibling, D(2026, 1, 10)).exists()


def test_temporary_activity_keeps_the_member_at_home(tree: Any, registry: Any) -> None:
    member = registry.member
    t = issue(member, kind="temporary", to_unit=tree.sibling_cell, temporary_until=D(2026, 12, 31))
    S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY)
    member.refresh_from_db()
    assert member.org_unit == tree.cell
    assert member in members_on(tree.cell, TODAY)
    assert member not in members_on(tree.sibling, TODAY)
    assert member in sel.temporary_away_on(tree.cell, TODAY)
    assert member not in sel.temporary_away_on(tree.cell, ISSUED)
    assert member in sel.temporary_hosted_on(tree.sibling, TODAY)
    refused(lambda: issue(member, to_unit=tree.sibling_grassroots), code="already_in_transit")
    S.transfer_end_temporary(actor=None, transfer=t, ended_on=D(2026, 2, 1), today=TODAY)
    assert member not in sel.temporary_away_on(tree.cell, TODAY)
    assert member in sel.temporary_away_on(tree.cell, D(2026, 1, 31))


# --- outside the installation ----------------------------------------------------------


def test_departure_to_outside_is_confirmed_by_the_sending_side(
    tree: Any, registry: Any, personas: Any
) -> None:
    member = registry.member
    t = issue(
        member, personas.cell_secretary, to_outside="Đảng ủy phường Hà Giang 1, tỉnh Tuyên Quang"
    )
    assert t.to_unit is None and t.to_name.startswith("Đảng ủy phường")
    # the sibling district cannot confirm what is not theirs
    with pytest.raises(PermissionDeniedError):
        S.transfer_confirm(
            actor=personas.sibling_officer, transfer=t, received_on=RECEIVED, today=TODAY
        )
    S.transfer_confirm(actor=personas.cell_secretary, transfer=t, received_on=RECEIVED, today=TODAY)
    member.refresh_from_db()
    assert member.status == MembershipStatus.TRANSFERRED_OUT
    assert member in members_on(tree.cell, RECEIVED - dt.timedelta(days=1))
    assert member not in members_on(tree.province, RECEIVED)


def test_arrival_from_outside_is_recorded_by_the_receiving_side(
    tree: Any, registry: Any, personas: Any
) -> None:
    newcomer = make_person(tree.sibling_cell, "Lò Văn Cương")
    with pytest.raises(PermissionDeniedError):
        S.transfer_arrival(
            actor=personas.district_officer,
            person=newcomer,
            from_outside="Đảng ủy xã Yên Bình, tỉnh Lào Cai",
            cell=tree.sibling_cell,
            letter_number="5-GGT/ĐU",
            letter_date=ISSUED,
            received_on=RECEIVED,
            today=TODAY,
        )
    t = S.transfer_arrival(
        actor=personas.sibling_officer,
        person=newcomer,
        from_outside="Đảng ủy xã Yên Bình, tỉnh Lào Cai",
        cell=tree.sibling_cell,
        letter_number="5-GGT/ĐU",
        letter_date=ISSUED,
        received_on=RECEIVED,
        today=TODAY,
    )
    newcomer.refresh_from_db()
    assert t.status == "received" and t.from_unit is None
    assert newcomer.status == MembershipStatus.OFFICIAL
    assert newcomer not in members_on(tree.sibling, RECEIVED - dt.timedelta(days=1))
    assert newcomer in members_on(tree.sibling, RECEIVED)
    # a member already counted here cannot "arrive"
    refused(
        lambda: S.transfer_arrival(
            actor=None,
            person=registry.sibling_member,
            from_outside="Đảng ủy xã Yên Bình",
            cell=tree.sibling_cell,
            letter_number="6-GGT/ĐU",
            letter_date=ISSUED,
            received_on=RECEIVED,
            today=TODAY,
        ),
        field="person",
    )
    # an arrival cannot be cancelled and cannot be confirmed again
    refused(lambda: S.transfer_cancel(actor=None, transfer=t, today=TODAY))
    refused(lambda: S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"from_outside": "  "}, "from_outside"),
        ({"letter_number": ""}, "letter_number"),
        ({"letter_date": None}, "letter_date"),
        ({"received_on": D(2026, 1, 1)}, "received_on"),  # before the letter
        ({"received_on": D(2026, 4, 1)}, "received_on"),  # future
        ({"arrives_as": "expelled"}, "arrives_as"),
    ],
)
def test_arrival_bad_input(tree: Any, changes: dict[str, Any], field: str) -> None:
    newcomer = make_person(tree.sibling_cell, "Lò Văn Cương")
    args: dict[str, Any] = {
        "person": newcomer,
        "from_outside": "Đảng ủy xã Yên Bình, tỉnh Lào Cai",
        "cell": tree.sibling_cell,
        "letter_number": "5-GGT/ĐU",
        "letter_date": ISSUED,
        "received_on": RECEIVED,
        "today": TODAY,
    }
    args.update(changes)
    refused(lambda: S.transfer_arrival(actor=None, **args), field=field)


def test_arrival_must_join_a_cell(tree: Any) -> None:
    newcomer = make_person(tree.sibling_cell, "Lò Văn Cương")
    refused(
        lambda: S.transfer_arrival(
            actor=None,
            person=newcomer,
            from_outside="Đảng ủy xã Yên Bình",
            cell=tree.sibling_grassroots,
            letter_number="5",
            letter_date=ISSUED,
            received_on=RECEIVED,
            today=TODAY,
        ),
        field="cell",
    )


# --- bad input --------------------------------------------------------------------------


def test_confirming_twice_is_refused(tree: Any, registry: Any) -> None:
    t = issue(registry.member, to_unit=tree.sibling_cell)
    S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY)
    err = refused(
        lambda: S.transfer_confirm(actor=None, transfer=t, received_on=TODAY, today=TODAY),
        code="already_received",
    )
    assert "20/01/2026" in err.message


def empty_cell(tree: Any) -> Any:
    from ptdv.organizations.services import org_unit_create

    return org_unit_create(
        actor=None,
        code="B-Y-9",
        name="Chi bộ thôn Khuổi Ba",
        kind="cell",
        parent=tree.sibling_grassroots,
        valid_from=D(2000, 1, 1),
    )


def test_transfer_to_a_closed_unit_is_refused(tree: Any, registry: Any) -> None:
    from ptdv.organizations.services import org_unit_close

    cell = empty_cell(tree)
    org_unit_close(actor=None, unit=cell, date=D(2025, 12, 31))
    cell.refresh_from_db()
    err = refused(
        lambda: issue(registry.member, to_unit=cell),
        field="to_unit",
        code="unit_closed",
    )
    assert cell.name in err.message


def test_receipt_into_a_cell_closed_on_that_date_is_refused(tree: Any, registry: Any) -> None:
    from ptdv.organizations.services import org_unit_close

    cell = empty_cell(tree)
    t = issue(registry.member, to_unit=tree.sibling_grassroots)
    org_unit_close(actor=None, unit=cell, date=D(2026, 1, 10))
    cell.refresh_from_db()
    refused(
        lambda: S.transfer_confirm(
            actor=None, transfer=t, received_on=RECEIVED, cell=cell, today=TODAY
        ),
        field="cell",
        code="unit_closed",
    )
    t.refresh_from_db()
    assert t.status == "issued"


def test_receipt_dates_are_checked(tree: Any, registry: Any) -> None:
    t = issue(registry.member, to_unit=tree.sibling_cell)
    refused(
        lambda: S.transfer_confirm(actor=None, transfer=t, received_on=D(2026, 1, 4), today=TODAY),
        field="received_on",
        code="before_issue",
    )
    refused(
        lambda: S.transfer_confirm(actor=None, transfer=t, received_on=D(2026, 3, 3), today=TODAY),
        field="received_on",
        code="future_date",
    )
    refused(
        lambda: S.transfer_confirm(actor=None, transfer=t, received_on=None, today=TODAY),
        field="received_on",
    )


def test_receiving_committee_must_choose_one_of_its_cells(tree: Any, registry: Any) -> None:
    t = issue(registry.member, to_unit=tree.sibling_grassroots)
    refused(
        lambda: S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY),
        field="cell",
    )
    refused(
        lambda: S.transfer_confirm(
            actor=None, transfer=t, received_on=RECEIVED, cell=tree.other_cell, today=TODAY
        ),
        field="cell",
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"kind": "holiday"}, "kind", None),
        ({"letter_number": "   "}, "letter_number", None),
        ({"letter_date": None}, "letter_date", None),
        ({"letter_date": D(2026, 3, 5), "issued_on": D(2026, 3, 5)}, "letter_date", "future_date"),
        ({"letter_date": D(2026, 1, 6)}, "letter_date", None),  # after the issue date
        (
            {"issued_on": D(2015, 1, 1), "letter_date": D(2015, 1, 1)},
            "issued_on",
            "date_before_previous",
        ),
        ({"to_unit": None}, "to_unit", "destination"),
        ({"to_outside": "Tỉnh ủy Cao Bằng"}, "to_unit", "destination"),  # both
        ({"temporary_until": D(2026, 6, 1)}, "temporary_until", None),  # official
        ({"kind": "temporary", "temporary_until": D(2026, 1, 5)}, "temporary_until", None),
    ],
)
def test_issue_bad_input(
    tree: Any, registry: Any, changes: dict[str, Any], field: str, code: str | None
) -> None:
    args: dict[str, Any] = {"to_unit": tree.sibling_cell}
    args.update(changes)
    refused(lambda: issue(registry.member, **args), field=field, code=code)


def test_issue_refuses_non_members_and_own_unit(tree: Any, registry: Any) -> None:
    refused(lambda: issue(registry.masses, to_unit=tree.sibling_cell), code="not_a_member")
    refused(lambda: issue(registry.member, to_unit=tree.cell), code="same_unit")
    refused(lambda: issue(registry.member, to_unit=tree.grassroots), code="same_unit")


def test_only_the_sending_side_issues_and_cancels(tree: Any, registry: Any, personas: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        issue(registry.member, personas.sibling_officer, to_unit=tree.sibling_cell)
    t = issue(registry.member, personas.cell_secretary, to_unit=tree.sibling_cell)
    with pytest.raises(PermissionDeniedError):
        S.transfer_cancel(actor=personas.sibling_officer, transfer=t, today=TODAY)
    with pytest.raises(PermissionDeniedError):  # the sender cannot confirm for the receiver
        S.transfer_confirm(
            actor=personas.cell_secretary, transfer=t, received_on=RECEIVED, today=TODAY
        )
    S.transfer_cancel(
        actor=personas.cell_secretary, transfer=t, reason="Đảng viên không chuyển nữa", today=TODAY
    )
    t.refresh_from_db()
    assert t.status == "cancelled" and "không chuyển" in t.note
    refused(
        lambda: S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY),
        code="cancelled",
    )
    # cancelled: a new letter may be issued; nothing was ever counted elsewhere
    assert registry.member in members_on(tree.cell, TODAY)
    issue(registry.member, to_unit=tree.sibling_cell, letter_number="13-GGT/ĐU")


def test_overdue_after_the_allowed_working_days(tree: Any, registry: Any, personas: Any) -> None:
    t = issue(registry.member, to_unit=tree.sibling_cell)
    assert t.due_on is not None
    assert not sel.overdue(Transfer.objects.all(), t.due_on).exists()
    after = t.due_on + dt.timedelta(days=1)
    assert list(sel.overdue(sel.transfers_visible_to(personas.district_officer), after)) == [t]
    assert list(sel.overdue(sel.transfers_visible_to(personas.sibling_officer), after)) == [t]
    S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY)
    assert not sel.overdue(Transfer.objects.all(), after).exists()


def test_each_side_sees_its_own(tree: Any, registry: Any, personas: Any) -> None:
    t = issue(registry.member, to_unit=tree.sibling_cell)
    assert t in sel.transfers_visible_to(personas.cell_secretary)
    assert t in sel.transfers_visible_to(personas.sibling_officer)
    other = issue(registry.sibling_member, to_unit=tree.grassroots_cell)
    assert other not in sel.transfers_visible_to(personas.cell_secretary)
    assert other in sel.transfers_visible_to(personas.district_officer)  # receiving side
    assert other in sel.transfers_visible_to(personas.sibling_officer)  # sending side


# --- exemption ---------------------------------------------------------------------------


def exempt(person: Any, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "decision_number": "45-QĐ/ĐU",
        "decision_date": D(2025, 12, 20),
        "decision_body": "Đảng ủy xã Xuân",
        "reason": "Tuổi cao, sức khỏe yếu",
        "start": D(2026, 1, 1),
        "end": None,
        "today": TODAY,
    }
    args.update(kw)
    return S.exemption_add(actor=None, person=person, **args)


def test_exempted_on_follows_the_dated_status(tree: Any, registry: Any) -> None:
    ex = exempt(registry.member)
    assert registry.member in sel.exempted_on(tree.grassroots, D(2026, 1, 1))
    assert registry.member not in sel.exempted_on(tree.grassroots, D(2025, 12, 31))
    assert registry.member not in sel.exempted_on(tree.sibling, D(2026, 1, 1))
    S.exemption_end(actor=None, exemption=ex, end=D(2026, 2, 1), today=TODAY)
    assert registry.member in sel.exempted_on(tree.cell, D(2026, 2, 1))
    assert registry.member not in sel.exempted_on(tree.cell, D(2026, 2, 2))
    refused(
        lambda: S.exemption_end(actor=None, exemption=ex, end=D(2026, 2, 3), today=TODAY),
        code="ended",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_number": ""}, "decision_number"),
        ({"decision_body": " "}, "decision_body"),
        ({"reason": ""}, "reason"),
        ({"decision_date": D(2026, 5, 1)}, "decision_date"),
        ({"start": None}, "start"),
        ({"start": D(2025, 12, 1)}, "start"),  # before the decision
        ({"end": D(2025, 12, 31)}, "end"),
        ({"start": D(2014, 1, 1), "decision_date": D(2014, 1, 1)}, "start"),  # before joining
    ],
)
def test_exemption_bad_input(registry: Any, changes: dict[str, Any], field: str) -> None:
    before = registry.member.exemptions.count()
    with pytest.raises(DomainError) as info:
        exempt(registry.member, **changes)
    assert info.value.field == field
    assert registry.member.exemptions.count() == before


def test_exemption_overlap_and_non_member_refused(registry: Any) -> None:
    exempt(registry.member, end=D(2026, 6, 30))
    with pytest.raises(DomainError) as info:
        exempt(registry.member, start=D(2026, 6, 30), decision_number="46-QĐ/ĐU")
    assert info.value.code == "overlap"
    with pytest.raises(DomainError) as info:
        exempt(registry.masses)
    assert info.value.code == "not_a_member"


def test_a_unit_awaiting_a_transfer_cannot_close(tree: Any, registry: Any) -> None:
    from ptdv.organizations.services import org_unit_close

    cell = empty_cell(tree)
    t = issue(registry.member, to_unit=cell)
    with pytest.raises(DomainError) as info:
        org_unit_close(actor=None, unit=cell, date=D(2026, 2, 28))
    assert info.value.code == "transfer_awaiting" and "12-GGT" in info.value.message
    cell.refresh_from_db()
    assert cell.valid_to is None
    S.transfer_cancel(actor=None, transfer=t, today=TODAY)
    org_unit_close(actor=None, unit=cell, date=D(2026, 2, 28))


def test_temporary_arrival_from_outside_is_hosted_not_counted(tree: Any, personas: Any) -> None:
    guest = make_person(tree.sibling_cell, "Triệu Văn Khách")
    t = S.transfer_arrival(
        actor=personas.sibling_officer,
        person=guest,
        kind="temporary",
        from_outside="Chi bộ thôn Nà Hang, tỉnh Tuyên Quang",
        cell=tree.sibling_cell,
        letter_number="3-GGT/CB",
        letter_date=ISSUED,
        received_on=RECEIVED,
        temporary_until=D(2026, 12, 31),
        today=TODAY,
    )
    guest.refresh_from_db()
    assert t.kind == "temporary" and guest.status == MembershipStatus.NONE
    assert not guest.events.exists()
    assert guest not in members_on(tree.province, TODAY)
    assert guest in sel.temporary_hosted_on(tree.sibling, TODAY)
    with pytest.raises(PermissionDeniedError):
        S.transfer_end_temporary(
            actor=personas.district_officer, transfer=t, ended_on=TODAY, today=TODAY
        )
    S.transfer_end_temporary(
        actor=personas.sibling_officer, transfer=t, ended_on=D(2026, 2, 27), today=TODAY
    )
    assert guest not in sel.temporary_hosted_on(tree.sibling, TODAY)
    refused(
        lambda: S.transfer_arrival(
            actor=None,
            person=guest,
            kind="temporary",
            from_outside="X",
            cell=tree.sibling_cell,
            letter_number="4",
            letter_date=ISSUED,
            received_on=RECEIVED,
            temporary_until=RECEIVED,
            today=TODAY,
        ),
        field="temporary_until",
    )


def test_a_user_on_both_sides_sees_each_transfer_once(tree: Any, registry: Any) -> None:
    """The scope filter joins only foreign keys: an officer whose positions cover the
    sending and the receiving side (and a unit inside both) still sees one row per letter,
    without a DISTINCT."""
    from django.contrib.auth import get_user_model

    from ptdv.access.models import Position, Role

    user = get_user_model().objects.create_user("haiben", password="x")
    for unit in (tree.district, tree.sibling, tree.cell):
        Position.objects.create(
            user=user, org_unit=unit, role=Role.ORG_BOARD, term_start=dt.date(2020, 1, 1)
        )
    t = issue(registry.member, to_unit=tree.sibling_cell)
    S.transfer_confirm(actor=None, transfer=t, received_on=RECEIVED, today=TODAY)
    rows = list(sel.transfers_visible_to(user))
    assert rows == [t]
    assert list(sel.transfers_of(user=user, person=registry.member)) == [t]
    assert sel.transfers_visible_to(user).count() == 1
    assert "DISTINCT" not in str(sel.transfers_visible_to(user).query).upper()
